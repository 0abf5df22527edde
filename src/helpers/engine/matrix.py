"""Read the report matrix (``reports.toml``): which notebook runs with which parameters.

:func:`load_matrix` is the pre-flight of every build and all of ``c5 reports --check``: it
refuses a bad matrix before any kernel starts, naming the file, the entry and the value and
suggesting the nearest valid name or value: an unknown table (``[[reports]]``), notebook or
key; a matrix with no run; a parameter the notebook's ``parameters`` cell does not define; a
value its declaration (``notebooks/parameters.toml``, :mod:`helpers.data.parameters`) refuses
(type, allowed values, range, an inverted pair); a value that would make an unsafe or too long
output name; a data glob outside ``data/``; a duplicated run. Aliases become their canonical
value first, so "Kyrgyz Republic" and "Kyrgyzstan" are one run. It reads notebooks as plain
JSON (no nbformat, no papermill), so the pre-flight stays well under a second.
"""

import ast
import itertools
import json
import os
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..data import parameters as declared
from ..data import paths
from ..errors import C5Error, MatrixError

DEFAULT_CONFIG = paths.ROOT / "reports.toml"
DEFAULT_TIMEOUT = 600
_ENTRY_KEYS = {"notebook", "defaults", "matrix", "parameters", "data"}
_TOP_KEYS = {"settings", "paths", "report"}
_SETTINGS_KEYS = {"timeout", "kernel"}
#: the longest file a run writes is ``<slug>.failed.ipynb``; names longer than this are refused
FAILED_SUFFIX = ".failed.ipynb"
#: locations a matrix may override in ``[paths]`` (relative to its file), with their defaults
PATH_DEFAULTS = {"notebooks": "notebooks", "data": "data", "seeds": "seeds",
                 "helpers": "src/helpers", "lockfile": "requirements.lock", "reports": "reports"}


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
    seeds: Path
    helpers: Path
    lockfile: Path
    reports: Path
    timeout: float = DEFAULT_TIMEOUT
    kernel: str = "python3"

    @property
    def trace_roots(self):
        """The directories whose files a run's recorded reads are keyed on: data and seeds."""
        return {"data": self.data, "seeds": self.seeds}


def read_cells(notebook):
    """The cells of a notebook file as plain dicts: ``cell_type``, ``source`` (one string), ``tags``."""
    with open(notebook, encoding="utf-8") as fh:
        cells = json.load(fh)["cells"]
    return [{"cell_type": c["cell_type"],
             "source": "".join(c["source"]) if isinstance(c["source"], list) else c["source"],
             "tags": c.get("metadata", {}).get("tags", [])} for c in cells]


def notebook_parameters(notebook):
    """Names assigned in the notebook's cell tagged ``parameters`` (papermill's contract),
    each with its default where that is a literal (else None).

    >>> notebook_parameters(paths.NOTEBOOKS / "03_great_power_competition.ipynb")["start_year"]
    2010
    """
    names = {}
    for cell in read_cells(notebook):
        if cell["cell_type"] == "code" and "parameters" in cell["tags"]:
            for node in ast.parse(cell["source"]).body:
                targets = node.targets if isinstance(node, ast.Assign) else (
                    [node.target] if isinstance(node, ast.AnnAssign) else [])
                try:
                    value = ast.literal_eval(node.value) if node.value is not None else None
                except (ValueError, TypeError, SyntaxError, AttributeError):
                    value = None
                names.update({t.id: value for t in targets if isinstance(t, ast.Name)})
    return names


def _hint(value, valid):
    near = declared.nearest(value, valid)
    return f" (did you mean {near!r}?)" if near is not None else ""


def name_max(folder):
    """The longest file name (bytes) the file system of ``folder`` (or its nearest existing
    parent) accepts; 255 where it cannot be asked."""
    folder = Path(folder)
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


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


def _parameter_sets(entry):
    """The parameter sets of one ``[[report]]`` entry: defaults, explicit sets, the grid."""
    sets = []
    if entry.get("defaults", "matrix" not in entry and "parameters" not in entry):
        sets.append({})
    sets.extend(dict(p) for p in entry.get("parameters", []))
    grid = entry.get("matrix", {})
    for combo in itertools.product(*grid.values()) if grid else ():
        sets.append(dict(zip(grid, combo)))
    return sets


def _check_data_globs(label, entry, data):
    globs = entry.get("data", [])
    if not isinstance(globs, list) or not all(isinstance(g, str) for g in globs):
        return [f"{label}: data must be a list of globs under data/, got {globs!r}"]
    bad = []
    for pattern in globs:
        parts = Path(pattern).parts
        if Path(pattern).is_absolute() or ".." in parts or not pattern:
            bad.append(f"{label}: data glob {pattern!r} is outside data/ (write it relative "
                       f"to {data}, without '..')")
    return bad


