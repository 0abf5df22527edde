"""Unit tests for helpers.analysis.trade and helpers.analysis.deals: expectations are computed from the CSV files themselves."""

from collections import defaultdict

import pandas as pd
import pytest
from conftest import csv_rows

from helpers.analysis import deals, trade
from helpers.errors import ParameterError, UnknownValueError

TRADE = csv_rows("derived/trade.csv")
DEALS = csv_rows("curated/deals.csv")
CLAIMS = csv_rows("curated/claims.csv")


def _agreements():
    """fact_id -> its agreement id, from the CSV: fact ids whose rows quote one seed line for
    the same parties, or that a row marks ``part_of`` another, joined by ``+``."""
    groups = {r["fact_id"]: {r["fact_id"]} for r in DEALS}
    lines = defaultdict(set)
    for r in DEALS:
        lines[(r["source"], r["source_line"], r["countries"])].add(r["fact_id"])
    links = list(lines.values()) + [{r["fact_id"], r["part_of"]} for r in DEALS
                                    if r.get("part_of") and r["part_of"] in groups]
    changed = True
    while changed:
        changed = False
        for ids in links:
            union = set().union(*(groups[i] for i in ids))
            for i in union:
                if groups[i] != union:
                    groups[i], changed = union, True
    return {f: "+".join(sorted(g)) for f, g in groups.items()}


AGREEMENT = _agreements()


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
    facts = deals.deal_facts().set_index("fact_id")
    by_fact = defaultdict(set)
    for r in DEALS:
        by_fact[AGREEMENT[r["fact_id"]]].add(r["source"])
    assert set(facts.index) == set(by_fact)
    for fact_id, sources in by_fact.items():
        assert facts.loc[fact_id, "sources"] == len(sources)


def test_deal_values_are_value_times_multiplier_in_billions():
    facts = deals.deal_facts().set_index("fact_id")
    for agreement in set(AGREEMENT.values()):
        rows = [r for r in DEALS if AGREEMENT[r["fact_id"]] == agreement and r["value"]]
        if rows and rows[0]["currency"] == "USD":
            first = min(r["source"] for r in rows)  # the first document stating a value
            expected = max(float(r["value"]) * int(r["multiplier"]) / 1e9 for r in rows
                           if r["source"] == first)  # an agreement in parts: its largest part
            assert facts.loc[agreement, "value_usd_bn"] == pytest.approx(expected)


def test_an_agreement_stated_in_parts_is_one_row_listing_each_part():
    facts = deals.deal_facts().set_index("fact_id")
    merged = {a for a in AGREEMENT.values() if "+" in a}
    assert merged  # Uzbekistan's 35bn/100bn pledge and Australia's framework are one each
    for agreement in merged:
        parts = [r for r in DEALS if AGREEMENT[r["fact_id"]] == agreement]
        assert len({(r["source"], r["source_line"]) for r in parts}) < len(parts) or any(
            r.get("part_of") for r in parts)
        first = min((r["source"] for r in parts if r["value"]), default=None)
        written = facts.loc[agreement, "value_as_written"]
        for r in parts:
            if r["source"] == first and r["value"]:
                assert r["value_as_written"] in written
        assert "per_year_usd_bn" not in facts.columns  # a pledge is never spread over years


def test_deal_horizon_only_for_forward_periods_of_a_year_or_more():
    facts = deals.deal_facts().set_index("fact_id")
    durations = [r for r in CLAIMS if r["metric"] == "duration" and r["fact_id"] in facts.index]
    assert durations, "the claims state periods for some deals"
    for r in durations:
        years = float(r["value"]) * (1 / 12 if r["unit"] == "months" else 1)
        quote = r["quote"].lower()
        forward = ("over the next" in quote or "over the subsequent" in quote
                   or (" years" in quote and "over " in quote)) and "first" not in quote
        row = facts.loc[AGREEMENT[r["fact_id"]]]
        if forward and years >= 1:
            assert row["horizon_years"] >= years  # an agreement in parts: its longest horizon
            assert f"{years:g} years" in row["period"]
        elif not any(o["fact_id"] == r["fact_id"] and o is not r and float(o["value"]) * (
                1 / 12 if o["unit"] == "months" else 1) >= 1 for o in durations):
            # a past period ("in the first six months") or a short one: stated, never spread
            assert row["horizon_years"] != row["horizon_years"]
            assert f"{float(r['value']):g} {r['unit']}" in row["period"]


