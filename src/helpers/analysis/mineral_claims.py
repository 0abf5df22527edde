"""What the seed documents claim about minerals, as rows and values to hold against USGS.

China's share at each stage (USGS reserves and mine production beside the seeds' processing
share) and its export restrictions; the size, discovery and comparisons of Kazakhstan's
Karaganda deposit (ranked by :mod:`helpers.analysis.minerals`); the US minerals deals; and
Kazakhstan's uranium figures. Values come from the curated tables through
:func:`helpers.analysis.sources.stated_value`; citations from :func:`~helpers.analysis.sources.seed_refs`.
"""

import pandas as pd

from .. import data
from ..data import countries
from . import attribution, minerals, sources

#: curated facts about Kazakhstan's Karaganda deposit: its size, its comparisons, its discovery
DEPOSIT_FACTS = {"size": "kaz_karaganda_deposit_20mt",
                 "rank": "kaz_new_rare_earth_deposit_rank",
                 "relative": "kaz_new_rare_earth_deposit_relative_size",
                 "discovery": "kaz_rare_earth_discovery_april_2025"}
#: China's restrictions as the seeds tell them: (claim fact, event fact, what it is)
RESTRICTION_STEPS = (
    ("china_12_of_17_rare_earths", None, "rare-earth metals China has deposits of"),
    ("china_re_export_restrictions_april_2025", "china_re_export_restrictions_april_2025",
     "export restrictions"),
    ("china_re_export_restrictions_oct_2025", "china_re_export_restrictions_oct_2025",
     "export restrictions, more"),
    (None, "china_delays_re_restrictions_2025", "October restrictions delayed"),
)
#: deal sectors counted as minerals deals
MINERAL_SECTORS = ("rare_earths", "critical_minerals", "mining")
#: how many rare-earth elements there are, as the seeds state it
ELEMENTS_FACT = "rare_earths_17_on_periodic_table"
#: the Atlantic Council's warning that extraction faces obstacles (a statement)
OBSTACLES_FACT = "atlantic_council_extraction_obstacles"
#: the seeds' two uranium figures for Kazakhstan
URANIUM_FACTS = ("kaz_uranium_global_supply_share", "kaz_share_us_uranium_imports")


def salient_share(edition, year):
    """China's share of world rare-earth mine production in USGS's critical-minerals table.

    Parameters
    ----------
    edition, year : int
        USGS MCS edition and data year; the table is in MCS 2025 only (data year 2024).

    Returns
    -------
    float or None
        The share in percent as USGS prints it; None when the table has no such figure.

    Examples
    --------
    >>> salient_share(2025, 2024), salient_share(2024, 2023)
    (69.0, None)
    """
    t5 = data.load("critical_minerals_t5")
    row = t5[t5["mineral"].str.startswith("Rare earths") & (t5["edition"] == edition)
             & (t5["year"] == year) & (t5["measure"] == "leading_producer_share_of_world")
             & (t5["country_as_published"] == "China")]
    return float(row["value"].iloc[0]) if len(row) else None


def salient_covers(word):
    """Whether a mineral of USGS's critical-minerals table has ``word`` in its name.

    Parameters
    ----------
    word : str
        Looked for in the table's mineral names, ignoring case.

    Returns
    -------
    bool

    Examples
    --------
    >>> salient_covers("rare earths"), salient_covers("uranium")
    (True, False)
    """
    return bool(data.load("critical_minerals_t5")["mineral"].str.contains(word, case=False).any())


