"""Unit tests for helpers.analysis.competition: the deals ledger (apart from trade), the
region's stated trade (like with like), what the sources say about one country, the
evidence held. Expectations are computed from the CSV files."""

import pytest
from conftest import csv_rows

from helpers.analysis import competition, deals, sources
from helpers.errors import UnknownValueError

TRADE = csv_rows("derived/trade.csv")
EVENTS = csv_rows("curated/events.csv")
CLAIMS = csv_rows("curated/claims.csv")
DEALS = csv_rows("curated/deals.csv")
STATEMENTS = csv_rows("curated/statements.csv")
C5 = ("KAZ", "KGZ", "TJK", "TKM", "UZB")


def test_deals_ledger_one_row_per_deal_with_outlets_and_no_total():
    ledger = competition.deals_ledger("KAZ")
    assert ledger["fact_id"].is_unique
    named = deals.deals_for("KAZ")
    with_power = named[named["power"].fillna("") != ""]
    assert set(ledger["fact_id"]) == set(with_power["fact_id"])
    assert set(named["fact_id"]) - set(with_power["fact_id"]) == {"kdb_rare_earth_financing_2025_2030"}
    names = sources.document_names()
    wabtec = ledger.set_index("fact_id").loc["kaz_wabtec_locomotive_deal"]
    files = sorted({r["source"] for r in DEALS if r["fact_id"] == "kaz_wabtec_locomotive_deal"})
    assert wabtec["outlets"] == "; ".join(names[f] for f in files)
    assert wabtec["what"] == "rail deal with Wabtec"
    assert set(ledger.columns) == set(competition.LEDGER_COLUMNS)
    assert not {"total", "pct_of_gdp"} & set(ledger.columns)  # never set against GDP or summed
    everything = competition.deals_ledger()
    assert set(everything["scope"]) == {"country", "region"}
    assert not ledger["what"].str.contains("_").any()
    sets = deals.deal_facts().dropna(subset=["agreements"])
    for r in sets.itertuples():  # a set of agreements signed together reads as one
        if r.fact_id in set(ledger["fact_id"]):
            what = ledger.set_index("fact_id").loc[r.fact_id, "what"]
            assert what.startswith(f"set of {int(r.agreements)} ")


def test_stated_region_trade_is_annual_two_way_trade_only():
    stated = competition.stated_region_trade()
    totals = {r["fact_id"]: r for r in CLAIMS if r["metric"] == "trade_total"
              and set(r["partner"].split(";")) == set(C5)}
    assert len(stated) == len({r["fact_id"] for r in totals.values()})
    assert "USA" not in set(stated["power"])  # the US figure is deals, kept in the ledger
    chn = stated.set_index("power").loc["CHN"]
    readings = {r["qualifier"] for r in CLAIMS if r["fact_id"] == "china_central_asia_trade_2024"}
    assert set(chn["qualifiers"].split("; ")) <= readings  # readings the documents give
    for r in stated.itertuples():  # the value as the first document writes it, and who says it
        first = min((c for c in CLAIMS if c["fact_id"] == totals_fact(r.subject)),
                    key=lambda c: (c["source"], int(c["source_line"])))
        assert r.value_as_written == first["value_as_written"]
        assert r.asserted_by == first["asserted_by"]


def totals_fact(subject):
    """The fact id of a claim subject."""
    return next(c["fact_id"] for c in CLAIMS if c["subject"] == subject)


def test_passing_mentions_quote_the_seed_for_a_country_without_facts():
    from helpers.analysis import sources

    tjk = competition.passing_mentions("TJK")
    assert len(tjk)
    for m in tjk.itertuples():
        assert m.text in sources.passage(m.source, m.source_line).text
        assert "Tajikistan" in m.text
    assert tjk["outlets"].is_unique  # a copy adds its outlet, not a row


def test_country_facts_leave_out_the_writers_own_sentences():
    facts = competition.country_facts("KAZ")
    assert not facts["what"].str.contains("characterised by the commentator").any()


def test_country_facts_names_the_country_apart_from_the_other_four():
    facts = competition.country_facts("KAZ")
    events = {r["title"] for r in EVENTS if "KAZ" in r["countries"].split(";")
              and not set(C5) <= set(r["countries"].split(";"))}
    assert set(facts.loc[facts["kind"] == "event", "what"]) <= events
    assert len(facts[facts["kind"] == "event"]) == len(
        {r["fact_id"] for r in EVENTS if r["title"] in events})
    incidental = {r["subject"] for r in CLAIMS if r["metric"] == "other"}
    assert not set(facts["what"]) & incidental
    own = {r["fact_id"] for r in STATEMENTS if r["country"] == "KAZ"}
    persons = {r["person"] for r in STATEMENTS if r["fact_id"] in own}
    positions = facts.loc[facts["kind"] == "position", "what"]
    assert all(any(p.startswith(person + ":") for p in positions) for person in persons)
    assert facts["outlets"].str.len().gt(0).all()
    assert competition.country_facts("KGZ").empty  # only region-wide rows and a "Read also" figure
    with pytest.raises(UnknownValueError):
        competition.country_facts("Kazakstann Republic of Nowhere")


def test_evidence_years_and_counts_come_from_the_data():
    e = competition.evidence("KGZ").set_index("evidence")
    years = sorted({int(r["year"]) for r in TRADE if r["reporter"] == "KGZ"
                    and r["partner"] in ("CHN", "RUS", "USA")})
    assert e.loc["Own trade figures by partner", "detail"] == f"{years[0]}–2008, 2010–{years[-1]}"
    assert not e.loc["Exports as Russia reports them (mirror)", "available"]
    facts = competition.country_facts("UZB")
    u = competition.evidence("UZB").set_index("evidence")
    assert u.loc["Deals that name it (not region-wide)", "detail"] == str((facts["kind"] == "deal").sum())
    assert not competition.evidence("TKM").set_index("evidence").loc[
        "Own trade figures by partner", "available"]
