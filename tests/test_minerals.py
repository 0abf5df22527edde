"""Unit tests for helpers.analysis.minerals and helpers.analysis.mineral_claims, with expected
values read from the data files themselves (plain ``csv``, not the helpers under test) wherever
that is possible."""

import csv

import pandas as pd
import pytest
from conftest import csv_rows

from helpers.analysis import mineral_claims, minerals
from helpers.data import countries, paths
from helpers.errors import ParameterError, UnknownValueError
from helpers.nb import style

RARE_EARTHS = paths.DERIVED / "rare_earths.csv"
CLAIMS = paths.CURATED / "claims.csv"


def _rows():
    with open(RARE_EARTHS, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def reserves(edition):
    """{country: t REO} of an edition's reserves, countries only, values present."""
    return {r["country"]: float(r["value_t"]) for r in _rows()
            if r["edition"] == str(edition) and r["measure"] == "reserves"
            and r["country"] not in ("WLD", "OTH") and r["value_t"]}


def world(edition, measure, year):
    (row,) = [r for r in _rows() if r["edition"] == str(edition) and r["measure"] == measure
              and r["year"] == str(year) and r["country"] == "WLD"]
    return float(row["value_t"]), row["value_qualifier"]


def latest(edition, measure):
    """The latest data year of ``measure`` in an edition, from the CSV."""
    return max(int(r["year"]) for r in _rows() if r["edition"] == str(edition) and r["measure"] == measure)


def claimed(fact_id, metric=None):
    """The one value (x multiplier) the curated claims state for a fact (and metric)."""
    with open(CLAIMS, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["fact_id"] == fact_id
                and (metric is None or r["metric"] == metric)]
    values = {float(r["value"]) * float(r["multiplier"]) for r in rows}
    assert len(values) == 1, values
    return values.pop()


def claimed_quote(fact_id, metric):
    with open(CLAIMS, encoding="utf-8", newline="") as fh:
        (row,) = [r for r in csv.DictReader(fh) if r["fact_id"] == fact_id and r["metric"] == metric]
    return row["quote"]


def deposit_t():
    """The Karaganda estimate as the curated claims state it (value x multiplier)."""
    return claimed("kaz_karaganda_deposit_20mt")


def ranked(edition):
    """Country codes of an edition's reserves, largest first."""
    r = reserves(edition)
    return sorted(r, key=r.get, reverse=True)


def expected_rank(edition, tonnes):
    return 1 + sum(v > tonnes for v in reserves(edition).values())


# --- reserves_table ----------------------------------------------------------------------

@pytest.mark.parametrize("edition", minerals.EDITIONS)
def test_reserves_table_matches_the_csv(edition):
    table = minerals.reserves_table(edition)
    expected = reserves(edition)
    assert table["reserves_t"].dropna().to_dict() == expected
    assert table["reserves_t"].dropna().is_monotonic_decreasing
    assert not set(table.index) & {"WLD", "OTH"}
    assert "KAZ" not in expected and "KAZ" not in table.index, "USGS lists no reserves for Kazakhstan"
    top = max(expected, key=expected.get)
    assert table.index[0] == top
    assert table.loc[top, "reserves_rank"] == 1


def test_reserves_table_production_is_the_latest_year():
    table = minerals.reserves_table(2025)
    (china,) = [r for r in _rows() if r["edition"] == "2025" and r["country"] == "CHN"
                and r["measure"] == "mine_production" and r["year"] == "2024"]
    assert table.loc["CHN", "production_t"] == float(china["value_t"])


def test_unknown_edition_lists_the_valid_ones():
    with pytest.raises(UnknownValueError, match="2024, 2025"):
        minerals.reserves_table(2023)


# --- world totals and shares --------------------------------------------------------------

@pytest.mark.parametrize("edition", minerals.EDITIONS)
@pytest.mark.parametrize("measure", minerals.MEASURES)
def test_world_total_keeps_the_lower_bound(edition, measure):
    value, qualifier = world(edition, measure, latest(edition, measure))
    total = minerals.world_total(measure, edition)
    assert (total.value_t, total.lower_bound) == (value, qualifier == "greater_than")


def test_a_lower_bound_world_total_is_in_the_data():
    """MCS 2025 publishes world reserves as '>value': the flag must be exercised."""
    assert minerals.world_total("reserves", 2025).lower_bound == (
        world(2025, "reserves", latest(2025, "reserves"))[1] == "greater_than") is True


@pytest.mark.parametrize("edition,measure,year", [(2025, "mine_production", 2024), (2024, "mine_production", 2023),
                                                  (2025, "reserves", 2024), (2024, "reserves", 2023)])
def test_share_of_china(edition, measure, year):
    (row,) = [r for r in _rows() if r["edition"] == str(edition) and r["measure"] == measure
              and r["year"] == str(year) and r["country"] == "CHN"]
    expected = float(row["value_t"]) / world(edition, measure, year)[0]
    assert minerals.share_of("CHN", measure, edition, year) == pytest.approx(expected)


def test_share_of_production_agrees_with_usgs_t5_rounding():
    t5 = pd.read_csv(paths.DERIVED / "critical_minerals_t5.csv")
    published = t5[t5["mineral"].str.startswith("Rare earths")
                   & (t5["measure"] == "leading_producer_share_of_world")]["value"].iloc[0]
    assert round(100 * minerals.share_of("CHN", "mine_production", 2025)) == published


def test_share_of_unlisted_country_is_an_error():
    with pytest.raises(UnknownValueError):
        minerals.share_of("KAZ", "reserves", 2025)


# --- revisions ----------------------------------------------------------------------------

def test_edition_revisions_vietnam_and_russia():
    rev = minerals.edition_revisions("reserves")
    r24, r25 = reserves(2024), reserves(2025)
    for code in ("VNM", "RUS"):
        assert rev.loc[code, "t_2024"] == r24[code]
        assert rev.loc[code, "t_2025"] == r25[code]
        assert rev.loc[code, "change_t"] == r25[code] - r24[code] < 0
    both = set(r24) & set(r25)
    largest = sorted(both, key=lambda c: abs(r25[c] - r24[c]), reverse=True)
    assert list(rev.index[:2]) == largest[:2], "largest revisions first"
    assert rev.loc["VNM", "change_pct"] == pytest.approx(100 * (r25["VNM"] - r24["VNM"]) / r24["VNM"])


def test_edition_revisions_production_compares_the_same_year():
    rev = minerals.edition_revisions("mine_production")

    def value(edition):
        (row,) = [r for r in _rows() if r["edition"] == str(edition) and r["country"] == "CHN"
                  and r["measure"] == "mine_production" and r["year"] == "2023"]
        return float(row["value_t"])

    assert (rev.loc["CHN", "t_2024"], rev.loc["CHN", "t_2025"]) == (value(2024), value(2025))


# --- the deposit ---------------------------------------------------------------------------

def test_full_claim_ranks_as_claimed_in_mcs_2025():
    """The seeds' 'third largest after China and Brazil' holds against MCS 2025."""
    tonnes = deposit_t()
    claimed_rank = int(claimed("kaz_new_rare_earth_deposit_rank", "reserves_rank"))
    result = minerals.rank_with_deposit(2025, tonnes)
    r25, order = reserves(2025), ranked(2025)
    assert result.rank == expected_rank(2025, tonnes) == claimed_rank
    larger, smaller = order[:claimed_rank - 1], order[claimed_rank - 1]
    assert result.above == (larger[-1], r25[larger[-1]])
    assert result.below == (smaller, r25[smaller])
    above = result.ranking[result.ranking["reserves_rank"] < result.rank].index.tolist()
    assert above == larger
    quote = claimed_quote("kaz_new_rare_earth_deposit_rank", "reserves_rank")
    assert all(countries.name(c) in quote for c in larger), "the claim names the larger countries"


def test_full_claim_ranks_behind_vietnam_in_mcs_2024():
    tonnes = deposit_t()
    result = minerals.rank_with_deposit(2024, tonnes)
    assert result.rank == expected_rank(2024, tonnes)
    above = result.ranking[result.ranking["reserves_rank"] < result.rank].index.tolist()
    assert above == [c for c in ranked(2024) if reserves(2024)[c] > tonnes]
    assert "VNM" in above and reserves(2024)["VNM"] > tonnes


@pytest.mark.parametrize("edition", minerals.EDITIONS)
def test_part_of_the_claim_confirmed(edition):
    tonnes, share = deposit_t(), 0.3
    r = reserves(edition)
    result = minerals.rank_with_deposit(edition, tonnes, share)
    assert result.tonnes == pytest.approx(share * tonnes)
    assert result.rank == expected_rank(edition, share * tonnes)
    smallest_larger = min((c for c in r if r[c] > share * tonnes), key=r.get)
    assert result.above == (smallest_larger, r[smallest_larger])


def test_ties_share_the_better_rank():
    r25 = reserves(2025)
    result = minerals.rank_with_deposit(2025, r25["IND"])
    india_rank = 1 + sum(v > r25["IND"] for v in r25.values())
    assert result.rank == india_rank
    assert result.ranking.loc["IND", "reserves_rank"] == india_rank


def test_confirmed_share_zero_ranks_last_and_bad_share_is_refused():
    result = minerals.rank_with_deposit(2025, deposit_t(), 0.0)
    assert result.above is not None and result.below is None
    assert result.rank == len(reserves(2025)) + 1
    with pytest.raises(ValueError):
        minerals.rank_with_deposit(2025, deposit_t(), 1.5)


@pytest.mark.parametrize("edition", minerals.EDITIONS)
def test_rank_curve_agrees_with_rank_with_deposit(edition):
    shares = [0.0, 0.05, 0.1, 0.19, 0.3, 0.345, 0.5, 0.75, 1.0]
    curve = minerals.rank_curve(edition, deposit_t(), shares)
    assert curve["rank"].tolist() == [minerals.rank_with_deposit(edition, deposit_t(), s).rank for s in shares]
    assert curve["rank"].is_monotonic_decreasing


@pytest.mark.parametrize("edition", minerals.EDITIONS)
def test_share_needed_is_the_threshold(edition):
    tonnes = deposit_t()
    ordered = sorted(reserves(edition).values(), reverse=True)
    for rank in (3, 4, 5):
        needed = minerals.share_needed(edition, tonnes, rank)
        if ordered[rank - 1] > tonnes:
            assert needed is None
            continue
        assert needed == pytest.approx(ordered[rank - 1] / tonnes)
        assert minerals.rank_with_deposit(edition, tonnes, needed).rank <= rank
        assert minerals.rank_with_deposit(edition, tonnes, needed * 0.999).rank > rank


@pytest.mark.parametrize("edition", minerals.EDITIONS)
def test_close_to_half_of_china(edition):
    """'Close to half of China's': the ratio rounds to the claimed one and does not exceed it."""
    half = claimed("kaz_new_rare_earth_deposit_relative_size", "reserves_ratio")
    ratio = deposit_t() / reserves(edition)["CHN"]
    assert round(ratio, 1) == half and ratio <= half


@pytest.mark.parametrize("edition", minerals.EDITIONS)
@pytest.mark.parametrize("bad", [0, -1.0, -deposit_t(), float("nan"), float("inf"), "20 Mt", None])
def test_tonnes_must_be_positive(edition, bad):
    with pytest.raises(ParameterError, match="tonnes"):
        minerals.share_needed(edition, bad, 3)
    with pytest.raises(ParameterError, match="tonnes"):
        minerals.rank_with_deposit(edition, bad)
    with pytest.raises(ParameterError, match="tonnes"):
        minerals.rank_curve(edition, bad, [0.5])


@pytest.mark.parametrize("bad", [-0.01, 1.01, float("nan"), None])
def test_confirmed_share_must_be_a_fraction(bad):
    with pytest.raises(ParameterError, match="confirmed_share"):
        minerals.rank_with_deposit(2025, deposit_t(), bad)
    with pytest.raises(ParameterError, match="confirmed_share"):
        minerals.rank_curve(2025, deposit_t(), [0.5, bad])


@pytest.mark.parametrize("bad", [0, -2, 2.5, True, "3"])
def test_share_needed_rank_must_be_a_whole_number(bad):
    with pytest.raises(ParameterError, match="rank"):
        minerals.share_needed(2025, deposit_t(), bad)


def test_share_needed_bounds():
    r25 = reserves(2025)
    assert minerals.share_needed(2025, deposit_t(), len(r25) + 1) == 0.0
    assert minerals.share_needed(2025, max(r25.values()), 1) == pytest.approx(1.0)


# --- the map (style.draw_region) ---------------------------------------------------------

def test_draw_region_colours_the_five_and_fits_them():
    import matplotlib.colors
    from matplotlib.figure import Figure

    from helpers import data

    polygons = data.load("region_polygons")
    ax = Figure().subplots()  # no pyplot: no global figure state
    anchors = style.draw_region(ax, polygons, highlight=countries.C5, labels={"KAZ": "Kazakhstan", "RUS": "Russia"})
    faces = {matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches}
    assert {style.color(c).lower() for c in countries.C5} <= faces
    kaz = polygons[polygons["country"] == "KAZ"]
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    assert x0 < kaz["lon"].min() and kaz["lon"].max() < x1 and y0 < kaz["lat"].min() and kaz["lat"].max() < y1
    for code in ("KAZ", "RUS"):
        lon, lat = anchors[code]
        assert x0 <= lon <= x1 and y0 <= lat <= y1, f"{code} label is off the map"
    assert [t.get_text() for t in ax.texts] == ["Kazakhstan", "Russia"]


# --- tables for the notebook: revisions, rank curves, shares needed ---------------------------

def test_revised_reserves_are_the_changed_countries_in_million_tonnes():
    r24, r25 = reserves(2024), reserves(2025)
    changed = {c for c in set(r24) & set(r25) if r24[c] != r25[c]}
    table = minerals.revised_reserves()
    assert set(table.index) == changed
    for code in changed:
        assert table.loc[code, "mcs2024_mt"] == pytest.approx(r24[code] / 1e6)
        assert table.loc[code, "mcs2025_mt"] == pytest.approx(r25[code] / 1e6)
        assert table.loc[code, "revision_pct"] == pytest.approx(100 * (r25[code] - r24[code]) / r24[code])
    assert table["revision_mt"].abs().is_monotonic_decreasing


def test_rank_curves_are_rank_curve_for_every_edition():
    curves = minerals.rank_curves(deposit_t(), points=20)
    shares = [i / 20 for i in range(1, 21)]
    for edition in minerals.EDITIONS:
        one = curves[curves["edition"] == edition].reset_index(drop=True)
        expected = minerals.rank_curve(edition, deposit_t(), shares)
        assert one[expected.columns].equals(expected)


def test_shares_needed_in_percent_and_missing_when_not_reached():
    table = minerals.shares_needed(deposit_t(), range(2, 7))
    assert table.index.tolist() == list(range(2, 7))
    for edition in minerals.EDITIONS:
        for rank in table.index:
            needed = minerals.share_needed(edition, deposit_t(), rank)
            got = table.loc[rank, f"needed_{edition}_pct"]
            assert pd.isna(got) if needed is None else got == pytest.approx(100 * needed)
    assert table.isna().any().any(), "some rank is out of reach of the whole claim"


# --- mineral_claims: what the seeds claim -------------------------------------------------------

def curated(table, fact_id):
    return [r for r in csv_rows(f"curated/{table}.csv") if r["fact_id"] == fact_id]


def test_salient_share_is_the_published_leading_producer_share():
    (row,) = [r for r in csv_rows("derived/critical_minerals_t5.csv")
              if r["mineral"].startswith("Rare earths") and r["measure"] == "leading_producer_share_of_world"]
    edition, year = int(row["edition"]), int(row["year"])
    assert mineral_claims.salient_share(edition, year) == float(row["value"])
    assert mineral_claims.salient_share(edition, year - 1) is None


@pytest.mark.parametrize("word", ["rare earths", "uranium"])
def test_salient_covers_reads_the_mineral_names(word):
    names = {r["mineral"].lower() for r in csv_rows("derived/critical_minerals_t5.csv")}
    assert mineral_claims.salient_covers(word) == any(word in n for n in names)


@pytest.mark.parametrize("edition", minerals.EDITIONS)
def test_china_shares_by_stage(edition):
    shares = mineral_claims.china_shares(edition)
    expected = [100 * minerals.share_of("CHN", m, edition) for m in minerals.MEASURES]
    expected.append(claimed("china_rare_earth_processing_share"))
    assert shares["china_share_pct"].tolist() == pytest.approx(expected)
    lower = world(edition, "reserves", latest(edition, "reserves"))[1] == "greater_than"
    assert shares["upper_bound"].tolist() == [lower, False, False]
    assert shares["from_seeds"].tolist() == [False, False, True]
    assert str(latest(edition, "reserves")) in shares["stage"].iloc[0]


def test_restrictions_timeline_dates_and_counts_from_the_curated_rows():
    timeline = mineral_claims.restrictions_timeline()
    assert len(timeline) == len(mineral_claims.RESTRICTION_STEPS)
    for row, (claim_fact, event_fact, what) in zip(timeline.itertuples(), mineral_claims.RESTRICTION_STEPS):
        assert row.what == what
        dates = [r["date"] for r in curated("events", event_fact)] if event_fact else []
        assert row.date == (max(sorted(set(dates)), key=dates.count) if dates else "not stated")
        said = curated("claims", claim_fact) if claim_fact else []
        assert (row.value_as_written if said else None) == (said[0]["value_as_written"] if said else None)


def test_claimed_deposit_is_the_curated_estimate():
    tonnes, written = mineral_claims.claimed_deposit()
    assert tonnes == deposit_t()
    assert written == curated("claims", mineral_claims.DEPOSIT_FACTS["size"])[0]["value_as_written"]


def test_deposit_statements_count_every_curated_row():
    facts = mineral_claims.DEPOSIT_FACTS
    statements = mineral_claims.deposit_statements()
    counts = statements["kind"].value_counts().to_dict()
    assert counts["discovery"] == len(curated("events", facts["discovery"]))
    assert counts["size"] == len(curated("claims", facts["size"]))
    relative = curated("claims", facts["relative"]) + curated("claims", facts["rank"])
    assert counts["rank"] + counts["ratio"] == len(relative)
    assert statements[["kind", "seed", "source_line"]].apply(tuple, axis=1).is_monotonic_increasing


@pytest.mark.parametrize("edition", minerals.EDITIONS)
def test_claim_check_ranks_and_ratio(edition):
    tonnes = deposit_t()
    row = mineral_claims.claim_check(tonnes).loc[edition]
    rank, order, r = expected_rank(edition, tonnes), ranked(edition), reserves(edition)
    assert row["reserves_rank"] == rank
    assert row["third_after_china_brazil"] == (order[:rank - 1] == ["CHN", "BRA"])
    assert row["ratio_to_china"] == pytest.approx(tonnes / r["CHN"])
    smaller = max((c for c in r if r[c] <= tonnes), key=r.get)
    assert (row["next_smaller"], row["next_smaller_mt"]) == (countries.name(smaller), r[smaller] / 1e6)
    assert row["larger_countries"] == ", ".join(countries.name(c) for c in order[:rank - 1])


def test_us_minerals_portfolio_one_row_per_deal():
    rows = [r for r in csv_rows("curated/deals.csv") if r["sector"] in mineral_claims.MINERAL_SECTORS]
    facts = {r["fact_id"] for r in rows}
    portfolio = mineral_claims.us_minerals_portfolio()
    assert len(portfolio) == len(facts)
    for fact in facts:
        mine = [r for r in rows if r["fact_id"] == fact]
        codes = mine[0]["countries"].split(";")
        (row,) = portfolio[(portfolio["partner"] == ";".join(c for c in codes if c != "USA"))
                           & (portfolio["sector"] == mine[0]["sector"])
                           & (portfolio["with_us"] == ("USA" in codes))].itertuples()
        values = {float(r["value"]) * float(r["multiplier"]) / 1e9 for r in mine if r["value"]}
        if values:
            assert [row.value_usd_bn] == pytest.approx(list(values))
        else:
            assert pd.isna(row.value_usd_bn) and row.value_as_written == "not stated"


def test_uranium_claims_are_the_curated_rows():
    expected = [r["value_as_written"] for f in mineral_claims.URANIUM_FACTS for r in curated("claims", f)]
    claims = mineral_claims.uranium_claims()
    assert sorted(claims["value_as_written"]) == sorted(expected)
    assert set(claims["seed"]) == {r["source"].split("_")[0] for f in mineral_claims.URANIUM_FACTS
                                   for r in curated("claims", f)}
