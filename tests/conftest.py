"""Shared fixtures. Notebook runs use a real kernel through papermill's Python API."""

import os
import shutil
from pathlib import Path

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

#: the system browser for page tests, started with the flags this machine needs
CHROMIUM = Path("/usr/bin/chromium") if Path("/usr/bin/chromium").exists() else Path(
    shutil.which("chromium") or "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    """The system Chromium (Debian's /usr/bin/chromium, else `chromium` on PATH) through
    playwright, no browser download; skipped when missing, except in CI (env CI set)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI: apt-get install -y chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium); not in CI")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def visit(browser, path):
    """Open ``path`` by file:// URL; return (page, console errors, failed requests)."""
    page = browser.new_page()
    errors, failed = [], []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: failed.append(req.url))
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_load_state("networkidle")
    return page, errors, failed


# fixture notebooks are inputs of the report-engine tests, not notebooks for nbval to check
collect_ignore_glob = ["fixtures/*"]


#: the longest test files, started first so that pytest-xdist's workers finish together
LONGEST_FIRST = ("tests/test_published.py", "tests/test_git_workflow.py", "tests/test_engine.py",
                 "tests/test_notebooks.py")


def pytest_collection_modifyitems(config, items):
    """Run the longest files first (a stable sort: the order inside a file is kept)."""
    rank = {path: number for number, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


@pytest.fixture
def agg_figures():
    """Charts drawn with matplotlib's Agg backend, every figure closed after the test."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def markdown_text(markdown):
    """The text of a ``say.markdown`` object, with the Markdown escapes undone."""
    return markdown.data.replace("\\$", "$")


def figure_text(fig):
    """Every text a figure carries outside its axes (title line, source line)."""
    return " ".join(t.get_text() for t in fig.texts)
