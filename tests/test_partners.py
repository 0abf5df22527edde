"""Unit tests for helpers.analysis.partners: each partner's share of a country's trade is of the
reporter's total (its WLD row), never of the three powers unless labelled; gaps stay gaps;
countries that report nothing get their partners' mirror figures. Expectations from the CSV."""

import pytest
from conftest import csv_rows

from helpers.analysis import partners

TRADE = csv_rows("derived/trade.csv")
C5 = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
POWERS = ("USA", "CHN", "RUS")


def _own(iso):
    return [r for r in TRADE if r["reporter"] == iso and r["currency"] == "USD"]


@pytest.mark.parametrize("iso", ["KAZ", "KGZ"])
def test_shares_are_of_the_reporters_total_every_year(iso):
    got = partners.partner_shares(iso)
    repeated = _repeated(iso)
    totals = {(r["flow"], r["year"]): float(r["value_full"]) for r in _own(iso) if r["partner"] == "WLD"}
    powers = [r for r in _own(iso) if r["partner"] in POWERS]
    assert set(got["measure"]) == {"share_of_total"}
    indexed = got.set_index(["flow", "counterpart", "year"])
    for r in powers:
        if repeated and int(r["year"]) <= max(repeated):
            continue
        row = indexed.loc[(r["flow"], r["partner"], int(r["year"]))]
        assert row["share_of_total_pct"] == pytest.approx(
            100 * float(r["value_full"]) / totals[(r["flow"], r["year"])])
    assert got["share_of_three_pct"].isna().all()  # never the sum of the three
    years = {int(r["year"]) for r in _own(iso) if not repeated or int(r["year"]) > max(repeated)}
    assert set(got["year"]) == years  # every year the data covers, nothing filled in


def _repeated(iso):
    """Years of a country's own report whose every shared partner figure repeats another
    year's to within one unit (a copied year), from the CSV."""
    by_year = {}
    for r in _own(iso):
        by_year.setdefault(int(r["year"]), {})[r["partner"]] = float(r["value_full"])
    found = set()
    for a in by_year:
        for b in by_year:
            shared = set(by_year[a]) & set(by_year[b])
            if a < b and len(shared) >= 5 and all(
                    abs(by_year[a][p] - by_year[b][p]) <= 1.5 + 1e-6 * abs(by_year[a][p])
                    for p in shared):
                found |= {a, b}
    return sorted(found)


def test_kyrgyzstan_copied_years_are_dropped_and_the_series_starts_after_them():
    repeated = _repeated("KGZ")
    assert len(repeated) == 2  # 1999 and 2001: the same figures in the WTO file
    china = {int(r["year"]): r["value_full"] for r in _own("KGZ") if r["partner"] == "CHN"}
    assert china[repeated[0]] == china[repeated[1]]
    got = partners.partner_shares("KGZ")
    assert int(got["year"].min()) == max(repeated) + 1
    assert _repeated("KAZ") == [] and partners.repeated_years(
        partners.partner_series("KGZ").query("basis == 'own'")) == repeated


def test_other_partners_are_the_largest_named_ones_of_the_latest_year():
    got = partners.partner_shares("KAZ", others=2)
    rows = _own("KAZ")
    last = max(r["year"] for r in rows)
    named = sorted((r for r in rows if r["year"] == last and r["partner"] not in
                    (*POWERS, "WLD", "OTH", "EU27")), key=lambda r: -float(r["value_full"]))
    others = set(got["counterpart"]) - set(POWERS)
    assert others == {r["partner"] for r in named[:2]}


def test_a_report_without_a_total_gives_shares_of_the_three_labelled_so():
    got = partners.partner_shares("UZB")
    assert not any(r["partner"] == "WLD" for r in _own("UZB"))  # the staged Uzstat table
    assert set(got["measure"]) == {"share_of_three"} and got["share_of_total_pct"].isna().all()
    year = max(r["year"] for r in _own("UZB"))
    rows = {r["partner"]: float(r["value_full"]) for r in _own("UZB")
            if r["year"] == year and r["flow"] == "imports" and r["partner"] in POWERS}
    one = got[(got["year"] == int(year)) & (got["flow"] == "imports")].set_index("counterpart")
    for p, v in rows.items():
        assert one.loc[p, "share_of_three_pct"] == pytest.approx(100 * v / sum(rows.values()))


@pytest.mark.parametrize("iso", ["TJK", "TKM"])
def test_a_country_that_reports_nothing_gets_mirror_values_not_shares(iso):
    got = partners.partner_shares(iso)
    mirror = [r for r in TRADE if r["partner"] == iso and r["reporter"] != iso
              and r["flow"] == "imports" and r["currency"] == "USD" and float(r["value_full"]) > 0]
    assert set(got["measure"]) == {"mirror_value"} and set(got["basis"]) == {"mirror"}
    assert len(got) == len(mirror)
    assert got["value_usd_bn"].sum() == pytest.approx(sum(float(r["value_full"]) for r in mirror) / 1e9)
    assert got["share_of_total_pct"].isna().all() and got["share_of_three_pct"].isna().all()


def test_shares_wide_leaves_gaps_empty():
    wide = partners.shares_wide(partners.partner_shares("KAZ"))
    years = sorted({int(r["year"]) for r in _own("KAZ")})
    assert wide["year"].tolist() == years  # a missing year is absent, not a row of zeros
    assert list(wide.columns)[1:4] == list(POWERS)


def test_region_shares_and_latest_shares_cover_the_five():
    region = partners.region_shares()
    assert set(region["country"]) == set(C5)
    latest = partners.latest_shares(region)
    assert set(latest["country"]) == {r["reporter"] for r in TRADE if r["reporter"] in C5}
    for _, rep in latest.groupby(["country", "dataset", "flow"]):
        assert set(rep["counterpart"]) == set(POWERS) and rep["year"].nunique() == 1


def test_region_coverage_lists_each_country():
    cov = partners.region_coverage()
    assert set(cov["country"]) == set(C5)
