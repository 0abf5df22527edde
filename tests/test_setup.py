"""`make setup` refuses an old Python with a message that says which one it needs, and makes
nothing; the Makefile's own targets are the README's commands."""

import shutil
import subprocess
import sys
from importlib import metadata

import pytest

from helpers.data import paths


@pytest.fixture
def project_copy(tmp_path):
    for name in ("Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copy2(paths.ROOT / name, tmp_path / name)
    return tmp_path


def fake_python(tmp_path, version):
    """An interpreter that reports ``version`` as sys.version_info (and is otherwise real)."""
    script = tmp_path / "python-old"
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-c" ]; then shift; code="$1"; shift;\n'
        f'  exec {sys.executable} -c "import sys; sys.version_info = {tuple(version) + ("final", 0)!r}; $code" "$@"; fi\n'
        f'exec {sys.executable} "$@"\n'
    )
    script.chmod(0o755)
    return script


def test_old_python_is_refused_with_a_clear_message(project_copy):
    python = fake_python(project_copy, (3, 9, 18))
    result = subprocess.run(["make", "setup", f"PYTHON={python}"], cwd=project_copy,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "need Python 3.11 or newer" in result.stderr and "3.9.18" in result.stderr
    assert not (project_copy / ".venv").exists(), "nothing is created for an unusable Python"


def test_readme_gives_the_two_commands_and_ci_runs_the_test_command():
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert "make reports" in readme and "make test" in readme
    ci = (paths.ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nmake test\n" in ci
    make = subprocess.run(["make", "-n", "test", "reports"], cwd=paths.ROOT, capture_output=True, text=True)
    assert make.returncode == 0, make.stderr
    assert "pytest" in make.stdout and "c5 reports" in make.stdout


def test_every_make_command_the_readme_names_is_a_target():
    import re

    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`make ([a-z][a-z-]*)", readme)) | set(re.findall(r"^make ([a-z][a-z-]*)", readme, re.M))
    assert {"reports", "test", "lab", "lock", "handouts"} <= named
    for target in sorted(named):
        dry = subprocess.run(["make", "-n", target], cwd=paths.ROOT, capture_output=True, text=True)
        assert dry.returncode == 0, f"make {target}: {dry.stderr}"


def test_the_environment_check_names_what_is_missing_or_changed(tmp_path):
    """`make setup` repairs the environment when tools/check_env.py fails: it must pass on the
    installed lock and name a missing package and a changed version."""
    check = [sys.executable, str(paths.ROOT / "tools" / "check_env.py")]
    assert subprocess.run(check + [str(paths.ROOT / "requirements.lock")]).returncode == 0
    lock = tmp_path / "requirements.lock"
    lock.write_text("no-such-package-c5==1.0 \\\n    --hash=sha256:00\n"
                    "pandas==0.0.1 \\\n    --hash=sha256:00\n"
                    "appnope==1.0.0 ; sys_platform == 'nonexistent' \\\n")
    result = subprocess.run(check + [str(lock)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "no-such-package-c5: the lock pins 1.0, installed: missing" in result.stderr
    assert f"pandas: the lock pins 0.0.1, installed: {metadata.version('pandas')}" in result.stderr
    assert "appnope" not in result.stderr
