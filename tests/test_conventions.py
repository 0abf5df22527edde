"""Convention tests over the tree: the standard opening of every notebook, thin notebooks,
no network reads, and a data package that describes every data file (see ../STYLE.md)."""

import ast
import json
import re
import subprocess
import sys

import nbformat
import pytest
from conftest import notebook_files

from helpers import data
from helpers.data import paths

NOTEBOOKS = notebook_files()
ids = [p.name for p in NOTEBOOKS]


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_sortable_theme_name(path):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_standard_opening(path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), "title first"
    overview = first.source + (nb.cells[1].source if nb.cells[1].cell_type == "markdown" else "")
    for word in ("Overview", "Question", "Data", "Outputs"):
        assert word in overview, f"the overview names its {word}"
    code = code_cells(nb)
    imports, parameters, check = code[0], code[1], code[2]
    tree = ast.parse(imports.source)
    assert any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in tree.body), "imports cell first"
    assert "parameters" in parameters.metadata.get("tags", []), "second code cell is `parameters`"
    for node in ast.parse(parameters.source).body:
        assert isinstance(node, ast.Assign), f"only assignments in parameters: {ast.unparse(node)}"
        ast.literal_eval(node.value)  # literal values only
    assert "params.validate(" in check.source, "the cell after parameters validates them against their declaration"
    later_imports = [c.source for c in code[1:]
                     if any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.parse(c.source).body)]
    assert not later_imports, f"imports belong in the one imports cell: {later_imports}"
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids)
def test_committed_with_outputs_of_a_clean_run(path):
    nb = nbformat.read(path, as_version=4)
    code = code_cells(nb)
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), f"run top to bottom once: {counts}"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors
    streams = [o.text for c in code for o in c.outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not streams, f"warnings or stderr in committed outputs: {streams}"
    text = json.dumps(nb)
    assert str(paths.ROOT) not in text, "an absolute path leaked into the outputs"
    assert not re.search(r"at 0x[0-9a-f]{6,}", text), "an object repr leaked into the outputs"


NETWORK = re.compile(r"\b(urllib\.request|urlopen|requests\.(get|post)|httpx|socket\.|read_\w+\(\s*[\"']https?://)")


def test_no_network_reads():
    sources = {p: p.read_text(encoding="utf-8") for p in paths.SRC.rglob("*.py")}
    for nb_path in NOTEBOOKS:
        nb = nbformat.read(nb_path, as_version=4)
        sources[nb_path] = "\n".join(c.source for c in code_cells(nb))
    offenders = [str(p) for p, text in sources.items() if NETWORK.search(text)]
    assert not offenders


def test_importing_helpers_changes_nothing():
    code = (
        "import logging, sys, matplotlib as mpl\n"
        "before = dict(dict.items(mpl.rcParams))  # dict.items: no backend resolution\n"
        "import helpers, pkgutil, importlib\n"
        "names = [m.name for m in pkgutil.walk_packages(helpers.__path__, 'helpers.')]\n"
        "assert len(names) > 20, names\n"
        "for name in names:\n"
        "    if not name.endswith('.sitecustomize'): importlib.import_module(name)\n"
        "assert dict(dict.items(mpl.rcParams)) == before, 'rcParams changed on import'\n"
        "assert not logging.getLogger().handlers, 'logging configured on import'\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported on import'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/")
    assert result.returncode == 0, result.stderr


def test_every_data_file_is_described_in_the_data_package():
    described = {res["path"] for res in data.package()["resources"]}
    docs = {"README.md", "NOTES.md", "STAGING.md", "SHA256SUMS", "datapackage.json"}
    files = {p.relative_to(paths.DATA).as_posix() for p in paths.DATA.rglob("*")
             if p.is_file() and p.name not in docs}
    assert files - described == set(), "data files missing from datapackage.json"
    assert described - files == set(), "datapackage.json names files that do not exist"
