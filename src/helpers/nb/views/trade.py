"""Charts and sentences of the trade-flows notebook (02): a country's trade, stated totals, findings.

Numbers come from :mod:`helpers.analysis.trade` and :mod:`helpers.analysis.deals`; charts end
with :func:`helpers.nb.style.finish`; sentences are ``say.markdown(...)`` to display. The
deliverables ledger is in :mod:`helpers.nb.views.deals`, partners over time and EU27 exports
in :mod:`helpers.nb.views.partners`.
"""

from ... import data
from ...analysis import deals, deliverables, sources, trade
from ...data import countries
from .. import say, style
from .partners import LATEST_BEFORE, named, usd

#: the seeds' stated China–Central Asia and Russia–Central Asia trade totals (fact ids)
CHINA_TOTAL, RUSSIA_TOTAL = "china_central_asia_trade_2024", "russia_central_asia_trade_2024"
#: currencies in words
CURRENCIES = {"USD": "US dollars", "EUR": "euros"}
#: how a qualifier reads a stated total
READINGS = {"exact": "an outturn", "forecast": "a forecast", "exceeded": "a floor ('over')"}
#: fewer years than this in which both China and the United States report: no summary ratio
MIN_RATIO_YEARS = 3


def _figure(**kwargs):
    import matplotlib.pyplot as plt  # on first use: importing the module leaves pyplot alone
    return plt.subplots(**kwargs)


