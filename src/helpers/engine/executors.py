"""Where runs execute: a local pool of spawned worker processes, or a Dask distributed cluster.

Every executor is a :class:`concurrent.futures.Executor`; :func:`run_tasks` submits the
tasks and reports each result as it finishes, a crashed worker becoming a failed run.
:class:`Progress` shows the build going (tqdm on a terminal, one line per run otherwise).
"""

import concurrent.futures
import multiprocessing
import os
import signal
import sys
import time

from ..errors import MatrixError
from . import lifeline
from .execute import describe, execute_run

EXECUTORS = ("process", "dask")


def _init_worker():
    """Pool initializer: die with the build (:mod:`.lifeline`, also after a SIGKILL of it);
    import the heavy modules once per (reused) worker; let the parent handle Ctrl-C; turn
    SIGTERM into KeyboardInterrupt so papermill shuts its kernel down."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        lifeline.follow(parent.pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def _stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401


#: runs per pool worker before the build replaces its pool (workers and kernels) with a new one
WORKER_RUNS = 20


def worker_runs(environ=os.environ):
    """Runs per pool worker (``C5_WORKER_RUNS``, default :data:`WORKER_RUNS`; 0: no limit).

    A worker's own memory grows by a few MB a run (the kernel's does not: it is reset), in
    native buffers no garbage collection returns; a build of more than ``jobs`` × 20 runs
    therefore executes them in batches, each on a new pool (:func:`helpers.engine.build.build`),
    which keeps its memory flat for the cost of one kernel start per worker per batch.
    (Not ``ProcessPoolExecutor(max_tasks_per_child=)``: on Python 3.11 a pool replacing its
    workers that way can hang.)

    >>> worker_runs({}), worker_runs({"C5_WORKER_RUNS": "0"}), worker_runs({"C5_WORKER_RUNS": "5"})
    (20, None, 5)
    """
    runs = int(environ.get("C5_WORKER_RUNS", WORKER_RUNS))
    return runs if runs > 0 else None


def make_executor(kind="process", jobs=None, scheduler=None):
    """Return a ``concurrent.futures``-compatible executor.

    Parameters
    ----------
    kind : {"process", "dask"}
        ``process``: a local pool of ``jobs`` spawned workers, reused for every run of the
        build (imports paid once per worker). ``dask``: a ``distributed`` client's executor,
        on the cluster at ``scheduler`` or a local cluster of ``jobs`` single-threaded workers
        (:mod:`.cluster`); workers must see the repository at the same path, executed
        notebooks and pages come back as bytes.
    """
    jobs = jobs or os.cpu_count() or 1
    if kind == "process":
        return concurrent.futures.ProcessPoolExecutor(
            max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker)
    if kind == "dask":
        from .cluster import dask_executor

        return dask_executor(jobs, scheduler)
    raise MatrixError(f"unknown executor {kind!r}: use one of {', '.join(EXECUTORS)}")


def stop_executor(executor):
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


def run_tasks(tasks, executor, on_done):
    """Submit ``tasks`` to ``executor``; call ``on_done(result)`` as each finishes.

    On a Dask executor each run returns its files as bytes (``result["files"]``,
    :func:`.cluster.execute_remote`); the caller writes them where they belong."""
    fn = execute_run
    if is_dask(executor):
        from .cluster import execute_remote as fn
    futures = {executor.submit(fn, t): t for t in tasks}
    for future in concurrent.futures.as_completed(futures):
        try:
            result = future.result()
        except Exception as exc:  # noqa: BLE001 - a dead worker is a failed run, not a crash
            t = futures[future]
            result = {"slug": t["slug"], "ok": False, "error": describe(exc), "attempts": 1,
                      "duration": 0.0, "trace": None, "peak_rss_mb": None}
        on_done(result)


def is_dask(executor):
    """True for an executor whose runs return their files as bytes: a Dask one (ours,
    :class:`.cluster.DaskExecutor`, or ``distributed.Client.get_executor()``)."""
    return bool(getattr(executor, "returns_files", False)
                or type(executor).__module__.split(".")[0] == "distributed")


def run_on_pool(tasks, on_done, jobs=None):
    """Run ``tasks`` on a local pool of at most ``jobs`` workers (default: CPU count), calling
    ``on_done(result)`` as each ends; the pool is stopped, workers and kernels, whatever happens."""
    pool = make_executor("process", min(jobs or os.cpu_count() or 1, max(1, len(tasks))))
    try:
        run_tasks(tasks, pool, on_done)
        pool.shutdown(wait=True)
    except BaseException:
        stop_executor(pool)
        raise


class Progress:
    """A tqdm bar on a terminal, plain ``[i/n] status slug 1.2s`` lines otherwise."""

    def __init__(self, total, stream=None):
        self.total, self.done, self.stream = total, 0, stream or sys.stderr
        self.bar = None
        if self.stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="run", file=self.stream)

    def update(self, status, slug, duration):
        """Count one finished run."""
        self.done += 1
        if self.bar is not None:
            self.bar.set_postfix_str(f"{status} {slug}", refresh=False)
            self.bar.update(1)
        else:
            print(f"[{self.done}/{self.total}] {status} {slug} {duration:.1f}s",
                  file=self.stream, flush=True)

    def close(self):
        """End the bar (nothing to do for plain lines)."""
        if self.bar is not None:
            self.bar.close()
