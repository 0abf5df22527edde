"""Unit tests for helpers.analysis.deliverables: the 2025 ledger keeps one row per deal fact
naming the five, names documents by outlet, keeps counts apart from values and sets apart
from deals. Expectations are computed from the CSV files."""

import re

from conftest import csv_rows

from helpers import data
from helpers.analysis import deals, deliverables, sources

DEALS = csv_rows("curated/deals.csv")
C5 = {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
POWERS = {"USA", "CHN", "RUS"}
AGREEMENT = deals.agreements()


def _rows(fact_id):
    """The deals rows of one ledger row (an agreement may hold several fact ids)."""
    return [r for r in DEALS if AGREEMENT[r["fact_id"]] == fact_id]


def test_the_ledger_has_every_fact_naming_the_five_once():
    ledger = deliverables.ledger()
    facts = deals.deal_facts()
    expected = set(facts.loc[facts["scope"].isin(["country", "region"]), "fact_id"])
    domestic = {f for f in expected
                if not any(POWERS & set(r["countries"].split(";")) for r in _rows(f))}
    assert domestic  # the Development Bank of Kazakhstan's own programme: not a deliverable
    assert ledger["fact_id"].is_unique and set(ledger["fact_id"]) == expected - domestic
    assert list(ledger.columns) == deliverables.LEDGER_COLUMNS
    outside = {r["fact_id"] for r in DEALS if not C5 & set(r["countries"].split(";"))}
    assert not outside & set(ledger["fact_id"])


def test_every_document_is_named_by_outlet_never_by_number():
    names = sources.document_names()
    ledger = deliverables.ledger().set_index("fact_id")
    for fact_id, row in ledger.iterrows():
        files = sorted({r["source"] for r in _rows(fact_id)})
        assert row["outlets"] == "; ".join(names[f] for f in files)
    text = " ".join(ledger["outlets"]) + " ".join(ledger["differs"]) + " ".join(ledger["status"])
    assert not re.search(r"\b00\d\b|seed", text)


def test_a_set_of_agreements_keeps_its_count_and_value_apart():
    rows = [r for r in DEALS if "agreement" in r["quantity_unit"]]
    ledger = deliverables.ledger().set_index("fact_id")
    for r in rows:
        row = ledger.loc[AGREEMENT[r["fact_id"]]]
        assert row["kind"] == "set of agreements"
        assert row["quantity"].startswith(f"{float(r['quantity']):g} ")
        assert row["value_as_written"] != row["quantity"]


def test_one_agreement_in_parts_is_one_row_and_a_project_has_no_status():
    ledger = deliverables.ledger("UZB").set_index("fact_id")
    uzb = AGREEMENT["uzb_us_pledge_35bn_3y"]
    rows = _rows(uzb)
    assert len(rows) > 1 and uzb in ledger.index
    assert len({r["date"] for r in rows if r["date"]}) == 1
    assert ledger.loc[uzb, "date"] == next(r["date"] for r in rows if r["date"])
    for r in rows:
        assert r["value_as_written"] in ledger.loc[uzb, "value_as_written"]
    assert ledger.loc[uzb, "differs"] == ""  # two horizons of one agreement, no disagreement
    kaz = deliverables.ledger("KAZ").set_index("fact_id")
    cove = kaz.loc["kaz_cove_capital_rare_earth_project"]
    quote = next(r["quote"] for r in DEALS if r["fact_id"] == "kaz_cove_capital_rare_earth_project")
    assert "cooperating in" in quote and "project" in quote
    assert cove["kind"] == "project" and cove["status"] == "not stated"


def test_a_country_ledger_has_its_own_rows_and_the_region_wide_ones():
    for iso in ("KAZ", "TJK"):
        ledger = deliverables.ledger(iso)
        facts = deals.deals_for(iso)
        assert set(ledger["fact_id"]) == set(facts.loc[facts["power"] != "", "fact_id"])
        assert (ledger["scope"] == "region").any()
    assert set(deliverables.ledger("TJK")["scope"]) == {"region"}


def test_party_words_and_kinds_count():
    assert deliverables.party_words("CHN;KAZ") == "Kazakhstan and China"
    counts = deliverables.kinds_count(deliverables.ledger())
    assert list(counts) == [k for k in deals.KINDS if k in counts] and all(counts.values())


def test_the_ledger_says_who_asserts_each_deal():
    deals = data.load("deals")
    for row in deliverables.ledger().itertuples():
        rows = deals[deals["fact_id"].map(AGREEMENT) == row.fact_id]
        for by, kind in zip(rows["asserted_by"], rows["asserter_kind"]):
            if kind == "outlet":
                assert "reports it" in row.said_by
            else:
                assert f"according to {by.removeprefix('an analyst quoted: ')}" in row.said_by, (row.fact_id, by)
