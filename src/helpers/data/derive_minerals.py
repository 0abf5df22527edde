"""Derived mineral tables from USGS Mineral Commodity Summaries: rare earths, table T5, the five's series.

Rare earths by edition, table T5, and the world series in which the five Central Asian states
are listed.

Part of the derived-table build (:mod:`helpers.data.derive`); conventions are documented there.
Every row records where it comes from: ``raw_file`` (its path under ``data/raw/``) and
``raw_lines`` (the 1-based physical line numbers, in that file, of the raw rows it was built
from: ``"12"``, or ranges such as ``"12;15-17"``).
"""

import re
from pathlib import Path

from ..errors import DataValidationError, UnknownValueError
from . import countries, paths
from .rawcells import (
    PROVENANCE_COLUMNS,
    T5_CODES,
    _cell,
    _columns,
    _country,
    _frame,
    _quantity,
    _read_rows,
    line_ranges,
    raw_name,
)

# --------------------------------------------------------------------------- 1. rare earths

RARE_EARTHS_COLUMNS = [
    "edition", "country", "country_as_published", "measure", "year", "value_t",
    "value_qualifier", "value_as_published", "estimated", "note", *PROVENANCE_COLUMNS,
]

#: per MCS edition: file, commodity filter, and (value column, measure, data year, estimated,
#: note column) for each measure
_MCS_LAYOUT = {
    2025: {
        "file": "usgs/mcs2025_world_data.csv",
        "country": "COUNTRY",
        "commodity": ("COMMODITY", "Rare earths"),
        "unit": ("UNIT_MEAS", "metric tons"),
        "type": "TYPE",
        "measures": [
            ("PROD_2023", "mine_production", 2023, False, "PROD_NOTES"),
            ("PROD_EST_ 2024", "mine_production", 2024, True, "PROD_NOTES"),
            ("RESERVES_2024", "reserves", 2024, False, "RESERVE_NOTES"),
        ],
    },
    2024: {
        "file": "usgs/mcs2024_rare_earths_world.csv",
        "country": "Country",
        "commodity": None,
        "unit": None,
        "type": "Type",
        "measures": [
            ("Prod_t_est_2022", "mine_production", 2022, True, "Prod_notes"),
            ("Prod_t_est_2023", "mine_production", 2023, True, "Prod_notes"),
            ("Reserves_t", "reserves", 2023, False, "Reserves_notes"),
        ],
    },
}


