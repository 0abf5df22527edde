"""Derived statistics tables: trade by reporter and partner (WTO, Eurostat, Uzstat), WDI, map polygons.

Part of the derived-table build (:mod:`helpers.data.derive`); conventions are documented there.
Every row of ``trade`` and ``wdi`` records where it comes from: ``raw_file`` (its path under
``data/raw/``) and ``raw_lines`` (the 1-based physical line numbers, in that file, of the raw
rows it was built from: ``"12"``, or ranges such as ``"12;15-17"``; the header is line 1).
"""

import json
import re
from pathlib import Path

from ..errors import DataValidationError
from . import countries, paths
from .rawcells import (
    PROVENANCE_COLUMNS,
    WTO_WORLD,
    _cell,
    _columns,
    _country,
    _frame,
    _integer,
    _number,
    _read_rows,
    line_ranges,
)

# --------------------------------------------------------------------------- 2. trade

TRADE_COLUMNS = [
    "dataset", "reporter", "partner", "partner_as_published", "year", "flow", "value",
    "currency", "unit_multiplier", "value_full", "note", *PROVENANCE_COLUMNS,
]
_WTO_TOTALS = "wto/imports_by_partner_totals.csv"
_WTO_CHAPTERS = "wto/imports_by_partner_hs2.csv"


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


def _wto_chapters(raw):
    """(reporter M49, partner M49, year) -> [(line, imports in USD)] of the staged HS2 chapters."""
    path = Path(raw) / _WTO_CHAPTERS
    header, rows = _read_rows(path)
    col = _columns(path, header, ["reporter_m49", "partner_m49", "year", "hs2", "imports_usd"])
    chapters = {}
    for line, row in rows:
        key = (_cell(row, col["reporter_m49"]).strip(), _cell(row, col["partner_m49"]).strip(),
               _integer(_cell(row, col["year"]), path, line, "year", "a year"))
        value = _number(_cell(row, col["imports_usd"]), path, line, "imports_usd")
        chapters.setdefault(key, []).append((line, value))
    return chapters


def _wto_provenance(chapters, key, total, count, path, line):
    """``raw_file`` and ``raw_lines`` of one WTO total: its HS2 chapter lines where they are
    staged (their sum and count must be the total's, else an error naming the total's line),
    else the total's own line."""
    lines = chapters.get(key)
    if not lines:
        return {"raw_file": _WTO_TOTALS, "raw_lines": line_ranges([line])}
    if sum(v for _, v in lines) != total or len(lines) != count:
        raise DataValidationError(paths.shown(path), line, "imports_usd_sum_hs2", str(total),
                                  f"the sum of its {len(lines)} chapter rows in {_WTO_CHAPTERS}")
    return {"raw_file": _WTO_CHAPTERS, "raw_lines": line_ranges(n for n, _ in lines)}


def _trade_wto(raw):
    path = Path(raw) / _WTO_TOTALS
    chapters = _wto_chapters(raw)
    header, rows = _read_rows(path)
    col = _columns(path, header, ["reporter_m49", "partner_m49", "partner", "year",
                                  "imports_usd_sum_hs2", "n_hs2_chapters"])
    records = []
    for line, row in rows:
        value = _number(_cell(row, col["imports_usd_sum_hs2"]), path, line, "imports_usd_sum_hs2")
        count = _integer(_cell(row, col["n_hs2_chapters"]), path, line, "n_hs2_chapters")
        year = _integer(_cell(row, col["year"]), path, line, "year", "a year")
        reporter = _wto_code(_cell(row, col["reporter_m49"]), path, line, "reporter_m49")
        partner = _wto_code(_cell(row, col["partner_m49"]), path, line, "partner_m49")
        if reporter is None or partner is None:
            continue  # partners outside countries.csv (every cell above is still checked)
        records.append({
            "dataset": "wto_hs_m_0010",
            "reporter": reporter,
            "partner": partner,
            "partner_as_published": _cell(row, col["partner"]).strip(),
            "year": year,
            "flow": "imports", "value": float(value), "currency": "USD", "unit_multiplier": 1,
            "value_full": float(value), "note": f"sum over {count} HS2 chapters",
            **_wto_provenance(chapters, (_cell(row, col["reporter_m49"]).strip(),
                                         _cell(row, col["partner_m49"]).strip(), year),
                              value, count, path, line),
        })
    return records


_EUROSTAT = "eurostat/eu27_exports_selected_partners_2010_2023.csv"


def _trade_eurostat(raw):
    path = Path(raw) / _EUROSTAT
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
            "raw_file": _EUROSTAT, "raw_lines": line_ranges([line]),
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
                    "raw_file": name, "raw_lines": line_ranges([line]),
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

    ``raw_file``/``raw_lines``: the raw line each row was read from; for a WTO total whose
    chapters are staged in ``wto/imports_by_partner_hs2.csv`` (partners: the five, China,
    Russia, the US and the world), the lines of those chapters instead -- the build checks
    that they sum, in exact decimals, to the total and number as many as it says.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TRADE_COLUMNS`, sorted by dataset, reporter, partner, year, flow.
    """
    records = _trade_wto(raw) + _trade_eurostat(raw) + _trade_uzstat(raw)
    dtypes = {"year": "int64", "value": "float64", "unit_multiplier": "int64", "value_full": "float64"}
    return _frame(records, TRADE_COLUMNS, dtypes, ["dataset", "reporter", "partner", "year", "flow"])


# --------------------------------------------------------------------------- 3. WDI

WDI_COLUMNS = ["country", "indicator", "year", "value", *PROVENANCE_COLUMNS]
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
                "raw_file": name, "raw_lines": line_ranges([line]),
            })
    return _frame(records, WDI_COLUMNS, {"year": "int64", "value": "float64"},
                  ["country", "indicator", "year"])


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
