"""Read the report matrix (``reports.toml``): which notebook runs with which parameters.

:func:`load_matrix` refuses a bad matrix before anything runs, naming the entry: an unknown
notebook or key, a parameter the notebook's ``parameters`` cell does not define, a value that
would make an unsafe output name, a duplicated run. It reads notebooks as plain JSON (no
nbformat, no papermill), so planning a build that has nothing to do stays well under a second.
"""

import ast
import itertools
import json
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..data import paths
from ..errors import MatrixError

DEFAULT_CONFIG = paths.ROOT / "reports.toml"
DEFAULT_TIMEOUT = 600
_ENTRY_KEYS = {"notebook", "defaults", "matrix", "parameters", "data"}
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
    """Names assigned in the notebook's cell tagged ``parameters`` (papermill's contract).

    >>> sorted(notebook_parameters(paths.NOTEBOOKS / "02_trade_flows.ipynb"))
    ['country', 'end_year', 'start_year']
    """
    names = []
    for cell in read_cells(notebook):
        if cell["cell_type"] == "code" and "parameters" in cell["tags"]:
            for node in ast.parse(cell["source"]).body:
                targets = node.targets if isinstance(node, ast.Assign) else (
                    [node.target] if isinstance(node, ast.AnnAssign) else [])
                names += [t.id for t in targets if isinstance(t, ast.Name)]
    return dict.fromkeys(names)


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
             for key, default in PATH_DEFAULTS.items()}
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
        for params in _parameter_sets(entry):
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
    return Matrix(config, tuple(runs), where["notebooks"], where["data"], where["seeds"],
                  where["helpers"], where["lockfile"], where["reports"],
                  float(settings.get("timeout", DEFAULT_TIMEOUT)),
                  settings.get("kernel", "python3"))