def china_shares(edition):
    """China's share of the world at each stage: reserves and mine production, processing.

    Parameters
    ----------
    edition : int
        USGS MCS edition for reserves and mine production (their latest years).

    Returns
    -------
    pandas.DataFrame
        One row per stage; columns ``stage``, ``china_share_pct`` (China's share, %), ``basis``
        (where it comes from), ``upper_bound`` (True when the world total is a lower bound)
        and ``from_seeds`` (processing: no USGS table, only the seed documents).

    Examples
    --------
    >>> china_shares(2025)["china_share_pct"].round(1).tolist()
    [48.9, 69.2, 90.0]
    """
    lower = minerals.world_total("reserves", edition).lower_bound
    processing, rows = sources.stated_value("china_rare_earth_processing_share")
    usgs = f"USGS MCS {edition}"
    return pd.DataFrame({
        "stage": [f"reserves {minerals.latest_year(edition, 'reserves')}",
                  f"mine production {minerals.latest_year(edition, 'mine_production')}",
                  "processing (year not stated)"],
        "china_share_pct": [100 * minerals.share_of("CHN", "reserves", edition),
                            100 * minerals.share_of("CHN", "mine_production", edition), processing],
        "basis": [usgs + (": upper bound (world total is a lower bound)" if lower else ""), usgs,
                  "news reports: " + outlet_refs(rows)],
        "upper_bound": [lower, False, False],
        "from_seeds": [False, False, True],
    })


def restrictions_timeline():
    """China's rare-earth holdings and export restrictions as the seed documents date them.

    Returns
    -------
    pandas.DataFrame
        One row per step of :data:`RESTRICTION_STEPS`; columns ``date`` (the month most
        documents give, or "not stated"), ``what``, ``value_as_written`` (the count as
        written), ``location`` and ``sources`` (seed and line).

    Examples
    --------
    >>> restrictions_timeline()["date"].tolist()
    ['not stated', '2025-04', '2025-10', '2025-10']
    """
    claims, events = data.load("claims"), data.load("events")
    rows = []
    for claim_fact, event_fact, what in RESTRICTION_STEPS:
        said = claims[claims["fact_id"] == claim_fact]
        done = events[events["fact_id"] == event_fact]
        rows.append({
            "date": done["date"].dropna().mode().iloc[0] if len(done) else "not stated",
            "what": what,
            "value_as_written": said["value_as_written"].iloc[0] if len(said) else None,
            "location": done["location"].dropna().iloc[0] if done["location"].notna().any() else None,
            "sources": outlet_refs(pd.concat([said, done])),
        })
    return pd.DataFrame(rows)


def claimed_deposit():
    """The Karaganda estimate as the seeds state it: tonnes and the phrase they use.

    Returns
    -------
    tuple of (float, str)
        Tonnes (value x multiplier, one value across documents) and the first document's words.

    Examples
    --------
    >>> claimed_deposit()
    (20000000.0, 'more than 20 million tons')
    """
    tonnes, rows = sources.stated_value(DEPOSIT_FACTS["size"])
    return tonnes, rows["value_as_written"].iloc[0]


def deposit_statements():
    """Every seed row about the Karaganda deposit, by kind: discovery, rank, ratio, size.

    Returns
    -------
    pandas.DataFrame
        Columns ``kind``, ``seed`` (seed number), ``document`` (its name), ``source``,
        ``source_line``, ``quote`` and
        ``date`` (discovery rows only); sorted by kind, seed and line.

    Examples
    --------
    >>> deposit_statements()["kind"].value_counts().sort_index().to_dict()
    {'discovery': 3, 'rank': 1, 'ratio': 2, 'size': 2}
    """
    claims, events = data.load("claims"), data.load("events")
    relative = claims[claims["fact_id"].isin([DEPOSIT_FACTS["rank"], DEPOSIT_FACTS["relative"]])]
    out = pd.concat([
        events[events["fact_id"] == DEPOSIT_FACTS["discovery"]].assign(kind="discovery"),
        claims[claims["fact_id"] == DEPOSIT_FACTS["size"]].assign(kind="size"),
        relative.assign(kind=relative["metric"].str.replace("reserves_", "", regex=False)),
    ], ignore_index=True)
    out["seed"] = out["source"].map(sources.seed_number)
    out["document"] = out["source"].map(sources.document_names())
    out = out.sort_values(["kind", "seed", "source_line"], kind="mergesort").reset_index(drop=True)
    return out[["kind", "seed", "document", "source", "source_line", "quote", "date"]]


