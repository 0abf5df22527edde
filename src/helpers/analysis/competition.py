"""The United States, China and Russia in Central Asia: engagement, volumes, positions, balance.

Everything here reads the project's tables through :func:`helpers.data.load` and keeps the
reporter, flow and currency of every trade figure explicit (see :mod:`helpers.trade`).
Shares are computed only within one dataset, reporter side, flow and currency: EUR is never
added to USD, and a partner's mirror report is never mixed with a country's own report.
"""

import re

import pandas as pd

from .. import data
from ..data import countries
from ..errors import C5Error, UnknownValueError
from . import sources
from .deals import deal_facts, deals_for, reported_totals
from .trade import DATASETS, partner_series, year_spans

POWERS = countries.POWERS
#: event types that count as engagement (statements and photo captions do not)
ENGAGEMENT_TYPES = ("summit", "ministerial_meeting", "format_change", "visit", "invitation",
                    "agreement", "accession", "other")
_PRECISION = {"day": 3, "month": 2, "year": 1, "unknown": 0}
GDP = "NY.GDP.MKTP.CD"
#: the measures of :func:`volumes_by_power` in words
MEASURES = {"largest_deal": "largest deal naming it (per year if a period is stated)",
            "exports_mirror": "its exports, as the power reports them (mirror)",
            "imports_own": "its imports, as it reports them (own)"}


def date_readings(fact_id, *, events=None):
    """How the documents date one event: each date stated, with how many documents state it.

    Counts distinct documents (``source``), not rows, so a document that repeats a date is
    counted once.

    Returns
    -------
    pandas.DataFrame
        ``date, date_precision, documents, sources`` (``sources`` joins the documents' file
        numbers, e.g. ``001, 003``), most precise first, then most documents, then date.

    >>> date_readings("c5p1_washington_summit_2025")["date_precision"].iloc[0]
    'day'
    """
    table = data.load("events") if events is None else events
    rows = table[(table["fact_id"] == fact_id) & table["date"].notna()]
    if rows.empty:
        raise UnknownValueError("dated event fact_id", fact_id,
                                sorted(table.loc[table["date"].notna(), "fact_id"].unique()))
    out = rows.groupby(["date", "date_precision"], as_index=False).agg(
        documents=("source", "nunique"),
        sources=("source", lambda s: ", ".join(sorted({sources.seed_number(x) for x in s}))))
    out["_rank"] = out["date_precision"].map(_PRECISION)
    return out.sort_values(["_rank", "documents", "date"], ascending=[False, False, True],
                           ignore_index=True).drop(columns="_rank")


def engagement_timeline(country=None, *, since=2015, events=None):
    """Dated meetings, summits and visits between one outside power and Central Asia.

    One row per fact (``fact_id``) however many documents report it. Where documents date
    it differently, the most precise date stated by the most distinct documents wins (see
    :func:`date_readings`; ties go to the earliest date).

    ``country`` (optional: ISO3 code, name or alias of one of the five) keeps only the events
    it takes part in; ``since`` is the first year kept; ``events`` the curated table.

    Returns
    -------
    pandas.DataFrame
        ``date, year, date_precision, power, event_type, title, countries, all_five, sources,
        fact_id`` sorted by date, power, fact_id. ``all_five`` is True when every Central Asian
        country takes part.

    >>> t = engagement_timeline()
    >>> t.loc[t["fact_id"] == "c5p1_washington_summit_2025", ["date", "sources"]].values.tolist()
    [['2025-11-06', 5]]
    >>> sorted(engagement_timeline()["power"].unique())
    ['CHN', 'RUS', 'USA']
    """
    table = data.load("events") if events is None else events
    table = table[table["event_type"].isin(ENGAGEMENT_TYPES)]
    rows = []
    for fact_id, group in table.groupby("fact_id", sort=True):
        codes = countries.split_codes(";".join(group["countries"].dropna()))
        powers = [p for p in POWERS if p in codes]
        c5 = [c for c in countries.C5 if c in codes]
        dated = group[group["date"].notna()]
        if len(powers) != 1 or not c5 or dated.empty:
            continue
        best = dated["date_precision"].map(_PRECISION).max()
        top = dated[dated["date_precision"].map(_PRECISION) == best]
        counts = top.groupby("date")["source"].nunique()
        date = sorted(counts[counts == counts.max()].index)[0]
        first = top[top["date"] == date].sort_values(["source", "source_line"]).iloc[0]
        rows.append({
            "date": date, "year": int(date[:4]), "date_precision": first["date_precision"],
            "power": powers[0], "event_type": first["event_type"], "title": first["title"],
            "countries": ";".join(c5), "all_five": set(c5) == set(countries.C5),
            "sources": int(group["source"].nunique()), "fact_id": fact_id,
        })
    out = pd.DataFrame(rows)
    out = out[out["year"] >= since]
    if country is not None:
        country = countries.focus(country)
        out = out[out["countries"].map(lambda s: country in s.split(";"))]
    return out.sort_values(["date", "power", "fact_id"], ignore_index=True)


