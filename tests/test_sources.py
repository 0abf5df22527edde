"""Unit tests for the generic curated-table helpers in helpers.analysis.sources, with expected values
read from the curated CSVs with plain ``csv`` (not the helpers under test)."""

import csv
import re

import pandas as pd
import pytest

from helpers import data
from helpers.analysis import facts, sources
from helpers.data import paths
from helpers.errors import ParameterError, UnknownValueError

CLAIMS = paths.CURATED / "claims.csv"
DEALS = paths.CURATED / "deals.csv"


def _rows(path, **match):
    with open(path, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if all(r[k] == v for k, v in match.items())]


def _facts_with_one_value(path):
    """fact_id -> the one value (x multiplier) its valued rows state, for facts that state one."""
    values = {}
    for r in _rows(path):
        if r["value"]:
            values.setdefault(r["fact_id"], set()).add(float(r["value"]) * float(r["multiplier"]))
    return {f: v.pop() for f, v in values.items() if len(v) == 1}


# --- seed_number --------------------------------------------------------------------------

def test_seed_number_of_every_seed_file():
    for name in sources.documents():
        number = sources.seed_number(name)
        assert name.startswith(number + "_") and number.isdigit()
        assert sources.seed_number(f"seeds/{name}") == number


@pytest.mark.parametrize("bad", ["", "notes.txt", "_003.txt", "abc_003.txt"])
def test_seed_number_refuses_other_names(bad):
    with pytest.raises(ValueError, match="seed file name"):
        sources.seed_number(bad)


def test_similarity_and_corroboration_use_seed_numbers():
    numbers = [name.split("_", 1)[0] for name in sources.documents()]
    assert list(sources.similarity("char").index) == numbers
    used = {n for cell in facts.corroboration()["sources"] for n in cell.split(";")}
    assert used <= set(numbers)


# --- seed_refs ----------------------------------------------------------------------------

@pytest.mark.parametrize("fact_id", sorted({r["fact_id"] for r in _rows(CLAIMS)})[:12])
def test_seed_refs_lists_each_locator_once(fact_id):
    rows = _rows(CLAIMS, fact_id=fact_id)
    pairs = sorted({(r["source"].split("_", 1)[0], int(r["source_line"])) for r in rows})
    expected = "; ".join(f"seed {s} line {n}" for s, n in pairs)
    claims = data.load("claims")
    frame = claims[claims["fact_id"] == fact_id]
    assert sources.seed_refs(frame) == expected
    assert sources.seed_refs(pd.concat([frame, frame])) == expected, "duplicates count once"


def test_seed_refs_of_no_rows_is_empty():
    assert sources.seed_refs(data.load("claims").iloc[0:0]) == ""


def test_seed_refs_sorts_by_seed_then_line():
    claims = data.load("claims")
    refs = sources.seed_refs(claims).split("; ")
    keys = [tuple(map(int, re.fullmatch(r"seed (\d+) line (\d+)", r).groups())) for r in refs]
    assert keys == sorted(set(keys))


# --- stated_value -------------------------------------------------------------------------

@pytest.mark.parametrize("path,table", [(CLAIMS, "claims"), (DEALS, "deals")])
def test_stated_value_agrees_with_the_csv(path, table):
    expected = _facts_with_one_value(path)
    assert expected
    for fact_id, value in expected.items():
        got, rows = sources.stated_value(fact_id, table)
        assert got == pytest.approx(value)
        assert sorted(rows[rows.columns[0]]) == sorted(r[rows.columns[0]] for r in _rows(path, fact_id=fact_id))


def test_stated_value_refuses_conflicting_or_missing_values():
    with pytest.raises(ValueError, match="no claims row"):
        sources.stated_value("no_such_fact")
    valued = {}
    for r in _rows(DEALS):
        valued.setdefault(r["fact_id"], set()).add(r["value"])
    conflicting = [f for f, v in valued.items() if len(v - {""}) > 1]
    no_value = [f for f, v in valued.items() if v == {""}]
    for fact_id in conflicting:
        with pytest.raises(ValueError, match="expected one value"):
            sources.stated_value(fact_id, "deals")
    for fact_id in no_value:
        with pytest.raises(ValueError, match="states a value"):
            sources.stated_value(fact_id, "deals")
    assert no_value, "the deals table has facts without a value"


