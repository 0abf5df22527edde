"""Unit tests for helpers.nb.views.sources: the charts and sentences of notebook 00 state what
the curated CSV files hold (expected values read with the csv module, or from the analysis)."""


import pytest
from conftest import csv_rows, figure_text
from conftest import markdown_text as text

from helpers.analysis import facts, sources
from helpers.nb.views import sources as view

DOCUMENTS = sorted(csv_rows("curated/documents.csv"), key=lambda r: r["document_id"])
DISAGREEMENTS = csv_rows("curated/disagreements.csv")
FACT_TABLES = ("events", "deals", "claims", "statements")


pytestmark = pytest.mark.usefixtures("agg_figures")




def name(document_id):
    return sources.document_names()[document_id]


def copies():
    """The seed files that render an outside original, in seed order."""
    return [r["document_id"] for r in DOCUMENTS if r["original_of"]]


# --- source lines ---------------------------------------------------------------------------

def test_similarity_source_names_the_measure_and_the_documents():
    for kind, grams in (("char", "character 3–5-gram"), ("word", "word 1–2-gram")):
        line = view.similarity_source(kind)
        assert line.startswith(f"the {len(DOCUMENTS)} news documents")
        assert grams in line and "scikit-learn" in line
    with pytest.raises(ValueError, match="similarity kind"):
        view.similarity_source("sentence")


def test_curated_source_credits_the_outlets_once_and_names_each_table():
    line = view.curated_source()
    assert line.startswith("News reports (") and line.count("News reports") == 1
    assert line.endswith("compiled in this collection's tables of events, deals, claims and statements")
    assert "VOV World" in line and ".csv" not in line and "seeds/" not in line
    assert view.curated_source("disagreements").endswith("table of disagreements")
    with pytest.raises(ValueError, match="curated"):
        view.curated_source("events", "trade")


# --- charts ---------------------------------------------------------------------------------

def test_contributions_chart_stacks_the_four_tables_per_document():
    counts = sources.contributions()
    fig = view.contributions_chart(counts)
    ax = fig.axes[0]
    assert ax.get_title() == "Statements curated from each document"
    assert "rows" in ax.get_xlabel()
    assert [t.get_text() for t in ax.get_yticklabels()] == [name(r["document_id"]) for r in DOCUMENTS]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(FACT_TABLES)
    widths = [p.get_width() for p in ax.patches]
    assert sum(widths) == sum(len(csv_rows(f"curated/{t}.csv")) for t in FACT_TABLES)
    assert figure_text(fig) == f"Source: {view.curated_source()}"


def test_similarity_heatmap_names_the_documents():
    sim = sources.similarity("char")
    fig = view.similarity_heatmap(sim, "char")
    ax = fig.axes[0]
    names = [name(r["document_id"]) for r in DOCUMENTS]
    assert [t.get_text() for t in ax.get_xticklabels()] == names
    assert [t.get_text() for t in ax.get_yticklabels()] == names
    annotations = [t.get_text() for t in ax.texts]
    assert annotations == [f"{v:.2f}" for v in sim.to_numpy().ravel()]
    assert "character 3–5-gram" in ax.get_title()
    assert figure_text(fig) == f"Source: {view.similarity_source('char')}"


def test_alignment_chart_marks_the_unmatched_lines():
    a, b = copies()
    align = sources.line_alignment(a, b, min_similarity=0.3)
    fig = view.alignment_chart(align, a, b, 0.3)
    ax = fig.axes[0]
    matched, unmatched = ax.collections
    assert len(matched.get_offsets()) == int(align["line_a"].notna().sum())
    assert len(unmatched.get_offsets()) == int(align["line_a"].isna().sum())
    kinds = {r["document_id"]: r["relation"].replace("_", " ") for r in DOCUMENTS}
    assert ax.get_title() == f"The {kinds[b]} follows the {kinds[a]} line by line"
    assert name(b) in ax.get_xlabel() and name(a) in ax.get_ylabel()
    assert "≥ 0.3" in ax.get_legend().get_texts()[0].get_text()
    assert f"Source: {name(a)} and {name(b)}" in figure_text(fig)


def test_support_chart_counts_every_fact_twice():
    corr = facts.corroboration()
    fig = view.support_chart(corr)
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    assert sum(heights) == 2 * len(corr), "each fact once by documents, once by independent ones"
    assert ax.get_title() == "Most facts rest on a single independent source"
    assert ax.get_ylabel() == "facts" and ax.get_xlabel() == "number of documents"
    assert figure_text(fig) == f"Source: {view.curated_source()}"


# --- findings -------------------------------------------------------------------------------

