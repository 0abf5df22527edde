"""Re-execute the committed notebooks with their defaults and write their outputs back in place.

``make notebooks`` (``c5 execute-in-place``): only outputs and execution counts change, the
committed cells and metadata stay as they are, so a re-run of an unchanged notebook changes
nothing git can see. A notebook whose run fails is left untouched.
"""

import os
import shutil
from pathlib import Path

from ..data import paths
from .executors import Progress, run_on_pool
from .matrix import DEFAULT_TIMEOUT


def notebook_paths(names, directory):
    """Absolute paths of the named notebooks (a path, or a name inside ``directory``); all
    notebooks of ``directory`` when no name is given."""
    if names:
        return [(Path(n) if Path(n).exists() else Path(directory) / n).resolve() for n in names]
    return sorted(p.resolve() for p in Path(directory).glob("*.ipynb"))


def merge_outputs(original, executed):
    """Copy outputs and execution counts of ``executed`` into ``original`` cell by cell, so
    metadata (kernelspec, tags) stays exactly as committed."""
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

    Returns
    -------
    list of dict
        One result per notebook (``slug``, ``ok``, ``error``, ``duration``).
    """
    import nbformat

    targets = notebook_paths(notebooks, source)
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
            merged = merge_outputs(nbformat.read(path, as_version=4),
                                   nbformat.read(tmpdir / path.name, as_version=4))
            tmp = path.with_name(f".{path.name}.tmp")
            nbformat.write(merged, tmp)
            os.replace(tmp, path)
        results.append(result)
        if bar:
            bar.update("ok" if result["ok"] else "failed", result["slug"], result["duration"])

    try:
        run_on_pool(tasks, done, jobs)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
        if bar:
            bar.close()
    return results
