"""Charts and findings of the sources notebook: what each document adds, copies and disputes.

Each chart function takes frames computed by :mod:`helpers.analysis.sources` and draws one
chart ending with :func:`helpers.nb.style.finish`; each ``*_finding`` function returns the
sentences of a finding (:func:`helpers.nb.say.markdown`), built from computed values.
"""

import re

from ... import data
from ...analysis import disputes, facts, sources
from .. import say, style

#: the curated tables whose rows state facts, for source lines
FACT_TABLES = ("events", "deals", "claims", "statements")
_GRAMS = {"word": "word 1–2-gram", "char": "character 3–5-gram"}


def similarity_source(kind):
    """The source line of a document similarity (for a chart or a table).

    Parameters
    ----------
    kind : {"word", "char"}
        The kind of :func:`helpers.analysis.sources.similarity`.

    Returns
    -------
    str

    Examples
    --------
    >>> similarity_source("word")
    'the 5 news documents of the collection; word 1–2-gram TF-IDF cosine similarity, scikit-learn'
    """
    if kind not in _GRAMS:
        raise ValueError(f"unknown similarity kind {kind!r}; valid: {', '.join(_GRAMS)}")
    return (f"the {len(sources.documents())} news documents of the collection; {_GRAMS[kind]} TF-IDF cosine "
            "similarity, scikit-learn")


def curated_source(*tables):
    """The source line of figures counted from curated tables: the news reports in words and
    the collection's tables they were compiled in (:func:`helpers.data.source_line`).

    Parameters
    ----------
    *tables : str
        Names of curated tables (default: :data:`FACT_TABLES`).

    Returns
    -------
    str

    Examples
    --------
    >>> curated_source("events", "claims").endswith("compiled in this collection's tables of events and claims")
    True
    """
    tables = tables or FACT_TABLES
    paths = [data.resource(t)["path"] for t in tables]
    if not all(p.startswith("curated/") for p in paths):
        raise ValueError(f"not all curated tables: {', '.join(tables)}")
    return data.source_line(*tables)

def contributions_chart(counts):
    """Stacked bars: curated rows per document, one colour per table.

    Parameters
    ----------
    counts : pandas.DataFrame
        As :func:`helpers.analysis.sources.contributions` returns.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import seaborn as sns

    parts = [c for c in counts.columns if c != "total"]
    ax = counts[parts].plot.barh(stacked=True, color=sns.color_palette("colorblind", len(parts)),
                                 figsize=(8, 3.6), edgecolor="white", linewidth=0)
    for container, hatch in zip(ax.containers, ["", "//", "..", "xx", "\\\\"]):
        for patch in container:  # hatching keeps the parts apart in a greyscale print
            patch.set_hatch(hatch)
    ax.legend()
    ax.invert_yaxis()
    ax.grid(axis="x")
    return style.finish(ax, title="Statements curated from each document",
                        xlabel="statements (rows in the curated tables)", ylabel="",
                        source=curated_source())


def similarity_heatmap(sim, kind):
    """Heat map of a document similarity matrix, documents named.

    Parameters
    ----------
    sim : pandas.DataFrame
        As :func:`helpers.analysis.sources.similarity` returns (seed numbers).
    kind : {"word", "char"}
        The kind it was computed with (title and source line).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    names = [sources.document_names()[f] for f in sources.documents()]
    by_number = dict(zip([sources.seed_number(f) for f in sources.documents()], names))
    named = sim.rename(index=by_number, columns=by_number)
    fig, ax = plt.subplots(figsize=(7.5, 6))
    sns.heatmap(named, annot=True, fmt=".2f", cmap="Greys", vmin=0, vmax=1, square=True,
                cbar_kws={"label": "cosine similarity (0–1)"}, ax=ax)
    ax.grid(False)
    ax.set_xticklabels(ax.get_xticklabels(), rotation=30, ha="right")
    return style.finish(ax, title=f"Similarity between the documents ({_GRAMS[kind]} TF-IDF)",
                        xlabel="", ylabel="", source=similarity_source(kind))


