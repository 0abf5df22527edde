"""Unit tests for helpers.nb.views.trade: the charts and sentences of notebook 02 state what the CSV files hold."""

import statistics

import pytest
from conftest import csv_rows
from conftest import markdown_text as text

from helpers.analysis import deals, trade
from helpers.data import countries
from helpers.nb.views import trade as view
from helpers.nb.views.partners import usd

TRADE = csv_rows("derived/trade.csv")
DEALS = csv_rows("curated/deals.csv")
CLAIMS = csv_rows("curated/claims.csv")
C5 = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
POWERS = ("USA", "CHN", "RUS")


pytestmark = pytest.mark.usefixtures("agg_figures")



def test_coverage_sentence_for_a_country_that_reports_imports_only():
    said = text(view.coverage_sentence(trade.coverage("KAZ"), "KAZ"))
    years = trade.year_spans(int(r["year"]) for r in TRADE if r["reporter"] == "KAZ")
    assert said.startswith("Kazakhstan reports its own trade by partner as imports")
    assert f"US dollars, {years})" in said
    assert "known only as its partners record their imports from it" in said
    if "RUS" not in {r["reporter"] for r in TRADE}:
        assert "Kazakhstan's exports to Russia are not in it at all" in said


def test_coverage_sentence_for_a_country_that_does_not_report():
    said = text(view.coverage_sentence(trade.coverage("TJK"), "TJK"))
    assert "**Tajikistan publishes no trade by partner in this table.**" in said
    reporters = {r["reporter"] for r in TRADE if r["partner"] == "TJK" and r["currency"] == "USD"
                 and r["flow"] == "imports"}
    for code in reporters:
        assert countries.name(code) in said


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


def test_disputed_sentence_reads_a_tense_difference_as_one_figure_not_a_dispute():
    from helpers import data

    said = text(view.disputed_sentence(deals.reported_totals(), data.load("claims"),
                                       data.load("disagreements")))
    tense = next(r for r in csv_rows("curated/disagreements.csv")
                 if r["fact_id"] == view.CHINA_TOTAL and r["kind"] == "tense")
    assert tense["as_written_a"] in said and tense["as_written_b"] in said
    assert "is one figure" in said and "outturn" in said
    assert "forecast in 1 document" not in said and "disagree on" not in said
    spelled = {r["fact_id"] for r in csv_rows("curated/disagreements.csv")
               if r["kind"] == "spelling"}
    assert spelled and "differ only in spelling" in said


def test_china_check_sets_no_figure_against_the_stated_total_as_a_share():
    said = text(view.china_check(deals.reported_totals(), None))
    assert "% of the stated" not in said and " = " not in said
    assert "one article's figure" in said


def test_ratio_sentence_gives_no_median_over_too_few_years():
    ratio = trade.reporter_ratio("TKM")
    assert 0 < len(ratio) < view.MIN_RATIO_YEARS
    said = text(view.ratio_sentence(ratio, "TKM", 1996, 2023))
    assert "median" not in said and "too few" in said


def test_findings_add_no_transit_caveat_to_a_fall_and_date_old_series():
    from helpers.analysis import deliverables, partners

    rise = trade.eu_rise()
    fell = rise[(rise["ratio"] < 1) & rise["country"].isin(C5)]
    assert len(fell)
    iso = fell["country"].iloc[0]
    said = text(view.findings(iso, deliverables.ledger(iso), partners.partner_shares(iso), rise,
                              deals.reported_totals()))
    assert "fell between" in said and "went on to Russia" not in said
    kgz = text(view.findings("KGZ", deliverables.ledger("KGZ"), partners.partner_shares("KGZ"),
                             rise, deals.reported_totals()))
    last = max(int(r["year"]) for r in TRADE if r["reporter"] == "KGZ")
    assert last < 2022 and f"in {last}" in kgz and "the latest available year, before 2022" in kgz
    assert "shares only" not in said