def gdp(country, *, wdi=None):
    """GDP of a country by year, current USD (World Bank ``NY.GDP.MKTP.CD``).

    ``country`` is an ISO3 code, name or alias (UnknownValueError otherwise).

    >>> round(float(gdp("KAZ").loc[2023]) / 1e9, 1)
    261.4
    """
    country = countries.to_iso3(country)
    table = data.load("wdi") if wdi is None else wdi
    rows = table[(table["country"] == country) & (table["indicator"] == GDP)]
    return rows.set_index(rows["year"].astype("int64"))["value"].rename("gdp_usd").sort_index()


def with_shares(series):
    """Add each counterpart's share within its group (basis, dataset, side, flow, currency, year).

    ``series`` holds rows of :func:`helpers.analysis.trade.partner_series`. Own reports form
    one group per reporter; mirror reports of several partners one group per dataset, flow and
    currency. ``share_of_world_pct`` uses the group's ``WLD`` row where the reporter publishes
    one; ``share_of_powers_pct`` divides by the sum over the powers present in the group,
    listed in ``powers_in_group`` (mirror data never holds Russia: it is not a reporter here).
    EU27 rows keep empty shares (EUR, and not a power).
    """
    out = series.copy()
    side = out["reporter"].where(out["basis"] == "own", "mirror")
    keys = [out["basis"], out["dataset"], side, out["flow"], out["currency"], out["year"]]
    world = out["value_full"].where(out["counterpart"] == "WLD")
    out["share_of_world_pct"] = 100 * out["value_full"] / world.groupby(keys).transform("max")
    is_power = out["counterpart"].isin(POWERS)
    powers_total = out["value_full"].where(is_power).groupby(keys).transform("sum")
    out["share_of_powers_pct"] = (100 * out["value_full"] / powers_total).where(is_power)
    present = out["counterpart"].where(is_power).groupby(keys).transform(
        lambda s: ";".join(p for p in POWERS if p in set(s.dropna())))
    out["powers_in_group"] = present.where(is_power, "")
    out.loc[out["counterpart"] == "WLD", "share_of_world_pct"] = 100.0
    return out


def power_shares(country, year, *, trade=None, wdi=None):
    """How the focus country's trade in one year divides between China, Russia and the US.

    Returns
    -------
    pandas.DataFrame
        For ``country`` (code, name or alias) in calendar ``year``, one row per source and counterpart (CHN, RUS, USA, EU27): ``basis, dataset,
        reporter, flow, currency, counterpart, value_usd_bn`` (USD rows) or ``value_eur_bn``
        (EU27), ``share_of_world_pct``, ``share_of_powers_pct``, ``powers_in_group`` and
        ``pct_of_gdp`` (USD rows, GDP of the focus country that year). Empty when no source
        covers the country in that year.

    >>> s = power_shares("KGZ", 2019).set_index(["basis", "counterpart"])
    >>> round(float(s.loc[("own", "RUS"), "share_of_world_pct"]), 1)
    27.8
    """
    country = countries.focus(country)
    series = partner_series(country, year, year, partners=[*POWERS, "EU27", "WLD"], trade=trade)
    shares = with_shares(series)
    shares = shares[shares["counterpart"] != "WLD"].copy()
    usd = shares["currency"] == "USD"
    shares["value_usd_bn"] = (shares["value_full"] / 1e9).where(usd)
    shares["value_eur_bn"] = (shares["value_full"] / 1e9).where(shares["currency"] == "EUR")
    gdp_year = gdp(country, wdi=wdi).get(year, float("nan"))
    shares["pct_of_gdp"] = (100 * shares["value_full"] / gdp_year).where(usd)
    cols = ["basis", "dataset", "reporter", "flow", "currency", "counterpart", "value_usd_bn",
            "value_eur_bn", "share_of_world_pct", "share_of_powers_pct", "powers_in_group",
            "pct_of_gdp"]
    return shares[cols].sort_values(["basis", "dataset", "reporter", "flow", "counterpart"],
                                    ignore_index=True)