def _entry_runs(label, entry, where, seen, runs):
    """Validate one ``[[report]]`` entry; append its runs; return its problems."""
    name = entry.get("notebook", "?")
    problems = []
    extra = sorted(set(entry) - _ENTRY_KEYS)
    if extra:
        return [f"{label}: unknown key(s) {extra}{_hint(extra[0], sorted(_ENTRY_KEYS))}; "
                f"allowed: {sorted(_ENTRY_KEYS)}"]
    path = where["notebooks"] / name if isinstance(name, str) else None
    if "notebook" not in entry or not isinstance(name, str) or _unsafe(name) \
            or not path.is_file():
        have = sorted(p.name for p in where["notebooks"].glob("*.ipynb"))
        return [f"{label}: notebook not found in {where['notebooks']}{_hint(name, have)}"]
    problems += _check_data_globs(label, entry, where["data"])
    known = notebook_parameters(path)
    try:
        specs = declared.declaration(name, where["notebooks"])
    except C5Error as exc:
        return problems + [f"{label}: {exc}"]
    limit = name_max(where["reports"])
    if not _parameter_sets(entry):
        problems.append(f"{label}: the entry has no run (an empty list in its matrix or "
                        f"parameters); give values, or defaults = true")
    for params in _parameter_sets(entry):
        bad = False
        for key, value in params.items():
            if key not in known:
                have = ", ".join(known) or "none: no cell tagged 'parameters'"
                problems.append(f"{label}: parameter {key!r} is not defined by the notebook's "
                                f"parameters cell{_hint(key, list(known))} (it defines {have})")
                bad = True
                continue
            text = value if isinstance(value, str) else json.dumps(value)
            why = _unsafe(key) or _unsafe(text)
            if why:
                problems.append(f"{label}: {key}={value!r} would make an unsafe output name "
                                f"({why})")
                bad = True
        if bad:
            continue
        raw = dict(params)
        try:
            params = declared.check(name, params, {k: v for k, v in specs.items() if k in known},
                                    where["data"], defaults=known)
        except C5Error as exc:
            problems.append(f"{label}: {exc}")
            continue
        slug = slug_for(name, params)
        size = len((slug + FAILED_SUFFIX).encode("utf-8"))
        if size > limit:
            problems.append(f"{label}: run name {slug[:40]!r}... is too long for the file "
                            f"system ({size} bytes with {FAILED_SUFFIX!r}; at most {limit})")
            continue
        if slug in seen:  # the same values written twice is a mistake; an alias is not
            first, first_raw = seen[slug]
            if first_raw == raw:
                problems.append(f"{label}: run {slug!r} duplicates {first}")
            continue
        seen[slug] = (label, raw)
        runs.append(Run(name, params, slug, label, tuple(entry.get("data", ()))))
    return problems


def load_matrix(config=DEFAULT_CONFIG):
    """Read and validate a parameter matrix: the pre-flight of a build (nothing has started).

    Parameters
    ----------
    config : path-like
        The TOML file (``reports.toml``). Locations in its optional ``[paths]`` table are
        relative to the file; by default they are the repository layout next to it.

    Returns
    -------
    Matrix
        Its runs with canonical parameter values (an alias becomes the value it stands for).

    Raises
    ------
    MatrixError
        Every problem found, one line each, naming the file, the entry and the value, with the
        nearest valid name or value (see the module doc).
    """
    config = Path(config).resolve()
    try:
        doc = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MatrixError(f"{config.name}: cannot read the matrix: {exc}") from exc
    problems = [f"{config.name}: unknown table [{key}]{_hint(key, sorted(_TOP_KEYS))}; "
                f"allowed: [settings], [paths], [[report]]"
                for key in sorted(set(doc) - _TOP_KEYS)]
    settings = doc.get("settings", {})
    problems += [f"{config.name}: [settings] unknown key {key!r}"
                 f"{_hint(key, sorted(_SETTINGS_KEYS))}" for key in set(settings) - _SETTINGS_KEYS]
    timeout = settings.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout > 0:
        problems.append(f"{config.name}: [settings] timeout must be a positive number of "
                        f"seconds, got {timeout!r}")
        timeout = DEFAULT_TIMEOUT
    where = {key: (config.parent / doc.get("paths", {}).get(key, default)).resolve()
             for key, default in PATH_DEFAULTS.items()}
    runs, seen = [], {}
    entries = doc.get("report", [])
    if not isinstance(entries, list):
        entries, problems = [], problems + [f"{config.name}: report must be an array of tables "
                                            f"([[report]], two brackets)"]
    for number, entry in enumerate(entries, 1):
        label = f"{config.name}: report #{number} ({entry.get('notebook', '?')})"
        problems += _entry_runs(label, entry, where, seen, runs)
    if not runs and not problems:
        problems.append(f"{config.name}: the matrix has no run (no [[report]] entry, or "
                        f"entries whose lists are empty); nothing to build, the published "
                        f"set is kept")
    if problems:
        raise MatrixError("\n".join(problems))
    return Matrix(config, tuple(runs), where["notebooks"], where["data"], where["seeds"],
                  where["helpers"], where["lockfile"], where["reports"], float(timeout),
                  settings.get("kernel", "python3"))