def test_past_period_is_not_a_horizon():
    signed = [r for r in CLAIMS if r["metric"] == "duration" and "first six months" in r["quote"]]
    assert signed
    facts = deals.deal_facts().set_index("fact_id")
    for r in signed:
        horizon = facts.loc[AGREEMENT[r["fact_id"]], "horizon_years"]
        assert horizon != horizon


def test_deal_period_between_two_years_is_a_horizon():
    spans = [r for r in DEALS if r["period_start"].isdigit() and r["period_end"].isdigit()
             and f"between {r['period_start']} and {r['period_end']}" in r["quote"]]
    assert spans
    facts = deals.deal_facts().set_index("fact_id")
    for r in spans:
        years = int(r["period_end"]) - int(r["period_start"])
        assert facts.loc[AGREEMENT[r["fact_id"]], "horizon_years"] == years


@pytest.mark.parametrize("quote, forward", [
    ("invest up to 35 billion USD in the US over the next three years", True),
    ("up to 100 billion USD over ten years", True),
    ("a $1 billion financing plan between 2025 and 2030", True),
    ("In the first six months of Trump's second term, the U.S. signed", False),
    ("will invest $1 billion each in mining projects within the next six months", False),
    ("signed agreements worth nearly $15 billion", False),
])
def test_is_forward(quote, forward):
    assert deals.is_forward(quote) is forward


def test_boeing_quantity_comes_from_the_document_stating_the_value():
    facts = deals.deal_facts().set_index("fact_id")
    boeing = facts.loc[AGREEMENT["boeing_aircraft_purchase_central_asia"]]
    best = sorted((r for r in DEALS if r["fact_id"] == "boeing_aircraft_purchase_central_asia"
                   and r["value"]), key=lambda r: (r["source"], int(r["source_line"])))[0]
    count = next(float(r["value"]) for r in CLAIMS if r["fact_id"] == best["fact_id"]
                 and r["source"] == best["source"] and r["metric"] == "count")
    assert boeing["quantity"] == count
    assert boeing["kind"] == "purchase"  # the same document's count says "to purchase"


def test_counts_that_differ_between_documents_are_a_conflict():
    rows = [dict(r) for r in DEALS if r["fact_id"] == "kaz_wabtec_locomotive_deal"]
    assert len({r["source"] for r in rows}) == 2
    rows[1]["quantity"], rows[1]["quantity_as_written"] = "299", "299 kits"
    table = pd.DataFrame(rows).replace("", float("nan"))
    for col in ("value", "multiplier", "quantity"):
        table[col] = pd.to_numeric(table[col])
    table["source_line"] = table["source_line"].astype(int)
    fact = deals.deal_facts(table, pd.DataFrame(columns=list(CLAIMS[0]))).iloc[0]
    assert fact["conflict_kind"] == "count" and "299 kits" in fact["conflict"]


def test_deals_for_keeps_named_and_region_wide_only():
    for iso in ("KAZ", "TJK"):
        got = set(deals.deals_for(iso)["fact_id"])
        expected = {AGREEMENT[r["fact_id"]] for r in DEALS if iso in r["countries"].split(";")}
        assert got == expected


@pytest.mark.parametrize("status, quotes, unit, kind", [
    ("signed", ["the two countries signed 70 trade agreements"], "trade agreements", "set of agreements"),
    ("signed", ["the U.S. signed trade agreements worth $12.4 billion"], None, "set of agreements"),
    ("pledged", ["pledged to purchase goods and invest up to 35 billion USD"], None, "pledge"),
    ("financing_programme", ["a $1 billion financing plan"], None, "pledge"),
    ("agreed", ["cooperating in a 1.1 billion USD project"], None, "project"),
    ("agreed", ["an agreement on a project"], None, "memorandum"),
    ("framework", ["a framework agreement"], None, "memorandum"),
    ("signed", ["the purchase of 45 aircraft", "the $8 billion deal"], None, "purchase"),
    ("signed", ["Kazakhstan signed a $4.2 billion agreement"], "sets", "deal"),
])
def test_kind_of_reads_status_quote_and_unit(status, quotes, unit, kind):
    assert deals.kind_of(status, quotes, unit) == kind


