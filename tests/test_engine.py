"""The report engine: matrix validation, cache keys, failures, interruption, the lock, handouts.

Each test builds a miniature project in a temporary directory (notebooks/, data/,
src/helpers/, requirements.lock, reports.toml) from the tiny notebooks in tests/fixtures/,
so real papermill runs with real kernels stay fast (no pandas, no plotting library).
"""

import json
import re
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from helpers import cli
from helpers.data import paths
from helpers.engine import execute, keys, lifeline
from helpers.engine.build import build
from helpers.engine.inplace import execute_in_place
from helpers.engine.matrix import DEFAULT_CONFIG, load_matrix, read_cells
from helpers.errors import MatrixError

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def pool():
    """One pool of two engine workers for all the builds of a test, as a caller of
    ``build(executor=...)`` would keep one: workers and their warm kernels start once."""
    from helpers.engine.executors import make_executor, stop_executor

    executor = make_executor("process", 2)
    yield executor
    stop_executor(executor)


def write_config(project, text, name="reports.toml"):
    path = project / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path):
    """A miniature repository laid out like the real one."""
    (tmp_path / "notebooks").mkdir()
    for nb in FIXTURES.glob("*.ipynb"):
        shutil.copy(nb, tmp_path / "notebooks" / nb.name)
    (tmp_path / "data" / "sub").mkdir(parents=True)
    (tmp_path / "data" / "hello.txt").write_text("Hello\n")
    (tmp_path / "data" / "switch.txt").write_text("ok\n")
    (tmp_path / "data" / "sub" / "unrelated.txt").write_text("1\n")
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "000_seed.txt").write_text("A seed.\n")
    (tmp_path / "src" / "helpers").mkdir(parents=True)
    (tmp_path / "src" / "helpers" / "util.py").write_text("X = 1\n")
    (tmp_path / "requirements.lock").write_text("papermill==2.7.0\n")
    write_config(tmp_path, HELLO_AND_FAIL)
    return tmp_path


HELLO_AND_FAIL = """
[[report]]
notebook = "hello.ipynb"
defaults = true
matrix = { name = ["Ada", "Bob"] }

[[report]]
notebook = "fail.ipynb"
"""


def edit_code(path, index, source):
    nb = nbformat.read(path, as_version=4)
    nb.cells[index].source = source
    nbformat.write(nb, path)


def manifest(project):
    return json.loads((project / "reports" / "current" / "manifest.json").read_text())


def statuses(result):
    return {e["slug"]: e["status"] for e in result.entries}


# --------------------------------------------------------------------------- matrix


def test_the_repository_matrix_lists_the_expected_runs():
    import tomllib

    doc = tomllib.loads(DEFAULT_CONFIG.read_text())
    names = [(e["notebook"], e.get("matrix", {}).get("country")) for e in doc["report"]]
    assert names[0] == ("00_sources.ipynb", None)
    countries = ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"]
    assert ("02_trade_flows.ipynb", countries) in names
    assert ("03_great_power_competition.ipynb", countries) in names


def test_matrix_runs_and_slugs(project):
    matrix = load_matrix(project / "reports.toml")
    assert [r.slug for r in matrix.runs] == ["hello", "hello--name=Ada", "hello--name=Bob", "fail"]
    assert matrix.runs[1].parameters == {"name": "Ada"}
    assert matrix.data == project / "data" and matrix.reports == project / "reports"


@pytest.mark.parametrize("body, message", [
    ('notebook = "missing.ipynb"', r"report #1 \(missing.ipynb\): notebook not found"),
    ('notebook = "hello.ipynb"\nparameters = [{ colour = "red" }]',
     r"report #1 \(hello.ipynb\): parameter 'colour' is not defined.*name, size"),
    ('notebook = "noparams.ipynb"\nparameters = [{ x = 1 }]', r"no cell tagged 'parameters'"),
    ('notebook = "hello.ipynb"\nmatrix = { name = ["ok", "a/b"] }', r"name='a/b'.*unsafe.*'/'"),
    ('notebook = "hello.ipynb"\nmatrix = { name = [".."] }', r"unsafe.*'\.\.'"),
    ('notebook = "hello.ipynb"\nmatrix = { name = ["a\\\\b"] }', r"unsafe"),
    ('notebook = "hello.ipynb"\nmatrix = { name = ["tab\\there"] }', r"control character"),
    ('notebook = "../hello.ipynb"', r"notebook not found"),
    ('notebook = "hello.ipynb"\ncountry = "x"', r"unknown key\(s\) \['country'\]"),
    ('notebook = "hello.ipynb"\ndefaults = true\nparameters = [{}]', r"duplicates"),
])
def test_bad_matrix_is_refused_naming_the_entry(project, body, message):
    config = write_config(project, f'[[report]]\nnotebook = "fail.ipynb"\n\n[[report]]\n{body}\n')
    if "#1" in message:
        config = write_config(project, f"[[report]]\n{body}\n")
    with pytest.raises(MatrixError, match=message):
        load_matrix(config)
    assert not (project / "reports").exists()  # nothing ran, nothing written