def own_power_split(country, start_year, end_year, *, trade=None):
    """The focus country's own-reported trade with CHN, RUS and USA as shares of the three.

    Returns
    -------
    pandas.DataFrame
        ``dataset, flow, year, counterpart, value_usd_bn, share_of_powers_pct`` for every year
        in which the country itself reports (empty for Tajikistan and Turkmenistan), sorted.

    >>> s = own_power_split("KAZ", 2019, 2019)
    >>> round(float(s["share_of_powers_pct"].sum()), 6)
    100.0
    """
    country = countries.focus(country)
    series = partner_series(country, start_year, end_year, partners=POWERS, trade=trade)
    series = with_shares(series[series["basis"] == "own"])
    series["value_usd_bn"] = series["value_full"] / 1e9
    cols = ["dataset", "flow", "year", "counterpart", "value_usd_bn", "share_of_powers_pct"]
    return series[cols].sort_values(["dataset", "flow", "year", "counterpart"], ignore_index=True)


def mirror_exports_gdp(country, start_year, end_year, *, trade=None, wdi=None):
    """The focus country's exports to China and the US as those two report them, % of its GDP.

    China's and the US's WTO imports from the country (USD) over the country's GDP (current
    USD) in the same year. Russia does not report in the table, so it has no mirror series.

    Returns
    -------
    pandas.DataFrame
        ``year, counterpart, value_usd_bn, gdp_usd_bn, pct_of_gdp``; years without a report
        are absent (not zero).

    >>> m = mirror_exports_gdp("KAZ", 2018, 2018).set_index("counterpart")
    >>> round(float(m.loc["CHN", "pct_of_gdp"]), 2)
    4.75
    """
    country = countries.focus(country)
    series = partner_series(country, start_year, end_year, partners=["CHN", "USA"], trade=trade)
    series = series[(series["basis"] == "mirror") & (series["dataset"] == "wto_hs_m_0010")]
    out = series[["year", "counterpart", "value_full"]].merge(
        gdp(country, wdi=wdi).rename_axis("year").reset_index(), on="year", how="left")
    out["value_usd_bn"] = out["value_full"] / 1e9
    out["gdp_usd_bn"] = out["gdp_usd"] / 1e9
    out["pct_of_gdp"] = 100 * out["value_full"] / out["gdp_usd"]
    return out[["year", "counterpart", "value_usd_bn", "gdp_usd_bn", "pct_of_gdp"]].sort_values(
        ["counterpart", "year"], ignore_index=True)


def _deal(row):
    """A deal in words: ``rail deal with Wabtec, signed``."""
    org = f" with {row['counterpart_org']}" if isinstance(row["counterpart_org"], str) else ""
    sector = str(row["sector"]).replace("trade_investment", "trade and investment")
    return f"{sector} deal{org}, {row['status']}".replace("_", " ")


