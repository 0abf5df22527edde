"""Unit tests for the generic curated-table helpers in helpers.analysis.sources, with expected values
read from the curated CSVs with plain ``csv`` (not the helpers under test)."""

import csv
import re

import pandas as pd
import pytest

from helpers import data
from helpers.analysis import sources
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
    used = {n for cell in sources.corroboration()["sources"] for n in cell.split(";")}
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
