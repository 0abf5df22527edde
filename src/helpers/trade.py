"""Trade flows and deals for one focus country: who reports, which flow, which currency.

The ``trade`` table mixes three sources that must never be summed together:

* ``wto_hs_m_0010`` -- WTO imports in USD. Reporters: Kazakhstan (2015-17, 2019), Kyrgyzstan
  (1999-2019), China and the United States. China's and the US's imports *from* a Central
  Asian country are that country's exports as the partner records them (mirror data).
* ``eurostat_comext`` -- EU27 exports in EUR (the EU's view of what it sells to a country).
* ``uzstat_sdmx`` -- Uzbekistan's own exports and imports, USD (published in thousands).

:func:`partner_series` turns these into one tidy frame seen from the focus country, with the
dataset, the reporter, the flow as reported, the flow from the focus country's side and the
currency on every row. :func:`deal_facts` and :func:`deals_summary` condense the curated
``deals`` table to one row per fact (several seed documents often state the same deal).
"""

import re

import pandas as pd

from . import countries, data, params, sources
from .errors import C5Error, ParameterError, UnknownValueError

#: the datasets of the ``trade`` table, with the reader-facing label used in tables and charts
DATASETS = {
    "wto_hs_m_0010": "WTO HS_M_0010 imports",
    "eurostat_comext": "Eurostat Comext EU27 exports",
    "uzstat_sdmx": "Uzstat SDMX",
}
#: flow seen from the other side: a partner's imports from X are X's exports (mirror)
MIRRORED_FLOW = {"imports": "exports", "exports": "imports"}
#: columns of :func:`partner_series`
SERIES_COLUMNS = ["country", "counterpart", "year", "basis", "dataset", "reporter",
                  "flow_reported", "flow", "currency", "value_full"]
#: normalised deal status, from firmest to softest (order of tables and charts)
STATUS_ORDER = ("signed", "agreed", "framework", "financing_programme", "pledged", "announced",
                "project", "proposed")
#: deals that name all five count as region-wide
REGION = frozenset(countries.C5)


def _trade(trade):
    return data.load("trade") if trade is None else trade


def year_spans(years):
    """Years as compact runs, e.g. ``2015–2017, 2019`` (gaps stay visible).

    >>> year_spans([2019, 2015, 2016, 2017])
    '2015–2017, 2019'
    """
    years = sorted({int(y) for y in years})
    runs = []
    for y in years:
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in runs)


def year_bounds(trade=None):
    """First and last year in the ``trade`` table (the limits for ``start_year``/``end_year``).

    >>> year_bounds()
    (1996, 2023)
    """
    years = _trade(trade)["year"]
    return int(years.min()), int(years.max())


def partner_series(country, start_year=None, end_year=None, *, partners=None, trade=None):
    """The focus country's trade by partner and year, from its own and from mirror reports.

    Parameters
    ----------
    country : str
        The focus country: ISO3 code (e.g. ``"KAZ"``), name or alias ("Kyrgyz Republic").
    start_year, end_year : int, optional
        Keep only these years (inclusive); default all.
    partners : iterable of str, optional
        Keep only these counterparts (ISO3, ``EU27`` or ``WLD``); default all.
    trade : pandas.DataFrame, optional
        The ``trade`` table (default: ``data.load("trade")``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SERIES_COLUMNS` (``country`` holds the ISO3 code). ``basis`` is ``own`` when the focus country reports the
        row itself and ``mirror`` when the counterpart does; ``flow_reported`` is the flow as
        the reporter published it and ``flow`` the same flow from the focus country's side
        (a partner's imports from the country are the country's exports). ``value_full`` is in
        ``currency`` units (USD or EUR: never add the two). Sorted by basis, dataset,
        counterpart, flow, year.

    Raises
    ------
    UnknownValueError
        ``country`` is not one of the five, or a partner is not a known code, name or alias.

    Examples
    --------
    >>> s = partner_series("TJK", 2018, 2018, partners=["CHN"])
    >>> s[["basis", "reporter", "flow_reported", "flow", "currency"]].iloc[0].tolist()
    ['mirror', 'CHN', 'imports', 'exports', 'USD']
    """
    country = params.country(country)
    table = _trade(trade)
    own = table[table["reporter"] == country]
    own = own.assign(basis="own", counterpart=own["partner"], flow_reported=own["flow"])
    mirror = table[(table["partner"] == country) & (table["reporter"] != country)]
    mirror = mirror.assign(basis="mirror", counterpart=mirror["reporter"],
                           flow_reported=mirror["flow"], flow=mirror["flow"].map(MIRRORED_FLOW))
    out = pd.concat([own, mirror], ignore_index=True).assign(country=country)
    if start_year is not None:
        out = out[out["year"] >= start_year]
    if end_year is not None:
        out = out[out["year"] <= end_year]
    if partners is not None:
        out = out[out["counterpart"].isin([countries.to_iso3(p) for p in partners])]
    out = out[SERIES_COLUMNS].astype({"year": "int64"})
    return out.sort_values(["basis", "dataset", "counterpart", "flow", "year"],
                           ignore_index=True)


