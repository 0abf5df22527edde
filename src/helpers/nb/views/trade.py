"""Charts and sentences of the trade-flows notebook (02): deals, a country's trade, stated totals.

Numbers come from :mod:`helpers.analysis.trade` and :mod:`helpers.analysis.deals`; charts end
with :func:`helpers.nb.style.finish`; sentences are ``say.markdown(...)`` to display.
"""

import re

from ... import data
from ...analysis import deals, trade
from ...data import countries
from .. import say, style
from ..tables import words

#: the seeds' stated China–Central Asia and Russia–Central Asia trade totals (fact ids)
CHINA_TOTAL, RUSSIA_TOTAL = "china_central_asia_trade_2024", "russia_central_asia_trade_2024"
#: currencies in words
CURRENCIES = {"USD": "US dollars", "EUR": "euros"}
#: how a qualifier reads a stated total
READINGS = {"exact": "an outturn", "forecast": "a forecast", "exceeded": "a floor ('over')"}


def _figure(**kwargs):
    import matplotlib.pyplot as plt  # on first use: importing the module leaves pyplot alone
    return plt.subplots(**kwargs)


def deals_table(focus_deals):
    """The deals a reader needs to see, one row per fact: parties, power, value, period.

    Parameters
    ----------
    focus_deals : pandas.DataFrame
        :func:`helpers.analysis.deals.deals_for` of the focus country.

    Returns
    -------
    pandas.DataFrame
        ``scope, parties, power, sector, status, value_as_written, value_usd_bn, period,
        horizon_years, quantity, sources``; ``quantity`` reads "300 sets of locomotive
        components".
    """
    quantity = [f"{q:g} {u}" if q == q else "" for q, u in
                zip(focus_deals["quantity"], focus_deals["quantity_unit"])]
    out = focus_deals.assign(parties=focus_deals["countries"].map(deals.parties), quantity=quantity)
    return out[["scope", "parties", "power", "sector", "status", "value_as_written",
                "value_usd_bn", "period", "horizon_years", "quantity", "sources"]]


def _top(single, sets):
    """The largest single deal stating a value (None if none) and how to call it."""
    valued = single[single["value_usd_bn"].notna()].sort_values("value_usd_bn", ascending=False)
    label = "the largest single deal stated" if len(sets) else "the largest stated"
    return (valued.iloc[0] if len(valued) else None), label


def _agreements_text(row):
    """A set of agreements as a count: "70 trade agreements signed with China (… in all)"."""
    partner = say.join([countries.name(p) for p in countries.split_codes(row["countries"])
                        if p not in deals.REGION]) or "each other"
    worth = f" ({row['value_as_written']} in all)" if isinstance(row["value_as_written"], str) else ""
    return f"{row['quantity']:g} {row['quantity_unit']} {words(row['status'])} with {partner}{worth}"


def deals_sentences(focus_deals, iso, facts=None):
    """How many deals name the country, the largest, and where the documents disagree.

    Parameters
    ----------
    focus_deals : pandas.DataFrame
        :func:`helpers.analysis.deals.deals_for` of ``iso``.
    iso : str
        The focus country.
    facts : pandas.DataFrame, optional
        :func:`helpers.analysis.deals.deal_facts` (for the conflicts).
    """
    name = countries.name(iso)
    own = focus_deals[focus_deals["scope"] == "country"]
    region = focus_deals[focus_deals["scope"] == "region"]
    if own.empty:
        text = (f"No deal in the seeds names {name} on its own; it appears only in "
                f"{say.plural(len(region), 'region-wide deal')} with all five countries.")
    else:
        single, sets = deals.single_and_sets(own)
        text = (f"The seeds name {name} in {say.plural(len(single), 'deal')} of its own"
                f"{''.join(' and ' + _agreements_text(r) for _, r in sets.iterrows())} (plus "
                f"{len(region)} region-wide)")
        top, largest = _top(single, sets)
        if top is not None:
            power = countries.name(top["power"]) if top["power"] else "a domestic institution"
            text += (f"; {largest} is {top['value_as_written']} ({words(top['sector'])}, "
                     f"{words(top['status'])}, with {power})")
        text += "."
    for row in deals.conflicts(facts).itertuples():
        stated = re.sub(r"\((\d{3})\)", r"(seed \1)", row.conflict)
        lead = ("The documents" if iso in countries.split_codes(row.countries)
                else "Elsewhere in the region, the documents")
        text += (f" {lead} disagree on the {row.topic[:1].lower()}{row.topic[1:]} "
                 f"({deals.parties(row.countries)}): {stated}.")
    return say.markdown(text)