def test_cli_bad_matrix_exits_2(project, capsys):
    config = write_config(project, '[[report]]\nnotebook = "hello.ipynb"\nmatrix = {name=["../x"]}\n')
    assert cli.main(["reports", "--config", str(config)]) == 2
    assert "unsafe output name" in capsys.readouterr().err


# --------------------------------------------------------------------------- cache key


def static_key(run, matrix):
    return keys.static_key(run, matrix, read_cells(matrix.notebooks / run.notebook))[0]


def test_each_key_ingredient_changes_the_key(project):
    matrix = load_matrix(project / "reports.toml")
    run = matrix.runs[1]
    base = static_key(run, matrix)
    assert static_key(run, matrix) == base
    assert static_key(matrix.runs[2], matrix) != base  # parameters

    nb_path = project / "notebooks" / "hello.ipynb"
    original = nb_path.read_bytes()
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="x")]  # outputs
    nb.cells[2].metadata["scrolled"] = True  # metadata
    nbformat.write(nb, nb_path)
    assert static_key(run, matrix) == base, "outputs and metadata do not count"
    nb.cells[0].source += "\nMore prose."  # markdown
    nbformat.write(nb, nb_path)
    assert static_key(run, matrix) != base, "Markdown counts: it is what readers read"
    nb_path.write_bytes(original)
    edit_code(nb_path, 2, nb.cells[2].source + "\n# changed")
    assert static_key(run, matrix) != base
    nb_path.write_bytes(original)

    lock = project / "requirements.lock"
    lock.write_text(lock.read_text() + "# changed\n")
    assert static_key(run, matrix) != base, "the lock"
    (project / "src" / "helpers" / "style.mplstyle").write_text("axes.grid: True\n")
    assert static_key(run, matrix) != base, "a style file"


def test_only_the_project_modules_a_notebook_imports_count(project):
    helpers = project / "src" / "helpers"
    (helpers / "__init__.py").write_text("")
    (helpers / "util.py").write_text("from . import base\nX = 1\n")
    (helpers / "base.py").write_text("Y = 2\n")
    (helpers / "engine.py").write_text("Z = 3\n")
    nb_path = project / "notebooks" / "hello.ipynb"
    edit_code(nb_path, 2, "from helpers.util import X\nprint(X)")
    matrix = load_matrix(project / "reports.toml")
    run = matrix.runs[0]
    base = static_key(run, matrix)
    (helpers / "engine.py").write_text("Z = 4  # an engine-only edit\n")
    assert static_key(run, matrix) == base, "a module the notebook does not import"
    (helpers / "base.py").write_text("Y = 3\n")
    assert static_key(run, matrix) != base, "a module imported through another one"


def test_module_closure_of_the_real_notebooks():
    """The real package: a theme notebook's key covers the analysis and data modules it
    reaches, and no module of the engine or the teaching layer."""
    for notebook in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        code = [c["source"] for c in read_cells(notebook) if c["cell_type"] == "code"]
        names = {p.relative_to(paths.SRC).as_posix() for p in keys.module_closure(code, paths.SRC)}
        assert {"__init__.py", "data/__init__.py", "data/loader.py", "nb/style.py"} <= names
        # the exercises' self-checks (teaching/checks, data.paths only) run in the notebook
        allowed = {"teaching/__init__.py", "teaching/checks.py"}
        assert not [n for n in names if n.startswith(("engine/", "teaching/")) and n not in allowed
                    or n == "cli.py"]
    code = ["from helpers.analysis import competition"]
    names = {p.relative_to(paths.SRC).as_posix() for p in keys.module_closure(code, paths.SRC)}
    assert {"analysis/trade.py", "analysis/deals.py", "analysis/sources.py",
            "data/countries.py", "errors.py"} <= names