def test_transit_sentence_attributes_the_route_aims_to_the_outlet():
    transit, routes = trade.transit_claims(), trade.route_aims()
    said = text(view.transit_sentence(transit, routes, None))
    assert "statement" not in said and "US government's" not in said
    from helpers.analysis import sources

    outlet = sources.document_names()[routes["source"].iloc[0]]
    assert set(routes["voice"]) == {"outlet"}  # the outlet's own words, not a US statement
    assert f"{outlet} reports, in its own words" in said


def test_china_check_puts_the_focus_country_first():
    totals = deals.reported_totals()
    said = text(view.china_check(totals, "KGZ"))
    bullets = [line for line in said.splitlines() if line.startswith("- ")]
    year = max(int(r["year"]) for r in TRADE if r["reporter"] == "CHN" and r["partner"] in C5)
    kgz = next(r for r in TRADE if r["reporter"] == "CHN" and r["partner"] == "KGZ"
               and r["year"] == str(year) and r["flow"] == "imports")
    assert bullets[0].startswith("- **China's imports from Kyrgyzstan**")
    assert usd(float(kgz["value_full"]) / 1e9) in bullets[0]
    assert not any("Uzbekistan" in b for b in bullets)  # the country's report keeps its own rows
    overview = text(view.china_check(totals, None))
    own = {r["reporter"] for r in TRADE if r["partner"] == "CHN" and r["reporter"] in C5}
    for code in own:
        assert f"{countries.name(code)}'s" in overview
    assert bullets[2].startswith("- **Kyrgyzstan's imports from China, in its own figures**")
    edb = next(r for r in CLAIMS if r["fact_id"] == view.CHINA_TOTAL)
    assert f"US${float(edb['value']) * int(edb['multiplier']) / 1e9:.1f} billion of two-way" in said


def test_transit_sentence_for_kazakhstan_and_another_country():
    transit, routes = trade.transit_claims(), trade.route_aims()
    assert "Transit is Kazakhstan's card" in text(view.transit_sentence(transit, routes, "KAZ"))
    other = text(view.transit_sentence(transit, routes, "TKM"))
    assert "no transit figure for Turkmenistan" in other and "cross Kazakhstan" in other


def test_findings_name_the_largest_power_and_the_eu_rise_of_the_country():
    from helpers.analysis import deliverables, partners

    rise = trade.eu_rise()
    said = text(view.findings("KGZ", deliverables.ledger("KGZ"), partners.partner_shares("KGZ"),
                              rise, deals.reported_totals()))
    bullets = [line for line in said.splitlines() if line.startswith("- ")]
    rows = [r for r in TRADE if r["reporter"] == "KGZ" and r["flow"] == "imports"]
    last = max(int(r["year"]) for r in rows if r["partner"] in POWERS)
    year = {r["partner"]: float(r["value_full"]) for r in rows if int(r["year"]) == last}
    top = max(POWERS, key=lambda p: year.get(p, 0))
    assert bullets[0].startswith(f"- {countries.name(top)} was Kyrgyzstan's largest partner")
    assert f"{100 * year[top] / year['WLD']:.1f}% of its total imports" in bullets[0]
    eu = {r["year"]: float(r["value_full"]) for r in TRADE if r["dataset"] == "eurostat_comext"
          and r["partner"] == "KGZ"}
    latest = max(eu)
    ratio = eu[latest] / eu[str(trade.EU_BASE_YEAR)]
    assert any(f"{ratio:.1f} times as large in {latest}" in b for b in bullets)
    assert not any("Uzbekistan" in b for b in bullets[:-1])


def test_findings_of_a_country_without_own_reports_say_so():
    from helpers.analysis import deliverables, partners

    said = text(view.findings("TKM", deliverables.ledger("TKM"), partners.partner_shares("TKM"),
                              trade.eu_rise(), deals.reported_totals()))
    assert "Turkmenistan publishes no trade by partner here" in said
    assert "No 2025 deliverable names Turkmenistan on its own" in said