def overlaps_sentence(facts):
    """Why stated values are not added: nested pledges and totals that may include deals.

    Parameters
    ----------
    facts : pandas.DataFrame
        :func:`helpers.analysis.deals.deal_facts`.
    """
    by_fact = facts.set_index("fact_id")
    parts = []
    for pair in deals.nested_pledges(facts).itertuples():
        inner, outer = by_fact.loc[pair.inner], by_fact.loc[pair.outer]
        parts.append(f"{deals.parties(inner['countries'])}'s \"{inner['value_as_written']} over "
                     f"{inner['horizon_years']:g} years\" lies inside its "
                     f"\"{outer['value_as_written']} over {outer['horizon_years']:g} years\"")
    for row in deals.signed_totals(facts).itertuples():
        parts.append(f"the {row.value_as_written} of deals signed in the first {row.period} of "
                     f"{row.date} may include named deals")
    return say.markdown(f"Stated values are not added up: {say.join(parts)}." if parts else "")


def deal_label(row, iso):
    """The label of one deal on the deals chart: who, sector, status, horizon; ◆ = the focus.

    >>> row = {"scope": "country", "countries": "KAZ;USA", "sector": "rare_earths",
    ...        "status": "financing_programme", "horizon_years": 5.0}
    >>> deal_label(row, "KAZ"), deal_label(row, "UZB")
    ('◆ Kazakhstan · rare earths · financing programme · 5 yrs', 'Kazakhstan · rare earths · financing programme · 5 yrs')
    """
    who = "all five" if row["scope"] == "region" else " + ".join(
        countries.name(c) for c in countries.split_codes(row["countries"]) if c in countries.C5)
    mark = "◆ " if row["scope"] == "country" and iso in countries.split_codes(row["countries"]) else ""
    span = row["horizon_years"]
    span = "" if span != span else f" · {span:g} yrs" if span >= 1 else f" · {span * 12:g} months"
    sets = row.get("agreements", float("nan"))
    sets = "" if sets != sets else f" · {sets:g} agreements"
    return f"{mark}{who} · {words(row['sector'])} · {words(row['status'])}{sets}{span}"


