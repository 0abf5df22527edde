"""Every row of data/derived/trade.csv and wdi.csv names the raw lines it was built from, and
those lines say so: read here with plain ``csv`` (not the derive under test), they hold the
row's reporter/partner/year (or country/indicator/year) and its value -- for a WTO total, the
sum of the HS2 chapter lines it names."""

import csv
import shutil
from decimal import Decimal
from functools import lru_cache

import pandas as pd
import pytest

from helpers.data import derive_stats, paths
from helpers.data.rawcells import expand_ranges
from helpers.errors import DataValidationError

WDI_FILES = {"NY.GDP.MKTP.CD": "worldbank/gdp_current_usd_selected.csv",
             "SP.POP.TOTL": "worldbank/population_selected.csv"}


@lru_cache(maxsize=None)
def _raw(name):
    """Physical line number -> the row as a dict, for a raw CSV (header = line 1)."""
    with open(paths.RAW / name, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        rows, start = {}, 2
        for row in reader:
            rows[start] = row
            start = reader.line_num + 1
    return rows


@lru_cache(maxsize=None)
def _m49():
    with open(paths.ROOT / "data/reference/countries.csv", encoding="utf-8", newline="") as fh:
        return {r["iso3"]: r["m49"] for r in csv.DictReader(fh)}


def _derived(name):
    return pd.read_csv(paths.DERIVED / f"{name}.csv", dtype=str, keep_default_na=False)


def _lines(row):
    raw = _raw(row["raw_file"])
    numbers = expand_ranges(row["raw_lines"])
    missing = [n for n in numbers if n not in raw]
    assert not missing, f"{row['raw_file']} has no data line {missing}"
    return [raw[n] for n in numbers]


def _wto_code(iso3):
    return "000" if iso3 == "WLD" else _m49()[iso3]


def test_every_derived_row_names_a_raw_file_and_lines():
    for name in ("trade", "wdi"):
        table = _derived(name)
        assert list(table.columns[-2:]) == ["raw_file", "raw_lines"], name
        assert table["raw_lines"].str.fullmatch(r"\d+(-\d+)?(;\d+(-\d+)?)*").all(), name
        for raw_file in table["raw_file"].unique():
            assert (paths.RAW / raw_file).is_file(), raw_file


def test_trade_rows_hold_their_keys_and_values_on_the_named_lines():
    for _, row in _derived("trade").iterrows():
        lines, where = _lines(row), f"{row['dataset']} {row['reporter']}-{row['partner']} {row['year']}"
        if row["dataset"] == "wto_hs_m_0010":
            for raw in lines:
                assert (raw["reporter_m49"], raw["partner_m49"], raw["year"]) == (
                    _wto_code(row["reporter"]), _wto_code(row["partner"]), row["year"]), where
            if row["raw_file"] == "wto/imports_by_partner_hs2.csv":  # an aggregate: re-sum it
                assert sum(int(raw["imports_usd"]) for raw in lines) == int(row["value"]), where
                assert row["note"] == f"sum over {len(lines)} HS2 chapters", where
                assert len({raw["hs2"] for raw in lines}) == len(lines), where
            else:
                assert row["raw_file"] == "wto/imports_by_partner_totals.csv", where
                assert len(lines) == 1 and lines[0]["imports_usd_sum_hs2"] == row["value"], where
        elif row["dataset"] == "eurostat_comext":
            (raw,) = lines
            assert (raw["reporter"], raw["partner_label_in_source"], raw["year"]) == (
                "EU27_2020", row["partner_as_published"], row["year"]), where
            assert raw["flow"].lower() + "s" == row["flow"], where
            assert Decimal(raw["value_eur"]) == Decimal(row["value"]), where
        else:
            (raw,) = lines
            code = "0" if row["partner"] == "OTH" else str(int(_m49()[row["partner"]]))
            assert (str(int(raw["Code"])), raw["Klassifikator_en"]) == (code, row["partner_as_published"]), where
            assert Decimal(raw[row["year"]]) == Decimal(row["value"]), where
            flow = "exports" if "exports" in row["raw_file"] else "imports"
            assert flow == row["flow"], where


def test_wto_totals_point_at_their_chapters_wherever_they_are_staged():
    trade = _derived("trade")
    wto = trade[trade["dataset"] == "wto_hs_m_0010"]
    staged = {(r["reporter_m49"], r["partner_m49"], r["year"])
              for r in _raw("wto/imports_by_partner_hs2.csv").values()}
    for _, row in wto.iterrows():
        key = (_wto_code(row["reporter"]), _wto_code(row["partner"]), row["year"])
        expected = "wto/imports_by_partner_hs2.csv" if key in staged else "wto/imports_by_partner_totals.csv"
        assert row["raw_file"] == expected, key
    # the example of the editor's note: Kazakhstan's 2019 imports from China
    kaz = wto[(wto["reporter"] == "KAZ") & (wto["partner"] == "CHN") & (wto["year"] == "2019")].iloc[0]
    lines = _lines(kaz)
    assert kaz["note"] == f"sum over {len(lines)} HS2 chapters"
    assert sum(int(r["imports_usd"]) for r in lines) == int(kaz["value"])


def test_wdi_rows_hold_their_keys_and_values_on_the_named_lines():
    wdi = _derived("wdi")
    for _, row in wdi.iterrows():
        assert row["raw_file"] == WDI_FILES[row["indicator"]]
        (raw,) = _lines(row)
        assert (raw["Country Code"], raw["Year"]) == (row["country"], row["year"])
        assert float(raw["Value"]) == float(row["value"])
    for indicator, name in WDI_FILES.items():  # every raw line is used, once
        used = wdi.loc[wdi["indicator"] == indicator, "raw_lines"].astype(int)
        assert sorted(used) == sorted(_raw(name))


def test_chapters_that_do_not_sum_to_the_total_stop_the_build(tmp_path):
    shutil.copytree(paths.RAW / "wto", tmp_path / "wto", copy_function=shutil.copyfile)
    path = tmp_path / "wto/imports_by_partner_hs2.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[1].split(",")
    cells[-1] = str(int(cells[-1]) + 1)
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    key = tuple(cells[:3])
    with open(tmp_path / "wto/imports_by_partner_totals.csv", encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        total_line = next(i for i, r in enumerate(reader, start=2)
                          if (r["reporter_m49"], r["partner_m49"], r["year"]) == key)
    with pytest.raises(DataValidationError) as info:
        derive_stats._trade_wto(tmp_path)
    assert (info.value.row, info.value.column) == (total_line, "imports_usd_sum_hs2")
    assert "imports_by_partner_hs2.csv" in str(info.value)
