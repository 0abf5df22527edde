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
from ...analysis import competition, engagement, powers, trade
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
    who = (f"Focus: {countries.name(iso)} ({iso})" if iso
           else "Regional overview: all five Central Asian countries")
    return f"{who}; trade years {start_year}–{end_year}"


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
    return [trade_text(iso, end_year),
            tables.show(by_year, digits=2, labels=year_labels(), source=credit,
                        caption=f"{name}'s trade with the United States, China and Russia, "
                                f"{start_year}–{end_year} (blank: no report that year)")]


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
        f"{r.value_as_written} with {say.join(_the(p) for p in countries.split_codes(r.power))} "
        f"({r.what}, {r.status}{', ' + r.period if r.period else ''}; {r.outlets})"
        for r in region.itertuples()) if name else "")
    parts = [f"The documents state {count} that {where} apart from the others"
             + (f" and {say.plural(len(region), 'region-wide one')} made with all five{listed}"
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
                               digits={"value_usd_bn": 2, "per_year_usd_bn": 2},
                               labels={"what": "Deal", "period": "Period stated"}))
    return out


# ---------------------------------------------------------------- sources


def facts_text(facts, name):
    """How much the seed documents say about the country apart from the other four."""
    if facts.empty:
        return say.markdown(f"The documents say nothing about {name} apart from the other "
                            f"four: every event, deal and position that names {name} names all five.")
    counts = facts["kind"].value_counts()
    kinds = [say.plural(int(counts[k]), k) for k in ("event", "deal", "figure", "position")
             if k in counts]
    return say.markdown(f"The documents name {name} apart from the other four in "
                        f"{say.join(kinds)}, each counted once however many documents state it.")


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
            tables.show(shown, caption="Engagement events, each once, with every document that "
                                       "reports it", source=seed_credit("events"),
                        labels={"outlets": "Reported by", "dates_stated": "Dates as stated"})]


def engagement_text(timeline, iso):
    """Overview: events and occasions per power. Country: its part in them, in one sentence."""
    counts = engagement.engagement_counts(timeline, iso)
    since = int(timeline["year"].min())
    if iso is None:
        return say.markdown(
            f"Since {since} the documents report " + say.join(
                f"{say.plural(r.events, 'event')} on {say.plural(r.occasions, 'occasion')} with "
                f"{_the(r.power)}" for r in counts.itertuples()) + " (each event counted once, "
            "however many documents report it; events of one power with the same countries in "
            "the same year make one occasion).")
    name = countries.name(iso)
    mine = engagement.engagement_timeline(iso, since=since)
    own = mine[~mine["all_five"]]
    by_power = say.join(f"{_the(r.power)} {r.with_country}" for r in counts.itertuples())
    text = (f"{name} takes part in {len(mine)} of the {len(timeline)} engagement events the "
            f"documents report since {since} ({by_power}), ")
    text += (f"{len(own)} of them without the other four: " + "; ".join(
        f"{r.title} ({_spoken(r.date)})" for r in own.itertuples()) + "."
        if len(own) else "all of them with the other four.")
    return say.markdown(text)


# ---------------------------------------------------------------- regional context


#: a claim's qualifier in words, for the stated region-wide trade figures
QUALIFIER_WORDS = {"exact": "an exact figure", "forecast": "a forecast", "exceeded": "a floor"}


def stated_trade_text():
    """The seeds' region-wide annual trade figures, like with like, and what is missing."""
    stated = competition.stated_region_trade()
    parts = []
    for r in stated.itertuples():
        quals = r.qualifiers.split("; ")
        value = ("over " if quals == ["exceeded"] else "") + say.money(r.value_usd_bn)
        note = (f" (given as {say.join(QUALIFIER_WORDS.get(q, q) for q in quals)} by different "
                "documents)" if len(quals) > 1 else "")
        parts.append(f"with {_the(r.power)} as {value} in {r.year}{note}")
    missing = [p for p in countries.POWERS if p not in set(stated["power"])]
    tail = (f" They give no such figure for {say.join(_the(p) for p in missing)}, only deals "
            "(in the ledger)." if missing else "")
    return f"The documents state the region's two-way trade {say.join(parts)}.{tail}"


def context_section(iso):
    """The shared regional context, kept short. A country: its part in the engagement and the
    region's stated trade. The overview: the stated trade and who says what."""
    if iso is None:
        return [say.markdown(stated_trade_text()), positions_text()]
    return [engagement_text(engagement.engagement_timeline(), iso),
            say.markdown(stated_trade_text())]


def positions_text():
    """How many positions, how many from US actors, and the positions on the contest itself."""
    positions = engagement.statements_by_theme()
    contest = positions[positions["theme"] == "great_power"]
    voices = "; ".join(f"{r.person} ({tables_name(r.country)}, in {r.outlets}): {r.position}"
                       for r in contest.itertuples())
    return say.markdown(
        f"{say.plural(len(positions), 'position')} in {positions['theme'].nunique()} themes; "
        f"{(positions['country'] == 'USA').sum()} come from US actors. On the contest itself "
        f"({say.plural(len(contest), 'position')}): {voices}")


def tables_name(code):
    """A country code as its name; any other label (``international/not stated``) as it is."""
    try:
        return countries.name(code)
    except Exception:  # noqa: BLE001 - not a code
        return code


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
    counts = engagement.engagement_counts(timeline, iso).set_index("power")
    if iso is None:
        region = powers.region_trade()
        own = region[region["basis"] == "own"]
        bullets = [_own_sentence(g, countries.name(c)) for (c, _), g in
                   own.groupby(["country", "flow"], sort=False)]
        bullets.append(stated_trade_text())
        since = int(timeline["year"].min())
        occasions = [f"{say.plural(int(r.occasions), 'occasion')}" + (" of engagement" if i == 0
                     else "") + f" with {_the(p)}" for i, (p, r) in enumerate(counts.iterrows())]
        bullets.append(f"Since {since} the documents report {say.join(occasions)}, each "
                       "event counted once however many documents report it.")
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
    since = int(timeline["year"].min())
    bullets.append(f"{name} takes part in {int(counts['with_country'].sum())} of the "
                   f"{int(counts['events'].sum())} engagement events the documents report "
                   f"since {since}, each counted once.")
    return say.markdown(bullets=bullets)
