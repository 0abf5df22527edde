"""Every disagreement between the documents, for a reader: both passages side by side.

The curated ``disagreements`` table pairs two readings of the same fact, each with its document,
line and the words as written. This module finds, in each seed line, the sentence that carries
those words (a passage a reader can judge, not the whole paragraph), says in words what differs,
and keeps the table's ``why_it_matters`` sentence. Nothing is dropped: one row per pair.
"""

import re

import pandas as pd

from .. import data
from .sources import document_names, lines

#: a sentence ends at . ! ? or … followed by space and a capital, a digit or an opening quote
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’]?\s+(?=[A-Z0-9“\"‘(])")
#: ...unless the full stop ends an abbreviation ("U.S.", "D.C.", "Mr.")
ABBREVIATION = re.compile(r"(?:\b[A-Z]\.)+[\"”’]?$|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep)\.$")

#: what differs, in words, per ``kind`` of disagreement
KIND_WORDS = {
    "weekday": "a different day",
    "count": "a different number",
    "value": "a different value",
    "name": "a different name",
    "spelling": "a different spelling",
    "tense": "done or only planned",
    "other": "a different account",
}

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def _plain(text):
    return str(text).translate(_QUOTES).casefold()


def sentence_with(source, line, words):
    """The sentence(s) of ``seeds/<source>`` line ``line`` that carry ``words``.

    Matching ignores case and the kind of quotation marks; surrounding quotes and trailing
    punctuation of ``words`` are ignored. Where ``words`` cross a sentence end, the sentences
    they span are joined; where they are not found at all, the whole line is returned.

    Parameters
    ----------
    source : str
        Seed file name.
    line : int
        1-based line number.
    words : str
        The words as written (``as_written_a`` / ``as_written_b`` of a disagreement).

    Returns
    -------
    str

    Examples
    --------
    >>> sentence_with("003_9e4cd2514e6c289e.txt", 19, "300 sets of locomotive components")[:48]
    'According to the U.S. Department of Commerce, th'
    """
    text = lines(source)[int(line) - 1].strip()
    needle = _plain(words).strip(" \"'.,;:")
    start = _plain(text).find(needle)
    if not needle or start < 0:
        return text
    end = start + len(needle)
    spans, pos = [], 0
    for match in SENTENCE_END.finditer(text):
        if ABBREVIATION.search(text[:match.start() + len(match.group(0).rstrip())]):
            continue
        spans.append((pos, match.start() + len(match.group(0).rstrip())))
        pos = match.end()
    spans.append((pos, len(text)))
    hit = [(a, b) for a, b in spans if a < end and b > start]
    return text[hit[0][0]:hit[-1][1]].strip()


def side_by_side(disagreements=None):
    """Every disagreeing pair with both passages, what differs and why it matters.

    Parameters
    ----------
    disagreements : pandas.DataFrame, optional
        The curated ``disagreements`` table (default: loaded).

    Returns
    -------
    pandas.DataFrame
        One row per pair, in ``disagreement_id`` order: ``disagreement_id``, ``topic``,
        ``differs`` (see :data:`KIND_WORDS`), ``document_a``/``document_b`` (names, see
        :func:`helpers.analysis.sources.document_names`), ``line_a``/``line_b``,
        ``says_a``/``says_b`` (the words as written), ``passage_a``/``passage_b`` (see
        :func:`sentence_with`), ``what_differs`` (a sentence naming both documents and their
        words) and ``why_it_matters`` (curated).

    >>> pairs = side_by_side()
    >>> len(pairs) == len(data.load("disagreements"))
    True
    >>> pairs.iloc[0]["what_differs"]
    'VOV World says “on Wednesday” (line 5); Al Jazeera (machine translation) says “on Thursday” (line 3): a different day.'
    """
    dis = data.load("disagreements") if disagreements is None else disagreements
    dis = dis.sort_values("disagreement_id", ignore_index=True)
    names = document_names()
    out = pd.DataFrame({
        "disagreement_id": dis["disagreement_id"], "topic": dis["topic"],
        "differs": dis["kind"].map(KIND_WORDS),
        "document_a": dis["document_a"].map(names), "line_a": dis["line_a"],
        "says_a": dis["as_written_a"],
        "passage_a": [sentence_with(*r) for r in zip(dis["document_a"], dis["line_a"], dis["as_written_a"])],
        "document_b": dis["document_b"].map(names), "line_b": dis["line_b"],
        "says_b": dis["as_written_b"],
        "passage_b": [sentence_with(*r) for r in zip(dis["document_b"], dis["line_b"], dis["as_written_b"])],
        "why_it_matters": dis["why_it_matters"],
    })
    out["what_differs"] = [
        f"{r.document_a} says “{_bare(r.says_a)}” (line {r.line_a}); "
        f"{r.document_b} says “{_bare(r.says_b)}” (line {r.line_b}): {r.differs}."
        for r in out.itertuples()]
    return out


def _bare(words):
    """The words without their own outer quotation marks (the sentence adds its own)."""
    return str(words).strip().strip("\"“”").rstrip(",")


def by_topic(pairs):
    """Group :func:`side_by_side` rows under their topics, in order of first appearance.

    Returns
    -------
    list of tuple
        ``(topic, rows)`` with ``rows`` the pairs of that topic (a DataFrame).
    """
    order = list(dict.fromkeys(pairs["topic"]))
    return [(topic, pairs[pairs["topic"] == topic]) for topic in order]