def test_every_deal_fact_has_a_kind_and_sets_are_not_deals():
    facts = deals.deal_facts().set_index("fact_id")
    assert set(facts["kind"]) <= set(deals.KINDS)
    for r in DEALS:
        if "agreement" in r["quantity_unit"]:
            assert facts.loc[AGREEMENT[r["fact_id"]], "kind"] == "set of agreements"


def test_eu_exports_and_rise_are_eurostat_rows_in_euros():
    eu = [r for r in TRADE if r["dataset"] == "eurostat_comext" and r["reporter"] == "EU27"
          and r["flow"] == "exports"]
    base = str(trade.EU_BASE_YEAR)
    rise = trade.eu_rise().set_index("country")
    for iso in ("KAZ", "KGZ", "TJK", "TKM", "UZB"):
        rows = {r["year"]: float(r["value_full"]) for r in eu if r["partner"] == iso}
        last = max(rows)
        assert rise.loc[iso, "base_eur_bn"] == pytest.approx(rows[base] / 1e9)
        assert rise.loc[iso, "last_eur_bn"] == pytest.approx(rows[last] / 1e9)
        assert rise.loc[iso, "last_year"] == int(last)
        assert rise.loc[iso, "ratio"] == pytest.approx(rows[last] / rows[base])
    got = trade.eu_exports(["KGZ"])
    assert len(got) == sum(r["partner"] == "KGZ" for r in eu)
    assert list(got.columns) == ["country", "year", "value_eur_bn"]


def test_reported_totals_dispute_only_a_value_not_a_wording():
    totals = deals.reported_totals().set_index("fact_id")
    kinds = defaultdict(set)
    for r in csv_rows("curated/disagreements.csv"):
        kinds[r["fact_id"]].add(r["kind"])
    wording = {"name", "spelling", "tense"}
    for fact_id, row in totals.iterrows():
        assert row["disputed"] == bool(kinds[fact_id] - wording)
        assert row["wording"] == "; ".join(sorted(kinds[fact_id] & wording))
        qualifiers = {r["qualifier"] for r in CLAIMS if r["fact_id"] == fact_id}
        if "tense" in kinds[fact_id] and len(qualifiers) > 1:  # a translation's "will reach"
            qualifiers -= {"forecast"}
        assert row["qualifiers"] == "; ".join(sorted(qualifiers))
    edb = totals.loc["china_central_asia_trade_2024"]
    assert not edb["disputed"] and edb["qualifiers"] == "exact"


def test_mirror_imports_from_sums_china_imports():
    c5 = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
    expected = sum(float(r["value_full"]) for r in TRADE if r["dataset"] == "wto_hs_m_0010"
                   and r["reporter"] == "CHN" and r["partner"] in c5 and r["year"] == "2018")
    assert trade.mirror_imports_from(c5, 2018).sum() == pytest.approx(expected)


def test_source_for_picks_one_credit():
    assert "Eurostat" not in trade.source_for("wto_hs_m_0010")
    assert "WTO" in trade.source_for("wto_hs_m_0010")
    both = trade.source_for("wto_hs_m_0010", "uzstat_sdmx")
    assert "WTO" in both and "Uzbekistan" in both and "Eurostat" not in both


def test_source_for_rejects_unknown_dataset():
    with pytest.raises(UnknownValueError) as err:
        trade.source_for("wto_hs_m_0010", "comtrade")
    for dataset in trade.DATASETS:
        assert dataset in str(err.value)
    with pytest.raises(ParameterError):
        trade.source_for()


@pytest.mark.parametrize("call", [
    lambda c: trade.partner_series(c),
    lambda c: trade.coverage(c),
    lambda c: deals.deals_for(c),
    lambda c: trade.reports_own_trade(c),
])
def test_unknown_country_is_refused(call):
    with pytest.raises(UnknownValueError):
        call("Kazakstann Republic of Nowhere")
    with pytest.raises(UnknownValueError):
        call("CHN")  # a power, not one of the five


def test_names_and_aliases_resolve_to_codes():
    by_name = trade.partner_series("Kazakhstan", partners=["China"])
    by_code = trade.partner_series("KAZ", partners=["CHN"])
    assert not by_code.empty and by_name.equals(by_code)
    assert set(by_name["country"]) == {"KAZ"}
    assert trade.coverage("Kyrgyz Republic").equals(trade.coverage("KGZ"))
    assert deals.deals_for("Uzbekistan").equals(deals.deals_for("UZB"))