def build_rare_earths(raw=paths.RAW):
    """Rare-earth mine production and reserves by country, USGS MCS 2024 and 2025.

    One row per edition, country, measure and data year. Sources:
    ``usgs/mcs2025_world_data.csv`` (rows with COMMODITY "Rare earths") and
    ``usgs/mcs2024_rare_earths_world.csv``. Quantities are metric tons of rare-earth-oxide (REO)
    equivalent, as published (the unit is checked, never converted).

    Years: production years are those in the column names (MCS 2024: 2022, 2023; MCS 2025:
    2023, 2024). Reserves: MCS 2025 labels its column ``RESERVES_2024`` (the metadata XML
    defines it only as "reserves ... in the subject country"), so reserves are given year
    2024 for MCS 2025; the MCS 2024 file's ``Reserves_t`` carries no year, and by the same
    convention (reserves year = edition - 1) it is given year 2023.

    ``estimated`` follows the column names: USGS marks ``PROD_EST_ 2024`` (MCS 2025) and both
    ``Prod_t_est_2022`` and ``Prod_t_est_2023`` (MCS 2024, as re-saved) as estimates; reserves
    columns carry no "est" mark.

    ``value_as_published`` is the raw cell; ``value_t`` its number, empty for an empty cell or
    "NA" (:data:`USGS_MISSING`); ``">90000000"`` gives ``value_t`` 90000000 with
    ``value_qualifier`` "greater_than" (a lower bound). ``note`` is the USGS note for the
    measure (production notes for production, reserve notes for reserves), stripped of outer
    whitespace but otherwise as published (it may contain no-break spaces). In MCS 2025 some
    countries (e.g. Burma) have an empty reserves cell and "NA" in the reserve *notes* column;
    both are kept as published.

    Parameters
    ----------
    raw : path-like
        Directory holding the raw snapshots (default :data:`helpers.paths.RAW`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`RARE_EARTHS_COLUMNS`, sorted by edition, country, measure, year.
    """
    records = []
    for edition, layout in _MCS_LAYOUT.items():
        path = Path(raw) / layout["file"]
        header, rows = _read_rows(path)
        needed = [layout["country"], layout["type"]]
        needed += [m[0] for m in layout["measures"]] + [m[4] for m in layout["measures"]]
        if layout["commodity"]:
            needed.append(layout["commodity"][0])
        if layout["unit"]:
            needed.append(layout["unit"][0])
        col = _columns(path, header, dict.fromkeys(needed))
        for line, row in rows:
            if not any(c.strip() for c in row):
                continue  # trailing blank rows of the re-saved MCS 2024 file
            if layout["commodity"]:
                name, wanted = layout["commodity"]
                if _cell(row, col[name]).strip() != wanted:
                    continue
            kind = _cell(row, col[layout["type"]])
            if "rare-earth-oxide equivalent" not in kind:
                raise DataValidationError(paths.shown(path), line, layout["type"], kind,
                                          "a rare-earth-oxide-equivalent mine production row")
            if layout["unit"]:
                name, unit = layout["unit"]
                if _cell(row, col[name]).strip() != unit:
                    raise DataValidationError(paths.shown(path), line, name, _cell(row, col[name]), repr(unit))
            elif not kind.rstrip().endswith("metric tons"):
                raise DataValidationError(paths.shown(path), line, layout["type"], kind, "a type in metric tons")
            label = _cell(row, col[layout["country"]]).strip()
            iso = _country(label, path, line, layout["country"])
            for column, measure, year, estimated, note_col in layout["measures"]:
                cell = _cell(row, col[column])
                value, qualifier, _code = _quantity(cell, path, line, column)
                records.append({
                    "edition": edition, "country": iso, "country_as_published": label,
                    "measure": measure, "year": year, "value_t": value,
                    "value_qualifier": qualifier, "value_as_published": cell,
                    "estimated": estimated, "note": _cell(row, col[note_col]).strip(),
                    "raw_file": layout["file"], "raw_lines": line_ranges([line]),
                })
    dtypes = {"edition": "int64", "year": "int64", "value_t": "float64", "estimated": "bool"}
    return _frame(records, RARE_EARTHS_COLUMNS, dtypes, ["edition", "country", "measure", "year"])


# --------------------------------------------------------------------------- 4. T5

T5_COLUMNS = [
    "edition", "year", "estimated", "mineral", "measure", "unit", "value", "value_qualifier",
    "value_code", "value_as_published", "country_as_published", "note", *PROVENANCE_COLUMNS,
]
#: T5 column -> (measure, unit, column naming the related country, note column)
_T5_MEASURES = {
    "Primary_prod": ("us_primary_production", "metric tons", None, "Prod_notes"),
    "Secondary_prod": ("us_secondary_production", "metric tons", None, "Prod_notes"),
    "Apparent_Consumption": ("us_apparent_consumption", "metric tons", None, "Consumption_Notes"),
    "Net_Import_Reliance": ("us_net_import_reliance", "percent", "Primary_import_source",
                            "Import_source_notes"),
    "Leading_country_prod": ("leading_producer_production", "metric tons", "Leading_source_country",
                             "World_prod_notes"),
    "Leading_source_precent_world": ("leading_producer_share_of_world", "percent",
                                     "Leading_source_country", "World_prod_notes"),
    "World_total_prod": ("world_production", "metric tons", None, "World_prod_notes"),
}


