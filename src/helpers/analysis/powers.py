"""A Central Asian country's annual trade with the United States, China and Russia, like for like.

Everything here reads the project's tables through :func:`helpers.data.load` and keeps the
reporter, flow and currency of every trade figure explicit (see :mod:`helpers.analysis.trade`).
Figures are compared only within one dataset, reporter, flow, currency and year: EUR is never
added to USD, a partner's mirror report is never mixed with a country's own report, and a deal
or pledge (one-off, :mod:`helpers.analysis.deals`) is never set against a year's trade.

Shares are of the reporter's total (partner ``WLD``) unless the column says
``share_of_three``: then they are shares of what the same report gives for the three powers
together, which is not the country's trade.
"""

import pandas as pd

from .. import data
from ..data import countries
from .trade import partner_series

POWERS = countries.POWERS
GDP = "NY.GDP.MKTP.CD"


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
    one (the reporter's total: the share a reader expects); ``share_of_powers_pct`` divides by
    the sum over the powers present in the group, listed in ``powers_in_group`` (mirror data
    never holds Russia: it is not a reporter here). EU27 rows keep empty shares (EUR, and not
    a power).
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
        For ``country`` (code, name or alias) in calendar ``year``, one row per source and
        counterpart (CHN, RUS, USA, EU27): ``basis, dataset, reporter, flow, currency,
        counterpart, value_usd_bn`` (USD rows) or ``value_eur_bn`` (EU27),
        ``share_of_world_pct`` (of the reporter's total), ``share_of_powers_pct`` (of the
        powers in the same report), ``powers_in_group`` and ``pct_of_gdp`` (USD rows, GDP of
        the focus country that year). Empty when no source covers the country in that year.

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
    """The focus country's own-reported trade with CHN, RUS and USA, by flow and year.

    Returns
    -------
    pandas.DataFrame
        ``dataset, flow, year, counterpart, value_usd_bn, share_of_total_pct,
        share_of_three_pct`` for every year in which the country itself reports (empty for
        Tajikistan and Turkmenistan), sorted. ``share_of_total_pct`` is the power's share of
        all the country's trade in that flow (the reporter's ``WLD`` row; NaN where the
        report gives no total, as Uzstat here); ``share_of_three_pct`` its share of the three
        powers together.

    >>> s = own_power_split("KAZ", 2019, 2019).set_index("counterpart")
    >>> [round(float(s.loc[p, "share_of_total_pct"]), 1) for p in ("RUS", "CHN", "USA")]
    [36.5, 16.1, 3.4]
    >>> round(float(s["share_of_three_pct"].sum()), 6)
    100.0
    """
    country = countries.focus(country)
    series = partner_series(country, start_year, end_year, partners=[*POWERS, "WLD"], trade=trade)
    series = with_shares(series[series["basis"] == "own"])
    series = series[series["counterpart"].isin(POWERS)].copy()
    series["value_usd_bn"] = series["value_full"] / 1e9
    series = series.rename(columns={"share_of_world_pct": "share_of_total_pct",
                                    "share_of_powers_pct": "share_of_three_pct"})
    cols = ["dataset", "flow", "year", "counterpart", "value_usd_bn", "share_of_total_pct",
            "share_of_three_pct"]
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


def annual_trade(country, *, end_year=None, trade=None, wdi=None):
    """The focus country's annual trade with each power, compared like for like.

    One block per kind of report: the country's own report of each flow (the latest year, up
    to ``end_year``, in which it gives all three powers) and the mirror report of its exports
    (the latest year in which China and the US both report their imports from it; Russia does
    not report here). Within a block every figure has the same reporter side, flow, currency
    and year, so the powers can be compared; blocks are never added together.

    Returns
    -------
    pandas.DataFrame
        ``basis, dataset, flow, year, counterpart, value_usd_bn, share_of_total_pct``
        (of the reporter's total where it publishes one: own reports with a ``WLD`` row),
        ``share_of_three_pct`` (own reports: of the three powers together) and ``pct_of_gdp``
        (of the focus country's GDP that year), by basis, flow and power.

    >>> a = annual_trade("KAZ").set_index(["basis", "counterpart"])
    >>> a.loc[("own", "RUS"), ["year", "share_of_total_pct"]].round(1).tolist()
    [2019.0, 36.5]
    >>> sorted(annual_trade("TKM")["counterpart"])
    ['CHN', 'USA']
    """
    country = countries.focus(country)
    series = partner_series(country, end_year=end_year, partners=[*POWERS, "WLD"], trade=trade)
    series = with_shares(series[series["currency"] == "USD"])
    gdps = gdp(country, wdi=wdi)
    blocks = []
    for (basis, dataset, flow), group in series.groupby(["basis", "dataset", "flow"]):
        powers = group[group["counterpart"].isin(POWERS)]
        wanted = set(POWERS) if basis == "own" else {"CHN", "USA"}
        years = [y for y, g in powers.groupby("year") if set(g["counterpart"]) >= wanted]
        if not years:
            continue
        block = powers[powers["year"] == max(years)].copy()
        block["share_of_three_pct"] = (block["share_of_powers_pct"] if basis == "own"
                                       else float("nan"))
        blocks.append(block)
    cols = ["basis", "dataset", "flow", "year", "counterpart", "value_usd_bn",
            "share_of_total_pct", "share_of_three_pct", "pct_of_gdp"]
    if not blocks:
        return pd.DataFrame(columns=cols)
    out = pd.concat(blocks, ignore_index=True)
    out["value_usd_bn"] = out["value_full"] / 1e9
    out["share_of_total_pct"] = out["share_of_world_pct"]
    out["pct_of_gdp"] = 100 * out["value_full"] / out["year"].map(gdps)
    order = {p: i for i, p in enumerate(POWERS)}
    return out[cols].sort_values(["basis", "flow", "counterpart"], ascending=[False, True, True],
                                 key=lambda s: s.map(order) if s.name == "counterpart" else s,
                                 ignore_index=True)


def region_trade(*, trade=None, wdi=None):
    """:func:`annual_trade` for each of the five, one frame (``country`` column first).

    >>> r = region_trade()
    >>> sorted(r.loc[r["basis"] == "own", "country"].unique())
    ['KAZ', 'KGZ', 'UZB']
    """
    frames = [annual_trade(c, trade=trade, wdi=wdi).assign(country=c) for c in countries.C5]
    out = pd.concat([f for f in frames if len(f)], ignore_index=True)
    return out[["country", *[c for c in out.columns if c != "country"]]]


def balance_by_year(country, start_year, end_year, *, trade=None, wdi=None):
    """The focus country's trade with the powers year by year: own shares, mirror % of GDP.

    Returns
    -------
    pandas.DataFrame
        One row per year with a figure: ``year``; ``{flow}_{power}_pct_total`` (the power's
        share of all the country's own-reported trade in that flow) where the report gives a
        total, else ``{flow}_share_{power}_pct`` (share of the three powers together,
        :func:`own_power_split`); and ``exports_to_{chn,usa}_pct_gdp``
        (:func:`mirror_exports_gdp`). Columns the country has no data for are absent.

    >>> list(balance_by_year("TJK", 2018, 2018).columns)
    ['year', 'exports_to_chn_pct_gdp', 'exports_to_usa_pct_gdp']
    >>> list(balance_by_year("KAZ", 2019, 2019).columns)[:2]
    ['year', 'imports_usa_pct_total']
    """
    split = own_power_split(country, start_year, end_year, trade=trade)
    mirror = mirror_exports_gdp(country, start_year, end_year, trade=trade, wdi=wdi)
    parts = []
    for flow in ("imports", "exports"):
        one = split[split["flow"] == flow]
        if one.empty:
            continue
        total = one["share_of_total_pct"].notna().any()
        values, name = (("share_of_total_pct", "{flow}_{p}_pct_total") if total
                        else ("share_of_three_pct", "{flow}_share_{p}_pct"))
        parts.append(one.pivot(index="year", columns="counterpart", values=values)
                     .reindex(columns=list(POWERS))
                     .rename(columns=lambda p, n=name, f=flow: n.format(flow=f, p=p.lower())))
    if len(mirror):
        parts.append(mirror.pivot(index="year", columns="counterpart", values="pct_of_gdp")
                     .reindex(columns=["CHN", "USA"])
                     .rename(columns=lambda p: f"exports_to_{p.lower()}_pct_gdp"))
    if not parts:
        return pd.DataFrame({"year": pd.Series(dtype="int64")})
    out = pd.concat(parts, axis=1).sort_index().rename_axis(index="year", columns=None)
    return out.reset_index().astype({"year": "int64"})
