"""Cache keys: what a run depends on, so that an unchanged run is reused and a changed one re-runs.

A run's key has two parts. The *static* part is known before it runs: the notebook's cells
(code and Markdown, with their tags; not outputs or metadata), its parameters, the project
modules it imports (the closure of its ``import helpers...`` statements over the package's own
import graph, read with :mod:`ast`), the package's style files and the lock. The *data* part is
learnt by running it: the files it read under ``data/`` and ``seeds/`` (recorded in the kernel
by :mod:`helpers.engine.tracer`), each with the digest of its content. The engine's own modules
are in no notebook's closure, so an edit of the engine re-executes nothing. The HTML page has a
key of its own (:func:`render_key`): a new page template or renderer re-renders without
re-executing.
"""

import ast
import hashlib
import json
import os
from pathlib import Path

TEMPLATE = Path(__file__).with_name("templates") / "c5.html.j2"


def sha(data):
    """SHA-256 hex digest of bytes."""
    return hashlib.sha256(data).hexdigest()


def canonical(obj):
    """One JSON text per value (sorted keys, no spaces): the form every key hashes."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def short(digest):
    """Short form of a digest for display."""
    return digest[:12]


# --------------------------------------------------------------------------- project modules


def _python(source):
    """Cell source without IPython's magics and shell escapes, for :mod:`ast`."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())