def test_data_dependencies(project):
    data = project / "data"
    roots = {"data": data, "seeds": project / "seeds"}
    seed = (project / "seeds" / "000_seed.txt").resolve()
    trace = [f"f\t{data.resolve() / 'hello.txt'}", f"d\t{data.resolve() / 'sub'}", "f\t/etc/hosts",
             f"f\t{seed}"]
    deps = keys.deps_from_trace(trace, roots, declared=["sub/*.txt"])
    assert deps == ["dir:data/", "dir:data/sub", "dir:seeds/", "file:data/hello.txt",
                    "file:seeds/000_seed.txt", "glob:data/sub/*.txt"]
    assert keys.deps_from_trace(None, roots) == ["all:data/", "all:seeds/"]
    before = keys.current_deps(deps + ["all:data/", "file:data/nope.txt"], roots)
    assert before["file:data/nope.txt"] == "missing"
    (data / "sub" / "unrelated.txt").write_text("2\n")
    seed.write_text("An edited seed.\n")
    after = keys.current_deps(deps + ["all:data/", "file:data/nope.txt"], roots)
    changed = {k for k in before if before[k] != after[k]}
    # contents: not the directory listings
    assert changed == {"glob:data/sub/*.txt", "all:data/", "file:seeds/000_seed.txt"}
    (data / "new.txt").write_text("new\n")
    after2 = keys.current_deps(deps, roots)
    assert after2["dir:data/"] != after["dir:data/"]
    assert after2["file:data/hello.txt"] == after["file:data/hello.txt"]


def test_kernel_start_errors_are_retried_cell_errors_are_not():
    import zmq
    from papermill.exceptions import PapermillExecutionError

    assert execute.is_kernel_start_error(zmq.error.ZMQError(98, "Address already in use"))
    assert execute.is_kernel_start_error(RuntimeError("Kernel died before replying to kernel_info"))
    wrapped = RuntimeError("start failed")
    wrapped.__cause__ = TimeoutError("Kernel didn't respond in 60 seconds")
    assert execute.is_kernel_start_error(wrapped)
    cell = PapermillExecutionError(1, 1, "x", "ValueError", "zmq in a message", ["tb"])
    assert not execute.is_kernel_start_error(cell)
    assert not execute.is_kernel_start_error(ValueError("boom"))


# --------------------------------------------------------------------------- builds