def volumes_by_power(country, *, trade=None, wdi=None, deals=None):
    """Deals and trade with each power side by side, in USD bn and as % of the focus GDP.

    Measures per power: ``largest_deal`` (the largest single deal or pledge the seeds state
    that names the country itself, per year of its stated horizon -- one-off if none is
    stated; pledges are not summed because they overlap; region-wide deals are left to
    :func:`region_totals_vs_gdp`),
    ``exports_mirror`` (the power's own report of its imports from the country, latest year)
    and ``imports_own`` (the country's own report of its imports from the power, latest year).
    Deals are set against the latest GDP year, trade against GDP of the same year.

    Returns
    -------
    pandas.DataFrame
        ``power, measure, what, year, value_usd_bn, pct_of_gdp, dataset, source``: ``what``
        is the measure in words (:data:`MEASURES`), ``dataset`` the ``trade`` dataset of a
        trade measure (empty for deals, which come from the ``deals`` and ``claims``
        tables), ``source`` the deal or the report in words; a measure without data has no row.

    >>> v = volumes_by_power("KAZ").set_index(["power", "measure"])
    >>> float(v.loc[("CHN", "largest_deal"), "value_usd_bn"])
    15.0
    """
    country = countries.focus(country)
    series_gdp = gdp(country, wdi=wdi)
    facts = deals_for(country, deals)
    rows = []
    for power in POWERS:
        named = facts[facts["power"].map(lambda p: power in countries.split_codes(p))
                      & facts["value_usd_bn"].notna() & (facts["scope"] == "country")]
        if len(named):
            named = named.assign(yearly=named["per_year_usd_bn"].fillna(named["value_usd_bn"]))
            best = named.sort_values(["yearly", "fact_id"], ascending=[False, True]).iloc[0]
            year = int(series_gdp.index.max())
            horizon = (f"per year over {best['horizon_years']:g} years"
                       if best["horizon_years"] == best["horizon_years"] else "no period stated")
            rows.append({"power": power, "measure": "largest_deal", "year": year,
                         "value_usd_bn": float(best["yearly"]),
                         "pct_of_gdp": 100 * best["yearly"] * 1e9 / series_gdp.loc[year],
                         "dataset": None, "source": f"{best['value_as_written']} {_deal(best)} "
                         f"({str(best['qualifier']).replace('_', ' ')}, {horizon})"})
    series = partner_series(country, partners=POWERS, trade=trade)
    series = series[series["currency"] == "USD"]
    picks = (("exports_mirror", (series["basis"] == "mirror") & (series["flow"] == "exports")),
             ("imports_own", (series["basis"] == "own") & (series["flow"] == "imports")))
    for measure, mask in picks:
        for power, group in series[mask].groupby("counterpart"):
            last = group.sort_values("year").iloc[-1]
            year = int(last["year"])
            rows.append({"power": power, "measure": measure, "year": year,
                         "value_usd_bn": last["value_full"] / 1e9,
                         "pct_of_gdp": 100 * last["value_full"] / series_gdp.get(year, float("nan")),
                         "dataset": last["dataset"], "source": f"{DATASETS[last['dataset']]} "
                         f"({countries.name(last['reporter'])} {last['flow_reported']})"})
    out = pd.DataFrame(rows, columns=["power", "measure", "year", "value_usd_bn", "pct_of_gdp",
                                      "dataset", "source"])
    out.insert(2, "what", out["measure"].map(MEASURES))
    order = {**{p: i for i, p in enumerate(POWERS)}, **{m: i for i, m in enumerate(MEASURES)}}
    return out.sort_values(["power", "measure"], key=lambda s: s.map(order), ignore_index=True)


def c5_gdp_year(wdi=None):
    """The latest year in which the World Bank table holds GDP for all five countries.

    >>> c5_gdp_year() == min(int(gdp(c).index.max()) for c in countries.C5)
    True
    """
    years = [set(gdp(c, wdi=wdi).dropna().index) for c in countries.C5]
    common = set.intersection(*years)
    if not common:
        raise C5Error("the wdi table has no year with GDP for all five countries")
    return int(max(common))


def region_totals_vs_gdp(*, claims=None, deals=None, wdi=None, gdp_year=None):
    """The seeds' region-wide figures for each power against the five's combined GDP.

    China-Central Asia trade (EDB), Russia-Central Asia trade (Putin) and the US's deals
    signed in the first six months of Trump's second term, each over the sum of the five's
    GDP in ``gdp_year`` (default ``None``: the latest World Bank year with GDP for all five,
    :func:`c5_gdp_year` -- a scale, not a ratio of the same year).

    Returns
    -------
    pandas.DataFrame
        ``power, fact_id, what, year, value_usd_bn, qualifiers, gdp_year, pct_of_c5_gdp``;
        ``year`` is the year the claim states (trade totals) or of the deal's date.

    >>> r = region_totals_vs_gdp().set_index("power")
    >>> float(r.loc["RUS", "value_usd_bn"])
    45.0
    """
    totals = reported_totals(claims)
    gdp_year = c5_gdp_year(wdi) if gdp_year is None else int(gdp_year)
    total_gdp = sum(float(gdp(c, wdi=wdi).loc[gdp_year]) for c in countries.C5)
    picks = (("CHN", "china_central_asia_trade_2024", "stated two-way trade"),
             ("RUS", "russia_central_asia_trade_2024", "stated two-way trade"))
    rows = []
    for power, fact_id, what in picks:
        row = totals.set_index("fact_id").loc[fact_id]
        rows.append({"power": power, "fact_id": fact_id, "what": what, "year": int(row["year"]),
                     "value_usd_bn": float(row["value_usd_bn"]), "qualifiers": row["qualifiers"]})
    us = deal_facts(deals).set_index("fact_id").loc["us_c5_trade_deals_first_six_months"]
    rows.append({"power": "USA", "fact_id": "us_c5_trade_deals_first_six_months",
                 "what": f"stated deals signed in the first {us['period']}" if us["period"]
                 else "stated deals signed",
                 "year": int(str(us["date"])[:4]),
                 "value_usd_bn": float(us["value_usd_bn"]), "qualifiers": us["qualifier"]})
    out = pd.DataFrame(rows)
    out["gdp_year"] = gdp_year
    out["pct_of_c5_gdp"] = 100 * out["value_usd_bn"] * 1e9 / total_gdp
    return out.sort_values("power", key=lambda s: s.map({p: i for i, p in enumerate(POWERS)}),
                           ignore_index=True)


