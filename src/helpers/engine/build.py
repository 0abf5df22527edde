"""Build the published reports: plan the runs, execute what changed, render, publish.

:func:`build` reads like papermill's ``execute_notebook``, one call per step::

    matrix -> plan (cache keys: reuse, re-render or execute) -> execute (pool) -> publish

Each step is its own module: :mod:`.matrix`, :mod:`.keys`, :mod:`.executors` (with
:mod:`.execute` and :mod:`.kernels` in the workers), :mod:`.render`, :mod:`.publish`.
See ``docs/architecture.md`` for the path of one run and ``docs/reports.md`` for the
configuration, the cache key and the exit codes.
"""

import concurrent.futures
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import keys, lifeline, publish
from .executors import (Progress, make_executor, run_tasks, stop_executor,
                        worker_runs)
from .matrix import DEFAULT_CONFIG, load_matrix, read_cells
from .render import render_html, render_index, write_text

STATUSES = ("ok", "skipped-reused", "re-rendered", "stale", "failed")


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


@dataclass
class Plan:
    """What a build will do with each run of the matrix."""

    matrix: object
    staging: Path
    prev_dir: Path
    prev: dict
    statics: dict = field(default_factory=dict)
    entries: dict = field(default_factory=dict)
    rerender: list = field(default_factory=list)
    tasks: list = field(default_factory=list)
    memo: dict = field(default_factory=dict)


def _files(slug):
    return {"report": f"{slug}.html", "notebook": f"{slug}.ipynb"}


def make_plan(matrix, reports, staging, *, force, timeout, retries):
    """Decide for every run: reuse it, re-render its page only, or execute it."""
    prev_dir, prev = publish.previous(reports)
    plan = Plan(matrix, staging, prev_dir, prev)
    page_key = keys.render_key()
    roots = {alias: str(path) for alias, path in matrix.trace_roots.items()}
    memo, cells = {}, {}
    source = keys.tree_digest(matrix.helpers, ("**/*.py", "**/*.mplstyle"))
    for run in matrix.runs:
        if run.notebook not in cells:
            cells[run.notebook] = read_cells(matrix.notebooks / run.notebook)
        static, modules = keys.static_key(run, matrix, cells[run.notebook], memo)
        plan.statics[run.slug] = (static, modules)
        old = prev.get(run.slug)
        if (not force and old and old.get("static_key") == static
                and keys.current_deps(old["deps"], roots, plan.memo) == old["deps"]
                and all((prev_dir / f).is_file() for f in old["files"].values())):
            if old.get("render_key") == page_key:
                publish.carry(prev_dir, staging, old["files"].values())
                plan.entries[run.slug] = {**old, "status": "skipped-reused", "error": None,
                                          "failed_notebook": None}
            else:
                publish.carry(prev_dir, staging, [old["files"]["notebook"]])
                plan.rerender.append(run)
                plan.entries[run.slug] = {**old, "status": "re-rendered", "error": None,
                                          "failed_notebook": None, "render_key": page_key}
            continue
        plan.tasks.append({
            "slug": run.slug, "input": str(matrix.notebooks / run.notebook),
            "output": str(staging / f"{run.slug}.ipynb"), "parameters": run.parameters,
            "cwd": str(matrix.notebooks), "kernel": matrix.kernel, "timeout": timeout,
            "retries": retries, "render": True, "tracer_dir": str(staging / ".tracer"),
            "modules": source,
            "trace_roots": tuple(str(Path(p).resolve()) for p in roots.values())})
    # longest first (durations of the last build), so no long run is left for the end
    plan.tasks.sort(key=lambda t: -((prev.get(t["slug"]) or {}).get("duration") or 0))
    return plan


def record(plan, run, result):
    """The manifest entry of an executed run (ok, stale: last good kept, or failed)."""
    matrix, staging = plan.matrix, plan.staging
    static, modules = plan.statics[run.slug]
    entry = {"slug": run.slug, "notebook": run.notebook, "parameters": run.parameters,
             "error": result["error"], "failed_notebook": None,
             "peak_rss_mb": result["peak_rss_mb"], "attempts": result["attempts"],
             "worker": result.get("worker")}
    if result["ok"]:
        roots = {alias: str(path) for alias, path in matrix.trace_roots.items()}
        deps = keys.current_deps(keys.deps_from_trace(result["trace"], roots, run.data),
                                 roots, plan.memo)
        # keyed to the data the run read (digests taken as it opened them), not the data
        # there now: a file changed during the build re-runs the run at the next build
        read = keys.read_digests(result["trace"], roots)
        deps.update({dep: read[dep] for dep in deps if dep in read})
        entry.update(status="ok", duration=result["duration"], built=publish.now(),
                     static_key=static, modules=modules, deps=deps,
                     key=keys.cache_key(static, deps), render_key=keys.render_key(),
                     data_version=keys.short(keys.sha(keys.canonical(deps).encode())),
                     files=_files(run.slug))
        return entry
    failed = staging / f"{run.slug}.failed.ipynb"
    if (staging / f"{run.slug}.ipynb").is_file():
        os.replace(staging / f"{run.slug}.ipynb", failed)
        entry["failed_notebook"] = failed.name
    old = plan.prev.get(run.slug)
    if old and old.get("key") and all((plan.prev_dir / f).is_file() for f in old["files"].values()):
        publish.carry(plan.prev_dir, staging, old["files"].values())
        return {**old, **{k: v for k, v in entry.items() if k != "peak_rss_mb"},
                "status": "stale", "failed_duration": result["duration"]}
    entry.update(status="failed", duration=result["duration"], built=publish.now(),
                 static_key=None, deps={}, key=None, data_version=None, files={})
    return entry


