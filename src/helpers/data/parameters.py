"""The one declaration of every notebook's parameters, and the checks it drives.

``notebooks/parameters.toml`` says, for each notebook, the type, the allowed values (with their
aliases) and the range of each parameter. Three readers share it, so a value refused in one
place is refused in all, with the same message: the notebook's own validation cell
(:mod:`helpers.nb.params`), ``c5 reports --check`` and the pre-flight of the whole matrix
before any kernel starts (:mod:`helpers.engine.matrix`), and ``c5 run`` (one notebook ad hoc).

A declaration, one table per notebook, one inline table per parameter::

    ["02_trade_flows.ipynb"]
    country = { type = "str", values = "countries:c5" }
    start_year = { type = "int", range = "table:derived/trade.csv:year" }
    end_year = { type = "int", range = "table:derived/trade.csv:year", not_before = "start_year" }

Keys of a parameter: ``type`` (``str``, ``int``, ``float``: ints accepted, or ``bool``);
``values`` (a list, or ``"countries:c5"``: the five Central Asian countries by name, alias or
code, canonicalised to the name, so "Kyrgyz Republic" becomes "Kyrgyzstan" before any label or
key is made); ``range`` (``[lo, hi]`` inclusive, or ``"table:<csv under data/>:<column>"``:
the column's smallest and largest values, read now, so a year past the data is refused);
``not_before`` (another parameter this one may not be smaller than); ``optional`` (``None``
allowed, e.g. 03's regional overview). Only the standard library is imported here (the
countries table is read on demand), so a pre-flight stays well under a second.
"""

import csv
import difflib
import math
import tomllib
from functools import lru_cache
from pathlib import Path

from ..errors import ParameterError, UnknownValueError
from . import paths

FILE_NAME = "parameters.toml"
TYPES = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,)}
_KEYS = {"type", "values", "range", "not_before", "optional", "doc"}


def nearest(value, valid, cutoff=0.5):
    """The valid value closest to ``value`` (difflib's ratio, as papermill suggests names).

    >>> nearest("cuntry", ["country", "start_year"])
    'country'
    >>> nearest("zzz", ["country"]) is None
    True
    """
    labels = {str(v): v for v in valid}
    close = difflib.get_close_matches(str(value), list(labels), n=1, cutoff=cutoff)
    return labels[close[0]] if close else None


def read(path):
    """``{notebook: {parameter: spec}}`` from a declaration file (``{}`` if there is none).

    Raises
    ------
    ParameterError
        The file cannot be read, or a spec has an unknown key or type (naming both).
    """
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ParameterError(f"{path.name}: cannot read the parameter declaration: {exc}") from exc
    for notebook, specs in doc.items():
        for name, spec in specs.items():
            where = f"{path.name}: [{notebook!r}] {name}"
            if not isinstance(spec, dict):
                raise ParameterError(f"{where}: expected an inline table such as "
                                     "{ type = \"int\" }")
            extra = set(spec) - _KEYS
            if extra:
                bad = sorted(extra)[0]
                hint = nearest(bad, sorted(_KEYS))
                raise ParameterError(f"{where}: unknown key {bad!r}"
                                     f"{f' (did you mean {hint!r}?)' if hint else ''}; "
                                     f"allowed: {', '.join(sorted(_KEYS))}")
            if spec.get("type", "str") not in TYPES:
                raise ParameterError(f"{where}: unknown type {spec['type']!r}; "
                                     f"use one of {', '.join(TYPES)}")
    return doc


def declaration(notebook, notebooks=None):
    """The specs of one notebook (``{}`` when it declares none), from ``parameters.toml``
    next to it.

    >>> sorted(declaration("02_trade_flows.ipynb"))
    ['country', 'end_year', 'start_year']
    """
    folder = Path(notebooks) if notebooks else paths.NOTEBOOKS
    return read(folder / FILE_NAME).get(Path(notebook).name, {})


@lru_cache(maxsize=32)
def _column(path, column, stamp):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        values = [float(row[column]) for row in csv.DictReader(fh) if row.get(column)]
    if all(v.is_integer() for v in values):
        values = [int(v) for v in values]
    return tuple(sorted(set(values)))


def column_values(ref, data=None):
    """The distinct values of ``"table:<csv under data/>:<column>"``, sorted (numbers).

    >>> column_values("table:derived/rare_earths.csv:edition")
    (2024, 2025)
    """
    kind, _, rest = ref.partition(":")
    table, _, column = rest.rpartition(":")
    if kind != "table" or not table or not column:
        raise ParameterError(f"{ref!r}: expected 'table:<csv under data/>:<column>'")
    path = Path(data or paths.DATA) / table
    try:
        return _column(str(path), column, path.stat().st_mtime_ns)
    except (OSError, KeyError, ValueError) as exc:
        raise ParameterError(f"{ref!r}: cannot read column {column!r} of "
                             f"{paths.shown(path)}: {exc}") from exc


