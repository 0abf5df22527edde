"""Unit tests for helpers.minerals, with expected values read from the derived CSV itself
(plain ``csv``, not the helpers under test) wherever that is possible."""

import csv

import pandas as pd
import pytest

from helpers import minerals, paths, style
from helpers.errors import UnknownValueError

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


def deposit_t():
    """The Karaganda estimate as the curated claims state it (value x multiplier)."""
    with open(CLAIMS, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["fact_id"] == "kaz_karaganda_deposit_20mt"]
    values = {float(r["value"]) * float(r["multiplier"]) for r in rows}
    assert len(values) == 1
    return values.pop()


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
    assert "KAZ" not in table.index, "USGS lists no reserves for Kazakhstan"
    top = max(expected, key=expected.get)
    assert table.index[0] == top == "CHN"
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

def test_world_total_keeps_the_lower_bound():
    value, qualifier = world(2025, "reserves", 2024)
    total = minerals.world_total("reserves", 2025)
    assert (total.value_t, total.lower_bound) == (value, qualifier == "greater_than") == (90e6, True)
    assert minerals.world_total("reserves", 2024).lower_bound is False


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
    assert list(rev.index[:2]) == ["VNM", "RUS"], "largest revisions first"
    assert rev.loc["VNM", "change_pct"] == pytest.approx(100 * (r25["VNM"] - r24["VNM"]) / r24["VNM"])


def test_edition_revisions_production_compares_the_same_year():
    rev = minerals.edition_revisions("mine_production")

    def value(edition):
        (row,) = [r for r in _rows() if r["edition"] == str(edition) and r["country"] == "CHN"
                  and r["measure"] == "mine_production" and r["year"] == "2023"]
        return float(row["value_t"])

    assert (rev.loc["CHN", "t_2024"], rev.loc["CHN", "t_2025"]) == (value(2024), value(2025))


# --- the deposit ---------------------------------------------------------------------------

def test_full_claim_ranks_third_after_china_and_brazil_in_mcs_2025():
    tonnes = deposit_t()
    result = minerals.rank_with_deposit(2025, tonnes)
    r25 = reserves(2025)
    assert result.rank == expected_rank(2025, tonnes) == 3
    assert result.above == ("BRA", r25["BRA"])
    assert result.below == ("IND", r25["IND"])
    above = result.ranking[result.ranking["reserves_rank"] < result.rank].index.tolist()
    assert above == ["CHN", "BRA"]


def test_full_claim_ranks_fourth_behind_vietnam_in_mcs_2024():
    tonnes = deposit_t()
    result = minerals.rank_with_deposit(2024, tonnes)
    assert result.rank == expected_rank(2024, tonnes) == 4
    above = result.ranking[result.ranking["reserves_rank"] < result.rank].index.tolist()
    assert "VNM" in above and reserves(2024)["VNM"] > tonnes


def test_thirty_percent_confirmed_ranks_below_india():
    tonnes = deposit_t()
    r25 = reserves(2025)
    result = minerals.rank_with_deposit(2025, tonnes, 0.3)
    assert result.tonnes == pytest.approx(0.3 * tonnes)
    assert result.above == ("IND", r25["IND"])
    assert result.rank == expected_rank(2025, 0.3 * tonnes) == 4
    assert minerals.rank_with_deposit(2024, tonnes, 0.3).rank == expected_rank(2024, 0.3 * tonnes) == 6


def test_ties_share_the_better_rank():
    r25 = reserves(2025)
    result = minerals.rank_with_deposit(2025, r25["IND"])
    assert result.rank == 3
    assert result.ranking.loc["IND", "reserves_rank"] == 3


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


def test_close_to_half_of_china():
    ratio = deposit_t() / reserves(2025)["CHN"]
    assert 0.4 < ratio < 0.5
    assert reserves(2024)["CHN"] == reserves(2025)["CHN"]


# --- curated helpers ----------------------------------------------------------------------

def test_stated_value_and_seed_refs():
    value, rows = minerals.stated_value("china_re_export_restrictions_april_2025")
    assert value == 7
    assert minerals.seed_refs(rows) == "seed 003 line 30; seed 004 line 28"
    with pytest.raises(ValueError, match="no claims row"):
        minerals.stated_value("no_such_fact")


# --- the map (style.draw_region) ---------------------------------------------------------

def test_draw_region_colours_the_five_and_fits_them():
    import matplotlib.colors
    from matplotlib.figure import Figure

    from helpers import countries, data

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