def test_split_codes():
    from helpers.data import countries

    assert countries.split_codes("KAZ;USA") == ("KAZ", "USA")
    assert countries.split_codes(float("nan")) == ()


def test_coverage_year_spans_show_gaps():
    cov = trade.coverage("KAZ", partners=["CHN"]).set_index(["basis", "reporter"])
    years = sorted({int(r["year"]) for r in TRADE if r["reporter"] == "KAZ" and r["partner"] == "CHN"})
    spans = cov.loc[("own", "KAZ"), "year_spans"]
    assert [int(y) for part in spans.split(", ") for y in
            (range(int(part.split("–")[0]), int(part.split("–")[-1]) + 1))] == years


def test_latest_with_china_matches_csv():
    latest = trade.latest_with("CHN")
    for r in latest.itertuples():
        reporter_rows = [x for x in TRADE if x["dataset"] == r.dataset and x["reporter"] == r.reporter
                         and x["flow"] == r.flow_reported and x["currency"] == "USD"
                         and {x["partner"], x["reporter"]} == {r.country, "CHN"}]
        last = max(reporter_rows, key=lambda x: int(x["year"]))
        assert r.year == int(last["year"])
        assert r.value_usd_bn == pytest.approx(float(last["value_full"]) / 1e9)
    assert set(latest["currency"]) == {"USD"}


@pytest.mark.parametrize("iso", ["KAZ", "KGZ", "UZB"])
def test_reporter_ratio_is_china_over_us_imports(iso):
    def imports(reporter):
        return {int(r["year"]): float(r["value_full"]) for r in TRADE
                if r["dataset"] == "wto_hs_m_0010" and r["reporter"] == reporter
                and r["partner"] == iso and r["flow"] == "imports" and float(r["value_full"]) > 0}
    cn, us = imports("CHN"), imports("USA")
    ratio = trade.reporter_ratio(iso)
    assert sorted(ratio.index) == sorted(set(cn) & set(us))
    for year, value in ratio.items():
        assert value == pytest.approx(cn[year] / us[year])


# --- selections and comparisons added for the thin notebook 02 ---------------------------

POWERS = ("USA", "CHN", "RUS")
STATEMENTS = csv_rows("curated/statements.csv")
DISAGREEMENTS = csv_rows("curated/disagreements.csv")


def test_signed_totals_are_region_wide_and_over_a_past_period():
    totals = deals.signed_totals()
    assert not totals.empty
    for fact_id in totals["fact_id"]:
        rows = [r for r in DEALS if r["fact_id"] == fact_id]
        assert all({"KAZ", "KGZ", "TJK", "TKM", "UZB"} <= set(r["countries"].split(";")) for r in rows)
        assert any(r["status"] == "signed" for r in rows)
        quotes = [r["quote"] for r in CLAIMS if r["fact_id"] == fact_id and r["metric"] == "duration"]
        assert quotes and all("first" in q for q in quotes)


@pytest.mark.parametrize("iso", ["KAZ", "KGZ", "TJK"])
def test_own_imports_are_the_countrys_own_import_rows_from_the_powers(iso):
    got = trade.own_imports(iso, 2010, 2023)
    rows = [r for r in TRADE if r["reporter"] == iso and r["flow"] == "imports"
            and r["partner"] in POWERS and 2010 <= int(r["year"]) <= 2023]
    assert len(got) == len(rows)
    assert got["value_full"].sum() == pytest.approx(sum(float(r["value_full"]) for r in rows))


@pytest.mark.parametrize("iso", ["KAZ", "TKM", "UZB"])
def test_mirror_exports_are_partners_positive_usd_imports(iso):
    got = trade.mirror_exports(iso, 2010, 2023)
    rows = [r for r in TRADE if r["partner"] == iso and r["reporter"] != iso
            and r["flow"] == "imports" and r["currency"] == "USD" and float(r["value_full"]) > 0
            and 2010 <= int(r["year"]) <= 2023]
    assert len(got) == len(rows)
    assert set(got["flow"]) <= {"exports"}


