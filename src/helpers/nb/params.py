"""Validate a notebook's parameters: country names, choices, year ranges, shares, unknown names.

Each notebook's ``parameters`` cell holds literal defaults; the cell after it passes them
through these functions, so a misspelt country, a wrong type or an inverted year range
stops the run at once with an error that lists the valid values and suggests the nearest.

:func:`validate` checks them against the notebook's declaration in
``notebooks/parameters.toml`` (:mod:`helpers.data.parameters`), the same one that
``c5 reports --check`` and the pre-flight of every build read, so a value refused before a
build is refused with the same message inside the notebook, and vice versa.
"""

import ast
import difflib

from ..data import countries
from ..data import parameters as declared
from ..errors import ParameterError, UnknownValueError


def country(value):
    """Return the ISO3 code of a focus country given by name, alias or code.

    >>> country("Kyrgyz Republic")
    'KGZ'
    """
    return countries.focus(value)


def choice(name, value, valid):
    """Return ``value`` if it is one of ``valid``; otherwise list them and suggest the nearest.

    >>> choice("edition", 2025, (2024, 2025))
    2025
    >>> choice("edition", 2023, (2024, 2025))
    Traceback (most recent call last):
    ...
    helpers.errors.UnknownValueError: unknown edition 2023. Did you mean 2024? Valid values: 2024, 2025
    """
    if value in valid and type(value) is type(next(iter(valid))):
        return value
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (value, *valid))
    if numeric:
        nearest = min(valid, key=lambda v: (abs(v - value), v))
    else:
        labels = {str(v): v for v in valid}
        close = difflib.get_close_matches(str(value), list(labels), n=1, cutoff=0.5)
        nearest = labels[close[0]] if close else None
    raise UnknownValueError(name, value, valid, nearest=nearest)


def year_range(start, end, *, lo, hi):
    """Check a year range: integers, ``lo <= start <= end <= hi``; return ``(start, end)``.

    >>> year_range(2010, 2019, lo=1996, hi=2023)
    (2010, 2019)
    >>> year_range(2019, 2010, lo=1996, hi=2023)
    Traceback (most recent call last):
    ...
    helpers.errors.ParameterError: year range is inverted: start_year 2019 > end_year 2010
    """
    for label, year in (("start_year", start), ("end_year", end)):
        if isinstance(year, bool) or not isinstance(year, int):
            raise ParameterError(f"{label} must be an integer year, got {type(year).__name__} {year!r}")
        if not lo <= year <= hi:
            raise ParameterError(f"{label} {year} is outside the data's years {lo}–{hi}")
    if start > end:
        raise ParameterError(f"year range is inverted: start_year {start} > end_year {end}")
    return start, end


def fraction(name, value):
    """Check a share between 0 and 1 inclusive (ints 0 and 1 allowed); return it as float.

    >>> fraction("confirmed_share", 0.5)
    0.5
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ParameterError(f"{name} must be a number between 0 and 1, got {value!r}")
    return float(value)


def injected_names(history):
    """Names assigned by papermill's injected-parameters cell, found in the kernel's history.

    papermill injects a cell that starts with ``# Parameters`` after the ``parameters`` cell;
    IPython keeps every executed cell's source in ``In``.

    >>> injected_names(["import x", "# Parameters\\ncountry = 'KAZ'\\nfoo = 1\\n"])
    ['country', 'foo']
    """
    names = []
    for source in history:
        if isinstance(source, str) and source.lstrip().startswith("# Parameters"):
            for node in ast.parse(source).body:
                if isinstance(node, ast.Assign):
                    names += [t.id for t in node.targets if isinstance(t, ast.Name)]
    return list(dict.fromkeys(names))


def reject_unknown(known, history=None):
    """Refuse parameters that papermill injected but the notebook does not define.

    papermill itself only warns about them; a silently ignored parameter would make a report
    claim a setting it never used. Outside papermill (JupyterLab) there is nothing to check.

    Parameters
    ----------
    known : iterable of str
        The names the notebook's ``parameters`` cell defines.
    history : list of str, optional
        Executed cell sources; default: the running IPython kernel's ``In``.

    >>> reject_unknown(["country"], ["# Parameters\\ncountry = 'KAZ'\\n"])
    >>> reject_unknown(["country"], ["# Parameters\\ncuntry = 'KAZ'\\n"])
    Traceback (most recent call last):
    ...
    helpers.errors.ParameterError: unknown parameter 'cuntry' (did you mean 'country'?); this notebook's parameters are: country
    """
    if history is None:
        try:
            history = get_ipython().user_ns.get("In", [])  # noqa: F821 (defined in IPython)
        except NameError:
            history = []
    known = list(known)
    for name in injected_names(history):
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ParameterError(
                f"unknown parameter {name!r}{hint}; this notebook's parameters are: {', '.join(known)}"
            )


def declared_names(notebook):
    """The parameter names ``notebook`` declares in ``notebooks/parameters.toml``.

    >>> declared_names("02_trade_flows.ipynb")
    ['country', 'start_year', 'end_year']
    """
    return list(declared.declaration(notebook))


def validate(notebook, history=None, **values):
    """Check a notebook's parameters against its declaration; return them canonical.

    Refuses a name papermill injected that the notebook does not declare (with the nearest,
    as :func:`reject_unknown`), then every value: type, allowed values (an alias becomes its
    canonical name, "Kyrgyz Republic" -> "Kyrgyzstan"), range (from the data where the
    declaration says so) and pairs that must not be inverted. The one call a validation cell
    needs::

        p = params.validate("02_trade_flows.ipynb", country=country,
                            start_year=start_year, end_year=end_year)

    Returns
    -------
    dict
        The values by name, in the order given, canonical.

    >>> validate("02_trade_flows.ipynb", [], country="Kyrgyz Republic", start_year=2010,
    ...          end_year=2023)
    {'country': 'Kyrgyzstan', 'start_year': 2010, 'end_year': 2023}
    >>> validate("02_trade_flows.ipynb", [], country="Kazakhstan", start_year=2019,
    ...          end_year=2015)
    Traceback (most recent call last):
    ...
    helpers.errors.ParameterError: year range is inverted: start_year 2019 > end_year 2015
    """
    specs = declared.declaration(notebook)
    if not specs:
        raise ParameterError(f"{notebook} declares no parameters in notebooks/parameters.toml")
    reject_unknown(list(specs), history)
    return declared.check(notebook, values, specs)
