"""Build the published reports: parameter matrix, cached parallel execution, atomic publishing.

:func:`load_matrix` reads ``reports.toml`` and refuses a bad matrix before anything runs;
:func:`build` executes every run that changed with papermill in a process pool, renders each
one to HTML with nbconvert and publishes the new set by swapping the ``reports/current``
symlink. :func:`make_handouts` and :func:`execute_in_place` serve ``c5 handouts`` and
``c5 execute-in-place``. The command line (:mod:`helpers.cli`) is a thin layer over these.

Layout of the reports directory::

    reports/index.html            redirect to current/index.html
    reports/current -> builds/<id>
    reports/builds/<id>/          index.html, manifest.json and per run <slug>.html (reader,
                                  no code), <slug>.ipynb
                                  (executed), <slug>.failed.ipynb (a failed attempt)

See ``docs/reports.md`` for the configuration format, the cache key and the exit codes.
"""

import concurrent.futures
import datetime
import functools
import hashlib
import html
import itertools
import json
import multiprocessing
import os
import re
import shutil
import signal
import sys
import time
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .errors import BuildLockedError, MatrixError

DEFAULT_CONFIG = paths.ROOT / "reports.toml"
DEFAULT_TIMEOUT = 600
KEEP_BUILDS = 2
STATUSES = ("ok", "skipped-reused", "stale", "failed")
_ENTRY_KEYS = {"notebook", "defaults", "matrix", "parameters", "data"}
_PATH_KEYS = ("notebooks", "data", "helpers", "lockfile", "reports")
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- if resources.c5_mathjax -%}{{ super() }}{%- endif -%}
{%- endblock html_head_js_mathjax -%}
"""
_MATH_RE = re.compile(r"\$\$|\$[^$\s][^$\n]*\$|\\\(|\\\[|\\begin\{")
# Written into the staging directory and put on the kernel's PYTHONPATH: an audit hook that
# records every file opened and every directory listed under the data directory.
_TRACER = '''\
"""Written by helpers.reports: record the files under $C5_TRACE_ROOT this process reads."""
import os as _os, sys as _sys


def _c5_trace():
    out, root = _os.environ.get("C5_TRACE_FILE"), _os.environ.get("C5_TRACE_ROOT")
    if not out or not root:
        return
    fd = _os.open(out, _os.O_WRONLY | _os.O_APPEND | _os.O_CREAT, 0o644)
    kinds, seen = {"open": "f", "os.listdir": "d", "os.scandir": "d"}, set()
    _sys._c5_trace_seen = seen  # cleared between runs when the kernel is reused

    def hook(event, args):
        kind = kinds.get(event)
        if kind is None or not args or isinstance(args[0], int):
            return
        try:
            path = _os.path.realpath(_os.fsdecode(args[0] if args[0] is not None else "."))
        except Exception:
            return
        if (kind, path) in seen or not (path == root or path.startswith(root + _os.sep)):
            return
        seen.add((kind, path))
        _os.write(fd, ("%s\\t%s\\n" % (kind, path)).encode("utf-8", "surrogateescape"))

    _sys.addaudithook(hook)


_c5_trace()
'''


# --------------------------------------------------------------------------- the matrix


@dataclass(frozen=True)
class Run:
    """One execution of one notebook with one parameter set.

    Attributes
    ----------
    notebook : str
        File name inside the notebooks directory, e.g. ``"02_trade_flows.ipynb"``.
    parameters : dict
        Parameters passed to papermill (empty: the notebook's defaults).
    slug : str
        Label and file stem of the outputs, e.g. ``"02_trade_flows--country=Kazakhstan"``.
    entry : str
        The matrix entry it came from, for messages.
    data : tuple of str
        Extra data dependencies declared in the matrix (globs relative to the data directory).
    """

    notebook: str
    parameters: dict
    slug: str
    entry: str
    data: tuple = ()


@dataclass(frozen=True)
class Matrix:
    """A validated parameter matrix and the project locations it applies to."""

    source: Path
    runs: tuple
    notebooks: Path
    data: Path
    helpers: Path
    lockfile: Path
    reports: Path
    timeout: float = DEFAULT_TIMEOUT
    kernel: str = "python3"


def _unsafe(text):
    """Return why ``text`` cannot be part of a file name, or None if it can."""
    for bad in ("/", "\\", ".."):
        if bad in text:
            return f"contains {bad!r}"
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        return "contains a control character"
    return None


def slug_for(notebook, parameters):
    """Return the label of a run: the notebook stem, then ``--name=value`` per parameter.

    >>> slug_for("02_trade_flows.ipynb", {"country": "Kazakhstan"})
    '02_trade_flows--country=Kazakhstan'
    >>> slug_for("00_sources.ipynb", {})
    '00_sources'
    """
    parts = [Path(notebook).stem]
    for name in sorted(parameters):
        value = parameters[name]
        text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
        parts.append(f"{name}={text}")
    return "--".join(parts)


def load_matrix(config=DEFAULT_CONFIG):
    """Read and validate a parameter matrix.

    Parameters
    ----------
    config : path-like
        The TOML file (``reports.toml``). Locations in its optional ``[paths]`` table are
        relative to the file; by default they are the repository layout next to it.

    Returns
    -------
    Matrix

    Raises
    ------
    MatrixError
        Naming the entry: unknown notebook, a parameter its ``parameters`` cell does not
        define, a value that would make an unsafe output name, a duplicated run.
    """
    config = Path(config).resolve()
    try:
        doc = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MatrixError(f"{config.name}: cannot read the matrix: {exc}") from exc
    where = {key: (config.parent / doc.get("paths", {}).get(key, default)).resolve()
             for key, default in zip(_PATH_KEYS, ("notebooks", "data", "src/helpers",
                                                  "requirements.lock", "reports"))}
    settings = doc.get("settings", {})
    runs, seen = [], {}
    for number, entry in enumerate(doc.get("report", []), 1):
        name = entry.get("notebook", "?")
        label = f"{config.name}: report #{number} ({name})"
        extra = set(entry) - _ENTRY_KEYS
        if extra:
            raise MatrixError(f"{label}: unknown key(s) {sorted(extra)}; "
                              f"allowed: {sorted(_ENTRY_KEYS)}")
        path = where["notebooks"] / name
        if "notebook" not in entry or _unsafe(name) or not path.is_file():
            raise MatrixError(f"{label}: notebook not found in {where['notebooks']}")
        known = notebook_parameters(path)
        sets = []
        if entry.get("defaults", "matrix" not in entry and "parameters" not in entry):
            sets.append({})
        sets.extend(dict(p) for p in entry.get("parameters", []))
        grid = entry.get("matrix", {})
        for combo in itertools.product(*grid.values()) if grid else ():
            sets.append(dict(zip(grid, combo)))
        for params in sets:
            for key, value in params.items():
                if key not in known:
                    have = ", ".join(known) or "none: no cell tagged 'parameters'"
                    raise MatrixError(f"{label}: parameter {key!r} is not defined by the "
                                      f"notebook's parameters cell (it defines {have})")
                text = value if isinstance(value, str) else json.dumps(value)
                why = _unsafe(key) or _unsafe(text)
                if why:
                    raise MatrixError(f"{label}: {key}={value!r} would make an unsafe output "
                                      f"name ({why})")
            slug = slug_for(name, params)
            if slug in seen:
                raise MatrixError(f"{label}: run {slug!r} duplicates {seen[slug]}")
            if len(slug) > 200:
                raise MatrixError(f"{label}: run name {slug[:40]!r}... longer than 200 characters")
            seen[slug] = label
            runs.append(Run(name, params, slug, label, tuple(entry.get("data", ()))))
    return Matrix(config, tuple(runs), where["notebooks"], where["data"], where["helpers"],
                  where["lockfile"], where["reports"],
                  float(settings.get("timeout", DEFAULT_TIMEOUT)),
                  settings.get("kernel", "python3"))


# --------------------------------------------------------------------------- the cache key


def _sha(data):
    return hashlib.sha256(data).hexdigest()


def _canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _code_sources(notebook):
    """The sources of a notebook's code cells, with their tags (plain JSON: no nbformat
    import, so that a build with nothing to do stays well under a second)."""
    with open(notebook, encoding="utf-8") as fh:
        cells = json.load(fh)["cells"]
    return [("".join(c["source"]) if isinstance(c["source"], list) else c["source"],
             c.get("metadata", {}).get("tags", [])) for c in cells if c["cell_type"] == "code"]


def notebook_parameters(notebook):
    """Names assigned in the notebook's cell tagged ``parameters`` (papermill's contract).

    >>> sorted(notebook_parameters(paths.NOTEBOOKS / "02_trade_flows.ipynb"))
    ['country', 'end_year', 'start_year']
    """
    import ast

    names = []
    for source, tags in _code_sources(notebook):
        if "parameters" in tags:
            for node in ast.parse(source).body:
                targets = node.targets if isinstance(node, ast.Assign) else (
                    [node.target] if isinstance(node, ast.AnnAssign) else [])
                names += [t.id for t in targets if isinstance(t, ast.Name)]
    return dict.fromkeys(names)


def code_digest(notebook):
    """Hash a notebook's code cells' sources only: outputs, metadata and markdown don't count."""
    return _sha(_canonical([source for source, _ in _code_sources(notebook)]).encode())


