"""The commands around the engine: `make reports` names c5's exit code, no clean target
deletes the published reports, and the README's cron line works on the first night, run as
cron runs it (docs/reliability.md, "Commands")."""

import os
import re
import shutil
import subprocess

import pytest

from .faultlib import config
from helpers.data import paths

ROOT = paths.ROOT


def make(*args, **kwargs):
    # -o: never remake the environment stamp from a test (another checkout's lock may be newer)
    return subprocess.run(["make", "-s", "-o", ".venv/.installed", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, **kwargs)


def test_make_reports_names_c5s_exit_code(project):
    bad = config(project, '[[reports]]\nnotebook = "hello.ipynb"\n', "bad.toml")
    result = make("reports", f"ARGS=--config {bad}")
    assert result.returncode == 2  # GNU make's own code for any failed recipe
    assert "c5 reports exited with code 2 (bad configuration or usage, nothing ran)" in result.stderr

    from filelock import FileLock

    good = config(project, '[[report]]\nnotebook = "hello.ipynb"\n')
    (project / "reports").mkdir()
    with FileLock(str(project / "reports" / ".lock"), timeout=0):
        result = make("reports", f"ARGS=--config {good}")
    assert "c5 reports exited with code 3 (another build is running)" in result.stderr


def test_no_clean_target_deletes_the_published_reports():
    for target in ("clean", "distclean"):
        dry = make("-n", target).stdout
        assert not re.search(r"rm -rf[^\n]* reports(\s|$)", dry), (target, dry)
        assert "reports/.staging-*" in dry
    assert "rm -rf reports" in make("-n", "delete-published-reports").stdout


def cron_line():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```cron\n(.*?)\n```", readme, re.S).group(1)
    return block.split(None, 5)[5]  # the command after the five time fields


@pytest.mark.skipif(not shutil.which("git", path="/usr/bin:/bin"), reason="needs git")
def test_the_cron_line_works_on_the_first_night(tmp_path):
    """The README's line, as cron runs it (``/bin/sh -c``, ``env -i``: HOME and a minimal
    PATH only) in a fresh clone, on a HOME whose log folder does not exist yet.

    The clone's ``.venv`` is the existing environment (a link; its stamp is newer than the
    clone's lock, so ``make setup`` installs nothing), and ``c5 reports`` is the real
    command with ``--check`` (a full build would take minutes; the pre-flight is the same)."""
    clone, home = tmp_path / "c5plus1", tmp_path / "home"
    home.mkdir()
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)],
                   check=True, capture_output=True, timeout=120)
    (clone / ".venv").symlink_to(ROOT / ".venv")
    stamp = (ROOT / ".venv" / ".installed").stat().st_mtime
    for name in ("requirements.lock", "pyproject.toml"):
        os.utime(clone / name, (stamp - 60, stamp - 60))
    line = cron_line()
    assert "/srv/c5plus1" in line and ".venv/bin/c5 reports" in line
    line = line.replace("/srv/c5plus1", str(clone)).replace(
        ".venv/bin/c5 reports", f".venv/bin/c5 reports --check --config {clone}/reports.toml")
    result = subprocess.run(["/bin/sh", "-c", line], env={"HOME": str(home),
                            "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, (result.stdout, result.stderr)
    logs = list(home.rglob("cron.log"))
    assert len(logs) == 1, "the line made its own log folder"
    assert re.search(r"reports\.toml: \d+ runs ok", logs[0].read_text()), logs[0].read_text()
    for target in ("clean", "distclean", "delete-published-reports"):  # no target reaches it
        assert str(logs[0].parent) not in make("-n", target).stdout
