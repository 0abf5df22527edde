"""Notebook 02's partners over time and EU27 exports since 2021: charts, tables, sentences.

Numbers come from :mod:`helpers.analysis.partners` (each partner's share of a country's
trade, of the reporter's total unless labelled "of the three"; mirror values where the
country reports nothing) and :func:`helpers.analysis.trade.eu_rise`. Gaps stay gaps: a
year without a report is drawn as a break in the line and an empty cell in the table.
"""

from ...analysis import partners, trade
from ...data import countries
from .. import say, style, tables

#: flows from the focus country's side, in words
#: a series whose latest year is before this one says so wherever a finding uses it: the
#: 2022 sanctions on Russia changed the region's trade
LATEST_BEFORE = 2022
FLOW_WORDS = {"imports": "imports", "exports": "exports"}


def named(code):
    """A country's name as prose reads it: ``the United States``, ``China``.

    >>> named("USA"), named("CHN")
    ('the United States', 'China')
    """
    return ("the " if code == "USA" else "") + countries.name(code)


def usd(value_bn):
    """US dollars in billions, or in millions below one billion (never "US$0.00 billion").

    >>> usd(8.52), usd(0.0042), usd(0.15)
    ('US$8.52 billion', 'US$4.2 million', 'US$150 million')
    """
    if value_bn >= 1:
        return say.money(value_bn, digits=2)
    millions = value_bn * 1000
    return say.money(millions, unit="million", digits=0 if millions >= 10 else 1)


def _figure(**kwargs):
    import matplotlib.pyplot as plt  # on first use: importing the module leaves pyplot alone
    return plt.subplots(**kwargs)


def _plain_log(ax):
    """A log y axis that reads as plain numbers (0.1, 0.2, 0.5, 1, 2, 5, 10), never 10⁰."""
    import matplotlib.ticker as mticker

    ax.set_yscale("log")
    ax.yaxis.set_major_locator(mticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(mticker.NullFormatter())


def reports(shares):
    """The reports in a :func:`~helpers.analysis.partners.partner_shares` frame, in order.

    Returns
    -------
    list of tuple
        ``(country, basis, dataset, flow)``, the five in their order, own before mirror;
        ``dataset`` is "" for a mirror report (the partners' reports side by side).
    """
    keys = shares[["country", "basis", "dataset", "flow"]].copy()
    keys["dataset"] = keys["dataset"].where(keys["basis"] == "own", "")  # mirror: one panel
    order = {c: i for i, c in enumerate(countries.C5)}
    return sorted(set(map(tuple, keys.values)),
                  key=lambda k: (order[k[0]], k[1] != "own", str(k[2]), k[3]))


def one_report(shares, key):
    """The rows of ``shares`` that make up one of :func:`reports`."""
    country, basis, dataset, flow = key
    keep = ((shares["country"] == country) & (shares["basis"] == basis)
            & (shares["flow"] == flow))
    return shares[keep & (shares["dataset"] == dataset)] if dataset else shares[keep]


def report_title(country, basis, dataset, flow):
    """What one report shows, in words.

    >>> report_title("KAZ", "own", "wto_hs_m_0010", "imports")
    "Kazakhstan's imports, as Kazakhstan reports them (WTO)"
    >>> report_title("TJK", "mirror", "", "exports")
    "Tajikistan's exports, as its partners record their imports from it (mirror data)"
    """
    name = countries.name(country)
    if basis == "own":
        short = trade.DATASETS[dataset].split(" ")[0]
        return f"{name}'s {FLOW_WORDS[flow]}, as {name} reports them ({short})"
    seen = "their imports from it" if flow == "exports" else "their exports to it"
    return f"{name}'s {FLOW_WORDS[flow]}, as its partners record {seen} (mirror data)"


def _measure_label(measure, name, flow):
    return {"share_of_total": f"Share of {name}'s total {flow} (%)",
            "share_of_three": f"Share of the three powers together (%)",
            "mirror_value": "Partner's reported figure (US$ bn, log scale)"}[measure]


def _dataset_tags(one):
    """``reporter -> " (WTO)"``: which dataset holds each partner's mirror report."""
    return {r: f" ({trade.DATASETS[d].split(' ')[0]})" for r, d in
            one.groupby("reporter")["dataset"].first().items()}


def partners_chart(shares):
    """Lines of each partner over the years, one panel per report; gaps left as breaks.

    Own reports: each partner's share of the reporter's total (or of the three powers where
    the report has no total, so labelled); mirror reports: each partner's figure in US$ bn
    on a log scale read as plain numbers. Colours are the house colours per country/power.

    Returns
    -------
    matplotlib.figure.Figure
    """
    keys = reports(shares)
    fig, axes = _figure(nrows=len(keys), figsize=(8, 3.2 * len(keys)), squeeze=False)
    for ax, (country, basis, dataset, flow) in zip(axes[:, 0], keys):
        one = one_report(shares, (country, basis, dataset, flow))
        wide = partners.shares_wide(one).set_index("year")
        wide = wide.reindex(range(int(wide.index.min()), int(wide.index.max()) + 1))
        measure = one["measure"].iloc[0]
        tag = _dataset_tags(one) if measure == "mirror_value" else {}
        greys = iter(["P", "X", "*", "h"])  # partners without a house colour: own markers
        for code in wide.columns:
            look = style.line(code)
            if code not in style.MARKERS:
                look["marker"] = next(greys, "o")
            ax.plot(wide.index, wide[code], markersize=4, **look,
                    label=countries.name(code) + tag.get(code, ""))
        if measure == "mirror_value":
            _plain_log(ax)
        title = report_title(country, basis, dataset, flow)
        ax.set_title(title, fontsize=10)
        ax.set_ylabel(_measure_label(measure, countries.name(country), flow), fontsize=8)
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1),
                  title="Reported by" if measure == "mirror_value" else "Partner")
        ax.xaxis.get_major_locator().set_params(integer=True)
    last = axes[-1, 0]
    if len(keys) > 1:
        where = (countries.name(keys[0][0]) if len({k[0] for k in keys}) == 1 else "the five")
        fig.suptitle(f"Partners of {where} over time (shares of the reporter's total unless "
                     "labelled)", y=1.01)
    return style.finish(last, title=title,
                        source=trade.source_for(*sorted(shares["dataset"].unique())),
                        xlabel="Year")