def statements_by_theme(statements=None):
    """Who takes which position, one row per statement fact, grouped by theme.

    Returns
    -------
    pandas.DataFrame
        ``theme, person, organisation, country, position, sources`` sorted by theme, person,
        position. ``country`` is the actor's affiliation ("international/not stated" if
        empty); ``sources`` counts the documents stating it.

    >>> s = statements_by_theme()
    >>> int((s["person"] == "Shairbek Juraev").sum())
    3
    """
    table = data.load("statements") if statements is None else statements
    rows = []
    for fact_id, group in table.groupby(["fact_id", "person"], sort=True):
        first = group.sort_values(["source", "source_line"]).iloc[0]
        rows.append({"theme": first["theme"], "person": first["person"],
                     "organisation": first["organisation"],
                     "country": first["country"] if pd.notna(first["country"])
                     else "international/not stated",
                     "position": first["position"], "sources": int(group["source"].nunique())})
    return pd.DataFrame(rows).sort_values(["theme", "person", "position"], ignore_index=True)


def balance_by_year(country, start_year, end_year, *, trade=None, wdi=None):
    """The focus country's trade with the powers year by year: own shares, mirror % of GDP.

    Returns
    -------
    pandas.DataFrame
        One row per year with a figure: ``year``, ``{flow}_share_{power}_pct`` (the power's
        share of the three in the country's own report of that flow, :func:`own_power_split`)
        and ``exports_to_{chn,usa}_pct_gdp`` (:func:`mirror_exports_gdp`). Columns the
        country has no data for are absent.

    >>> list(balance_by_year("TJK", 2018, 2018).columns)
    ['year', 'exports_to_chn_pct_gdp', 'exports_to_usa_pct_gdp']
    """
    split = own_power_split(country, start_year, end_year, trade=trade)
    mirror = mirror_exports_gdp(country, start_year, end_year, trade=trade, wdi=wdi)
    parts = [split[split["flow"] == flow].pivot(index="year", columns="counterpart",
                                                values="share_of_powers_pct")
             .reindex(columns=list(POWERS)).rename(columns=lambda p: f"{flow}_share_{p.lower()}_pct")
             for flow in ("imports", "exports") if (split["flow"] == flow).any()]
    if len(mirror):
        parts.append(mirror.pivot(index="year", columns="counterpart", values="pct_of_gdp")
                     .reindex(columns=["CHN", "USA"])
                     .rename(columns=lambda p: f"exports_to_{p.lower()}_pct_gdp"))
    if not parts:
        return pd.DataFrame({"year": pd.Series(dtype="int64")})
    out = pd.concat(parts, axis=1).sort_index().rename_axis(index="year", columns=None)
    return out.reset_index().astype({"year": "int64"})


def _names(text, country):
    """True when ``text`` names ``country`` by its name or one of its aliases (whole words)."""
    row = next(r for r in countries.table() if r["iso3"] == country)
    words = {w for w in (row["name"], row["short_name"], *row["aliases"]) if w}
    return any(re.search(rf"\b{re.escape(w)}\b", str(text), re.IGNORECASE) for w in words)


