"""Build the tidy tables in ``data/derived/`` from the raw snapshots in ``data/raw/``.

Every table is rebuilt from the byte-identical raw files by one function here, and written by
one canonical CSV writer (:func:`write_csv`), so ``build_all()`` run twice -- or on another
machine -- writes byte-identical files. The reproducibility test rebuilds everything into a
temporary directory and compares bytes with the committed files.

Conventions shared by every table
---------------------------------
* UTF-8 without a byte-order mark, ``"\\n"`` line endings, a header row, rows sorted by the
  table's key columns, a fixed column order.
* Numbers are kept exactly as published: no rounding and no unit conversion, except the one
  documented conversion in ``trade.csv`` (``value_full = value * unit_multiplier``, computed in
  exact decimal arithmetic). A float is written in its shortest round-trip form
  (``repr``); a whole number is written without ``.0`` (so ``55501.0`` is written ``55501``).
* Country columns hold ISO 3166-1 alpha-3 codes or the aggregate codes of
  ``data/reference/countries.csv`` (WLD, ECS, EU27, OTH).
* A raw cell that cannot be parsed raises :class:`~helpers.errors.DataValidationError` naming
  the raw file, row (the header is row 1), column, value and what was expected. Nothing is
  silently dropped. The only cells treated as "no value" are listed in
  :data:`USGS_MISSING` and :data:`T5_CODES`; fully empty rows (the trailing blank lines of the
  MCS 2024 file) are skipped.

Nothing is read or written at import time.
"""

import csv
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from . import countries, paths
from .errors import DataValidationError, UnknownValueError

#: USGS cells that mean "no value" (``value_t`` is left empty, the cell is kept as published)
USGS_MISSING = ("", "NA")
#: the non-numeric codes of USGS MCS 2025 table T5, with their meaning
T5_CODES = {
    "W": "withheld to avoid disclosing company proprietary data",
    "NA": "not available",
    "E": "net exporter",
}
#: value qualifiers: a published "<" or ">" in front of a number
QUALIFIERS = {">": "greater_than", "<": "less_than"}

#: WTO M49 partner codes that are not countries, mapped to explicit pseudo-codes
#: WTO's own code for the world total (UN M49 uses 001)
WTO_WORLD = "000"

_NUMBER_RE = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_QUANTITY_RE = re.compile(r"(?P<q>[<>])?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)")
_MAX_EXACT = 2**53  # integers up to this size are exact in float64


# --------------------------------------------------------------------------- writing


def _format_float(value):
    """Shortest text that reads back as the same float; whole numbers without ``.0``.

    >>> [_format_float(v) for v in (90000000.0, 0.0, 1178376.7, 8e-05, 3521418059.923445)]
    ['90000000', '0', '1178376.7', '8e-05', '3521418059.923445']
    """
    if value.is_integer() and abs(value) < _MAX_EXACT:
        return str(int(value))
    return repr(float(value))


def write_csv(df, path):
    """Write ``df`` the one canonical way: deterministic bytes that read back to the same values.

    UTF-8 without BOM, ``"\\n"`` line endings, no index, empty cells for missing values,
    booleans as ``true``/``false``, floats through :func:`_format_float` (shortest round-trip
    ``repr``; whole numbers without a trailing ``.0``).

    Parameters
    ----------
    df : pandas.DataFrame
    path : path-like
        Parent directories are created.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = df.copy()
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_bool_dtype(series):
            out[col] = series.map(lambda v: "" if pd.isna(v) else ("true" if v else "false")).astype(object)
        elif pd.api.types.is_float_dtype(series):
            out[col] = series.map(lambda v: "" if pd.isna(v) else _format_float(v)).astype(object)
    text = out.to_csv(index=False, lineterminator="\n", na_rep="")
    path.write_bytes(text.encode("utf-8"))
    return path


# --------------------------------------------------------------------------- reading helpers


def _read_rows(path):
    """Header and data rows of a raw CSV (BOM stripped); data rows numbered from 2 (header = 1)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        raise DataValidationError(paths.shown(path), 1, "(file)", "", "a header row")
    header = rows[0]
    return header, [(i, row) for i, row in enumerate(rows[1:], start=2)]


