"""Unit tests for helpers.nb.views.deals: the ledger's sentences and chart in notebook 02 say
what the CSV files hold, in clean prose (no doubled brackets, no document numbers)."""

import re

import pytest
from conftest import csv_rows
from conftest import markdown_text as text

from helpers.analysis import deals, deliverables
from helpers.nb.views import deals as view

DEALS = csv_rows("curated/deals.csv")
C5 = ("KAZ", "KGZ", "TJK", "TKM", "UZB")

pytestmark = pytest.mark.usefixtures("agg_figures")


def _clean(said):
    assert ") (" not in said and "(s)" not in said and ".." not in said
    assert not re.search(r"\b00\d\b|_", said)


@pytest.mark.parametrize("iso", [*C5, None])
def test_ledger_sentences_are_clean_prose(iso):
    _clean(text(view.ledger_sentences(deliverables.ledger(iso), iso)))


def test_a_set_of_agreements_is_named_as_a_set_with_its_value_once():
    said = text(view.ledger_sentences(deliverables.ledger("KAZ"), "KAZ"))
    for r in DEALS:
        if "agreement" in r["quantity_unit"] and "KAZ" in r["countries"].split(";"):
            break
    facts = deals.deal_facts().set_index("fact_id")
    written = facts.loc[r["fact_id"], "value_as_written"]
    assert f"a set of {float(r['quantity']):g} {facts.loc[r['fact_id'], 'quantity_unit']} with China" in said
    assert f"(worth {written} in all)" in said
    single = facts[(facts["scope"] == "country") & facts["countries"].str.contains("KAZ")
                   & (facts["kind"] != "set of agreements")]
    assert said.startswith("The documents name Kazakhstan in ")
    assert sum(single["kind"] == "deal") == 1 and "1 deal" in said


def test_largest_signed_deal_is_the_largest_signed_value():
    said = text(view.ledger_sentences(deliverables.ledger(), None))
    signed = [r for r in DEALS if r["status"] == "signed" and r["value"] and r["currency"] == "USD"
              and "agreement" not in r["quantity_unit"]
              and not set(C5) <= set(r["countries"].split(";"))
              and set(C5) & set(r["countries"].split(";"))]
    top = max(signed, key=lambda r: float(r["value"]) * int(r["multiplier"]))
    facts = deals.deal_facts().set_index("fact_id")
    assert f"is {facts.loc[top['fact_id'], 'value_as_written']} (" in said


def test_a_country_without_own_deals_shares_the_region_wide_ones():
    said = text(view.ledger_sentences(deliverables.ledger("TJK"), "TJK"))
    assert said.startswith("No 2025 deal, pledge or purchase in the documents names Tajikistan")
    assert "shares in" not in said
    assert "differ" not in said  # Uzbekistan's Boeing dispute is not Tajikistan's


def test_differences_are_stated_by_outlet():
    import pandas as pd

    rows = deliverables.ledger("UZB").assign(differs="45 aircraft (Unsigned commentary)")
    said = text(view.ledger_sentences(rows.iloc[:1], "UZB"))
    assert f"The documents differ on one {rows['kind'].iloc[0]}" in said
    assert "(Unsigned commentary)" in said
    assert isinstance(rows, pd.DataFrame)


def test_overlaps_sentence_quotes_both_horizons_of_one_agreement():
    facts = deals.deal_facts()
    said = text(view.overlaps_sentence(facts))
    uzb = deals.agreements()["uzb_us_pledge_35bn_3y"]
    for r in DEALS:
        if deals.agreements()[r["fact_id"]] == uzb:
            assert r["value_as_written"] in said
    assert "horizons of one agreement" in said and "may include named deals" in said


def test_overlaps_sentence_states_the_window_and_the_deals_dated_after_it():
    facts = deals.deal_facts()
    said = text(view.overlaps_sentence(facts))
    total = next(r for r in DEALS if r["fact_id"] == "us_c5_trade_deals_first_six_months")
    assert total["date_as_written"][1:] in said  # "in the first six months of Trump's ..."
    assert view.month_words(total["period_start"]) in said
    assert view.month_words(total["period_end"]) in said
    later = [r for r in DEALS if r["status"] == "signed" and r["date"] > total["period_end"]
             and "USA" in r["countries"] and r["value"] and "agreement" not in r["quantity_unit"]]
    assert later  # Boeing and Wabtec, dated September
    for r in later:
        assert view.month_words(r["date"]) in said
    assert "does not agree" in said


def test_deal_label_marks_the_focus_country():
    row = {"scope": "region", "countries": ";".join(C5), "sector": "trade_investment",
           "status": "signed", "horizon_years": 0.5}
    assert view.deal_label(row, "KAZ") == "all five · trade investment · signed · 6 months"


def test_deals_chart_has_one_bar_per_valued_deal_of_the_country():
    facts = deals.deals_for("KAZ")
    fig = view.deals_chart(facts, "KAZ")
    ax = fig.axes[0]
    expected = facts[(facts["scope"] != "outside") & facts["value_usd_bn"].notna()]
    assert len(ax.patches) == len(expected)
    assert sum(label.get_text().startswith("◆") for label in ax.get_yticklabels()) == len(
        expected[expected["scope"] == "country"])
    assert "Kazakhstan" in ax.get_title() and "US$ bn" in ax.get_xlabel()
    assert any(t.get_text().startswith("Source: ") for t in fig.texts)


def test_ledger_table_has_no_ids():
    table = view.ledger_table(deliverables.ledger())
    assert not {"fact_id", "scope", "value_usd_bn"} & set(table.columns)