def coverage(country, *, partners=None, trade=None):
    """Which sources cover the focus country, as reporter (own) or as partner (mirror).

    Parameters
    ----------
    country : str
        The focus country (ISO3 code, name or alias).
    partners : iterable of str, optional
        Keep only rows with these counterparts (e.g. ``["CHN"]``); default all.

    Returns
    -------
    pandas.DataFrame
        One row per basis, dataset, reporter and flow with ``currency``,
        ``first_year``, ``last_year``, ``years`` (number of years with data) and
        ``year_spans`` (e.g. ``2015–2017, 2019``).

    >>> coverage("TKM")["basis"].unique().tolist()
    ['mirror']
    >>> coverage("Kazakhstan", partners=["CHN"])[["reporter", "flow", "year_spans"]].values.tolist()
    [['CHN', 'exports', '1996–1997, 2001–2008, 2010–2018'], ['KAZ', 'imports', '2015–2017, 2019']]
    """
    series = partner_series(country, trade=trade, partners=partners)
    keys = ["basis", "dataset", "reporter", "flow_reported", "flow", "currency"]
    out = series.groupby(keys, as_index=False).agg(first_year=("year", "min"),
                                                   last_year=("year", "max"),
                                                   years=("year", "nunique"),
                                                   year_spans=("year", year_spans))
    return out.sort_values(keys, ignore_index=True)


def reports_own_trade(country, *, trade=None):
    """True when the focus country itself reports trade by partner in the ``trade`` table.

    >>> reports_own_trade("KGZ"), reports_own_trade("TJK")
    (True, False)
    """
    return bool((_trade(trade)["reporter"] == params.country(country)).any())


def latest_with(partner, countries_=countries.C5, *, trade=None):
    """The latest USD figure of every source on trade between each country and one partner.

    Sets what the ``trade`` table holds against a stated region-wide total (e.g. the seeds'
    China-Central Asia trade) without mixing reporters, flows or currencies: each row is one
    reporter's one flow in its latest year.

    Parameters
    ----------
    partner : str
        The partner (code, name or alias), e.g. ``"CHN"``.
    countries_ : iterable of str
        Focus countries (default the five).

    Returns
    -------
    pandas.DataFrame
        ``country, basis, dataset, reporter, flow_reported, flow, currency, year_spans, year,
        value_usd_bn``: ``flow`` is seen from ``country`` (China's imports from Kazakhstan are
        Kazakhstan's exports). USD rows only (EUR is never set against a USD total).

    >>> l = latest_with("CHN").set_index(["country", "reporter", "flow_reported"])
    >>> str(l.loc[("UZB", "UZB", "exports"), "dataset"]), int(l.loc[("UZB", "UZB", "exports"), "year"])
    ('uzstat_sdmx', 2023)
    """
    partner = countries.to_iso3(partner)
    rows = []
    for code in countries_:
        series = partner_series(code, partners=[partner], trade=trade)
        series = series[series["currency"] == "USD"]
        keys = ["basis", "dataset", "reporter", "flow_reported", "flow", "currency"]
        for key, group in series.groupby(keys, sort=True):
            last = group.sort_values("year").iloc[-1]
            rows.append({"country": last["country"], **dict(zip(keys, key)),
                         "year_spans": year_spans(group["year"]), "year": int(last["year"]),
                         "value_usd_bn": last["value_full"] / 1e9})
    columns = ["country", "basis", "dataset", "reporter", "flow_reported", "flow", "currency",
               "year_spans", "year", "value_usd_bn"]
    return pd.DataFrame(rows, columns=columns)