def bounds(spec, data=None):
    """The inclusive ``(lo, hi)`` of a spec's ``range`` (None without one).

    >>> bounds({"range": [0, 1]})
    (0, 1)
    >>> bounds({"range": "table:derived/trade.csv:year"})
    (1996, 2023)
    """
    rng = spec.get("range")
    if rng is None:
        return None
    if isinstance(rng, str):
        values = column_values(rng, data)
        return values[0], values[-1]
    return tuple(rng)


def allowed(spec, data=None):
    """The allowed values of a spec as a tuple (None: any value of its type)."""
    valid = spec.get("values")
    if valid == "countries:c5":
        from . import countries

        return tuple(countries.name(c) for c in countries.C5)
    if isinstance(valid, str):
        return column_values(valid, data)
    return None if valid is None else tuple(valid)


def _kind(value):
    return "None" if value is None else type(value).__name__


def check_value(name, value, spec, data=None):
    """Check one value against its spec; return it canonical (an alias becomes its name).

    >>> check_value("country", "Kyrgyz Republic", {"type": "str", "values": "countries:c5"})
    'Kyrgyzstan'
    >>> check_value("start_year", "2015", {"type": "int", "range": [1996, 2023]})
    Traceback (most recent call last):
    ...
    helpers.errors.ParameterError: start_year must be an integer year, got str '2015'
    >>> check_value("start_year", 2030, {"type": "int", "range": "table:derived/trade.csv:year"})
    Traceback (most recent call last):
    ...
    helpers.errors.ParameterError: start_year 2030 is outside the data's years 1996–2023 (nearest: 2023)
    """
    if value is None and spec.get("optional"):
        return None
    kind = spec.get("type", "str")
    types = TYPES[kind]
    lim = bounds(spec, data)
    if kind == "float" and lim:  # the words of params.fraction
        wanted = f"a number between {lim[0]} and {lim[1]}"
    else:
        wanted = {"int": "an integer year" if "year" in name else "an integer",
                  "float": "a number", "str": "text", "bool": "True or False"}[kind]
    if (isinstance(value, bool) and kind != "bool") or not isinstance(value, types):
        raise ParameterError(f"{name} must be {wanted}, got {_kind(value)} {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ParameterError(f"{name} must be a finite number, got {value!r}")
    valid = spec.get("values")
    if valid == "countries:c5":
        from . import countries

        code = countries.to_iso3(value, within=countries.C5)  # UnknownValueError suggests
        value = countries.name(code)
    elif valid is not None and value not in (valid := allowed(spec, data)):
        numeric = all(isinstance(v, (int, float)) for v in (value, *valid))
        near = (min(valid, key=lambda v: (abs(v - value), v)) if numeric
                else nearest(value, valid))
        raise UnknownValueError(name, value, valid, nearest=near)
    if lim and not lim[0] <= value <= lim[1]:
        near = lim[0] if value < lim[0] else lim[1]
        if kind == "float":
            raise ParameterError(f"{name} must be {wanted}, got {value!r}")
        what = ("the data's years " if "year" in name else "the data's values ") \
            if isinstance(spec.get("range"), str) else ""
        raise ParameterError(f"{name} {value!r} is outside {what}{lim[0]}–{lim[1]} "
                             f"(nearest: {near})")
    return value


def check(notebook, values, specs, data=None, defaults=None):
    """Check a notebook's parameter values (a partial set: the rest keep their defaults).

    Returns the canonical values; raises on the first problem with a message that names the
    parameter and the value and suggests the nearest valid one (for names too). ``specs``
    empty: the notebook declares nothing, so only the names are up to the notebook.
    ``defaults`` (the notebook's own) fill in what ``values`` leaves out for the checks that
    relate two parameters (an end year before the default start year is refused too).

    >>> specs = declaration("02_trade_flows.ipynb")
    >>> check("02_trade_flows.ipynb", {"country": "Kyrgyz Republic"}, specs)
    {'country': 'Kyrgyzstan'}
    >>> check("02_trade_flows.ipynb", {"start_year": 2019, "end_year": 2015}, specs)
    Traceback (most recent call last):
    ...
    helpers.errors.ParameterError: year range is inverted: start_year 2019 > end_year 2015
    """
    out = {}
    for name, value in values.items():
        if specs and name not in specs:
            hint = nearest(name, list(specs))
            raise ParameterError(f"unknown parameter {name!r}"
                                 f"{f' (did you mean {hint!r}?)' if hint else ''}; "
                                 f"{notebook}'s parameters are: {', '.join(specs)}")
        out[name] = check_value(name, value, specs[name], data) if specs else value
    full = {**(defaults or {}), **out}
    for name, spec in (specs or {}).items():
        other = spec.get("not_before")
        if other and (name in out or other in out) and isinstance(full.get(name), (int, float)) \
                and isinstance(full.get(other), (int, float)) and full[name] < full[other]:
            raise ParameterError(f"{'year range' if 'year' in name else 'range'} is inverted: "
                                 f"{other} {full[other]} > {name} {full[name]}")
    return out