def tree_digest(root, patterns=("**/*",)):
    """Hash the names and contents of the files under ``root`` matching ``patterns``."""
    root = Path(root)
    files = sorted({p for pat in patterns for p in root.glob(pat) if p.is_file()
                    and "__pycache__" not in p.parts})
    h = hashlib.sha256()
    for path in files:
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(_sha(path.read_bytes()).encode() + b"\n")
    return h.hexdigest()


def static_key(run, matrix):
    """Hash everything but the data a run reads: code cells, parameters, helpers, lock file."""
    lock = matrix.lockfile.read_bytes() if matrix.lockfile.is_file() else b""
    return _sha(_canonical({
        "notebook": run.notebook,
        "code": code_digest(matrix.notebooks / run.notebook),
        "parameters": _canonical(run.parameters),
        "helpers": tree_digest(matrix.helpers, ("**/*.py", "**/*.mplstyle")),
        "lock": _sha(lock),
    }).encode())


def dep_value(dep, data_dir):
    """Return the current digest of one data dependency.

    ``dep`` is ``file:<rel>`` (contents), ``dir:<rel>`` (sorted names listed),
    ``glob:<pattern>`` (names and contents of the matches) or ``all:`` (every data file).
    """
    kind, _, rel = dep.partition(":")
    path = Path(data_dir) / rel
    if kind == "all":
        return tree_digest(data_dir)
    if kind == "glob":
        matches = sorted(p for p in Path(data_dir).glob(rel) if p.is_file())
        return _sha(_canonical([[p.relative_to(data_dir).as_posix(), _sha(p.read_bytes())]
                                for p in matches]).encode())
    if kind == "dir" or path.is_dir():
        return _sha(_canonical(sorted(os.listdir(path))).encode()) if path.is_dir() else "missing"
    return _sha(path.read_bytes()) if path.is_file() else "missing"


