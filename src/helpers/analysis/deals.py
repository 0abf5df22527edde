"""Deals, pledges and stated totals from the curated tables: one row per fact, firmest status.

The seeds state each deal in several documents; :func:`deal_facts` keeps one row per fact,
:func:`deals_for` selects them for a country, and
:func:`reported_totals` lists the trade totals the seeds quote, flagging disputed ones.
"""

import re

import pandas as pd

from .. import data
from ..data import countries
from ..data.loader import memo
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
KINDS = ("deal", "purchase", "set of agreements", "memorandum", "pledge", "project")
#: a quote that says only that parties work on a project, stating no deal or status
_PROJECT = re.compile(r"\bcooperat\w* in (?:\S+ ){0,6}project\b", re.IGNORECASE)
_SEVERAL = re.compile(r"\bsigned (?:\w+ ){0,3}(?:agreements|deals|offers)\b", re.IGNORECASE)
_BUYING = re.compile(r"\b(?:purchas\w*|buy\w*|bought)\b", re.IGNORECASE)


def kind_of(status, quotes, unit=None):
    """What a deal fact is, from its firmest status, its documents' quotes and its count's unit.

    In this order: a **project** when a quote says only that the parties cooperate in a
    project (no deal, no status stated: Cove Capital's); a **set of agreements** when the count is of agreements ("70 trade
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
    >>> kind_of("agreed", ["Kazakhstan and Cove Capital have been cooperating in a 1.1 billion USD project"])
    'project'
    
    """
    text = " ".join(str(q) for q in quotes)
    if _PROJECT.search(text) and not _SEVERAL.search(text):
        return "project"
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
    compared with counts only, a money value with values only, each document's set with each
    other's: a document giving 45 aircraft and another giving $8bn complement each other; 45
    aircraft against 22 is a disagreement; one document's two horizons of one agreement are not.

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
            counts.append((float(r.quantity), r.source, f"{r.quantity_as_written} ({seed})"))
        else:
            same = claims[(claims["fact_id"] == r.fact_id) & (claims["source"] == r.source)
                          & (claims["metric"] == "count")]
            for c in same.itertuples():
                counts.append((float(c.value), r.source, f"{c.value_as_written} {c.unit} ({seed})"))
        if pd.notna(r.value):
            values.append(((float(r.value) * int(r.multiplier), r.currency), r.source,
                           f"{r.value_as_written} ({seed})"))
    parts = [(kind, "; ".join(text for _, _, text in stated))
             for kind, stated in (("count", counts), ("value", values))
             if len({frozenset(a for a, src, _ in stated if src == s)
                     for _, s, _ in stated}) > 1]
    return "; ".join(t for _, t in parts), "; ".join(k for k, _ in parts)


def agreements(deals=None):
    """Each deal fact's agreement: facts whose rows quote one seed line for the same parties.

    One sentence can state one agreement in parts (Uzbekistan's "up to 35 billion USD ... over
    the next three years and up to 100 billion USD over ten years"; Australia's $8.5bn
    framework and "$1 billion each"): the curated table gives the parts their own fact ids
    (or marks a part with ``part_of``), and this joins them again, with every document that
    states any part.

    Returns
    -------
    dict
        ``fact_id`` -> agreement id: the member fact ids sorted and joined by ``+`` (a fact
        alone keeps its own id).

    >>> a = agreements()
    >>> a["uzb_us_pledge_35bn_3y"]
    'uzb_us_pledge_100bn_10y+uzb_us_pledge_35bn_3y'
    >>> a["kaz_wabtec_locomotive_deal"]
    'kaz_wabtec_locomotive_deal'
    """
    table = data.load("deals") if deals is None else deals
    parent = {f: f for f in table["fact_id"]}

    def root(f):
        while parent[f] != f:
            f = parent[f]
        return f
    links = [sorted(set(g["fact_id"])) for _, g in table.groupby(
        ["source", "source_line", "countries"])]
    if "part_of" in table.columns:  # a row the curators mark as part of a wider fact
        links += [[f, p] for f, p in zip(table["fact_id"], table["part_of"])
                  if isinstance(p, str) and p in parent]
    for ids in links:
        for other in ids[1:]:
            a, b = root(ids[0]), root(other)
            parent[max(a, b)] = min(a, b)
    members = {}
    for f in parent:
        members.setdefault(root(f), set()).add(f)
    return {f: "+".join(sorted(members[root(f)])) for f in parent}


