"""Rare earths by USGS edition, and a claimed deposit held against the world table.

Every number comes from the derived table ``rare_earths`` (USGS Mineral Commodity Summaries
2024 and 2025, metric tons of rare-earth-oxide equivalent, "t REO"). An edition's reserves refer
to the year before it (MCS 2025: reserves 2024) and its latest mine production to the same year.
Countries USGS does not list (Kazakhstan among them) have no reserves in the table; a claimed
deposit is added by :func:`rank_with_deposit`, never written into the table. What the seed
documents claim about minerals is in :mod:`helpers.analysis.mineral_claims`.
"""

import numbers
from dataclasses import dataclass

import pandas as pd

from .. import data
from ..data import countries
from ..errors import ParameterError, UnknownValueError

#: the USGS Mineral Commodity Summaries editions in ``rare_earths``
EDITIONS = (2024, 2025)
#: rows that are not countries: world total and "other countries"
AGGREGATES = ("WLD", "OTH")
MEASURES = ("reserves", "mine_production")


def _check(edition=None, measure=None):
    if edition is not None and edition not in EDITIONS:
        raise UnknownValueError("edition", edition, EDITIONS)
    if measure is not None and measure not in MEASURES:
        raise UnknownValueError("measure", measure, MEASURES)


def _name(code):
    try:
        return countries.name(code)
    except UnknownValueError:
        return code


def latest_year(edition, measure):
    """The latest data year of ``measure`` in an edition (reserves and production: edition - 1).

    >>> latest_year(2025, "reserves"), latest_year(2024, "mine_production")
    (2024, 2023)
    """
    _check(edition, measure)
    table = data.load("rare_earths")
    rows = table[(table["edition"] == edition) & (table["measure"] == measure)]
    return int(rows["year"].max())


def reserves_table(edition):
    """Reserves and latest mine production of every listed country in one edition.

    Parameters
    ----------
    edition : int
        USGS MCS edition, 2024 or 2025.

    Returns
    -------
    pandas.DataFrame
        Indexed by ISO3 ``country``; columns ``name``, ``reserves_t`` and ``production_t``
        (t REO; missing where USGS prints NA or nothing), ``reserves_rank`` (1 = largest;
        countries without reserves have none). Sorted by reserves, then production, largest
        first. World total and "other countries" are left out (see :func:`world_total`).

    Examples
    --------
    >>> top = reserves_table(2025).head(3)
    >>> list(top.index), top["reserves_t"].tolist()
    (['CHN', 'BRA', 'IND'], [44000000.0, 21000000.0, 6900000.0])
    """
    _check(edition)
    table = data.load("rare_earths")
    rows = table[(table["edition"] == edition) & ~table["country"].isin(AGGREGATES)]
    out = pd.DataFrame(index=pd.Index(sorted(rows["country"].unique()), name="country"))
    out["name"] = [_name(c) for c in out.index]
    for measure, column in (("reserves", "reserves_t"), ("mine_production", "production_t")):
        year = latest_year(edition, measure)
        sel = rows[(rows["measure"] == measure) & (rows["year"] == year)]
        out[column] = sel.set_index("country")["value_t"].reindex(out.index)
    out = out.sort_values(["reserves_t", "production_t", "name"], ascending=[False, False, True],
                          na_position="last", kind="mergesort")
    out["reserves_rank"] = out["reserves_t"].rank(method="min", ascending=False).astype("Int64")
    return out


@dataclass(frozen=True)
class WorldTotal:
    """A world total from USGS; ``lower_bound`` is True when published as '>value'."""

    value_t: float
    lower_bound: bool


def world_total(measure, edition, year=None):
    """The world total of ``measure`` in an edition (default: its latest year).

    >>> world_total("reserves", 2025)
    WorldTotal(value_t=90000000.0, lower_bound=True)
    >>> world_total("mine_production", 2025, 2024).value_t
    390000.0
    """
    _check(edition, measure)
    year = latest_year(edition, measure) if year is None else year
    table = data.load("rare_earths")
    row = table[(table["edition"] == edition) & (table["measure"] == measure)
                & (table["year"] == year) & (table["country"] == "WLD")]
    if row.empty:
        raise UnknownValueError("year", year, sorted(table[(table["edition"] == edition)
                                                           & (table["measure"] == measure)]["year"].unique()))
    row = row.iloc[0]
    return WorldTotal(float(row["value_t"]), row["value_qualifier"] == "greater_than")


