"""A Central Asian country's partners over time: each partner's share of the country's trade.

A share is always of the **reporter's total** in the ``trade`` table (its partner ``WLD`` row
of the same dataset, flow, currency and year), never of the sum of the powers. Where a report
has no total (Uzstat's partner table as staged holds no ``WLD`` row), the three powers' shares
are given **of the three together** and the column says so (``share_of_three_pct``). Where the
country reports nothing itself (Tajikistan, Turkmenistan), there is no share at all: the
partners' own reports of their imports from it (mirror data) are given as values, labelled
``mirror``. Years without a report stay absent: a gap is never filled. A report whose figures
for one year repeat another year's (Kyrgyzstan's WTO imports: 1999 and 2001 are the same file)
is used only from the year after the last repeat (:func:`repeated_years`).
"""

import numpy as np
import pandas as pd

from ..data import countries
from .trade import coverage, partner_series

POWERS = countries.POWERS
#: columns of :func:`partner_shares`
SHARE_COLUMNS = ["country", "basis", "dataset", "reporter", "flow", "currency", "counterpart",
                 "year", "value_usd_bn", "total_usd_bn", "share_of_total_pct",
                 "share_of_three_pct", "measure"]
#: what a row's number is: share of the reporter's total, of the three powers, or a value
MEASURES = ("share_of_total", "share_of_three", "mirror_value")


def _others(report, n):
    """The ``n`` largest partners besides the powers in a report's latest year (not totals)."""
    if n <= 0:
        return []
    named = report[~report["counterpart"].isin([*POWERS, "WLD", "OTH", "EU27"])]
    if named.empty:
        return []
    last = named[named["year"] == named["year"].max()]
    return last.sort_values(["value_full", "counterpart"], ascending=[False, True])[
        "counterpart"].head(n).tolist()


def repeated_years(report, min_partners=5):
    """Years of one report whose partner figures repeat another year's (a copied year).

    Two years repeat when they share at least ``min_partners`` partners and every shared
    figure agrees to within one unit of the report (rounding). Neither copy can be trusted:
    both are returned.

    Parameters
    ----------
    report : pandas.DataFrame
        Rows of one reporter, dataset and flow (``year``, ``counterpart``, ``value_full``).

    Returns
    -------
    list of int
        The repeated years, sorted ([] if none).

    >>> from .trade import partner_series
    >>> kgz = partner_series("KGZ")
    >>> repeated_years(kgz[kgz["basis"] == "own"])
    [1999, 2001]
    >>> repeated_years(partner_series("KAZ").query("basis == 'own'"))
    []
    """
    wide = report.pivot_table(index="year", columns="counterpart", values="value_full",
                              aggfunc="first")
    years = list(wide.index)
    found = set()
    for i, a in enumerate(years):
        for b in years[i + 1:]:
            both = wide.loc[[a, b]].dropna(axis=1)
            if both.shape[1] >= min_partners and np.allclose(
                    both.iloc[0], both.iloc[1], rtol=1e-6, atol=1.5):
                found |= {int(a), int(b)}
    return sorted(found)


def partner_shares(country, start_year=None, end_year=None, *, others=2, trade=None):
    """Each partner's share of the focus country's trade, every year the data covers.

    Parameters
    ----------
    country : str
        The focus country (ISO3 code, name or alias).
    start_year, end_year : int, optional
        Keep only these years (inclusive); default every year of the data.
    others : int
        How many partners besides the three powers to keep from each own report with a total
        (the largest in the report's latest year, e.g. Korea or Türkiye); default 2.
    trade : pandas.DataFrame, optional
        The ``trade`` table (default: loaded).

    Returns
    -------
    pandas.DataFrame
        :data:`SHARE_COLUMNS`, one row per report, partner and year with a figure.

        * ``basis == "own"`` (the country reports: Kazakhstan's and Kyrgyzstan's WTO imports,
          Uzbekistan's Uzstat imports and exports): ``value_usd_bn`` the partner's figure;
          ``total_usd_bn`` the reporter's total for that flow and year (its ``WLD`` row);
          ``share_of_total_pct`` = value / total; ``share_of_three_pct`` (powers only) =
          value / the three powers in the same report and year, given only when the report
          has no total (``measure`` says which share is the headline). Years up to the last
          repeated year of the report (:func:`repeated_years`) are left out.
        * ``basis == "mirror"`` (only for a country that reports nothing itself): each
          partner's USD report of its imports from the country (``reporter`` the partner,
          ``flow`` the country's exports, whichever dataset holds the partner: WTO or
          Uzstat); no share, ``measure == "mirror_value"``.

    >>> s = partner_shares("KAZ", 2019, 2019).set_index("counterpart")
    >>> round(float(s.loc["RUS", "share_of_total_pct"]), 1), s.loc["RUS", "measure"]
    (36.5, 'share_of_total')
    >>> int(partner_shares("KGZ")["year"].min())
    2002
    >>> sorted(set(partner_shares("TKM")["measure"]))
    ['mirror_value']
    """
    country = countries.focus(country)
    series = partner_series(country, start_year, end_year, trade=trade)
    series = series[series["currency"] == "USD"]
    own = series[series["basis"] == "own"]
    blocks = []
    for (dataset, flow), report in own.groupby(["dataset", "flow"], sort=True):
        repeats = repeated_years(partner_series(country, trade=trade).query(
            "basis == 'own' and dataset == @dataset and flow == @flow"))
        report = report[report["year"] > max(repeats)] if repeats else report
        totals = report[report["counterpart"] == "WLD"].set_index("year")["value_full"]
        keep = [*POWERS, *_others(report, others if len(totals) else 0)]
        rows = report[report["counterpart"].isin(keep)].copy()
        rows["total_full"] = rows["year"].map(totals)
        three = rows[rows["counterpart"].isin(POWERS)].groupby("year")["value_full"].sum()
        rows["share_of_total_pct"] = 100 * rows["value_full"] / rows["total_full"]
        rows["share_of_three_pct"] = (100 * rows["value_full"] / rows["year"].map(three)).where(
            rows["counterpart"].isin(POWERS) & rows["total_full"].isna())
        rows["measure"] = "share_of_total" if len(totals) else "share_of_three"
        blocks.append(rows)
    if not blocks:
        mirror = series[(series["basis"] == "mirror") & (series["flow"] == "exports")
                        & (series["value_full"] > 0)].copy()
        mirror["total_full"] = float("nan")
        mirror["share_of_total_pct"] = mirror["share_of_three_pct"] = float("nan")
        mirror["measure"] = "mirror_value"
        blocks.append(mirror)
    out = pd.concat(blocks, ignore_index=True)
    out["value_usd_bn"] = out["value_full"] / 1e9
    out["total_usd_bn"] = out["total_full"] / 1e9
    order = {p: i for i, p in enumerate(POWERS)}
    out = out.assign(_o=out["counterpart"].map(lambda c: order.get(c, len(order))))
    return out.sort_values(["basis", "dataset", "flow", "_o", "counterpart", "year"],
                           ignore_index=True)[SHARE_COLUMNS]