def deals_chart(facts, iso):
    """Bar chart of every Central Asian deal that states a value, coloured by outside power.

    Hatched bars are pledges or "up to" ceilings; deals naming ``iso`` are marked ◆.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.patches import Patch

    region = facts[(facts["scope"] != "outside") & facts["value_usd_bn"].notna()]
    region = region.sort_values("value_usd_bn", ascending=True)
    fig, ax = _figure(figsize=(8, 0.45 * len(region) + 1.6))
    colors = [style.color(p) if p else style.OTHER for p in region["power"]]
    hatches = ["//" if (s == "pledged" or q == "up_to") else ""
               for s, q in zip(region["status"], region["qualifier"])]
    bars = ax.barh([deal_label(r, iso) for _, r in region.iterrows()], region["value_usd_bn"],
                   color=colors, hatch=hatches, edgecolor="white")
    for bar, written in zip(bars, region["value_as_written"]):
        ax.annotate(written, (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                    xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    ax.set_xlim(0, region["value_usd_bn"].max() * 1.3)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.legend(handles=[
        Patch(color=style.color("USA"), label="with the United States"),
        Patch(color=style.color("CHN"), label="with China"),
        Patch(color=style.OTHER, label="domestic (no outside power)"),
        Patch(facecolor="white", edgecolor="#555555", hatch="//", label="pledge or 'up to'")],
        loc="lower right")
    years = sorted({str(d)[:4] for d in region["date"].dropna()})
    when = years[0] if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return style.finish(ax, title=f"Deals and pledges with Central Asia stated in the seeds ({when})",
                        source=data.source_line("deals", "claims"),
                        xlabel="Stated value (US$ bn, as written)", ylabel=None)


def own_trade_sentence(cov, imports, iso, start_year, end_year):
    """Whether the country reports its own trade, and in which datasets.

    Parameters
    ----------
    cov : pandas.DataFrame
        :func:`helpers.analysis.trade.coverage` of ``iso``.
    imports : pandas.DataFrame
        :func:`helpers.analysis.trade.own_imports` of ``iso`` in the years shown.
    """
    name = countries.name(iso)
    own = cov[cov["basis"] == "own"]
    if not imports.empty:
        text = (f"{name} reports its own trade by partner: " + "; ".join(
            f"{trade.DATASETS[r.dataset]} ({r.flow}, {CURRENCIES.get(r.currency, r.currency)}, "
            f"{r.first_year}–"
            f"{r.last_year}, {r.years} years)" for r in own.itertuples()) + ".")
    elif not own.empty:
        text = (f"{name} reports its own trade, but not within {start_year}–{end_year}; "
                "widen the year range to see it.")
    else:
        text = (f"**{name} does not report its trade by partner in this table.** Everything "
                f"below is mirror data: what China, the United States, the EU and {name}'s "
                f"neighbours record trading with {name}.")
    return say.markdown(text)


def own_imports_chart(imports, iso, start_year, end_year):
    """Line chart of the country's imports from the three powers, as it reports them.

    Returns
    -------
    matplotlib.figure.Figure or None (nothing drawn when ``imports`` is empty)
    """
    if imports.empty:
        return None
    import matplotlib.ticker as mticker

    name = countries.name(iso)
    years = range(start_year, end_year + 1)
    fig, ax = _figure()
    for power in countries.POWERS:
        one = imports[imports["counterpart"] == power].set_index("year")["value_full"]
        one = one.reindex(years) / 1e9
        ax.plot(one.index, one.values, color=style.color(power),
                linestyle=style.LINESTYLES[power], marker="o", label=countries.name(power))
    ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    ax.legend()
    return style.finish(ax, title=f"{name}'s imports from the three powers, as {name} reports them",
                        source=trade.source_for(*imports["dataset"].unique()), xlabel="Year",
                        ylabel="Imports (US$ bn, reporter's figures)")


def mirror_chart(mirror, iso, start_year, end_year):
    """Line chart (log scale) of the country's exports as each partner records its imports.

    Parameters
    ----------
    mirror : pandas.DataFrame
        :func:`helpers.analysis.trade.mirror_exports` of ``iso``.

    Returns
    -------
    matplotlib.figure.Figure or None (nothing drawn when ``mirror`` is empty)
    """
    if mirror.empty:
        return None
    import matplotlib.ticker as mticker

    years = range(start_year, end_year + 1)
    fig, ax = _figure()
    order = sorted(mirror["reporter"].unique(), key=lambda c: (c not in countries.POWERS, c))
    for reporter in order:
        rows = mirror[mirror["reporter"] == reporter]
        one = rows.set_index("year")["value_full"].reindex(years) / 1e9
        short = trade.DATASETS[rows["dataset"].iloc[0]].split(" ")[0]
        ax.plot(one.index, one.values, color=style.color(reporter), marker="o", markersize=4,
                linestyle=style.LINESTYLES.get(reporter, "-"),
                label=f"{countries.name(reporter)} ({short})")
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    ax.legend(title="Reported by", loc="upper left", bbox_to_anchor=(1.01, 1))
    return style.finish(ax, title=f"{countries.name(iso)}'s exports as its partners record their imports",
                        source=trade.source_for(*mirror["dataset"].unique()), xlabel="Year",
                        ylabel="Partner's imports (US$ bn, log scale)")


def _times(value):
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def ratio_sentence(ratio, iso, start_year, end_year):
    """How many times China's reported imports from the country exceed the United States'.

    Parameters
    ----------
    ratio : pandas.Series
        :func:`helpers.analysis.trade.reporter_ratio` of ``iso`` in the years shown.
    """
    name = countries.name(iso)
    if ratio.empty:
        return say.markdown(f"China and the United States do not both report imports from "
                            f"{name} in any year of {start_year}–{end_year}, so no ratio can "
                            "be given.")
    return say.markdown(
        f"China's reported imports from {name} were a median **{_times(ratio.median())}×** the "
        f"United States' (WTO, US dollars, each as the importer reports) over the "
        f"{say.plural(len(ratio), 'year')} of {start_year}–{end_year} in which both report "
        f"({trade.year_spans(ratio.index)}); the range is {_times(ratio.min())}× to "
        f"{_times(ratio.max())}×.")


def eu_chart(eu, iso):
    """Bar chart of EU27 exports to the country, in euros, as the EU reports them.

    Parameters
    ----------
    eu : pandas.DataFrame
        The ``eurostat_comext`` rows of :func:`helpers.analysis.trade.partner_series`.

    Returns
    -------
    matplotlib.figure.Figure or None (nothing drawn when ``eu`` is empty)
    """
    if eu.empty:
        return None
    import matplotlib.ticker as mticker

    fig, ax = _figure()
    ax.bar(eu["year"], eu["value_full"] / 1e9, color=style.color("EU27"))
    ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    return style.finish(ax, title=f"EU27 exports to {countries.name(iso)}, as the EU reports them",
                        source=trade.source_for("eurostat_comext"), xlabel="Year",
                        ylabel="EU27 exports (€ bn, nominal)")


def eu_sentence(eu, iso, start_year, end_year):
    """How EU27 exports to the country changed between the first and last year shown (euros)."""
    name = countries.name(iso)
    if eu.empty:
        return say.markdown(f"Eurostat has no EU27 exports to {name} in {start_year}–{end_year}.")
    eu = eu.sort_values("year")
    first, last = eu.iloc[0], eu.iloc[-1]
    return say.markdown(
        f"EU27 exports to {name} went from {say.money(first['value_full'] / 1e9, currency='€', digits=2)} "
        f"in {first['year']} to {say.money(last['value_full'] / 1e9, currency='€', digits=2)} in "
        f"{last['year']} ({last['value_full'] / first['value_full']:.1f}×, in euros).")


def disputed_sentence(totals, claims, disagreements):
    """How the documents read each disputed total differently (outturn, forecast, name).

    Parameters
    ----------
    totals : pandas.DataFrame
        :func:`helpers.analysis.deals.reported_totals`.
    claims, disagreements : pandas.DataFrame
        The curated tables.
    """
    notes = []
    for row in totals[totals["disputed"]].itertuples():
        docs = claims[claims["fact_id"] == row.fact_id].groupby("qualifier")["source"].nunique()
        subject = deals.names_in(row.subject)
        if len(docs) > 1:
            notes.append(f"**{subject}**, {say.money(row.value_usd_bn)} for {row.year}, is "
                         + " and ".join(f"{READINGS.get(q, repr(q))} in {say.plural(n, 'document')}"
                                        for q, n in docs.items()) + ".")
        else:
            kinds = say.join(sorted(set(disagreements.loc[
                disagreements["fact_id"] == row.fact_id, "kind"])))
            notes.append(f"{subject}: the documents agree on the value; they differ only in "
                         f"{kinds}.")
    return say.markdown("Disputed totals: " + " ".join(notes) if notes else "")


def _china_reference(totals):
    """The stated China–Central Asia total, and China's WTO imports from the five."""
    edb = totals.set_index("fact_id").loc[CHINA_TOTAL]
    with_china = trade.latest_with("CHN")
    last = int(with_china.loc[with_china["reporter"] == "CHN", "year"].max())
    return edb, with_china, last, trade.mirror_imports_from(countries.C5, last)