def share_of(country, measure, edition, year=None):
    """A country's share (0–1) of the USGS world total of ``measure``.

    When the world total is a lower bound (MCS 2025 reserves: '>90 Mt') the share is an
    upper bound; check :func:`world_total`.

    Parameters
    ----------
    country : str
        ISO3 code listed in the edition.
    measure : {'reserves', 'mine_production'}
    edition : int
    year : int, optional
        Data year; default the edition's latest.

    Examples
    --------
    >>> round(share_of("CHN", "mine_production", 2025), 3)
    0.692
    >>> round(share_of("CHN", "reserves", 2024), 2)
    0.4
    """
    _check(edition, measure)
    year = latest_year(edition, measure) if year is None else year
    table = data.load("rare_earths")
    rows = table[(table["edition"] == edition) & (table["measure"] == measure) & (table["year"] == year)]
    values = rows.set_index("country")["value_t"]
    if country not in values.index:
        listed = sorted(c for c in values.index if c not in AGGREGATES)
        raise UnknownValueError("country", country, listed)
    return float(values[country] / world_total(measure, edition, year).value_t)


def edition_revisions(measure="reserves"):
    """How MCS 2025 revised MCS 2024, country by country.

    Reserves: each edition's own reserves (2023 in MCS 2024, 2024 in MCS 2025). Mine
    production: the one year both editions report (2023), so a change is a revision of the
    same year's figure.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``country`` (aggregates excluded); columns ``name``, ``t_2024``,
        ``t_2025`` (t REO), ``change_t`` and ``change_pct`` (2025 vs 2024; missing when
        either value is missing or 2024 is 0). Sorted by the size of the change, largest first.

    Examples
    --------
    >>> rev = edition_revisions()
    >>> rev.loc[["VNM", "RUS"], ["t_2024", "t_2025"]].to_numpy().tolist()
    [[22000000.0, 3500000.0], [10000000.0, 3800000.0]]
    """
    _check(measure=measure)
    table = data.load("rare_earths")
    table = table[(table["measure"] == measure) & ~table["country"].isin(AGGREGATES)]
    cols = {}
    for edition in EDITIONS:
        year = (latest_year(edition, measure) if measure == "reserves"
                else min(latest_year(e, measure) for e in EDITIONS))
        sel = table[(table["edition"] == edition) & (table["year"] == year)]
        cols[f"t_{edition}"] = sel.set_index("country")["value_t"]
    out = pd.DataFrame(cols)
    out.index.name = "country"
    out.insert(0, "name", [_name(c) for c in out.index])
    out["change_t"] = out["t_2025"] - out["t_2024"]
    base = out["t_2024"].where(out["t_2024"] != 0)
    out["change_pct"] = 100 * out["change_t"] / base
    out = out.assign(_size=out["change_t"].abs()).sort_values(
        ["_size", "name"], ascending=[False, True], na_position="last", kind="mergesort")
    return out.drop(columns="_size")


@dataclass(frozen=True)
class DepositRank:
    """Where a country would rank in reserves if a claimed deposit were counted.

    Attributes
    ----------
    country : str
        ISO3 code of the country holding the deposit.
    tonnes : float
        Tonnes counted (claimed tonnes x confirmed share, plus any reserves USGS lists).
    rank : int
        1 = largest; ties share the better rank.
    above : tuple or None
        ``(code, tonnes)`` of the next larger country, None at rank 1.
    below : tuple or None
        ``(code, tonnes)`` of the next smaller country, None at the bottom.
    ranking : pandas.DataFrame
        The edition's reserves with the country's counted tonnes, largest first
        (columns ``name``, ``reserves_t``, ``reserves_rank``, ``candidate``).
    """

    country: str
    tonnes: float
    rank: int
    above: tuple | None
    below: tuple | None
    ranking: pd.DataFrame


def _listed(table, country):
    """Reserves ``table`` (from :func:`reserves_table`) lists for ``country``; 0 if none or NA."""
    listed = table["reserves_t"].get(country)
    return 0.0 if listed is None or pd.isna(listed) else float(listed)


def _check_tonnes(tonnes):
    """``tonnes`` as a float; refuse anything but a positive, finite number of tonnes."""
    try:
        value = float(tonnes)
    except (TypeError, ValueError):
        raise ParameterError(f"tonnes must be a number, got {tonnes!r}") from None
    if not 0 < value < float("inf"):
        raise ParameterError(f"tonnes must be a positive, finite number, got {tonnes!r}")
    return value


