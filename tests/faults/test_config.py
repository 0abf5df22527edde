"""Bad configuration is refused before any kernel starts: exit 2 within two seconds, a message
naming the file, the entry and the value with the nearest valid one, nothing run, the
published set kept byte for byte (docs/reliability.md, "Bad configuration")."""

import time

import pytest

from .faultlib import c5, config, make_project, snapshot
from helpers import cli
from helpers.data import parameters as declared
from helpers.engine.matrix import load_matrix
from helpers.errors import MatrixError, ParameterError

pytestmark = pytest.mark.notebooks

GOOD = '[[report]]\nnotebook = "hello.ipynb"\n'


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A miniature project with one published build (one real run of the hello notebook)."""
    from helpers.engine.build import build

    project = make_project(tmp_path_factory.mktemp("config"))
    build(config(project, GOOD), jobs=1, progress=False)
    return project, snapshot(project / "reports")


CASES = [
    # (what, matrix body, expected fragments of the message)
    ("misspelled country",
     '[[report]]\nnotebook = "years.ipynb"\nmatrix = { country = ["Kazakhstan", "Kyrzakhstan"] }\n',
     ["bad.toml: report #1 (years.ipynb)", "unknown country 'Kyrzakhstan'",
      "Did you mean 'Kazakhstan'?"]),
    ("[[reports]] instead of [[report]]", '[[reports]]\nnotebook = "hello.ipynb"\n',
     ["bad.toml: unknown table [reports] (did you mean 'report'?)"]),
    ("a matrix with no run", '[settings]\ntimeout = 60\n',
     ["bad.toml: the matrix has no run", "the published set is kept"]),
    ("an entry whose matrix list is empty",
     GOOD + '\n[[report]]\nnotebook = "years.ipynb"\nmatrix = { country = [] }\n',
     ["report #2 (years.ipynb): the entry has no run"]),
    ("inverted year range",
     '[[report]]\nnotebook = "years.ipynb"\nparameters = [{ start_year = 2019, end_year = 2015 }]\n',
     ["report #1 (years.ipynb): year range is inverted: start_year 2019 > end_year 2015"]),
    ("inverted against the notebook's default",
     '[[report]]\nnotebook = "years.ipynb"\nparameters = [{ end_year = 2000 }]\n',
     ["year range is inverted: start_year 2001 > end_year 2000"]),
    ("year as a string",
     '[[report]]\nnotebook = "years.ipynb"\nparameters = [{ start_year = "2015" }]\n',
     ["report #1 (years.ipynb): start_year must be an integer year, got str '2015'"]),
    ("year past the data",
     '[[report]]\nnotebook = "years.ipynb"\nparameters = [{ end_year = 2030 }]\n',
     ["end_year 2030 is outside the data's years 2000–2023 (nearest: 2023)"]),
    ("data glob outside data/",
     GOOD + 'data = ["../secrets/*.csv", "/etc/*"]\n',
     ["data glob '../secrets/*.csv' is outside data/", "data glob '/etc/*' is outside data/"]),
    ("run name too long for the file system",
     '[[report]]\nnotebook = "hello.ipynb"\nmatrix = { name = ["' + "x" * 260 + '"] }\n',
     ["is too long for the file system", "at most"]),
    ("misspelled parameter name",
     '[[report]]\nnotebook = "hello.ipynb"\nparameters = [{ nmae = "Ada" }]\n',
     ["parameter 'nmae' is not defined", "(did you mean 'name'?)"]),
    ("misspelled notebook name", '[[report]]\nnotebook = "helo.ipynb"\n',
     ["report #1 (helo.ipynb): notebook not found", "(did you mean 'hello.ipynb'?)"]),
    ("misspelled choice", '[[report]]\nnotebook = "fail.ipynb"\nparameters = [{ mode = "strikt" }]\n',
     ["unknown mode 'strikt'. Did you mean 'strict'?"]),
    ("a huge number", '[[report]]\nnotebook = "sleep.ipynb"\nparameters = [{ seconds = 1e309 }]\n',
     ["seconds must be a finite number, got inf"]),
    ("misspelled entry key", GOOD + 'paramters = [{ name = "Ada" }]\n',
     ["unknown key(s) ['paramters'] (did you mean 'parameters'?)"]),
]


@pytest.mark.parametrize("what, body, fragments", CASES, ids=[c[0] for c in CASES])
def test_bad_configuration_exits_2_before_anything_runs(published, capsys, what, body,
                                                        fragments):
    """In process (the ``c5`` command's own ``main``), so the cases stay fast; the command
    as a user runs it is the next test."""
    project, before = published
    bad = config(project, f'[paths]\nreports = "reports"\n\n{body}', "bad.toml")
    for args in (["--check"], []):  # --check and a build run the same pre-flight
        assert cli.main(["reports", "--config", str(bad), *args]) == 2, what
        err = capsys.readouterr().err
        for fragment in fragments:
            assert fragment in err, (what, err)
        assert "Traceback" not in err
    assert snapshot(project / "reports") == before, "the published set is untouched"
    assert not list((project / "reports").glob(".staging-*"))


def test_the_command_refuses_a_bad_matrix_as_a_user_sees_it(published):
    project, before = published
    bad = config(project, CASES[0][1], "bad.toml")
    result = c5("reports", "--config", bad)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("c5: bad.toml: report #1 (years.ipynb): unknown country "
                             "'Kyrzakhstan'. Did you mean 'Kazakhstan'? Valid values: "
                             "Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan, Uzbekistan\n")
    assert snapshot(project / "reports") == before


def test_the_preflight_answers_within_two_seconds(published, capsys):
    project, _ = published
    bad = config(project, CASES[0][1], "bad.toml")
    started = time.perf_counter()
    assert cli.main(["reports", "--config", str(bad)]) == 2
    assert time.perf_counter() - started < 2.0
    assert "Did you mean 'Kazakhstan'?" in capsys.readouterr().err


def test_an_alias_is_one_run_under_the_canonical_name(published):
    project, _ = published
    matrix = load_matrix(config(project, '[[report]]\nnotebook = "years.ipynb"\nmatrix = '
                                         '{ country = ["Kyrgyz Republic", "Kyrgyzstan"] }\n',
                                "alias.toml"))
    assert [r.slug for r in matrix.runs] == ["years--country=Kyrgyzstan"]
    assert matrix.runs[0].parameters == {"country": "Kyrgyzstan"}


def test_the_same_values_twice_is_still_a_mistake(published):
    project, _ = published
    with pytest.raises(MatrixError, match="duplicates"):
        load_matrix(config(project, GOOD + 'parameters = [{ name = "A" }, { name = "A" }]\n',
                           "twice.toml"))


def test_the_real_matrix_and_declaration_agree():
    """Every notebook's declaration names exactly its parameters cell's names, and the
    repository's matrix passes its own pre-flight."""
    from helpers.data import paths
    from helpers.engine.matrix import notebook_parameters

    doc = declared.read(paths.NOTEBOOKS / declared.FILE_NAME)
    for nb in sorted(paths.NOTEBOOKS.glob("[0-9]*.ipynb")):
        assert sorted(doc.get(nb.name, {})) == sorted(notebook_parameters(nb)), nb.name
    assert load_matrix().runs


def test_a_bad_declaration_is_named(tmp_path):
    path = tmp_path / "parameters.toml"
    path.write_text('["a.ipynb"]\nx = { type = "int", rnage = [0, 1] }\n')
    with pytest.raises(ParameterError, match=r"unknown key 'rnage' \(did you mean 'range'\?\)"):
        declared.read(path)


@pytest.mark.parametrize("args, fragment", [
    (["02_trade_flows.ipynb", "-p", "country", "Kyrzakhstan"],
     "run (02_trade_flows.ipynb): unknown country 'Kyrzakhstan'. Did you mean 'Kazakhstan'?"),
    (["02_trade_flows.ipynb", "-p", "start_year", "2030"], "start_year 2030 is outside"),
    (["02_trade_flows.ipynb", "-p", "contry", "Kazakhstan"], "(did you mean 'country'?)"),
    (["02_trade_flow.ipynb"], "(did you mean '02_trade_flows.ipynb'?)"),
], ids=["value", "range", "name", "notebook"])
def test_c5_run_checks_like_the_matrix(args, fragment):
    """``c5 run NOTEBOOK -p name value``: papermill's way of passing parameters, the
    declaration's checks; nothing runs when they fail."""
    result = c5("run", *args)
    assert result.returncode == 2 and fragment in result.stderr, result.stderr
