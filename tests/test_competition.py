"""Unit tests for helpers.analysis.competition: expectations are computed from the CSV files."""

from collections import defaultdict

import pandas as pd
import pytest
from conftest import csv_rows

from helpers.analysis import competition
from helpers.errors import UnknownValueError

TRADE = csv_rows("derived/trade.csv")
WDI = csv_rows("derived/wdi.csv")
EVENTS = csv_rows("curated/events.csv")
CLAIMS = csv_rows("curated/claims.csv")
DEALS = csv_rows("curated/deals.csv")


def cell(dataset, reporter, partner, year, flow="imports"):
    return next(float(r["value_full"]) for r in TRADE if r["dataset"] == dataset
                and r["reporter"] == reporter and r["partner"] == partner
                and r["year"] == str(year) and r["flow"] == flow)


def gdp(iso, year):
    return next(float(r["value"]) for r in WDI if r["country"] == iso
                and r["indicator"] == "NY.GDP.MKTP.CD" and r["year"] == str(year))


def test_timeline_dates_washington_summit_by_majority_of_documents():
    docs = defaultdict(set)
    for r in EVENTS:
        if r["fact_id"] == "c5p1_washington_summit_2025" and r["date_precision"] == "day":
            docs[r["date"]].add(r["source"])
    t = competition.engagement_timeline().set_index("fact_id")
    best = max(sorted(docs), key=lambda d: len(docs[d]))
    assert t.loc["c5p1_washington_summit_2025", "date"] == best


def test_majority_counts_documents_not_rows():
    # one document repeating a date three times must not outvote two documents
    rows = [r for r in EVENTS if r["fact_id"] == "c5p1_washington_summit_2025"]
    events = pd.DataFrame(rows)
    day = events[events["date_precision"] == "day"]
    minority = day.groupby("date")["source"].nunique().idxmin()
    extra = pd.concat([events] + [day[day["date"] == minority]] * 3, ignore_index=True)
    t = competition.engagement_timeline(events=extra).set_index("fact_id")
    assert t.loc["c5p1_washington_summit_2025", "date"] != minority


def test_date_readings_count_distinct_documents():
    readings = competition.date_readings("c5p1_washington_summit_2025").set_index("date")
    docs = defaultdict(set)
    for r in EVENTS:
        if r["fact_id"] == "c5p1_washington_summit_2025" and r["date"]:
            docs[r["date"]].add(r["source"])
    assert set(readings.index) == set(docs)
    for date, sources in docs.items():
        assert readings.loc[date, "documents"] == len(sources)
        assert readings.loc[date, "sources"] == ", ".join(sorted(s[:3] for s in sources))
    with pytest.raises(UnknownValueError):
        competition.date_readings("no_such_event")


def test_timeline_has_one_row_per_fact_and_counts_sources():
    t = competition.engagement_timeline()
    assert t["fact_id"].is_unique
    sources = defaultdict(set)
    for r in EVENTS:
        sources[r["fact_id"]].add(r["source"])
    for r in t.itertuples():
        assert r.sources == len(sources[r.fact_id])
        assert r.year >= 2015


def test_timeline_country_filter():
    kaz = competition.engagement_timeline("KAZ")
    assert kaz["countries"].str.split(";").map(lambda c: "KAZ" in c).all()
    assert "kaz_china_business_council_beijing_sept_2025" in set(kaz["fact_id"])
    assert "kaz_china_business_council_beijing_sept_2025" not in set(
        competition.engagement_timeline("UZB")["fact_id"])


def test_power_shares_own_report_matches_csv():
    s = competition.power_shares("KGZ", 2019).set_index(["basis", "counterpart"])
    world = cell("wto_hs_m_0010", "KGZ", "WLD", 2019)
    powers = {p: cell("wto_hs_m_0010", "KGZ", p, 2019) for p in ("CHN", "RUS", "USA")}
    for p, v in powers.items():
        assert s.loc[("own", p), "share_of_world_pct"] == pytest.approx(100 * v / world)
        assert s.loc[("own", p), "share_of_powers_pct"] == pytest.approx(
            100 * v / sum(powers.values()))
        assert s.loc[("own", p), "pct_of_gdp"] == pytest.approx(100 * v / gdp("KGZ", 2019))