def deps_from_trace(trace_lines, data_dir, declared=()):
    """Turn the tracer's records into dependency names (see :func:`dep_value`).

    Each file read also depends on the listing of its directory, so a file added next to it
    (which the notebook may have probed with ``exists()``, not audited) re-runs the notebook.
    Without a trace (remote executor, tracer disabled) the run depends on all of ``data/``.
    """
    if trace_lines is None:
        deps = {"all:"}
    else:
        root, deps = Path(data_dir).resolve(), set()
        for line in trace_lines:
            kind, _, raw = line.partition("\t")
            try:
                rel = Path(raw).relative_to(root).as_posix()
            except ValueError:
                continue
            rel = "" if rel == "." else rel
            if kind == "d":
                deps.add(f"dir:{rel}")
            else:
                deps.add(f"file:{rel}")
                deps.add(f"dir:{Path(rel).parent.as_posix().lstrip('.')}")
    deps.update(f"glob:{pattern}" for pattern in declared)
    return sorted(deps)


def current_deps(deps, data_dir, cache=None):
    """Return ``{dep: digest}`` for dependency names, memoised in ``cache``."""
    cache = {} if cache is None else cache
    out = {}
    for dep in deps:
        if dep not in cache:
            cache[dep] = dep_value(dep, data_dir)
        out[dep] = cache[dep]
    return out


def cache_key(static, deps):
    """Combine a run's static key and its data dependencies' digests into its cache key."""
    return _sha(_canonical({"static": static, "data": deps}).encode())


def short(digest):
    """Short form of a digest for display."""
    return digest[:12]


# --------------------------------------------------------------------------- rendering


def render_html(nb_path, out_path, *, code=True, title=None):
    """Render an executed notebook to one self-contained HTML file.

    Images stay embedded as ``data:`` URIs; require.js is dropped and MathJax (the only
    CDN asset) is loaded only when the notebook contains LaTeX. With ``code=False`` inputs,
    prompts and the parameters cells are left out (the reader version).
    """
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    exporter = _exporter(code)
    math = any(
        (c.cell_type == "markdown" and _MATH_RE.search(c.source))
        or any("text/latex" in o.get("data", {}) for o in c.get("outputs", []))
        for c in nb.cells)
    body, _ = exporter.from_notebook_node(nb, resources={
        "c5_mathjax": math, "metadata": {"name": title or Path(nb_path).stem}})
    _write_text(out_path, body)


@functools.lru_cache(maxsize=2)
def _exporter(code):
    """One HTML exporter per kind, reused by a worker for every run (templates load once)."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="lab", template_file="c5.html.j2",
                            extra_loaders=[DictLoader({"c5.html.j2": _TEMPLATE})])
    if not code:
        exporter.exclude_input = exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
        exporter.register_preprocessor(TagRemovePreprocessor(
            remove_cell_tags={"parameters", "injected-parameters"}, enabled=True), enabled=True)
    return exporter


def _write_text(path, text):
    tmp = Path(f"{path}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# --------------------------------------------------------------------------- execution


def _is_kernel_start_error(exc):
    """True for failures to start a kernel (port race, ZMQ bind), worth retrying."""
    from papermill.exceptions import PapermillExecutionError

    while exc is not None:
        if isinstance(exc, PapermillExecutionError):
            return False
        text = f"{type(exc).__name__}: {exc}".lower()
        if type(exc).__name__ == "ZMQError" or any(s in text for s in (
                "address already in use", "kernel died before replying",
                "kernel didn't respond", "kernel didn't start", "zmq")):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _describe(exc, lines=6):
    """Exception name and message, first lines only."""
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    text = f"{ename}: {evalue}" if ename else f"{type(exc).__name__}: {exc}"
    return "\n".join(text.strip().splitlines()[:lines])


_KM_CLASS = []


def ipc_kernel_manager():
    """Return a kernel manager class that talks to its kernel over Unix sockets, or None.

    Each kernel gets private socket paths under the temp directory, so parallel workers
    cannot race for TCP ports (and ipykernel does not warn about unencrypted TCP). On
    Windows (no IPC transport) returns None: papermill's default TCP manager is used.
    """
    if os.name != "posix":
        return None
    if not _KM_CLASS:
        import tempfile
        import uuid

        from jupyter_client.manager import AsyncKernelManager
        from traitlets import default

        class IPCKernelManager(AsyncKernelManager):
            """AsyncKernelManager over the ``ipc`` transport with a short, unique socket path."""

            @default("transport")
            def _default_transport(self):
                return "ipc"

            @default("ip")
            def _default_ip(self):
                return os.path.join(tempfile.gettempdir(), f"c5k-{uuid.uuid4().hex[:12]}")

        _KM_CLASS.append(IPCKernelManager)
    return _KM_CLASS[0]


def _init_worker():
    """Pool initializer: import the heavy modules once per (reused) worker; let the parent
    handle Ctrl-C; turn SIGTERM into KeyboardInterrupt so papermill shuts its kernel down."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def _stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401


