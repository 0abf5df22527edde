"""Charts and sentences of notebook 03 (great-power competition), one call each.

The numbers come from :mod:`helpers.analysis.competition`; every chart ends with
:func:`helpers.nb.style.finish` (title, axis labels with units, source line) and every
sentence is built from computed values with :mod:`helpers.nb.say`.
"""

import pandas as pd

from ... import data
from ...analysis import competition, trade
from ...data import countries
from .. import say, style

#: the event whose differing dates the notebook spells out
SUMMIT = "c5p1_washington_summit_2025"
def year_labels():
    """Labels of :func:`helpers.analysis.competition.balance_by_year` columns (names read
    from the country list when called: importing a module reads no data)."""
    return {
        **{f"{flow}_share_{p.lower()}_pct": f"{flow.capitalize()} "
           f"{'from' if flow == 'imports' else 'to'} {countries.name(p)} (% of the three)"
           for flow in ("imports", "exports") for p in countries.POWERS},
        **{f"exports_to_{p.lower()}_pct_gdp": f"Exports to {countries.name(p)}, as "
           f"{'the ' * (p == 'USA')}{countries.name(p)} reports them (% of GDP)"
           for p in ("CHN", "USA")},
    }


def _plt():
    """pyplot, imported when a chart is drawn (importing helpers must not import pyplot)."""
    import matplotlib.pyplot as plt

    return plt


def _integer_ticks(ax):
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _the(code):
    """A power's name as it reads inside a sentence ("the United States", "China")."""
    return ("the " if code == "USA" else "") + countries.name(code)


def _spoken(date, precision="day"):
    """A date as a reader says it: ``6 November 2025``, ``only the year 2025``."""
    if precision == "day":
        return pd.Timestamp(date).strftime("%-d %B %Y")
    return f"only the year {date}" if precision == "year" else date


def _as_year(date):
    """A ``YYYY[-MM[-DD]]`` date as a fractional year (year-only dates at mid-year)."""
    parts = [int(p) for p in date.split("-")] + [None, None]
    month, day = parts[1] or 7, parts[2] or 15
    return parts[0] + (month - 1) / 12 + (day - 1) / 365


# ---------------------------------------------------------------- charts


def own_split_chart(split, name):
    """Stacked bars: how the country's own-reported imports divide between the three powers.

    Returns the figure, or None (and draws nothing) when ``split`` holds no imports.
    """
    plt = _plt()
    imports = split[split["flow"] == "imports"]
    if imports.empty:
        return None
    wide = imports.pivot(index="year", columns="counterpart",
                         values="share_of_powers_pct").reindex(columns=list(countries.POWERS))
    fig, ax = plt.subplots()
    bottom = pd.Series(0.0, index=wide.index)
    for power, hatch in zip(countries.POWERS, ("", "//", "..")):
        ax.bar(wide.index, wide[power].fillna(0), bottom=bottom, color=style.color(power),
               hatch=hatch, edgecolor="white", label=countries.name(power))
        bottom += wide[power].fillna(0)
    ax.set_ylim(0, 100)
    _integer_ticks(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    return style.finish(ax, title=f"{name}'s imports from the three powers: who supplies what share",
                        source=trade.source_for(*sorted(imports["dataset"].unique())),
                        xlabel="Year", ylabel="Share of imports from the three powers (%)")


def mirror_chart(mirror, name, start_year, end_year):
    """Lines: the country's exports to China and the US as they report them, % of its GDP (log).

    Returns the figure, or None when neither reports in the years.
    """
    plt = _plt()
    if mirror.empty:
        return None
    years = range(start_year, end_year + 1)
    fig, ax = plt.subplots()
    for power in ("CHN", "USA"):
        one = mirror[mirror["counterpart"] == power].set_index("year")["pct_of_gdp"]
        ax.plot(years, one.reindex(years).values, color=style.color(power), marker="o",
                linestyle=style.LINESTYLES[power], label=f"to {countries.name(power)} (as it reports)")
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}"))
    _integer_ticks(ax)
    ax.legend()
    return style.finish(ax, title=f"{name}'s exports to China and the US, as they report them",
                        source=f"{trade.source_for('wto_hs_m_0010')} · {data.citation('wdi')}",
                        xlabel="Year", ylabel=f"% of {name}'s GDP (log scale)")


