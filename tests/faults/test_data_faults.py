"""Bad data: a spreadsheet's UTF-8 byte-order mark is read; another encoding, a corrupted or
truncated file, a number no float holds each fail with a message naming the file, the row and
what was expected, never a raw pandas error; in a build, only the runs that read the file fail,
their last good report stays published, and fixing the file recovers (docs/reliability.md,
"Bad data")."""

import csv
import io
import json

import pytest

from .faultlib import c5, config, make_project, snapshot
from helpers import data
from helpers.data import paths
from helpers.errors import DataValidationError

GOOD = (paths.DATA / data.resource("countries")["path"]).read_bytes()
CLAIMS = (paths.DATA / data.resource("claims")["path"]).read_text(encoding="utf-8")


def with_cell(text, column, value):
    rows = list(csv.reader(io.StringIO(text)))
    i = rows[0].index(column)
    k = next(k for k in range(1, len(rows)) if rows[k][i])
    rows[k][i] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue(), k + 1


#: name -> (bytes of a countries table, fragments the message must hold; None: it loads)
FAULTS = {
    "bom": (b"\xef\xbb\xbf" + GOOD, None),
    "windows1252": (GOOD.decode().replace("Kazakhstan", "Kaz\u00e4khstan", 1).encode("cp1252"),
                    ["row 2, column '(file)'", "expected UTF-8 text", "save it as UTF-8"]),
    "utf16": (GOOD.decode().encode("utf-16"), ["UTF-16 byte-order mark", "save it as UTF-8"]),
    "huge": (with_cell(GOOD.decode(), "m49", "9" * 30)[0].encode(),
             ["column 'm49'", "got '999999"]),
    "truncated": (GOOD[: len(GOOD) // 2 - 3], ["expected"]),
    "corrupted": (GOOD + b'"KAZ,unclosed quote\n', ["column '(file)'", "expected a CSV table"]),
    "empty": (b"", ["column '(file)'", "expected a CSV table"]),
}


@pytest.mark.parametrize("name", FAULTS)
def test_each_fault_is_named_or_read(tmp_path, name):
    body, fragments = FAULTS[name]
    path = tmp_path / f"{name}.csv"
    path.write_bytes(body)
    if fragments is None:
        assert data.load("countries", path=path).equals(data.load("countries"))
        return
    with pytest.raises(DataValidationError) as info:
        data.load("countries", path=path)
    message = str(info.value)
    assert message.startswith(str(path)), message
    for fragment in fragments:
        assert fragment in message, message


def test_a_number_no_float_holds_is_out_of_range(tmp_path):
    text, row = with_cell(CLAIMS, "value", "1e309")
    path = tmp_path / "claims.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError, match=rf"row {row}, column 'value': got '1e309', "
                                                  r"expected a number .*out of range"):
        data.load("claims", path=path)


LOADS = {
    "cells": [
        {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "execution_count": None,
         "outputs": [], "source": 'table = "good"'},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "import pathlib\nfrom helpers.data import loader\n"
                   "frame = loader.load('countries', path=pathlib.Path('../data', table + "
                   "'.csv').resolve())\nprint(len(frame), 'countries')"},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


@pytest.mark.notebooks
def test_in_a_build_only_the_runs_that_read_a_bad_file_fail(tmp_path):
    project = make_project(tmp_path)
    (project / "notebooks" / "loads.ipynb").write_text(json.dumps(LOADS))
    names = ["bom", "windows1252"]  # every fault is named above; a BOM and one failure in a build
    for name in names:
        (project / "data" / f"{name}.csv").write_bytes(GOOD)
    matrix = config(project, '[[report]]\nnotebook = "hello.ipynb"\n\n[[report]]\n'
                             'notebook = "loads.ipynb"\n'
                             f'matrix = {{ table = {json.dumps(names)} }}\n')
    first = c5("reports", "--config", matrix, "--jobs", "1")
    assert first.returncode == 0, first.stderr
    good = snapshot(project / "reports")[1]

    for name in names:
        (project / "data" / f"{name}.csv").write_bytes(FAULTS[name][0])
    second = c5("reports", "--config", matrix, "--jobs", "1")
    assert second.returncode == 1, second.stderr
    manifest = json.loads((project / "reports" / "current" / "manifest.json").read_text())
    status = {e["slug"]: e["status"] for e in manifest["runs"]}
    assert status.pop("hello") == "skipped-reused", "a run that read no bad file is reused"
    assert status.pop("loads--table=bom") == "ok", "a UTF-8 byte-order mark is read"
    assert set(status.values()) == {"stale"}, status
    now = snapshot(project / "reports")[1]
    for slug in status:  # the last good report stays published, byte for byte
        assert now[f"{slug}.html"] == good[f"{slug}.html"]
        assert f"{slug}: DataValidationError: {project / 'data' / slug.split('=')[1]}.csv" \
            in second.stdout, second.stdout
    assert "Traceback" not in second.stdout + second.stderr
    assert not list((project / "reports").glob(".staging-*"))

    for name in names:  # fixing the files recovers
        (project / "data" / f"{name}.csv").write_bytes(GOOD)
    third = c5("reports", "--config", matrix, "--jobs", "1")
    assert third.returncode == 0, third.stdout + third.stderr
