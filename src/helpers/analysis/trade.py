"""Trade flows of one focus country by partner: who reports, which flow, which currency.

The ``trade`` table mixes three sources that must never be summed together:

* ``wto_hs_m_0010`` -- WTO imports in USD. Reporters: Kazakhstan (2015-17, 2019), Kyrgyzstan
  (1999-2019), China and the United States. China's and the US's imports *from* a Central
  Asian country are that country's exports as the partner records them (mirror data).
* ``eurostat_comext`` -- EU27 exports in EUR (the EU's view of what it sells to a country).
* ``uzstat_sdmx`` -- Uzbekistan's own exports and imports, USD (published in thousands).

:func:`partner_series` turns these into one tidy frame seen from the focus country, with the
dataset, the reporter, the flow as reported, the flow from the focus country's side and the
currency on every row; the other functions select from it (:func:`own_imports`,
:func:`mirror_exports`, :func:`latest_by_reporter`) or set it against the totals the seeds
state (:func:`latest_with`, :func:`own_two_way`). Deals live in :mod:`helpers.analysis.deals`.
"""


import pandas as pd

from .. import data
from ..data import countries
from ..errors import C5Error, ParameterError, UnknownValueError

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
    country = countries.focus(country)
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
    return bool((_trade(trade)["reporter"] == countries.focus(country)).any())


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


def own_imports(country, start_year=None, end_year=None, *, partners=countries.POWERS,
                trade=None):
    """The focus country's imports as it reports them itself, from a few partners.

    Parameters
    ----------
    country : str
        The focus country (ISO3 code, name or alias).
    start_year, end_year : int, optional
        Keep only these years (inclusive).
    partners : iterable of str
        Counterparts to keep (default the three powers).

    Returns
    -------
    pandas.DataFrame
        Rows of :func:`partner_series` with ``basis == "own"`` and ``flow == "imports"``
        (empty when the country does not report, or not in these years).

    >>> sorted(own_imports("KAZ", 2019, 2019)["counterpart"])
    ['CHN', 'RUS', 'USA']
    >>> own_imports("TJK").empty
    True
    """
    series = partner_series(country, start_year, end_year, partners=partners, trade=trade)
    return series[(series["basis"] == "own") & (series["flow"] == "imports")].reset_index(
        drop=True)


def mirror_exports(country, start_year=None, end_year=None, *, trade=None):
    """The focus country's exports as its partners record their imports from it (USD, > 0).

    Returns
    -------
    pandas.DataFrame
        Rows of :func:`partner_series` with ``basis == "mirror"``, ``flow == "exports"``,
        ``currency == "USD"`` and a positive value: one series per reporter.

    >>> sorted(mirror_exports("TKM", 2018, 2018)["reporter"])
    ['CHN', 'USA', 'UZB']
    """
    series = partner_series(country, start_year, end_year, trade=trade)
    keep = ((series["basis"] == "mirror") & (series["currency"] == "USD")
            & (series["flow"] == "exports") & (series["value_full"] > 0))
    return series[keep].reset_index(drop=True)


def latest_by_reporter(series):
    """Each reporter's latest figure in a :func:`partner_series` frame, largest first.

    Parameters
    ----------
    series : pandas.DataFrame
        Rows of :func:`partner_series` in one currency (e.g. :func:`mirror_exports`).

    Returns
    -------
    pandas.DataFrame
        ``reporter, dataset, flow_reported, year, currency, value_usd_bn`` (``value_full`` /
        1e9, in ``currency``), one row per reporter, sorted by value (largest first).

    >>> latest = latest_by_reporter(mirror_exports("KAZ"))
    >>> latest[["reporter", "year"]].values.tolist()[0]
    ['CHN', 2018]
    """
    last = series.sort_values(["reporter", "year"]).groupby("reporter").tail(1)
    last = last.assign(value_usd_bn=last["value_full"] / 1e9)
    columns = ["reporter", "dataset", "flow_reported", "year", "currency", "value_usd_bn"]
    return last[columns].sort_values(["value_usd_bn", "reporter"], ascending=[False, True],
                                     ignore_index=True)


def own_two_way(latest):
    """Two-way trade (exports plus imports) where one reporter gives both flows in one year.

    Parameters
    ----------
    latest : pandas.DataFrame
        :func:`latest_with` (one currency, USD).

    Returns
    -------
    pandas.DataFrame
        ``reporter, dataset, year, value_usd_bn``: the sum of the reporter's own exports and
        imports in the same dataset and year; only reporters that give both flows.

    >>> own_two_way(latest_with("CHN"))[["reporter", "year"]].values.tolist()
    [['UZB', 2023]]
    """
    own = latest[latest["basis"] == "own"]
    rows = [{"reporter": r, "dataset": d, "year": y, "value_usd_bn": g["value_usd_bn"].sum()}
            for (r, d, y), g in own.groupby(["reporter", "dataset", "year"])
            if set(g["flow_reported"]) == {"imports", "exports"}]
    return pd.DataFrame(rows, columns=["reporter", "dataset", "year", "value_usd_bn"])


