"""Notebook 01's unit check of the Karaganda claim and the five's other critical minerals.

Numbers come from :mod:`helpers.analysis.mineral_claims` (:func:`~helpers.analysis.mineral_claims.unit_readings`,
oxide/metal factors from IUPAC CIAAW atomic weights) and :mod:`helpers.analysis.world_minerals`
(USGS MCS 2025 world production and reserves). Sentences return :func:`helpers.nb.say.markdown`,
charts the figure from :func:`helpers.nb.style.finish`.
"""

from ... import data
from ...analysis import mineral_claims, world_minerals
from ...data import countries
from .. import say, style


def units_finding(tonnes, as_written):
    """What the claim's rank would be if it were reserves, under each reading of its unit.

    A sensitivity check, not a verdict: the figure is a ministry's preliminary estimate
    (relayed through a machine translation), and "tons of rare earth metals" may loosely mean
    tonnes of ore or of a mineral resource, in which case no reading ranks it among reserves.

    Parameters
    ----------
    tonnes : float
        The claimed size (tonnes), as stated.
    as_written : str
        The documents' words for it ("more than 20 million tons").

    Returns
    -------
    IPython.display.Markdown
    """
    r = mineral_claims.unit_readings(tonnes).set_index("reading")
    oxide, low, high = r.iloc[0], r.iloc[1], r.iloc[2]
    eds = [c.removeprefix("rank_") for c in r.columns if c.startswith("rank_")]
    third = [e for e in eds if oxide[f"rank_{e}"] == 3 and all(row[f"rank_{e}"] != 3 for row in (low, high))]

    def ranks(row):
        values = {row[f"rank_{e}"] for e in eds}
        if len(values) == 1:
            return f"rank {values.pop()} under both USGS editions"
        return ", ".join(f"rank {row[f'rank_{e}']} under MCS {e}" for e in eds)

    metal = (ranks(low) if ranks(low) == ranks(high)
             else f"{ranks(low)} at the lowest factor and {ranks(high)} at the highest")
    return say.markdown(
        f"**Finding (units, if it were reserves).** The documents write '{as_written} of rare "
        "earth metals', a ministry's preliminary estimate that still needs verification, relayed "
        "through a machine translation. The words may be loose: the tonnage may be of ore or of a "
        "mineral resource, which USGS does not rank at all, since its reserves are tonnes of "
        "rare-earth oxide that can be extracted economically now. Only as a sensitivity check, if "
        "the figure were reserves: read as oxide, at face value, it would take "
        f"{ranks(oxide)}; read as metal (oxide weighs {low['factor']:.3f} times ({low['oxide']}) "
        f"to {high['factor']:.3f} times ({high['oxide']}) the metal in it, from IUPAC CIAAW "
        f"standard atomic weights), it would be {low['reo_mt']:.1f} to {high['reo_mt']:.1f} "
        f"million tonnes of oxide and take {metal}"
        + (f". 'Third after China and Brazil' matches only the oxide reading, in MCS {say.join(third)}."
           if third else "."))


def positions_table(table):
    """The five's positions shaped for :func:`helpers.nb.tables.show`: names, words, no ids.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`helpers.analysis.world_minerals.positions`.

    Returns
    -------
    pandas.DataFrame
    """
    out = table.assign(rank_of=[f"{r} of {n}{_tie(t)}" for r, n, t in
                                zip(table["rank"], table["listed"], table["tied_with"])],
                       world_share_pct=table["world_share_pct"].astype(object).where(table["world_share_pct"].notna(), "not given"))
    return out[["country", "commodity", "series", "measure", "value", "unit", "rank_of", "world_share_pct"]]


def positions_chart(table, top=5, ax=None):
    """Each of the five's best world ranks (production and reserves), one dot per mineral.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`helpers.analysis.world_minerals.positions`; rows with rank above ``top`` are left out.
    top : int, default 5
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    rows = table[table["rank"] <= top].reset_index(drop=True)
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(8, 0.45 * len(rows) + 1.5))
    labels = []
    for y, row in enumerate(rows.itertuples()):
        ax.scatter(row.rank, y, s=80, color=style.color(row.country),
                   marker=style.MARKERS.get(row.country, "o"),
                   facecolor=style.color(row.country) if row.measure == "production" else "white",
                   edgecolor=style.color(row.country), linewidth=2, zorder=3)
        labels.append(f"{countries.name(row.country)}: {row.commodity.lower()}, {row.measure}")
    ax.set_yticks(range(len(rows)), labels)
    ax.invert_yaxis()
    ax.set_xticks(range(1, top + 1))
    ax.set_xlim(0.5, top + 0.5)
    ax.grid(axis="y", visible=False)
    return style.finish(
        ax, title=f"Where the five rank among the world's top {top} (filled: production "
                  f"{say.join(sorted({str(y) for y in rows.loc[rows['measure'] == 'production', 'year']}))}; open: reserves)",
        source=data.citation("world_minerals"), xlabel="World rank (1 = largest)")


def _editions():
    """The MCS edition(s) of the world series, as words (``"2025"``), from the data."""
    return sorted({str(e) for e in data.load("world_minerals")["edition"]})


def _tie(codes):
    """`` (tied with Brazil and Israel)`` for a ``;``-joined list of codes; empty when none."""
    if not isinstance(codes, str) or not codes:
        return ""
    names = [countries.name(c) if c in {r["iso3"] for r in countries.table()} else c
             for c in codes.split(";")]
    return f" (tied with {say.join(names)})"


def positions_finding(table):
    """The five's leading world positions outside rare earths, in sentences.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`helpers.analysis.world_minerals.positions`.

    Returns
    -------
    IPython.display.Markdown
    """
    best = world_minerals.best_positions(table, top=3)
    bullets = []
    for row in best.itertuples():
        share = ("" if row.world_share_pct is None or row.world_share_pct != row.world_share_pct
                 else f", {'at most ' if row.share_is_upper_bound else ''}{say.percent(row.world_share_pct / 100)} of the world")
        est = " (USGS estimate)" if row.estimated else ""
        tied = _tie(row.tied_with)
        bullets.append(f"{countries.name(row.country)}: {row.commodity.lower()} {row.measure} "
                       f"{row.year}{est}, rank {row.rank} of {row.listed}{tied}{share}")
    absent = [countries.name(c) for c in countries.C5 if c not in set(best["country"])]
    return say.markdown(
        f"**Finding.** Outside rare earths, USGS's {say.join(_editions())} world tables put the five among the top three "
        f"in {say.plural(len(best), 'series', 'series')}"
        + (f"; {say.join(absent)} in none" if absent else "") + ":",
        bullets=bullets)