def volumes_chart(volumes, name):
    """Grouped bars: largest deal, mirror exports and own imports per power, % of the country's GDP."""
    plt = _plt()
    fig, ax = plt.subplots()
    powers, height = list(countries.POWERS), 0.26
    shades = ((1.0, ""), (0.6, ""), (0.35, "//"))
    for k, (measure, (alpha, hatch)) in enumerate(zip(competition.MEASURES, shades)):
        sub = volumes[volumes["measure"] == measure].set_index("power").reindex(powers)
        ys = [i + (k - 1) * height for i in range(len(powers))]
        ax.barh(ys, sub["pct_of_gdp"].fillna(0), height=height, color=style.palette(powers),
                alpha=alpha, hatch=hatch, edgecolor="white")
        for y, (_, row) in zip(ys, sub.iterrows()):
            pct = row["pct_of_gdp"]
            note = "no data" if pd.isna(pct) else f"{pct:.{1 if pct >= 0.1 else 2}f}% ({int(row['year'])})"
            ax.annotate(note, (0 if pd.isna(pct) else pct, y), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=7)
    ax.set_yticks(range(len(powers)), [countries.name(p) for p in powers])
    ax.invert_yaxis()
    ax.set_xlim(0, max(volumes["pct_of_gdp"].max() * 1.35, 1) if len(volumes) else 1)
    ax.grid(axis="y", visible=False)
    keys = [plt.Rectangle((0, 0), 1, 1, facecolor="#555555", alpha=a, hatch=h, edgecolor="white")
            for a, h in shades]
    ax.legend(keys, [m.replace(" (", "\n(") for m in competition.MEASURES.values()],
              loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, title="Bar (shade)")
    datasets = sorted(volumes["dataset"].dropna().unique())
    credit = [data.source_line("deals", "claims")] + ([trade.source_for(*datasets)] if datasets else [])
    return style.finish(ax, title=f"{name}: deals and trade with each power, % of GDP",
                        source=" · ".join([*credit, data.citation("wdi")]),
                        xlabel=f"% of {name}'s GDP (current USD)")


def region_chart(region):
    """Bars: the seeds' region-wide figure for each power, annotated with % of the five's GDP."""
    plt = _plt()
    fig, ax = plt.subplots()
    bars = ax.bar([f"{countries.name(p)}\n{w}" for p, w in zip(region["power"], region["what"])],
                  region["value_usd_bn"], color=style.palette(region["power"]))
    for bar, row in zip(bars, region.itertuples()):
        ax.annotate(f"\\${row.value_usd_bn:.1f}bn ({row.year}, {row.qualifiers})\n"
                    f"= {row.pct_of_c5_gdp:.1f}% of the five's {row.gdp_year} GDP",
                    (bar.get_x() + bar.get_width() / 2, bar.get_height()), xytext=(0, 3),
                    textcoords="offset points", ha="center", fontsize=8)
    ax.set_ylim(0, region["value_usd_bn"].max() * 1.25)
    return style.finish(ax, title="Region-wide figures the seeds give for each power",
                        source=data.source_line("claims", "deals", "wdi"),
                        ylabel="Stated value (US$ bn)")


def timeline_chart(timeline, iso):
    """Dots on a time axis, one row per event; filled where the focus country takes part."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(8, 0.38 * len(timeline) + 1.6))
    rows = timeline.iloc[::-1].reset_index(drop=True)
    x = rows["date"].map(_as_year)
    mine = rows["countries"].map(lambda s: iso in s.split(";"))
    for power in countries.POWERS:
        sel = rows["power"] == power
        ax.scatter(x[sel & mine], rows.index[sel & mine], color=style.color(power), s=60,
                   label=countries.name(power), zorder=3)
        ax.scatter(x[sel & ~mine], rows.index[sel & ~mine], facecolor="white",
                   edgecolor=style.color(power), s=60, zorder=3)
    labels = [f"{t[:52]}{'…' if len(t) > 52 else ''} ({d})" for t, d in zip(rows["title"], rows["date"])]
    ax.set_yticks(rows.index, labels, fontsize=8)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_locator(plt.MultipleLocator(2))
    ax.legend(title=f"Power (hollow: without {countries.name(iso)})", loc="upper center")
    span = f"{timeline['year'].min()}–{timeline['year'].max()}"
    return style.finish(ax, title=f"Great-power engagement with Central Asia in the seeds, {span}",
                        source=data.source_line("events"),
                        xlabel="Year (year-only dates at mid-year)")


def positions_chart(positions):
    """Stacked bars: positions per theme, by the speaker's affiliation."""
    plt = _plt()
    sides = ["USA", "RUS", "CHN", *countries.C5]
    tally = positions.assign(side=positions["country"].where(
        positions["country"].isin(sides), "other/international"))
    tally = tally.groupby(["theme", "side"]).size().unstack(fill_value=0)
    order = [c for c in [*sides, "other/international"] if c in tally]
    tally = tally[order].loc[tally.sum(axis=1).sort_values().index]
    fig, ax = plt.subplots()
    left = pd.Series(0, index=tally.index)
    for side in order:
        other = side == "other/international"
        ax.barh(tally.index.str.replace("_", " "), tally[side], left=left,
                color=style.OTHER if other else style.color(side),
                label=side if other else countries.name(side))
        left += tally[side]
    _integer_ticks(ax)
    ax.grid(axis="y", visible=False)
    ax.legend(title="Speaker's affiliation", loc="lower right")
    return style.finish(ax, title="Positions in the seeds by theme and speaker's affiliation",
                        source=data.source_line("statements"), xlabel="Positions (count)")