def _columns(path, header, needed):
    """Positions of the ``needed`` header names; a missing one is an error naming row 1."""
    index = {}
    for name in needed:
        if name not in header:
            raise DataValidationError(paths.shown(path), 1, name, ",".join(header), f"a column named {name!r}")
        index[name] = header.index(name)
    return index


def _cell(row, pos):
    return row[pos] if pos < len(row) else ""


def _number(cell, path, row, column):
    """Exact decimal value of a published number; anything else is a DataValidationError.

    >>> _number("1178376.7", "f.csv", 2, "2023") * 1000
    Decimal('1178376700.0')
    """
    text = cell.strip()
    if not _NUMBER_RE.fullmatch(text):
        raise DataValidationError(paths.shown(path), row, column, cell, "a number")
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already guarantees a number
        raise DataValidationError(paths.shown(path), row, column, cell, "a number") from None
    if abs(value) >= _MAX_EXACT and value != int(value):
        raise DataValidationError(paths.shown(path), row, column, cell, "a number exact in float64")
    return value


def _integer(cell, path, row, column, expected="an integer"):
    text = cell.strip()
    if not re.fullmatch(r"\d+", text):
        raise DataValidationError(paths.shown(path), row, column, cell, expected)
    return int(text)


def _quantity(cell, path, row, column, codes=USGS_MISSING):
    """Parse a USGS quantity cell -> (value or None, qualifier, code).

    ``codes`` are the published non-numeric markers accepted as "no value"; ``"<"`` / ``">"``
    become a qualifier; thousands separators (``"<100,000"``) are removed.

    >>> _quantity(">90000000", "f.csv", 2, "RESERVES_2024")
    (90000000.0, 'greater_than', '')
    >>> _quantity("NA", "f.csv", 2, "RESERVES_2024")
    (None, '', 'NA')
    >>> _quantity("<100,000", "f.csv", 2, "Primary_prod", codes=("W", "NA", "E"))
    (100000.0, 'less_than', '')
    """
    text = cell.strip()
    if text in codes:
        return None, "", text
    match = _QUANTITY_RE.fullmatch(text)
    if not match:
        allowed = ", ".join(repr(c) for c in codes)
        raise DataValidationError(paths.shown(path), row, column, cell,
                                  f"a number, optionally after '<' or '>', or one of {allowed}")
    value = Decimal(match["num"].replace(",", ""))
    return float(value), QUALIFIERS.get(match["q"], ""), ""


def _country(label, path, row, column):
    try:
        return countries.to_iso3(label)
    except UnknownValueError:
        raise DataValidationError(paths.shown(path), row, column, label,
                                  "a country name or alias in data/reference/countries.csv") from None


def _frame(records, columns, dtypes, key):
    df = pd.DataFrame.from_records(records, columns=columns)
    df = df.astype(dtypes)
    df = df.sort_values(key, kind="mergesort").reset_index(drop=True)
    return df


# --------------------------------------------------------------------------- 1. rare earths

RARE_EARTHS_COLUMNS = [
    "edition", "country", "country_as_published", "measure", "year", "value_t",
    "value_qualifier", "value_as_published", "estimated", "note",
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
                })
    dtypes = {"edition": "int64", "year": "int64", "value_t": "float64", "estimated": "bool"}
    return _frame(records, RARE_EARTHS_COLUMNS, dtypes, ["edition", "country", "measure", "year"])


# --------------------------------------------------------------------------- 2. trade

TRADE_COLUMNS = [
    "dataset", "reporter", "partner", "partner_as_published", "year", "flow", "value",
    "currency", "unit_multiplier", "value_full", "note",
]