def coverage_sentence(cov, iso):
    """What the trade table can and cannot say for one country: who reports which flow.

    Parameters
    ----------
    cov : pandas.DataFrame
        :func:`helpers.analysis.trade.coverage` of ``iso``.
    iso : str
        The focus country.
    """
    name = countries.name(iso)
    own = cov[cov["basis"] == "own"]
    usd = cov[(cov["basis"] == "mirror") & (cov["currency"] == "USD")
              & (cov["flow_reported"] == "imports")]
    partners = say.join(f"{named(r.reporter)} ({trade.DATASETS[r.dataset].split(' ')[0]}"
                        f", {r.year_spans})" for r in usd.itertuples())
    if own.empty:
        text = (f"**{name} publishes no trade by partner in this table.** No share of its "
                f"trade can be computed; its exports are known only as its partners record "
                f"their imports from it: {partners}.")
    else:
        flows = say.join(f"{r.flow} ({trade.DATASETS[r.dataset].split(' ')[0]}, "
                         f"{CURRENCIES.get(r.currency, r.currency)}, {r.year_spans})"
                         for r in own.itertuples())
        text = f"{name} reports its own trade by partner as {flows}."
        if set(own["flow"]) == {"imports"}:
            text += (f" Its exports are known only as its partners record their imports from "
                     f"it: {partners}.")
    reporters = set(data.load("trade")["reporter"])
    missing = say.join(named(p) for p in countries.POWERS if p not in reporters)
    if missing:
        flows = set(own["flow"])
        unknown = (f"{name}'s trade with {missing} is known only from {name}'s own figures"
                   if flows == {"imports", "exports"} else
                   f"{name}'s exports to {missing} are not in it at all" if flows == {"imports"}
                   else f"{name}'s trade with {missing} is not in it at all")
        text += f" {missing[:1].upper()}{missing[1:]} reports nothing in this table, so {unknown}."
    return say.markdown(text)


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
        ax.plot(one.index, one.values, **style.line(reporter), markersize=4,
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
    if len(ratio) < MIN_RATIO_YEARS:
        return say.markdown(
            f"China and the United States both report imports from {name} in only "
            f"{say.plural(len(ratio), 'year')} of {start_year}–{end_year} "
            f"({trade.year_spans(ratio.index)}): too few to compare the two reporters.")
    return say.markdown(
        f"China's reported imports from {name} were a median **{_times(ratio.median())}×** the "
        f"United States' (WTO, US dollars, each as the importer reports) over the "
        f"{say.plural(len(ratio), 'year')} of {start_year}–{end_year} in which both report "
        f"({trade.year_spans(ratio.index)}); the range is {_times(ratio.min())}× to "
        f"{_times(ratio.max())}×.")


def disputed_sentence(totals, claims, disagreements):
    """The stated totals whose documents differ: in value (disputed) or in wording only.

    Parameters
    ----------
    totals : pandas.DataFrame
        :func:`helpers.analysis.deals.reported_totals`.
    claims, disagreements : pandas.DataFrame
        The curated tables.
    """
    names = sources.document_names()
    disputed, wording = [], []
    for row in totals[totals["disputed"] | (totals["wording"] != "")].itertuples():
        subject = deals.names_in(row.subject)
        rows = disagreements[disagreements["fact_id"] == row.fact_id]
        if row.disputed:
            disputed.append(f"{subject} ({say.join(sorted(set(rows['kind'])))})")
            continue
        tense = rows[rows["kind"] == "tense"]
        if len(tense):
            t = tense.iloc[0]
            outlets = "; ".join(deliverables.outlet_label(d, names)
                                for d in sorted({t.document_a, t.document_b}))
            wording.append(
                f"**{subject}**, {say.money(row.value_usd_bn)} for {row.year}, is one figure "
                f"({outlets}): '{t.as_written_a}' and '{t.as_written_b}' differ only in the "
                f"translation's tense; a figure for a year already past when the article was "
                f"written is read as that year's outturn.")
        else:
            wording.append(f"{subject}: the documents agree on the value; they differ only in "
                           f"{say.join(row.wording.split('; '))}.")
    text = " ".join(wording)
    if disputed:
        text = f"The documents disagree on {say.join(disputed)}. " + text
    return say.markdown(text)


def _china_reference(totals):
    """The stated China–Central Asia total, and China's WTO imports from the five."""
    edb = totals.set_index("fact_id").loc[CHINA_TOTAL]
    with_china = trade.latest_with("CHN")
    last = int(with_china.loc[with_china["reporter"] == "CHN", "year"].max())
    return edb, with_china, last, trade.mirror_imports_from(countries.C5, last)


def china_check(totals, iso):
    """What the trade table holds against the stated China–Central Asia total, bullet by bullet.

    Each bullet is one reporter's one flow in its latest year, in US dollars. None is given as
    a share of the stated two-way total: a one-direction, one-reporter figure of an earlier
    year is not a part of it. A country's report keeps what concerns it (its part of China's
    imports, its own figures with China) and the total of the five; the regional overview
    (``iso`` None) lists every reporter.

    Parameters
    ----------
    totals : pandas.DataFrame
        :func:`helpers.analysis.deals.reported_totals`.
    iso : str or None
        The focus country, or None for the regional overview.
    """
    edb, with_china, last, imports = _china_reference(totals)
    stated = edb["value_usd_bn"]
    name = countries.name(iso) if iso else None

    def pct(v, of):
        return say.percent(v / of, 0 if v / of >= 0.1 else 1)

    table = data.load("trade")
    spans = trade.year_spans(table.loc[(table["reporter"] == "CHN")
                                       & table["partner"].isin(countries.C5), "year"])
    bullets = []
    if iso is None:
        pass
    elif iso in imports.index:
        bullets.append(f"**China's imports from {name}** (WTO, as China reports them): "
                       f"{usd(imports[iso] / 1e9)} in {last}, "
                       f"{pct(imports[iso], imports.sum())} of its imports from the five.")
    else:
        bullets.append(f"**China reports no imports from {name} in {last}.**")
    which = ("all five" if len(imports) == len(countries.C5) else
             f"{say.plural(len(imports), 'country', 'countries')} "
             f"({say.join(countries.name(c) for c in imports.index)})")
    bullets.append(
        f"**China's imports from the five, as China reports them** (WTO; {spans}): "
        f"{say.money(imports.sum() / 1e9)} in {last} from {which}: one direction, one "
        f"reporter, the latest available year, before {LATEST_BEFORE}.")
    own = with_china[with_china["basis"] == "own"]
    own = own if iso is None else own[own["reporter"] == iso]
    for r in own.sort_values("reporter", key=lambda s: s != iso, kind="stable").itertuples():
        where = "from" if r.flow_reported == "imports" else "to"
        who = countries.name(r.reporter)
        bullets.append(f"**{who}'s {r.flow_reported} {where} China, in its own figures** "
                       f"({trade.DATASETS[r.dataset]}; {r.year_spans}): "
                       f"{say.money(r.value_usd_bn, digits=2)} in {r.year}.")
    two_way = trade.own_two_way(with_china)
    for r in (two_way if iso is None else two_way[two_way["reporter"] == iso]).itertuples():
        bullets.append(f"{countries.name(r.reporter)}'s own two-way trade with China in {r.year} "
                       "(its exports plus its imports, one reporter, one currency): "
                       f"{say.money(r.value_usd_bn, digits=2)}.")
    putin = totals.set_index("fact_id").loc[RUSSIA_TOTAL]
    russia = bool((table["reporter"] == "RUS").any())
    closing = (f"No series covers {edb['year']} or both directions for all five, so the stated "
               f"total can be scaled, not checked. Russia's 'over "
               f"{say.money(putin['value_usd_bn'], digits=0)}' ({putin['year']}) "
               + ("can be set against Russia's own reports in the table." if russia
                  else "has no counterpart at all: Russia is not a reporter here."))
    outlets = "; ".join(deliverables.outlet_label(d) for d in sorted(set(data.load("claims").loc[
        lambda c: c["fact_id"] == CHINA_TOTAL, "source"])))
    opening = (f"The stated total: **{say.money(stated)} of two-way trade between China and the "
               f"five in {edb['year']}**, one article's figure ({outlets}). The trade table ends "
               f"in {trade.year_bounds()[1]}; what it holds on the five's trade with China, all "
               "in US dollars (no euro series is involved), each one reporter's one flow, so "
               "none is a part of the stated total:")
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
    share = transit.iloc[0]
    where = countries.name(share["country"])
    corridor = routes["position"].str.contains("Corridor")
    outlet = sources.document_names()[share["source"]]
    lead = (f"Transit is {where}'s card in particular: {outlet}" if share["country"] == iso
            else f"{outlet}" if iso is None
            else f"The documents give no transit figure for {countries.name(iso)}. {outlet}")
    names = sources.document_names()
    said = say.join(dict.fromkeys(names[d] for d in routes["source"]))
    own = (routes["voice"] == "outlet").all()
    aims = say.join(a for a, held in (("the 'Central Asia–Caspian–Europe' corridor",
                                       corridor.any()),
                                      ("a 'sanction-resistant' logistics network",
                                       (~corridor).any())) if held)
    return say.markdown(
        f"{lead} puts the share of China–Europe goods that cross {where} at "
        f"{share['qualifier']} {share['value']:.0f}% ({share['year']}). "
        + (f"{said} reports, in its own words, that the United States aims to promote {aims}."
           if own else f"According to {said}, the United States aims to promote {aims}."))




def findings(iso, ledger_rows, shares, rise, totals):
    """The findings of the notebook, as bullets: a country's, or the region's (``iso`` None).

    Parameters
    ----------
    iso : str or None
        The focus country; None for the regional overview.
    ledger_rows : pandas.DataFrame
        :func:`helpers.analysis.deliverables.ledger` of ``iso`` (or of all five).
    shares : pandas.DataFrame
        :func:`helpers.analysis.partners.partner_shares` of ``iso`` (or
        :func:`~helpers.analysis.partners.region_shares`).
    rise : pandas.DataFrame
        :func:`helpers.analysis.trade.eu_rise` of the five.
    totals : pandas.DataFrame
        :func:`helpers.analysis.deals.reported_totals`.
    """
    from ...analysis import partners, deliverables
    from .deals import kinds_list

    bullets = []
    latest = partners.latest_shares(shares)
    for (code, dataset, flow), rep in latest.groupby(["country", "dataset", "flow"], sort=False):
        top = rep.iloc[0]
        of = (f"{top['share_of_total_pct']:.1f}% of its total {flow}" if top["measure"] == "share_of_total"
              else f"{top['share_of_three_pct']:.1f}% of its {flow} "
                   f"{'from' if flow == 'imports' else 'to'} the three powers together")
        bullets.append(f"{named(top['counterpart'])[:1].upper()}{named(top['counterpart'])[1:]} "
                       f"was {countries.name(code)}'s largest partner among the three powers in "
                       f"{int(top['year'])}: {of} ({trade.DATASETS[dataset].split(' ')[0]}, "
                       f"{countries.name(code)}'s own figures"
                       + (f"; the latest available year, before {LATEST_BEFORE}"
                          if int(top["year"]) < LATEST_BEFORE else "") + ").")
    for code in ([iso] if iso else []):
        if shares.empty or (shares["basis"] == "mirror").all():
            bullets.append(f"{countries.name(code)} publishes no trade by partner here: its "
                           "partners' records are the only source, and no share can be given.")
    own = ledger_rows[ledger_rows["scope"] == "country"]
    if len(own):
        where = countries.name(iso) if iso else "one or more of the five (not all)"
        bullets.append(f"The 2025 deliverables naming {where}: "
                       f"{say.join(kinds_list(deliverables.kinds_count(own)))}; none of their "
                       "values is added to another or to trade.")
    else:
        bullets.append(f"No 2025 deliverable names {countries.name(iso)} on its own; only "
                       "region-wide ones name all five together.")
    for r in (rise if iso is None else rise[rise["country"] == iso]).itertuples():
        if r.country in countries.C5 and (iso or r.ratio == rise["ratio"].max()):
            change = (f"were {r.ratio:.1f} times as large in {r.last_year} as in {r.base_year}"
                      if r.ratio >= 1 else f"fell between {r.base_year} and {r.last_year}")
            bullets.append(f"EU27 exports to {countries.name(r.country)} {change} "
                           f"({say.money(r.last_eur_bn, currency='€', digits=2)}, nominal, "
                           "Eurostat)" + ("; whether the goods went on to Russia the data "
                                          "cannot say." if r.ratio > 1 else "."))
    edb, _, last, china = _china_reference(totals)
    bullets.append(f"China's imports from all five in {last} were {say.money(china.sum() / 1e9)} "
                   f"(one direction, as China reports them; the latest available year, before "
                   f"{LATEST_BEFORE}). The documents state {say.money(edb['value_usd_bn'])} of "
                   f"two-way trade for {edb['year']}, a figure no series here can check.")
    return say.markdown(bullets=bullets)
