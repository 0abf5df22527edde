"""Unit tests for helpers.nb.views.trade: the charts and sentences of notebook 02 state what the CSV files hold."""

import statistics

import pytest
from conftest import csv_rows
from conftest import markdown_text as text

from helpers.analysis import deals, trade
from helpers.data import countries
from helpers.nb.views import trade as view

TRADE = csv_rows("derived/trade.csv")
DEALS = csv_rows("curated/deals.csv")
CLAIMS = csv_rows("curated/claims.csv")
C5 = ("KAZ", "KGZ", "TJK", "TKM", "UZB")


pytestmark = pytest.mark.usefixtures("agg_figures")



def money(value_full, digits=2):
    return f"US${float(value_full) / 1e9:,.{digits}f} billion"


def test_deals_table_reads_quantities_with_their_unit():
    table = view.deals_table(deals.deals_for("KAZ"))
    wabtec = next(r for r in DEALS if r["fact_id"] == "kaz_wabtec_locomotive_deal" and r["quantity"])
    assert f"{float(wabtec['quantity']):g} {wabtec['quantity_unit']}" in set(table["quantity"])
    assert "countries" not in table and set(table["parties"]) == {"Kazakhstan", "all five"}


def test_deals_sentences_for_a_country_without_deals_of_its_own():
    said = text(view.deals_sentences(deals.deals_for("TJK"), "TJK"))
    region = {r["fact_id"] for r in DEALS if set(C5) <= set(r["countries"].split(";"))}
    region -= {"boeing_aircraft_purchase_central_asia"}  # the chosen row is Uzbekistan's
    assert "No deal in the seeds names Tajikistan on its own" in said
    assert f"{len(region)} region-wide deals" in said
    assert "Elsewhere in the region" in said and "(seed 000)" in said


def test_deals_sentences_name_the_largest_own_deal():
    rows = sorted((r for r in DEALS if "KAZ" in r["countries"].split(";")
                   and not set(C5) <= set(r["countries"].split(";")) and r["value"]),
                  key=lambda r: (r["source"], int(r["source_line"])))
    own = {r["fact_id"] for r in DEALS if "KAZ" in r["countries"].split(";")
           and not set(C5) <= set(r["countries"].split(";"))}
    first = {}
    for r in rows:  # the first document stating a value speaks for the fact
        first.setdefault(r["fact_id"], r)
    sets = {f: r for f, r in first.items() if "agreement" in r["quantity_unit"]}
    single = [r for f, r in first.items() if f not in sets]
    largest = max(single, key=lambda r: float(r["value"]) * int(r["multiplier"]))
    said = text(view.deals_sentences(deals.deals_for("KAZ"), "KAZ"))
    assert f"The seeds name Kazakhstan in {len(own) - len(sets)} deals of its own" in said
    assert f"the largest single deal stated is {largest['value_as_written']}" in said
    for r in sets.values():  # a set of agreements is counted, its value is not one deal's
        assert f"{float(r['quantity']):g} {r['quantity_unit']} signed with China" in said
        assert f"({r['value_as_written']} in all)" in said


def test_deals_sentences_compare_counts_with_counts():
    said = text(view.deals_sentences(deals.deals_for("UZB"), "UZB"))
    conflict = said.split("Boeing aircraft bought (Uzbekistan): ")[1]
    for r in DEALS:
        if r["fact_id"] == "boeing_aircraft_purchase_central_asia" and r["value"]:
            assert r["value_as_written"] not in conflict


def test_deals_sentences_for_the_country_of_a_conflict():
    said = text(view.deals_sentences(deals.deals_for("UZB"), "UZB"))
    assert "The documents disagree on the number of Boeing aircraft bought (Uzbekistan)" in said


def test_overlaps_sentence_quotes_both_pledges():
    facts = deals.deal_facts()
    said = text(view.overlaps_sentence(facts))
    for pair in deals.nested_pledges(facts).itertuples():
        for fact_id in pair[1:]:
            written = next(r["value_as_written"] for r in DEALS if r["fact_id"] == fact_id)
            assert written in said
    assert "may include named deals" in said


def test_deal_label_marks_the_focus_country():
    row = {"scope": "region", "countries": ";".join(C5), "sector": "trade_investment",
           "status": "signed", "horizon_years": 0.5}
    assert view.deal_label(row, "KAZ") == "all five · trade investment · signed · 6 months"


def test_deals_chart_has_one_bar_per_valued_central_asian_deal():
    facts = deals.deal_facts()
    fig = view.deals_chart(facts, "KAZ")
    ax = fig.axes[0]
    expected = facts[(facts["scope"] != "outside") & facts["value_usd_bn"].notna()]
    assert len(ax.patches) == len(expected)
    assert sum(label.get_text().startswith("◆") for label in ax.get_yticklabels()) == len(
        expected[expected["countries"].str.contains("KAZ") & (expected["scope"] == "country")])
    assert ax.get_title() and "US$ bn" in ax.get_xlabel()
    assert any(t.get_text().startswith("Source: ") for t in fig.texts)


def test_own_trade_sentence_and_chart_for_a_country_that_reports():
    cov, imports = trade.coverage("KAZ"), trade.own_imports("KAZ", 2010, 2023)
    said = text(view.own_trade_sentence(cov, imports, "KAZ", 2010, 2023))
    years = sorted({int(r["year"]) for r in TRADE if r["reporter"] == "KAZ"})
    assert said.startswith("Kazakhstan reports its own trade by partner")
    assert f"US dollars, {years[0]}–{years[-1]}, {len(years)} years" in said
    fig = view.own_imports_chart(imports, "KAZ", 2010, 2023)
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.get_lines()] == [countries.name(p) for p in countries.POWERS]
    assert "US$ bn" in ax.get_ylabel()


