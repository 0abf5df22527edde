"""Provenance of the mineral tables: every derived row's raw lines exist and state its values,
and the oxide/metal factors and world ranks computed from them."""

import pandas as pd
import pytest

from helpers.analysis import mineral_claims, world_minerals
from helpers.data import paths, rawcells

TABLES = ("rare_earths", "critical_minerals_t5", "world_minerals")


def _lines(raw_file):
    return (paths.RAW / raw_file).read_text(encoding="utf-8-sig").split("\n")


def _numbers(ranges):
    for part in ranges.split(";"):
        a, _, b = part.partition("-")
        yield from range(int(a), int(b or a) + 1)


@pytest.mark.parametrize("name", TABLES)
def test_every_row_points_at_raw_lines_that_state_it(name):
    table = pd.read_csv(paths.DERIVED / f"{name}.csv", dtype=str, keep_default_na=False)
    files = {f: _lines(f) for f in table["raw_file"].unique()}
    for row in table.itertuples():
        lines = [files[row.raw_file][n - 1] for n in _numbers(row.raw_lines)]
        text = "\n".join(lines)
        assert row.value_as_published.strip() in text, (name, row.Index)
        country = getattr(row, "country_as_published", "")
        assert country in text, (name, row.Index, country)
        if name == "critical_minerals_t5":
            assert row.mineral in text and row.year in text
        else:
            header = files[row.raw_file][0]
            assert row.year in header or name == "rare_earths", (name, row.Index)


def test_line_ranges():
    assert rawcells.line_ranges([17, 12, 15, 16]) == "12;15-17"


def test_oxide_factors_span_lutetium_to_yttrium_oxide():
    f = mineral_claims.oxide_factors()
    assert f.iloc[0]["oxide"] == "Lu2O3" and f.iloc[-1]["oxide"] == "Y2O3"
    assert "Sc" not in set(f["symbol"]) and "Pm" not in set(f["symbol"])
    la = f.set_index("symbol").loc["La", "factor"]
    assert la == pytest.approx((2 * 138.90547 + 3 * 15.999) / (2 * 138.90547))


def test_unit_readings_rank_second_as_metal():
    r = mineral_claims.unit_readings(20_000_000)
    assert r["rank_2025"].tolist() == [3, 2, 2] and r["rank_2024"].tolist() == [4, 2, 2]


def test_world_positions_rank_and_skip_typos():
    p = world_minerals.positions()
    tjk = p[(p["country"] == "TJK") & (p["commodity"] == "Antimony") & (p["measure"] == "production")].iloc[0]
    assert (tjk["rank"], tjk["listed"], tjk["world_share_pct"]) == (2, 15, 17.0)
    kaolin = p[p["series"].str.contains("Kaolin")].iloc[0]
    assert pd.isna(kaolin["world_share_pct"])
    assert not ((p["commodity"] == "Magnesium metal") & (p["measure"] == "reserves")).any()
