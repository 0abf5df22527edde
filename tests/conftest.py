"""Shared fixtures. Notebook runs use a real kernel through papermill's Python API."""

import os

import pytest

from helpers.data import paths

# the same per-project Jupyter/IPython/matplotlib locations the Makefile sets, for runs of
# pytest outside make (a user's own kernels or matplotlibrc must not change results)
_VENV = paths.ROOT / ".venv"
for _key, _value in {
    "JUPYTER_PLATFORM_DIRS": "1",
    "JUPYTER_DATA_DIR": _VENV / "share" / "jupyter",
    "JUPYTER_CONFIG_DIR": _VENV / "etc" / "jupyter-user",
    "IPYTHONDIR": _VENV / "ipython",
    "MPLCONFIGDIR": _VENV / "matplotlib",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}.items():
    os.environ.setdefault(_key, str(_value))


def csv_rows(name):
    """Rows of ``data/<name>`` as dicts of strings, read with the csv module alone: test
    expectations come from the files themselves, not from the helpers under test."""
    import csv

    with open(paths.DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def notebook_files():
    """The collection's notebooks, sorted."""
    return sorted(paths.NOTEBOOKS.glob("*.ipynb"))


@pytest.fixture(scope="session")
def matrix_build(tmp_path_factory):
    """The real report matrix, built once by the engine into a temporary reports directory."""
    from helpers.engine.build import build

    out = tmp_path_factory.mktemp("reports")
    return build(output=out, progress=False), out


@pytest.fixture(scope="session")
def warm_kernel():
    """One kernel for the session's ad-hoc notebook runs, reused the way the engine's workers
    reuse theirs: reset to a fresh kernel's state before each run (see
    ``test_a_reused_kernel_starts_each_run_as_a_fresh_one``), so the imports are paid once."""
    from helpers.engine import execute

    yield execute.WARM
    execute.WARM.discard()


@pytest.fixture
def run_notebook(tmp_path, warm_kernel):
    """Execute a notebook with papermill into tmp_path, working directory tmp_path (not
    notebooks/), on the warm kernel; return the executed notebook node. A cell error raises
    ``papermill.PapermillExecutionError`` as papermill does."""
    import papermill

    from helpers.engine.execute import ENGINE_NAME, register_engine

    register_engine()

    def run(path, parameters=None, **kwargs):
        out = tmp_path / f"{path.stem}-out.ipynb"
        kernel = warm_kernel.get("python3", tmp_path)
        return papermill.execute_notebook(
            str(path), str(out), parameters=parameters or {}, kernel_name="python3",
            cwd=str(tmp_path), progress_bar=False, log_output=False, engine_name=ENGINE_NAME,
            km=kernel.km, **kwargs,
        )

    return run

# fixture notebooks are inputs of the report-engine tests, not notebooks for nbval to check
collect_ignore_glob = ["fixtures/*"]
