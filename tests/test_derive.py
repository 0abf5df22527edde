"""Tests for helpers.data.derive: byte-reproducibility of data/derived and spot checks against
the figures recorded in data/raw/STAGING.md."""

import json
import shutil
from collections import Counter
from functools import lru_cache

import numpy as np
import pandas as pd
import pytest

from helpers.data import derive, paths
from helpers.data.countries import codes
from helpers.errors import DataValidationError


@lru_cache(maxsize=None)
def _table(name):
    """A committed derived table, every cell as text (empty cells stay empty strings)."""
    return pd.read_csv(paths.DERIVED / f"{name}.csv", dtype=str, keep_default_na=False)


def _one(df, **where):
    mask = pd.Series(True, index=df.index)
    for col, val in where.items():
        mask &= df[col] == str(val)
    rows = df[mask]
    assert len(rows) == 1, f"{where}: {len(rows)} rows"
    return rows.iloc[0]


# --------------------------------------------------------------------------- reproducibility


def test_rebuild_is_byte_identical_to_committed_files(tmp_path):
    written = derive.build_all(tmp_path)
    assert [p.name for p in written] == [f"{name}.csv" for name in derive.BUILDERS]
    for path in written:
        committed = paths.DERIVED / path.name
        assert committed.exists(), f"{committed} is missing: run helpers.data.derive.build_all()"
        assert path.read_bytes() == committed.read_bytes(), f"{path.name} differs from the committed file"


