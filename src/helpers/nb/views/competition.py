"""Sections and findings of notebook 03 (great-power competition), one call each.

``iso`` is the focus country's ISO3 code, or None for the regional overview (the default
run). Each ``*_section`` returns what a cell displays -- sentences (:mod:`helpers.nb.say`)
and tables (:func:`helpers.nb.tables.show`) -- so a country report leads with what is
specific to its country and keeps the shared regional context short. The numbers come from
:mod:`helpers.analysis.powers` (annual trade, like for like), :mod:`helpers.analysis.engagement`
(each event once) and :mod:`helpers.analysis.competition` (the deals ledger, what the sources
say, the evidence held); the charts are in :mod:`.competition_charts`.
"""

import pandas as pd

from ... import data
from ...analysis import competition, engagement, powers, sources, trade
from ...data import countries
from .. import say, tables
from .competition_charts import seed_credit

#: the event whose differing dates the overview spells out
SUMMIT = "c5p1_washington_summit_2025"
_TRADE_CREDIT = "wto_hs_m_0010"


def year_labels():
    """Labels of :func:`helpers.analysis.powers.balance_by_year` columns (names read from the
    country list when called: importing a module reads no data)."""
    out = {}
    for p in countries.POWERS:
        for flow, word in (("imports", "from"), ("exports", "to")):
            out[f"{flow}_{p.lower()}_pct_total"] = (f"{flow.capitalize()} {word} "
                                                    f"{countries.name(p)} (% of all {flow})")
            out[f"{flow}_share_{p.lower()}_pct"] = (f"{flow.capitalize()} {word} "
                                                    f"{countries.name(p)} (% of the three)")
    for p in ("CHN", "USA"):
        out[f"exports_to_{p.lower()}_pct_gdp"] = (f"Exports to {countries.name(p)}, as "
                                                  f"{_the(p)} reports them (% of GDP)")
    return out


def _the(code):
    """A power's name as it reads inside a sentence ("the United States", "China")."""
    return ("the " if code == "USA" else "") + countries.name(code)


def _spoken(date):
    """A ``YYYY[-MM[-DD]]`` date as a reader says it: ``6 November 2025``, ``October 2025``."""
    parts = date.split("-")
    if len(parts) == 3:
        return pd.Timestamp(date).strftime("%-d %B %Y")
    return pd.Timestamp(f"{date}-01").strftime("%B %Y") if len(parts) == 2 else date


def focus_line(iso, start_year, end_year):
    """The line under the parameters: which report this is and which trade years it reads."""
    who = (f"Report on {countries.name(iso)}" if iso
           else "Regional overview: all five Central Asian countries")
    return f"{who}; trade years {start_year}–{end_year}"


def opening(iso, start_year, end_year):
    """What the first cell shows: :func:`focus_line`, then a country's :func:`country_summary`."""
    line = say.markdown(focus_line(iso, start_year, end_year))
    return [line] if iso is None else [line, country_summary(iso)]


def country_summary(iso):
    """Three lines specific to the country, shown first: its own trade figures, what the
    documents say about it alone, and its deals apart from the other four."""
    name = countries.name(iso)
    held = competition.evidence(iso).set_index("evidence")
    own = held.loc["Own trade figures by partner"]
    facts = competition.country_facts(iso)
    deals = facts[facts["kind"] == "deal"]
    other = facts[facts["kind"] != "deal"]
    return say.markdown(f"**{name} in brief.**", bullets=[
        (f"Own trade figures by partner: {own['detail']}." if own["available"] else
         f"{name} publishes no trade by partner here; only partners' figures exist."),
        (f"The curated tables hold no fact about {name} alone; the documents mention it only "
         "in passing (quoted below).") if other.empty else
        f"The documents name {name} apart from the other four in "
        f"{say.plural(len(other), 'event, figure or position', 'events, figures or positions')}.",
        (f"Deals or pledges naming {name} alone: " + say.join(
            f"{r.what} ({r.as_written})" if isinstance(r.as_written, str) else r.what
            for r in deals.itertuples()) + "." if len(deals)
         else f"No deal or pledge names {name} alone; it appears only in region-wide ones.")])