# ---------------------------------------------------------------- sentences


def trade_text(split, mirror, shares, share_year, name):
    """How the country balances in its trade: own import leaders, mirror shares, the EU apart."""
    parts = []
    imports = split[split["flow"] == "imports"]
    if imports.empty:
        parts.append(f"{name} does not report its trade by partner in these years, so there is "
                     "no own-reported split; only China's and the US's reports of what they "
                     f"buy from {name} are available.")
    else:
        first, last = leader(imports, imports["year"].min()), leader(imports, imports["year"].max())
        usa = imports.loc[imports["counterpart"] == "USA", "share_of_powers_pct"]
        parts.append(f"In {name}'s own import figures the largest of the three powers was "
                     f"{first} in {imports['year'].min()} and {last} in {imports['year'].max()}; "
                     f"the US share ranged from {usa.min():.1f}% to {usa.max():.1f}%.")
    usd = shares[(shares["basis"] == "mirror") & (shares["currency"] == "USD")].set_index("counterpart")
    if {"CHN", "USA"} <= set(usd.index):
        parts.append(f"In {share_year}, of what China and the US recorded buying from {name}, "
                     f"{usd.loc['CHN', 'share_of_powers_pct']:.1f}% went to China.")
    eu = shares[shares["counterpart"] == "EU27"]
    if len(eu):
        parts.append(f"The EU sold {say.money(eu['value_eur_bn'].iloc[0], currency='€', digits=2)} "
                     f"of goods to {name} in {share_year} (euros, kept apart from the dollar figures).")
    if mirror.empty:
        parts.append(f"Neither China nor the United States reports imports from {name} in these years.")
    return say.markdown(" ".join(parts))


def leader(imports, year):
    """The power with the largest share of own-reported imports in ``year``: ``China (54%)``."""
    row = imports[imports["year"] == year].sort_values("share_of_powers_pct", ascending=False).iloc[0]
    return f"{countries.name(row['counterpart'])} ({row['share_of_powers_pct']:.0f}%)"


def deals_text(volumes, named, name):
    """The largest deal naming the country per power (% of GDP), its region-wide deals, top market."""
    parts = []
    deals = volumes[volumes["measure"] == "largest_deal"]
    if deals.empty:
        parts.append(f"No deal in the seeds names {name} apart from the other four, so only "
                     "trade can be compared country by country.")
    for r in deals.itertuples():
        parts.append(f"The largest deal with {_the(r.power)} naming {name}, {r.source}, is "
                     f"worth {r.pct_of_gdp:.1f}% of its {r.year} GDP.")
    region = named[named["scope"] == "region"]
    if len(region):
        parts.append(f"{name} is also party to {say.plural(len(region), 'region-wide deal')} "
                     "signed or pledged by all five together.")
    mirror = volumes[volumes["measure"] == "exports_mirror"].sort_values("pct_of_gdp", ascending=False)
    if len(mirror):
        top = mirror.iloc[0]
        tail = (f", against {mirror.iloc[1]['pct_of_gdp']:.2f}% to {_the(mirror.iloc[1]['power'])} "
                f"({mirror.iloc[1]['year']})" if len(mirror) > 1 else "")
        parts.append(f"As the powers report it, {name}'s exports to {_the(top['power'])} were "
                     f"{top['pct_of_gdp']:.2f}% of its GDP in {top['year']}{tail}.")
    return say.markdown(" ".join(parts))


def region_text(region):
    """One sentence: the region-wide stated figure per power and its share of the five's GDP."""
    return say.markdown("Region-wide, for scale: " + "; ".join(
        f"{countries.name(r.power)} {say.money(r.value_usd_bn)} ({r.what}, {r.year}), "
        f"{r.pct_of_c5_gdp:.1f}% of the five's combined {r.gdp_year} GDP"
        for r in region.itertuples()) + ".")


