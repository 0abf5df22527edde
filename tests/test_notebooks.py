"""Every notebook executes with papermill (a real kernel) for its parameter sets, and bad
parameters stop it in the cell after `parameters` with an error a reader can act on."""

import papermill
import pytest
from conftest import notebook_files

pytestmark = pytest.mark.notebooks
NOTEBOOKS = notebook_files()


@pytest.mark.parametrize("alias", ["Kyrgyz Republic", "KGZ", "kyrgyzstan"])
def test_aliases_resolve_like_the_names(alias, run_notebook):
    path = next(p for p in NOTEBOOKS if p.name.startswith("02_"))
    nb = run_notebook(path, {"country": alias})
    check = [c for c in nb.cells if c.cell_type == "code" and _validates(c.source)][0]
    assert "Focus: Kyrgyzstan;" in "".join(o.get("text", "") for o in check.outputs)


def _validates(source):
    """The validation cell: ``params.validate(...)`` (the declaration) or, before it,
    ``params.reject_unknown([...])``."""
    return "params.validate(" in source or "params.reject_unknown(" in source


def _error_of(run_notebook, path, parameters):
    with pytest.raises(papermill.PapermillExecutionError) as info:
        run_notebook(path, parameters)
    return info.value


def _country_notebooks():
    out = []
    for path in NOTEBOOKS:
        params = papermill.inspect_notebook(str(path))
        for name in params:
            if "country" in name:
                out.append((path, name))
    return out


@pytest.mark.parametrize("path,name", _country_notebooks(), ids=lambda v: getattr(v, "name", v))
def test_misspelt_country_lists_valid_values_and_suggests_the_nearest(path, name, run_notebook):
    err = _error_of(run_notebook, path, {name: "Kyrzakhstan"})
    assert err.ename == "UnknownValueError"
    assert "Did you mean 'Kazakhstan'?" in err.evalue
    for country in ("Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"):
        assert country in err.evalue
    assert _validates(err.source), "stops in the first cell after the parameters"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_unknown_parameter_is_an_error(path, run_notebook):
    err = _error_of(run_notebook, path, {"colour_sheme": "dark"})
    assert err.ename == "ParameterError"
    assert "unknown parameter 'colour_sheme'" in err.evalue


# the student handouts' run (unanswered, self-checks) is in tests/test_teaching.py


def _notebooks_with(name):
    return [p for p in NOTEBOOKS if name in papermill.inspect_notebook(str(p))]


@pytest.mark.parametrize("path", _notebooks_with("start_year"), ids=lambda p: p.name)
@pytest.mark.parametrize("bad,message", [
    ({"start_year": 2019, "end_year": 2012}, "year range is inverted"),
    ({"start_year": "2012"}, "start_year must be an integer year, got str '2012'"),
    ({"end_year": 1800}, "outside the data's years"),
])
def test_bad_year_range_is_refused(path, bad, message, run_notebook):
    err = _error_of(run_notebook, path, bad)
    assert err.ename == "ParameterError" and message in err.evalue


BAD_PARAMETERS = [  # (notebook, values, what the notebook's own validation says)
    ("02_trade_flows.ipynb", {"start_year": 2019, "end_year": 2012}, "year range is inverted"),
    ("02_trade_flows.ipynb", {"start_year": "2012"},
     "start_year must be an integer year, got str '2012'"),
    ("03_great_power_competition.ipynb", {"end_year": 1800}, "outside the data's years"),
    ("02_trade_flows.ipynb", {"country": "Kyrzakhstan"}, "Did you mean 'Kazakhstan'?"),
    ("01_rare_earths.ipynb", {"edition": 2023}, "Did you mean 2024?"),
    ("00_sources.ipynb", {"similarity_kind": "chars"}, "Did you mean 'char'?"),
    ("00_sources.ipynb", {"min_line_similarity": 1.5},
     "min_line_similarity must be a number between 0 and 1, got 1.5"),
]


@pytest.mark.parametrize("notebook, values, message", BAD_PARAMETERS)
def test_the_declaration_refuses_what_the_notebook_refuses(notebook, values, message):
    """notebooks/parameters.toml (read by `c5 reports --check`, the pre-flight, `c5 run` and
    `params.validate`) refuses each value the notebook's validation cell refuses, in the same
    words, before any kernel starts; and `params.validate` keeps an alias canonical."""
    from helpers.errors import C5Error
    from helpers.nb import params

    with pytest.raises(C5Error, match=message.replace("?", r"\?").replace("(", r"\(")):
        params.validate(notebook, [], **values)
    assert params.validate("02_trade_flows.ipynb", [], country="KGZ") == {"country": "Kyrgyzstan"}


@pytest.mark.parametrize("path", _notebooks_with("edition"), ids=lambda p: p.name)
def test_unknown_edition_suggests_the_nearest(path, run_notebook):
    err = _error_of(run_notebook, path, {"edition": 2023})
    assert err.ename == "UnknownValueError" and "Did you mean 2024?" in err.evalue