# ---------------------------------------------------------------- trade


#: who publishes each own report, in words
PUBLISHED = {"wto_hs_m_0010": "{name}'s own report to the WTO",
             "uzstat_sdmx": "{name}'s own figures, Statistics Agency of Uzbekistan"}


def _own_sentence(block, name):
    """One block of own-reported trade in words (shares of the total, or of the three)."""
    flow, year = block["flow"].iloc[0], int(block["year"].iloc[0])
    block = block.sort_values("value_usd_bn", ascending=False)
    verb, prep = ("bought", "from") if flow == "imports" else ("sold", "to")
    source = PUBLISHED.get(block["dataset"].iloc[0], "{name}'s own report").format(name=name)
    first, *rest = block.itertuples()
    if block["share_of_total_pct"].notna().all():
        parts = say.join([f"{first.share_of_total_pct:.1f}% of all its {flow} {prep} "
                          f"{_the(first.counterpart)}"]
                         + [f"{r.share_of_total_pct:.1f}% {prep} {_the(r.counterpart)}" for r in rest])
        return f"In {year} {name} {verb} {parts} ({source})."
    verb = "came from" if flow == "imports" else "went to"
    parts = say.join([f"{first.share_of_three_pct:.1f}% {verb} {_the(first.counterpart)}"]
                     + [f"{r.share_of_three_pct:.1f}% {prep} {_the(r.counterpart)}" for r in rest])
    return (f"Of {name}'s {flow} {prep} the three powers together in {year}, {parts} "
            f"(shares of the three, not of all its {flow}: the data hold no total; {source}).")


def _amount(value_bn):
    """US$ billions in words, small amounts in millions: ``US$8.52 billion``, ``US$8 million``."""
    return (say.money(value_bn, digits=2) if value_bn >= 1
            else say.money(value_bn * 1000, unit="million", digits=0))


def _mirror_sentence(block, name):
    """The mirror block in words: exports as China and the US record them, % of GDP."""
    year = int(block["year"].iloc[0])
    parts = say.join(f"{_amount(r.value_usd_bn)} to {_the(r.counterpart)} "
                     f"({r.pct_of_gdp:.2f}% of its {year} GDP)"
                     for r in block.sort_values("value_usd_bn", ascending=False).itertuples())
    return (f"As China and the United States record their imports, {name} exported {parts} "
            f"in {year}; Russia publishes no such figure here.")


def trade_text(iso, end_year=None):
    """The country's latest annual trade with each power, block by block (never mixed)."""
    name = countries.name(iso)
    annual = powers.annual_trade(iso, end_year=end_year)
    parts = [_own_sentence(g, name) for _, g in annual[annual["basis"] == "own"].groupby("flow")]
    if not parts:
        parts.append(f"{name} publishes no trade by partner in the data, so its trade with "
                     "Russia is not known here at all; China and the United States record "
                     f"what they buy from {name}.")
    mirror = annual[annual["basis"] == "mirror"]
    if len(mirror):
        parts.append(_mirror_sentence(mirror, name))
    return say.markdown(" ".join(parts))


def trade_section(iso, start_year, end_year):
    """A country: its trade with each power in words, then year by year. The overview: the
    latest like-for-like figures for each of the five."""
    if iso is None:
        return region_trade_section()
    name = countries.name(iso)
    by_year = powers.balance_by_year(iso, start_year, end_year)
    split = powers.own_power_split(iso, start_year, end_year)
    credit = f"{trade.source_for(_TRADE_CREDIT, *split['dataset'])} · {powers_credit()}"
    years = trade.year_spans(sorted(by_year["year"])) if len(by_year) else f"{start_year}–{end_year}"
    return [trade_text(iso, end_year),
            tables.show(by_year, digits=2, labels=year_labels(), source=credit,
                        caption=f"{name}'s trade with the United States, China and Russia, "
                                f"{years} (blank: no report that year)")]