@memo  # same data, same result: a reused kernel computes it once (data.loader.memo)
def deal_facts(deals=None, claims=None):
    """One row per agreement (see :func:`agreements`), however many seed documents state it.

    The document that states a value is preferred (the first by source); its largest value is
    the row's, and an agreement in parts lists each part as written ("up to 100 billion USD
    over 10 years; up to 35 billion USD over 3 years"), never added. The quantity comes from
    the same row, another row of the agreement, or the count the same document states in
    ``claims`` (Uzbekistan's Dreamliners). ``status`` is the firmest stated
    (:data:`STATUS_ORDER`); ``conflict`` what the documents state differently, counts against
    counts and values against values (:func:`_disagreement`), ``conflict_kind`` which;
    ``agreements`` the number of agreements of a set signed together (Kazakhstan–China's 70),
    else NaN; ``kind`` what it is (:func:`kind_of`).

    Returns
    -------
    pandas.DataFrame
        Columns ``fact_id, scope, power, countries, counterpart_org, sector, status,
        value_usd_bn, period, horizon_years, qualifier, value_as_written, quantity,
        quantity_unit, date, date_as_written, period_start, period_end, sources, deal_ids,
        conflict, conflict_kind, agreements, kind``; ``scope`` is ``region`` (all five),
        ``country`` (some) or ``outside`` (none); ``power`` the outside power(s).
        ``value_usd_bn`` is ``value * multiplier / 1e9`` for USD values (for ordering, never
        to add); ``period`` the periods stated (``""`` if none); ``horizon_years`` the longest
        forward horizon (:func:`period`), NaN for a period already past ("in the first six
        months"). No value is spread over a horizon: a pledge is not a year's trade.
        Sorted by value (largest first), then fact_id.

    >>> f = deal_facts().set_index("fact_id")
    >>> f.loc["kaz_wabtec_locomotive_deal", ["value_usd_bn", "sources", "power"]].tolist()
    [np.float64(4.2), np.int64(2), 'USA']
    >>> f.loc["boeing_aircraft_purchase_central_asia", ["value_usd_bn", "quantity"]].tolist()
    [8.0, 22.0]
    >>> f.loc["uzb_us_pledge_100bn_10y+uzb_us_pledge_35bn_3y", "value_as_written"]
    'up to 100 billion USD over 10 years; up to 35 billion USD over 3 years'
    """
    table = data.load("deals") if deals is None else deals
    claims = data.load("claims") if claims is None else claims
    merged = agreements(table)
    periods = {f: period(f, claims, table) for f in merged}
    table = table.assign(member=table["fact_id"], fact_id=table["fact_id"].map(merged))
    claims = claims.assign(fact_id=claims["fact_id"].map(lambda f: merged.get(f, f)))
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    rows = []
    for fact_id, group in table.groupby("fact_id", sort=True):
        group = group.sort_values(["source", "source_line"])
        with_value = group[group["value"].notna()]
        best = (with_value if len(with_value) else group).iloc[0]
        parts = group[(group["source"] == best["source"]) & group["value"].notna()].assign(
            _v=lambda g: g["value"] * g["multiplier"]).sort_values("_v", ascending=False)
        if len(parts):
            best = parts.iloc[0]
        codes = countries.split_codes(best["countries"])
        c5 = [c for c in codes if c in REGION]
        scope = "region" if set(c5) == REGION else "country" if c5 else "outside"
        conflict, kind = _disagreement(group, claims)
        value = (float(best["value"]) * int(best["multiplier"]) / 1e9
                 if pd.notna(best["value"]) and best["currency"] == "USD" else float("nan"))
        own = [periods[m] for m in dict.fromkeys(group["member"])]
        horizons = [h for _, h in own if h == h]
        written = best["value_as_written"]
        if len(set(group["member"])) > 1 and len(parts) > 1:
            written = "; ".join(
                r.value_as_written + (f" over {periods[r.member][0]}"
                                      if periods[r.member][1] == periods[r.member][1] else "")
                for r in parts.itertuples())
        dated = best if pd.notna(best["date"]) or group["date"].isna().all() else group[
            group["date"].notna()].iloc[0]
        statuses = sorted(group["status"].dropna(), key=lambda s: rank.get(s, len(rank)))
        quantity, unit = _quantity(best, claims)
        for r in group[group["quantity"].notna()].itertuples():
            if quantity != quantity:
                quantity, unit = float(r.quantity), r.quantity_unit
        rows.append({
            "fact_id": fact_id, "scope": scope,
            "power": ";".join(c for c in codes if c in countries.POWERS),
            "countries": ";".join(codes),
            "counterpart_org": best["counterpart_org"], "sector": best["sector"],
            "status": statuses[0] if statuses else None,
            "value_usd_bn": round(value, 6),
            "period": "; ".join(dict.fromkeys(t for t, _ in own if t)),
            "horizon_years": max(horizons) if horizons else float("nan"),
            "qualifier": best["qualifier"], "value_as_written": written,
            "quantity": quantity, "quantity_unit": unit,
            "date": dated["date"], "date_as_written": dated["date_as_written"],
            "period_start": best["period_start"], "period_end": best["period_end"],
            "sources": int(group["source"].nunique()),
            "deal_ids": ";".join(group["deal_id"]), "conflict": conflict,
            "conflict_kind": kind,
            "agreements": quantity if unit and AGREEMENTS.search(str(unit)) else float("nan"),
            "kind": kind_of(statuses[0] if statuses else None, [*group["quote"], *claims.loc[
                (claims["fact_id"] == fact_id) & (claims["metric"] == "count"), "quote"]], unit),
        })
    out = pd.DataFrame(rows)
    return out.sort_values(["value_usd_bn", "fact_id"], ascending=[False, True],
                           na_position="last", ignore_index=True)


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