def region_shares(start_year=None, end_year=None, *, others=2, trade=None):
    """:func:`partner_shares` for each of the five, one frame (the regional overview).

    >>> r = region_shares()
    >>> r.groupby("country")["basis"].first().to_dict()
    {'KAZ': 'own', 'KGZ': 'own', 'TJK': 'mirror', 'TKM': 'mirror', 'UZB': 'own'}
    """
    frames = [partner_shares(c, start_year, end_year, others=others, trade=trade)
              for c in countries.C5]
    return pd.concat([f for f in frames if len(f)], ignore_index=True)


def shares_wide(shares):
    """One report of :func:`partner_shares` as a table: a row per year, a column per partner.

    Parameters
    ----------
    shares : pandas.DataFrame
        Rows of :func:`partner_shares` of one country, dataset, flow and basis.

    Returns
    -------
    pandas.DataFrame
        ``year`` then one column per partner (ISO3, the powers first) holding the headline
        number of ``measure``: share of the total (%), share of the three (%) or the mirror
        value (US$ bn). A year a partner has no figure for is empty (NaN), never filled.

    >>> w = shares_wide(partner_shares("KAZ", 2019, 2019))
    >>> list(w.columns)[:4], round(float(w["CHN"].iloc[0]), 1)
    (['year', 'USA', 'CHN', 'RUS'], 16.1)
    """
    measure = shares["measure"].iloc[0]
    column = {"share_of_total": "share_of_total_pct", "share_of_three": "share_of_three_pct",
              "mirror_value": "value_usd_bn"}[measure]
    key = "reporter" if measure == "mirror_value" else "counterpart"
    rows = shares.dropna(subset=[column])
    order = list(dict.fromkeys(rows[key]))
    wide = rows.pivot_table(index="year", columns=key, values=column, aggfunc="first")
    wide = wide.reindex(columns=sorted(order, key=lambda c: (c not in POWERS, order.index(c))))
    return wide.rename_axis(columns=None).reset_index().astype({"year": "int64"})


def latest_shares(shares):
    """Each report's latest year with all three powers: their headline numbers, in order.

    Returns
    -------
    pandas.DataFrame
        ``country, dataset, flow, measure, year, counterpart, value_usd_bn,
        share_of_total_pct, share_of_three_pct`` for the own reports (largest first within a
        report); mirror-only rows are left out (they have no share).

    >>> l = latest_shares(partner_shares("KGZ"))
    >>> l[["year", "counterpart"]].values.tolist()[0]
    [2019, 'CHN']
    """
    own = shares[(shares["basis"] == "own") & shares["counterpart"].isin(POWERS)]
    blocks = []
    for _, report in own.groupby(["country", "dataset", "flow"], sort=True):
        years = [y for y, g in report.groupby("year") if set(g["counterpart"]) >= set(POWERS)]
        if years:
            blocks.append(report[report["year"] == max(years)].sort_values(
                "value_usd_bn", ascending=False))
    cols = ["country", "dataset", "flow", "measure", "year", "counterpart", "value_usd_bn",
            "share_of_total_pct", "share_of_three_pct"]
    if not blocks:
        return pd.DataFrame(columns=cols)
    return pd.concat(blocks, ignore_index=True)[cols]


def region_coverage(*, trade=None):
    """:func:`helpers.analysis.trade.coverage` of each of the five, one frame (``country`` first).

    >>> c = region_coverage()
    >>> sorted(c.loc[c["basis"] == "own", "country"].unique())
    ['KAZ', 'KGZ', 'UZB']
    """
    frames = [coverage(c, trade=trade).assign(country=c) for c in countries.C5]
    out = pd.concat(frames, ignore_index=True)
    return out[["country", *[c for c in out.columns if c != "country"]]]
