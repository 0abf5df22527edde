"""One country code list (ISO 3166-1 alpha-3) with the aliases the sources use.

The list lives in ``data/reference/countries.csv`` (resource ``countries`` of the data
package); this module loads it once, validated like every other table, and resolves names
such as "Kyrgyz Republic", "Turkey", "Russian Federation", "USA" or "Burma".
"""

import difflib
import unicodedata
from functools import lru_cache

from .errors import UnknownValueError

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


@lru_cache(maxsize=1)
def table():
    """Return the country rows as a tuple of dicts (iso3, m49, name, short_name, group, aliases)."""
    from . import data

    frame = data.load("countries").fillna("")
    rows = tuple(frame.to_dict("records"))
    for row in rows:
        row["aliases"] = tuple(a for a in row["aliases"].split(";") if a)
    return rows


@lru_cache(maxsize=1)
def _index():
    index = {}
    for row in table():
        for label in (row["iso3"], row["name"], row["short_name"], *row["aliases"]):
            index.setdefault(_fold(label), row["iso3"])
    return index


def split_codes(text):
    """The codes of a ``;``-separated cell (``countries``, ``parties``), empty for a blank cell.

    >>> split_codes("KAZ;USA"), split_codes(float("nan"))
    (('KAZ', 'USA'), ())
    """
    return tuple(c for c in str(text).split(";") if c and c != "nan")


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
