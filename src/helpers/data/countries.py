"""Country names and codes: resolve a name or alias to its ISO3 code, and a code to its name.

The list lives in ``data/reference/countries.csv`` (resource ``countries`` of the data
package), loaded through :mod:`helpers.data.loader` like every other table (validated, cached
per file content), and resolves names such as "Kyrgyz Republic", "Turkey", "Russian
Federation", "USA" or "Burma".
"""

import difflib
import unicodedata

from ..errors import ParameterError, UnknownValueError
from . import loader
from .loader import split_codes  # noqa: F401 (re-exported: a country-list cell's codes)

#: the five Central Asian countries, in the order used in every table and chart
C5 = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
#: the three outside powers compared throughout
POWERS = ("USA", "CHN", "RUS")


def _fold(text):
    """Case-, accent- and punctuation-insensitive key: 'Türkiye' and 'turkiye' fold alike.

    >>> _fold("Türkiye") == _fold("TURKIYE")
    True
    >>> _fold("U.S.")
    'us'
    """
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _rows(frame):
    rows = tuple(frame.fillna("").to_dict("records"))
    for row in rows:
        row["aliases"] = tuple(a for a in row["aliases"].split(";") if a)
    return rows


def table():
    """Return the country rows as a tuple of dicts (iso3, m49, name, short_name, group, aliases)."""
    return loader.derived("countries", _rows)


def _build_index(frame):
    index = {}
    for row in _rows(frame):
        for label in (row["iso3"], row["name"], row["short_name"], *row["aliases"]):
            index.setdefault(_fold(label), row["iso3"])
    return index


def _index():
    return loader.derived("countries", _build_index)


def focus(value):
    """The ISO3 code of one of the five Central Asian countries, given by name, alias or code.

    >>> focus("Kyrgyz Republic")
    'KGZ'
    >>> focus(42)
    Traceback (most recent call last):
    ...
    helpers.errors.ParameterError: country must be a name such as 'Kazakhstan', got int 42
    """
    if not isinstance(value, str):
        raise ParameterError(
            f"country must be a name such as 'Kazakhstan', got {type(value).__name__} {value!r}"
        )
    return to_iso3(value, within=C5)


def codes(group=None):
    """ISO3 codes in the list, optionally only one group ('c5', 'power', 'neighbour', ...)."""
    return tuple(r["iso3"] for r in table() if group is None or r["group"] == group)


def name(iso3):
    """Display name of a code.

    >>> name("KGZ")
    'Kyrgyzstan'
    """
    for row in table():
        if row["iso3"] == iso3:
            return row["name"]
    raise UnknownValueError("country code", iso3, codes())


def to_iso3(label, *, within=None):
    """Resolve a country name, alias or code to its ISO3 code.

    Parameters
    ----------
    label : str
        A name as some source writes it ("Kyrgyz Republic", "Turkey", "USA", "kaz").
    within : sequence of str, optional
        Accept only these codes (e.g. :data:`C5`); anything else is an error.

    Raises
    ------
    UnknownValueError
        Lists the valid names and suggests the nearest one.

    >>> to_iso3("Kyrgyz Republic"), to_iso3("Turkey"), to_iso3("Russian Federation")
    ('KGZ', 'TUR', 'RUS')
    >>> to_iso3("Kyrzakhstan", within=C5)
    Traceback (most recent call last):
    ...
    helpers.errors.UnknownValueError: unknown country 'Kyrzakhstan'. Did you mean 'Kazakhstan'? Valid values: Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan
    """
    code = _index().get(_fold(label))
    allowed = tuple(within) if within is not None else codes()
    if code is not None and code in allowed:
        return code
    valid = [name(c) for c in allowed]
    labels = {}
    for row in table():
        if row["iso3"] in allowed:
            for alias in (row["name"], row["short_name"], *row["aliases"]):
                labels.setdefault(_fold(alias), row["name"])
    close = difflib.get_close_matches(_fold(label), list(labels), n=1, cutoff=0.5)
    raise UnknownValueError("country", label, valid, nearest=labels[close[0]] if close else None)