def test_stated_value_checks_the_currency():
    rows = [r for r in _rows(DEALS) if r["value"] and r["currency"]]
    by_fact = {}
    for r in rows:
        by_fact.setdefault(r["fact_id"], set()).add(r["currency"])
    usd = [f for f, c in by_fact.items() if c == {"USD"} and f in _facts_with_one_value(DEALS)]
    assert usd
    for fact_id in usd:
        assert sources.stated_value(fact_id, "deals", currency="USD")[0] == _facts_with_one_value(DEALS)[fact_id]
        with pytest.raises(ValueError, match="not EUR"):
            sources.stated_value(fact_id, "deals", currency="EUR")
    with pytest.raises(ParameterError, match="currency"):
        sources.stated_value(next(iter(_facts_with_one_value(CLAIMS))), "claims", currency="USD")


def test_stated_value_only_for_valued_tables():
    with pytest.raises(UnknownValueError):
        sources.stated_value("c5p1_washington_summit_2025", "events")


# --- documents and facts named for a reader -------------------------------------------------

DOCUMENTS = paths.CURATED / "documents.csv"
FACT_TABLES = {"events": "event_id", "deals": "deal_id", "claims": "claim_id", "statements": "statement_id"}


def _documents():
    return sorted(_rows(DOCUMENTS), key=lambda r: r["document_id"])


def _names():
    """The naming rule, restated over the csv rows."""
    names = {}
    for r in _documents():
        kind = r["relation"].replace("_", " ")
        if r["original_of"]:
            names[r["document_id"]] = f"{r['original_of'].split(':', 1)[-1]} ({kind})"
        elif r["outlet"] != "not stated":
            names[r["document_id"]] = r["outlet"]
        elif r["cites"]:
            names[r["document_id"]] = f"{r['language_original']}-language {kind} citing {r['cites']}"
        elif r["author"] != "not stated":
            names[r["document_id"]] = f"{r['author']} ({kind})"
        else:
            names[r["document_id"]] = f"Unsigned {kind}"
    return names


def _origin(r):
    return r["original_of"] or r["document_id"]


def test_document_names_follow_the_documents_table():
    names = sources.document_names()
    assert names == _names()


def test_a_document_without_outlet_is_named_by_the_source_it_cites_not_its_byline():
    names = sources.document_names()
    assert names["001_80d9d01c5d28607e.txt"] == "Russian-language report citing Azattyk Asia"
    assert not any(any("\u0400" <= ch <= "\u04ff" for ch in name) for name in names.values())
    for r in _documents():
        if r["cites"]:
            line = (paths.SEEDS / r["source"]).read_text(encoding="utf-8").splitlines()[int(r["cites_line"]) - 1]
            assert r["cites_quote"] in line and r["cites"] in r["cites_quote"], r["document_id"]
    assert list(names) == sources.documents(), "one name per seed file, in seed order"
    assert len(set(names.values())) == len(names), "names tell the documents apart"
    for r in _documents():
        if r["outlet"] != "not stated" and not r["original_of"]:
            assert names[r["document_id"]] == r["outlet"]


def test_documents_overview_has_one_row_per_document():
    table = sources.documents_overview()
    rows = _documents()
    assert list(table["document"]) == [_names()[r["document_id"]] for r in rows]
    assert list(table["seed"]) == [r["document_id"].split("_", 1)[0] for r in rows]
    for column in ("outlet", "author", "language_original", "language_text", "relation"):
        assert list(table[column]) == [r[column] for r in rows]
    copies = [r["original_of"].split(":", 1)[-1] if r["original_of"] else None for r in rows]
    assert [c if isinstance(c, str) else None for c in table["copy_of"]] == copies


def test_contributions_count_the_rows_of_each_table():
    table = sources.contributions()
    names = _names()
    assert list(table.index) == [names[d] for d in sorted(names)]
    assert list(table.columns) == [*FACT_TABLES, "total"]
    for doc, name in names.items():
        for t in FACT_TABLES:
            assert table.loc[name, t] == len(_rows(paths.CURATED / f"{t}.csv", source=doc))
    assert (table["total"] == table[list(FACT_TABLES)].sum(axis=1)).all()
    assert table["total"].sum() == sum(len(_rows(paths.CURATED / f"{t}.csv")) for t in FACT_TABLES)


@pytest.mark.parametrize("kind", ["char", "word"])
def test_similar_pairs_list_each_pair_once_most_similar_first(kind):
    sim = sources.similarity(kind)
    pairs = sources.similar_pairs(sim)
    n = len(sim)
    assert len(pairs) == n * (n - 1) // 2
    assert pairs["similarity"].is_monotonic_decreasing
    origin = {r["document_id"]: _origin(r) for r in _documents()}
    names = _names()
    for row in pairs.itertuples():
        a, b = row.source_a.split("_", 1)[0], row.source_b.split("_", 1)[0]
        assert a < b and row.similarity == sim.loc[a, b] == sim.loc[b, a]
        assert (row.document_a, row.document_b) == (names[row.source_a], names[row.source_b])
        assert row.same_original == (origin[row.source_a] == origin[row.source_b])
    off_diagonal = sim.where(~pd.DataFrame([[i == j for j in range(n)] for i in range(n)],
                                           index=sim.index, columns=sim.columns))
    assert pairs["similarity"].iloc[0] == off_diagonal.max().max()


