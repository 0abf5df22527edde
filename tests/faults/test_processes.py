"""Kill, interrupt or crash a build at each point: the published set stays byte for byte, no
worker or kernel of it is alive afterwards, no staging stays, the next build recovers
(docs/reliability.md, "Processes")."""

import os
import signal
import sys

import pytest

from .faultlib import (GOOD_MATRIX, assert_no_build_left, build_processes, c5, c5_popen, config,
                      make_project, snapshot, wait_for)

pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """One miniature project with a published build of the hello notebook, shared by the
    cases (each faulty build runs a new parameter set, so it executes; the recovery build
    reuses hello and starts no kernel)."""
    project = make_project(tmp_path_factory.mktemp("processes"))
    result = c5("reports", "--config", config(project, GOOD_MATRIX), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return project


def faulty_matrix(project, seconds, name="faulty.toml"):
    return config(project, GOOD_MATRIX + f'\n[[report]]\nnotebook = "sleep.ipynb"\n'
                                         f'parameters = [{{ seconds = {seconds} }}]\n', name)


def recovers(project):
    """The next ordinary build ends well, reuses the published run and leaves no staging."""
    before = snapshot(project / "reports")[1]["hello.html"]
    result = c5("reports", "--config", project / "reports.toml", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert "1 runs (1 skipped-reused)" in result.stdout, result.stdout
    assert not list((project / "reports").glob(".staging-*"))
    assert snapshot(project / "reports")[1]["hello.html"] == before
    return result


def kill_case(project, marker, point, sig, seconds):
    """Start a build, wait for it to reach ``point``, send ``sig``; return (proc, stderr)."""
    started = project / "notebooks" / "sleep.started"  # written by the sleep notebook's cell
    started.unlink(missing_ok=True)
    stop = project / f"at-{point}"
    stop.unlink(missing_ok=True)
    env = dict(os.environ)
    if point != "running":
        env["C5_FAULT_AT"] = f"{point}:{stop}"
    before = snapshot(project / "reports")
    proc = c5_popen("reports", "--config", faulty_matrix(project, seconds), "--jobs", "1", env=env)
    try:
        wait_for((started if point == "running" else stop).exists, f"the build at {point}", proc)
        # the check below can fail: the build, its worker and its kernel carry the marker
        expected = 3 if point in ("running", "rendering") else 1
        assert len(build_processes(marker)) >= expected, build_processes(marker)
        os.kill(proc.pid, sig)
        _, err = proc.communicate(timeout=120)
        assert snapshot(project / "reports") == before, "the published set is byte for byte kept"
        staging = assert_no_build_left(marker, project / "reports")
        return proc.returncode, err, staging
    finally:
        for left in build_processes(marker):  # never leak a process, even on a failure
            left.kill()


@pytest.mark.parametrize("point", ["planning", "running", "rendering", "publishing"])
def test_sigkill_at_each_point(published, marker, point):
    code, err, staging = kill_case(published, marker, point, signal.SIGKILL,
                                   {"planning": 0.01, "running": 600, "rendering": 0.02,
                                    "publishing": 0.03}[point])
    assert code == -signal.SIGKILL
    assert len(staging) == 1, "a SIGKILLed build cannot clean up; the next one does"
    result = recovers(published)
    assert "cleaned up after a build that was killed" in result.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_sigterm_and_ctrl_c_while_running(published, marker, sig):
    code, err, staging = kill_case(published, marker, "running", sig, 601)
    assert code == 130, err
    assert "c5: interrupted; the published reports are unchanged" in err
    assert staging == [], "an interrupted build removes its staging itself"
    recovers(published)


def test_two_builds_at_once(published, marker):
    started = published / "notebooks" / "sleep.started"
    started.unlink(missing_ok=True)
    first = c5_popen("reports", "--config", faulty_matrix(published, 602), "--jobs", "1")
    try:
        wait_for(started.exists, "the first build running", first)
        before = snapshot(published / "reports")
        second = c5("reports", "--config", published / "reports.toml")
        assert second.returncode == 3
        assert f"another build (pid {first.pid}) is running" in second.stderr
        assert snapshot(published / "reports") == before
    finally:
        os.kill(first.pid, signal.SIGINT)
        first.communicate(timeout=120)
    assert assert_no_build_left(marker, published / "reports") == []
    recovers(published)


CRASH = {
    "cells": [
        {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "execution_count": None,
         "outputs": [], "source": 'how = "ok"'},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "import os, signal, time\n"
                   "if how == 'die':\n    os.kill(os.getpid(), signal.SIGKILL)\n"
                   "if how == 'hang':\n    time.sleep(600)\nprint('done', how)"},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


@pytest.mark.parametrize("how, timeout, message", [
    ("die", 600, "DeadKernelError"),
    ("hang", 2, "timed out"),
], ids=["kernel dies mid-cell", "cell exceeds its timeout"])
def test_a_run_that_crashes_fails_alone(published, marker, how, timeout, message):
    import json

    (published / "notebooks" / "crash.ipynb").write_text(json.dumps(CRASH))
    bad = config(published, GOOD_MATRIX + f'\n[[report]]\nnotebook = "crash.ipynb"\n'
                                          f'parameters = [{{ how = "{how}" }}]\n', "crash.toml")
    before = snapshot(published / "reports")[1]["hello.html"]
    result = c5("reports", "--config", bad, "--jobs", "1", "--timeout", timeout)
    assert result.returncode == 1, result.stderr
    assert f"crash--how={how}:" in result.stdout and message in result.stdout, result.stdout
    assert snapshot(published / "reports")[1]["hello.html"] == before
    assert (published / "reports" / "current" / f"crash--how={how}.failed.ipynb").is_file()
    assert assert_no_build_left(marker, published / "reports") == []
    recovers(published)


def test_a_build_reaps_what_a_killed_one_left(published, marker):
    """Belt and braces: should a worker or kernel of a killed build outlive it (its watcher
    could not run), the next build of the same folder ends it before it starts."""
    import subprocess

    left = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"],
                            env={**os.environ,
                                 "C5_BUILD_REPORTS": str((published / "reports").resolve())})
    try:
        result = recovers(published)
        assert left.wait(timeout=60) == -signal.SIGKILL
        assert "cleaned up after a build that was killed: 1 process(es) ended" in result.stderr
    finally:
        if left.poll() is None:
            left.kill()