def _m49_index():
    """M49 code (int) -> ISO3 for the rows of countries.csv that have one."""
    return {int(r["m49"]): r["iso3"] for r in countries.table() if r["m49"]}


def _wto_code(code, path, line, column):
    """ISO3 for a WTO M49 code in countries.csv, "WLD" for WTO's 000, None for any other."""
    if not re.fullmatch(r"\d{3}", code):
        raise DataValidationError(paths.shown(path), line, column, code, "a three-digit M49 code")
    if code == WTO_WORLD:
        return "WLD"
    return _m49_index().get(int(code))


def _trade_wto(raw):
    path = Path(raw) / "wto/imports_by_partner_totals.csv"
    header, rows = _read_rows(path)
    col = _columns(path, header, ["reporter_m49", "partner_m49", "partner", "year",
                                  "imports_usd_sum_hs2", "n_hs2_chapters"])
    records = []
    for line, row in rows:
        value = _number(_cell(row, col["imports_usd_sum_hs2"]), path, line, "imports_usd_sum_hs2")
        chapters = _integer(_cell(row, col["n_hs2_chapters"]), path, line, "n_hs2_chapters")
        reporter = _wto_code(_cell(row, col["reporter_m49"]), path, line, "reporter_m49")
        partner = _wto_code(_cell(row, col["partner_m49"]), path, line, "partner_m49")
        if reporter is None or partner is None:
            continue  # partners outside countries.csv (every cell above is still checked)
        records.append({
            "dataset": "wto_hs_m_0010",
            "reporter": reporter,
            "partner": partner,
            "partner_as_published": _cell(row, col["partner"]).strip(),
            "year": _integer(_cell(row, col["year"]), path, line, "year", "a year"),
            "flow": "imports", "value": float(value), "currency": "USD", "unit_multiplier": 1,
            "value_full": float(value), "note": f"sum over {chapters} HS2 chapters",
        })
    return records


def _trade_eurostat(raw):
    path = Path(raw) / "eurostat/eu27_exports_selected_partners_2010_2023.csv"
    header, rows = _read_rows(path)
    col = _columns(path, header, ["reporter", "partner", "year", "flow", "value_eur",
                                  "partner_label_in_source"])
    flows = {"EXPORT": "exports", "IMPORT": "imports"}
    records = []
    for line, row in rows:
        flow = _cell(row, col["flow"]).strip()
        if flow not in flows:
            raise DataValidationError(paths.shown(path), line, "flow", flow, "EXPORT or IMPORT")
        value = _number(_cell(row, col["value_eur"]), path, line, "value_eur")
        records.append({
            "dataset": "eurostat_comext",
            "reporter": _country(_cell(row, col["reporter"]).strip(), path, line, "reporter"),
            "partner": _country(_cell(row, col["partner"]).strip(), path, line, "partner"),
            "partner_as_published": _cell(row, col["partner_label_in_source"]).strip(),
            "year": _integer(_cell(row, col["year"]), path, line, "year", "a year"),
            "flow": flows[flow], "value": float(value), "currency": "EUR", "unit_multiplier": 1,
            "value_full": float(value), "note": "",
        })
    return records


_UZSTAT_FILES = (("uzstat/exports_by_country_sdmx_1105.csv", "exports"),
                 ("uzstat/imports_by_country_sdmx_1176.csv", "imports"))


