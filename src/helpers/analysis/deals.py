"""Deals, pledges and stated totals from the curated tables: one row per fact, firmest status.

The seeds state each deal in several documents; :func:`deal_facts` keeps one row per fact,
:func:`deals_for` and :func:`deals_summary` select and count them for a country, and
:func:`reported_totals` lists the trade totals the seeds quote, flagging disputed ones.
"""

import re

import pandas as pd

from .. import data
from ..data import countries
from ..errors import UnknownValueError
from . import sources

#: normalised deal status, from firmest to softest (order of tables and charts)
STATUS_ORDER = ("signed", "agreed", "framework", "financing_programme", "pledged", "announced",
                "project", "proposed")
#: deals that name all five count as region-wide
REGION = frozenset(countries.C5)


def _quantity(row, claims):
    """Quantity of a deal row; else the count the same document states in ``claims``."""
    if pd.notna(row["quantity"]):
        return float(row["quantity"]), row["quantity_unit"]
    same = claims[(claims["fact_id"] == row["fact_id"]) & (claims["source"] == row["source"])
                  & (claims["metric"] == "count")]
    if len(same):
        return float(same["value"].iloc[0]), same["unit"].iloc[0]
    return float("nan"), None


#: wording that makes a stated period a forward commitment horizon: "over the next three
#: years", "over ten years", "over the subsequent six months", "between 2025 and 2030"
FORWARD_WORDING = re.compile(
    r"\bover the (?:next|coming|subsequent)\b|\bover (?:\w+|\d+) years\b"
    r"|\bbetween \d{4} and \d{4}\b", re.IGNORECASE)
#: wording of a period already past ("in the first six months of Trump's second term")
PAST_WORDING = re.compile(r"\b(?:first|last|past|since|ago)\b", re.IGNORECASE)
_UNIT_YEARS = {"years": 1.0, "year": 1.0, "months": 1 / 12, "month": 1 / 12}


def is_forward(quote):
    """True when a quote states a forward horizon to spread a pledge over.

    >>> is_forward("up to 35 billion USD in the US over the next three years")
    True
    >>> is_forward("In the first six months of Trump's second term, the U.S. signed ...")
    False
    >>> is_forward("will invest $1 billion each in mining projects within the next six months")
    False
    """
    text = str(quote)
    return bool(FORWARD_WORDING.search(text)) and not PAST_WORDING.search(text)


def period(fact_id, claims, deals=None):
    """The period a deal's documents state, and whether it is a horizon to spread it over.

    Two places state a period: a ``duration`` claim of the same fact (``3 years``, ``6
    months``) and the deal rows' own ``period_start``/``period_end`` when both are years
    ("between 2025 and 2030": ``period_end - period_start`` years). A period counts as a
    **horizon** only when (a) the quote stating it is forward-looking (:func:`is_forward`:
    "over the next three years", "over ten years", "between 2025 and 2030"), not a period
    already past ("in the first six months") and not a deadline ("within the next six months"),
    and (b) it is at least one year long: spreading a sum over a few months would state a
    yearly rate larger than the sum itself.

    Returns
    -------
    tuple
        ``(text, horizon_years)``: ``text`` the stated period (``"6 months"``, ``""`` if none)
        and ``horizon_years`` the horizon in years or NaN when the period is not one.
    """
    rows = claims[(claims["fact_id"] == fact_id) & (claims["metric"] == "duration")
                  & claims["unit"].isin(list(_UNIT_YEARS))].sort_values(["source", "source_line"])
    stated = [(f"{float(r.value):g} {r.unit}", float(r.value) * _UNIT_YEARS[r.unit], r.quote)
              for r in rows.itertuples()]
    if deals is not None:
        own = deals[deals["fact_id"] == fact_id].sort_values(["source", "source_line"])
        for r in own.itertuples():
            start, end = str(r.period_start), str(r.period_end)
            if start.isdigit() and end.isdigit() and len(start) == len(end) == 4:
                span = int(end) - int(start)
                stated.append((f"{start}–{end}", float(span), r.quote))
    if not stated:
        return "", float("nan")
    for text, years, quote in stated:
        if is_forward(quote) and years >= 1:
            return text, years
    return stated[0][0], float("nan")


