"""Start, reuse, reset and stop the Jupyter kernel of one worker process.

One kernel per worker (DESIGN.md): the notebooks' heavy imports (pandas, matplotlib,
seaborn, scikit-learn) are paid once per worker instead of once per run, and
:mod:`helpers.engine.kernelside` returns the kernel to a fresh kernel's state before each
run. Kernels talk over Unix sockets where the platform has them, so parallel workers never
race for TCP ports, and they get the data-read tracer (:mod:`helpers.engine.tracer`).
"""

import os
import platform
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import kernelside, lifeline

#: MB a warm kernel may grow past its size after its first run before it is recycled
GROWTH_MB = 200
#: the directory put on a kernel's PYTHONPATH to install the tracer at start-up
KERNEL_SITE = Path(__file__).with_name("kernel_site")


def ipc_kernel_manager():
    """A kernel manager class that talks to its kernel over Unix sockets (None on Windows).

    Each kernel gets private socket paths under the temp directory. Without an IPC transport
    the caller uses jupyter_client's default TCP manager.
    """
    if os.name != "posix":
        return None
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

    return IPCKernelManager


@dataclass
class Kernel:
    """A started kernel: its manager, a blocking client, its set-up and its trace file."""

    setup: tuple
    km: object
    kc: object
    trace: str = None
    #: resident memory (MB) after its first run, what later runs are held against
    baseline_mb: float = None

    def alive(self):
        """True while the kernel process runs."""
        from jupyter_core.utils import run_sync

        return run_sync(self.km.is_alive)()

    def reset(self, cwd):
        """Return the kernel to a fresh kernel's state (see :mod:`kernelside`) in ``cwd``,
        its tracer writing to a new, empty trace file."""
        if self.trace:
            self.trace = _trace_file(os.path.dirname(self.trace))
        code = kernelside.CALL.format(cwd=str(cwd), trace=self.trace)
        reply = self.kc.execute_interactive(code, silent=True, store_history=False, timeout=60)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"could not reset the kernel: {reply['content'].get('evalue')}")

    def read_trace(self):
        """The lines the tracer recorded since the last reset (None when not tracing)."""
        if not self.trace or not os.path.exists(self.trace):
            return None
        with open(self.trace, encoding="utf-8", errors="surrogateescape") as fh:
            return fh.read().splitlines()

    def peak_rss_mb(self, field="VmHWM"):
        """The kernel's peak resident memory in MB (Linux VmHWM; ``field="VmRSS"``: its
        resident memory now), or None where unknown."""
        pid = getattr(self.km.provisioner, "pid", None) if self.km.provisioner else None
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith(f"{field}:"):
                        return round(int(line.split()[1]) / 1024, 1)
        except OSError:
            return None
        return None

    def shutdown(self):
        """Stop the kernel; one that is already gone is fine."""
        from jupyter_core.utils import run_sync

        try:
            self.kc.stop_channels()
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - nothing to do for a kernel that died
            pass


def _trace_file(tracer_dir):
    """A new, empty trace file, unique across hosts and processes (Dask workers may share a
    file system)."""
    os.makedirs(tracer_dir, exist_ok=True)
    path = os.path.join(tracer_dir, f"trace-{platform.node()}-{os.getpid()}-"
                                    f"{uuid.uuid4().hex[:8]}")
    open(path, "w").close()
    return path


def start_kernel(kernel_name, cwd, tracer_dir=None, trace_roots=(), modules=None):
    """Start a kernel in ``cwd``; with ``tracer_dir``, trace its reads under ``trace_roots``.

    The environment is passed to the kernel, never set in the worker's own; it names this
    worker as the kernel's parent, so the kernel dies with it (:mod:`.lifeline`).
    """
    from jupyter_client import BlockingKernelClient
    from jupyter_core.utils import run_sync

    env, trace = dict(os.environ), None
    # kernel_site/ always: its sitecustomize makes the kernel die with this worker
    pythonpath = (str(KERNEL_SITE), os.environ.get("PYTHONPATH", ""))
    env.update({lifeline.ENV_PARENT: str(os.getpid()),
                "PYTHONPATH": os.pathsep.join(p for p in pythonpath if p)})
    if tracer_dir:
        trace = _trace_file(tracer_dir)
        env.update(C5_TRACE_FILE=trace, C5_TRACE_ROOTS=os.pathsep.join(trace_roots))
    manager_class = ipc_kernel_manager()
    if manager_class is None:
        from jupyter_client.manager import AsyncKernelManager as manager_class
    km = manager_class(kernel_name=kernel_name)
    run_sync(km.start_kernel)(cwd=str(cwd), env=env)
    # parent=km: "is the kernel alive?" asks the process, not the heartbeat, whose one-second
    # deadline a kernel still importing on a loaded machine misses ("Kernel died before
    # replying to kernel_info" for a kernel that is alive and then left orphaned)
    kc = BlockingKernelClient(parent=km)
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return Kernel((kernel_name, tracer_dir, tuple(trace_roots), modules), km, kc, trace)


class WarmKernel:
    """The one reused kernel of a worker process: started on first use, reset before each run."""

    def __init__(self):
        self.kernel = None
        self._finalizer = None

    def get(self, kernel_name, cwd, tracer_dir=None, trace_roots=(), modules=None):
        """A kernel with this set-up, reset for a new run in ``cwd``.

        ``modules`` is a digest of the project's source: a kernel that imported an older
        version of a project module is replaced, never reused.
        """
        setup = (kernel_name, tracer_dir, tuple(trace_roots), modules)
        if self.kernel is None or self.kernel.setup != setup or not self.kernel.alive():
            self.discard()
            self.kernel = start_kernel(kernel_name, cwd, tracer_dir, trace_roots, modules)
            if self._finalizer is None:
                import multiprocessing.util

                self._finalizer = multiprocessing.util.Finalize(self, self.discard,
                                                                exitpriority=10)
        self.kernel.reset(cwd)
        return self.kernel

    def after_run(self, growth_mb=None):
        """Recycle the kernel once its resident memory has grown more than ``growth_mb``
        (default ``C5_KERNEL_GROWTH_MB``, 200) past what it held after its first run: the next
        run starts a new kernel, so a long build's memory stays bounded however many runs it
        has. Returns True when the kernel was recycled."""
        if self.kernel is None:
            return False
        now = self.kernel.peak_rss_mb("VmRSS")
        if now is None:
            return False
        if self.kernel.baseline_mb is None:
            self.kernel.baseline_mb = now
            return False
        if growth_mb is None:
            growth_mb = float(os.environ.get("C5_KERNEL_GROWTH_MB", GROWTH_MB))
        if now > self.kernel.baseline_mb + growth_mb:
            self.discard()
            return True
        return False

    def discard(self):
        """Shut the kernel down (a dead or timed-out one too); the next run starts another."""
        if self.kernel is not None:
            self.kernel.shutdown()
            self.kernel = None


def peak_children_rss_mb():
    """Peak resident memory (MB) of this process's largest finished child, where known."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    usage = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(usage * scale / 2**20, 1) or None