def _trade_uzstat(raw):
    known = _m49_index()
    records = []
    for name, flow in _UZSTAT_FILES:
        path = Path(raw) / name
        header, rows = _read_rows(path)
        col = _columns(path, header, ["Code", "Klassifikator_en"])
        years = [(i, h) for i, h in enumerate(header) if re.fullmatch(r"\d{4}", h.strip())]
        if not years:
            raise DataValidationError(paths.shown(path), 1, "(year columns)", ",".join(header), "columns named YYYY")
        for line, row in rows:
            code = _integer(_cell(row, col["Code"]), path, line, "Code", "a numeric M49 code")
            cells = {h.strip(): (_cell(row, i), h) for i, h in years}
            # parse every cell, kept or not, so that a malformed file never passes silently
            values = {y: (None if c.strip() == "" else _number(c, path, line, h)) for y, (c, h) in cells.items()}
            if code == 0:
                partner, note = "OTH", ("code 0, other countries; STAGING.md: probably gold "
                                        "not assigned to a partner")
            elif code in known:
                partner, note = known[code], ""
            else:
                continue
            for year, value in values.items():
                if value is None:
                    continue  # not published
                records.append({
                    "dataset": "uzstat_sdmx", "reporter": "UZB", "partner": partner,
                    "partner_as_published": _cell(row, col["Klassifikator_en"]).strip(),
                    "year": int(year), "flow": flow, "value": float(value), "currency": "USD",
                    "unit_multiplier": 1000, "value_full": float(value * 1000), "note": note,
                })
    return records


def build_trade(raw=paths.RAW):
    """Trade by reporter, partner, year and flow, each row tagged with its source dataset.

    * ``wto_hs_m_0010``: WTO HS_M_0010 bilateral imports in USD, the staged totals (summed over
      HS2 chapters; ``note`` says over how many). Partners whose M49 code is in countries.csv
      (the five, the powers, the neighbours, ...) and WTO's 000 -> WLD; other partners are
      dropped after their cells are checked (the notebooks compare these partners only).
    * ``eurostat_comext``: EU27_2020 exports to 16 partners, nominal EUR.
    * ``uzstat_sdmx``: Uzbekistan's exports (file 1105) and imports (file 1176) by partner, in
      thousand USD (``unit_multiplier`` 1000). Only partners whose M49 code is in countries.csv
      are kept, plus code 0 ("Other countries") -> OTH. Published rows only: no totals are
      computed. Which file is exports was inferred when staging (see STAGING.md).

    ``value`` is the number as published; ``value_full = value * unit_multiplier`` (exact
    decimal arithmetic) in currency units -- the only unit conversion in the derived tables.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TRADE_COLUMNS`, sorted by dataset, reporter, partner, year, flow.
    """
    records = _trade_wto(raw) + _trade_eurostat(raw) + _trade_uzstat(raw)
    dtypes = {"year": "int64", "value": "float64", "unit_multiplier": "int64", "value_full": "float64"}
    return _frame(records, TRADE_COLUMNS, dtypes, ["dataset", "reporter", "partner", "year", "flow"])


# --------------------------------------------------------------------------- 3. WDI

WDI_COLUMNS = ["country", "indicator", "year", "value"]
_WDI_FILES = (("worldbank/gdp_current_usd_selected.csv", "NY.GDP.MKTP.CD"),
              ("worldbank/population_selected.csv", "SP.POP.TOTL"))


def build_wdi(raw=paths.RAW):
    """World Bank WDI GDP (current USD, NY.GDP.MKTP.CD) and population (SP.POP.TOTL).

    ``country`` is the World Bank's own code (ISO3, or WLD / ECS for the aggregates), checked
    against countries.csv. Values as published (GDP keeps all its published decimals).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`WDI_COLUMNS`, sorted by country, indicator, year.
    """
    known = set(countries.codes())
    records = []
    for name, indicator in _WDI_FILES:
        path = Path(raw) / name
        header, rows = _read_rows(path)
        col = _columns(path, header, ["Country Code", "Year", "Value"])
        for line, row in rows:
            code = _cell(row, col["Country Code"]).strip()
            if code not in known:
                raise DataValidationError(paths.shown(path), line, "Country Code", code,
                                          "a code in data/reference/countries.csv")
            records.append({
                "country": code, "indicator": indicator,
                "year": _integer(_cell(row, col["Year"]), path, line, "Year", "a year"),
                "value": float(_number(_cell(row, col["Value"]), path, line, "Value")),
            })
    return _frame(records, WDI_COLUMNS, {"year": "int64", "value": "float64"},
                  ["country", "indicator", "year"])