def summit_dates(timeline):
    """How the documents date the Washington summit, and the date the timeline keeps."""
    readings = competition.date_readings(SUMMIT)
    kept = timeline.set_index("fact_id").loc[SUMMIT, "date"]
    return say.markdown("The Washington summit is dated " + "; ".join(
        f"{_spoken(r.date, r.date_precision)} in {say.plural(r.documents, 'document')} ({r.sources})"
        for r in readings.itertuples()) + f". The timeline keeps {_spoken(kept)}.")


def engagement_text(timeline, iso, since):
    """Events per power since ``since``, how many the country takes part in, which are bilateral."""
    name = countries.name(iso)
    counts = timeline.groupby("power").size().reindex(list(countries.POWERS), fill_value=0)
    takes_part = timeline["countries"].map(lambda s: iso in s.split(";"))
    mine, others = timeline[takes_part], timeline[~takes_part]
    own = mine[~mine["all_five"]]
    text = (f"Since {since} the seeds record " + say.join(
        f"{say.plural(n, 'engagement event')} for {_the(p)}" for p, n in counts.items())
        + f". {name} takes part in {len(mine)} of the {len(timeline)}; ")
    text += (f"{len(own)} {'is' if len(own) == 1 else 'are'} bilateral: " + "; ".join(
        f"{r.title} ({r.date})" for r in own.itertuples()) + "." if len(own)
        else "none is bilateral: it appears only in region-wide formats.")
    if len(others):
        text += (f" The other {len(others)} involve only " + say.join(
            f"{countries.name(c)} ({n})" for c, n in others["countries"].value_counts().sort_index()
            .items()) + ".")
    return say.markdown(text)


def facts_text(facts, name):
    """How much the seed documents say about the country apart from the other four."""
    if facts.empty:
        return say.markdown(f"The seed documents say nothing about {name} apart from the other "
                            f"four: every event, deal and position that names {name} names all five.")
    counts = facts["kind"].value_counts()
    kinds = [say.plural(int(counts[k]), k) for k in ("event", "deal", "figure", "position") if k in counts]
    return say.markdown(f"The seed documents name {name} apart from the other four in "
                        f"{say.join(kinds)}.")


def positions_text(positions):
    """How many positions, how many from US actors, and the positions on the contest itself."""
    contest = positions[positions["theme"] == "great_power"]
    voices = "; ".join(f"{r.person} ({tables_name(r.country)}): {r.position}"
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


def gaps_text(evidence, name):
    """What the data cannot say for the country: one bullet per kind of evidence it lacks."""
    missing = evidence[~evidence["available"].astype(bool)]
    bullets = [f"No {row.evidence[:1].lower()}{row.evidence[1:]}." for row in missing.itertuples()]
    own = bool(evidence["available"].iloc[0])
    bullets.append(f"{name}'s trade with Russia is known only from {name}'s own figures, never "
                   "from Russia's." if own else f"{name}'s trade with Russia is not in the data "
                   f"at all: Russia does not report here and {name} publishes no figures by partner.")
    bullets.append("Shares compare the powers only within one report, one flow and one currency; "
                   "euro figures are never added to dollar ones.")
    return say.markdown(f"What the data cannot say for {name}:", bullets=bullets)


def findings(timeline, iso, since, region, volumes, split):
    """The findings, as bullets: engagement, region-wide scale, top export market, own split."""
    name = countries.name(iso)
    counts = timeline.groupby("power").size().reindex(list(countries.POWERS), fill_value=0)
    mine = timeline["countries"].map(lambda s: iso in s.split(";")).sum()
    bullets = [f"Engagement since {since} in the seeds: " + ", ".join(
        f"{countries.name(p)} {n}" for p, n in counts.items()) + f" events; {name} is in {mine}."]
    mirror = volumes[volumes["measure"] == "exports_mirror"].sort_values("pct_of_gdp", ascending=False)
    if len(mirror):
        top = mirror.iloc[0]
        bullets.append(f"{name}'s largest export market among the powers, as they report it: "
                       f"{countries.name(top['power'])}, {top['pct_of_gdp']:.2f}% of its GDP "
                       f"({top['year']}).")
    imports = split[split["flow"] == "imports"]
    if len(imports):
        first, last = imports["year"].min(), imports["year"].max()
        bullets.append(f"{name}'s own-reported imports: {leader(imports, first)} led in {first}, "
                       f"{leader(imports, last)} in {last}.")
    else:
        bullets.append(f"{name} has no own-reported trade here; balancing can be read only from "
                       "partners' reports, and Russia's side is missing.")
    bullets.append("Region-wide stated figures: " + "; ".join(
        f"{countries.name(r.power)} {say.money(r.value_usd_bn)} ({r.what}, {r.pct_of_c5_gdp:.1f}% "
        "of the five's GDP)" for r in region.itertuples()) + ".")
    return say.markdown(bullets=bullets)