#: a quantity unit that counts agreements signed: the fact is a set of documents, not one deal
AGREEMENTS = re.compile(r"\bagreements?\b", re.IGNORECASE)
#: what a deal fact is (see :func:`kind_of`), in the order of the ledger
KINDS = ("deal", "purchase", "set of agreements", "memorandum", "pledge")
_SEVERAL = re.compile(r"\bsigned (?:\w+ ){0,3}(?:agreements|deals|offers)\b", re.IGNORECASE)
_BUYING = re.compile(r"\b(?:purchas\w*|buy\w*|bought)\b", re.IGNORECASE)


def kind_of(status, quotes, unit=None):
    """What a deal fact is, from its firmest status, its documents' quotes and its count's unit.

    In this order: a **set of agreements** when the count is of agreements ("70 trade
    agreements") or a quote says several were signed ("signed trade agreements worth $12.4
    billion"); a **pledge** when nothing firmer than pledged, announced, proposed or a
    financing programme is stated (a commitment to spend, no contract); a **memorandum** when
    the firmest is agreed or framework (terms agreed, no signed contract stated); a
    **purchase** when signed and a quote speaks of buying (Boeing's aircraft); else a **deal**.

    >>> kind_of("signed", ["signed 70 trade agreements"], "trade agreements")
    'set of agreements'
    >>> kind_of("pledged", ["pledged to purchase goods and invest up to 35 billion USD"])
    'pledge'
    >>> kind_of("signed", ["the purchase of 45 aircraft", "the $8 billion deal"]), kind_of("agreed", [""])
    ('purchase', 'memorandum')
    """
    text = " ".join(str(q) for q in quotes)
    if (unit and AGREEMENTS.search(str(unit))) or _SEVERAL.search(text):
        return "set of agreements"
    if status in ("agreed", "framework"):
        return "memorandum"
    if status != "signed":
        return "pledge"
    return "purchase" if _BUYING.search(text) else "deal"


def _disagreement(group, claims, label=None):
    """What a fact's documents state differently, comparing like with like.

    A count (a deal row's quantity, else the count the same document states in ``claims``) is
    compared with counts only, a money value with values only: a document giving 45 aircraft
    and another giving $8bn complement each other; 45 aircraft against 22 is a disagreement.

    Returns
    -------
    tuple
        ``(text, kind)``: ``text`` lists each document's figure of the differing kind(s) as
        written with its seed number, or ``label(source)`` when given (e.g. the outlet;
        ``""`` if none differ); ``kind`` is ``count``, ``value`` or ``count; value``.
    """
    counts, values = [], []
    for r in group.itertuples():
        seed = (label or sources.seed_number)(r.source)
        if pd.notna(r.quantity):
            counts.append((float(r.quantity), f"{r.quantity_as_written} ({seed})"))
        else:
            same = claims[(claims["fact_id"] == r.fact_id) & (claims["source"] == r.source)
                          & (claims["metric"] == "count")]
            for c in same.itertuples():
                counts.append((float(c.value), f"{c.value_as_written} {c.unit} ({seed})"))
        if pd.notna(r.value):
            values.append(((float(r.value) * int(r.multiplier), r.currency),
                           f"{r.value_as_written} ({seed})"))
    parts = [(kind, "; ".join(text for _, text in stated))
             for kind, stated in (("count", counts), ("value", values))
             if len({amount for amount, _ in stated}) > 1]
    return "; ".join(t for _, t in parts), "; ".join(k for k, _ in parts)


