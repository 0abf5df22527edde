"""The fault-injection suite's miniature projects and its checks (see docs/reliability.md).

Every case builds a tiny project in a temporary directory (the fixture notebooks of
``tests/fixtures/``, a few data files, a declaration of the notebooks' parameters) and asserts
the same five things: the message a user sees, the exit code, the published set intact byte
for byte, no process of the build left alive, no staging left, and that the next build
recovers. Tests wait for events (a file appearing, a process ending), never for a clock; the
deadlines below only stop a hung test.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures"
#: a guard against a hang, never a timing assumption
GUARD = 120

DECLARATION = """
["hello.ipynb"]
name = { type = "str" }
size = { type = "int", range = [1, 64] }

["sleep.ipynb"]
seconds = { type = "float", range = [0, 3600] }

["fail.ipynb"]
mode = { type = "str", values = ["ok", "strict"] }

["years.ipynb"]
country = { type = "str", values = "countries:c5", optional = true }
start_year = { type = "int", range = "table:years.csv:year" }
end_year = { type = "int", range = "table:years.csv:year", not_before = "start_year" }
"""

YEARS_NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "execution_count": None,
         "outputs": [], "source": "country = None\nstart_year = 2001\nend_year = 2002"},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "print(country, start_year, end_year)"},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def make_project(root):
    """A miniature repository laid out like the real one, in ``root``."""
    import json

    (root / "notebooks").mkdir(parents=True)
    for nb in FIXTURES.glob("*.ipynb"):
        shutil.copy(nb, root / "notebooks" / nb.name)
    (root / "notebooks" / "years.ipynb").write_text(json.dumps(YEARS_NOTEBOOK), encoding="utf-8")
    (root / "notebooks" / "parameters.toml").write_text(DECLARATION, encoding="utf-8")
    (root / "data").mkdir()
    (root / "data" / "hello.txt").write_text("Hello\n")
    (root / "data" / "switch.txt").write_text("ok\n")
    (root / "data" / "years.csv").write_text("year,value\n2000,1\n2001,2\n2023,3\n")
    (root / "seeds").mkdir()
    (root / "seeds" / "000_seed.txt").write_text("A seed.\n")
    (root / "src" / "helpers").mkdir(parents=True)
    (root / "src" / "helpers" / "util.py").write_text("X = 1\n")
    (root / "requirements.lock").write_text("papermill==2.7.0\n")
    return root


@pytest.fixture
def project(tmp_path):
    """A miniature project (see :func:`make_project`)."""
    return make_project(tmp_path)


def config(project, text, name="reports.toml"):
    """Write a matrix into the project; return its path."""
    path = project / name
    path.write_text(text, encoding="utf-8")
    return path


def c5(*args, env=None, timeout=GUARD, **kwargs):
    """Run the ``c5`` command in a child process; return the completed process."""
    return subprocess.run([sys.executable, "-m", "helpers.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, env=env, **kwargs)


def c5_popen(*args, **kwargs):
    """Start ``c5`` in a child process (its own session, as a shell job would be)."""
    return subprocess.Popen([sys.executable, "-m", "helpers.cli", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, **kwargs)


def snapshot(reports):
    """The published set: where ``current`` points and every file's bytes' digest."""
    current = Path(reports) / "current"
    if not current.exists():
        return None
    files = {p.relative_to(current).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(current.rglob("*")) if p.is_file()}
    return os.readlink(current), files


def wait_for(predicate, what, proc=None):
    """Wait for an event (``predicate()`` true); fail if ``proc`` ends first or on a hang."""
    deadline = time.monotonic() + GUARD
    while not predicate():
        if proc is not None and proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the build ended (code {proc.returncode}) before {what}:\n{err}")
        assert time.monotonic() < deadline, f"hung waiting for {what}"
        time.sleep(0.02)


def build_processes(marker):
    """Processes still alive whose environment or command line carries ``marker``
    (a build's workers and kernels inherit the environment of the build)."""
    import psutil

    alive = []
    for proc in psutil.process_iter(["pid", "cmdline", "environ"]):
        try:
            env = proc.info.get("environ") or {}
            if env.get("C5_FAULT_MARKER") == marker and proc.pid != os.getpid():
                if proc.status() != psutil.STATUS_ZOMBIE:
                    alive.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return alive


def assert_no_build_left(marker, reports):
    """No process of the build alive (reaped: waited for, never slept on) and no staging."""
    import psutil

    left = build_processes(marker)
    gone, alive = psutil.wait_procs(left, timeout=10)  # the bound: dead ten seconds later
    assert not alive, [(p.pid, p.cmdline()) for p in alive]
    staging = list(Path(reports).glob(".staging-*")) if Path(reports).exists() else []
    return staging


@pytest.fixture
def marker(monkeypatch):
    """A unique mark in the environment of every process a test's builds start."""
    import uuid

    value = uuid.uuid4().hex
    monkeypatch.setenv("C5_FAULT_MARKER", value)
    return value


GOOD_MATRIX = '[[report]]\nnotebook = "hello.ipynb"\n'