def test_power_shares_keeps_eur_apart():
    s = competition.power_shares("TJK", 2018)
    eu = s[s["counterpart"] == "EU27"].iloc[0]
    assert eu["currency"] == "EUR"
    assert eu["value_eur_bn"] == pytest.approx(
        cell("eurostat_comext", "EU27", "TJK", 2018, "exports") / 1e9)
    assert eu[["value_usd_bn", "share_of_powers_pct", "pct_of_gdp"]].isna().all()


def test_power_shares_mirror_has_no_russia():
    s = competition.power_shares("TKM", 2018)
    mirror = s[s["basis"] == "mirror"]
    assert "RUS" not in set(mirror["counterpart"])
    usd = mirror[mirror["currency"] == "USD"]
    assert usd["share_of_powers_pct"].sum() == pytest.approx(100)


def test_own_power_split_uzbekistan_matches_uzstat():
    s = competition.own_power_split("UZB", 2023, 2023)
    exp = s[s["flow"] == "exports"].set_index("counterpart")
    values = {p: cell("uzstat_sdmx", "UZB", p, 2023, "exports") for p in ("CHN", "RUS", "USA")}
    for p, v in values.items():
        assert exp.loc[p, "share_of_powers_pct"] == pytest.approx(100 * v / sum(values.values()))


@pytest.mark.parametrize("iso", ["TJK", "TKM"])
def test_own_power_split_empty_without_own_reports(iso):
    assert competition.own_power_split(iso, 1996, 2023).empty


def test_mirror_exports_gdp_matches_csv():
    m = competition.mirror_exports_gdp("UZB", 2015, 2015).set_index("counterpart")
    expected = 100 * cell("wto_hs_m_0010", "CHN", "UZB", 2015) / gdp("UZB", 2015)
    assert m.loc["CHN", "pct_of_gdp"] == pytest.approx(expected)


def test_volumes_by_power_uses_latest_year_and_per_year_deals():
    v = competition.volumes_by_power("UZB").set_index(["power", "measure"])
    chn_years = [int(r["year"]) for r in TRADE if r["reporter"] == "CHN" and r["partner"] == "UZB"]
    assert v.loc[("CHN", "exports_mirror"), "year"] == max(chn_years)
    # per year of the stated forward horizon: value * multiplier / horizon (claims), best wins
    horizons = {r["fact_id"]: float(r["value"]) for r in CLAIMS
                if r["metric"] == "duration" and r["unit"] == "years"}
    per_year = [float(r["value"]) * float(r["multiplier"]) / 1e9 / horizons[r["fact_id"]]
                for r in DEALS if r["fact_id"] in horizons and r["value"]
                and r["countries"].split(";") == ["USA", "UZB"]]
    assert per_year
    assert v.loc[("USA", "largest_deal"), "value_usd_bn"] == pytest.approx(max(per_year))
    assert ("CHN", "largest_deal") not in v.index
    measure = v.index.get_level_values("measure")
    assert v.loc[measure != "largest_deal", "dataset"].notna().all()
    assert v.loc[measure == "largest_deal", "dataset"].isna().all()


def test_region_totals_scale_by_c5_gdp():
    r = competition.region_totals_vs_gdp().set_index("power")
    c5 = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
    latest = max(set.intersection(*({int(w["year"]) for w in WDI if w["country"] == c
                                     and w["indicator"] == "NY.GDP.MKTP.CD"} for c in c5)))
    assert set(r["gdp_year"]) == {latest}
    total = sum(gdp(c, latest) for c in c5)
    edb = next(r for r in csv_rows("curated/claims.csv")
               if r["fact_id"] == "china_central_asia_trade_2024")
    stated = float(edb["value"]) * int(edb["multiplier"])
    assert r.loc["CHN", "pct_of_c5_gdp"] == pytest.approx(100 * stated / total)