def deal_facts(deals=None, claims=None):
    """One row per deal fact (``fact_id``), however many seed documents state it.

    The row that states a value is preferred; among several, the first by source. Its
    quantity comes from the same row or, where the deals table has none, from the count the
    same document states in ``claims`` (Uzbekistan's Dreamliners). ``status``
    is the firmest stated (see :data:`STATUS_ORDER`). ``conflict`` lists what the documents
    state differently for the same fact, counts against counts and values against values
    (:func:`_disagreement`: 45 aircraft vs 22 for Boeing; its $8bn is no conflict),
    ``conflict_kind`` which (``count``, ``value``). ``agreements`` is the number of agreements
    when the fact is a set of agreements signed together (Kazakhstan–China's 70), else NaN;
    ``kind`` what the fact is (:func:`kind_of`: deal, purchase, set of agreements, memorandum,
    pledge).

    Returns
    -------
    pandas.DataFrame
        Columns ``fact_id, scope, power, countries, counterpart_org, sector, status,
        value_usd_bn, period, horizon_years, per_year_usd_bn, qualifier, value_as_written,
        quantity, quantity_unit, date, sources, deal_ids, conflict, conflict_kind, agreements``; ``scope`` is ``region``
        (all five), ``country`` (some of them) or ``outside`` (none of them); ``power`` the
        outside power(s) among the parties. ``value_usd_bn`` is ``value * multiplier / 1e9``
        for USD values (empty otherwise); ``period`` the period the documents state (``""`` if
        none); ``horizon_years`` that period in years only when it is a forward commitment
        horizon of a year or more (see :func:`period`: Uzbekistan's pledges "over the next
        three years" and "over ten years"; not the $12.4bn signed "in the first six months")
        and ``per_year_usd_bn`` the value spread evenly over it.
        Sorted by value (largest first), then fact_id.

    >>> f = deal_facts().set_index("fact_id")
    >>> f.loc["kaz_wabtec_locomotive_deal", ["value_usd_bn", "sources", "power"]].tolist()
    [np.float64(4.2), np.int64(2), 'USA']
    >>> f.loc["boeing_aircraft_purchase_central_asia", ["value_usd_bn", "quantity"]].tolist()
    [8.0, 22.0]
    >>> r = f.loc["us_c5_trade_deals_first_six_months"]
    >>> [r["period"], bool(pd.isna(r["horizon_years"]))]
    ['6 months', True]
    """
    table = data.load("deals") if deals is None else deals
    claims = data.load("claims") if claims is None else claims
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    rows = []
    for fact_id, group in table.groupby("fact_id", sort=True):
        group = group.sort_values(["source", "source_line"])
        with_value = group[group["value"].notna()]
        best = (with_value if len(with_value) else group).iloc[0]
        codes = countries.split_codes(best["countries"])
        c5 = [c for c in codes if c in REGION]
        scope = "region" if set(c5) == REGION else "country" if c5 else "outside"
        conflict, kind = _disagreement(group, claims)
        value = (float(best["value"]) * int(best["multiplier"]) / 1e9
                 if pd.notna(best["value"]) and best["currency"] == "USD" else float("nan"))
        period_text, horizon = period(fact_id, claims, table)
        statuses = sorted(group["status"].dropna(), key=lambda s: rank.get(s, len(rank)))
        quantity, unit = _quantity(best, claims)
        rows.append({
            "fact_id": fact_id, "scope": scope,
            "power": ";".join(c for c in codes if c in countries.POWERS),
            "countries": ";".join(codes),
            "counterpart_org": best["counterpart_org"], "sector": best["sector"],
            "status": statuses[0] if statuses else None,
            "value_usd_bn": round(value, 6), "period": period_text, "horizon_years": horizon,
            "per_year_usd_bn": round(value / horizon, 6) if horizon == horizon else float("nan"),
            "qualifier": best["qualifier"],
            "value_as_written": best["value_as_written"],
            "quantity": quantity, "quantity_unit": unit,
            "date": best["date"], "sources": int(group["source"].nunique()),
            "deal_ids": ";".join(group["deal_id"]), "conflict": conflict,
            "conflict_kind": kind,
            "agreements": quantity if unit and AGREEMENTS.search(str(unit)) else float("nan"),
            "kind": kind_of(statuses[0] if statuses else None, group["quote"], unit),
        })
    out = pd.DataFrame(rows)
    return out.sort_values(["value_usd_bn", "fact_id"], ascending=[False, True],
                           na_position="last", ignore_index=True)


