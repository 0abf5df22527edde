"""The loader: validated DataFrames with schema dtypes, and one clear error for a bad file —
file, row, column, value and expectation — never a partial DataFrame."""

import csv
import io

import pandas as pd
import pytest

from helpers import data
from helpers.data import loader, paths
from helpers.errors import DataValidationError, UnknownValueError

TABLES = data.resource_names()


def rows_of(name):
    text = (paths.DATA / data.resource(name)["path"]).read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def write(tmp_path, name, rows):
    out = tmp_path / f"{name}.csv"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return out


def fields(name):
    return data.resource(name)["schema"]["fields"]


def first_field(name, test):
    for i, field in enumerate(fields(name)):
        if test(field):
            return i, field
    return None, None


def first_row_with(rows, i):
    """Index (in rows, header = 0) of the first data row whose column i is not empty."""
    return next((k for k in range(1, len(rows)) if rows[k][i] != ""), 1)


def expect_error(name, path, *, row, column, value=None, expected=None):
    with pytest.raises(DataValidationError) as info:
        data.load(name, path=path)
    err = info.value
    assert (err.row, err.column) == (row, column), str(err)
    assert str(path) in str(err) and f"row {row}" in str(err) and repr(column) in str(err)
    if value is not None:
        assert err.value == value, str(err)
    if expected is not None:
        assert expected in err.expected, str(err)
    return err


@pytest.mark.parametrize("name", TABLES)
def test_loads_valid_with_schema_dtypes(name):
    frame = data.load(name)
    assert list(frame.columns) == [f["name"] for f in fields(name)]
    assert len(frame) > 0
    for field in fields(name):
        dtype = frame[field["name"]].dtype
        if field["type"] in ("integer", "year"):
            assert str(dtype) == "Int64"
        elif field["type"] == "number":
            assert dtype == "float64"
    column = frame.columns[-1]
    original = frame[column].copy()
    frame[column] = None  # a copy: callers may modify it
    again = data.load(name)
    assert again is not frame
    pd.testing.assert_series_equal(again[column], original)


def test_frictionless_validates_the_data_package():
    """The independent check: Frictionless reads the same descriptor and every file."""
    from frictionless import Package

    report = Package(str(paths.DATAPACKAGE)).validate()
    problems = [f"{task.name}: {err.message}" for task in report.tasks for err in task.errors][:5]
    assert report.valid, problems


@pytest.mark.parametrize("name", TABLES)
def test_missing_column(name, tmp_path):
    rows = [r[:-1] for r in rows_of(name)]
    expect_error(name, write(tmp_path, name, rows), row=1, column=fields(name)[-1]["name"],
                 expected="header")


@pytest.mark.parametrize("name", TABLES)
def test_duplicate_key(name, tmp_path):
    rows = rows_of(name)
    rows.append(list(rows[1]))
    err = expect_error(name, write(tmp_path, name, rows), row=len(rows),
                       column=",".join(data.resource(name)["schema"]["primaryKey"])
                       if len(data.resource(name)["schema"]["primaryKey"]) > 1 or not any(
                           f.get("constraints", {}).get("unique") for f in fields(name))
                       else next(f["name"] for f in fields(name) if f.get("constraints", {}).get("unique")))
    assert "unique" in err.expected


def _country_field(name):
    schema = data.resource(name)["schema"]
    keyed = {fk["fields"][0] if isinstance(fk["fields"], list) else fk["fields"]
             for fk in schema.get("foreignKeys", []) if fk["reference"].get("resource") == "countries"}
    return lambda f: f["name"] in keyed or f.get(loader.COUNTRY_LIST)


#: a bad cell of each kind: which column gets it, the value, and what the error must expect
CELL_CORRUPTIONS = {
    "wrong type": (lambda name: lambda f: f["type"] in ("integer", "number", "year", "boolean"),
                   "12,5 t", None),
    "unknown country": (_country_field, "KZX", "countries"),
    "negative value": (lambda name: lambda f: f.get("constraints", {}).get("minimum", -1) >= 0
                       and f["type"] in ("integer", "number"), "-5", "at least"),
    "impossible date": (lambda name: lambda f: f.get(loader.PARTIAL_DATE) or f["type"] == "date",
                        "2025-02-30", "exists"),
}


@pytest.mark.parametrize("kind", CELL_CORRUPTIONS)
@pytest.mark.parametrize("name", TABLES)
def test_corrupted_cell(name, kind, tmp_path):
    choose, bad, expected = CELL_CORRUPTIONS[kind]
    i, field = first_field(name, choose(name))
    if field is None:
        pytest.skip(f"{name} has no column where a {kind} can occur")
    rows = rows_of(name)
    k = first_row_with(rows, i)
    rows[k][i] = bad
    expect_error(name, write(tmp_path, name, rows), row=k + 1, column=field["name"], value=bad,
                 expected=expected)


@pytest.mark.parametrize("name", TABLES)
def test_stray_bytes(name, tmp_path):
    body = (paths.DATA / data.resource(name)["path"]).read_bytes()
    lines = body.split(b"\n")
    lines[2] = lines[2][:3] + b"\xff\xfe" + lines[2][3:]
    path = tmp_path / f"{name}.csv"
    path.write_bytes(b"\n".join(lines))
    expect_error(name, path, row=3, column="(file)", expected="UTF-8")


def test_unknown_table_suggests_the_nearest():
    with pytest.raises(UnknownValueError, match="Did you mean 'claims'"):
        data.load("clams")


def test_missing_required_value_is_named(tmp_path):
    rows = rows_of("claims")
    col = rows[0].index("source")
    rows[4][col] = ""
    expect_error("claims", write(tmp_path, "claims", rows), row=5, column="source", expected="required")


@pytest.mark.parametrize("name", ["claims", "deals", "events"])
def test_asserter_columns_are_required_and_kinds_are_an_enum(name, tmp_path):
    rows = rows_of(name)
    assert rows[0][-2:] == ["asserted_by", "asserter_kind"]
    bad = [list(r) for r in rows]
    bad[3][-1] = "pundit"
    expect_error(name, write(tmp_path, name, bad), row=4, column="asserter_kind", value="pundit")
    empty = [list(r) for r in rows]
    empty[2][-2] = ""
    expect_error(name, write(tmp_path, name, empty), row=3, column="asserted_by", expected="required")


@pytest.mark.parametrize("name", ["trade", "wdi"])
def test_derived_rows_carry_raw_file_and_lines(name, tmp_path):
    rows = rows_of(name)
    assert rows[0][-2:] == ["raw_file", "raw_lines"]
    bad = [list(r) for r in rows]
    bad[2][-1] = "12-"
    expect_error(name, write(tmp_path, name, bad), row=3, column="raw_lines", value="12-")


def test_curated_credits_name_the_outlets_in_words():
    for name in ("documents", "events", "deals", "claims", "statements", "disagreements"):
        credit = data.citation(name)
        assert "News reports (" in credit and "Al Jazeera" in credit and "VOV World" in credit
        assert credit.endswith(f"compiled in this collection's table of {name}")
        assert "seeds/" not in credit and ".csv" not in credit and "data/" not in credit
    assert data.citation("trade") == data.resource("trade")["c5:credit"]