def powers_credit():
    """The GDP credit (World Bank table) used next to the trade credit."""
    return data.citation("wdi")


def region_trade_section():
    """The five side by side: own-reported import shares and mirror exports, latest year each."""
    region = powers.region_trade()
    own = region[region["basis"] == "own"].copy()
    own["measure"] = [f"{f}, % of all {f}" if pd.notna(t) else f"{f}, % of the three"
                      for f, t in zip(own["flow"], own["share_of_total_pct"])]
    own["share"] = own["share_of_total_pct"].fillna(own["share_of_three_pct"])
    wide = own.pivot_table(index=["country", "year", "measure"], columns="counterpart",
                           values="share").reindex(columns=list(countries.POWERS)).reset_index()
    wide = wide.rename(columns={p: countries.name(p) for p in countries.POWERS})
    mirror = region[region["basis"] == "mirror"]
    mw = mirror.pivot_table(index=["country", "year"], columns="counterpart",
                            values="pct_of_gdp").reset_index()
    mw = mw.rename(columns={p: f"Exports to {countries.name(p)} (% of GDP)" for p in ("CHN", "USA")})
    reporters = say.join(countries.name(c) for c in dict.fromkeys(own["country"]))
    silent = say.join(countries.name(c) for c in countries.C5 if c not in set(own["country"]))
    text = say.markdown(
        f"Only {reporters} report their trade by partner here, so only for them can the three "
        f"powers be compared in one report; {silent} publish none, and their trade with Russia "
        "is not in the data. China and the United States report what they buy from all five.")
    return [text,
            tables.show(wide, digits=1, labels={"measure": "Flow, share of"},
                        caption="Each power's share of the country's own-reported trade, "
                                "latest year with all three",
                        source=trade.source_for(*sorted(own["dataset"].unique()))),
            tables.show(mw, digits=2,
                        caption="Each country's exports as China and the United States report "
                                "them, latest year both report",
                        source=f"{trade.source_for(_TRADE_CREDIT)} · {powers_credit()}")]


# ---------------------------------------------------------------- deals


def deals_text(ledger, name=None):
    """How many deals and pledges the ledger holds, the largest stated per power, no total."""
    own = ledger[ledger["scope"] == "country"]
    verb = "name" if len(own) > 1 else "names"
    where = f"{verb} {name}" if name else f"{verb} one or more of the five"
    region = ledger[ledger["scope"] == "region"]
    count = (say.plural(len(own), 'deal or pledge', 'deals or pledges') if len(own)
             else "no deal or pledge")
    listed = (": " + "; ".join(
        f"{r.value_as_written if isinstance(r.value_as_written, str) else 'no value stated'}"
        f" with {say.join(_the(p) for p in countries.split_codes(r.power))} "
        f"({r.what}, {r.status}{', ' + r.period if r.period else ''}; {r.outlets})"
        for r in region.itertuples()) if name else "")
    parts = [f"The documents state {count} that {where} apart from the others"
             + (f" and {say.plural(len(region), 'region-wide one')} stated for Central Asia as a "
                  f"whole, without saying which countries take part{listed}"
                if len(region) else "") + "."]
    for power in countries.POWERS:
        rows = own[own["power"].map(lambda p, w=power: w in countries.split_codes(p))
                   & own["value_usd_bn"].notna()]
        if len(rows):
            top = rows.iloc[0]
            parts.append(f"The largest with {_the(power)} is {top['value_as_written']} "
                         f"({top['what']}, {top['status']}; {top['outlets']}).")
    parts.append("They are listed, not added up: the values are one-off headline figures, some "
                 "of them pledges or memoranda, they overlap, and none is a year's trade.")
    return say.markdown(" ".join(parts))