def test_own_trade_sentence_and_chart_for_a_country_that_does_not_report():
    imports = trade.own_imports("TJK", 2010, 2023)
    said = text(view.own_trade_sentence(trade.coverage("TJK"), imports, "TJK", 2010, 2023))
    assert "Tajikistan does not report its trade by partner" in said
    assert view.own_imports_chart(imports, "TJK", 2010, 2023) is None


def test_own_trade_sentence_outside_the_years_it_reports():
    imports = trade.own_imports("KAZ", 2010, 2012)
    said = text(view.own_trade_sentence(trade.coverage("KAZ"), imports, "KAZ", 2010, 2012))
    assert "not within 2010–2012" in said


def test_mirror_chart_draws_one_line_per_reporter_on_a_log_scale():
    mirror = trade.mirror_exports("KGZ", 2010, 2023)
    reporters = {r["reporter"] for r in TRADE if r["partner"] == "KGZ" and r["reporter"] != "KGZ"
                 and r["currency"] == "USD" and r["flow"] == "imports"
                 and 2010 <= int(r["year"]) <= 2023 and float(r["value_full"]) > 0}
    ax = view.mirror_chart(mirror, "KGZ", 2010, 2023).axes[0]
    assert len(ax.get_lines()) == len(reporters) and ax.get_yscale() == "log"
    assert view.mirror_chart(mirror.iloc[0:0], "KGZ", 2010, 2023) is None


def test_ratio_sentence_gives_the_median():
    def imports(reporter):
        return {r["year"]: float(r["value_full"]) for r in TRADE if r["reporter"] == reporter
                and r["partner"] == "KAZ" and r["dataset"] == "wto_hs_m_0010"
                and 2010 <= int(r["year"]) <= 2023 and float(r["value_full"]) > 0}
    cn, us = imports("CHN"), imports("USA")
    median = statistics.median(cn[y] / us[y] for y in set(cn) & set(us))
    said = text(view.ratio_sentence(trade.reporter_ratio("KAZ", start_year=2010, end_year=2023),
                                    "KAZ", 2010, 2023))
    assert f"a median **{median:.1f}×**" in said
    assert f"{len(set(cn) & set(us))} years" in said


def test_eu_chart_and_sentence_state_the_first_and_last_year():
    series = trade.partner_series("UZB", 2010, 2023)
    eu = series[series["dataset"] == "eurostat_comext"]
    rows = sorted((r for r in TRADE if r["dataset"] == "eurostat_comext" and r["partner"] == "UZB"
                   and 2010 <= int(r["year"]) <= 2023), key=lambda r: int(r["year"]))
    ax = view.eu_chart(eu, "UZB").axes[0]
    assert len(ax.patches) == len(rows) and "€" in ax.get_ylabel()
    said = text(view.eu_sentence(eu, "UZB", 2010, 2023))
    first, last = float(rows[0]["value_full"]) / 1e9, float(rows[-1]["value_full"]) / 1e9
    assert f"€{first:.2f} billion in {rows[0]['year']} to €{last:.2f} billion in {rows[-1]['year']}" in said
    assert "Eurostat has no EU27 exports" in text(view.eu_sentence(eu.iloc[0:0], "UZB", 2010, 2023))


def test_disputed_sentence_reads_outturn_and_forecast():
    from helpers import data

    said = text(view.disputed_sentence(deals.reported_totals(), data.load("claims"),
                                       data.load("disagreements")))
    assert "an outturn in 1 document and a forecast in 1 document" in said


def test_china_check_puts_the_focus_country_first():
    totals = deals.reported_totals()
    said = text(view.china_check(totals, "KGZ"))
    bullets = [line for line in said.splitlines() if line.startswith("- ")]
    year = max(int(r["year"]) for r in TRADE if r["reporter"] == "CHN" and r["partner"] in C5)
    kgz = next(r for r in TRADE if r["reporter"] == "CHN" and r["partner"] == "KGZ"
               and r["year"] == str(year) and r["flow"] == "imports")
    assert bullets[0].startswith("- **China's imports from Kyrgyzstan**")
    assert money(kgz["value_full"]) in bullets[0]
    assert bullets[2].startswith("- **Kyrgyzstan's imports from China, in its own figures**")
    edb = next(r for r in CLAIMS if r["fact_id"] == view.CHINA_TOTAL)
    assert f"US${float(edb['value']) * int(edb['multiplier']) / 1e9:.1f} billion of two-way" in said


def test_transit_sentence_for_kazakhstan_and_another_country():
    transit, routes = trade.transit_claims(), trade.route_aims()
    assert "Transit is Kazakhstan's card" in text(view.transit_sentence(transit, routes, "KAZ"))
    other = text(view.transit_sentence(transit, routes, "TKM"))
    assert "no transit figure for Turkmenistan" in other and "cross Kazakhstan" in other


def test_findings_are_four_bullets_about_the_country():
    imports = trade.own_imports("KGZ", 2010, 2023)
    latest = trade.latest_by_reporter(trade.mirror_exports("KGZ", 2010, 2023))
    said = text(view.findings("KGZ", deals.deals_for("KGZ"), latest, imports,
                              deals.reported_totals()))
    bullets = [line for line in said.splitlines() if line.startswith("- ")]
    assert len(bullets) == 4 and all("Kyrgyzstan" in b for b in bullets[:3])
    last = imports[imports["year"] == imports["year"].max()]
    top = last.sort_values("value_full").iloc[-1]
    assert f"{countries.name(top['counterpart'])} is the largest" in bullets[2]
    assert money(top["value_full"]) in bullets[2]