def china_check(totals, iso):
    """What the trade table holds against the stated China–Central Asia total, bullet by bullet.

    Each bullet is one reporter's one flow in its latest year, in US dollars, as a share of
    the stated two-way total; the focus country's part of China's imports comes first.

    Parameters
    ----------
    totals : pandas.DataFrame
        :func:`helpers.analysis.deals.reported_totals`.
    iso : str
        The focus country.
    """
    edb, with_china, last, imports = _china_reference(totals)
    stated = edb["value_usd_bn"]
    name = countries.name(iso)

    def pct(v, of=stated):
        return say.percent(v / of, 0 if v / of >= 0.1 else 1)

    table = data.load("trade")
    spans = trade.year_spans(table.loc[(table["reporter"] == "CHN")
                                       & table["partner"].isin(countries.C5), "year"])
    bullets = []
    if iso in imports.index:
        bullets.append(f"**China's imports from {name}** (WTO, as China reports them): "
                       f"{say.money(imports[iso] / 1e9, digits=2)} in {last}, "
                       f"{pct(imports[iso], imports.sum())} of its imports from the five.")
    else:
        bullets.append(f"**China reports no imports from {name} in {last}.**")
    which = ("all five" if len(imports) == len(countries.C5) else
             f"{say.plural(len(imports), 'country', 'countries')} "
             f"({say.join(countries.name(c) for c in imports.index)})")
    bullets.append(
        f"**China's imports from the five, as China reports them** (WTO; {spans}): "
        f"{say.money(imports.sum() / 1e9)} in {last} from {which} = {pct(imports.sum() / 1e9)} of "
        f"the stated total — one direction, {int(edb['year']) - last} years earlier.")
    own = with_china[with_china["basis"] == "own"]
    for r in own.sort_values("reporter", key=lambda s: s != iso, kind="stable").itertuples():
        where = "from" if r.flow_reported == "imports" else "to"
        who = countries.name(r.reporter)
        bullets.append(f"**{who}'s {r.flow_reported} {where} China, in its own figures** "
                       f"({trade.DATASETS[r.dataset]}; {r.year_spans}): "
                       f"{say.money(r.value_usd_bn, digits=2)} in {r.year} = "
                       f"{pct(r.value_usd_bn)} of the stated total.")
    for r in trade.own_two_way(with_china).itertuples():
        bullets.append(f"{countries.name(r.reporter)}'s own two-way trade with China in {r.year} "
                       "(its exports plus its imports, one reporter, one currency): "
                       f"{say.money(r.value_usd_bn, digits=2)} = {pct(r.value_usd_bn)} of the "
                       "stated total.")
    putin = totals.set_index("fact_id").loc[RUSSIA_TOTAL]
    russia = bool((table["reporter"] == "RUS").any())
    closing = (f"No series covers {edb['year']} or both directions for all five, so the stated "
               f"total can be scaled, not checked. Russia's 'over "
               f"{say.money(putin['value_usd_bn'], digits=0)}' ({putin['year']}) "
               + ("can be set against Russia's own reports in the table." if russia
                  else "has no counterpart at all: Russia is not a reporter here."))
    opening = (f"The stated total: **{say.money(stated)} of two-way trade between China and the "
               f"five in {edb['year']}** ({edb['qualifiers']}). The trade table ends in "
               f"{trade.year_bounds()[1]}; what it holds on the five's trade with China, all in "
               "US dollars (no euro series is involved):")
    return say.markdown(opening, bullets=bullets + [closing])


