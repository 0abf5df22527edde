"""Load one table of the data package as a validated DataFrame.

The data package is the single description of every table: its path, the type and
constraints of each column, its keys. :func:`load` reads a table and checks it against that
description before returning it, so a notebook never sees a half-valid DataFrame: the first
problem found raises :class:`~helpers.errors.DataValidationError` naming file, row, column,
value and what was expected.

Validation here is vectorised pandas, not ``frictionless`` (which the tests run over the
whole package as a second, independent check), so loading every table costs a fraction of
importing pandas itself.

State: parsed tables are kept per *content*: the digest of the bytes read on every call, of
the table's schema, and of every table its validation reads (foreign-key targets, the country
list), so a cached table can never hide a changed file or schema, and every call really reads
all those files (the report engine's tracer records the reads). :func:`memo` keeps a pure
function's result the same way, per content of every data or seed file its computation read.
:func:`reset` empties the caches.
"""

import calendar
import copy
import hashlib
import io
import json
import os
import re
import sys
from pathlib import Path

import pandas as pd

from ..errors import DataValidationError
from . import paths
from .schema import resource

#: custom field property: a string holding ISO3 codes separated by ";" (each must be known)
COUNTRY_LIST = "c5:countryList"
#: custom field property: a date written as YYYY, YYYY-MM or YYYY-MM-DD (each must exist)
PARTIAL_DATE = "c5:partialDate"

_PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_TRUE, _FALSE = {"true", "True", "TRUE", "1"}, {"false", "False", "FALSE", "0"}


def load(name, *, path=None):
    """Return table ``name`` as a validated DataFrame with dtypes from its schema.

    Parameters
    ----------
    name : str
        A resource name from ``data/datapackage.json`` (see :func:`resource_names`).
    path : path-like, optional
        Read this file instead of the resource's own path (used to check a candidate file
        against the schema before it replaces the committed one).

    Returns
    -------
    pandas.DataFrame
        A fresh copy: callers may modify it.

    Raises
    ------
    DataValidationError
        On the first problem: undecodable bytes, a missing or extra column, a value of the
        wrong type, a broken constraint, a duplicate primary key or an unknown foreign key.

    Examples
    --------
    >>> countries = load("countries")
    >>> countries.set_index("iso3").loc["KGZ", "name"]
    'Kyrgyzstan'
    """
    res = resource(name)
    file = Path(path) if path is not None else paths.DATA / res["path"]
    raw = file.read_bytes()
    key = (name, str(file), _digest(raw), _digest(json.dumps(res, sort_keys=True).encode()),
           *(_digest((paths.DATA / resource(ref)["path"]).read_bytes()) for ref in _refs(res)))
    if key not in _TABLES:
        if len(_TABLES) >= _MAX_TABLES:
            _TABLES.pop(next(iter(_TABLES)))
        _TABLES[key] = frame = _load(res, file, raw)
        frame.attrs["c5_digest"] = "".join(part.hex() for part in key[2:])
    return _TABLES[key].copy()


_TABLES = {}  # (name, file, digests of content, schema, referenced tables) -> validated frame
_MAX_TABLES = 64


_DERIVED = {}  # (function, content digest) -> its result


def derived(name, function):
    """``function(table)`` for table ``name``, computed once per content of the table's file.

    For lookups built from a table (an index of country names, say): the file is still read
    on every call, so a changed file gives a fresh result and a tracer sees the read.
    """
    frame = load(name)
    key = (function, frame.attrs["c5_digest"])
    if key not in _DERIVED:
        if len(_DERIVED) >= _MAX_TABLES:
            _DERIVED.pop(next(iter(_DERIVED)))
        _DERIVED[key] = function(frame)
    return _DERIVED[key]


def _digest(data):
    return hashlib.blake2b(data, digest_size=16).digest()


def _refs(res):
    """The tables a table's validation reads: its foreign keys' targets, and the country
    list when a field holds country codes (their contents are part of the cache key)."""
    schema = res["schema"]
    refs = [fk["reference"]["resource"] for fk in schema.get("foreignKeys", [])
            if fk["reference"].get("resource")]
    if any(f.get(COUNTRY_LIST) for f in schema["fields"]):
        refs.append("countries")
    return sorted(set(refs) - {res["name"]})


