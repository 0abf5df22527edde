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

    A table's own ``c5:credit`` comes first. A curated table otherwise credits the outlets of
    the seed documents in words (the ``c5:outlets`` of the ``documents`` resource) and names the
    collection's table it was compiled in -- never a file path; derived and raw tables credit
    their publishers (their sources' titles and licences).

    >>> citation("rare_earths")
    'USGS, Mineral Commodity Summaries 2024 and 2025 (public domain)'
    >>> citation("claims")
    "News reports (an Al Jazeera explainer in a machine translation and a reworded copy, VOV World, a Russian-language preview citing Azattyk Asia, an unsigned commentary), compiled in this collection's table of claims"
    """
    res = resource(name)
    if "c5:credit" in res:
        return res["c5:credit"]
    if res["path"].startswith("curated/"):
        outlets = resource("documents").get("c5:outlets", "The seed documents")
        return f"{outlets}, compiled in this collection's table of {res['name']}"
    titles = "; ".join(dict.fromkeys(s["title"] for s in res.get("sources", [])))
    licences = ", ".join(dict.fromkeys(lic.get("title", lic["name"]).split(":")[0]
                                        for lic in res.get("licenses", [])))
    return f"{titles} ({licences})" if licences else titles


def _curated(name):
    res = resource(name)
    return res["path"].startswith("curated/") and "c5:credit" not in res


def source_line(*names):
    """Join the citations of several tables for a chart's source line; curated tables share
    one credit of the news reports that names all their tables.

    >>> source_line("rare_earths", "deals")
    "USGS, Mineral Commodity Summaries 2024 and 2025 (public domain) · News reports (an Al Jazeera explainer in a machine translation and a reworded copy, VOV World, a Russian-language preview citing Azattyk Asia, an unsigned commentary), compiled in this collection's table of deals"
    >>> source_line("events", "claims").endswith("compiled in this collection's tables of events and claims")
    True
    """
    curated = [n for n in dict.fromkeys(names) if _curated(n)]
    parts, said = [], False
    for name in dict.fromkeys(names):
        if name not in curated:
            parts.append(citation(name))
        elif not said:
            said = True
            if len(curated) == 1:
                parts.append(citation(name))
            else:
                tables = ", ".join(curated[:-1]) + f" and {curated[-1]}"
                outlets = resource("documents").get("c5:outlets", "The seed documents")
                parts.append(f"{outlets}, compiled in this collection's tables of {tables}")
    return " · ".join(parts)