def single_and_sets(facts):
    """Split :func:`deal_facts` rows into single deals and sets of agreements signed together.

    >>> single, sets = single_and_sets(deals_for("KAZ"))
    >>> sets["fact_id"].tolist(), int(sets["agreements"].iloc[0])
    (['kaz_china_70_trade_agreements', 'us_c5_trade_deals_first_six_months'], 70)
    """
    sets = facts["agreements"].notna() | facts.get("kind", "").eq("set of agreements")
    return facts[~sets], facts[sets]


def deals_for(country, deals=None):
    """Deal facts that name the focus country, and region-wide ones (all five), largest first.

    ``country`` is an ISO3 code, name or alias of one of the five (else UnknownValueError).

    >>> sorted(deals_for("TJK")["scope"].unique())
    ['region']
    """
    country = countries.focus(country)
    facts = deal_facts(deals)
    names = facts["countries"].map(lambda s: country in countries.split_codes(s))
    return facts[names & facts["scope"].isin(["country", "region"])].reset_index(drop=True)


def deals_summary(country=None, *, by=("sector", "status"), deals=None):
    """Count deal facts and their largest stated value by sector and status, sets apart.

    Stated values are not summed: pledges overlap (Uzbekistan's "up to $35bn over three
    years" lies inside its "up to $100bn over ten") and the $12.4bn of deals signed in six
    months may include named deals. A set of agreements (:func:`kind_of`: "70 agreements")
    is not one deal: it is counted in ``sets_of_agreements`` (its stated number of
    agreements in ``agreements``), and its value is not a deal's value.

    Parameters
    ----------
    country : str, optional
        ISO3 code: only deals naming it and region-wide ones; default every deal fact.
    by : tuple of str
        Columns of :func:`deal_facts` to group by.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``deals`` (facts other than sets of agreements: deals, purchases,
        memoranda, pledges), ``with_value`` (of those, stating a USD value),
        ``largest_usd_bn`` (of those), ``sets_of_agreements`` and ``agreements`` (the
        agreements they count, where stated); sorted by ``by`` (status in
        :data:`STATUS_ORDER`).

    >>> s = deals_summary("KAZ", by=("sector",)).set_index("sector")
    >>> int(s.loc["rare_earths", "deals"]), float(s.loc["rare_earths", "largest_usd_bn"])
    (2, 1.1)
    >>> s.loc["trade_investment", ["deals", "sets_of_agreements", "agreements"]].astype(int).tolist()
    [1, 2, 70]
    """
    facts = deal_facts(deals) if country is None else deals_for(country, deals)
    by = list(by)
    single = facts["kind"] != "set of agreements"
    facts = facts.assign(_single=single.astype(int), _set=(~single).astype(int),
                         _value=facts["value_usd_bn"].where(single),
                         _agreements=facts["agreements"].where(~single))
    out = facts.groupby(by, as_index=False, dropna=False).agg(
        deals=("_single", "sum"), with_value=("_value", "count"),
        largest_usd_bn=("_value", "max"), sets_of_agreements=("_set", "sum"),
        agreements=("_agreements", lambda s: s.sum(min_count=1)))
    if "status" in by:
        out["_rank"] = out["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
        out = out.sort_values([b if b != "status" else "_rank" for b in by]).drop(columns="_rank")
    else:
        out = out.sort_values(by)
    return out.reset_index(drop=True)


def reported_totals(claims=None, disagreements=None):
    """Trade totals and export values stated in the seeds, one row per fact.

    Returns
    -------
    pandas.DataFrame
        ``fact_id, subject, country, partner, year, value_usd_bn, qualifiers, sources,
        disputed``: ``qualifiers`` joins each document's reading (e.g. ``exact; forecast``),
        ``disputed`` is True when ``disagreements`` lists the fact. Largest first.

    >>> t = reported_totals().set_index("fact_id")
    >>> t.loc["china_central_asia_trade_2024", ["value_usd_bn", "qualifiers", "disputed"]].tolist()
    [np.float64(66.2), 'exact; forecast', np.True_]
    """
    table = data.load("claims") if claims is None else claims
    disagree = data.load("disagreements") if disagreements is None else disagreements
    kept = table[table["metric"].isin(["trade_total", "export_value"]) & (table["unit"] == "USD")]
    rows = []
    for fact_id, group in kept.groupby("fact_id", sort=True):
        first = group.sort_values(["source", "source_line"]).iloc[0]
        rows.append({
            "fact_id": fact_id, "subject": first["subject"], "country": first["country"],
            "partner": first["partner"], "year": first["year"],
            "value_usd_bn": round(float(first["value"]) * int(first["multiplier"]) / 1e9, 6),
            "qualifiers": "; ".join(sorted(set(group["qualifier"]))),
            "sources": int(group["source"].nunique()),
            "disputed": bool((disagree["fact_id"] == fact_id).any()),
        })
    out = pd.DataFrame(rows)
    return out.sort_values(["value_usd_bn", "fact_id"], ascending=[False, True],
                           ignore_index=True)


def nested_pledges(facts=None):
    """Pledges that lie inside a larger pledge of the same parties: never add the two.

    Two deal facts nest when they name the same countries and outside power, both state a
    forward horizon (see :func:`period`), and one is neither larger nor longer than the other
    (Uzbekistan's "up to $35bn over the next three years" inside its "up to $100bn over ten").

    Parameters
    ----------
    facts : pandas.DataFrame, optional
        :func:`deal_facts` (default: computed from the curated tables).

    Returns
    -------
    pandas.DataFrame
        ``inner, outer`` (fact ids), one row per nested pair, sorted by ``inner``.

    >>> nested_pledges().values.tolist()
    [['uzb_us_pledge_35bn_3y', 'uzb_us_pledge_100bn_10y']]
    """
    facts = deal_facts() if facts is None else facts
    spread = facts[facts["horizon_years"].notna() & facts["value_usd_bn"].notna()]
    pairs = []
    for a in spread.itertuples():
        for b in spread.itertuples():
            if (a.fact_id != b.fact_id and (a.countries, a.power) == (b.countries, b.power)
                    and a.value_usd_bn <= b.value_usd_bn and a.horizon_years <= b.horizon_years
                    and (a.value_usd_bn, a.horizon_years) != (b.value_usd_bn, b.horizon_years)):
                pairs.append({"inner": a.fact_id, "outer": b.fact_id})
    return pd.DataFrame(pairs, columns=["inner", "outer"]).sort_values("inner", ignore_index=True)


def signed_totals(facts=None):
    """Region-wide totals of deals signed over a stated period: they may include named deals.

    A total such as "$12.4bn of deals signed in the first six months" states a value and a
    period that is not a horizon to spread it over (see :func:`period`); the deals named on
    their own may be part of it, so the two are never added.

    Parameters
    ----------
    facts : pandas.DataFrame, optional
        :func:`deal_facts` (default: computed from the curated tables).

    Returns
    -------
    pandas.DataFrame
        The rows of ``facts`` that are such totals (scope ``region``, status ``signed``).

    >>> signed_totals()["fact_id"].tolist()
    ['us_c5_trade_deals_first_six_months']
    """
    facts = deal_facts() if facts is None else facts
    keep = ((facts["scope"] == "region") & (facts["status"] == "signed")
            & facts["value_usd_bn"].notna() & (facts["period"] != "")
            & facts["horizon_years"].isna())
    return facts[keep].reset_index(drop=True)


def conflicts(facts=None, disagreements=None):
    """Deal facts whose documents state different counts or values, with a topic in words.

    Parameters
    ----------
    facts : pandas.DataFrame, optional
        :func:`deal_facts` (default: computed from the curated tables).
    disagreements : pandas.DataFrame, optional
        The ``disagreements`` table (default: loaded).

    Returns
    -------
    pandas.DataFrame
        ``fact_id, topic, countries, conflict``: ``topic`` is the first topic the
        ``disagreements`` table gives the fact for the same kind of quantity (else for any kind,
        by ``disagreement_id``), else the fact id in words; ``conflict`` as in
        :func:`deal_facts`. Sorted by fact id.

    >>> conflicts()[["fact_id", "topic"]].values.tolist()
    [['boeing_aircraft_purchase_central_asia', 'Number of Boeing aircraft bought']]
    """
    facts = deal_facts() if facts is None else facts
    disagree = data.load("disagreements") if disagreements is None else disagreements
    ordered = disagree.sort_values("disagreement_id")
    topics = ordered.groupby("fact_id")["topic"].first()
    by_kind = ordered.groupby(["fact_id", "kind"])["topic"].first()
    rows = facts[facts["conflict"] != ""].sort_values("fact_id")
    topic = [by_kind.get((f, k.split("; ")[0]), topics.get(f, f.replace("_", " ")))
             for f, k in zip(rows["fact_id"], rows["conflict_kind"])]
    return rows.assign(topic=topic)[["fact_id", "topic", "countries", "conflict"]].reset_index(
        drop=True)


def parties(codes):
    """The Central Asian parties of a deal in words: ``all five`` or their names.

    >>> parties("KAZ;KGZ;TJK;TKM;USA;UZB"), parties("CHN;KAZ"), parties("KAZ;UZB")
    ('all five', 'Kazakhstan', 'Kazakhstan and Uzbekistan')
    """
    c5 = [countries.name(c) for c in countries.split_codes(codes) if c in REGION]
    if len(c5) == len(REGION):
        return "all five"
    return " and ".join(filter(None, [", ".join(c5[:-1]), c5[-1] if c5 else ""]))


def names_in(text):
    """A text with the country codes it holds written as names.

    >>> names_in("Russian exports to CHN (EDB)")
    'Russian exports to China (EDB)'
    """
    def name(match):
        try:
            return countries.name(match.group(0))
        except UnknownValueError:  # an acronym that is not a country code stays
            return match.group(0)
    return re.sub(r"\b[A-Z]{3}\b", name, str(text))


def where_stated(frame):
    """A copy of curated rows with ``where_stated``: each row's seed document and line.

    >>> where_stated(pd.DataFrame({"source": ["002_5ca2.txt"], "source_line": [31]})
    ...              )["where_stated"].tolist()
    ['seed 002 line 31']
    """
    where = [f"seed {sources.seed_number(s)} line {int(line)}"
             for s, line in zip(frame["source"], frame["source_line"])]
    return frame.assign(where_stated=where)


def named_totals(totals=None):
    """:func:`reported_totals` with names where the seeds' subjects and partners hold codes.

    Returns
    -------
    pandas.DataFrame
        ``subject, country, partner, year, value_usd_bn, qualifiers, sources, disputed``:
        codes in ``subject`` written as names (:func:`names_in`) and a partner list of all
        five as "Central Asia (all five)" (single codes stay codes, for the table to name).

    >>> named_totals()["subject"].tolist()[0]
    'Russian exports to China'
    """
    totals = reported_totals() if totals is None else totals
    partner = [("Central Asia (all five)" if parties(p) == "all five" else p)
               for p in totals["partner"]]
    out = totals.assign(subject=totals["subject"].map(names_in), partner=partner)
    return out[["subject", "country", "partner", "year", "value_usd_bn", "qualifiers",
                "sources", "disputed"]]