#: disagreement kinds that are wording only (a name, a spelling, a translation's tense): the
#: documents agree on the value, so the fact is not disputed
WORDING_ONLY = frozenset({"name", "spelling", "tense"})


def reported_totals(claims=None, disagreements=None):
    """Trade totals and export values stated in the seeds, one row per fact.

    Returns
    -------
    pandas.DataFrame
        ``fact_id, subject, country, partner, year, value_usd_bn, qualifiers, sources,
        disputed, wording``: ``qualifiers`` joins each document's reading (``exact``,
        ``exceeded``); a ``forecast`` reading is dropped when the documents differ only in
        tense (a translation's "will reach" against "amounted to" for the same past year).
        ``disputed`` is True when ``disagreements`` lists the fact for a difference other
        than wording (:data:`WORDING_ONLY`); ``wording`` the wording kinds they differ in
        ("" if none). Largest first.

    >>> t = reported_totals().set_index("fact_id")
    >>> t.loc["china_central_asia_trade_2024", ["value_usd_bn", "qualifiers", "disputed", "wording"]].tolist()
    [np.float64(66.2), 'exact', np.False_, 'name; tense']
    """
    table = data.load("claims") if claims is None else claims
    disagree = data.load("disagreements") if disagreements is None else disagreements
    kept = table[table["metric"].isin(["trade_total", "export_value"]) & (table["unit"] == "USD")]
    rows = []
    for fact_id, group in kept.groupby("fact_id", sort=True):
        first = group.sort_values(["source", "source_line"]).iloc[0]
        kinds = set(disagree.loc[disagree["fact_id"] == fact_id, "kind"])
        rows.append({
            "fact_id": fact_id, "subject": first["subject"], "country": first["country"],
            "partner": first["partner"], "year": first["year"],
            "value_usd_bn": round(float(first["value"]) * int(first["multiplier"]) / 1e9, 6),
            "qualifiers": "; ".join(sorted(set(group["qualifier"]) - (
                {"forecast"} if "tense" in kinds and len(set(group["qualifier"])) > 1 else set()))),
            "sources": int(group["source"].nunique()),
            "disputed": bool(kinds - WORDING_ONLY),
            "wording": "; ".join(sorted(kinds & WORDING_ONLY)),
        })
    out = pd.DataFrame(rows)
    return out.sort_values(["value_usd_bn", "fact_id"], ascending=[False, True],
                           ignore_index=True)


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
