"""Execute one run in a worker: papermill on the worker's warm kernel, then its HTML page.

:func:`execute_run` is what a pool (local or Dask) calls for each task; it never raises for
a failed notebook, it returns a result saying so. A failure to start a kernel is retried,
an error in a cell is not.
"""

import os
import time
from pathlib import Path

from .kernels import WarmKernel, peak_children_rss_mb, start_kernel

ENGINE_NAME = "c5-save-at-end"
#: this worker process's reused kernel
WARM = WarmKernel()


def register_engine():
    """Register (once per process) papermill's nbclient engine, saving the output notebook
    when the run starts and ends (also on error) instead of at every cell's start and end:
    ~2 full rewrites instead of ~80 for a 40-cell notebook with figures."""
    from papermill.engines import NBClientEngine, papermill_engines

    if ENGINE_NAME in papermill_engines._engines:
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

    papermill_engines.register(ENGINE_NAME, SaveAtEndEngine)


def is_kernel_start_error(exc):
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


def describe(exc, lines=6):
    """Exception name and message, first lines only."""
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    text = f"{ename}: {evalue}" if ename else f"{type(exc).__name__}: {exc}"
    return "\n".join(text.strip().splitlines()[:lines])


def execute_run(task):
    """Execute one run with papermill and render it; runs inside a pool worker.

    Parameters
    ----------
    task : dict
        ``input``, ``output`` (executed .ipynb), ``parameters``, ``cwd``, ``kernel``,
        ``timeout``, ``retries``, ``slug``, ``render`` (bool) and, for tracing,
        ``tracer_dir`` and ``trace_roots`` (None: no tracing); ``modules`` (a digest of the
        project's source: a warm kernel that loaded other sources is replaced);
        ``fresh_kernel`` (bool) starts a kernel for this run alone instead of reusing the
        worker's.

    Returns
    -------
    dict
        ``slug``, ``ok``, ``error``, ``duration``, ``attempts``, ``trace`` (list of lines or
        None), ``peak_rss_mb`` (largest kernel of this worker so far) and ``worker``.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    register_engine()
    setup = (task["kernel"], task["cwd"], task.get("tracer_dir"), task.get("trace_roots", ()),
             task.get("modules"))
    start, error, attempts, lines, kernel = time.monotonic(), None, 0, None, None
    for attempts in range(1, task["retries"] + 2):
        kernel = None
        try:
            kernel = start_kernel(*setup) if task.get("fresh_kernel") else WARM.get(*setup)
            try:
                papermill.execute_notebook(
                    task["input"], task["output"], parameters=task["parameters"] or None,
                    kernel_name=task["kernel"], cwd=task["cwd"], progress_bar=False,
                    execution_timeout=task["timeout"], log_output=False, engine_name=ENGINE_NAME,
                    km=kernel.km)
            finally:
                lines = kernel.read_trace()
                if task.get("fresh_kernel"):
                    kernel.shutdown()
            error = None
            break
        except Exception as exc:  # noqa: BLE001 - reported in the index, never crashes the pool
            error = describe(exc)
            if not isinstance(exc, PapermillExecutionError):
                WARM.discard()  # died, timed out or never started: the next run starts afresh
            if not (is_kernel_start_error(exc) and attempts <= task["retries"]):
                break
            time.sleep(0.5 * attempts)
    duration = time.monotonic() - start
    if task.get("render") and error is None:
        from .lifeline import checkpoint
        from .render import render_html

        checkpoint("rendering")
        out = Path(task["output"])
        render_html(out, out.with_suffix(".html"), code=False, title=task["slug"])
    peak = (WARM.kernel.peak_rss_mb() if WARM.kernel else None) or peak_children_rss_mb()
    if not task.get("fresh_kernel"):
        WARM.after_run()  # memory stays bounded: a kernel that grew is replaced
    return {"slug": task["slug"], "ok": error is None, "error": error, "attempts": attempts,
            "duration": round(duration, 2), "trace": lines, "peak_rss_mb": peak,
            "worker": os.getpid()}
