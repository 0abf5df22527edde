"""Who says it: a curated row's asserter, in words a reader can quote.

Every row of the claims, deals and events tables carries ``asserted_by`` (who the document
says asserts it: a named official, a government body, a company, an analyst it quotes,
another credited source, or the outlet itself) and ``asserter_kind`` (official, government,
company, outlet, analyst, other), read from the cited seed line (rules in
``data/curated/NOTES.md``). This module turns them into the phrase that goes with a figure in
a sentence: "according to Kazakhstan's Ministry of Industry and Construction, as reported by
Al Jazeera (machine translation)", or "as VOV World reports it" when the outlet speaks in its
own voice. Documents are named by outlet (:func:`helpers.analysis.sources.document_names`),
never by file.
"""

import pandas as pd

from .. import data
from ..errors import UnknownValueError
from .sources import document_names

#: the kinds of asserter (the ``asserter_kind`` enum of the data package)
KINDS = ("official", "government", "company", "outlet", "analyst", "other")
#: how an analyst row's ``asserted_by`` begins
ANALYST_PREFIX = "an analyst quoted: "
#: the curated tables that carry an asserter
TABLES = ("claims", "deals", "events")


def _in_prose(name):
    """A document's name as it reads inside a sentence.

    >>> _in_prose("Unsigned commentary"), _in_prose("VOV World")
    ('the unsigned commentary', 'VOV World')
    """
    return f"the {name[0].lower()}{name[1:]}" if name.startswith("Unsigned") else name


def phrase(asserted_by, kind, document):
    """The attribution phrase for one row, given its asserter and its document's name.

    Parameters
    ----------
    asserted_by, kind : str
        The row's ``asserted_by`` and ``asserter_kind``.
    document : str
        The reporting document's name (from :func:`~helpers.analysis.sources.document_names`).

    Examples
    --------
    >>> phrase("the outlet", "outlet", "VOV World")
    'as VOV World reports it'
    >>> phrase("Marco Rubio, US Secretary of State", "official", "VOV World")
    'according to Marco Rubio, US Secretary of State, as reported by VOV World'
    >>> phrase("an analyst quoted: Shairbek Juraev", "analyst", "Al Jazeera (reworded copy)")
    'according to Shairbek Juraev, an analyst quoted by Al Jazeera (reworded copy)'
    >>> phrase("the outlet", "outlet", "Unsigned commentary")
    'as the unsigned commentary reports it'
    """
    if kind not in KINDS:
        raise UnknownValueError("asserter kind", kind, list(KINDS))
    document = _in_prose(document)
    if kind == "outlet":
        return f"as {document} reports it"
    if kind == "analyst":
        return f"according to {asserted_by.removeprefix(ANALYST_PREFIX)}, an analyst quoted by {document}"
    return f"according to {asserted_by}, as reported by {document}"


def attributions(frame):
    """The attribution phrase of every row of a claims, deals or events frame.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows with ``source`` (seed file), ``asserted_by`` and ``asserter_kind`` (any subset of
        the curated tables, e.g. the rows of one fact).

    Returns
    -------
    pandas.Series
        One phrase per row, on the frame's index (named ``attribution``).

    Examples
    --------
    >>> claims = data.load("claims")
    >>> attributions(claims[claims["claim_id"].isin(["CL026", "CL028"])]).tolist()
    ["according to Kazakhstan's Ministry of Industry and Construction, as reported by Al Jazeera (machine translation)", 'as Al Jazeera (machine translation) reports it']
    """
    missing = [c for c in ("source", "asserted_by", "asserter_kind") if c not in frame.columns]
    if missing:
        raise UnknownValueError("column", missing[0], list(frame.columns))
    names = document_names()
    out = [phrase(who, kind, names[source])
           for source, who, kind in zip(frame["source"], frame["asserted_by"], frame["asserter_kind"])]
    return pd.Series(out, index=frame.index, name="attribution", dtype=object)


def according_to(table, row_id):
    """The attribution phrase of one row of the claims, deals or events table.

    Parameters
    ----------
    table : str
        ``"claims"``, ``"deals"`` or ``"events"``.
    row_id : str
        The row's id (``claim_id``, ``deal_id`` or ``event_id``).

    Examples
    --------
    >>> according_to("claims", "CL010")
    'according to Marco Rubio, US Secretary of State, as reported by VOV World'
    >>> according_to("deals", "DL012")
    'according to the Development Bank of Kazakhstan, as reported by Al Jazeera (machine translation)'
    """
    if table not in TABLES:
        raise UnknownValueError("table", table, list(TABLES))
    key = data.resource(table)["schema"]["primaryKey"][0]
    frame = data.load(table)
    rows = frame[frame[key] == row_id]
    if rows.empty:
        raise UnknownValueError(f"{table} row", row_id, frame[key].tolist())
    return attributions(rows).iloc[0]