def test_latest_by_reporter_is_each_reporters_last_year_largest_first():
    latest = trade.latest_by_reporter(trade.mirror_exports("KAZ"))
    for r in latest.itertuples():
        rows = [x for x in TRADE if x["reporter"] == r.reporter and x["partner"] == "KAZ"
                and x["flow"] == "imports" and x["currency"] == "USD" and float(x["value_full"]) > 0]
        last = max(rows, key=lambda x: int(x["year"]))
        assert r.year == int(last["year"])
        assert r.value_usd_bn == pytest.approx(float(last["value_full"]) / 1e9)
    assert latest["value_usd_bn"].is_monotonic_decreasing


def test_own_two_way_adds_one_reporters_two_flows_of_one_year():
    got = trade.own_two_way(trade.latest_with("CHN"))
    for r in got.itertuples():
        rows = [x for x in TRADE if x["reporter"] == r.reporter and x["partner"] == "CHN"
                and x["dataset"] == r.dataset and x["year"] == str(r.year)]
        assert {x["flow"] for x in rows} == {"imports", "exports"}
        assert r.value_usd_bn == pytest.approx(sum(float(x["value_full"]) for x in rows) / 1e9)
    both = {x["reporter"] for x in TRADE if x["partner"] == "CHN" and x["flow"] == "exports"
            and x["reporter"] in ("KAZ", "KGZ", "TJK", "TKM", "UZB")}
    assert set(got["reporter"]) == both


def test_transit_claims_and_route_aims_match_the_files():
    assert len(trade.transit_claims()) == sum(r["metric"] == "transit_share" for r in CLAIMS)
    routes = [r for r in STATEMENTS if r["theme"] == "transport" and r["person"] == "US Government"]
    got = trade.route_aims()
    assert got["statement_id"].tolist() == [
        r["statement_id"] for r in sorted(routes, key=lambda r: (r["source"], int(r["source_line"])))]


def test_parties_name_the_central_asian_countries_only():
    assert deals.parties("KAZ;USA") == "Kazakhstan"
    assert deals.parties("KAZ;KGZ;TJK;TKM;UZB;USA") == "all five"
    assert deals.parties("AUS;USA") == ""


def test_named_totals_have_names_not_codes():
    import re

    table = deals.named_totals()
    assert len(table) == len(deals.reported_totals())
    assert not any(re.search(r"\b[A-Z]{3}\b", s.replace("(EDB)", "")) for s in table["subject"])
    five = {r["fact_id"] for r in CLAIMS if r["metric"] == "trade_total"
            and r["partner"] == "KAZ;KGZ;TJK;TKM;UZB"}
    assert (table["partner"] == "Central Asia (all five)").sum() == len(five)


def test_dataset_labels_and_where_stated():
    cov = trade.dataset_labels(trade.coverage("KAZ"))
    assert set(cov["dataset"]) <= set(trade.DATASETS.values())
    transit = deals.where_stated(trade.transit_claims())
    row = next(r for r in CLAIMS if r["metric"] == "transit_share")
    assert transit["where_stated"].iloc[0] == f"seed {row['source'][:3]} line {row['source_line']}"


def test_a_count_and_a_value_of_one_fact_complement_each_other():
    rows = [r for r in DEALS if r["fact_id"] == "boeing_aircraft_purchase_central_asia"]
    counted = [dict(r, value="", multiplier="", currency="", value_as_written="") for r in rows
               if r["quantity"]]
    valued = [r for r in rows if r["value"]]
    table = pd.DataFrame(counted + valued).replace("", float("nan"))
    for col in ("value", "multiplier", "quantity"):
        table[col] = pd.to_numeric(table[col])
    table["source_line"] = table["source_line"].astype(int)
    no_counts = pd.DataFrame(columns=list(CLAIMS[0]))
    fact = deals.deal_facts(table, no_counts).iloc[0]
    assert fact["conflict"] == "" and fact["conflict_kind"] == ""


def test_a_set_of_agreements_is_a_count_not_one_deal():
    facts = deals.deal_facts().set_index("fact_id")
    for r in DEALS:
        is_set = bool(r["quantity_unit"]) and "agreement" in r["quantity_unit"]
        got = facts.loc[AGREEMENT[r["fact_id"]], "agreements"]
        assert (got == float(r["quantity"])) if is_set else pd.isna(got)