# Executed (silently, in a throwaway namespace) in a reused kernel before each run, so the run
# starts as in a fresh kernel: empty user namespace and history (execution count 1), the
# project's helpers re-imported (their caches must not hide a data read from the tracer),
# matplotlib figures closed and rcParams as loaded from the rc files, warning filters and
# "shown once" registries restored, the tracer's memory cleared, the run's working directory.
_RESET = r'''
def _c5_reset(cwd):
    import os, sys, warnings
    from IPython import get_ipython
    base = getattr(sys, "_c5_baseline", None)
    if base is None:
        sys._c5_baseline = {"modules": set(sys.modules), "filters": list(warnings.filters)}
    else:
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
        if "matplotlib" in sys.modules:
            sys.modules["matplotlib"].rc_file_defaults()
        for name in [m for m in sys.modules if m == "helpers" or m.startswith("helpers.")]:
            del sys.modules[name]
        warnings.filters[:] = base["filters"]
        warnings._filters_mutated()
        for module in list(sys.modules.values()):
            registry = getattr(module, "__warningregistry__", None)
            if isinstance(registry, dict):
                registry.clear()
        get_ipython().reset(new_session=True)
    seen = getattr(sys, "_c5_trace_seen", None)
    if seen is not None:
        seen.clear()
    os.chdir(cwd)
'''
_WARM = {}  # this worker's reused kernel: {"key", "km", "kc", "trace"}
_ENGINE = "c5-save-at-end"


def _register_engine():
    """Register (once per process) papermill's nbclient engine, saving the output notebook
    when the run starts and ends (also on error) instead of at every cell's start and end:
    ~2 full rewrites instead of ~80 for a 40-cell notebook with figures."""
    from papermill.engines import NBClientEngine, papermill_engines

    if _ENGINE in papermill_engines._engines:
        return

    class SaveAtEndEngine(NBClientEngine):
        """NBClientEngine that defers the per-cell saves to the end of the run."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            save = nb_man.save
            nb_man.save = lambda **_: None
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            finally:
                nb_man.save = save  # notebook_complete() saves, after success or error

    papermill_engines.register(_ENGINE, SaveAtEndEngine)


def _start_kernel(task):
    """Start a kernel for ``task`` (ipc transport where available) with the data-read tracer
    on its ``PYTHONPATH`` when ``task["tracer_dir"]`` is set; return ``{"key", "km", "kc",
    "trace"}``. The environment is passed to the kernel, never set in the worker's own."""
    from jupyter_client import BlockingKernelClient
    from jupyter_core.utils import run_sync

    env, trace = dict(os.environ), None
    if task.get("tracer_dir"):
        trace = os.path.join(task["tracer_dir"], f"trace-{os.getpid()}")
        open(trace, "w").close()
        pythonpath = (task["tracer_dir"], os.environ.get("PYTHONPATH", ""))
        env.update(C5_TRACE_FILE=trace, C5_TRACE_ROOT=task["trace_root"],
                   PYTHONPATH=os.pathsep.join(p for p in pythonpath if p))
    manager_class = ipc_kernel_manager()
    if manager_class is None:
        from jupyter_client.manager import AsyncKernelManager as manager_class
    km = manager_class(kernel_name=task["kernel"])
    run_sync(km.start_kernel)(cwd=task["cwd"], env=env)
    kc = BlockingKernelClient()
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return {"key": (task["kernel"], task.get("tracer_dir"), task.get("trace_root")),
            "km": km, "kc": kc, "trace": trace}


def _warm_kernel(task):
    """This worker's kernel, started on first use and reused while its set-up is the same.

    One kernel per worker (DESIGN.md): the notebooks' heavy imports (pandas, matplotlib,
    seaborn, scikit-learn) are paid once per worker instead of once per run; :data:`_RESET`
    makes each run start as in a fresh kernel. ``task["fresh_kernel"]`` opts out.
    """
    from jupyter_core.utils import run_sync

    key = (task["kernel"], task.get("tracer_dir"), task.get("trace_root"))
    warm = _WARM.get("kernel")
    if warm and warm["key"] == key and run_sync(warm["km"].is_alive)():
        _reset_kernel(warm, task["cwd"])
        return warm
    _discard_kernel()
    _WARM["kernel"] = warm = _start_kernel(task)
    if not _WARM.get("finalizer"):
        import multiprocessing.util

        _WARM["finalizer"] = multiprocessing.util.Finalize(None, _discard_kernel, exitpriority=10)
    _reset_kernel(warm, task["cwd"])
    return warm


def _discard_kernel(kernel=None):
    """Shut a kernel down: by default this worker's reused one (also at worker exit)."""
    from jupyter_core.utils import run_sync

    kernel = kernel or _WARM.pop("kernel", None)
    if kernel:
        try:
            kernel["kc"].stop_channels()
            run_sync(kernel["km"].shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - a kernel that is already gone is fine
            pass


def _reset_kernel(warm, cwd):
    source = _RESET + f"\n_c5_reset({cwd!r})\n"
    code = f"exec(compile({source!r}, '<c5-reset>', 'exec'), {{}})"
    reply = warm["kc"].execute_interactive(code, silent=True, store_history=False, timeout=60)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"could not reset the kernel: {reply['content'].get('evalue')}")
    if warm["trace"]:
        open(warm["trace"], "w").close()