def build_critical_minerals_t5(raw=paths.RAW):
    """USGS MCS 2025 table T5 (critical minerals), one row per mineral and measure.

    Measures: U.S. primary and secondary production, U.S. apparent consumption, U.S. net
    import reliance (percent of apparent consumption; ``country_as_published`` = the primary
    import source), the leading producer's production and share of world production
    (``country_as_published`` = the leading producer) and world production. Quantities are in
    metric tons: the file has no unit column, but its figures match the MCS 2025 chapters in
    metric tons (rare earths: China 270,000 t, world 390,000 t; U.S. compounds and metals
    production 1,300 t in ``mcs2025_rare_earths_salient.csv``).

    ``value_as_published`` is the raw cell. ``value`` is its number; ``"<"``/``">"`` become
    ``value_qualifier`` less_than / greater_than and a thousands separator is removed
    (``"<100,000"`` -> 100000, less_than). The codes W, NA and E (:data:`T5_CODES`) leave
    ``value`` empty and go to ``value_code``. The year cell ``2024_estimated`` gives year 2024,
    ``estimated`` true. Mineral and country names are stripped of outer spaces, otherwise as
    published (USGS names, e.g. "Congo (Kinshasa)", "Republic of Korea").

    Returns
    -------
    pandas.DataFrame
        Columns :data:`T5_COLUMNS`, sorted by mineral, measure.
    """
    path = Path(raw) / "usgs/mcs2025_t5_critical_minerals_salient.csv"
    header, rows = _read_rows(path)
    notes = sorted({m[3] for m in _T5_MEASURES.values()})
    related = sorted({m[2] for m in _T5_MEASURES.values() if m[2]})
    col = _columns(path, header, ["Source", "Year", "Critical_mineral", *_T5_MEASURES, *notes, *related])
    records = []
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        source = _cell(row, col["Source"]).strip()
        match = re.fullmatch(r"MCS(\d{4})", source)
        if not match:
            raise DataValidationError(paths.shown(path), line, "Source", source, "MCSyyyy")
        year_cell = _cell(row, col["Year"]).strip()
        ymatch = re.fullmatch(r"(\d{4})(_estimated)?", year_cell)
        if not ymatch:
            raise DataValidationError(paths.shown(path), line, "Year", year_cell, "YYYY or YYYY_estimated")
        mineral = _cell(row, col["Critical_mineral"]).strip()
        if not mineral:
            raise DataValidationError(paths.shown(path), line, "Critical_mineral", "", "a mineral name")
        for column, (measure, unit, country_col, note_col) in _T5_MEASURES.items():
            cell = _cell(row, col[column])
            value, qualifier, code = _quantity(cell, path, line, column, codes=tuple(T5_CODES))
            records.append({
                "edition": int(match[1]), "year": int(ymatch[1]), "estimated": bool(ymatch[2]),
                "mineral": mineral, "measure": measure, "unit": unit, "value": value,
                "value_qualifier": qualifier, "value_code": code, "value_as_published": cell,
                "country_as_published": _cell(row, col[country_col]).strip() if country_col else "",
                "note": _cell(row, col[note_col]).strip(),
                "raw_file": raw_name(path, raw), "raw_lines": line_ranges([line]),
            })
    dtypes = {"edition": "int64", "year": "int64", "estimated": "bool", "value": "float64"}
    return _frame(records, T5_COLUMNS, dtypes, ["mineral", "measure"])


# --------------------------------------------------------------------------- the five's world series

WORLD_MINERALS_COLUMNS = [
    "edition", "commodity", "series", "measure", "year", "estimated", "unit", "country",
    "country_as_published", "row_kind", "value", "value_qualifier", "value_as_published", "note",
    *PROVENANCE_COLUMNS,
]
#: MCS 2025 world data: value column -> (measure, data year, estimated, note column)
_WORLD_MEASURES = {
    "PROD_2023": ("production", 2023, False, "PROD_NOTES"),
    "PROD_EST_ 2024": ("production", 2024, True, "PROD_NOTES"),
    "RESERVES_2024": ("reserves", 2024, False, "RESERVE_NOTES"),
}
#: a unit stated in a reserve note, overriding UNIT_MEAS for the reserves of the whole series
_RESERVE_UNIT_RE = re.compile(r"\b(thousand|million) metric tons\b")


