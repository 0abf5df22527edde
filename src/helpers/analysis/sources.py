"""The seed corpus: passages by locator, document similarity, which documents copy which.

Every curated row points at ``seeds/<source>`` line ``source_line``; :func:`cite` returns that
passage. :func:`similarity` measures which documents render the same original (TF-IDF cosine,
scikit-learn) and :func:`origins` records it, for :mod:`helpers.analysis.facts` to count
corroboration per fact (copies of one original count once). :func:`seed_refs` and
:func:`stated_value` serve any curated table: short citations of its rows, and the one value a
fact's rows state. The rest names documents as a reader reads them (:func:`document_names`)
and shapes the tables of the sources notebook.
"""

import re
from dataclasses import dataclass

import pandas as pd

from .. import data
from ..data import paths
from ..errors import ParameterError, UnknownValueError

#: number words the seeds use for counts, ordinals and fractions
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "twelve": 12, "seventeen": 17, "first": 1, "second": 2, "third": 3,
    "tenth": 10, "half": 0.5, "decade": 10,
}
#: the curated tables whose rows carry a seed locator, and their id column
CURATED = {"documents": "document_id", "events": "event_id", "deals": "deal_id",
           "claims": "claim_id", "statements": "statement_id"}
#: TF-IDF settings (scikit-learn ``TfidfVectorizer``) per kind of :func:`similarity`
TFIDF = {"word": dict(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
         "char": dict(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)}
#: the curated tables whose rows state a value (``value`` x ``multiplier``)
VALUED = ("claims", "deals")


@dataclass(frozen=True)
class Passage:
    """A line of a seed document, with the excerpt a curated row quotes from it."""

    source: str
    line: int
    text: str
    quote: str = ""

    def __str__(self):
        return f"seeds/{self.source}:{self.line}: {self.quote or self.text}"


def seed_number(source):
    """The seed number of a seed file name: the digits before the first underscore.

    Parameters
    ----------
    source : str
        A seed file name as the curated tables write it, optionally under ``seeds/``.

    Returns
    -------
    str
        The number as written, leading zeros kept.

    Raises
    ------
    ValueError
        If the name does not start with digits and an underscore.

    Examples
    --------
    >>> seed_number("003_9e4cd2514e6c289e.txt")
    '003'
    >>> seed_number("seeds/004_fdd84e8ca950ce92.txt")
    '004'
    """
    name = str(source).rsplit("/", 1)[-1]
    found = re.match(r"(\d+)_", name)
    if not found:
        raise ValueError(f"{source!r} is not a seed file name (expected e.g. '003_<hash>.txt')")
    return found.group(1)


def documents():
    """Seed file names in ``seeds/``, sorted."""
    return sorted(p.name for p in paths.SEEDS.glob("*.txt"))


def lines(source):
    """The lines of one seed document (``str.splitlines``; line N is ``lines(source)[N - 1]``).

    Read from disk on every call (seeds are small), so an edited seed is never hidden by a
    cache and the report engine's tracer sees every seed a run reads.
    """
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

    if kind not in TFIDF:
        raise UnknownValueError("similarity kind", kind, list(TFIDF))
    names = documents()
    matrix = TfidfVectorizer(lowercase=True, **TFIDF[kind]).fit_transform(text(n) for n in names)
    short = [seed_number(n) for n in names]
    return pd.DataFrame(cosine_similarity(matrix).round(3), index=pd.Index(short, name="document"),
                        columns=short)


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
    vec = TfidfVectorizer(**TFIDF["char"]).fit([t for _, t in a + b])
    sims = cosine_similarity(vec.transform([t for _, t in b]), vec.transform([t for _, t in a]))
    best, score = sims.argmax(axis=1), sims.max(axis=1)
    return pd.DataFrame({"line_b": [i for i, _ in b],
                         "line_a": pd.array([a[j][0] if float(s) >= min_similarity else pd.NA
                                             for j, s in zip(best, score)], dtype="Int64"),
                         "similarity": [round(float(s), 3) for s in score]})


def origins():
    """Map each document to the original it renders (itself when it is an original).

    Copies of one original (a translation, a reworded copy) share an origin, so they count
    once when corroboration is measured.
    """
    docs = data.load("documents")
    return {d: (o if isinstance(o, str) and o else d)
            for d, o in zip(docs["document_id"], docs["original_of"])}


def statements_by_fact():
    """Every located statement in the curated tables: table, id, fact_id, source, line."""
    frames = []
    for table, key in CURATED.items():
        if table == "documents":
            continue
        frame = data.load(table)
        frames.append(pd.DataFrame({"table": table, "row_id": frame[key], "fact_id": frame["fact_id"],
                                    "source": frame["source"], "source_line": frame["source_line"]}))
    return pd.concat(frames, ignore_index=True)


def seed_refs(rows):
    """Short citations of curated rows: seed number and line, sorted and de-duplicated.

    Parameters
    ----------
    rows : pandas.DataFrame
        Rows of any curated table (columns ``source`` and ``source_line``).

    Returns
    -------
    str
        ``"seed <number> line <line>"`` per distinct locator, joined by ``"; "``; empty for no rows.

    Examples
    --------
    >>> from helpers import data
    >>> claims = data.load("claims")
    >>> seed_refs(claims[claims["fact_id"] == "china_rare_earth_processing_share"])
    'seed 003 line 30; seed 004 line 28'
    """
    pairs = sorted({(seed_number(s), int(n)) for s, n in zip(rows["source"], rows["source_line"])})
    return "; ".join(f"seed {s} line {n}" for s, n in pairs)


def stated_value(fact_id, table="claims", *, currency=None):
    """The value (x multiplier) the rows of a curated fact state, and all its rows.

    Rows without a value (a document that mentions the fact without the figure) are kept in
    the returned rows but do not take part in the value.

    Parameters
    ----------
    fact_id : str
        A ``fact_id`` of the curated table.
    table : {'claims', 'deals'}
        A curated table with ``value`` and ``multiplier`` columns (see :data:`VALUED`).
    currency : str, optional
        Required currency of the rows that state the value (e.g. ``"USD"``); the table must
        have a ``currency`` column.

    Returns
    -------
    tuple of (float, pandas.DataFrame)

    Raises
    ------
    ValueError
        If the fact is absent, states no value or different values, or states it in another
        currency than ``currency``.

    Examples
    --------
    >>> value, rows = stated_value("kaz_karaganda_deposit_20mt")
    >>> value, len(rows), sorted(rows["qualifier"].unique())
    (20000000.0, 2, ['more_than'])
    >>> stated_value("aus_us_critical_minerals_framework", "deals", currency="USD")[0]
    8500000000.0
    """
    if table not in VALUED:
        raise UnknownValueError("curated table with values", table, VALUED)
    frame = data.load(table)
    rows = frame[frame["fact_id"] == fact_id]
    if rows.empty:
        raise ValueError(f"no {table} row has fact_id {fact_id!r}")
    with_value = rows[rows["value"].notna()]
    if currency is not None:
        if "currency" not in frame.columns:
            raise ParameterError(f"the {table} table has no currency column; leave currency unset")
        other = sorted(set(with_value["currency"].fillna("not stated")) - {currency})
        if other:
            raise ValueError(f"{fact_id!r}: value stated in {', '.join(other)}, not {currency}")
    if with_value.empty:
        raise ValueError(f"{fact_id!r}: no {table} row states a value")
    values = (with_value["value"] * with_value["multiplier"].astype("float64")).unique()
    if len(values) != 1:
        raise ValueError(f"{fact_id!r}: rows state {sorted(values)} (expected one value)")
    return float(values[0]), rows


def document_names():
    """A short name per seed document, from what it states about itself: the original's name
    and the kind of copy for a rendering of an outside original; else the outlet; else, for a
    document that names the news source it reports, its language, kind and that source
    ("Russian-language report citing Azattyk Asia"); else the author and the kind of text;
    else "Unsigned" and the kind of text.

    Returns
    -------
    dict
        Seed file name -> name, in seed order.

    Examples
    --------
    >>> names = document_names()
    >>> names["002_5ca211dee46bc3db.txt"], names["004_fdd84e8ca950ce92.txt"]
    ('VOV World', 'Al Jazeera (reworded copy)')
    >>> names["001_80d9d01c5d28607e.txt"]
    'Russian-language report citing Azattyk Asia'
    """
    names = {}
    for row in data.load("documents").sort_values("document_id").itertuples():
        kind = row.relation.replace("_", " ")
        if isinstance(row.original_of, str) and row.original_of:
            names[row.document_id] = f"{row.original_of.removeprefix('external:')} ({kind})"
        elif row.outlet != "not stated":
            names[row.document_id] = row.outlet
        elif isinstance(row.cites, str) and row.cites:
            names[row.document_id] = f"{row.language_original}-language {kind} citing {row.cites}"
        elif row.author != "not stated":
            names[row.document_id] = f"{row.author} ({kind})"
        else:
            names[row.document_id] = f"Unsigned {kind}"
    return names


def outlets(files):
    """The documents ``files`` (seed file names) named by outlet, in seed order, once each.

    >>> outlets(["002_5ca211dee46bc3db.txt", "002_5ca211dee46bc3db.txt"])
    'VOV World'
    """
    names = document_names()
    return "; ".join(names.get(f, f) for f in sorted(set(files)))


def documents_overview():
    """What each document states about itself, one row per document in seed order.

    Returns
    -------
    pandas.DataFrame
        ``document`` (name), ``seed`` (number), ``outlet``, ``author``, ``language_original``,
        ``language_text``, ``relation``, ``copy_of`` (the outside original it renders).
    """
    docs = data.load("documents").sort_values("document_id", ignore_index=True)
    out = docs.assign(document=docs["document_id"].map(document_names()),
                      seed=docs["document_id"].map(seed_number),
                      copy_of=docs["original_of"].str.removeprefix("external:"))
    return out[["document", "seed", "outlet", "author", "language_original", "language_text",
                "relation", "copy_of"]]


def contributions():
    """Curated rows per document and table (one row per statement of a fact).

    Returns
    -------
    pandas.DataFrame
        Index ``document`` (names, seed order); ``events``, ``deals``, ``claims``,
        ``statements`` and ``total``.
    """
    names, located = document_names(), statements_by_fact()
    counts = pd.crosstab(located["source"].map(names), located["table"]).reindex(
        index=list(names.values()), columns=[t for t in CURATED if t != "documents"], fill_value=0)
    counts["total"] = counts.sum(axis=1)
    return counts.rename_axis(index="document", columns=None)


def similar_pairs(sim):
    """Every pair of documents of a :func:`similarity` matrix, most similar first.

    Returns
    -------
    pandas.DataFrame
        ``source_a``, ``source_b`` (seed file names, ``a`` first in seed order), ``document_a``,
        ``document_b`` (names), ``similarity``, ``same_original`` (see :func:`origins`).
    """
    files = {seed_number(d): d for d in documents()}
    origin, names, numbers = origins(), document_names(), list(sim.index)
    out = pd.DataFrame([(files[a], files[b], names[files[a]], names[files[b]], float(sim.loc[a, b]),
                         origin[files[a]] == origin[files[b]])
                        for i, a in enumerate(numbers) for b in numbers[i + 1:]],
                       columns=["source_a", "source_b", "document_a", "document_b", "similarity",
                                "same_original"])
    return out.sort_values("similarity", ascending=False, kind="stable", ignore_index=True)


def alignment_summary(align):
    """How closely one document follows another, from a :func:`line_alignment`.

    Returns
    -------
    dict
        ``lines`` (non-empty lines aligned), ``matched``, ``in_order`` (share of consecutive
        matches that move forward in the other document, 0–1), ``unmatched`` (line numbers),
        ``similarity_mean``, ``similarity_min``, ``similarity_max`` (3 decimals).
    """
    matched = align["line_a"].notna()
    steps = align.loc[matched, "line_a"].astype("float64").diff().dropna()
    return {"lines": len(align), "matched": int(matched.sum()),
            "in_order": float((steps > 0).mean()) if len(steps) else float("nan"),
            "unmatched": [int(n) for n in align.loc[~matched, "line_b"]],
            **{f"similarity_{f}": round(float(align["similarity"].agg(f)), 3)
               for f in ("mean", "min", "max")}}


def disagreement_pairs():
    """The disagreeing pairs with both documents named and both readings verbatim.

    Returns
    -------
    pandas.DataFrame
        ``topic``, ``kind``, ``document_a``, ``line_a``, ``says_a``, ``document_b``,
        ``line_b``, ``says_b``, in the order of the curated ``disagreements`` table.
    """
    dis, names = data.load("disagreements"), document_names()
    return dis.assign(document_a=dis["document_a"].map(names), document_b=dis["document_b"].map(names),
                      says_a=dis["as_written_a"], says_b=dis["as_written_b"])[
        ["topic", "kind", "document_a", "line_a", "says_a", "document_b", "line_b", "says_b"]]


def disagreement_kinds():
    """How many disagreeing pairs there are of each kind.

    Returns
    -------
    pandas.DataFrame
        ``kind``, ``pairs``; most frequent first, ties alphabetical.
    """
    counts = data.load("disagreements").groupby("kind").size().rename("pairs").reset_index()
    return counts.sort_values(["pairs", "kind"], ascending=[False, True], ignore_index=True)