def transit_sentence(transit, routes, iso):
    """The stated transit share and the US route aims, and whether they concern the country.

    Parameters
    ----------
    transit : pandas.DataFrame
        :func:`helpers.analysis.trade.transit_claims`.
    routes : pandas.DataFrame
        :func:`helpers.analysis.trade.route_aims`.
    """
    name = countries.name(iso)
    share = transit.iloc[0]
    where = countries.name(share["country"])
    corridor = routes["position"].str.contains("Corridor")
    lead = (f"Transit is {name}'s card in particular: one" if share["country"] == iso else
            f"The seeds give no transit figure for {name}. One")
    return say.markdown(
        f"{lead} seed puts the share of China–Europe goods that cross {where} at "
        f"{share['qualifier']} {share['value']:.0f}% ({share['year']}). The US government's "
        f"stated aims are to promote the 'Central Asia–Caspian–Europe' corridor "
        f"({say.plural(int(corridor.sum()), 'statement')}) and a 'sanction-resistant' logistics "
        f"network ({say.plural(int((~corridor).sum()), 'statement')}).")


def findings(iso, focus_deals, latest, imports, totals):
    """The findings of the notebook for one country, as bullets.

    Parameters
    ----------
    iso : str
        The focus country.
    focus_deals : pandas.DataFrame
        :func:`helpers.analysis.deals.deals_for` of ``iso``.
    latest : pandas.DataFrame
        :func:`helpers.analysis.trade.latest_by_reporter` of the mirror exports.
    imports : pandas.DataFrame
        :func:`helpers.analysis.trade.own_imports` of ``iso`` in the years shown.
    totals : pandas.DataFrame
        :func:`helpers.analysis.deals.reported_totals`.
    """
    name = countries.name(iso)
    own = focus_deals[focus_deals["scope"] == "country"]
    bullets = []
    if own.empty:
        region = int((focus_deals["scope"] == "region").sum())
        bullets.append(f"No 2025 deal in the seeds names {name} alone; it shares in "
                       f"{say.plural(region, 'region-wide deal')}.")
    else:
        single, sets = deals.single_and_sets(own)
        counted = [say.plural(len(single), "deal")] + [_agreements_text(r) for _, r in sets.iterrows()]
        bullet = f"{name} is named in {say.join(counted)}"
        top, largest = _top(single, sets)
        if top is not None:
            bullet += f"; {largest} is {top['value_as_written']} ({words(top['status'])})"
        bullets.append(bullet + ".")
    if not latest.empty:
        top = latest.iloc[0]
        bullets.append(f"Among partners' own reports, {countries.name(top['reporter'])} records "
                       f"the largest imports from {name}: {say.money(top['value_usd_bn'], digits=2)} "
                       f"in {top['year']} ({trade.DATASETS[top['dataset']]}).")
    if not imports.empty:
        last = imports[imports["year"] == imports["year"].max()]
        lead = last.sort_values("value_full", ascending=False).iloc[0]
        bullets.append(f"In {name}'s own figures for {lead['year']}, "
                       f"{countries.name(lead['counterpart'])} is the largest of the three powers "
                       f"as a source of imports ({say.money(lead['value_full'] / 1e9, digits=2)}).")
    else:
        bullets.append(f"{name} has no own-reported trade here: mirror data only.")
    edb, _, last, china = _china_reference(totals)
    bullets.append(f"China's imports from all five in {last} were {say.money(china.sum() / 1e9)} "
                   f"(one direction) against a stated {say.money(edb['value_usd_bn'])} two-way "
                   f"total for {edb['year']} that the seeds disagree is forecast or actual.")
    return say.markdown(bullets=bullets)