def test_the_most_similar_pair_renders_one_original():
    pairs = sources.similar_pairs(sources.similarity("char"))
    top = pairs.iloc[0]
    copies = {r["document_id"] for r in _documents() if r["original_of"]}
    assert {top.source_a, top.source_b} == copies and top.same_original


def test_alignment_summary_agrees_with_the_alignment():
    docs = sources.documents()
    align = sources.line_alignment(docs[3], docs[4], min_similarity=0.3)
    s = sources.alignment_summary(align)
    matched = align[align["line_a"].notna()]
    assert s["lines"] == len(align) == sum(1 for t in sources.lines(docs[4]) if t.strip())
    assert s["matched"] == len(matched) == len(align) - len(s["unmatched"])
    steps = [b - a for a, b in zip(matched["line_a"], matched["line_a"][1:])]
    assert s["in_order"] == pytest.approx(sum(d > 0 for d in steps) / len(steps))
    assert s["unmatched"] == list(align.loc[align["line_a"].isna(), "line_b"])
    assert s["similarity_min"] == align["similarity"].min()
    assert s["similarity_max"] == align["similarity"].max()
    assert s["similarity_mean"] == round(align["similarity"].mean(), 3)


def test_alignment_summary_without_matches():
    docs = sources.documents()
    s = sources.alignment_summary(sources.line_alignment(docs[0], docs[1], min_similarity=1.0))
    assert s["matched"] == 0 and s["in_order"] != s["in_order"], "no order without matches"
    assert len(s["unmatched"]) == s["lines"]


def test_support_counts_add_up_to_the_facts():
    corr = facts.corroboration()
    support = facts.support_counts(corr)
    assert support["facts"].sum() == len(corr)
    assert list(support.columns) == ["independent", "documents", "facts", "agreed", "disputed"]
    assert (support["independent"] <= support["documents"]).all()
    fact_ids = {r["fact_id"] for t in FACT_TABLES for r in _rows(paths.CURATED / f"{t}.csv")}
    assert len(corr) == len(fact_ids)
    assert support["agreed"].sum() == corr["corroborated"].sum()
    assert support["disputed"].sum() == corr["disputed"].sum()
    assert (support.loc[support["independent"] < 2, "agreed"] == 0).all()


def test_fact_labels_come_from_the_first_row_in_table_order():
    labels = facts.fact_labels()
    fact_ids = {r["fact_id"] for t in FACT_TABLES for r in _rows(paths.CURATED / f"{t}.csv")}
    assert set(labels) == fact_ids
    events = sorted(_rows(paths.CURATED / "events.csv"), key=lambda r: r["event_id"])
    first_title = {}
    for r in events:
        first_title.setdefault(r["fact_id"], r["title"])
    for fact, title in first_title.items():
        assert labels[fact] == title
    claims_only = {r["fact_id"] for r in _rows(CLAIMS)} - {
        r["fact_id"] for t in ("events", "statements") for r in _rows(paths.CURATED / f"{t}.csv")}
    assert claims_only
    for fact in claims_only:
        first = sorted(_rows(CLAIMS, fact_id=fact), key=lambda r: r["claim_id"])[0]
        assert labels[fact] == first["subject"]
    assert all(label and "_" not in label.split(":")[0] for label in labels.values())


def test_describe_facts_names_the_documents():
    corr = facts.corroboration()
    chosen = corr[corr["independent"] >= 2]
    table = facts.describe_facts(chosen)
    by_number = {d.split("_", 1)[0]: n for d, n in _names().items()}
    labels = facts.fact_labels()
    assert list(table["fact"]) == [labels[f] for f in chosen.index]
    assert list(table["documents"]) == list(chosen["documents"])
    assert list(table["independent"]) == list(chosen["independent"])
    for stated_by, numbers, count in zip(table["stated_by"], chosen["sources"], chosen["documents"]):
        assert stated_by.split("; ") == [by_number[n] for n in numbers.split(";")]
        assert len(stated_by.split("; ")) == count


