"""Every notebook executes with papermill (a real kernel) for its parameter sets, and bad
parameters stop it in the cell after `parameters` with an error a reader can act on."""

import papermill
import pytest

from conftest import notebook_files

pytestmark = pytest.mark.notebooks
NOTEBOOKS = notebook_files()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_runs_with_defaults(path, run_notebook):
    nb = run_notebook(path)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert not errors


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
    assert "params.reject_unknown(" in err.source, "stops in the first cell after the parameters"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_unknown_parameter_is_an_error(path, run_notebook):
    err = _error_of(run_notebook, path, {"colour_sheme": "dark"})
    assert err.ename == "ParameterError"
    assert "unknown parameter 'colour_sheme'" in err.evalue
