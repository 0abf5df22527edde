"""Unit tests for helpers.analysis.powers: annual trade with each power, like for like.
Expectations are computed from the CSV files."""

import pytest
from conftest import csv_rows

from helpers.analysis import powers
from helpers.errors import UnknownValueError

TRADE = csv_rows("derived/trade.csv")
WDI = csv_rows("derived/wdi.csv")
POWERS = ("CHN", "RUS", "USA")


def cell(dataset, reporter, partner, year, flow="imports"):
    return next(float(r["value_full"]) for r in TRADE if r["dataset"] == dataset
                and r["reporter"] == reporter and r["partner"] == partner
                and r["year"] == str(year) and r["flow"] == flow)


def gdp(iso, year):
    return next(float(r["value"]) for r in WDI if r["country"] == iso
                and r["indicator"] == "NY.GDP.MKTP.CD" and r["year"] == str(year))


def test_shares_are_of_the_reporters_total_not_of_the_three():
    """Kazakhstan 2019: Russia 36.5%, China 16.1%, the US 3.4% of all imports (WLD)."""
    s = powers.own_power_split("KAZ", 2019, 2019).set_index("counterpart")
    world = cell("wto_hs_m_0010", "KAZ", "WLD", 2019)
    values = {p: cell("wto_hs_m_0010", "KAZ", p, 2019) for p in POWERS}
    for p, v in values.items():
        assert s.loc[p, "share_of_total_pct"] == pytest.approx(100 * v / world)
        assert s.loc[p, "share_of_three_pct"] == pytest.approx(100 * v / sum(values.values()))
    assert [round(s.loc[p, "share_of_total_pct"], 1) for p in ("RUS", "CHN", "USA")] == [36.5, 16.1, 3.4]


def test_uzstat_has_no_total_so_no_share_of_total():
    s = powers.own_power_split("UZB", 2023, 2023)
    assert s["share_of_total_pct"].isna().all()
    exp = s[s["flow"] == "exports"].set_index("counterpart")
    values = {p: cell("uzstat_sdmx", "UZB", p, 2023, "exports") for p in POWERS}
    for p, v in values.items():
        assert exp.loc[p, "share_of_three_pct"] == pytest.approx(100 * v / sum(values.values()))


@pytest.mark.parametrize("iso", ["TJK", "TKM"])
def test_own_power_split_empty_without_own_reports(iso):
    assert powers.own_power_split(iso, 1996, 2023).empty


def test_annual_trade_compares_like_with_like():
    for iso in ("KAZ", "KGZ", "TJK", "TKM", "UZB"):
        a = powers.annual_trade(iso)
        for _, block in a.groupby(["basis", "dataset", "flow"]):
            assert block["year"].nunique() == 1, iso  # one year per block
            assert block["counterpart"].is_unique
            wanted = set(POWERS) if block["basis"].iloc[0] == "own" else {"CHN", "USA"}
            assert set(block["counterpart"]) == wanted, iso
        assert (a.loc[a["basis"] == "mirror", "counterpart"] != "RUS").all()
    kaz = powers.annual_trade("KAZ").set_index(["basis", "counterpart"])
    years = {int(r["year"]) for r in TRADE if r["reporter"] == "KAZ" and r["partner"] in POWERS}
    assert kaz.loc[("own", "RUS"), "year"] == max(years)
    assert kaz.loc[("own", "CHN"), "pct_of_gdp"] == pytest.approx(
        100 * cell("wto_hs_m_0010", "KAZ", "CHN", max(years)) / gdp("KAZ", max(years)))
    assert kaz.loc[("mirror", "CHN"), "value_usd_bn"] == pytest.approx(
        cell("wto_hs_m_0010", "CHN", "KAZ", kaz.loc[("mirror", "CHN"), "year"]) / 1e9)


def test_annual_trade_respects_end_year():
    a = powers.annual_trade("UZB", end_year=2015)
    assert set(a["year"]) <= set(range(1996, 2016)) and len(a)


def test_region_trade_covers_the_five_without_mixing_reports():
    r = powers.region_trade()
    assert set(r["country"]) == {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
    assert set(r.loc[r["basis"] == "own", "country"]) == {"KAZ", "KGZ", "UZB"}


def test_power_shares_own_report_matches_csv():
    s = powers.power_shares("KGZ", 2019).set_index(["basis", "counterpart"])
    world = cell("wto_hs_m_0010", "KGZ", "WLD", 2019)
    values = {p: cell("wto_hs_m_0010", "KGZ", p, 2019) for p in POWERS}
    for p, v in values.items():
        assert s.loc[("own", p), "share_of_world_pct"] == pytest.approx(100 * v / world)
        assert s.loc[("own", p), "share_of_powers_pct"] == pytest.approx(
            100 * v / sum(values.values()))
        assert s.loc[("own", p), "pct_of_gdp"] == pytest.approx(100 * v / gdp("KGZ", 2019))


def test_power_shares_keeps_eur_apart():
    s = powers.power_shares("TJK", 2018)
    eu = s[s["counterpart"] == "EU27"].iloc[0]
    assert eu["currency"] == "EUR"
    assert eu["value_eur_bn"] == pytest.approx(
        cell("eurostat_comext", "EU27", "TJK", 2018, "exports") / 1e9)
    assert eu[["value_usd_bn", "share_of_powers_pct", "pct_of_gdp"]].isna().all()


def test_power_shares_mirror_has_no_russia():
    mirror = powers.power_shares("TKM", 2018)
    mirror = mirror[mirror["basis"] == "mirror"]
    assert "RUS" not in set(mirror["counterpart"])


def test_mirror_exports_gdp_matches_csv():
    m = powers.mirror_exports_gdp("UZB", 2015, 2015).set_index("counterpart")
    assert m.loc["CHN", "pct_of_gdp"] == pytest.approx(
        100 * cell("wto_hs_m_0010", "CHN", "UZB", 2015) / gdp("UZB", 2015))


def test_balance_by_year_matches_the_csv():
    b = powers.balance_by_year("KGZ", 2010, 2019).set_index("year")
    world = cell("wto_hs_m_0010", "KGZ", "WLD", 2019)
    assert b.loc[2019, "imports_chn_pct_total"] == pytest.approx(
        100 * cell("wto_hs_m_0010", "KGZ", "CHN", 2019) / world)
    assert b.loc[2018, "exports_to_chn_pct_gdp"] == pytest.approx(
        100 * cell("wto_hs_m_0010", "CHN", "KGZ", 2018) / gdp("KGZ", 2018))
    assert not [c for c in b if c.startswith("exports_share") or "_share_" in c]
    uzb = powers.balance_by_year("UZB", 2023, 2023).set_index("year")
    exports = {p: cell("uzstat_sdmx", "UZB", p, 2023, "exports") for p in POWERS}
    assert uzb.loc[2023, "exports_share_rus_pct"] == pytest.approx(
        100 * exports["RUS"] / sum(exports.values()))
    assert powers.balance_by_year("TJK", 1996, 1996).columns.tolist()[0] == "year"


@pytest.mark.parametrize("call", [
    lambda c: powers.power_shares(c, 2018),
    lambda c: powers.own_power_split(c, 2010, 2023),
    lambda c: powers.mirror_exports_gdp(c, 2010, 2023),
    lambda c: powers.annual_trade(c),
])
def test_refuses_unknown_country_and_accepts_names(call):
    with pytest.raises(UnknownValueError):
        call("Kazakstann Republic of Nowhere")
    by_name, by_code = call("Kazakhstan"), call("KAZ")
    assert not by_code.empty and by_name.equals(by_code)
