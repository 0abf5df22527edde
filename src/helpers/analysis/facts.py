"""Corroboration per fact: independent documents that agree on it, and the disputed facts.

A fact is corroborated when two or more *independent* documents state it (copies of one
original count once, see :func:`helpers.analysis.sources.origins`) and no two documents give it
different values. A fact whose *independent* documents disagree about the value itself (the
``kind`` of a ``disagreements`` row is one of :data:`VALUE_KINDS`: a count, a weekday or date, a
value) is *disputed*: it is shown with every reading, never counted as corroborated. Documents
that only spell or word a fact differently (a name, a transliteration, a quotation) still agree
on it, and two copies of one article that read differently (a translation against a rewording)
are one source that was copied unevenly, not a dispute: such pairs stay on the disagreements
page, not in the disputed count.
"""

import pandas as pd

from .. import data
from .sources import CURATED, document_names, origins, seed_number, statements_by_fact

#: kinds of disagreement about the value itself (the rest, spelling, name, tense and other
#: wording, leave the value agreed)
VALUE_KINDS = ("count", "weekday", "value")


def readings(disagreements=None):
    """Per disputed fact, every reading of the value the documents give, with their seeds.

    Parameters
    ----------
    disagreements : pandas.DataFrame, optional
        The curated ``disagreements`` table (default: loaded).

    Returns
    -------
    dict
        ``fact_id`` -> the readings, each as written with the documents that give it (by
        name, see :func:`helpers.analysis.sources.document_names`), joined by " vs "
        in order of first appearance; only facts with a disagreement of :data:`VALUE_KINDS`
        between documents of different origins (not two copies of one article).

    Examples
    --------
    >>> readings()["c5p1_washington_summit_2025"]
    '“on Wednesday” in VOV World vs “on Thursday” in Al Jazeera (machine translation) and Al Jazeera (reworded copy) vs “on November 6” in Russian-language report citing Azattyk Asia'
    >>> "boeing_aircraft_purchase_central_asia" in readings()  # the bloc's 45 aircraft are another fact
    False
    """
    dis = data.load("disagreements") if disagreements is None else disagreements
    origin = origins()
    independent = dis["document_a"].map(origin) != dis["document_b"].map(origin)
    dis = dis[dis["kind"].isin(VALUE_KINDS) & independent].sort_values("disagreement_id")
    names = document_names()
    out = {}
    for fact_id, rows in dis.groupby("fact_id", sort=True):
        seen = {}
        for r in rows.itertuples():
            for written, doc in ((r.as_written_a, r.document_a), (r.as_written_b, r.document_b)):
                seen.setdefault(written, set()).add(doc)
        out[fact_id] = " vs ".join(
            f"“{w}” in {' and '.join(names[d] for d in sorted(docs))}" for w, docs in seen.items())
    return out


def corroboration(disagreements=None):
    """Per fact: how many documents state it, how many are independent, and whether they agree.

    Parameters
    ----------
    disagreements : pandas.DataFrame, optional
        The curated ``disagreements`` table (default: loaded).

    Returns
    -------
    pandas.DataFrame
        Index ``fact_id``; columns ``documents`` (distinct seed files), ``independent``
        (distinct origins, see :func:`helpers.analysis.sources.origins`), ``sources`` (the
        seed numbers, e.g. "003;004"), ``disputed`` (the documents give different values, see
        :func:`readings`), ``corroborated`` (two or more independent documents and not
        disputed) and ``readings`` (the values as written, ``""`` unless disputed); sorted by
        independent and documents, descending, then fact_id.

    >>> summit = corroboration().loc["c5p1_washington_summit_2025"]
    >>> int(summit["independent"]), bool(summit["disputed"]), bool(summit["corroborated"])
    (4, True, False)
    >>> boeing = corroboration().loc["boeing_aircraft_purchase_central_asia"]
    >>> int(boeing["documents"]), int(boeing["independent"]), bool(boeing["disputed"])
    (2, 1, False)
    """
    located = statements_by_fact()
    located["origin"] = located["source"].map(origins())
    grouped = located.groupby("fact_id")
    table = pd.DataFrame({
        "documents": grouped["source"].nunique(),
        "independent": grouped["origin"].nunique(),
        "sources": grouped["source"].agg(lambda s: ";".join(sorted({seed_number(x) for x in s}))),
    })
    stated = readings(disagreements)
    table["disputed"] = table.index.isin(list(stated))
    table["corroborated"] = (table["independent"] >= 2) & ~table["disputed"]
    table["readings"] = [stated.get(f, "") for f in table.index]
    return table.sort_values(["independent", "documents", "fact_id"],
                             ascending=[False, False, True], kind="stable")


def support_counts(corr):
    """How many facts rest on how many documents and independent documents.

    Returns
    -------
    pandas.DataFrame
        ``independent``, ``documents``, ``facts``, and of those ``agreed`` (corroborated: two
        or more independent documents that agree) and ``disputed`` (the documents give
        different values), from a :func:`corroboration` table.
    """
    return corr.groupby(["independent", "documents"]).agg(
        facts=("sources", "size"), agreed=("corroborated", "sum"),
        disputed=("disputed", "sum")).reset_index()


def fact_labels():
    """Each fact in words, from its first curated row: an event's title; else a statement's
    speaker and position; else a claim's subject; else a deal's parties and sector.

    Returns
    -------
    dict
        ``fact_id`` -> description.

    Examples
    --------
    >>> fact_labels()["c5p1_established_2015"]
    'C5+1 established in 2015'
    """
    ways = {"events": lambda r: r["title"], "statements": lambda r: f"{r['person']}: {r['position']}",
            "claims": lambda r: r["subject"],
            "deals": lambda r: f"{r['parties']}: {r['sector'].replace('_', ' ')}"}
    described = {}
    for table, describe in ways.items():
        for _, row in data.load(table).sort_values(CURATED[table]).drop_duplicates("fact_id").iterrows():
            described.setdefault(row["fact_id"], describe(row))
    return described


def describe_facts(corr):
    """Rows of a :func:`corroboration` for a reader: the fact in words, the documents named.

    Returns
    -------
    pandas.DataFrame
        ``fact`` (see :func:`fact_labels`), ``documents``, ``independent``, ``stated_by``
        (names in seed order, joined by "; "), and ``readings`` where any of ``corr`` is
        disputed; in the order of ``corr``.
    """
    labels = fact_labels()
    by_number = {seed_number(d): name for d, name in document_names().items()}
    out = pd.DataFrame({
        "fact": [labels[f] for f in corr.index], "documents": corr["documents"].to_numpy(),
        "independent": corr["independent"].to_numpy(),
        "stated_by": ["; ".join(by_number[n] for n in s.split(";")) for s in corr["sources"]]})
    if "disputed" in corr and corr["disputed"].any():
        out["readings"] = corr["readings"].to_numpy()
    return out