def partners_tables(shares):
    """One table per report: a row per year, a column per partner; empty where no report.

    Returns
    -------
    list of helpers.nb.tables.Table
    """
    out = []
    for country, basis, dataset, flow in reports(shares):
        one = one_report(shares, (country, basis, dataset, flow))
        measure, name = one["measure"].iloc[0], countries.name(country)
        unit = {"share_of_total": f"% of {name}'s {flow}", "share_of_three": "% of the three",
                "mirror_value": "US$ million"}[measure]
        wide = partners.shares_wide(one)
        if measure == "mirror_value":  # small partners' figures read in millions, not 0.000 bn
            wide = wide.assign(**{c: wide[c] * 1000 for c in wide.columns if c != "year"})
        tag = _dataset_tags(one) if measure == "mirror_value" else {}
        labels = {c: f"{countries.name(c)} ({unit}{tag.get(c, ' ')[1:-1].replace('(', ', ')})"
                  for c in wide.columns if c != "year"}
        digits = 1
        out.append(tables.show(wide, caption=report_title(country, basis, dataset, flow)
                               + ", every year reported", labels=labels,
                               digits={c: digits for c in labels},
                               source=trade.source_for(*sorted(one["dataset"].unique()))))
    return out


def partners_sentences(shares, iso=None):
    """What the shares say for one country (the three powers then and now, or the mirror);
    for the regional overview (``iso`` None) one paragraph per country."""
    if iso is None:
        return say.markdown(*(_paragraph(shares, c) for c in countries.C5
                              if (shares["country"] == c).any()))
    return say.markdown(_paragraph(shares, iso))


def _paragraph(shares, iso):
    """The plain text (not yet escaped) of :func:`partners_sentences` for one country."""
    name = countries.name(iso)
    one = shares[shares["country"] == iso]
    if (one["basis"] == "mirror").all():
        latest = one.sort_values("year").groupby(["dataset", "flow", "reporter"]).tail(1)
        latest = latest[latest["flow"] == "exports"].sort_values("value_usd_bn", ascending=False)
        told = [f"{named(r.reporter)} {usd(r.value_usd_bn)} in {r.year}"
                for r in latest.itertuples()]
        return (f"**{name} publishes no trade by partner in this data**, so no share of its "
                f"trade can be computed. What its partners record importing from it (mirror "
                f"data, latest year each): {say.join(told)}. These are the partners' figures, "
                f"not {name}'s, and they do not add up to its exports.")
    texts = []
    for (dataset, flow), rep in one.groupby(["dataset", "flow"], sort=True):
        latest = partners.latest_shares(rep)
        if latest.empty:
            continue
        year = int(latest["year"].iloc[0])
        col = ("share_of_total_pct" if rep["measure"].iloc[0] == "share_of_total"
               else "share_of_three_pct")
        of = (f"of its total {flow}" if col == "share_of_total_pct"
              else f"of its {flow} from the three together" if flow == "imports"
              else f"of its {flow} to the three together")
        now = [f"{named(r.counterpart)} {r._asdict()[col]:.1f}%" for r in latest.itertuples()]
        first = rep[rep["year"] == rep["year"].min()].set_index("counterpart")[col]
        then = [f"{named(c)} {first[c]:.1f}%" for c in latest["counterpart"] if c in first]
        text = (f"In {name}'s own {trade.DATASETS[dataset].split(' ')[0]} figures for {year}, "
                f"the shares {of} were {say.join(now)}")
        if then and int(rep['year'].min()) != year:
            text += f" (in {int(rep['year'].min())}: {say.join(then)})"
        texts.append(text + ".")
        repeats = partners.repeated_years(trade.partner_series(iso).query(
            "basis == 'own' and dataset == @dataset and flow == @flow"))
        if repeats:
            texts.append(f"The figures for {say.join(repeats)} are the same in the source "
                         f"file, so neither is used and the series starts in "
                         f"{max(repeats) + 1}.")
        if year < LATEST_BEFORE:
            texts.append(f"{year} is the latest available year of this report, before "
                         f"{LATEST_BEFORE}.")
        if col == "share_of_three_pct":
            texts.append(f"The {trade.DATASETS[dataset]} table gives no total of "
                         f"{name}'s {flow}, so these are shares of the three powers together, "
                         "not of all its trade.")
    return " ".join(texts)