def country_facts(country, *, events=None, deals=None, claims=None, statements=None):
    """What the curated tables say about the focus country apart from the other four.

    Events, deals and figures whose countries name it but not all five, and positions of its
    own officials or whose text (position or quote) names it. Figures of ``metric`` ``other``
    are left out (incidental numbers such as a "Read also" box, ``data/curated/NOTES.md``).

    Returns
    -------
    pandas.DataFrame
        ``kind`` (event, deal, figure, position), ``date``, ``what``, ``as_written`` (the
        value as a document writes it), ``sources`` (documents): one row per fact, by kind.

    >>> sorted(country_facts("UZB")["kind"].unique())
    ['deal', 'event', 'figure', 'position']
    """
    country = countries.focus(country)

    def alone(codes):
        codes = set(countries.split_codes(codes if isinstance(codes, str) else ""))
        return country in codes and not set(countries.C5) <= codes

    def first(group):
        return group.sort_values(["source", "source_line"]).iloc[0]

    rows = []
    table = data.load("events") if events is None else events
    for _, g in table[table["countries"].map(alone)].groupby("fact_id"):
        rows.append(("event", first(g)["date"], first(g)["title"], None, g["source"].nunique()))
    for r in deal_facts(deals, claims).itertuples():
        if alone(r.countries):
            rows.append(("deal", r.date, _deal(r._asdict()), r.value_as_written, r.sources))
    table = data.load("claims") if claims is None else claims
    for _, g in table[table["country"].map(alone) & (table["metric"] != "other")].groupby("fact_id"):
        rows.append(("figure", first(g)["year"], first(g)["subject"], first(g)["value_as_written"],
                     g["source"].nunique()))
    table = data.load("statements") if statements is None else statements
    for _, g in table.groupby("fact_id"):
        if (g["country"] == country).any() or _names(" ".join(g["position"] + " " + g["quote"]),
                                                     country):
            rows.append(("position", None, f"{first(g)['person']}: {first(g)['position']}", None,
                         g["source"].nunique()))
    out = pd.DataFrame(rows, columns=["kind", "date", "what", "as_written", "sources"])
    out["date"] = out["date"].map(lambda d: None if pd.isna(d) else str(d))
    order = {"event": 0, "deal": 1, "figure": 2, "position": 3}
    return out.astype({"sources": "int64"}).sort_values(
        ["kind", "what"], key=lambda s: s.map(order) if s.name == "kind" else s, ignore_index=True)


def evidence(country, *, trade=None, wdi=None, deals=None, events=None, statements=None):
    """Which kinds of evidence the data hold for the focus country, and for which years.

    Returns
    -------
    pandas.DataFrame
        ``evidence, available, detail``: its own trade figures by partner; China's, the US's and
        Russia's reports of imports from it; the EU's exports to it (EUR); deals, events and
        positions that name it apart from the other four (:func:`country_facts`); its GDP.
        ``detail`` gives the years held or the count.

    >>> e = evidence("TJK").set_index("evidence")
    >>> bool(e.loc["Own trade figures by partner", "available"])
    False
    """
    country = countries.focus(country)
    series = partner_series(country, partners=[*POWERS, "EU27"], trade=trade)
    masks = [("Own trade figures by partner", series["basis"] == "own")]
    masks += [(f"Exports as {'the ' * (p == 'USA')}{countries.name(p)} reports them (mirror)",
               (series["basis"] == "mirror") & (series["counterpart"] == p))
              for p in ("CHN", "USA", "RUS")]
    masks += [("Imports from the EU as the EU reports them (EUR)",
               series["counterpart"] == "EU27")]
    spans = [(what, sorted(series.loc[mask, "year"].unique())) for what, mask in masks]
    spans.append(("GDP (World Bank)", sorted(gdp(country, wdi=wdi).dropna().index)))
    rows = [(what, bool(ys), year_spans(ys) if ys else "none") for what, ys in spans]
    facts = country_facts(country, events=events, deals=deals, statements=statements)
    for kind, what in (("deal", "Deals that name it (not region-wide)"),
                       ("event", "Events that name it (not region-wide)"),
                       ("position", "Positions of its officials or naming it")):
        n = int((facts["kind"] == kind).sum())
        rows.insert(-1, (what, n > 0, str(n)))
    return pd.DataFrame(rows, columns=["evidence", "available", "detail"])