@pytest.mark.parametrize("name", list(derive.BUILDERS))
def test_committed_files_are_canonical_text(name):
    raw = (paths.DERIVED / f"{name}.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    assert raw.endswith(b"\n")
    raw.decode("utf-8")


def test_write_csv_round_trips_exactly(tmp_path):
    values = [0.1, 1178376.7, 8e-05, 3521418059.923445, 90000000.0, 0.0, -180.0, 2.0**52 + 1, np.nan]
    df = pd.DataFrame({
        "f": values,
        "i": range(len(values)),
        "b": [True, False] * 4 + [True],
        "s": ["a,b", 'q"uote', "", "Türkiye", "3.3\u00a0million", "x", "y", "z", "NA"],
    })
    path = derive.write_csv(df, tmp_path / "sub" / "t.csv")
    text = path.read_bytes().decode("utf-8")
    assert "\r" not in text
    lines = text.split("\n")
    assert lines[0] == "f,i,b,s"
    assert [line.split(",")[0] for line in lines[1:6]] == ["0.1", "1178376.7", "8e-05", "3521418059.923445", "90000000"]
    assert lines[6].startswith("0,") and lines[7].startswith("-180,")
    back = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"s": str})
    assert back["f"].tolist()[:-1] == values[:-1]  # exact equality, not approx
    assert np.isnan(back["f"].iloc[-1])
    assert back["b"].tolist() == df["b"].tolist()
    assert back["s"].fillna("").tolist() == df["s"].tolist()
    derive.write_csv(df, tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_bytes() == path.read_bytes()


# --------------------------------------------------------------------------- rare earths


def test_rare_earths_mcs2025_staging_figures():
    re_ = _table("rare_earths")
    reserves = {c: _one(re_, edition=2025, country=c, measure="reserves", year=2024) for c in ("CHN", "BRA", "IND", "WLD")}
    assert reserves["CHN"]["value_t"] == "44000000"
    assert reserves["BRA"]["value_t"] == "21000000"
    assert reserves["IND"]["value_t"] == "6900000"
    world = reserves["WLD"]
    assert (world["value_as_published"], world["value_t"], world["value_qualifier"]) == (">90000000", "90000000", "greater_than")
    assert world["country_as_published"] == "World total (rounded)"
    prod = {c: _one(re_, edition=2025, country=c, measure="mine_production", year=2024) for c in ("CHN", "WLD")}
    assert prod["CHN"]["value_t"] == "270000" and prod["CHN"]["estimated"] == "true"
    assert prod["WLD"]["value_t"] == "390000"
    assert _one(re_, edition=2025, country="CHN", measure="mine_production", year=2023)["estimated"] == "false"


def test_rare_earths_revisions_between_editions():
    re_ = _table("rare_earths")
    for country, old, new in (("VNM", "22000000", "3500000"), ("RUS", "10000000", "3800000")):
        assert _one(re_, edition=2024, country=country, measure="reserves", year=2023)["value_t"] == old
        assert _one(re_, edition=2025, country=country, measure="reserves", year=2024)["value_t"] == new


def test_rare_earths_labels_missing_values_and_notes():
    re_ = _table("rare_earths")
    assert len(re_) == (18 + 16) * 3
    assert _one(re_, edition=2025, country="RUS", measure="reserves", year=2024)["country_as_published"] == "Russia"
    burma = _one(re_, edition=2024, country="MMR", measure="reserves", year=2023)
    assert (burma["value_as_published"], burma["value_t"], burma["country_as_published"]) == ("NA", "", "Burma")
    canada = _one(re_, edition=2025, country="CAN", measure="mine_production", year=2024)
    assert (canada["value_as_published"], canada["value_t"]) == ("", "")
    assert _one(re_, edition=2025, country="CHN", measure="mine_production", year=2024)["note"].startswith("Production quota")
    assert set(re_["value_qualifier"]) == {"", "greater_than"}
    assert set(re_["country"]) <= set(codes())


# --------------------------------------------------------------------------- trade


def test_trade_wto_kazakhstan_2019_staging_figures():
    tr = _table("trade")
    kaz = tr[(tr.dataset == "wto_hs_m_0010") & (tr.reporter == "KAZ") & (tr.year == "2019") & (tr.flow == "imports")]
    value = kaz.set_index("partner")["value_full"].astype(float)
    assert value["WLD"] == pytest.approx(39.2e9, abs=0.05e9)
    assert value["RUS"] == pytest.approx(14.3e9, abs=0.05e9)
    assert value["CHN"] == pytest.approx(6.3e9, abs=0.05e9)
    assert kaz.set_index("partner").loc["WLD", "value"] == "39196778592"  # as published


def test_trade_sources_units_and_keys():
    tr = _table("trade")
    assert tr.groupby(["dataset", "flow"]).size().to_dict() == {
        ("eurostat_comext", "exports"): 224, ("uzstat_sdmx", "exports"): 462,
        ("uzstat_sdmx", "imports"): 462, ("wto_hs_m_0010", "imports"): 1005}  # partners in countries.csv only
    assert not tr.duplicated(["dataset", "reporter", "partner", "year", "flow"]).any()
    assert set(tr["reporter"]) <= set(codes())
    units = tr.groupby("dataset")[["currency", "unit_multiplier"]].agg(lambda s: set(s)).to_dict("index")
    assert units == {"eurostat_comext": {"currency": {"EUR"}, "unit_multiplier": {"1"}},
                     "uzstat_sdmx": {"currency": {"USD"}, "unit_multiplier": {"1000"}},
                     "wto_hs_m_0010": {"currency": {"USD"}, "unit_multiplier": {"1"}}}
    uz = tr[tr.dataset == "uzstat_sdmx"]
    assert set(uz["reporter"]) == {"UZB"}
    assert set(uz["partner"]) <= set(codes()) and "WLD" not in set(uz["partner"])  # no computed totals
    kaz = _one(uz, partner="KAZ", year=2023, flow="exports")
    assert (kaz["value"], kaz["value_full"]) == ("1417053.6", "1417053600")  # exact, no float noise
    assert _one(uz, partner="OTH", year=2023, flow="exports")["partner_as_published"] == "Other countries"
    wto = tr[tr.dataset == "wto_hs_m_0010"]
    assert {"WLD", "CHN", "RUS", "USA", "KAZ"} <= set(wto["partner"]) <= set(codes())
    assert _one(tr, dataset="eurostat_comext", partner="TUR", year=2016)["partner_as_published"] == "Turquie"


# --------------------------------------------------------------------------- WDI, T5, polygons


def test_wdi_kazakhstan_gdp_2023():
    wdi = _table("wdi")
    gdp = float(_one(wdi, country="KAZ", indicator="NY.GDP.MKTP.CD", year=2023)["value"])
    assert gdp == pytest.approx(261.4e9, abs=0.05e9)
    assert _one(wdi, country="AFG", indicator="NY.GDP.MKTP.CD", year=2001)["value"] == "2813571753.8725324"
    assert set(wdi["country"]) <= set(codes())


def test_critical_minerals_t5_parsing():
    t5 = _table("critical_minerals_t5")
    assert len(t5) == 31 * 7
    ree = "Rare earths (compounds and metals)"
    assert _one(t5, mineral=ree, measure="leading_producer_production")[["value", "country_as_published"]].tolist() == ["270000", "China"]
    assert _one(t5, mineral=ree, measure="world_production")["value"] == "390000"
    zr = _one(t5, mineral="Zirconium (ores and concentrates)", measure="us_primary_production")
    assert zr[["value", "value_qualifier", "value_as_published"]].tolist() == ["100000", "less_than", "<100,000"]
    be = _one(t5, mineral="Beryllium", measure="us_net_import_reliance")
    assert be[["value", "value_code", "country_as_published"]].tolist() == ["", "E", "Kazakhstan"]
    assert _one(t5, mineral="Barite", measure="us_primary_production")["value_code"] == "W"
    assert _one(t5, mineral="Arsenic", measure="us_secondary_production")["value_code"] == "NA"
    assert set(t5["year"]) == {"2024"} and set(t5["estimated"]) == {"true"}


def test_region_polygons_keep_coordinates_exactly():
    poly = _table("region_polygons")
    with open(paths.RAW / "naturalearth/ne_50m_admin0_central_asia_region.geojson", encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    assert sorted(set(poly["country"])) == sorted(f["properties"]["ISO_A3"] for f in features)
    raw_points = Counter()
    for f in features:
        geom = f["geometry"]
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for polygon in polygons:
            for ring in polygon:
                raw_points.update((float(x), float(y)) for x, y in ring)
    out_points = Counter(zip(poly["lon"].astype(float), poly["lat"].astype(float)))
    assert out_points == raw_points
    assert set(poly.loc[poly["point"] == "0", "ring"]) >= {"0"}


# --------------------------------------------------------------------------- malformed input


def _raw_copy(tmp_path, *subdirs):
    """Writable copy of some raw subdirectories (the snapshots themselves are read-only)."""
    for sub in subdirs:
        shutil.copytree(paths.RAW / sub, tmp_path / sub, copy_function=shutil.copyfile)
        (tmp_path / sub).chmod(0o755)
    return tmp_path


def test_malformed_usgs_cell_names_file_row_and_column(tmp_path):
    raw = _raw_copy(tmp_path, "usgs")
    path = raw / "usgs/mcs2025_world_data.csv"
    data = path.read_bytes()
    good = b"Production quota; does not include undocumented production.,,,,44000000,"
    assert data.count(good) == 1
    path.write_bytes(data.replace(good, good.replace(b"44000000", b"44 Mt")))
    row = data[: data.index(good)].count(b"\n") + 1
    with pytest.raises(DataValidationError) as info:
        derive.build_rare_earths(raw)
    err = info.value
    assert err.path.endswith("usgs/mcs2025_world_data.csv")
    assert (err.row, err.column, err.value) == (row, "RESERVES_2024", "44 Mt")
    assert "RESERVES_2024" in str(err) and f"row {row}" in str(err)


def test_malformed_uzstat_cell_raises(tmp_path):
    raw = _raw_copy(tmp_path, "wto", "eurostat", "uzstat")
    path = raw / "uzstat/imports_by_country_sdmx_1176.csv"
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    cells = lines[1].split(",")
    cells[-1] = "n/a"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        derive.build_trade(raw)
    assert (info.value.row, info.value.column, info.value.value) == (2, "2023", "n/a")


def test_unknown_country_label_raises(tmp_path):
    raw = _raw_copy(tmp_path, "worldbank")
    path = raw / "worldbank/population_selected.csv"
    text = path.read_text(encoding="utf-8").replace("Afghanistan,AFG,1960", "Atlantis,ATL,1960", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        derive.build_wdi(raw)
    assert (info.value.row, info.value.column, info.value.value) == (2, "Country Code", "ATL")