def reporter_ratio(country, numerator="CHN", denominator="USA", *, start_year=None,
                   end_year=None, dataset="wto_hs_m_0010", trade=None):
    """How many times one partner's reported imports from a country exceed another's, by year.

    Both figures are mirror reports of the same dataset, flow (the reporter's imports) and
    currency, so the ratio compares like with like. Years where either is missing or zero
    are absent.

    Returns
    -------
    pandas.Series
        Ratio indexed by year (``numerator``'s imports / ``denominator``'s imports).

    >>> r = reporter_ratio("KAZ", start_year=2018, end_year=2018)
    >>> 1 < float(r.loc[2018]) < 100
    True
    """
    series = partner_series(country, start_year, end_year, partners=[numerator, denominator],
                            trade=trade)
    series = series[(series["basis"] == "mirror") & (series["dataset"] == dataset)
                    & (series["flow_reported"] == "imports") & (series["value_full"] > 0)]
    wide = series.pivot_table(index="year", columns="counterpart", values="value_full")
    if numerator not in wide or denominator not in wide:
        return pd.Series(dtype="float64", name="ratio")
    return (wide[numerator] / wide[denominator]).dropna().rename("ratio")


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


def deal_facts(deals=None, claims=None):
    """One row per deal fact (``fact_id``), however many seed documents state it.

    The row that states a value is preferred; among several, the first by source. Its
    quantity comes from the same row or, where the deals table has none, from the count the
    same document states in ``claims`` (Uzbekistan's Dreamliners). ``status``
    is the firmest stated (see :data:`STATUS_ORDER`). ``conflict`` lists the different values
    or quantities the documents give for the same fact (e.g. 45 aircraft vs $8bn for Boeing).

    Returns
    -------
    pandas.DataFrame
        Columns ``fact_id, scope, power, countries, counterpart_org, sector, status,
        value_usd_bn, period, horizon_years, per_year_usd_bn, qualifier, value_as_written,
        quantity, quantity_unit, date, sources, deal_ids, conflict``; ``scope`` is ``region``
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
        stated = group.apply(
            lambda r: r["value_as_written"] if pd.notna(r["value_as_written"])
            else (r["quantity_as_written"] if pd.notna(r["quantity_as_written"]) else "no figure"),
            axis=1)
        values, quantities = group["value"], group["quantity"]
        differs = (values.isna().any() and values.notna().any()) or values.nunique() > 1 or \
            quantities.nunique() > 1
        conflict = "; ".join(f"{w} ({sources.seed_number(s)})" for w, s in zip(stated, group["source"])) \
            if differs else ""
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
    country = params.country(country)
    facts = deal_facts(deals)
    names = facts["countries"].map(lambda s: country in countries.split_codes(s))
    return facts[names & facts["scope"].isin(["country", "region"])].reset_index(drop=True)


def deals_summary(country=None, *, by=("sector", "status"), deals=None):
    """Count deal facts and their largest stated value by sector and status.

    Stated values are not summed: pledges overlap (Uzbekistan's "up to $35bn over three
    years" lies inside its "up to $100bn over ten") and the $12.4bn of deals signed in six
    months may include named deals.

    Parameters
    ----------
    country : str, optional
        ISO3 code: only deals naming it and region-wide ones; default every deal fact.
    by : tuple of str
        Columns of :func:`deal_facts` to group by.

    Returns
    -------
    pandas.DataFrame
        ``by`` columns, ``deals`` (facts), ``with_value`` (facts stating a USD value) and
        ``largest_usd_bn``; sorted by ``by`` (status in :data:`STATUS_ORDER`).

    >>> s = deals_summary("KAZ", by=("sector",)).set_index("sector")
    >>> int(s.loc["rare_earths", "deals"]), float(s.loc["rare_earths", "largest_usd_bn"])
    (2, 1.1)
    """
    facts = deal_facts(deals) if country is None else deals_for(country, deals)
    by = list(by)
    out = facts.groupby(by, as_index=False, dropna=False).agg(
        deals=("fact_id", "size"), with_value=("value_usd_bn", "count"),
        largest_usd_bn=("value_usd_bn", "max"))
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


def mirror_imports_from(countries_, year, *, reporter="CHN", trade=None):
    """A reporter's WTO imports from several countries in one year, USD (missing -> absent).

    Used to set a stated two-way total (e.g. China-Central Asia trade) against the one
    direction the table holds.

    >>> round(float(mirror_imports_from(["KAZ"], 2018).sum()) / 1e9, 2)
    8.52
    """
    table = _trade(trade)
    reporter = countries.to_iso3(reporter)
    codes = [countries.to_iso3(c) for c in countries_]
    rows = table[(table["dataset"] == "wto_hs_m_0010") & (table["reporter"] == reporter)
                 & (table["flow"] == "imports") & (table["year"] == year)
                 & table["partner"].isin(codes)]
    return rows.set_index("partner")["value_full"].sort_index()


#: words that pick a dataset's credit out of the ``trade`` table's combined citation
_CREDIT_KEYS = {"wto_hs_m_0010": "WTO", "eurostat_comext": "Eurostat", "uzstat_sdmx": "Uzbekistan"}


def source_for(*datasets):
    """The part of the ``trade`` table's source credit that covers these datasets.

    Raises
    ------
    UnknownValueError
        A dataset is not one of :data:`DATASETS` (the message lists them).
    ParameterError
        No dataset is given.
    C5Error
        The data package's credit has no part for a dataset (a broken data package).

    >>> source_for("eurostat_comext")
    'Eurostat Comext (CC BY 4.0)'
    >>> source_for("comext")
    Traceback (most recent call last):
    ...
    helpers.errors.UnknownValueError: unknown trade dataset 'comext'. Did you mean 'eurostat_comext'? Valid values: wto_hs_m_0010, eurostat_comext, uzstat_sdmx
    """
    if not datasets:
        raise ParameterError("source_for needs at least one dataset of the trade table")
    for d in datasets:
        if d not in _CREDIT_KEYS:
            near = [k for k in _CREDIT_KEYS if str(d).lower() in k or k in str(d).lower()]
            raise UnknownValueError("trade dataset", d, list(_CREDIT_KEYS),
                                    nearest=near[0] if near else None)
    parts = data.citation("trade").split("; ")
    picked = []
    for d in dict.fromkeys(datasets):
        hits = [p for p in parts if _CREDIT_KEYS[d] in p]
        if not hits:
            raise C5Error(f"the trade table's credit names no source for {d!r}")
        picked += [p for p in hits if p not in picked]
    return "; ".join(p for p in parts if p in picked)


def for_display(frame, digits=2):
    """A copy for showing a table: numbers rounded, empty cells blank (not ``NaN``/``<NA>``).

    >>> for_display(pd.DataFrame({"a": [1.234, None], "b": ["x", None]})).values.tolist()
    [[1.23, 'x'], ['', '']]
    """
    out = frame.round(digits).astype(object)
    return out.where(frame.notna(), "")
