"""The kernel-side modules of the engine, unit-tested outside a kernel: the data-read tracer
(in a subprocess, as a kernel starts it: audit hooks cannot be removed) and the reset."""

import hashlib
import os
import subprocess
import sys
import warnings

from helpers.engine import kernels, kernelside, tracer


def test_tracer_records_reads_under_its_roots_once(tmp_path):
    data, seeds, elsewhere = tmp_path / "data", tmp_path / "seeds", tmp_path / "elsewhere"
    for d in (data / "sub", seeds, elsewhere):
        d.mkdir(parents=True)
    (data / "a.csv").write_text("x\n")
    (seeds / "000.txt").write_text("seed\n")
    (elsewhere / "outside.csv").write_text("y\n")
    (data / "linked.csv").symlink_to(elsewhere / "outside.csv")  # a data file kept elsewhere
    trace = tmp_path / "trace"
    code = ("import os\n"
            f"open({str(data / 'a.csv')!r}).read(); open({str(data / 'a.csv')!r}).read()\n"
            f"open({str(seeds / '000.txt')!r}).read()\n"
            f"open({str(elsewhere / 'outside.csv')!r}).read()\n"
            f"open({str(data / 'linked.csv')!r}).read()\n"
            f"os.listdir({str(data / 'sub')!r})\n")
    env = {**os.environ, "PYTHONPATH": str(kernels.KERNEL_SITE), "C5_TRACE_FILE": str(trace),
           "C5_TRACE_ROOTS": os.pathsep.join([str(data), str(seeds)])}
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    lines = [line.split("\t") for line in trace.read_text().splitlines()]
    assert [line[:2] for line in lines] == [
        ["f", str(data / "a.csv")], ["f", str(seeds / "000.txt")],
        ["f", str(data / "linked.csv")], ["d", str(data / "sub")]]
    # each with what was there when it was read: the bytes (through the link), the names
    sha = lambda b: hashlib.sha256(b).hexdigest()  # noqa: E731
    assert [line[2] for line in lines] == [sha(b"x\n"), sha(b"seed\n"), sha(b"y\n"), sha(b"[]")]


def test_tracer_does_nothing_without_its_environment():
    assert tracer.install_from_env({}) is None


def test_tracer_clear_forgets_what_it_saw(tmp_path):
    fd = os.open(tmp_path / "trace", os.O_WRONLY | os.O_CREAT)
    hook = tracer.Tracer(fd, [str(tmp_path)])
    hook("open", (str(tmp_path / "x.csv"), "r", 0))
    hook("open", (str(tmp_path / "x.csv"), "r", 0))
    hook("open", ("/etc/hostname", "r", 0))
    assert hook.seen == {("f", str(tmp_path / "x.csv"))}
    hook.seen.clear()
    hook("open", (str(tmp_path / "x.csv"), "r", 0))
    assert (tmp_path / "trace").read_text().count("x.csv") == 2
    # a new run writes to a new file, even when the old one was removed meanwhile
    (tmp_path / "trace").unlink()
    monkeypatch_active = tracer.ACTIVE
    try:
        tracer.ACTIVE = hook
        tracer.clear(str(tmp_path / "trace-2"))
    finally:
        tracer.ACTIVE = monkeypatch_active
    hook("open", (str(tmp_path / "x.csv"), "r", 0))
    os.close(hook.fd)
    assert (tmp_path / "trace-2").read_text() == f"f\t{tmp_path / 'x.csv'}\t\n"  # no such file


class FakeShell:
    def __init__(self):
        self.resets = []

    def reset(self, new_session):
        self.resets.append(new_session)


def test_reset_restores_a_fresh_kernels_state(tmp_path, monkeypatch):
    monkeypatch.setattr(kernelside, "_BASELINE", {})
    monkeypatch.chdir(tmp_path)
    shell = FakeShell()
    before = list(warnings.filters)
    kernelside.reset(str(tmp_path), shell)  # first call: remembers the fresh state
    assert shell.resets == [], "a fresh kernel is not reset"
    warnings.simplefilter("ignore")  # what a notebook might do
    module = sys.modules[__name__]
    module.__warningregistry__ = {"shown once": True}
    other = tmp_path / "other"
    other.mkdir()
    try:
        kernelside.reset(str(other), shell)
        assert shell.resets == [True]
        assert warnings.filters == before
        assert module.__warningregistry__ == {}
        assert os.getcwd() == str(other)
    finally:
        warnings.filters[:] = before
        warnings._filters_mutated()


def test_reset_call_binds_no_name():
    import ast

    tree = ast.parse(kernelside.CALL.format(cwd="/tmp", trace="/tmp/t"), mode="eval")  # one expression
    assert not any(isinstance(n, ast.NamedExpr) for n in ast.walk(tree))
