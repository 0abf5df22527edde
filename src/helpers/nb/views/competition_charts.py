"""Charts of notebook 03 (great-power competition), one call each, for a country or the region.

Every chart is titled, labels its axes with units, ends with :func:`helpers.nb.style.finish`
(source line: publisher and table) and colours each power and country with
:func:`helpers.nb.style.color`. A chart that has nothing to show for a country returns None
and draws nothing. ``iso`` None means the regional overview.
"""

import math

import pandas as pd

from ... import data
from ...analysis import engagement, powers, trade
from ...analysis.sources import outlets
from ...data import countries
from .. import style


def _plt():
    """pyplot, imported when a chart is drawn (importing helpers must not import pyplot)."""
    import matplotlib.pyplot as plt

    return plt


def plain_number(value, _pos=None):
    """A log-axis tick as a plain number: ``0.01``, ``0.5``, ``2``, ``20`` (never ``2×10⁰``).

    >>> [plain_number(v) for v in (0.01, 0.5, 2.0, 20.0, 1000.0)]
    ['0.01', '0.5', '2', '20', '1,000']
    """
    if value <= 0:
        return ""
    places = max(0, -math.floor(math.log10(value) + 1e-9))
    return f"{value:,.{places}f}" if places else f"{value:,.0f}"


def log_axis(ax, axis="y"):
    """A log scale whose ticks read as plain numbers at 1, 2 and 5 of each decade."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    getattr(ax, f"set_{axis}scale")("log")
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    target.set_major_formatter(FuncFormatter(plain_number))
    target.set_minor_formatter(NullFormatter())


def _integer_years(ax):
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def seed_credit(table, files=None):
    """A chart's credit for a curated table: the seed documents by outlet, then the table.

    >>> seed_credit("events").endswith("(news documents), compiled in this collection's events table")
    True
    """
    files = data.load(table)["source"] if files is None else files
    return f"{outlets(files)} (news documents), compiled in this collection's {table} table"


def _gdp_credit():
    return data.citation("wdi")


def own_trade_chart(iso, start_year, end_year):
    """Lines: the share of the country's own-reported imports that comes from each power.

    Shares of all its imports where the report gives a total (Kazakhstan, Kyrgyzstan), else
    of the three powers together (Uzbekistan, said in the axis label). None for the overview
    and for a country that publishes no trade by partner.
    """
    if iso is None:
        return None
    split = powers.own_power_split(iso, start_year, end_year)
    imports = split[split["flow"] == "imports"]
    if imports.empty:
        return None
    plt = _plt()
    of_total = imports["share_of_total_pct"].notna().any()
    column = "share_of_total_pct" if of_total else "share_of_three_pct"
    name = countries.name(iso)
    fig, ax = plt.subplots()
    for power in countries.POWERS:
        one = imports[imports["counterpart"] == power].set_index("year")[column]
        one = one.reindex(range(int(imports["year"].min()), int(imports["year"].max()) + 1))
        ax.plot(one.index, one.values, **style.line(power), label=countries.name(power))
    ax.set_ylim(0, None)
    _integer_years(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    what = "all its imports" if of_total else "its imports from the three powers together"
    return style.finish(ax, title=f"{name}'s imports from each power, as {name} reports them",
                        source=trade.source_for(*sorted(imports["dataset"].unique())),
                        xlabel="Year", ylabel=f"Share of {what} (%)")


def mirror_chart(iso, start_year, end_year):
    """The country's exports to China and the US as those two report them, % of its GDP (log).

    For the overview: the five side by side in the latest year both powers report for all.
    """
    plt = _plt()
    if iso is None:
        return _region_mirror_chart()
    mirror = powers.mirror_exports_gdp(iso, start_year, end_year)
    if mirror.empty:
        return None
    name = countries.name(iso)
    years = range(start_year, end_year + 1)
    fig, ax = plt.subplots()
    for power in ("CHN", "USA"):
        one = mirror[mirror["counterpart"] == power].set_index("year")["pct_of_gdp"]
        ax.plot(years, one.reindex(years).values, **style.line(power),
                label=f"to {_the(power)} (as it reports)")
    log_axis(ax)
    _integer_years(ax)
    ax.legend()
    return style.finish(ax, title=f"{name}'s exports to China and the US, as they report them",
                        source=f"{trade.source_for('wto_hs_m_0010')} · {_gdp_credit()}",
                        xlabel="Year", ylabel=f"% of {name}'s GDP that year (log scale)")


def _region_mirror_chart():
    """Grouped bars: each of the five's exports to China and the US, % of its GDP (log)."""
    plt = _plt()
    region = powers.region_trade()
    mirror = region[region["basis"] == "mirror"]
    year = int(mirror["year"].max())
    fig, ax = plt.subplots()
    width = 0.38
    for k, power in enumerate(("CHN", "USA")):
        one = mirror[mirror["counterpart"] == power].set_index("country").reindex(countries.C5)
        xs = [i + (k - 0.5) * width for i in range(len(countries.C5))]
        ax.bar(xs, one["pct_of_gdp"], width=width, **style.bar(power),
               label=f"to {_the(power)} (as it reports)")
    ax.set_xticks(range(len(countries.C5)), [countries.name(c) for c in countries.C5])
    log_axis(ax)
    ax.grid(axis="x", visible=False)
    ax.legend()
    years = sorted(mirror["year"].unique())
    when = str(year) if len(years) == 1 else trade.year_spans(years)
    return style.finish(ax, title=f"Exports of the five to China and the US, {when}, "
                        "as the two report them",
                        source=f"{trade.source_for('wto_hs_m_0010')} · {_gdp_credit()}",
                        ylabel="% of the exporter's GDP that year (log scale)")