def eu_chart(eu, rise):
    """EU27 exports to each of the five by year, € bn on a log scale; Russia for comparison.

    Parameters
    ----------
    eu : pandas.DataFrame
        :func:`helpers.analysis.trade.eu_exports` of the five (and Russia, drawn dashed).
    rise : pandas.DataFrame
        :func:`helpers.analysis.trade.eu_rise` (its base year is marked).
    """
    fig, ax = _figure(figsize=(8, 4.5))
    for code, one in eu.groupby("country", sort=False):
        one = one.set_index("year")["value_eur_bn"]
        one = one.reindex(range(int(one.index.min()), int(one.index.max()) + 1))
        other = code not in countries.C5
        look = {**style.line(code), "linestyle": ":"} if other else style.line(code)
        ax.plot(one.index, one.values, markersize=4, **look, linewidth=1 if other else 1.8,
                label=countries.name(code) + (" (for comparison)" if other else ""))
    base = int(rise["base_year"].iloc[0])
    ax.axvline(base, color="#777777", linewidth=0.8, linestyle="--")
    _plain_log(ax)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return style.finish(ax, title=f"EU27 exports to Central Asia, {int(eu['year'].min())}–"
                        f"{int(eu['year'].max())} (dashed line: {base})",
                        source=trade.source_for("eurostat_comext"), xlabel="Year",
                        ylabel="EU27 exports (€ bn, nominal, log scale)")


def eu_table(rise):
    """The rise as a table: base-year and latest exports (€ bn) and how many times larger."""
    base, last = int(rise["base_year"].iloc[0]), int(rise["last_year"].max())
    return tables.show(rise[["country", "base_eur_bn", "last_eur_bn", "ratio"]],
                       labels={"base_eur_bn": f"{base} (€ bn)", "last_eur_bn": f"{last} (€ bn)",
                               "ratio": f"{last} as a multiple of {base} (×)"},
                       digits={"base_eur_bn": 2, "last_eur_bn": 2, "ratio": 1},
                       caption=f"EU27 exports to each of the five, {base} and {last}, nominal "
                               "euros as the EU reports them",
                       source=trade.source_for("eurostat_comext"))


def eu_sentences(rise, iso=None):
    """What the EU27 figures show for a country (or the five), and what they cannot show."""
    five = rise[rise["country"].isin(countries.C5)]
    rows = five if iso is None else five[five["country"] == iso]
    said = [f"to {countries.name(r.country)} {'rose' if r.ratio > 1 else 'fell'} from "
            f"{say.money(r.base_eur_bn, currency='€', digits=2)} in {r.base_year} to "
            f"{say.money(r.last_eur_bn, currency='€', digits=2)} in {r.last_year} "
            f"({r.ratio:.1f}×)" for r in rows.itertuples()]
    russia = rise[rise["country"] == "RUS"]
    text = f"As Eurostat reports them, EU27 exports {'; '.join(said)}."
    if len(russia):
        r = russia.iloc[0]
        text += (f" Over the same years EU27 exports to Russia went from "
                 f"{say.money(r.base_eur_bn, currency='€', digits=1)} to "
                 f"{say.money(r.last_eur_bn, currency='€', digits=1)}.")
    rose = (rows["ratio"] > 1).any()
    cannot = ("What the data cannot show: "
              + ("whether these goods stayed in Central Asia or went on to Russia (the table "
                 "has no re-export or transit series, and no goods breakdown); how much of the "
                 "rise is prices" if rose else "how much of the change is prices")
              + " (the euros are nominal, not adjusted for inflation or exchange rates); and "
              "the other direction (the EU's imports from the five are not in this table).")
    return say.markdown(text, cannot)