def deals_section(iso):
    """The deals and pledges ledger for the country (or every deal naming one of the five)."""
    name = countries.name(iso) if iso else None
    ledger = competition.deals_ledger(iso)
    shown = ledger.drop(columns="fact_id")
    if iso is not None:  # a country's own deals; the region-wide ones are in the sentence
        shown = shown[shown["scope"] == "country"].drop(columns="scope")
    caption = (f"Deals and pledges that name {name} apart from the other four" if iso
               else "Deals and pledges that name one or more of the five")
    out = [deals_text(ledger, name)]
    if len(shown):
        out.append(tables.show(shown, caption=caption, source=seed_credit("deals"),
                               digits={"value_usd_bn": 2},
                               labels={"what": "Deal", "period": "Period stated"}))
    return out


# ---------------------------------------------------------------- sources


def facts_text(facts, name):
    """How much the seed documents say about the country apart from the other four."""
    return say.markdown(_facts_sentence(facts, name))


def _facts_sentence(facts, name):
    """:func:`facts_text` as a plain sentence."""
    if facts.empty:
        mentions = competition.passing_mentions(name)
        said = (" The documents mention it only in passing, e.g. " + "; ".join(
            f"\u201c{m.text}\u201d ({m.outlets})" for m in mentions.head(2).itertuples()) + "."
            if len(mentions) else "")
        return (f"The curated tables hold no fact about {name} alone: every event, deal and "
                f"position recorded for it names all five.{said}")
    counts = facts["kind"].value_counts()
    kinds = [say.plural(int(counts[k]), k) for k in ("event", "deal", "figure", "position")
             if k in counts]
    return (f"The documents name {name} apart from the other four in {say.join(kinds)}, each "
            "counted once however many documents state it.")


def summit_dates():
    """How the documents date the Washington summit: every date, with its outlets."""
    readings = engagement.date_readings(SUMMIT)
    return say.markdown("The documents disagree on the date of the Washington summit: " + "; ".join(
        f"{_spoken(r.date)} in {say.plural(r.documents, 'document')} ({r.outlets})"
        for r in readings.itertuples()) + ". The timeline keeps the most precise date stated by "
        "the most documents and shows the other beside it.")


def sources_section(iso):
    """A country: what the documents say about it alone. The overview: the engagement timeline,
    each event once with all its documents."""
    if iso is not None:
        name = countries.name(iso)
        facts = competition.country_facts(iso)
        out = [facts_text(facts, name)]
        if len(facts):
            out.append(tables.show(facts[facts["kind"] != "deal"].drop(columns="sources"),
                                   caption=f"What the documents say about {name} alone "
                                           "(deals: in the ledger above)",
                                   source=seed_credit("events") + ", claims and statements tables",
                                   labels={"outlets": "Stated in"}))
        return out
    timeline = engagement.engagement_timeline()
    shown = timeline[["date", "power", "title", "all_five", "outlets", "dates_stated"]]
    return [summit_dates(), engagement_text(timeline, None),
            tables.show(shown, caption=events_title(), source=seed_credit("events"),
                        labels={"outlets": "Reported by", "dates_stated": "Dates as stated"})]


def news_texts():
    """The seed documents in words: ``the 5 news texts`` (counted, never typed)."""
    return f"the {say.plural(len(sources.document_names()), 'news text')}"


def events_title():
    """Title of the events table and chart: what they are (mentions), not a measure."""
    return f"Events mentioned in {news_texts()}"


def selection_bias():
    """Why the events cannot be counted power against power."""
    return (f"{news_texts().capitalize()} were chosen because they cover a US summit with "
            "Central Asia, so they mention US events far more often than Chinese or Russian "
            "ones: the list shows what this coverage mentions, not how much each power engages.")


def engagement_text(timeline, iso):
    """Overview: what the events list is and its bias. Country: its events without the other
    four, in one sentence (no counts across powers)."""
    if iso is None:
        return say.markdown(
            f"{events_title()}, each once however many texts report it (an outcome told in the "
            f"same sentence as its meeting is part of that meeting). {selection_bias()}")
    return say.markdown(_own_events(timeline, iso))


