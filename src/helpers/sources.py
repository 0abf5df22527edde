"""The seed corpus: passages by locator, document similarity, corroboration per fact.

Every curated row points at ``seeds/<source>`` line ``source_line``; :func:`cite` returns that
passage. :func:`similarity` measures which documents render the same original (TF-IDF cosine,
scikit-learn), and :func:`corroboration` counts, per fact, the documents that state it and
how many of them are independent (copies of one original count once).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from . import paths
from .errors import UnknownValueError

#: number words the seeds use for counts, ordinals and fractions
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "seventeen": 17, "first": 1, "second": 2, "third": 3,
    "tenth": 10, "half": 0.5, "decade": 10,
}
#: the curated tables whose rows carry a seed locator, and their id column
CURATED = {"documents": "document_id", "events": "event_id", "deals": "deal_id",
           "claims": "claim_id", "statements": "statement_id"}


@dataclass(frozen=True)
class Passage:
    """A line of a seed document, with the excerpt a curated row quotes from it."""

    source: str
    line: int
    text: str
    quote: str = ""

    def __str__(self):
        return f"seeds/{self.source}:{self.line}: {self.quote or self.text}"


def documents():
    """Seed file names in ``seeds/``, sorted."""
    return sorted(p.name for p in paths.SEEDS.glob("*.txt"))


@lru_cache(maxsize=None)
def lines(source):
    """The lines of one seed document (``str.splitlines``; line N is ``lines(source)[N - 1]``)."""
    if source not in documents():
        raise UnknownValueError("seed document", source, documents())
    return tuple((paths.SEEDS / source).read_text(encoding="utf-8").splitlines())


def text(source):
    """The whole text of one seed document."""
    return "\n".join(lines(source))


def passage(source, line):
    """The :class:`Passage` at ``seeds/<source>`` line ``line`` (1-based).

    >>> passage("003_9e4cd2514e6c289e.txt", 16).text[:40]
    "In the first six months of Trump's secon"
    """
    all_lines = lines(source)
    if not 1 <= int(line) <= len(all_lines):
        raise ValueError(f"seeds/{source} has {len(all_lines)} lines; there is no line {line}")
    return Passage(source, int(line), all_lines[int(line) - 1])


def cite(table, row_id):
    """The seed passage behind one curated row, e.g. ``cite("claims", "CL001")``.

    >>> p = cite("claims", "CL001")
    >>> p.quote in p.text
    True
    """
    from . import data

    if table not in CURATED:
        raise UnknownValueError("curated table", table, list(CURATED))
    frame = data.load(table).set_index(CURATED[table])
    if row_id not in frame.index:
        raise UnknownValueError(f"{table} id", row_id, list(frame.index)[:10] + ["…"])
    row = frame.loc[row_id]
    found = passage(row["source"], row["source_line"])
    return Passage(found.source, found.line, found.text, row["quote"])


def stated_numbers(written):
    """Every number a phrase states, in digits or words ("$12.4bn", "35,000", "seven", "half").

    >>> stated_numbers("more than 35,000 jobs and $12.4bn")
    [35000.0, 12.4]
    >>> stated_numbers("restricted seven of them; the third largest; close to half")
    [7, 3, 0.5]
    """
    found = [float(n.replace(",", "")) for n in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", written)]
    found += [NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", written.lower()) if w in NUMBER_WORDS]
    return found


def similarity(kind="word"):
    """Pairwise cosine similarity of the seed documents' TF-IDF vectors (scikit-learn).

    Parameters
    ----------
    kind : {"word", "char"}
        ``"word"``: unigrams and bigrams of words — high for translations that keep the
        wording; ``"char"``: character 3–5-grams within words — more robust to a reworded
        ("synonym-spun") copy that keeps names and numbers but swaps words.

    Returns
    -------
    pandas.DataFrame
        Square, documents × documents, values in [0, 1], rounded to 3 decimals.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    names = documents()
    options = {"word": dict(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
               "char": dict(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)}
    if kind not in options:
        raise UnknownValueError("similarity kind", kind, list(options))
    matrix = TfidfVectorizer(lowercase=True, **options[kind]).fit_transform(text(n) for n in names)
    sims = cosine_similarity(matrix).round(3)
    short = [n[:3] for n in names]
    return pd.DataFrame(sims, index=pd.Index(short, name="document"), columns=short)


def line_alignment(source_a, source_b, *, min_similarity=0.3):
    """Align each non-empty line of ``source_b`` with its most similar line of ``source_a``.

    Shows where one document renders another line by line (char 3–5-gram TF-IDF cosine).

    Returns
    -------
    pandas.DataFrame
        Columns ``line_b``, ``line_a``, ``similarity``; lines below ``min_similarity`` get no
        match (``line_a`` missing).
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    a = [(i, t) for i, t in enumerate(lines(source_a), 1) if t.strip()]
    b = [(i, t) for i, t in enumerate(lines(source_b), 1) if t.strip()]
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    vec.fit([t for _, t in a + b])
    sims = cosine_similarity(vec.transform([t for _, t in b]), vec.transform([t for _, t in a]))
    best = sims.argmax(axis=1)
    rows = []
    for k, (line_b, _) in enumerate(b):
        score = float(sims[k, best[k]])
        rows.append({"line_b": line_b, "line_a": a[best[k]][0] if score >= min_similarity else pd.NA,
                     "similarity": round(score, 3)})
    return pd.DataFrame(rows).astype({"line_a": "Int64"})


def origins():
    """Map each document to the original it renders (itself when it is an original).

    Copies of one original (a translation, a reworded copy) share an origin, so they count
    once when corroboration is measured.
    """
    from . import data

    docs = data.load("documents")
    return {d: (o if isinstance(o, str) and o else d)
            for d, o in zip(docs["document_id"], docs["original_of"])}


def statements_by_fact():
    """Every located statement in the curated tables: table, id, fact_id, source, line."""
    from . import data

    frames = []
    for table, key in CURATED.items():
        if table == "documents":
            continue
        frame = data.load(table)
        frames.append(pd.DataFrame({"table": table, "row_id": frame[key], "fact_id": frame["fact_id"],
                                    "source": frame["source"], "source_line": frame["source_line"]}))
    return pd.concat(frames, ignore_index=True)


def corroboration():
    """Per fact: how many documents state it, and how many of those are independent.

    Returns
    -------
    pandas.DataFrame
        Index ``fact_id``; columns ``documents`` (distinct seed files), ``independent``
        (distinct origins, see :func:`origins`), ``sources`` (the seed numbers, e.g.
        "003;004"), sorted by independent and documents, descending, then fact_id.
    """
    located = statements_by_fact()
    origin = origins()
    located["origin"] = located["source"].map(origin)
    grouped = located.groupby("fact_id")
    table = pd.DataFrame({
        "documents": grouped["source"].nunique(),
        "independent": grouped["origin"].nunique(),
        "sources": grouped["source"].agg(lambda s: ";".join(sorted({x[:3] for x in s}))),
    })
    return table.sort_values(["independent", "documents", "fact_id"],
                             ascending=[False, False, True], kind="stable")
