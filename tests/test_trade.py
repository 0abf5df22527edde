"""Unit tests for helpers.trade: expectations are computed from the CSV files themselves."""

import csv
from collections import defaultdict

import pytest

from helpers import paths, trade


def rows(name):
    with open(paths.DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


TRADE = rows("derived/trade.csv")
DEALS = rows("curated/deals.csv")
CLAIMS = rows("curated/claims.csv")


def test_year_bounds_are_the_tables_extremes():
    years = [int(r["year"]) for r in TRADE]
    assert trade.year_bounds() == (min(years), max(years))


@pytest.mark.parametrize("iso", ["KAZ", "KGZ", "TJK", "TKM", "UZB"])
def test_partner_series_holds_every_own_and_mirror_row(iso):
    series = trade.partner_series(iso)
    own = [r for r in TRADE if r["reporter"] == iso]
    mirror = [r for r in TRADE if r["partner"] == iso and r["reporter"] != iso]
    assert (series["basis"] == "own").sum() == len(own)
    assert (series["basis"] == "mirror").sum() == len(mirror)
    assert series["value_full"].sum() == pytest.approx(
        sum(float(r["value_full"]) for r in own + mirror))


def test_mirror_flow_is_flipped_and_currency_kept():
    series = trade.partner_series("UZB", partners=["EU27", "CHN"])
    eu = series[series["counterpart"] == "EU27"]
    assert set(eu["currency"]) == {"EUR"} and set(eu["flow_reported"]) == {"exports"}
    assert set(eu["flow"]) == {"imports"} and set(eu["basis"]) == {"mirror"}
    china = series[(series["reporter"] == "CHN")]
    assert set(china["flow"]) == {"exports"} and set(china["currency"]) == {"USD"}


def test_partner_series_value_matches_csv_for_one_cell():
    expected = next(float(r["value_full"]) for r in TRADE if r["dataset"] == "wto_hs_m_0010"
                    and r["reporter"] == "KAZ" and r["partner"] == "RUS" and r["year"] == "2019")
    got = trade.partner_series("KAZ", 2019, 2019, partners=["RUS"])
    got = got[got["basis"] == "own"]
    assert got["value_full"].tolist() == [expected]


def test_year_filter_is_inclusive():
    series = trade.partner_series("KGZ", 2005, 2007)
    assert sorted(series["year"].unique()) == [2005, 2006, 2007]


def test_reports_own_trade_matches_reporters_in_csv():
    reporters = {r["reporter"] for r in TRADE}
    for iso in ("KAZ", "KGZ", "TJK", "TKM", "UZB"):
        assert trade.reports_own_trade(iso) == (iso in reporters)


def test_coverage_years_match_csv():
    cov = trade.coverage("KAZ").set_index(["basis", "reporter"])
    years = sorted({int(r["year"]) for r in TRADE if r["reporter"] == "KAZ"})
    row = cov.loc[("own", "KAZ")]
    assert (row["first_year"], row["last_year"], row["years"]) == (years[0], years[-1], len(years))


def test_deal_facts_one_row_per_fact_with_source_counts():
    facts = trade.deal_facts().set_index("fact_id")
    by_fact = defaultdict(set)
    for r in DEALS:
        by_fact[r["fact_id"]].add(r["source"])
    assert set(facts.index) == set(by_fact)
    for fact_id, sources in by_fact.items():
        assert facts.loc[fact_id, "sources"] == len(sources)


def test_deal_values_are_value_times_multiplier_in_billions():
    facts = trade.deal_facts().set_index("fact_id")
    for r in DEALS:
        if r["value"] and r["currency"] == "USD":
            expected = float(r["value"]) * int(r["multiplier"]) / 1e9
            assert facts.loc[r["fact_id"], "value_usd_bn"] == pytest.approx(expected)


def test_deal_horizon_comes_from_duration_claims():
    facts = trade.deal_facts().set_index("fact_id")
    years = {r["fact_id"]: float(r["value"]) for r in CLAIMS
             if r["metric"] == "duration" and r["unit"] == "years"}
    for fact_id, horizon in years.items():
        if fact_id in facts.index:
            assert facts.loc[fact_id, "horizon_years"] == horizon
            assert facts.loc[fact_id, "per_year_usd_bn"] == pytest.approx(
                facts.loc[fact_id, "value_usd_bn"] / horizon)


def test_boeing_conflict_is_flagged_and_quantity_from_same_document():
    facts = trade.deal_facts().set_index("fact_id")
    boeing = facts.loc["boeing_aircraft_purchase_central_asia"]
    assert "45" in boeing["conflict"] and "$8" in boeing["conflict"]
    best = sorted((r for r in DEALS if r["fact_id"] == "boeing_aircraft_purchase_central_asia"
                   and r["value"]), key=lambda r: (r["source"], int(r["source_line"])))[0]
    count = next(float(r["value"]) for r in CLAIMS if r["fact_id"] == best["fact_id"]
                 and r["source"] == best["source"] and r["metric"] == "count")
    assert boeing["quantity"] == count


def test_deals_for_keeps_named_and_region_wide_only():
    for iso in ("KAZ", "TJK"):
        got = set(trade.deals_for(iso)["fact_id"])
        expected = {r["fact_id"] for r in DEALS if iso in r["countries"].split(";")}
        # the chosen row's countries decide: Boeing is Uzbekistan's ($8bn rows), not region-wide
        expected -= {"boeing_aircraft_purchase_central_asia"}
        assert got == expected


def test_deals_summary_counts_add_up():
    summary = trade.deals_summary("KAZ")
    assert summary["deals"].sum() == len(trade.deals_for("KAZ"))
    assert summary["largest_usd_bn"].max() == trade.deals_for("KAZ")["value_usd_bn"].max()


def test_reported_totals_qualifiers_and_dispute():
    totals = trade.reported_totals().set_index("fact_id")
    edb = [r for r in CLAIMS if r["fact_id"] == "china_central_asia_trade_2024"]
    assert totals.loc["china_central_asia_trade_2024", "qualifiers"] == "; ".join(
        sorted({r["qualifier"] for r in edb}))
    disputed = {r["fact_id"] for r in rows("curated/disagreements.csv")}
    for fact_id, row in totals.iterrows():
        assert row["disputed"] == (fact_id in disputed)


def test_mirror_imports_from_sums_china_imports():
    c5 = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
    expected = sum(float(r["value_full"]) for r in TRADE if r["dataset"] == "wto_hs_m_0010"
                   and r["reporter"] == "CHN" and r["partner"] in c5 and r["year"] == "2018")
    assert trade.mirror_imports_from(c5, 2018).sum() == pytest.approx(expected)


def test_source_for_picks_one_credit():
    assert "Eurostat" not in trade.source_for("wto_hs_m_0010")
    assert "WTO" in trade.source_for("wto_hs_m_0010")
