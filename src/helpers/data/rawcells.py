"""Read raw snapshot cells and write canonical CSVs: the parsing shared by every derived table.

Each parser raises :class:`~helpers.errors.DataValidationError` naming the raw file, row (the
header is row 1), column, value and what was expected; :func:`write_csv` writes the one
canonical form that makes rebuilds byte-identical (see :mod:`helpers.data.derive`).
"""

import csv
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from ..errors import DataValidationError, UnknownValueError
from . import countries, paths

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
    """Header and data rows of a raw CSV (BOM stripped), each with its first physical line.

    Lines are counted in the file as stored (the header is line 1), so a quoted cell that spans
    lines does not shift the numbers of the rows after it: the number is the row's
    ``raw_lines`` provenance and the row of any error about it.
    """
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        rows, start = [], 1
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    if not rows:
        raise DataValidationError(paths.shown(path), 1, "(file)", "", "a header row")
    return rows[0][1], rows[1:]


# --------------------------------------------------------------------------- provenance

#: the provenance columns every derived table of figures ends with
PROVENANCE_COLUMNS = ["raw_file", "raw_lines"]


def line_ranges(lines):
    """Line numbers written as sorted ranges, the form of a derived row's ``raw_lines``.

    >>> line_ranges([17, 12, 15, 16]), line_ranges([4])
    ('12;15-17', '4')
    """
    out, numbers = [], sorted(set(int(n) for n in lines))
    for n in numbers:
        if out and out[-1][1] == n - 1:
            out[-1][1] = n
        else:
            out.append([n, n])
    return ";".join(str(a) if a == b else f"{a}-{b}" for a, b in out)


def expand_ranges(text):
    """The line numbers a ``raw_lines`` cell names (the inverse of :func:`line_ranges`).

    >>> expand_ranges("12;15-17")
    [12, 15, 16, 17]
    """
    numbers = []
    for part in text.split(";"):
        first, _, last = part.partition("-")
        numbers.extend(range(int(first), int(last or first) + 1))
    return numbers


def raw_name(path, raw):
    """A raw file's path under ``data/raw/`` (``raw_file``), with forward slashes.

    >>> raw_name(Path("/x/raw/wto/a.csv"), Path("/x/raw"))
    'wto/a.csv'
    """
    return Path(path).relative_to(Path(raw)).as_posix()


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