def _own_events(timeline, iso):
    """The events without the other four that name the country, in one plain sentence."""
    name = countries.name(iso)
    mine = engagement.engagement_timeline(iso, since=int(timeline["year"].min()))
    own = mine[~mine["all_five"]]
    return (f"Of the events mentioned in {news_texts()}, those without the other four that "
            f"name {name} are: " + "; ".join(f"{r.title} ({_spoken(r.date)})"
                                             for r in own.itertuples()) + "."
            if len(own) else f"Every event mentioned in {news_texts()} that names {name} names "
            "all five.")


# ---------------------------------------------------------------- regional context


#: a claim's qualifier in words, for the stated region-wide trade figures
QUALIFIER_WORDS = {"exact": "an exact figure", "forecast": "a forecast", "exceeded": "a floor"}


def _speaker(asserted_by):
    """Who gave a figure, as a sentence names them: ``Vladimir Putin, President of Russia``
    reads ``Putin``; an organisation keeps its name."""
    first = str(asserted_by).split(",")[0].strip()
    return first.split()[-1] if "," in str(asserted_by) else first


def stated_trade_text():
    """The seeds' region-wide annual trade figures, each with who gave it and the value as
    written (no added precision), and what is missing."""
    stated = competition.stated_region_trade()
    parts = []
    for r in stated.itertuples():
        who = _speaker(r.asserted_by) if r.asserted_by else "the documents"
        if r.qualifiers.split("; ") == ["exceeded"]:
            parts.append(f"{who} said the region's trade with {_the(r.power)} exceeded "
                         f"{r.value_as_written} in {r.year}")
        else:
            parts.append(f"{who} put the region's trade with {_the(r.power)} at "
                         f"{r.value_as_written} in {r.year}")
    missing = [p for p in countries.POWERS if p not in set(stated["power"])]
    tail = (f" The documents give no such figure for {say.join(_the(p) for p in missing)}, "
            "only deals (in the ledger)." if missing else "")
    return (f"As the documents report it, {say.join(parts)}.{tail}" if parts else tail.strip())


def context_section(iso):
    """The shared regional context, kept short. A country: its part in the engagement and the
    region's stated trade. The overview: the stated trade and who says what."""
    if iso is None:
        return [say.markdown(stated_trade_text()), positions_text()]
    return [engagement_text(engagement.engagement_timeline(), iso),
            say.markdown(stated_trade_text())]


def positions_text():
    """How many positions actors take, how many from US actors, and the positions on the
    contest itself. The writers' own sentences (an outlet's, a commentator's characterisation
    of an actor) are not actors' positions: they are counted apart and not attributed."""
    positions = engagement.statements_by_theme()
    written = engagement.statements_by_theme(writers=True)
    writers = len(written) - len(positions)
    contest = positions[positions["theme"] == "great_power"]
    voices = "; ".join(f"{r.person} ({_affiliation(r.country)}, in {r.outlets}): {r.position}"
                       for r in contest.itertuples())
    apart = (f" A further {say.plural(writers, 'sentence')} in the writers' own voice (what an "
             "outlet reports or how an unsigned commentary characterises an actor) are not "
             "counted as anyone's position." if writers else "")
    return say.markdown(
        f"{say.plural(len(positions), 'position')} of named actors in "
        f"{positions['theme'].nunique()} themes; {(positions['country'] == 'USA').sum()} come "
        f"from US actors.{apart} On the contest itself "
        f"({say.plural(len(contest), 'position')}): {voices}")


def _affiliation(code):
    """A country code as its name; no code: ``no affiliation stated``."""
    return countries.name(code) if code else "no affiliation stated"


# ---------------------------------------------------------------- gaps and findings


