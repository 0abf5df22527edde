"""Build every tidy table in ``data/derived/`` from the raw snapshots in ``data/raw/``.

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
* Tables of figures end with their provenance: ``raw_file`` (the raw file's path under
  ``data/raw/``) and ``raw_lines`` (the 1-based physical line numbers, in that file, of the raw
  rows the row was built from, as ranges such as ``"12;15-17"``; the header is line 1; see
  :func:`~helpers.data.rawcells.line_ranges`). A WTO total names the lines of its HS2 chapters
  where they are staged, and the build checks that they sum to it.
* Country columns hold ISO 3166-1 alpha-3 codes or the aggregate codes of
  ``data/reference/countries.csv`` (WLD, ECS, EU27, OTH).
* A raw cell that cannot be parsed raises :class:`~helpers.errors.DataValidationError` naming
  the raw file, row (the header is row 1), column, value and what was expected. Nothing is
  silently dropped. The only cells treated as "no value" are listed in
  :data:`USGS_MISSING` and :data:`T5_CODES`; fully empty rows (the trailing blank lines of the
  MCS 2024 file) are skipped.

Nothing is read or written at import time.
"""

from pathlib import Path

from . import paths
from .derive_minerals import build_critical_minerals_t5, build_rare_earths, build_world_minerals
from .derive_stats import build_region_polygons, build_trade, build_wdi
from .rawcells import T5_CODES, USGS_MISSING, write_csv  # noqa: F401 (documented here)

# --------------------------------------------------------------------------- all

#: table name -> builder; the table is written to ``<name>.csv``
BUILDERS = {
    "rare_earths": build_rare_earths,
    "trade": build_trade,
    "wdi": build_wdi,
    "critical_minerals_t5": build_critical_minerals_t5,
    "region_polygons": build_region_polygons,
    "world_minerals": build_world_minerals,
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