def alignment_chart(align, source_a, source_b, min_similarity):
    """Scatter: for each line of ``source_b``, its best-matching line of ``source_a``.

    Parameters
    ----------
    align : pandas.DataFrame
        As :func:`helpers.analysis.sources.line_alignment` returns.
    source_a, source_b : str
        The seed file names aligned.
    min_similarity : float
        The threshold of a match (0–1), for the legend.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    names = sources.document_names()
    kinds = _relations()
    matched = align["line_a"].notna()
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.scatter(align.loc[matched, "line_b"], align.loc[matched, "line_a"].astype(float),
               c=align.loc[matched, "similarity"], cmap="Greys", vmin=0, vmax=1, edgecolor="black", s=40)
    ax.scatter(align.loc[~matched, "line_b"], [0] * int((~matched).sum()), marker="x",
               color=sns.color_palette("colorblind")[3],
               label=f"no line of the {kinds[source_a]} at similarity ≥ {min_similarity:g}")
    ax.legend(loc="upper left")
    return style.finish(ax, title=f"The {kinds[source_b]} follows the {kinds[source_a]} line by line",
                        xlabel=f"line in {names[source_b]}", ylabel=f"best-matching line in {names[source_a]}",
                        source=f"{names[source_a]} and {names[source_b]}; {_GRAMS['char']} TF-IDF cosine "
                               "similarity per line, scikit-learn")


def support_chart(corr):
    """Bars: facts by number of documents stating them, and by independent documents.

    Parameters
    ----------
    corr : pandas.DataFrame
        As :func:`helpers.analysis.facts.corroboration` returns.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    fig, ax = plt.subplots(figsize=(7, 3.6))
    independent, naive = corr.groupby("independent").size(), corr.groupby("documents").size()
    width = 0.4
    ax.bar(naive.index - width / 2, naive.values, width, color=sns.color_palette("colorblind")[7],
           label="documents stating the fact")
    ax.bar(independent.index + width / 2, independent.values, width,
           color=sns.color_palette("colorblind")[0], label="independent documents (copies count once)")
    ax.set_xticks(sorted(set(naive.index) | set(independent.index)))
    ax.legend()
    return style.finish(ax, title="Most facts rest on a single independent source",
                        xlabel="number of documents", ylabel="facts",
                        source=curated_source())


def _relations():
    """Seed file name -> its kind of text in words ("machine translation")."""
    docs = data.load("documents")
    return {d: r.replace("_", " ") for d, r in zip(docs["document_id"], docs["relation"])}


def similarity_finding(pairs):
    """The most similar pair of documents, the runner-up, and whether they render one original.

    Parameters
    ----------
    pairs : pandas.DataFrame
        As :func:`helpers.analysis.sources.similar_pairs` returns (most similar first).

    Returns
    -------
    IPython.display.Markdown
    """
    top, next_ = pairs.iloc[0], pairs.iloc[1]
    text = (f"The most similar pair is **{top.document_a}** and **{top.document_b}** (cosine "
            f"similarity {top.similarity:.2f}); the next pair scores {next_.similarity:.2f}.")
    if top.same_original:
        kinds, original = _relations(), sources.origins()[top.source_a]
        text += (f" The curated documents table records both as renderings of one original, by "
                 f"*{original.removeprefix('external:')}*: the first a {kinds[top.source_a]}, the "
                 f"second a {kinds[top.source_b]}.")
    else:
        text += " The curated documents table does not record them as renderings of one original."
    return say.markdown(text)


def alignment_finding(align, source_a, source_b, min_similarity):
    """How many lines of ``source_b`` match a line of ``source_a``, and in what order.

    Parameters
    ----------
    align : pandas.DataFrame
        As :func:`helpers.analysis.sources.line_alignment` returns.
    source_a, source_b : str
        The seed file names aligned.
    min_similarity : float
        The threshold of a match (0–1).

    Returns
    -------
    IPython.display.Markdown
    """
    s, names = sources.alignment_summary(align), sources.document_names()
    a, b = names[source_a], names[source_b]
    order = ("too few lines match to tell their order" if s["in_order"] != s["in_order"] else
             f"{say.percent(s['in_order'])} of consecutive matches move forward in {a}, i.e. the two "
             "texts keep the original's order")
    unmatched = (f"Lines of {b} without a match: {say.join(s['unmatched'])}." if s["unmatched"]
                 else f"Every line of {b} has a match.")
    return say.markdown(
        f"{s['matched']} of {s['lines']} non-empty lines of {b} match a line of {a} at similarity "
        f"≥ {min_similarity:g}; {order}. {unmatched}",
        f"The best match of a line scores {s['similarity_mean']:.3f} on average (cosine similarity, "
        f"0–1; lowest {s['similarity_min']:.3f}, highest {s['similarity_max']:.3f}).")