def test_disagreement_pairs_keep_both_readings_verbatim():
    rows = _rows(paths.CURATED / "disagreements.csv")
    table = sources.disagreement_pairs()
    names = _names()
    assert len(table) == len(rows)
    for row, r in zip(table.itertuples(), rows):
        assert (row.topic, row.kind, row.says_a, row.says_b) == (
            r["topic"], r["kind"], r["as_written_a"], r["as_written_b"])
        assert (row.document_a, row.document_b) == (names[r["document_a"]], names[r["document_b"]])
        assert (row.line_a, row.line_b) == (int(r["line_a"]), int(r["line_b"]))


def test_disagreement_kinds_count_the_pairs():
    rows = _rows(paths.CURATED / "disagreements.csv")
    table = sources.disagreement_kinds()
    counts = {}
    for r in rows:
        counts[r["kind"]] = counts.get(r["kind"], 0) + 1
    assert dict(zip(table["kind"], table["pairs"])) == counts
    assert list(zip(table["pairs"], table["kind"])) == sorted(zip(table["pairs"], table["kind"]),
                                                               key=lambda p: (-p[0], p[1]))


# --- corroboration: independent documents that agree; disputed facts apart -------------------

VALUE_KINDS = ("count", "weekday", "value")  # disagreements about the value, not its wording


def _expected_corroboration():
    """fact_id -> (independent origins, disputed), restated from the csv files."""
    origin = {r["document_id"]: _origin(r) for r in _documents()}
    stated = {}
    for t in FACT_TABLES:
        for r in _rows(paths.CURATED / f"{t}.csv"):
            stated.setdefault(r["fact_id"], set()).add(origin[r["source"]])
    disputed = {r["fact_id"] for r in _rows(paths.CURATED / "disagreements.csv")
                if r["kind"] in VALUE_KINDS and origin[r["document_a"]] != origin[r["document_b"]]}
    return {f: (len(o), f in disputed) for f, o in stated.items()}


def test_copies_of_one_article_that_read_differently_are_no_dispute():
    """A value that two copies of one article give differently (translation vs rewording) is
    one source copied unevenly: on the disagreements page, not a disputed fact."""
    origin = {r["document_id"]: _origin(r) for r in _documents()}
    rows = _rows(paths.CURATED / "disagreements.csv")
    between = {r["fact_id"] for r in rows if r["kind"] in VALUE_KINDS
               and origin[r["document_a"]] != origin[r["document_b"]]}
    copies_only = {r["fact_id"] for r in rows if r["kind"] in VALUE_KINDS} - between
    assert copies_only, "the data hold a value the copies give differently"
    corr = facts.corroboration()
    for fact_id in copies_only:
        assert not corr.loc[fact_id, "disputed"] and corr.loc[fact_id, "readings"] == ""


def test_disputed_facts_are_not_corroborated():
    corr = facts.corroboration()
    expected = _expected_corroboration()
    assert any(n >= 2 and d for n, d in expected.values()), "the data hold a disputed fact"
    for fact_id, (independent, disputed) in expected.items():
        row = corr.loc[fact_id]
        assert row["independent"] == independent
        assert bool(row["disputed"]) is disputed
        assert bool(row["corroborated"]) is (independent >= 2 and not disputed)


def test_a_disagreement_in_wording_only_leaves_a_fact_corroborated():
    rows = _rows(paths.CURATED / "disagreements.csv")
    wording_only = {r["fact_id"] for r in rows} - {r["fact_id"] for r in rows
                                                   if r["kind"] in VALUE_KINDS}
    corr = facts.corroboration()
    assert wording_only
    for fact_id in wording_only:
        assert not corr.loc[fact_id, "disputed"] and corr.loc[fact_id, "readings"] == ""
        assert corr.loc[fact_id, "corroborated"] == (corr.loc[fact_id, "independent"] >= 2)


def test_disputed_facts_show_every_reading_with_its_documents_named():
    corr, names = facts.corroboration(), sources.document_names()
    origin = {r["document_id"]: _origin(r) for r in _documents()}
    for r in _rows(paths.CURATED / "disagreements.csv"):
        if r["kind"] in VALUE_KINDS and origin[r["document_a"]] != origin[r["document_b"]]:
            said = corr.loc[r["fact_id"], "readings"]
            for written, doc in ((r["as_written_a"], r["document_a"]),
                                 (r["as_written_b"], r["document_b"])):
                reading = said.split(f"“{written}” in ")[1].split(" vs ")[0]
                assert names[doc] in reading, (written, reading)
                assert "seed" not in reading


def test_corroboration_takes_the_disagreements_it_is_given():
    none = pd.DataFrame(columns=list(_rows(paths.CURATED / "disagreements.csv")[0]))
    corr = facts.corroboration(none)
    assert not corr["disputed"].any()
    assert (corr["corroborated"] == (corr["independent"] >= 2)).all()