def claim_check(tonnes, country="KAZ"):
    """The seeds' two comparisons of a full claim under each edition: its rank and its ratio to China.

    The seeds call the Karaganda deposit "third largest after China and Brazil" and "close to
    half of China's"; both are checked here for the whole claim, as stated.

    Parameters
    ----------
    tonnes : float
        The claimed size, counted in full.
    country : str, default 'KAZ'
        ISO3 code of the claiming country (its listed reserves, if any, are added).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``edition``; columns ``claimed_mt`` (million t), ``reserves_rank``,
        ``larger_countries`` (names), ``next_smaller`` (name), ``next_smaller_mt``,
        ``third_after_china_brazil`` (True when exactly China and Brazil are larger) and
        ``ratio_to_china``.

    Examples
    --------
    >>> check = claim_check(20_000_000)
    >>> check["reserves_rank"].to_dict(), check["third_after_china_brazil"].to_dict()
    ({2024: 4, 2025: 3}, {2024: False, 2025: True})
    """
    rows = []
    for edition in minerals.EDITIONS:
        result = minerals.rank_with_deposit(edition, tonnes, country=country)
        above = result.ranking[result.ranking["reserves_rank"] < result.rank]
        below = result.below or (None, float("nan"))
        rows.append({
            "edition": edition, "claimed_mt": result.tonnes / 1e6, "reserves_rank": result.rank,
            "larger_countries": ", ".join(above["name"]) or "none",
            "next_smaller": countries.name(below[0]) if below[0] else None,
            "next_smaller_mt": below[1] / 1e6,
            "third_after_china_brazil": list(above.index) == ["CHN", "BRA"],
            "ratio_to_china": result.tonnes / minerals.reserves_table(edition).loc["CHN", "reserves_t"],
        })
    return pd.DataFrame(rows).set_index("edition")


def us_minerals_portfolio():
    """The minerals deals of the seed documents, one row per deal (fact), as stated.

    Returns
    -------
    pandas.DataFrame
        Columns ``partner`` (ISO3 codes other than the US, ';'-joined), ``with_us`` (the US is
        a party), ``sector``, ``counterpart_org``, ``value_usd_bn`` (the value the rows state,
        US$ billion, not converted; missing when none), ``value_as_written``, ``status``,
        ``date`` and ``sources``; sorted by partner name, date and sector.

    Examples
    --------
    >>> us_minerals_portfolio()[["partner", "value_usd_bn"]].to_numpy().tolist()[:2]
    [['AUS', 8.5], ['AUS', 1.0]]
    """
    deals = data.load("deals")
    rows = []
    for fact, group in deals[deals["sector"].isin(MINERAL_SECTORS)].groupby("fact_id", sort=True):
        first = group.iloc[0]
        codes = countries.split_codes(first["countries"])
        stated = group["value"].notna().any()
        rows.append({
            "partner": ";".join(c for c in codes if c != "USA"), "with_us": "USA" in codes,
            "sector": first["sector"], "counterpart_org": first["counterpart_org"],
            "value_usd_bn": sources.stated_value(fact, "deals", currency="USD")[0] / 1e9 if stated else None,
            "value_as_written": " / ".join(dict.fromkeys(group["value_as_written"].dropna())) or "not stated",
            "status": " / ".join(dict.fromkeys(group["status"])),
            "date": group["date"].dropna().iloc[0] if group["date"].notna().any() else "not stated",
            "sources": outlet_refs(group),
        })
    out = pd.DataFrame(rows)
    order = out["partner"].map(lambda p: ", ".join(countries.name(c) for c in p.split(";")))
    return (out.assign(_order=order).sort_values(["_order", "date", "sector"], kind="mergesort")
            .drop(columns="_order").reset_index(drop=True))


def uranium_claims():
    """The seeds' uranium figures for Kazakhstan (no USGS table covers uranium).

    Returns
    -------
    pandas.DataFrame
        The claims rows of :data:`URANIUM_FACTS` with a ``seed`` column (seed number).

    Examples
    --------
    >>> uranium_claims()["value_as_written"].tolist()
    ['over 40%', '25%']
    """
    claims = data.load("claims")
    rows = claims[claims["fact_id"].isin(URANIUM_FACTS)]
    return rows.assign(seed=rows["source"].map(sources.seed_number),
                       document=rows["source"].map(sources.document_names())).reset_index(drop=True)