def _row_kind(label):
    """'world' for USGS's world total, 'other' for "other countries", else 'country'."""
    low = label.lower()
    if low.startswith("world total"):
        return "world"
    if low.startswith("other countries"):
        return "other"
    return "country"


def _iso3(label):
    """The ISO3 code of a country label, empty when ``data/reference/countries.csv`` lacks it."""
    try:
        return countries.to_iso3(label)
    except UnknownValueError:
        return ""


def build_world_minerals(raw=paths.RAW):
    """Every world series of USGS MCS 2025 in which one of the five Central Asian states is listed.

    A series is one COMMODITY and TYPE of ``usgs/mcs2025_world_data.csv`` (e.g. antimony, "Mine
    production, antimony content"); every row of such a series is kept (all countries, "Other
    countries", the world total), so a country's rank can be computed from the table alone. One
    row per raw row and measure: production 2023, production 2024 (estimated, column
    ``PROD_EST_ 2024``) and reserves 2024 (``RESERVES_2024``); capacity is left out.

    ``unit`` is the series' UNIT_MEAS, except for reserves when a reserve note of the series
    states another ("Crude Ore, million metric tons" for iron ore; "(Reserve data is thousand
    metric tons)." for molybdenum): then that unit, for the reserves of the whole series.
    ``commodity``, ``series`` and ``country_as_published`` are stripped of outer spaces, otherwise
    as published. ``country`` is the ISO3 code when ``data/reference/countries.csv`` knows the
    name, else empty; ``row_kind`` is country, world or other. Values as in :func:`build_rare_earths`
    (empty and "NA" cells have no value; ">2000000" is 2000000, greater_than).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`WORLD_MINERALS_COLUMNS`, sorted by commodity, series, measure, year and
        country as published.
    """
    path = Path(raw) / "usgs/mcs2025_world_data.csv"
    header, rows = _read_rows(path)
    notes = sorted({m[3] for m in _WORLD_MEASURES.values()})
    col = _columns(path, header, ["SOURCE", "COMMODITY", "COUNTRY", "TYPE", "UNIT_MEAS",
                                  *_WORLD_MEASURES, *notes])
    key = {line: (_cell(row, col["COMMODITY"]).strip(), _cell(row, col["TYPE"]).strip())
           for line, row in rows}
    wanted = {key[line] for line, row in rows
              if _iso3(_cell(row, col["COUNTRY"]).strip()) in countries.C5}
    reserve_unit = {}
    for line, row in rows:
        found = _RESERVE_UNIT_RE.search(_cell(row, col["RESERVE_NOTES"]))
        if key[line] in wanted and found:
            reserve_unit[key[line]] = found[0]
    records = []
    for line, row in rows:
        if key[line] not in wanted:
            continue
        source = _cell(row, col["SOURCE"]).strip()
        match = re.fullmatch(r"MCS(\d{4})", source)
        if not match:
            raise DataValidationError(paths.shown(path), line, "SOURCE", source, "MCSyyyy")
        label = _cell(row, col["COUNTRY"]).strip()
        unit = _cell(row, col["UNIT_MEAS"]).strip()
        for column, (measure, year, estimated, note_col) in _WORLD_MEASURES.items():
            cell = _cell(row, col[column])
            value, qualifier, _code = _quantity(cell, path, line, column)
            records.append({
                "edition": int(match[1]), "commodity": key[line][0], "series": key[line][1],
                "measure": measure, "year": year, "estimated": estimated,
                "unit": reserve_unit.get(key[line], unit) if measure == "reserves" else unit,
                "country": _iso3(label), "country_as_published": label, "row_kind": _row_kind(label),
                "value": value, "value_qualifier": qualifier, "value_as_published": cell,
                "note": _cell(row, col[note_col]).strip(),
                "raw_file": raw_name(path, raw), "raw_lines": line_ranges([line]),
            })
    dtypes = {"edition": "int64", "year": "int64", "estimated": "bool", "value": "float64"}
    return _frame(records, WORLD_MINERALS_COLUMNS, dtypes,
                  ["commodity", "series", "measure", "year", "country_as_published"])