def gaps_text(evidence, name):
    """What the data cannot say for the country: one bullet per kind of evidence it lacks."""
    missing = evidence[~evidence["available"].astype(bool)]
    bullets = [f"No {row.evidence[:1].lower()}{row.evidence[1:]}." for row in missing.itertuples()]
    own = bool(evidence["available"].iloc[0])
    bullets.append(f"{name}'s trade with Russia is known only from {name}'s own figures, never "
                   "from Russia's." if own else f"{name}'s trade with Russia is not in the data "
                   f"at all: Russia does not report here and {name} publishes no figures by partner.")
    return say.markdown(f"What the data cannot say for {name}:", bullets=bullets)


def held_text(evidence, name):
    """What the data hold for the country, one bullet per kind with its years or count."""
    held = evidence[evidence["available"].astype(bool)]
    return say.markdown(f"What the data hold for {name}:", bullets=[
        f"{r.evidence}: {r.detail}" for r in held.itertuples()])


def gaps_section(iso):
    """A country: the evidence held for it and what it lacks. The overview: the five compared."""
    credit = (f"{trade.source_for(_TRADE_CREDIT, 'eurostat_comext')} · {powers_credit()} · "
              f"{seed_credit('events')}")
    if iso is not None:
        name = countries.name(iso)
        evidence = competition.evidence(iso)
        return [held_text(evidence, name), gaps_text(evidence, name),
                say.markdown(f"Sources: {credit}.")]
    rows = {countries.name(c): competition.evidence(c).set_index("evidence")["detail"]
            for c in countries.C5}
    wide = pd.DataFrame(rows).rename_axis("evidence").reset_index()
    return [say.markdown("Russia reports to none of the sources used here, so every Russian figure "
                         "is a Central Asian country's own report; Tajikistan and Turkmenistan "
                         "publish no trade by partner, so for them only partners' mirror "
                         "figures exist."),
            tables.show(wide, caption="Evidence held for each of the five (years or count)",
                        source=credit)]


def findings(iso, start_year, end_year):
    """The findings, as sentences a reader can quote with their source."""
    timeline = engagement.engagement_timeline()
    if iso is None:
        region = powers.region_trade()
        own = region[region["basis"] == "own"]
        bullets = [_own_sentence(g, countries.name(c)) for (c, _), g in
                   own.groupby(["country", "flow"], sort=False)]
        bullets.append(stated_trade_text())
        bullets.append(selection_bias())
        ledger = competition.deals_ledger()
        bullets.append(f"The documents list {say.plural(len(ledger), 'deal or pledge', 'deals or pledges')}"
                       " naming the five; they are one-off headline values and are not added to "
                       "trade or to each other.")
        return say.markdown(bullets=bullets)
    name = countries.name(iso)
    annual = powers.annual_trade(iso, end_year=end_year)
    bullets = [_own_sentence(g, name) for _, g in annual[annual["basis"] == "own"].groupby("flow")]
    mirror = annual[annual["basis"] == "mirror"]
    if len(mirror):
        bullets.append(_mirror_sentence(mirror, name))
    if annual[annual["basis"] == "own"].empty:
        bullets.append(f"{name} publishes no trade by partner here, so its trade with Russia is "
                       "not known from these sources.")
    ledger = competition.deals_ledger(iso)
    own = ledger[(ledger["scope"] == "country") & ledger["value_usd_bn"].notna()]
    if len(own):
        top = own.iloc[0]
        with_ = (" with " + say.join(_the(p) for p in countries.split_codes(top["power"]))
                 if top["power"] else "")
        bullets.append(f"The documents name {name} in "
                       f"{say.plural(int((ledger['scope'] == 'country').sum()), 'deal or pledge', 'deals or pledges')}"
                       f" of its own, the largest stated {top['value_as_written']}{with_} "
                       f"({top['status']}; {top['outlets']}): a one-off headline value, not a "
                       "year's trade.")
    else:
        bullets.append(f"No deal or pledge with a stated value names {name} apart from the "
                       "other four; it appears only in region-wide ones.")
    bullets.append(_own_events(timeline, iso))
    return say.markdown(bullets=bullets)