def outlet_refs(rows):
    """Citations of curated rows by document name (outlet) and line, de-duplicated; where a
    row's claim is someone else's than the outlet's (``asserted_by``), who says it comes first
    (:func:`helpers.analysis.attribution.phrase`).

    Examples
    --------
    >>> claims = data.load("claims")
    >>> outlet_refs(claims[claims["fact_id"] == "china_rare_earth_processing_share"])
    'Al Jazeera (machine translation), line 30; Al Jazeera (reworded copy), line 28'
    >>> outlet_refs(claims[claims["claim_id"] == "CL026"])
    "according to Kazakhstan's Ministry of Industry and Construction, as reported by Al Jazeera (machine translation), line 26"
    """
    names = sources.document_names()
    who = (zip(rows["asserted_by"], rows["asserter_kind"]) if "asserter_kind" in rows
           else [("the outlet", "outlet")] * len(rows))
    cited = sorted({(s, int(n), by, kind) for (s, n), (by, kind)
                    in zip(zip(rows["source"], rows["source_line"]), who)})
    return "; ".join(f"{names[s]}, line {n}" if kind == "outlet"
                     else f"{attribution.phrase(by, kind, names[s])}, line {n}"
                     for s, n, by, kind in cited)


#: elements left out of the oxide/metal factor range: oxygen, scandium (USGS treats it apart
#: from the rare-earth oxides), promethium (no stable isotope, no standard atomic weight)
NOT_IN_REO = ("O", "Sc", "Pm")


def oxide_factors():
    """Mass of each rare-earth oxide per mass of its metal, from IUPAC CIAAW standard atomic weights.

    factor = (m x A(element) + n x A(O)) / (m x A(element)) for the oxide of formula
    element_m O_n in ``atomic_weights`` (e.g. La2O3: m = 2, n = 3). Scandium and promethium are
    left out (:data:`NOT_IN_REO`).

    Returns
    -------
    pandas.DataFrame
        Columns ``symbol``, ``element``, ``oxide`` and ``factor``, smallest factor first.

    Examples
    --------
    >>> f = oxide_factors()
    >>> f.iloc[[0, -1]][["oxide", "factor"]].round(3).to_numpy().tolist()
    [['Lu2O3', 1.137], ['Y2O3', 1.27]]
    """
    weights = data.load("atomic_weights").set_index("symbol")
    oxygen = weights.loc["O", "atomic_weight"]
    rows = weights.drop(index=list(NOT_IN_REO)).reset_index()
    metal = rows["metal_atoms"].astype(float) * rows["atomic_weight"]
    rows["factor"] = (metal + rows["oxygen_atoms"].astype(float) * oxygen) / metal
    return rows.sort_values("factor", kind="mergesort", ignore_index=True)[["symbol", "element", "oxide", "factor"]]


def unit_readings(tonnes, country="KAZ"):
    """The claim's rank in world reserves under each edition and each reading of its unit.

    USGS reserves are tonnes of rare-earth oxide (REO). Read as written against them, the claim
    is taken as REO; read as metal ("rare earth metals"), it is converted to REO at the lowest
    and at the highest oxide/metal factor of :func:`oxide_factors` (the deposit's mix of
    elements is not stated, so the truth lies between).

    Returns
    -------
    pandas.DataFrame
        One row per reading; columns ``reading``, ``oxide`` (the factor's oxide, empty as
        written), ``factor``, ``reo_mt`` (million t REO counted) and ``rank_<edition>``.

    Examples
    --------
    >>> r = unit_readings(20_000_000)
    >>> r[["rank_2024", "rank_2025"]].to_numpy().tolist()
    [[4, 3], [2, 2], [2, 2]]
    """
    factors = oxide_factors()
    low, high = factors.iloc[0], factors.iloc[-1]
    readings = [("as written (oxide)", "", 1.0),
                ("metal, lowest factor", low["oxide"], float(low["factor"])),
                ("metal, highest factor", high["oxide"], float(high["factor"]))]
    rows = []
    for reading, oxide, factor in readings:
        row = {"reading": reading, "oxide": oxide, "factor": factor, "reo_mt": tonnes * factor / 1e6}
        for edition in minerals.EDITIONS:
            row[f"rank_{edition}"] = minerals.rank_with_deposit(edition, tonnes * factor, country=country).rank
        rows.append(row)
    return pd.DataFrame(rows)