def corroboration_finding(corr):
    """How many facts rest on one independent source, how many are corroborated, which disputed.

    A fact is corroborated only when two or more independent documents state it and agree on
    its value; a disputed fact is named with every reading, not counted as corroborated.

    Parameters
    ----------
    corr : pandas.DataFrame
        As :func:`helpers.analysis.facts.corroboration` returns.

    Returns
    -------
    IPython.display.Markdown
    """
    single = int((corr["independent"] == 1).sum())
    copied_only = int(((corr["independent"] == 1) & (corr["documents"] >= 2)).sum())
    agreed = corr[corr["corroborated"]]
    strong = int((agreed["independent"] >= 3).sum())
    disputed, labels = corr[corr["disputed"]], facts.fact_labels()
    text = (f"Of {say.plural(len(corr), 'fact')}, **{single}** rest on one independent source; "
            f"{copied_only} of those look corroborated (stated by more than one document) only "
            f"because the documents stating them are copies of one article. **{len(agreed)}** "
            f"{'is' if len(agreed) == 1 else 'are'} corroborated: two or more independent "
            f"documents state {'it' if len(agreed) == 1 else 'them'} and agree on the value "
            f"({strong} of them by three or more).")
    if disputed.empty:
        return say.markdown(text)
    return say.markdown(
        text + f" {say.plural(len(disputed), 'fact')} {'is' if len(disputed) == 1 else 'are'} "
        "disputed, not corroborated, however many documents state them: the documents give "
        "different values.",
        bullets=[f"{labels[f].rstrip('.')}; {say.plural(r.independent, 'independent document')}: "
                 f"{r.readings}" for f, r in zip(disputed.index, disputed.itertuples())])


def disagreement_finding():
    """How many disagreeing pairs there are, with the summit's weekday as the example.

    Returns
    -------
    IPython.display.Markdown
    """
    dis, names = data.load("disagreements"), sources.document_names()
    weekday = dis[dis["kind"] == "weekday"]
    return say.markdown(
        f"{say.plural(len(dis), 'disagreeing pair')} across {say.plural(dis['fact_id'].nunique(), 'fact')}; "
        "both readings of every disagreement stay in the curated tables, none is silently dropped. "
        "The summit's weekday is one:",
        bullets=[f"{names[r.document_a]} says “{r.as_written_a}”, {names[r.document_b]} “{r.as_written_b}”"
                 for r in weekday.itertuples()])


def _cell(text, words):
    """A passage for a Markdown table cell: pipes escaped, the disputed words in bold."""
    text = str(text).replace("|", "\\|")
    bare = str(words).strip().strip("\"“”").rstrip(",")
    found = re.search(re.escape(bare), text, flags=re.IGNORECASE) if bare else None
    if found:
        text = f"{text[:found.start()]}**{found.group(0)}**{text[found.end():]}"
    return f"“{text}”"


def side_by_side(pairs=None):
    """Every disagreement for a reader: under each topic, both passages side by side (the
    words that differ in bold), a sentence on what differs and one on why it matters.

    Parameters
    ----------
    pairs : pandas.DataFrame, optional
        :func:`helpers.analysis.disputes.side_by_side` (default: computed).

    Returns
    -------
    IPython.display.Markdown
        One block per pair, grouped by topic, every pair of the table included.
    """
    pairs = disputes.side_by_side() if pairs is None else pairs
    blocks = []
    for topic, rows in disputes.by_topic(pairs):
        blocks.append(f"**{topic}**")
        for r in rows.itertuples():
            blocks.append(
                f"| {r.document_a}, line {r.line_a} | {r.document_b}, line {r.line_b} |\n"
                f"|---|---|\n| {_cell(r.passage_a, r.says_a)} | {_cell(r.passage_b, r.says_b)} |")
            blocks.append(f"*What differs:* {r.what_differs} *Why it matters:* {r.why_it_matters}")
    return say.markdown(*blocks)