def test_region_totals_years_come_from_the_rows():
    r = competition.region_totals_vs_gdp().set_index("fact_id")
    for fact_id, row in r.iterrows():
        claim_years = {int(c["year"]) for c in CLAIMS if c["fact_id"] == fact_id
                       and c["metric"] == "trade_total" and c["year"]}
        deal_years = {int(d["date"][:4]) for d in DEALS if d["fact_id"] == fact_id and d["date"]}
        assert row["year"] in (claim_years or deal_years)
    older = competition.region_totals_vs_gdp(gdp_year=2015)
    assert set(older["gdp_year"]) == {2015}
    assert (older["pct_of_c5_gdp"] != r["pct_of_c5_gdp"].values).all()


@pytest.mark.parametrize("call", [
    lambda c: competition.engagement_timeline(c),
    lambda c: competition.power_shares(c, 2018),
    lambda c: competition.own_power_split(c, 2010, 2023),
    lambda c: competition.mirror_exports_gdp(c, 2010, 2023),
    lambda c: competition.volumes_by_power(c),
])
def test_competition_refuses_unknown_country_and_accepts_names(call):
    with pytest.raises(UnknownValueError):
        call("Kazakstann Republic of Nowhere")
    by_name, by_code = call("Kazakhstan"), call("KAZ")
    assert not by_code.empty and by_name.equals(by_code)


def test_statements_by_theme_one_row_per_fact_and_person():
    s = competition.statements_by_theme()
    pairs = {(r["fact_id"], r["person"]) for r in csv_rows("curated/statements.csv")}
    assert len(s) == len(pairs)
    assert list(s["theme"]) == sorted(s["theme"])


STATEMENTS = csv_rows("curated/statements.csv")
C5 = ("KAZ", "KGZ", "TJK", "TKM", "UZB")


def test_balance_by_year_matches_the_csv():
    b = competition.balance_by_year("KGZ", 2010, 2019).set_index("year")
    powers = {p: cell("wto_hs_m_0010", "KGZ", p, 2019) for p in ("CHN", "RUS", "USA")}
    assert b.loc[2019, "imports_share_chn_pct"] == pytest.approx(100 * powers["CHN"] / sum(powers.values()))
    assert b.loc[2018, "exports_to_chn_pct_gdp"] == pytest.approx(
        100 * cell("wto_hs_m_0010", "CHN", "KGZ", 2018) / gdp("KGZ", 2018))
    assert "exports_share_chn_pct" not in b  # Kyrgyzstan reports imports only
    uzb = competition.balance_by_year("UZB", 2023, 2023).set_index("year")
    exports = {p: cell("uzstat_sdmx", "UZB", p, 2023, "exports") for p in ("CHN", "RUS", "USA")}
    assert uzb.loc[2023, "exports_share_rus_pct"] == pytest.approx(
        100 * exports["RUS"] / sum(exports.values()))
    assert competition.balance_by_year("TJK", 1996, 1996).columns.tolist()[0] == "year"


def test_country_facts_names_the_country_apart_from_the_other_four():
    facts = competition.country_facts("KAZ")
    events = {r["title"] for r in EVENTS if "KAZ" in r["countries"].split(";")
              and not set(C5) <= set(r["countries"].split(";"))}
    # one title per fact: every fact's first title is among the rows
    assert set(facts.loc[facts["kind"] == "event", "what"]) <= events
    assert len(facts[facts["kind"] == "event"]) == len({r["fact_id"] for r in EVENTS if r["title"] in events})
    incidental = {r["subject"] for r in CLAIMS if r["metric"] == "other"}
    assert not set(facts["what"]) & incidental
    own = {r["fact_id"] for r in STATEMENTS if r["country"] == "KAZ"}
    persons = {r["person"] for r in STATEMENTS if r["fact_id"] in own}
    positions = facts.loc[facts["kind"] == "position", "what"]
    assert all(any(p.startswith(person + ":") for p in positions) for person in persons)
    assert competition.country_facts("KGZ").empty  # only region-wide rows and a "Read also" figure


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


def test_volumes_source_reads_as_words():
    v = competition.volumes_by_power("KAZ")
    assert set(v["what"]) <= set(competition.MEASURES.values())
    deal = v[v["measure"] == "largest_deal"]
    wabtec = next(r for r in DEALS if r["fact_id"] == "kaz_wabtec_locomotive_deal" and r["value"])
    assert any(s.startswith(wabtec["value_as_written"]) and "Wabtec" in s for s in deal["source"])
    assert not deal["source"].str.contains("_").any()  # no fact ids
