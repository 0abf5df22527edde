"""Where the five Central Asian states rank in USGS's world tables of minerals other than rare earths.

Every number comes from the derived table ``world_minerals`` (USGS Mineral Commodity Summaries
2025, world production and reserves): the series in which one of the five is listed, with every
country of the series, so a rank is computed from the table alone. A rank counts the countries
USGS lists with a figure (1 = largest; ties share the better rank); "other countries" and the
world total are not countries. A share is of USGS's world total; when that total is published as
a lower bound (">2,000,000") the share is an upper bound. Units are USGS's, per series.

Two quirks of the raw table are handled here, not hidden: reserves are ranked only in mine
production series (in the magnesium-metal series the reserves column repeats smelter capacity,
its note says "not a reserve"), and no share is given where USGS's world total is less than half
of what the countries it lists add up to (kaolin 2024: world "4400" thousand t, 2023: 44400).
World totals are rounded, so a total a little below the sum of its parts is kept.
"""

import pandas as pd

from .. import data
from ..data import countries
from ..errors import UnknownValueError

#: the data year of the latest production (USGS estimate) and of reserves in MCS 2025
LATEST_YEAR = 2024
MEASURES = ("production", "reserves")


def positions(year=LATEST_YEAR):
    """Each of the five's rank and share in every world series it is listed in with a figure.

    Parameters
    ----------
    year : int, default 2024
        Data year: production 2023 or 2024 (2024 is a USGS estimate); reserves are 2024 only.

    Returns
    -------
    pandas.DataFrame
        One row per country, commodity, series and measure; columns ``country`` (ISO3),
        ``commodity``, ``series``, ``measure``, ``year``, ``estimated``, ``unit``, ``value``,
        ``rank`` (1 = largest), ``tied_with`` (ISO3 codes, or the name as published, of the
        listed countries with the same figure, ``;``-joined, empty when none), ``listed`` (countries with a figure),
        ``world`` (USGS world
        total, missing when not published as a number or under half the countries' sum),
        ``world_share_pct`` (% of the world total),
        ``share_is_upper_bound`` (the world total is a lower bound), ``raw_lines``.
        Sorted by country name, then rank.

    Examples
    --------
    >>> p = positions()
    >>> tjk = p[(p["country"] == "TJK") & (p["commodity"] == "Antimony")]
    >>> tjk[["measure", "value", "rank", "listed"]].to_numpy().tolist()
    [['production', 17000.0, 2, 15], ['reserves', 50000.0, 11, 13]]
    >>> mg = p[(p["country"] == "KAZ") & (p["commodity"] == "Magnesium metal")]
    >>> mg[["rank", "tied_with"]].to_numpy().tolist()
    [[2, 'BRA;ISR']]
    """
    table = data.load("world_minerals")
    if year not in set(table["year"]):
        raise UnknownValueError("year", year, sorted(set(table["year"])))
    table = table[table["year"] == year]
    rows = []
    for (commodity, series, measure), group in table.groupby(["commodity", "series", "measure"], sort=True):
        if measure == "reserves" and not series.lower().startswith("mine p"):
            continue
        listed = group[(group["row_kind"] == "country") & group["value"].notna()]
        world = group[group["row_kind"] == "world"]
        total = float(world["value"].iloc[0]) if len(world) and world["value"].notna().iloc[0] else None
        lower = bool(len(world)) and world["value_qualifier"].iloc[0] == "greater_than"
        if total is not None and total < listed["value"].sum() / 2:
            total = None  # a world total under half its own parts: a typo, no share
        for row in listed[listed["country"].isin(countries.C5)].itertuples():
            rows.append({
                "country": row.country, "commodity": commodity, "series": series, "measure": measure,
                "year": int(row.year), "estimated": bool(row.estimated), "unit": row.unit,
                "value": float(row.value), "rank": 1 + int((listed["value"] > row.value).sum()),
                "tied_with": ";".join(sorted(
                    listed["country"].fillna(listed["country_as_published"])[
                        (listed["value"] == row.value) & (listed["country"] != row.country)])),
                "listed": len(listed), "world": total,
                "world_share_pct": 100 * row.value / total if total else None,
                "share_is_upper_bound": lower, "raw_lines": row.raw_lines,
            })
    out = pd.DataFrame(rows)
    order = out["country"].map(countries.name)
    return (out.assign(_name=order).sort_values(["_name", "rank", "commodity", "measure"], kind="mergesort")
            .drop(columns="_name").reset_index(drop=True))


def best_positions(table, top=3):
    """The rows of :func:`positions` where a country is among the ``top`` largest.

    Examples
    --------
    >>> best = best_positions(positions())
    >>> sorted(set(best["commodity"]))
    ['Antimony', 'Asbestos', 'Barite', 'Chromium', 'Iodine', 'Magnesium metal', 'Mercury']
    """
    return table[table["rank"] <= top].reset_index(drop=True)


def not_listed():
    """The five states USGS lists in no world series at all (they have no row in the table).

    Examples
    --------
    >>> not_listed()
    []
    """
    present = set(data.load("world_minerals")["country"])
    return [c for c in countries.C5 if c not in present]