_MEMO = {}  # (function, arguments) -> (files read: digest, folders listed: names, result)
_RECORDING = []  # one set per memo computing now: ("file"|"dir", path) opened under MEMO_ROOTS
#: where :func:`memo` looks for what a computation read (the data and the seeds)
MEMO_ROOTS = [str(paths.DATA), str(paths.SEEDS)]


def memo(function):
    """Decorator: keep ``function``'s result per arguments *and per content of every file
    under data/ or seeds/ its computation read* (and folder it listed), like :func:`load`.

    A later call with the same arguments reads those files again (so a tracer sees the reads,
    and a changed, added or removed file computes afresh) and returns a copy of the kept result
    (callers may modify it). For a pure function of the data whose result a reused kernel would
    otherwise compute again in every run. Arguments must be hashable (else it just calls).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()); MEMO_ROOTS.append(str(folder))
    >>> _ = (folder / "t.txt").write_text("1 2 3")
    >>> calls = []
    >>> @memo
    ... def total(name):
    ...     calls.append(name)
    ...     return sum(map(int, (folder / name).read_text().split()))
    >>> total("t.txt"), total("t.txt"), len(calls)
    (6, 6, 1)
    >>> _ = (folder / "t.txt").write_text("1 2 3 4")
    >>> total("t.txt"), len(calls)
    (10, 2)
    >>> _ = MEMO_ROOTS.pop()
    """
    import functools

    @functools.wraps(function)
    def cached(*args, **kwargs):
        try:
            key = (function, args, tuple(sorted(kwargs.items())))
            hit = _MEMO.get(key)
        except TypeError:  # unhashable arguments
            return function(*args, **kwargs)
        if hit is not None and _unchanged(hit[0]):
            return _fresh(hit[1])
        _hook()
        _RECORDING.append(set())
        try:
            result = function(*args, **kwargs)
        finally:
            seen = _RECORDING.pop()
        if _RECORDING:  # an enclosing memo depends on what this one read
            _RECORDING[-1].update(seen)
        reads = {}
        for kind, path in sorted(seen):
            try:
                reads[kind, path] = (_digest(Path(path).read_bytes()) if kind == "file"
                                     else tuple(sorted(os.listdir(path))))
            except OSError:
                return result
        if len(_MEMO) >= _MAX_TABLES:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = (reads, result)
        return _fresh(result)

    return cached


def _unchanged(reads):
    """True when every file has the digest and every folder the names recorded (reading them,
    so an enclosing memo and the engine's tracer see the reads)."""
    if _RECORDING:
        _RECORDING[-1].update(reads)
    try:
        return all((_digest(Path(path).read_bytes()) if kind == "file"
                    else tuple(sorted(os.listdir(path)))) == value
                   for (kind, path), value in reads.items())
    except OSError:
        return False


def _fresh(value):
    if isinstance(value, (str, bytes, int, float, bool, type(None), frozenset)):
        return value
    return copy.deepcopy(value)


def _audit(event, args):
    """Audit hook: while a memo computes, note files opened and folders listed under the roots."""
    if not _RECORDING or event not in ("open", "os.listdir", "os.scandir"):
        return
    target = args[0] if args else None
    if not isinstance(target, (str, bytes, os.PathLike)):
        return
    path = os.path.abspath(os.fsdecode(target))
    if any(path == root or path.startswith(root + os.sep) for root in MEMO_ROOTS):
        _RECORDING[-1].add(("file" if event == "open" else "dir", path))


def _hook():
    if not _HOOKED:
        sys.addaudithook(_audit)
        _HOOKED.append(True)


_HOOKED = []


def reset():
    """Forget every cached table, lookup and :func:`memo` result (the next call computes again)."""
    _TABLES.clear()
    _DERIVED.clear()
    _MEMO.clear()