def execute_run(task):
    """Execute one run with papermill and render it; runs inside a pool worker.

    Parameters
    ----------
    task : dict
        ``input``, ``output`` (executed .ipynb), ``parameters``, ``cwd``, ``kernel``,
        ``timeout``, ``retries``, ``slug``, ``render`` (bool) and, for tracing,
        ``tracer_dir`` and ``trace_root`` (None: no tracing); ``fresh_kernel`` (bool) starts
        a kernel for this run alone instead of reusing the worker's.

    Returns
    -------
    dict
        ``slug``, ``ok``, ``error``, ``duration``, ``attempts``, ``trace`` (list of lines or
        None) and ``peak_rss_mb`` (largest kernel of this worker so far).
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    _register_engine()
    start, error, attempts, lines = time.monotonic(), None, 0, None
    for attempts in range(1, task["retries"] + 2):
        kernel = None
        try:
            kernel = _start_kernel(task) if task.get("fresh_kernel") else _warm_kernel(task)
            try:
                papermill.execute_notebook(
                    task["input"], task["output"], parameters=task["parameters"] or None,
                    kernel_name=task["kernel"], cwd=task["cwd"], progress_bar=False,
                    execution_timeout=task["timeout"], log_output=False, engine_name=_ENGINE,
                    km=kernel["km"])
            finally:
                lines = _read_trace(kernel)
                if task.get("fresh_kernel"):
                    _discard_kernel(kernel)
            error = None
            break
        except Exception as exc:  # noqa: BLE001 - reported in the index, never crashes the pool
            error = _describe(exc)
            if not isinstance(exc, PapermillExecutionError):
                _discard_kernel()  # died, timed out or never started: the next run starts afresh
            if not (_is_kernel_start_error(exc) and attempts <= task["retries"]):
                break
            time.sleep(0.5 * attempts)
    duration = time.monotonic() - start
    if task.get("render") and error is None:
        out = Path(task["output"])
        render_html(out, out.with_suffix(".html"), code=False, title=task["slug"])
    return {"slug": task["slug"], "ok": error is None, "error": error, "attempts": attempts,
            "duration": round(duration, 2), "trace": lines, "peak_rss_mb": _peak_rss_mb(),
            "worker": os.getpid()}


def _read_trace(kernel):
    """The lines the kernel's tracer recorded during this run (None when not tracing)."""
    if not kernel or not kernel["trace"] or not os.path.exists(kernel["trace"]):
        return None
    with open(kernel["trace"], encoding="utf-8", errors="surrogateescape") as fh:
        return fh.read().splitlines()


def _peak_rss_mb():
    """Peak resident memory (MB) of this worker's kernel: its reused kernel's high-water mark
    (Linux /proc VmHWM, else its current RSS via psutil), else the largest finished child."""
    warm = _WARM.get("kernel")
    pid = getattr(warm["km"].provisioner, "pid", None) if warm and warm["km"].provisioner else None
    if pid:
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("VmHWM:"):
                        return round(int(line.split()[1]) / 1024, 1)
        except OSError:
            try:
                import psutil

                return round(psutil.Process(pid).memory_info().rss / 2**20, 1)
            except Exception:  # noqa: BLE001 - memory is informative only
                pass
    try:
        import resource
    except ImportError:  # Windows
        return None
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    usage = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(usage * scale / 2**20, 1) or None


def make_executor(kind="process", jobs=None, scheduler=None):
    """Return a ``concurrent.futures``-compatible executor.

    Parameters
    ----------
    kind : {"process", "dask"}
        ``process``: a local pool of ``jobs`` spawned workers, reused for every run of the
        build (imports paid once per worker). ``dask``: a ``distributed`` client's executor,
        on the cluster at ``scheduler`` or a local cluster of ``jobs`` single-threaded workers;
        workers must see the repository at the same path (shared file system).
    """
    jobs = jobs or os.cpu_count() or 1
    if kind == "process":
        return concurrent.futures.ProcessPoolExecutor(
            max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker)
    if kind == "dask":
        try:
            from distributed import Client
        except ImportError as exc:
            raise MatrixError("--executor dask needs the 'distributed' package installed") from exc
        client = (Client(scheduler) if scheduler
                  else Client(n_workers=jobs, threads_per_worker=1, processes=True))
        return client.get_executor()
    raise MatrixError(f"unknown executor {kind!r}: use 'process' or 'dask'")


