"""The data package descriptor: tables, their fields, and the source credit of each table.

``data/datapackage.json`` is the single description of every table; this module reads it
(once per content: the file is re-read and re-parsed only when it changes) and answers
questions about it. It imports nothing of the project but :mod:`helpers.data.paths`.
"""

import hashlib
import json

from ..errors import UnknownValueError
from . import paths

_PARSED = {}  # content digest -> parsed descriptor


def package(path=None):
    """The parsed data package descriptor (a dict; do not modify it).

    The file is read on every call (so a tracer sees the read) and parsed once per content.
    """
    raw = (paths.DATAPACKAGE if path is None else path).read_bytes()
    digest = hashlib.blake2b(raw, digest_size=16).digest()
    if digest not in _PARSED:
        _PARSED.clear()
        _PARSED[digest] = json.loads(raw.decode("utf-8"))
    return _PARSED[digest]


def resource_names():
    """Names of every tabular resource in the data package, in package order."""
    return [r["name"] for r in package()["resources"] if r.get("profile") == "tabular-data-resource"]


def resource(name):
    """The descriptor of one resource; an unknown name lists the valid ones."""
    for res in package()["resources"]:
        if res["name"] == name:
            return res
    import difflib

    names = [r["name"] for r in package()["resources"]]
    nearest = difflib.get_close_matches(name, names, n=1)
    raise UnknownValueError("table", name, names, nearest=nearest[0] if nearest else None)


def citation(name):
    """A one-line source credit for a table, built from the data package (publisher, licence).

    Curated tables credit the seed documents; derived tables their publishers (the
    resource's ``c5:credit``, else its sources' titles and licences).

    >>> citation("rare_earths")
    'USGS, Mineral Commodity Summaries 2024 and 2025 (public domain)'
    >>> citation("claims")
    'seed documents (seeds/), cited by file and line in data/curated/claims.csv'
    """
    res = resource(name)
    if res["path"].startswith("curated/"):
        return f"seed documents (seeds/), cited by file and line in data/{res['path']}"
    if "c5:credit" in res:
        return res["c5:credit"]
    titles = "; ".join(dict.fromkeys(s["title"] for s in res.get("sources", [])))
    licences = ", ".join(dict.fromkeys(lic.get("title", lic["name"]).split(":")[0]
                                        for lic in res.get("licenses", [])))
    return f"{titles} ({licences})" if licences else titles


def source_line(*names):
    """Join the citations of several tables for a chart's source line.

    >>> source_line("rare_earths", "claims")
    'USGS, Mineral Commodity Summaries 2024 and 2025 (public domain) · seed documents (seeds/), cited by file and line in data/curated/claims.csv'
    """
    return " · ".join(citation(n) for n in names)