def _load(res, file, raw):
    shown = paths.shown(file)
    text = _decode(raw, shown)
    schema = res["schema"]
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8"
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        # pandas names neither the file nor, always, the line: say both
        found = re.search(r"(?:line|row) (\d+)", str(exc))
        raise DataValidationError(shown, int(found.group(1)) if found else 1, "(file)",
                                  str(exc).strip().splitlines()[-1],
                                  f"a CSV table with the header {names}") from None
    header = list(frame.columns)
    if header != names:
        missing = [n for n in names if n not in header]
        extra = [h for h in header if h not in names]
        what = f"missing {missing}" if missing else f"unexpected {extra}" if extra else "a different order"
        raise DataValidationError(shown, 1, (missing or extra or header)[0], ",".join(header),
                                  f"the header {names} ({what})")
    missing_values = set(schema.get("missingValues", [""]))
    out = {}
    for field in fields:
        out[field["name"]] = _column(frame[field["name"]], field, missing_values, shown)
    table = pd.DataFrame(out)
    _check_keys(table, frame, schema, res, shown)
    return table


#: what a file in another encoding is told
_SAVE_AS_UTF8 = ("UTF-8 text (the file is in another encoding, e.g. Windows-1252, Latin-1 or "
                 "UTF-16: save it as UTF-8)")