@pytest.mark.notebooks
def test_incremental_build_and_rendering(project, pool):
    config = project / "reports.toml"
    first = build(config, executor=pool, progress=False)
    assert first.exit_code == 0 and set(statuses(first).values()) == {"ok"}
    current = project / "reports" / "current"
    assert current.is_symlink() and current.resolve().parent == project / "reports" / "builds"
    assert re.search(r"current/(site/)?index.html", (project / "reports" / "index.html").read_text())

    # rendering: reader version without code, images as data URIs, no CDN scripts
    reader = (current / "hello--name=Ada.html").read_text()
    full = nbformat.read(current / "hello--name=Ada.ipynb", as_version=4)
    assert "Hello, Ada!" in reader
    assert "data:image/png;base64," in reader
    for code in ("fh.read", "zlib.compress", "injected-parameters", 'highlight hl-ipython3'):
        assert code not in reader, code
    assert any("zlib" in c.source for c in full.cells), "the executed notebook keeps the code"
    assert "require.min.js" not in reader and "MathJax" not in reader
    index = (current / "index.html").read_text()
    assert all(s in index for s in ("hello--name=Bob.html", "fail.html", ">ok<"))
    text = (current / "manifest.json").read_text()
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2) + "\n"
    entry = manifest(project)["runs"][1]
    assert entry["deps"].keys() == {"dir:data/", "file:data/hello.txt"}  # traced: what it read

    # nothing changed: everything reused, no kernel started
    again = build(config, executor=pool, progress=False)
    assert again.executed == [] and set(statuses(again).values()) == {"skipped-reused"}
    assert (current / "hello.html").read_bytes() == (first.build_dir / "hello.html").read_bytes()

    # a project module no notebook imports (as an engine module) changed: nothing re-runs
    (project / "src" / "helpers" / "util.py").write_text("X = 2\n")
    assert build(config, executor=pool, progress=False).executed == []

    # a new page template: every page re-rendered, no notebook re-executed
    template = project / "c5.html.j2"
    template.write_text(keys.TEMPLATE.read_text() + "{%- block body_footer -%}"
                        "<p>template v2</p>{{ super() }}{%- endblock body_footer -%}\n")
    with pytest.MonkeyPatch.context() as mp:
        from helpers.engine import render

        mp.setattr(keys, "TEMPLATE", template)
        mp.setattr(render, "TEMPLATE", template)
        render._exporter.cache_clear()
        rendered = build(config, executor=pool, progress=False)
    render._exporter.cache_clear()
    assert rendered.executed == [] and set(statuses(rendered).values()) == {"re-rendered"}
    assert "template v2" in (current / "hello--name=Ada.html").read_text()
    assert set(statuses(build(config, executor=pool, progress=False)).values()) == {"re-rendered"}, \
        "back to the package's template: rendered again, still nothing executed"

    # one notebook's code changed: exactly its runs
    edit_code(project / "notebooks" / "hello.ipynb", 2,
              'with open("../data/hello.txt") as fh:\n    greeting = fh.read().strip()\n'
              'print(f"{greeting}, dear {name}!")')
    changed = build(config, executor=pool, progress=False)
    assert sorted(changed.executed) == ["hello", "hello--name=Ada", "hello--name=Bob"]
    assert "dear Ada" in (current / "hello--name=Ada.html").read_text()
    # re-executed on the pool's warm kernels: the reads are recorded again, so a data change
    # after it re-runs the runs that read it
    assert manifest(project)["runs"][1]["deps"].keys() == {"dir:data/", "file:data/hello.txt"}
    (project / "data" / "hello.txt").write_text("Hi\n")
    assert sorted(build(config, executor=pool, progress=False).executed) == \
        ["hello", "hello--name=Ada", "hello--name=Bob"]
    assert "Hi, dear Ada" in (current / "hello--name=Ada.html").read_text()

    # one data file changed: only the run that read it; unrelated data: nothing
    (project / "data" / "switch.txt").write_text("on\n")
    (project / "data" / "sub" / "unrelated.txt").write_text("2\n")
    assert build(config, executor=pool, progress=False).executed == ["fail"]

    # --force: all; only the last two builds are kept
    forced = build(config, executor=pool, force=True, progress=False)
    assert len(forced.executed) == 4
    assert len(list((project / "reports" / "builds").iterdir())) == 2
    assert not list((project / "reports").glob(".staging-*"))


@pytest.mark.notebooks
def test_failure_keeps_last_good_report_stale(project, capsys):
    config = write_config(project, '[[report]]\nnotebook = "hello.ipynb"\n\n'
                                   '[[report]]\nnotebook = "fail.ipynb"\n')
    build(config, jobs=2, progress=False)
    good = (project / "reports" / "current" / "fail.html").read_text()

    (project / "data" / "switch.txt").write_text("fail\n")
    write_config(project, '[[report]]\nnotebook = "hello.ipynb"\n\n'
                          '[[report]]\nnotebook = "fail.ipynb"\ndefaults = true\n'
                          'parameters = [{ mode = "new" }]\n')
    code = cli.main(["reports", "--config", str(config), "--force", "--jobs", "2"])
    out = capsys.readouterr().out
    assert code == 1
    runs = {e["slug"]: e for e in manifest(project)["runs"]}
    assert runs["hello"]["status"] == "ok"
    assert runs["fail"]["status"] == "stale" and runs["fail--mode=new"]["status"] == "failed"
    for slug in ("fail", "fail--mode=new"):
        assert runs[slug]["error"].startswith("ValueError: injected failure")
    current = project / "reports" / "current"
    assert (current / "fail.html").read_text() == good  # last good report still published
    failed = nbformat.read(current / runs["fail"]["failed_notebook"], as_version=4)
    assert any(o.get("ename") == "ValueError" for c in failed.cells for o in c.get("outputs", []))
    assert (current / "fail--mode=new.failed.ipynb").is_file()
    assert "2 run(s) failed" in out and "fail: ValueError: injected failure" in out
    index = (current / "index.html").read_text()
    assert "stale" in index and "injected failure" in index


# --------------------------------------------------------------------------- interruption, lock


SLOW = '[[report]]\nnotebook = "sleep.ipynb"\nparameters = [{ seconds = 60 }]\n'