def _stop_executor(executor):
    """Cancel queued runs and stop the workers (their kernels are shut down by papermill)."""
    procs = list((getattr(executor, "_processes", None) or {}).values())
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    executor.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + 15
    for proc in procs:
        proc.join(max(0.1, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()


def _run_tasks(tasks, executor, on_done):
    """Submit ``tasks`` to ``executor``; call ``on_done(result)`` as each finishes."""
    futures = {executor.submit(execute_run, t): t for t in tasks}
    for future in concurrent.futures.as_completed(futures):
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001 - a dead worker is a failed run, not a crash
            t = futures[future]
            result = {"slug": t["slug"], "ok": False, "error": _describe(exc), "attempts": 1,
                      "duration": 0.0, "trace": None, "peak_rss_mb": None}
        on_done(result)


class Progress:
    """A tqdm bar on a terminal, plain ``[i/n] status slug 1.2s`` lines otherwise."""

    def __init__(self, total, stream=None):
        self.total, self.done, self.stream = total, 0, stream or sys.stderr
        self.bar = None
        if self.stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="run", file=self.stream)

    def update(self, status, slug, duration):
        self.done += 1
        if self.bar is not None:
            self.bar.set_postfix_str(f"{status} {slug}", refresh=False)
            self.bar.update(1)
        else:
            print(f"[{self.done}/{self.total}] {status} {slug} {duration:.1f}s",
                  file=self.stream, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


# --------------------------------------------------------------------------- publishing


@dataclass
class BuildResult:
    """What :func:`build` did: one manifest entry per run and where it was published."""

    entries: list
    build_dir: Path
    data_version: str
    duration: float = 0.0
    executed: list = field(default_factory=list)

    @property
    def failures(self):
        """Entries whose run failed this time (``failed`` or ``stale``)."""
        return [e for e in self.entries if e["status"] in ("failed", "stale")]

    @property
    def exit_code(self):
        """0 when every run is ok or reused, 1 when some run failed."""
        return 1 if self.failures else 0


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _acquire(reports):
    from filelock import FileLock, Timeout

    reports.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(reports / ".lock"), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        try:
            pid = int((reports / ".lock.pid").read_text().strip())
        except (OSError, ValueError):
            pid = None
        raise BuildLockedError(pid) from None
    (reports / ".lock.pid").write_text(f"{os.getpid()}\n")
    return lock


def _release(reports, lock):
    try:
        (reports / ".lock.pid").unlink()
    except OSError:
        pass
    lock.release()


def _previous(reports):
    """The published build directory and its manifest entries by slug (or None, {})."""
    current = reports / "current"
    try:
        manifest = json.loads((current / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, {}
    return current.resolve(), {e["slug"]: e for e in manifest.get("runs", [])}


def _carry(src_dir, dst_dir, names):
    """Hard-link (or copy) published files of a run from the previous build."""
    for name in names:
        src = src_dir / name
        if src.is_file():
            try:
                os.link(src, dst_dir / name)
            except OSError:
                shutil.copy2(src, dst_dir / name)


def _publish(reports, staging, build_id):
    """Move ``staging`` to ``builds/<id>``, swap ``current`` atomically, keep the last builds."""
    builds = reports / "builds"
    builds.mkdir(exist_ok=True)
    current = reports / "current"
    previous = current.resolve().name if current.is_symlink() else None
    os.rename(staging, builds / build_id)
    tmp = reports / f".current-{os.getpid()}"
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(Path("builds") / build_id, tmp)
    os.replace(tmp, current)
    redirect = ('<!doctype html><meta charset="utf-8"><title>C5+1 reports</title>'
                '<meta http-equiv="refresh" content="0; url=current/index.html">'
                '<a href="current/index.html">C5+1 reports</a>\n')
    index = reports / "index.html"
    if not index.is_file() or index.read_text(encoding="utf-8") != redirect:
        _write_text(index, redirect)
    keep = {build_id, previous} if KEEP_BUILDS >= 2 else {build_id}
    for old in builds.iterdir():
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    return builds / build_id


def _clean_stale(reports):
    """Remove staging directories left by killed builds (we hold the lock: none is live)."""
    for path in reports.glob(".staging-*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in reports.glob(".current-*"):
        path.unlink(missing_ok=True)


def _build_id(reports):
    """A new, unused build name: UTC time to the millisecond, then the pid."""
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S.%f")[:-3]
    name, n = f"{stamp}-{os.getpid()}", 1
    while (reports / "builds" / name).exists():
        name, n = f"{stamp}-{os.getpid()}-{n}", n + 1
    return name


def _files(slug):
    return {"report": f"{slug}.html", "notebook": f"{slug}.ipynb"}


def build(config=DEFAULT_CONFIG, *, output=None, jobs=None, timeout=None, force=False,
          executor="process", scheduler=None, retries=2, progress=True, matrix=None):
    """Build every report of the matrix and publish the set atomically.

    Parameters
    ----------
    config : path-like
        The matrix (``reports.toml``); ignored when ``matrix`` is given.
    output : path-like, optional
        Reports directory (default: the matrix's, ``reports/``).
    jobs : int, optional
        Parallel runs (default ``os.cpu_count()``).
    timeout : float, optional
        Per-cell timeout in seconds (default: the matrix's, 600).
    force : bool
        Re-run every run, even those whose cache key is unchanged.
    executor : {"process", "dask"} or concurrent.futures.Executor
        Where runs execute (see :func:`make_executor`); an instance is used as is.
    scheduler : str, optional
        Dask scheduler address for ``executor="dask"``.
    retries : int
        Extra attempts for a run whose kernel failed to start.
    progress : bool
        Show progress (tqdm on a terminal, log lines otherwise).

    Returns
    -------
    BuildResult

    Raises
    ------
    MatrixError
        Bad matrix: nothing ran.
    BuildLockedError
        Another build holds ``reports/.lock``.
    KeyboardInterrupt
        Interrupted: the staging directory is removed, the published set is untouched.
    """
    started = time.monotonic()
    matrix = matrix or load_matrix(config)
    reports = Path(output).resolve() if output else matrix.reports
    timeout = matrix.timeout if timeout is None else timeout
    lock = _acquire(reports)
    staging = reports / f".staging-{os.getpid()}"
    own_executor = not isinstance(executor, concurrent.futures.Executor)
    pool = None
    try:
        _clean_stale(reports)
        staging.mkdir()
        prev_dir, prev = _previous(reports)
        memo = {}
        data_version = short(dep_value("all:", matrix.data))
        entries, tasks, statics = {}, [], {}
        bar = Progress(len(matrix.runs)) if progress else None
        for run in matrix.runs:
            statics[run.slug] = static = static_key(run, matrix)
            old = prev.get(run.slug)
            if (not force and old and old.get("static_key") == static
                    and current_deps(old["deps"], matrix.data, memo) == old["deps"]
                    and all((prev_dir / f).is_file() for f in old["files"].values())):
                _carry(prev_dir, staging, old["files"].values())
                entries[run.slug] = {**old, "status": "skipped-reused", "error": None,
                                     "failed_notebook": None}
                if bar:
                    bar.update("skipped-reused", run.slug, 0.0)
                continue
            tasks.append({
                "slug": run.slug, "input": str(matrix.notebooks / run.notebook),
                "output": str(staging / f"{run.slug}.ipynb"), "parameters": run.parameters,
                "cwd": str(matrix.notebooks), "kernel": matrix.kernel, "timeout": timeout,
                "retries": retries, "render": True,
                "trace_root": str(matrix.data.resolve()),
                "tracer_dir": str(staging / ".tracer")})
        by_slug = {run.slug: run for run in matrix.runs}

        def done(result):
            run = by_slug[result["slug"]]
            entry = {"slug": run.slug, "notebook": run.notebook, "parameters": run.parameters,
                     "error": result["error"], "failed_notebook": None,
                     "peak_rss_mb": result["peak_rss_mb"], "attempts": result["attempts"],
                     "worker": result.get("worker")}
            if result["ok"]:
                deps = current_deps(deps_from_trace(result["trace"], matrix.data, run.data),
                                    matrix.data, memo)
                entry.update(status="ok", duration=result["duration"], built=_now(),
                             static_key=statics[run.slug], deps=deps,
                             key=cache_key(statics[run.slug], deps),
                             data_version=short(_sha(_canonical(deps).encode())),
                             files=_files(run.slug))
            else:
                failed = staging / f"{run.slug}.failed.ipynb"
                if (staging / f"{run.slug}.ipynb").is_file():
                    os.replace(staging / f"{run.slug}.ipynb", failed)
                    entry["failed_notebook"] = failed.name
                old = prev.get(run.slug)
                if old and old.get("key") and all(
                        (prev_dir / f).is_file() for f in old["files"].values()):
                    _carry(prev_dir, staging, old["files"].values())
                    entry = {**old, **{k: v for k, v in entry.items() if k != "peak_rss_mb"},
                             "status": "stale", "failed_duration": result["duration"]}
                else:
                    entry.update(status="failed", duration=result["duration"], built=_now(),
                                 static_key=None, deps={}, key=None, data_version=None,
                                 files={})
            entries[run.slug] = entry
            if bar:
                bar.update(entry["status"], run.slug, result["duration"])

        if tasks:
            # longest first (durations of the last build), so no long run is left for the end
            tasks.sort(key=lambda t: -((prev.get(t["slug"]) or {}).get("duration") or 0))
            (staging / ".tracer").mkdir()
            (staging / ".tracer" / "sitecustomize.py").write_text(_TRACER, encoding="utf-8")
            pool = make_executor(executor, min(jobs or os.cpu_count() or 1, len(tasks)),
                                 scheduler) if own_executor else executor
            _run_tasks(tasks, pool, done)
            if own_executor:
                pool.shutdown(wait=True)
            pool = None
            shutil.rmtree(staging / ".tracer", ignore_errors=True)
        if bar:
            bar.close()
        ordered = [entries[run.slug] for run in matrix.runs]
        build_id = _build_id(reports)
        meta = {"id": build_id, "built": _now(), "data_version": data_version,
                "config": matrix.source.name, "python": sys.version.split()[0]}
        _write_text(staging / "manifest.json",
                    json.dumps({"build": meta, "runs": ordered}, sort_keys=True, indent=2) + "\n")
        _write_text(staging / "index.html", render_index(meta, ordered))
        published = _publish(reports, staging, build_id)
        return BuildResult(ordered, published, data_version, time.monotonic() - started,
                           [t["slug"] for t in tasks])
    except BaseException:
        if pool is not None and own_executor:
            _stop_executor(pool)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        _release(reports, lock)


def render_index(meta, entries):
    """Return the self-contained ``index.html`` listing every run (no external assets)."""
    from urllib.parse import quote as _quote

    def quote(name):
        return _quote(name, safe="=,+@")

    esc = html.escape
    rows = []
    for e in entries:
        files = e.get("files") or {}
        link = (f'<a href="{quote(files["report"])}">{esc(e["slug"])}</a>' if files
                else esc(e["slug"]))
        extra = [f'<a href="{quote(files[k])}">{k}</a>' for k in ("notebook",)
                 if k in files]
        if e.get("failed_notebook"):
            extra.append(f'<a href="{quote(e["failed_notebook"])}">failed run</a>')
        params = ", ".join(f"{k}={v}" for k, v in sorted(e["parameters"].items())) or "defaults"
        error = (f'<tr class="error"><td colspan="8"><pre>{esc(e["error"])}</pre></td></tr>'
                 if e.get("error") else "")
        dur = f'{e["duration"]:.1f} s' if e.get("duration") is not None else ""
        rows.append(
            f'<tr class="{esc(e["status"])}"><td>{link}</td><td>{esc(e["notebook"])}</td>'
            f"<td>{esc(params)}</td><td>{esc(e['status'])}</td><td>{dur}</td>"
            f"<td><code>{esc(e.get('data_version') or '')}</code></td>"
            f"<td>{esc(e.get('built') or '')}</td><td>{' · '.join(extra)}</td></tr>{error}")
    counts = ", ".join(f"{sum(e['status'] == s for e in entries)} {s}" for s in STATUSES)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>C5+1 reports</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; }}
.scroll {{ overflow-x: auto; }} table {{ border-collapse: collapse; font-size: .9rem; }}
td, th {{ padding: .3rem .6rem; text-align: left;
  border-bottom: 1px solid #ddd; vertical-align: top; }}
tr.failed td, tr.stale td {{ background: #fff3f0; }} tr.error pre {{ margin: 0; color: #a00;
  white-space: pre-wrap; }} tr.skipped-reused td {{ color: #555; }}
</style></head><body>
<h1>C5+1 reports</h1>
<p>Build <code>{esc(meta['id'])}</code>, {esc(meta['built'])}; data version
<code>{esc(meta['data_version'])}</code>; {esc(counts)}.
Stale: the run failed, the last good report is shown.</p>
<div class="scroll"><table><thead><tr><th>report</th><th>notebook</th><th>parameters</th><th>status</th>
<th>duration</th><th>data</th><th>built</th><th>files</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></div></body></html>
"""


# --------------------------------------------------------------------------- handouts


def _notebooks(names, directory):
    """Absolute paths of the named notebooks (a path, or a name inside ``directory``)."""
    if names:
        return [(Path(n) if Path(n).exists() else Path(directory) / n).resolve() for n in names]
    return sorted(p.resolve() for p in Path(directory).glob("*.ipynb"))


def make_handouts(notebooks=None, *, source=paths.NOTEBOOKS, output=paths.HANDOUTS):
    """Write student and instructor handouts.

    ``<output>/student/<name>.ipynb``: cells tagged ``solution`` removed, every output and
    execution count cleared. ``<output>/instructor/<name>.ipynb`` and ``.html``: the committed
    notebook with its solutions and outputs.

    Returns
    -------
    list of Path
        The files written.
    """
    import nbformat

    student, instructor = Path(output) / "student", Path(output) / "instructor"
    student.mkdir(parents=True, exist_ok=True)
    instructor.mkdir(parents=True, exist_ok=True)
    written = []
    for path in _notebooks(notebooks, source):
        nb = nbformat.read(path, as_version=4)
        shutil.copyfile(path, instructor / path.name)
        render_html(path, instructor / f"{path.stem}.html", code=True)
        nb.cells = [c for c in nb.cells if "solution" not in c.metadata.get("tags", [])]
        for cell in nb.cells:
            for key in ("papermill", "execution", "collapsed", "scrolled"):
                cell.metadata.pop(key, None)
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nb.metadata.pop("papermill", None)
        nbformat.write(nb, student / path.name)
        written += [student / path.name, instructor / path.name, instructor / f"{path.stem}.html"]
    return written


# --------------------------------------------------------------------------- execute in place


def _merge_outputs(original, executed):
    """Copy outputs and execution counts of ``executed`` into ``original`` cell by cell, so
    metadata (kernelspec, papermill timings, tags) stays exactly as committed."""
    by_id = {c.get("id"): c for c in executed.cells if c.get("id")}
    for number, cell in enumerate(original.cells):
        if cell.cell_type != "code":
            continue
        new = by_id.get(cell.get("id")) or executed.cells[number]
        cell.outputs, cell.execution_count = new.outputs, new.execution_count
    return original


def execute_in_place(notebooks=None, *, source=paths.NOTEBOOKS, jobs=None,
                     timeout=DEFAULT_TIMEOUT, kernel="python3", progress=True):
    """Re-execute committed notebooks with their defaults and write them back in place.

    Only outputs and execution counts change; a notebook whose run fails is left untouched.

    Returns
    -------
    list of dict
        One result per notebook (``slug``, ``ok``, ``error``, ``duration``).
    """
    import nbformat

    targets = _notebooks(notebooks, source)
    tmpdir = Path(source) / f".execute-{os.getpid()}"
    tmpdir.mkdir(exist_ok=True)
    tasks = [{"slug": p.stem, "input": str(p), "output": str(tmpdir / p.name), "parameters": {},
              "cwd": str(p.parent), "kernel": kernel, "timeout": timeout, "retries": 2,
              "render": False} for p in targets]
    results, bar = [], Progress(len(tasks)) if progress else None
    by_slug = {p.stem: p for p in targets}

    def done(result):
        if result["ok"]:
            path = by_slug[result["slug"]]
            merged = _merge_outputs(nbformat.read(path, as_version=4),
                                    nbformat.read(tmpdir / path.name, as_version=4))
            tmp = path.with_name(f".{path.name}.tmp")
            nbformat.write(merged, tmp)
            os.replace(tmp, path)
        results.append(result)
        if bar:
            bar.update("ok" if result["ok"] else "failed", result["slug"], result["duration"])

    pool = make_executor("process", min(jobs or os.cpu_count() or 1, max(1, len(tasks))))
    try:
        _run_tasks(tasks, pool, done)
        pool.shutdown(wait=True)
    except BaseException:
        _stop_executor(pool)
        raise
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
        if bar:
            bar.close()
    return results