def test_similarity_finding_names_the_pair_and_their_original():
    pairs = sources.similar_pairs(sources.similarity("char"))
    said = text(view.similarity_finding(pairs))
    a, b = copies()
    original = next(r["original_of"] for r in DOCUMENTS if r["document_id"] == a).split(":", 1)[-1]
    assert f"**{name(a)}** and **{name(b)}**" in said
    assert f"(cosine similarity {pairs['similarity'][0]:.2f})" in said
    assert f"the next pair scores {pairs['similarity'][1]:.2f}" in said
    assert f"*{original}*" in said and "000" not in said


def test_similarity_finding_when_the_top_pair_is_not_a_copy():
    pairs = sources.similar_pairs(sources.similarity("char"))
    others = pairs[~pairs["same_original"]].reset_index(drop=True)
    said = text(view.similarity_finding(others))
    assert "does not record them as renderings of one original" in said


def test_alignment_finding_states_the_counts_and_the_order():
    a, b = copies()
    align = sources.line_alignment(a, b, min_similarity=0.25)
    summary = sources.alignment_summary(align)
    said = text(view.alignment_finding(align, a, b, 0.25))
    assert f"{summary['matched']} of {summary['lines']} non-empty lines of {name(b)}" in said
    assert "similarity ≥ 0.25" in said
    assert f"{round(100 * summary['in_order'])}% of consecutive matches" in said
    assert f"{summary['unmatched'][-1]}." in said
    for key in ("similarity_mean", "similarity_min", "similarity_max"):
        assert f"{summary[key]:.3f}" in said


def test_alignment_finding_without_matches():
    a, b = copies()
    said = text(view.alignment_finding(sources.line_alignment(a, b, min_similarity=1.0), a, b, 1.0))
    assert said.startswith("0 of ") and "too few lines match" in said


def test_corroboration_finding_counts_single_source_facts():
    corr = facts.corroboration()
    said = text(view.corroboration_finding(corr))
    single = corr[corr["independent"] == 1]
    assert f"Of {len(corr)} facts, **{len(single)}** rest on one independent source" in said
    assert f"{int((single['documents'] >= 2).sum())} of those look corroborated" in said


def test_corroboration_finding_sets_disputed_facts_apart_with_their_readings():
    corr = facts.corroboration()
    said = text(view.corroboration_finding(corr))
    value_kinds, origin = ("count", "weekday", "value"), sources.origins()
    value_rows = [r for r in DISAGREEMENTS if r["kind"] in value_kinds
                  and origin[r["document_a"]] != origin[r["document_b"]]]  # copies: no dispute
    disputed = {r["fact_id"] for r in value_rows}
    agreed = corr[(corr["independent"] >= 2) & ~corr.index.isin(list(disputed))]
    assert f"**{len(agreed)}** are corroborated" in said
    assert f"({int((agreed['independent'] >= 3).sum())} of them by three or more)" in said
    assert (f"{len(disputed)} facts are disputed, not corroborated" in said if len(disputed) > 1
            else "1 fact is disputed, not corroborated" in said)
    bullets = [line for line in said.splitlines() if line.startswith("- ")]
    assert len(bullets) == len(disputed)
    assert not [b for b in bullets if ". (" in b or ") (" in b], "no bracket after a full stop or a bracket"
    for r in value_rows:
        assert f"“{r['as_written_a']}”" in said and f"“{r['as_written_b']}”" in said


def test_disagreement_finding_lists_the_weekday_readings():
    said = text(view.disagreement_finding())
    facts = {r["fact_id"] for r in DISAGREEMENTS}
    assert said.startswith(f"{len(DISAGREEMENTS)} disagreeing pairs across {len(facts)} facts")
    weekday = [r for r in DISAGREEMENTS if r["kind"] == "weekday"]
    bullets = [line for line in said.splitlines() if line.startswith("- ")]
    assert len(bullets) == len(weekday)
    for bullet, r in zip(bullets, weekday):
        assert bullet == (f"- {name(r['document_a'])} says “{r['as_written_a']}”, "
                          f"{name(r['document_b'])} “{r['as_written_b']}”")


def test_charts_keep_their_colours():
    import seaborn as sns
    from matplotlib.colors import to_rgb

    palette = sns.color_palette("colorblind")
    ax = view.contributions_chart(sources.contributions()).axes[0]
    n = len(DOCUMENTS)
    bar_colours = [to_rgb(p.get_facecolor()) for p in ax.patches][::n]
    assert bar_colours == [pytest.approx(c) for c in palette[:len(FACT_TABLES)]]
    ax = view.support_chart(facts.corroboration()).axes[0]
    colours = {to_rgb(p.get_facecolor()) for p in ax.patches}
    assert colours == {tuple(palette[7]), tuple(palette[0])}