def _module_file(package_dir, name):
    """The file of module ``name`` (``helpers.a.b``) inside ``package_dir``, or None."""
    parts = name.split(".")[1:]
    base = Path(package_dir).joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def import_statements(tree, package, current=None):
    """``(line, module)`` for each project module the import statements of ``tree`` may load.

    ``from pkg import name`` yields ``pkg.name`` (a submodule, if it is one) and ``pkg``.
    Relative imports are resolved against ``current`` (the importing module's package).
    Only names inside ``package`` are yielded.
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = (current or package).split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name == package or name.startswith(package + "."):
                yield node.lineno, name


def _import_lines(source):
    """The module-level and nested import statements of ``source``, parsed on their own.

    Much faster than walking the whole tree of every module; an import statement is a line
    that starts with ``import`` or ``from`` (after indentation), continued while its
    parentheses are open. Anything that does not parse that way falls back to the whole module.
    """
    lines, out, depth = source.splitlines(), [], 0
    for line in lines:
        stripped = line.strip()
        if depth or stripped.startswith(("import ", "from ")):
            out.append(stripped)
            depth += stripped.count("(") - stripped.count(")")
    try:
        return ast.parse("\n".join(out))
    except SyntaxError:  # e.g. a docstring line that starts with "from ": parse it all
        return ast.parse(source)


def imported_modules(tree, package, current=None):
    """The project modules (names) the import statements of ``tree`` may load."""
    return [name for _, name in import_statements(tree, package, current)]


def module_closure(sources, package_dir, parsed=None):
    """The project module files that code importing from ``sources`` may load.

    Parameters
    ----------
    sources : iterable of str
        Python source (a notebook's code cells).
    package_dir : path-like
        The project package (``src/helpers``); its directory name is the package name.

    parsed : dict, optional
        ``{file: imported names}`` kept between calls (each module is parsed once).

    Returns
    -------
    list of pathlib.Path
        Sorted: every module reached through import statements (at any depth, including
        imports inside functions and ``if TYPE_CHECKING:`` blocks), with its parent packages'
        ``__init__.py``.
    """
    parsed = {} if parsed is None else parsed
    package_dir = Path(package_dir)
    package = package_dir.name
    todo = []
    for source in sources:
        try:
            todo += imported_modules(ast.parse(_python(source)), package)
        except SyntaxError:
            continue  # the kernel will report it; the key still covers the cell's text
    files, done = set(), set()
    while todo:
        name = todo.pop()
        if name in done:
            continue
        done.add(name)
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]  # parent packages run first
        path = _module_file(package_dir, name)
        if path is None:
            continue  # an attribute imported from a package, not a module
        files.add(path)
        if path not in parsed:
            current = name if path.name == "__init__.py" else name.rpartition(".")[0]
            parsed[path] = imported_modules(_import_lines(path.read_text("utf-8")), package,
                                            current)
        todo += parsed[path]
    return sorted(files)


# --------------------------------------------------------------------------- static key


def notebook_digest(cells):
    """Digest of a notebook's cells: type, source and tags of each (no outputs, no metadata)."""
    return sha(canonical([[c["cell_type"], c["source"], sorted(c["tags"])] for c in cells])
               .encode())


def _files_digest(files, root, memo):
    out = {}
    for f in files:
        if f not in memo:
            memo[f] = sha(Path(f).read_bytes())
        out[Path(f).relative_to(root).as_posix()] = memo[f]
    return out


def static_key(run, matrix, cells, memo=None):
    """Hash everything a run depends on that is known before it runs (see the module doc).

    ``memo`` (a dict kept for one build) saves re-reading files and re-walking the import
    graph for the runs of one notebook.

    Returns
    -------
    tuple of (str, dict)
        The key, and the module files it covers with their digests (for the manifest).
    """
    memo = {} if memo is None else memo
    code = tuple(c["source"] for c in cells if c["cell_type"] == "code")
    if code not in memo:
        memo[code] = module_closure(code, matrix.helpers, memo.setdefault("parsed", {}))
    files = memo.setdefault("files", {})
    modules = _files_digest(memo[code], matrix.helpers.parent, files)
    if "styles" not in memo:
        memo["styles"] = sorted(matrix.helpers.rglob("*.mplstyle"))
    styles = _files_digest(memo["styles"], matrix.helpers.parent, files)
    if "lock" not in memo:
        memo["lock"] = matrix.lockfile.read_bytes() if matrix.lockfile.is_file() else b""
    lock = memo["lock"]
    key = sha(canonical({
        "notebook": run.notebook, "cells": notebook_digest(cells),
        "parameters": canonical(run.parameters), "modules": modules, "styles": styles,
        "lock": sha(lock)}).encode())
    return key, modules


def render_key(template=None):
    """Digest of the page template and of the renderer (``render.py``): a change of either
    re-renders every page, re-executing none."""
    renderer = Path(__file__).with_name("render.py")
    return sha(Path(template or TEMPLATE).read_bytes() + b"\0" + renderer.read_bytes())


# --------------------------------------------------------------------------- data read


def tree_digest(root, patterns=("**/*",)):
    """Hash the names and contents of the files under ``root`` matching ``patterns``."""
    root = Path(root)
    files = sorted({p for pat in patterns for p in root.glob(pat) if p.is_file()
                    and "__pycache__" not in p.parts})
    h = hashlib.sha256()
    for path in files:
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(sha(path.read_bytes()).encode() + b"\n")
    return h.hexdigest()


def dep_value(dep, roots):
    """Return the current digest of one data dependency.

    ``dep`` is ``<kind>:<root>/<relative path>`` with root one of ``roots`` (``data``,
    ``seeds``) and kind ``file`` (contents), ``dir`` (sorted names listed), ``glob``
    (names and contents of the matches) or ``all`` (every file under the root).
    """
    kind, _, where = dep.partition(":")
    alias, _, rel = where.partition("/")
    root = Path(roots[alias])
    path = root / rel
    if kind == "all":
        return tree_digest(root)
    if kind == "glob":
        matches = sorted(p for p in root.glob(rel) if p.is_file())
        return sha(canonical([[p.relative_to(root).as_posix(), sha(p.read_bytes())]
                              for p in matches]).encode())
    if kind == "dir" or path.is_dir():
        return sha(canonical(sorted(os.listdir(path))).encode()) if path.is_dir() else "missing"
    return sha(path.read_bytes()) if path.is_file() else "missing"


def deps_from_trace(trace_lines, roots, declared=()):
    """Turn the tracer's records into dependency names (see :func:`dep_value`).

    Each file read also depends on the listing of its directory, so a file added next to it
    (which the notebook may have probed with ``exists()``, not audited) re-runs the notebook.
    Without a trace (tracer disabled) the run depends on everything under every root.
    ``declared`` are globs under ``data/`` from the matrix, for reads the tracer cannot see.
    """
    if trace_lines is None:
        deps = {f"all:{alias}/" for alias in roots}
    else:
        resolved = _resolved(roots)
        deps = set()
        for line in trace_lines:
            kind, _, raw = line.partition("\t")
            found = _under(raw.split("\t")[0], resolved)
            if found is None:
                continue
            alias, rel = found
            if kind == "d":
                deps.add(f"dir:{alias}/{rel}")
            else:
                deps.add(f"file:{alias}/{rel}")
                parent = Path(rel).parent.as_posix()
                deps.add(f"dir:{alias}/{'' if parent == '.' else parent}")
    deps.update(f"glob:data/{pattern}" for pattern in declared)
    return sorted(deps)


def read_digests(trace_lines, roots):
    """``{dep: digest}`` of what the run found when it opened or listed each traced path (the
    tracer's third field), so a file changed while the run went on is keyed as it was read.

    >>> read_digests(["f\\t/d/a.csv\\tabc", "d\\t/d\\tdef", "f\\t/elsewhere\\tx"], {"data": "/d"})
    {'file:data/a.csv': 'abc', 'dir:data/': 'def'}
    """
    out = {}
    resolved = _resolved(roots)
    for line in trace_lines or ():
        kind, raw, digest = (line.split("\t") + ["", ""])[:3]
        found = _under(raw, resolved) if digest else None
        if found is not None:
            alias, rel = found
            out.setdefault(f"{'dir' if kind == 'd' else 'file'}:{alias}/{rel}", digest)
    return out


def _resolved(roots):
    """Each root as given and as resolved (a symlinked data folder is found either way)."""
    return [(alias, p) for alias, root in roots.items()
            for p in dict.fromkeys((Path(root).absolute(), Path(root).resolve()))]


def _under(raw, resolved):
    """``(alias, path relative to its root)`` of a traced path, or None outside every root."""
    for alias, root in resolved:
        try:
            rel = Path(raw).relative_to(root).as_posix()
        except ValueError:
            continue
        return alias, "" if rel == "." else rel
    return None


def current_deps(deps, roots, cache=None):
    """Return ``{dep: digest}`` for dependency names, memoised in ``cache``."""
    cache = {} if cache is None else cache
    out = {}
    for dep in deps:
        if dep not in cache:
            cache[dep] = dep_value(dep, roots)
        out[dep] = cache[dep]
    return out


def cache_key(static, deps):
    """Combine a run's static key and its data dependencies' digests into its cache key."""
    return sha(canonical({"static": static, "data": deps}).encode())