def transit_claims(claims=None):
    """The transit shares the seeds state (e.g. China-Europe goods crossing Kazakhstan).

    Returns
    -------
    pandas.DataFrame
        The ``claims`` rows with ``metric == "transit_share"``, in table order.

    >>> transit_claims()["country"].tolist()
    ['KAZ']
    """
    claims = data.load("claims") if claims is None else claims
    return claims[claims["metric"] == "transit_share"].reset_index(drop=True)


def route_aims(statements=None, person="US Government"):
    """One actor's stated aims for the transport routes, sorted by document and line.

    Returns
    -------
    pandas.DataFrame
        The ``statements`` rows of theme ``transport`` by ``person``.

    >>> len(route_aims())
    2
    """
    statements = data.load("statements") if statements is None else statements
    rows = statements[(statements["theme"] == "transport") & (statements["person"] == person)]
    return rows.sort_values(["source", "source_line"], ignore_index=True)


def dataset_labels(frame):
    """A copy of ``frame`` whose ``dataset`` column holds each dataset's :data:`DATASETS` label.

    >>> dataset_labels(pd.DataFrame({"dataset": ["uzstat_sdmx"]}))["dataset"].tolist()
    ['Uzstat SDMX']
    """
    return frame.assign(dataset=frame["dataset"].map(lambda d: DATASETS.get(d, d)))


#: the last full year before the EU's 2022 sanctions on Russia: the base of :func:`eu_rise`
EU_BASE_YEAR = 2021


def eu_exports(countries_=countries.C5, start_year=None, end_year=None, *, trade=None):
    """EU27 exports to each country by year, nominal euros, as Eurostat reports them.

    Returns
    -------
    pandas.DataFrame
        ``country, year, value_eur_bn`` (``value_full / 1e9``); years Eurostat does not
        report are absent. Sorted by country (in the order given) and year.

    >>> e = eu_exports(["KGZ"], 2021, 2021)
    >>> e["value_eur_bn"].round(2).tolist()
    [0.26]
    """
    table = _trade(trade)
    codes = [countries.to_iso3(c) for c in countries_]
    rows = table[(table["dataset"] == "eurostat_comext") & (table["reporter"] == "EU27")
                 & (table["flow"] == "exports") & table["partner"].isin(codes)]
    if start_year is not None:
        rows = rows[rows["year"] >= start_year]
    if end_year is not None:
        rows = rows[rows["year"] <= end_year]
    out = pd.DataFrame({"country": rows["partner"], "year": rows["year"].astype("int64"),
                        "value_eur_bn": rows["value_full"] / 1e9})
    order = {c: i for i, c in enumerate(codes)}
    return out.sort_values(["country", "year"], key=lambda s: s.map(order) if s.name == "country"
                           else s, ignore_index=True)


def eu_rise(countries_=countries.C5, base_year=EU_BASE_YEAR, *, trade=None):
    """How EU27 exports to each country changed from ``base_year`` to Eurostat's latest year.

    Returns
    -------
    pandas.DataFrame
        ``country, base_year, base_eur_bn, last_year, last_eur_bn, ratio`` (last / base),
        one row per country with both years; in the order given. Euros, nominal: no
        inflation or exchange-rate adjustment.

    >>> r = eu_rise(["KAZ", "KGZ"]).set_index("country")
    >>> r[["base_eur_bn", "last_eur_bn"]].round(2).values.tolist(), int(r.loc["KGZ", "last_year"])
    ([[5.49, 12.11], [0.26, 2.73]], 2023)
    """
    series = eu_exports(countries_, base_year, trade=trade)
    rows = []
    for code, one in series.groupby("country", sort=False):
        one = one.set_index("year")["value_eur_bn"]
        if base_year in one.index:
            last = int(one.index.max())
            rows.append({"country": code, "base_year": base_year, "base_eur_bn": one[base_year],
                         "last_year": last, "last_eur_bn": one[last],
                         "ratio": one[last] / one[base_year]})
    return pd.DataFrame(rows, columns=["country", "base_year", "base_eur_bn", "last_year",
                                       "last_eur_bn", "ratio"])