def _check_share(share):
    """Refuse a confirmed share outside 0–1 (or not a number)."""
    try:
        ok = 0 <= float(share) <= 1
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ParameterError(f"confirmed_share must be a number between 0 and 1, got {share!r}")


def _counted(tonnes, share, listed):
    """Tonnes counted, rounded to the gram so that e.g. 0.345 x 20 Mt equals 6.9 Mt exactly."""
    return round(float(tonnes) * float(share) + listed, 6)


def rank_with_deposit(edition, tonnes, confirmed_share=1.0, country="KAZ"):
    """Rank a country's reserves in an edition's world table with a claimed deposit counted.

    Parameters
    ----------
    edition : int
        USGS MCS edition, 2024 or 2025.
    tonnes : float
        The claimed size of the deposit, in tonnes.
    confirmed_share : float, default 1.0
        The part of the claim taken as confirmed (0–1).
    country : str, default 'KAZ'
        ISO3 code; reserves USGS already lists for it are added to the deposit.

    Returns
    -------
    DepositRank

    Raises
    ------
    ParameterError
        If ``tonnes`` is not a positive number or ``confirmed_share`` is outside 0–1.

    Notes
    -----
    The comparison is only as good as the units: USGS reserves are t REO, and a claim in
    tonnes of metal or ore is not the same quantity. This function does not convert.

    Examples
    --------
    >>> r = rank_with_deposit(2025, 20_000_000)
    >>> r.rank, r.above, r.below
    (3, ('BRA', 21000000.0), ('IND', 6900000.0))
    >>> rank_with_deposit(2024, 20_000_000).rank
    4
    """
    _check(edition)
    tonnes = _check_tonnes(tonnes)
    _check_share(confirmed_share)
    table = reserves_table(edition)[["name", "reserves_t"]]
    listed = _listed(table, country)
    counted = _counted(tonnes, confirmed_share, listed)
    others = table.drop(index=country, errors="ignore").dropna(subset=["reserves_t"])
    candidate = pd.DataFrame({"name": [_name(country)], "reserves_t": [counted]},
                             index=pd.Index([country], name="country"))
    ranking = pd.concat([others.assign(candidate=False), candidate.assign(candidate=True)])
    # ties: the candidate sorts before an equal listed country and shares its rank
    ranking = ranking.assign(_order=~ranking["candidate"]).sort_values(
        ["reserves_t", "_order", "name"], ascending=[False, True, True], kind="mergesort"
    ).drop(columns="_order")
    ranking["reserves_rank"] = ranking["reserves_t"].rank(method="min", ascending=False).astype(int)
    ranking = ranking[["name", "reserves_t", "reserves_rank", "candidate"]]
    rank = int(ranking.loc[country, "reserves_rank"])
    larger = others[others["reserves_t"] > counted]
    smaller = others[others["reserves_t"] <= counted]
    above = (larger.index[-1], float(larger["reserves_t"].iloc[-1])) if len(larger) else None
    below = (smaller.index[0], float(smaller["reserves_t"].iloc[0])) if len(smaller) else None
    return DepositRank(country, counted, rank, above, below, ranking)


def rank_curve(edition, tonnes, shares, country="KAZ"):
    """Rank of the deposit for each confirmed share in ``shares`` (a DataFrame, one row each).

    Same rule as :func:`rank_with_deposit` (1 + the number of countries with more), computed
    for all shares at once; the same inputs are refused (:class:`~helpers.errors.ParameterError`).

    Returns
    -------
    pandas.DataFrame
        Columns ``confirmed_share``, ``counted_t`` and ``rank``, in the order of ``shares``.

    Examples
    --------
    >>> rank_curve(2025, 20_000_000, [0.1, 0.5, 1.0])["rank"].tolist()
    [7, 3, 3]
    """
    _check(edition)
    tonnes = _check_tonnes(tonnes)
    for share in shares:
        _check_share(share)
    table = reserves_table(edition)
    others = table.drop(index=country, errors="ignore")["reserves_t"].dropna().to_numpy()
    listed = _listed(table, country)
    out = pd.DataFrame({"confirmed_share": pd.Series(shares, dtype="float64")})
    out["counted_t"] = [_counted(tonnes, share, listed) for share in out["confirmed_share"]]
    out["rank"] = [1 + int((others > v).sum()) for v in out["counted_t"]]
    return out