def _receive(staging, result):
    """Write the files a remote run returned as bytes (Dask) into ``staging``, atomically;
    only its own ``<slug>.ipynb`` and ``<slug>.html`` are accepted."""
    files = result.pop("files", None) or {}
    for suffix in (".ipynb", ".html"):
        data = files.get(result["slug"] + suffix)
        if data is not None:
            write_text(staging / (result["slug"] + suffix), data)


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
        Where runs execute (see :func:`~helpers.engine.executors.make_executor`); an
        instance is used as is.
    scheduler : str, optional
        Dask scheduler address (or scheduler file) for ``executor="dask"``; without it a
        LocalCluster of ``jobs`` workers (:mod:`.cluster`).
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
    lock = publish.acquire(reports)
    staging = reports / f".staging-{os.getpid()}"
    own_executor = not isinstance(executor, concurrent.futures.Executor)
    pool = None
    marked = own_executor and lifeline.ENV_BUILD not in os.environ
    try:
        reaped = lifeline.reap(reports)  # workers or kernels a killed build left running
        removed = publish.clean_stale(reports)
        if reaped or removed:
            print(f"c5: cleaned up after a build that was killed: {reaped} process(es) "
                  f"ended, {len(removed)} leftover(s) removed ({', '.join(removed) or '-'})",
                  file=sys.stderr)
        if marked:  # inherited by this build's workers and their kernels
            os.environ[lifeline.ENV_BUILD] = str(reports)
        staging.mkdir()
        lifeline.checkpoint("planning")
        plan = make_plan(matrix, reports, staging, force=force, timeout=timeout,
                         retries=retries)
        bar = Progress(len(matrix.runs)) if progress else None
        for slug, entry in plan.entries.items():
            if entry["status"] == "skipped-reused" and bar:
                bar.update(entry["status"], slug, 0.0)
        for run in plan.rerender:
            nb = staging / f"{run.slug}.ipynb"
            render_html(nb, nb.with_suffix(".html"), code=False, title=run.slug)
            if bar:
                bar.update("re-rendered", run.slug, 0.0)
        by_slug = {run.slug: run for run in matrix.runs}

        def done(result):
            _receive(staging, result)
            entry = plan.entries[result["slug"]] = record(plan, by_slug[result["slug"]], result)
            if bar:
                bar.update(entry["status"], result["slug"], result["duration"])

        if plan.tasks:
            (staging / ".tracer").mkdir()
            workers = min(jobs or os.cpu_count() or 1, len(plan.tasks))
            size = len(plan.tasks)
            if own_executor and executor == "process" and worker_runs():
                size = workers * worker_runs()  # a new pool per batch: memory stays flat
            for first in range(0, len(plan.tasks), size):
                pool = make_executor(executor, workers, scheduler) if own_executor else executor
                run_tasks(plan.tasks[first:first + size], pool, done)
                if own_executor:
                    pool.shutdown(wait=True)
                pool = None
            shutil.rmtree(staging / ".tracer", ignore_errors=True)
        if bar:
            bar.close()
        ordered = [plan.entries[run.slug] for run in matrix.runs]
        build_id = publish.new_build_id(reports)
        data_version = keys.short(keys.tree_digest(matrix.data))
        meta = {"id": build_id, "built": publish.now(), "data_version": data_version,
                "config": matrix.source.name, "python": sys.version.split()[0]}
        write_text(staging / "manifest.json",
                   json.dumps({"build": meta, "runs": ordered}, sort_keys=True, indent=2) + "\n")
        write_text(staging / "index.html", render_index(meta, ordered, STATUSES))
        from ..site import publish_with  # the readers' site, in the same swap (docs/site.md)
        publish_with(staging, ordered, meta, plan)
        lifeline.checkpoint("publishing")
        published = publish.publish(reports, staging, build_id)
        return BuildResult(ordered, published, data_version, time.monotonic() - started,
                           [t["slug"] for t in plan.tasks])
    except BaseException:
        if pool is not None and own_executor:
            stop_executor(pool)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if marked:
            os.environ.pop(lifeline.ENV_BUILD, None)
        publish.release(reports, lock)
