"""Runs on Dask distributed: a LocalCluster of the build's own, or an existing scheduler.

:class:`DaskExecutor` is a :class:`concurrent.futures.Executor` over a ``distributed``
client, so :func:`helpers.engine.executors.run_tasks` drives it like the local pool. Each
task runs :func:`execute_remote` on a worker: the run executes on that worker process's warm
kernel (the same :data:`helpers.engine.execute.WARM` as a pool worker, started on first use,
reset between runs, dying with its worker through :mod:`.lifeline`) into a private folder, and
its executed notebook and page come back to the publishing machine *as bytes in the result*,
so a worker on another machine needs the repository (same checkout, same path) but not the
reports folder. Nothing reaches the staging folder until a run has ended, so a worker that
dies mid-run publishes nothing of it: the scheduler runs the task again on another worker
(``distributed.scheduler.allowed-failures``, default 3) or, past that, the run fails
(``KilledWorker``) and the build exits 1.

A LocalCluster is owned by the build: ``--jobs`` worker processes, one thread each, which
follow the build process (:func:`.lifeline.follow`) and stop when the build ends. An existing
cluster (``--scheduler tcp://host:port``) is only used: its workers and their warm kernels stay
up between builds. See ``docs/scale-out.md``.
"""

import concurrent.futures
import logging
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import MatrixError
from . import lifeline
from .execute import WARM, execute_run

try:
    from distributed import WorkerPlugin
except ImportError:  # dask_executor says what to install
    WorkerPlugin = object


class FollowBuild(WorkerPlugin):
    """Dask worker plugin for a build's own LocalCluster: the worker process dies with the
    build (its parent), also after a SIGKILL of it, and ignores Ctrl-C (the build handles it)."""

    name = "c5-follow-build"
    idempotent = True

    def setup(self, worker):
        """Start following the parent (the build process that spawned this worker)."""
        lifeline.follow(os.getppid())

    def teardown(self, worker):
        """Nothing: the warm kernel is shut down when the worker process exits."""


def execute_remote(task):
    """Execute one run on a Dask worker; return its result with the files as bytes.

    The run writes into a private temporary folder (not the publishing machine's staging
    folder); ``result["files"]`` maps ``<slug>.ipynb`` / ``<slug>.html`` to their bytes. The
    executed notebook's ``papermill.output_path`` is set to the task's ``output``, so the
    notebook is byte for byte what the local pool writes. The tracer writes to a folder of
    this worker process (stable across runs: the warm kernel is kept).
    """
    work = Path(tempfile.mkdtemp(prefix="c5-run-"))
    out = work / Path(task["output"]).name
    tracer = _tracer_dir() if task.get("tracer_dir") else None
    try:
        result = execute_run({**task, "output": str(out), "tracer_dir": tracer})
        files = {}
        if out.is_file():
            _set_output_path(out, task["output"])
            files[out.name] = out.read_bytes()
        page = out.with_suffix(".html")
        if page.is_file():
            files[page.name] = page.read_bytes()
        result["files"] = files
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if WARM.kernel is not None and WARM.kernel.trace:  # read: a long-lived worker keeps
            try:                                            # no file per run
                os.remove(WARM.kernel.trace)
            except OSError:
                pass


def _tracer_dir():
    """This worker process's trace folder (one for all its runs, so its warm kernel's set-up
    stays the same), removed when the process exits."""
    path = os.path.join(tempfile.gettempdir(), f"c5-trace-{os.getpid()}")
    if path not in _TRACER_DIRS:
        import atexit

        _TRACER_DIRS.append(path)
        atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


_TRACER_DIRS = []


def _set_output_path(path, output):
    """Write ``output`` as papermill's recorded output path (the way papermill writes)."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    meta = nb.metadata.get("papermill")
    if meta is not None and meta.get("output_path") != output:
        meta["output_path"] = output
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(nbformat.writes(nb))


class DaskExecutor(concurrent.futures.Executor):
    """A ``concurrent.futures`` executor over a ``distributed`` client.

    Runs submitted to it return their files as bytes (:func:`execute_remote`); ``shutdown``
    closes the client and, for a LocalCluster it started, the cluster.
    """

    returns_files = True

    def __init__(self, client, cluster=None):
        self.client, self.cluster = client, cluster
        self._inner = client.get_executor(pure=False)

    def submit(self, fn, /, *args, **kwargs):
        """Submit ``fn(*args, **kwargs)`` as a Dask task; a concurrent.futures Future."""
        return self._inner.submit(fn, *args, **kwargs)

    def shutdown(self, wait=True, *, cancel_futures=False):
        """Cancel what is queued (with ``cancel_futures``), close the client and our cluster."""
        if cancel_futures:
            self._inner.shutdown(wait=False)
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


def dask_executor(jobs, scheduler=None):
    """A :class:`DaskExecutor` on ``scheduler`` (an address or a scheduler file), or on a new
    LocalCluster of ``jobs`` single-threaded worker processes that follow this process."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise MatrixError("--executor dask needs the 'distributed' package installed") from exc
    if scheduler:
        if os.path.isfile(scheduler):
            return DaskExecutor(Client(scheduler_file=scheduler))
        return DaskExecutor(Client(scheduler))
    cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster)
    try:
        client.register_plugin(FollowBuild())
    except BaseException:
        client.close()
        cluster.close()
        raise
    return DaskExecutor(client, cluster)