def share_needed(edition, tonnes, rank, country="KAZ"):
    """Smallest confirmed share of a claim that reaches ``rank`` (None if even all of it does not).

    Reaching rank *k* means counting at least as much as the country now *k*-th (ties share
    the rank).

    Parameters
    ----------
    edition : int
        USGS MCS edition, 2024 or 2025.
    tonnes : float
        The claimed size of the deposit, in tonnes; must be positive.
    rank : int
        The rank to reach, 1 or more.
    country : str, default 'KAZ'
        ISO3 code; reserves USGS already lists for it count in full.

    Returns
    -------
    float or None
        A share in 0–1 (0.0 when the listed reserves alone reach the rank, or when fewer
        countries are listed than ``rank``); None when even the whole claim falls short.

    Raises
    ------
    ParameterError
        If ``tonnes`` is not a positive number or ``rank`` is not a whole number of at least 1.

    Examples
    --------
    >>> round(share_needed(2025, 20_000_000, 3), 3)
    0.345
    >>> share_needed(2025, 20_000_000, 2) is None
    True
    """
    _check(edition)
    tonnes = _check_tonnes(tonnes)
    if isinstance(rank, bool) or not isinstance(rank, numbers.Integral) or rank < 1:
        raise ParameterError(f"rank must be a whole number, 1 or more, got {rank!r}")
    table = reserves_table(edition)
    others = table.drop(index=country, errors="ignore")["reserves_t"].dropna()
    listed = _listed(table, country)
    if rank > len(others):
        return 0.0
    target = float(others.sort_values(ascending=False).iloc[rank - 1])
    share = max(target - listed, 0.0) / tonnes
    return share if share <= 1 else None



def revised_reserves():
    """Countries whose reserves MCS 2025 revised, in million t REO, largest change first.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`edition_revisions` with a change, indexed by ``country``; columns
        ``mcs2024_mt`` and ``mcs2025_mt`` (million t REO), ``revision_mt`` and ``revision_pct``.

    Examples
    --------
    >>> revised_reserves()["revision_mt"].round(1).to_dict()
    {'VNM': -18.5, 'RUS': -6.2, 'USA': 0.1, 'ZAF': 0.1}
    """
    rev = edition_revisions("reserves")
    rev = rev[rev["change_t"].fillna(0) != 0]
    out = rev[["t_2024", "t_2025", "change_t"]] / 1e6
    out.columns = ["mcs2024_mt", "mcs2025_mt", "revision_mt"]
    return out.assign(revision_pct=rev["change_pct"])


def rank_curves(tonnes, points=1000, country="KAZ"):
    """:func:`rank_curve` under every edition, for confirmed shares 1/points, 2/points, ... 1.

    Parameters
    ----------
    tonnes : float
        The claimed size of the deposit, in tonnes.
    points : int, default 1000
        How many shares between 0 (left out) and 1.
    country : str, default 'KAZ'

    Returns
    -------
    pandas.DataFrame
        Columns ``confirmed_share``, ``counted_t``, ``rank`` and ``edition``, edition by edition.

    Examples
    --------
    >>> rank_curves(20_000_000, points=2)["rank"].tolist()
    [4, 4, 3, 3]
    """
    shares = [i / points for i in range(1, points + 1)]
    return pd.concat([rank_curve(edition, tonnes, shares, country).assign(edition=edition)
                      for edition in EDITIONS], ignore_index=True)


def shares_needed(tonnes, ranks=range(2, 7), country="KAZ"):
    """:func:`share_needed` for several ranks under every edition, in percent of the claim.

    Parameters
    ----------
    tonnes : float
        The claimed size of the deposit, in tonnes.
    ranks : iterable of int, default 2 to 6
        The ranks to reach.
    country : str, default 'KAZ'

    Returns
    -------
    pandas.DataFrame
        Indexed by ``target_rank``; one column per edition, ``needed_<edition>_pct``: the
        smallest share (%) that reaches the rank, missing where even the whole claim does not.

    Examples
    --------
    >>> shares_needed(20_000_000, [3, 5]).round(1).to_dict("list")
    {'needed_2024_pct': [nan, 34.5], 'needed_2025_pct': [34.5, 19.0]}
    """
    out = pd.DataFrame(index=pd.Index(list(ranks), name="target_rank"))
    for edition in EDITIONS:
        needed = [share_needed(edition, tonnes, rank, country) for rank in out.index]
        out[f"needed_{edition}_pct"] = [float("nan") if s is None else 100 * s for s in needed]
    return out