def region_own_chart():
    """Grouped bars: where the countries that report by partner buy, by power (latest year)."""
    plt = _plt()
    region = powers.region_trade()
    own = region[(region["basis"] == "own") & (region["flow"] == "imports")]
    own = own.assign(share=own["share_of_total_pct"].fillna(own["share_of_three_pct"]))
    reporters = list(dict.fromkeys(own["country"]))
    fig, ax = plt.subplots()
    width = 0.26
    for k, power in enumerate(countries.POWERS):
        one = own[own["counterpart"] == power].set_index("country").reindex(reporters)
        xs = [i + (k - 1) * width for i in range(len(reporters))]
        ax.bar(xs, one["share"], width=width, **style.bar(power),
               label=countries.name(power))
    ticks = []
    for c in reporters:
        rows = own[own["country"] == c]
        basis = "of all imports" if rows["share_of_total_pct"].notna().any() else "of the three"
        ticks.append(f"{countries.name(c)}\n{int(rows['year'].iloc[0])}, {basis}")
    ax.set_xticks(range(len(reporters)), ticks)
    ax.grid(axis="x", visible=False)
    ax.legend()
    return style.finish(ax, title="Imports from each power, as the importing country reports them",
                        source=trade.source_for(*sorted(own["dataset"].unique())),
                        ylabel="Share of its imports (%)")


def trade_chart(iso, start_year, end_year):
    """The first trade chart: own-reported shares for a country, the reporters for the region."""
    return region_own_chart() if iso is None else own_trade_chart(iso, start_year, end_year)


def _as_year(date):
    """A ``YYYY[-MM[-DD]]`` date as a fractional year (year-only dates at mid-year).

    >>> round(_as_year("2015"), 2), round(_as_year("2025-11-06"), 2)
    (2015.54, 2025.85)
    """
    parts = [int(p) for p in date.split("-")] + [None, None]
    month, day = parts[1] or 7, parts[2] or 15
    return parts[0] + (month - 1) / 12 + (day - 1) / 365


def timeline_chart(timeline, iso=None):
    """Dots on a time axis, one row per event (each once); filled where the country takes part."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 0.38 * len(timeline) + 1.6))
    rows = timeline.iloc[::-1].reset_index(drop=True)
    x = rows["date"].map(_as_year)
    mine = (rows["countries"].map(lambda s: iso in s.split(";")) if iso
            else pd.Series(True, index=rows.index))
    for power in countries.POWERS:
        sel = rows["power"] == power
        shape = style.MARKERS[power]
        ax.scatter(x[sel & mine], rows.index[sel & mine], color=style.color(power), s=60,
                   marker=shape, label=countries.name(power), zorder=3)
        ax.scatter(x[sel & ~mine], rows.index[sel & ~mine], facecolor="white",
                   edgecolor=style.color(power), s=60, marker=shape, zorder=3)
    labels = [f"{t} ({d})" for t, d in zip(rows["title"], rows["date"])]
    ax.set_yticks(rows.index, labels, fontsize=8)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_locator(plt.MultipleLocator(2))
    title = "Power" + (f" (hollow: {countries.name(iso)} not named)" if iso else "")
    ax.legend(title=title, loc="upper center")
    span = f"{timeline['year'].min()}–{timeline['year'].max()}"
    return style.finish(ax, title=f"Events mentioned in the news texts, {span}",
                        source=seed_credit("events"),
                        xlabel="Year (an event dated by its year alone sits at mid-year)")


def positions_chart(iso=None):
    """Stacked bars: positions per theme, by the speaker's affiliation (the overview only)."""
    if iso is not None:
        return None
    plt = _plt()
    positions = engagement.statements_by_theme()
    sides = ["USA", "RUS", "CHN", *countries.C5]
    tally = positions.assign(side=positions["country"].where(
        positions["country"].isin(sides), "other or none stated"))
    tally = tally.groupby(["theme", "side"]).size().unstack(fill_value=0)
    order = [c for c in [*sides, "other or none stated"] if c in tally]
    tally = tally[order].loc[tally.sum(axis=1).sort_values().index]
    fig, ax = plt.subplots()
    left = pd.Series(0, index=tally.index)
    for side in order:
        other = side == "other or none stated"
        ax.barh(tally.index.str.replace("_", " "), tally[side], left=left,
                **({"facecolor": style.OTHER} if other else style.bar(side)),
                label=side if other else countries.name(side))
        left += tally[side]
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", visible=False)
    ax.legend(title="Speaker's affiliation", loc="lower right")
    return style.finish(ax, title="Positions stated in the documents, by theme and speaker",
                        source=seed_credit("statements"), xlabel="Positions (count)")


def _the(code):
    """A power's name as it reads inside a sentence ("the United States", "China")."""
    return ("the " if code == "USA" else "") + countries.name(code)