# --------------------------------------------------------------------------- 4. T5

T5_COLUMNS = [
    "edition", "year", "estimated", "mineral", "measure", "unit", "value", "value_qualifier",
    "value_code", "value_as_published", "country_as_published", "note",
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
            })
    dtypes = {"edition": "int64", "year": "int64", "estimated": "bool", "value": "float64"}
    return _frame(records, T5_COLUMNS, dtypes, ["mineral", "measure"])


# --------------------------------------------------------------------------- 5. polygons

POLYGON_COLUMNS = ["country", "part", "ring", "point", "lon", "lat"]


def build_region_polygons(raw=paths.RAW):
    """Country outlines of the region as points, from Natural Earth 1:50m (as staged).

    One row per vertex: ``country`` (the feature's ISO_A3 property), ``part`` (polygon index
    within the feature, 0 for a Polygon), ``ring`` (0 = exterior, 1.. = holes), ``point``
    (vertex order; the closing vertex, equal to the first, is kept) and ``lon``/``lat``
    exactly as in the file (rounded to 4 decimals when staged). De facto borders.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`POLYGON_COLUMNS`, sorted by country, part, ring, point.
    """
    path = Path(raw) / "naturalearth/ne_50m_admin0_central_asia_region.geojson"
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    known = set(countries.codes())
    records = []
    for number, feature in enumerate(data.get("features", []), start=1):
        iso = (feature.get("properties") or {}).get("ISO_A3")
        if iso not in known:
            raise DataValidationError(paths.shown(path), number, "ISO_A3", iso,
                                      "a code in data/reference/countries.csv (row = feature number)")
        geometry = feature.get("geometry") or {}
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["coordinates"]]
        elif kind == "MultiPolygon":
            polygons = geometry["coordinates"]
        else:
            raise DataValidationError(paths.shown(path), number, "geometry.type", kind, "Polygon or MultiPolygon")
        for part, polygon in enumerate(polygons):
            for ring, coords in enumerate(polygon):
                for point, xy in enumerate(coords):
                    ok = (isinstance(xy, list) and len(xy) >= 2
                          and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in xy[:2]))
                    if not ok:
                        raise DataValidationError(paths.shown(path), number, "geometry.coordinates", xy,
                                                  "a [lon, lat] pair of numbers")
                    records.append({"country": iso, "part": part, "ring": ring, "point": point,
                                    "lon": float(xy[0]), "lat": float(xy[1])})
    dtypes = {"part": "int64", "ring": "int64", "point": "int64", "lon": "float64", "lat": "float64"}
    return _frame(records, POLYGON_COLUMNS, dtypes, ["country", "part", "ring", "point"])


# --------------------------------------------------------------------------- all

#: table name -> builder; the table is written to ``<name>.csv``
BUILDERS = {
    "rare_earths": build_rare_earths,
    "trade": build_trade,
    "wdi": build_wdi,
    "critical_minerals_t5": build_critical_minerals_t5,
    "region_polygons": build_region_polygons,
}


def build_all(out_dir=paths.DERIVED, raw=paths.RAW):
    """Build every table and write it to ``out_dir`` with :func:`write_csv`.

    Parameters
    ----------
    out_dir : path-like
        Destination directory (created if needed); default ``data/derived``.
    raw : path-like
        Directory of the raw snapshots; default ``data/raw``.

    Returns
    -------
    list of pathlib.Path
        The files written, in :data:`BUILDERS` order.
    """
    out_dir = Path(out_dir)
    return [write_csv(builder(raw), out_dir / f"{name}.csv") for name, builder in BUILDERS.items()]


if __name__ == "__main__":  # pragma: no cover
    for written in build_all():
        print(paths.shown(written))