def _start_slow_build(project):
    config = write_config(project, SLOW, "slow.toml")
    proc = subprocess.Popen(
        [sys.executable, "-m", "helpers.cli", "reports", "--config", str(config), "--jobs", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    started = project / "notebooks" / "sleep.started"  # written by the slow cell itself
    started.unlink(missing_ok=True)
    deadline = time.monotonic() + 120  # a guard against a hang, not a timing assumption
    while not started.exists():
        assert proc.poll() is None and time.monotonic() < deadline, proc.returncode
        time.sleep(0.05)
    return proc


def _kill_tree(proc):
    import psutil

    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    return family




@pytest.mark.notebooks
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_build_leaves_previous_set_intact(project, sig):
    config = write_config(project, '[[report]]\nnotebook = "hello.ipynb"\n')
    build(config, jobs=1, progress=False)
    current = project / "reports" / "current"
    before = (os.readlink(current), (current / "manifest.json").read_bytes())

    proc = _start_slow_build(project)
    family = _kill_tree(proc)
    try:
        if sig == signal.SIGINT:  # a second build meanwhile is refused, exit code 3
            second = subprocess.run(
                [sys.executable, "-m", "helpers.cli", "reports", "--config", str(config)],
                capture_output=True, text=True, timeout=60)
            assert second.returncode == 3, second
            assert f"another build (pid {proc.pid}) is running" in second.stderr
        os.kill(proc.pid, sig)
        proc.wait(timeout=300)  # the event: the build ends (a guard, not a timing assumption)
        assert proc.returncode == (130 if sig == signal.SIGINT else -signal.SIGKILL)
    finally:
        lifeline.kill(family, timeout=5)
    assert (os.readlink(current), (current / "manifest.json").read_bytes()) == before
    assert (current / "hello.html").is_file()
    assert len(list((project / "reports" / "builds").iterdir())) == 1
    staging = list((project / "reports").glob(".staging-*"))
    assert staging == [] if sig == signal.SIGINT else len(staging) == 1
    # the next build cleans up what a killed one left behind, and reuses the published runs
    result = build(config, jobs=1, progress=False)
    assert result.executed == [] and not list((project / "reports").glob(".staging-*"))


# --------------------------------------------------------------------------- handouts, in place


def test_handouts_strip_solutions_and_outputs(tmp_path):
    """Student and instructor versions (the kit itself is tested in tests/test_teaching.py)."""
    from helpers.teaching.handouts import instructor_notebook, student_notebook

    nb = nbformat.read(FIXTURES / "hello.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", text="committed output\n")]
            cell.execution_count = 7
    student = student_notebook(nb)
    assert not any("solution" in c.metadata.get("tags", []) for c in student.cells)
    assert len(student.cells) == len(nb.cells) - 1
    code = [c for c in student.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    assert len(instructor_notebook(nb).cells) == len(nb.cells)


@pytest.mark.notebooks
def test_execute_in_place_keeps_metadata(project, monkeypatch):
    path = project / "notebooks" / "hello.ipynb"
    before = nbformat.read(path, as_version=4)
    monkeypatch.chdir(project)  # a relative path, as `make notebooks ARGS=notebooks/x.ipynb` gives
    results = execute_in_place(["notebooks/hello.ipynb"], jobs=1, progress=False)
    assert [r["ok"] for r in results] == [True]
    after = nbformat.read(path, as_version=4)
    assert after.metadata == before.metadata and len(after.cells) == len(before.cells)
    assert [c.metadata for c in after.cells] == [c.metadata for c in before.cells]
    assert "Hello, world!" in after.cells[2].outputs[0]["text"]
    assert after.cells[2].execution_count == 2
    assert not list((project / "notebooks").glob(".execute-*"))


# --------------------------------------------------------------------------- reused kernels


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"c{i}"
    nbformat.write(nb, path)
    return path


def _task(tmp_path, notebook, slug, **extra):
    tracer = tmp_path / ".tracer"
    tracer.mkdir(exist_ok=True)
    return {"slug": slug, "input": str(notebook), "output": str(tmp_path / f"{slug}.ipynb"),
            "parameters": {}, "cwd": str(tmp_path), "kernel": "python3", "timeout": 60,
            "retries": 0, "render": False, "tracer_dir": str(tracer),
            "trace_roots": (str(paths.DATA.resolve()), str(paths.SEEDS.resolve())), **extra}


def _outputs(path):
    nb = nbformat.read(path, as_version=4)
    return [(c.execution_count, [o.get("text") or o.get("data", {}).get("text/plain") for o in c.outputs])
            for c in nb.cells]


@pytest.mark.notebooks
def test_a_reused_kernel_starts_each_run_as_a_fresh_one(tmp_path):
    polluter = _notebook(
        tmp_path / "polluter.ipynb",
        "import warnings, matplotlib\nmatplotlib.rcParams['lines.linewidth'] = 9\nleftover = 1",
        "warnings.warn('shown once per location')",
        "from helpers import data\ndata.load('countries').shape")
    probe = _notebook(
        tmp_path / "probe.ipynb",
        "import matplotlib, sys\nsorted(k for k in globals() if not k.startswith('_')"
        " and k not in ('In', 'Out', 'exit', 'quit', 'get_ipython', 'open', 'matplotlib', 'sys'))",
        "len(In), matplotlib.rcParams['lines.linewidth']",
        "from helpers import data\ndata.load('countries').shape")
    try:
        first = execute.execute_run(_task(tmp_path, polluter, "polluter"))
        warm = execute.execute_run(_task(tmp_path, probe, "warm"))
        assert first["ok"] and warm["ok"], (first, warm)
        assert execute.WARM.kernel is not None, "the worker kept its kernel"
        cold = execute.execute_run(_task(tmp_path, probe, "cold", fresh_kernel=True))
        assert cold["ok"], cold
    finally:
        execute.WARM.discard()
    assert _outputs(tmp_path / "warm.ipynb") == _outputs(tmp_path / "cold.ipynb")
    first_cell = _outputs(tmp_path / "warm.ipynb")[0]
    assert first_cell[0] == 1 and first_cell[1] == ["[]"], "empty namespace, count restarts at 1"
    # the loader's cache (keyed by file content) must not hide a data read from the tracer
    countries = str((paths.DATA / "reference" / "countries.csv").resolve())
    assert any(line.split("\t")[1] == countries for line in warm["trace"]), warm["trace"]


@pytest.mark.notebooks
def test_a_kernel_that_died_is_replaced(tmp_path):
    killer = _notebook(tmp_path / "killer.ipynb", "import os\nos._exit(1)")
    fine = _notebook(tmp_path / "fine.ipynb", "1 + 1")
    try:
        died = execute.execute_run(_task(tmp_path, killer, "killer"))
        assert not died["ok"] and "kernel" in died["error"].lower()
        after = execute.execute_run(_task(tmp_path, fine, "fine"))
        assert after["ok"], after
    finally:
        execute.WARM.discard()


# --------------------------------------------------------------------------- real data, real notebooks


@pytest.mark.notebooks
def test_corrupted_data_file_fails_only_the_runs_that_read_it(tmp_path, monkeypatch, request):
    """On a copy of the repository: 01 reads region_polygons, 00 does not. Corrupting that
    table fails 01 with the loader's error (file, row, column), keeps its last good report
    published as stale, and reuses 00."""
    root = paths.ROOT
    for name in ("notebooks", "data", "src", "seeds"):
        shutil.copytree(root / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("*.egg-info", "__pycache__", ".ipynb_checkpoints"))
    shutil.copy(root / "requirements.lock", tmp_path)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "src"))  # kernels import the copy's helpers
    pool = request.getfixturevalue("pool")  # workers spawned now see that PYTHONPATH
    config = write_config(tmp_path, '[[report]]\nnotebook = "00_sources.ipynb"\n\n'
                                     '[[report]]\nnotebook = "01_rare_earths.ipynb"\n')
    first = build(config, executor=pool, progress=False)
    assert statuses(first) == {"00_sources": "ok", "01_rare_earths": "ok"}, first.entries

    table = tmp_path / "data" / "derived" / "region_polygons.csv"
    lines = table.read_text(encoding="utf-8").split("\n")
    lines[5] = lines[5].rsplit(",", 1)[0] + ",north"  # lat of the 5th point: not a number
    table.write_text("\n".join(lines), encoding="utf-8")
    second = build(config, executor=pool, progress=False)
    assert statuses(second) == {"00_sources": "skipped-reused", "01_rare_earths": "stale"}
    assert second.exit_code == 1
    error = {e["slug"]: e["error"] for e in second.entries}["01_rare_earths"]
    assert "DataValidationError" in error
    assert "data/derived/region_polygons.csv: row 6, column 'lat': got 'north', expected a number" in error
    current = tmp_path / "reports" / "current"
    assert (current / "01_rare_earths.html").is_file(), "the last good report stays published"
    assert (current / "01_rare_earths.failed.ipynb").is_file(), "the failed run is kept"
