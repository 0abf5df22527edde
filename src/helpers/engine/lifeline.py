"""Processes of a build die with it, and a build removes what a killed one left behind.

A SIGKILLed ``c5 reports`` runs no clean-up code, so its pool workers and their Jupyter
kernels must notice on their own: each one, at start, calls :func:`follow` with the pid of
the process that started it (a worker: the build; a kernel: its worker, passed in
``C5_PARENT_PID``), and a daemon thread ends the process with SIGKILL as soon as that parent is
no longer its parent (the kernel's own watcher then sees its worker gone, and so on down).
Standard library only: it runs inside the kernel (``kernel_site/sitecustomize.py``) too.

Every process a build starts carries ``C5_BUILD_REPORTS=<reports directory>`` in its
environment; a new build, holding that directory's lock (so no live build owns them), kills
whatever still carries it (:func:`reap`): the belt to :func:`follow`'s braces.
"""

import os
import signal
import threading
import time

ENV_PARENT = "C5_PARENT_PID"
ENV_BUILD = "C5_BUILD_REPORTS"
#: how often a process looks at its parent, in seconds
INTERVAL = 0.2


def follow(parent_pid, interval=INTERVAL):
    """End this process (SIGKILL) when ``parent_pid`` stops being its parent.

    Returns the watching thread (None when there is no parent to follow).
    """
    try:
        parent_pid = int(parent_pid or 0)
    except ValueError:
        return None
    if parent_pid <= 0 or not hasattr(signal, "SIGKILL"):
        return None
    if os.getppid() != parent_pid:  # the parent died before we got here
        os.kill(os.getpid(), signal.SIGKILL)

    def watch():
        while True:
            time.sleep(interval)
            if os.getppid() != parent_pid:
                os.kill(os.getpid(), signal.SIGKILL)

    thread = threading.Thread(target=watch, name="c5-lifeline", daemon=True)
    thread.start()
    return thread


def follow_from_env(environ=os.environ):
    """:func:`follow` the pid in ``C5_PARENT_PID`` if it is set (a kernel at start-up); the
    variable is removed, so a process the notebook starts does not follow the worker."""
    return follow(environ.pop(ENV_PARENT, None))


def leftovers(reports):
    """Processes (psutil) other than this one and its ancestors whose environment says they
    belong to a build of ``reports``; empty where psutil cannot tell."""
    try:
        import psutil
    except ImportError:
        return []
    mark = str(reports)
    me = psutil.Process()
    spared = {me.pid, *(p.pid for p in me.parents())}
    found = []
    for proc in psutil.process_iter(["pid"]):
        if proc.pid in spared:
            continue
        try:
            if proc.environ().get(ENV_BUILD) == mark:
                found.append(proc)
        except (psutil.Error, OSError):
            continue
    return found


def reap(reports):
    """Kill what a killed build of ``reports`` left running (call while holding its lock);
    return how many processes were ended."""
    found = leftovers(reports)
    if found:
        kill(found)
    return len(found)


def kill(processes, timeout=10):
    """SIGKILL every psutil process of ``processes`` (gone already is fine) and wait for them."""
    import psutil

    for proc in processes:
        try:
            proc.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(processes, timeout=timeout)


#: fault injection (tests/faults): ``<point>:<file>`` stops a build at ``point``
ENV_FAULT = "C5_FAULT_AT"
POINTS = ("planning", "rendering", "publishing")


def checkpoint(point, environ=os.environ):
    """Where the fault-injection suite stops a build: when ``C5_FAULT_AT`` is
    ``<point>:<file>``, write this process's pid to ``file`` (the event a test waits for) and
    wait there to be killed. Without that variable (every real build) it does nothing."""
    where, _, marker = environ.get(ENV_FAULT, "").partition(":")
    if where != point or not marker:
        return
    with open(marker, "w", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\n")
    while True:
        time.sleep(3600)
