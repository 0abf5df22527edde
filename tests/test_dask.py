"""The report engine on Dask distributed: a LocalCluster of the build's own, and a real cluster
(``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1) that loses a worker mid-run.

Miniature projects as in tests/test_engine.py (the fixture notebooks, no pandas): the same
plan, keys and outputs as the local pool; nothing published half; no process left behind.
No timing assertions: every wait is for an event, with a deadline only as a guard.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("distributed")

from helpers.engine.build import build  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
VENV_BIN = Path(sys.executable).parent


def _project(root, matrix):
    (root / "notebooks").mkdir(parents=True)
    for name in ("hello.ipynb", "sleep.ipynb"):
        (root / "notebooks" / name).write_bytes((FIXTURES / name).read_bytes())
    (root / "data").mkdir()
    (root / "data" / "hello.txt").write_text("Hello\n")
    (root / "seeds").mkdir()
    (root / "src" / "helpers").mkdir(parents=True)
    (root / "src" / "helpers" / "util.py").write_text("X = 1\n")
    (root / "requirements.lock").write_text("papermill==2.7.0\n")
    (root / "reports.toml").write_text(matrix, encoding="utf-8")
    return root / "reports.toml"


HELLO = '[[report]]\nnotebook = "hello.ipynb"\ndefaults = true\nmatrix = { name = ["Ada", "Bob"] }\n'
#: the timestamps papermill and nbclient write and the random id papermill gives its
#: injected-parameters cell (different in any two executions), and the staging folder each
#: build writes into: the only bytes that may differ between executors
VOLATILE = ("start_time", "end_time", "duration", "output_path", "execution")


def _normalised(path):
    def strip(meta):
        return {k: v for k, v in meta.items() if k not in VOLATILE}

    nb = nbformat.read(path, as_version=4)
    nb.metadata["papermill"] = strip(nb.metadata["papermill"])
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected"
        if "papermill" in cell.metadata:
            cell.metadata["papermill"] = strip(cell.metadata["papermill"])
    return nbformat.writes(nb)


def _descendants(pid):
    """Pids of a process's descendants, but multiprocessing's resource tracker (it lives as
    long as the process that first spawned a child, by design)."""
    import psutil

    found = set()
    try:
        for child in psutil.Process(pid).children(recursive=True):
            try:
                if not any("resource_tracker" in part for part in child.cmdline()):
                    found.add(child.pid)
            except psutil.Error:
                continue
    except psutil.NoSuchProcess:
        pass
    return found


def _all_gone(pids, guard=60):
    import psutil

    deadline = time.monotonic() + guard  # a guard against a hang, not a timing assumption
    while time.monotonic() < deadline:
        alive = [p for p in pids if psutil.pid_exists(p)
                 and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
        if not alive:
            return []
        time.sleep(0.1)
    return alive


@pytest.mark.notebooks
def test_a_local_cluster_builds_what_the_local_pool_builds(tmp_path, monkeypatch):
    monkeypatch.setenv("C5_SITE", "0")
    config = _project(tmp_path / "p", HELLO)
    before = _descendants(os.getpid())
    local = build(config, output=tmp_path / "pool", jobs=2, progress=False)
    on_dask = build(config, output=tmp_path / "dask", jobs=2, executor="dask", progress=False)
    assert local.exit_code == on_dask.exit_code == 0
    assert sorted(local.executed) == sorted(on_dask.executed) == [
        "hello", "hello--name=Ada", "hello--name=Bob"]
    a, b = (json.loads((r.build_dir / "manifest.json").read_text())["runs"]
            for r in (local, on_dask))
    assert [(e["slug"], e["key"], e["deps"]) for e in a] == [
        (e["slug"], e["key"], e["deps"]) for e in b]
    for slug in on_dask.executed:  # pages byte for byte; notebooks but for their timestamps
        pages = [(r.build_dir / f"{slug}.html").read_bytes() for r in (local, on_dask)]
        assert pages[0] == pages[1]
        assert _normalised(local.build_dir / f"{slug}.ipynb") == _normalised(
            on_dask.build_dir / f"{slug}.ipynb")
    # the cluster, its workers and their kernels ended with the build
    assert _all_gone(_descendants(os.getpid()) - before) == []
    again = build(config, output=tmp_path / "dask", jobs=2, executor="dask", progress=False)
    assert again.executed == []  # same keys: reused, no cluster needed


def _start(cmd, log):
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _wait_for(what, check, proc_list, guard=120):
    deadline = time.monotonic() + guard  # a guard against a hang, not a timing assumption
    while True:
        value = check()
        if value:
            return value
        dead = [p.args for p in proc_list if p.poll() is not None]
        assert not dead and time.monotonic() < deadline, f"waiting for {what}: {dead}"
        time.sleep(0.05)


@pytest.mark.notebooks
def test_a_real_cluster_survives_a_killed_worker(tmp_path):
    from distributed import Client

    config = _project(tmp_path / "p", '[[report]]\nnotebook = "sleep.ipynb"\n'
                                      'matrix = { seconds = [4, 5] }\n'
                                      '[[report]]\nnotebook = "hello.ipynb"\n')
    started = tmp_path / "p" / "notebooks" / "sleep.started"  # written by the slow cell
    scheduler_file = tmp_path / "scheduler.json"
    env = {**os.environ, "C5_SITE": "0"}
    log = open(tmp_path / "cluster.log", "w")
    dask = str(VENV_BIN / "dask")
    procs = [_start([dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(scheduler_file)], log)]
    builder, client = None, None
    try:
        _wait_for("the scheduler file", scheduler_file.exists, procs)
        for _ in range(2):
            procs.append(_start([dask, "worker", "--scheduler-file", str(scheduler_file),
                                 "--host", "127.0.0.1", "--nthreads", "1", "--no-nanny",
                                 "--no-dashboard"], log))
        client = Client(scheduler_file=str(scheduler_file), timeout=60)
        client.wait_for_workers(2, timeout=120)
        pids = client.run(os.getpid)  # worker address -> pid
        builder = subprocess.Popen(
            [sys.executable, "-m", "helpers.cli", "reports", "--config", str(config),
             "--executor", "dask", "--scheduler", str(scheduler_file)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)

        def running_sleep():  # the event: a sleep run is executing on a worker
            if not started.exists():
                return None
            for addr, keys in client.processing().items():
                if keys and addr in pids:
                    return addr
            return None

        victim = _wait_for("a run executing", running_sleep, procs + [builder])
        kernels = set()
        for pid in pids.values():
            kernels |= _descendants(pid)
        os.kill(pids[victim], signal.SIGKILL)
        out, _ = builder.communicate(timeout=300)
        # the killed worker could not remove its trace folder (the others do at exit)
        shutil.rmtree(Path(tempfile.gettempdir()) / f"c5-trace-{pids[victim]}",
                      ignore_errors=True)
    finally:
        if client is not None:
            client.close()
        if builder is not None and builder.poll() is None:
            builder.kill()
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()
    assert builder.returncode in (0, 1), out
    current = tmp_path / "p" / "reports" / "current"
    runs = json.loads((current / "manifest.json").read_text())["runs"]
    for entry in runs:
        if entry["status"] == "ok":
            assert (current / f"{entry['slug']}.ipynb").is_file()
            assert (current / f"{entry['slug']}.html").is_file()
        else:  # reported failed (exit 1), nothing of it published
            assert builder.returncode == 1 and entry["status"] == "failed", entry
            assert not (current / f"{entry['slug']}.html").exists()
    if builder.returncode == 0:
        assert {e["status"] for e in runs} == {"ok"}
    assert kernels, "each worker had a warm kernel"
    everyone = {p.pid for p in procs} | set(pids.values()) | kernels | {builder.pid}
    assert _all_gone(everyone) == []


def test_a_warm_kernel_that_grew_is_recycled():
    """Memory stays bounded on any executor (a Dask worker or a pool worker keeps its kernel
    for many runs): a kernel grown past its size after its first run is replaced."""
    from helpers.engine.kernels import WarmKernel

    class Stub:
        baseline_mb, stopped = None, False

        def __init__(self, sizes):
            self.sizes = iter(sizes)

        def peak_rss_mb(self, field="VmHWM"):
            return next(self.sizes)

        def shutdown(self):
            self.stopped = True

    warm, kernel = WarmKernel(), Stub([300.0, 350.0, 420.0])
    warm.kernel = kernel
    assert [warm.after_run(growth_mb=100) for _ in range(3)] == [False, False, True]
    assert kernel.baseline_mb == 300.0 and kernel.stopped and warm.kernel is None
    assert warm.after_run() is False  # no kernel: nothing to do