def _decode(raw, shown):
    """Decode strict UTF-8 (no NUL); a spreadsheet's UTF-8 byte-order mark is dropped; a bad
    byte, or another encoding's mark, is reported with its line and the encoding expected."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataValidationError(shown, 1, "(file)", "UTF-16 byte-order mark", _SAVE_AS_UTF8)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.end]
        raise DataValidationError(shown, line, "(file)", repr(bad)[2:-1], _SAVE_AS_UTF8) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DataValidationError(shown, line, "(file)", "\\x00", "text without NUL bytes")
    return text


def _fail(shown, series, mask, field, expected):
    """Raise for the first True in ``mask`` (row numbers are file lines: header is line 1)."""
    bad = mask[mask].index
    first = bad[0]
    raise DataValidationError(shown, int(first) + 2, field["name"], series.loc[first], expected,
                              more=len(bad) - 1)


def _column(series, field, missing_values, shown):
    kind = field.get("type", "string")
    cons = field.get("constraints", {})
    is_missing = series.isin(missing_values)
    if cons.get("required") and is_missing.any():
        _fail(shown, series, is_missing, field, "a value (required)")
    present = ~is_missing
    if kind in ("integer", "year"):
        values = _numbers(series, present, field, shown, r"-?\d+",
                          "an integer" if kind == "integer" else "a year (YYYY)")
        values = values.astype("Int64")
    elif kind == "number":
        values = _numbers(series, present, field, shown, r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", "a number")
        values = values.astype("float64")
    elif kind == "boolean":
        bad = present & ~series.isin(_TRUE | _FALSE)
        if bad.any():
            _fail(shown, series, bad, field, "true or false")
        values = series.map(lambda v: True if v in _TRUE else False if v in _FALSE else pd.NA)
        values = values.astype("boolean")
    elif kind == "date":
        values = pd.to_datetime(series.where(present), format="%Y-%m-%d", errors="coerce")
        bad = present & values.isna()
        if bad.any():
            _fail(shown, series, bad, field, "a date YYYY-MM-DD that exists")
    else:
        values = series.where(present).astype("str")
    _constraints(series, values, present, field, cons, shown)
    return values


def _numbers(series, present, field, shown, pattern, expected):
    """Parse a numeric column; the per-cell pattern check runs only when the fast parse fails."""
    import numpy as np

    values = pd.to_numeric(series.where(present), errors="coerce")
    parsed = values[present.to_numpy()]
    integer_wanted = pattern == r"-?\d+"
    ok = not parsed.isna().any() and bool(np.isfinite(parsed.to_numpy(dtype="float64")).all())
    if ok:  # one regex scan over the joined cells instead of one per cell
        joined = "\x1f".join(series[present].tolist())
        ok = not re.search(r"[^0-9\-\x1f]" if integer_wanted else r"[^0-9eE.+\-\x1f]", joined)
    if not ok:
        bad = present & (values.isna() | ~series.str.fullmatch(pattern).fillna(False).astype(bool))
        if bad.any():
            _fail(shown, series, bad, field, expected)
    # well-formed but out of range: 1e309 (no float holds it), an integer past 64 bits
    limit = 2.0**63 if integer_wanted else np.inf
    magnitude = values.abs().astype("float64").to_numpy()
    huge = present & pd.Series(~(magnitude < limit), index=series.index) & values.notna()
    if huge.any():
        _fail(shown, series, huge, field, f"{expected} in range (at most "
                                          f"{'2**63 - 1' if integer_wanted else '1.8e308'} "
                                          f"in size): out of range")
    return values


def _constraints(series, values, present, field, cons, shown):
    if "enum" in cons:
        allowed = cons["enum"]
        bad = present & ~series.isin([str(a) for a in allowed])
        if bad.any():
            _fail(shown, series, bad, field, f"one of {allowed}")
    if "pattern" in cons:
        bad = present & ~series.str.fullmatch(cons["pattern"])
        if bad.any():
            _fail(shown, series, bad, field, f"text matching /{cons['pattern']}/")
    for key, test, word in (("minimum", lambda v, m: v < m, "at least"),
                            ("maximum", lambda v, m: v > m, "at most")):
        if key in cons:
            bad = present & test(values, cons[key]).fillna(False).astype(bool)
            if bad.any():
                _fail(shown, series, bad, field, f"a value {word} {cons[key]}")
    if cons.get("unique"):
        bad = present & series.duplicated(keep="first")
        if bad.any():
            _fail(shown, series, bad, field, "a unique value (this one repeats)")
    if field.get(PARTIAL_DATE):
        bad = present & ~series.map(_valid_partial_date)
        if bad.any():
            _fail(shown, series, bad, field, "a date YYYY, YYYY-MM or YYYY-MM-DD that exists")
    if field.get(COUNTRY_LIST):
        known = set(_country_codes())
        bad = present & ~series.map(lambda v: bool(split_codes(v)) and set(split_codes(v)) <= known)
        if bad.any():
            _fail(shown, series, bad, field, "ISO3 codes from reference/countries.csv, separated by ';'")


def _valid_partial_date(text):
    """True for an existing YYYY, YYYY-MM or YYYY-MM-DD date.

    >>> [_valid_partial_date(t) for t in ("2025", "2025-11", "2025-11-06", "2025-02-30", "2025-13")]
    [True, True, True, False, False]
    """
    match = _PARTIAL_DATE_RE.match(str(text))
    if not match:
        return False
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is None:
        return True
    if not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= calendar.monthrange(year, month)[1]


def split_codes(text):
    """The codes of a ``;``-separated cell (``countries``, ``parties``), empty for a blank cell.

    >>> split_codes("KAZ;USA"), split_codes(float("nan"))
    (('KAZ', 'USA'), ())
    """
    return tuple(c for c in str(text).split(";") if c and c != "nan")


def _country_codes():
    """The ISO3 codes of the reference country list (itself a validated table)."""
    return load("countries")["iso3"].tolist()


def _check_keys(table, frame, schema, res, shown):
    key = schema.get("primaryKey")
    if key:
        key = [key] if isinstance(key, str) else list(key)
        dup = frame.duplicated(subset=key, keep="first")
        if dup.any():
            first = dup[dup].index[0]
            value = "/".join(frame.loc[first, k] for k in key)
            raise DataValidationError(shown, int(first) + 2, ",".join(key), value,
                                      "a unique primary key (this one repeats)", more=int(dup.sum()) - 1)
    for fk in schema.get("foreignKeys", []):
        fields = [fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"]
        ref = fk["reference"]
        ref_fields = [ref["fields"]] if isinstance(ref["fields"], str) else ref["fields"]
        target = load(ref["resource"]) if ref.get("resource") else table
        valid = set(target[ref_fields[0]].dropna().astype(str))
        col = frame[fields[0]]
        bad = (col != "") & ~col.isin(valid)
        if bad.any():
            _fail(shown, col, bad, {"name": fields[0]}, f"a code in {ref.get('resource') or res['name']}.{ref_fields[0]}")
