"""The conda environment file and the pip lock must agree, and the lock must be complete."""

import re

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from helpers.data import paths

# the interpreter environment.yml pins (python=3.11) on the platform CI and the tests use
PY311_LINUX = {"python_version": "3.11", "python_full_version": "3.11.14", "sys_platform": "linux",
               "platform_system": "Linux", "os_name": "posix", "implementation_name": "cpython",
               "platform_python_implementation": "CPython", "platform_machine": "x86_64"}


def lock_pins(text, env=PY311_LINUX):
    """{name: version} of the lock entries whose marker holds in ``env``."""
    pins = {}
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$", line)
        if match:
            name, version, marker = match.groups()
            if marker is None or Marker(marker).evaluate(env):
                pins[canonicalize_name(name)] = version
    return pins


def env_pins(doc):
    """{name: version} of every pinned package in environment.yml (conda and pip sections)."""
    pins = {}
    for dep in doc["dependencies"]:
        if isinstance(dep, dict):
            for req in dep.get("pip", []):
                parsed = Requirement(req)
                pins[canonicalize_name(parsed.name)] = str(parsed.specifier).removeprefix("==")
        elif dep not in ("pip",) and not dep.startswith("python="):
            name, _, version = dep.partition("=")
            pins[canonicalize_name(name)] = version
    return pins


@pytest.fixture(scope="module")
def lock():
    return lock_pins(paths.LOCKFILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def env():
    return yaml.safe_load((paths.ROOT / "environment.yml").read_text(encoding="utf-8"))


def test_environment_yml_matches_lock(env, lock):
    pins = env_pins(env)
    assert pins, "environment.yml pins nothing"
    disagree = {n: (v, lock.get(n)) for n, v in pins.items() if lock.get(n) != v}
    assert not disagree, f"environment.yml vs requirements.lock (env, lock): {disagree}"


def test_environment_yml_lists_every_direct_dependency(env):
    direct = {canonicalize_name(Requirement(line.split("#")[0]).name)
              for line in (paths.ROOT / "requirements.in").read_text().splitlines()
              if line.split("#")[0].strip()}
    assert direct - set(env_pins(env)) == set()
    assert "python=3.11" in env["dependencies"]


def test_lock_is_hashed_and_covers_direct_dependencies(lock):
    text = paths.LOCKFILE.read_text(encoding="utf-8")
    for name in ("jupyterlab", "pandas", "matplotlib", "seaborn", "papermill", "nbval"):
        assert name in lock
    entries = re.findall(r"^[A-Za-z0-9_.\-]+==", text, re.M)
    assert len(re.findall(r"^\s+--hash=sha256:", text, re.M)) >= len(entries)


def test_lock_leaves_out_rfc3987_syntax(lock):
    # it costs ~1 s at every nbformat import (docs/environment.md); jsonschema treats it as optional
    assert "rfc3987-syntax" not in lock and "lark" not in lock


def test_lock_pins_match_the_installed_environment(lock):
    from importlib.metadata import PackageNotFoundError, version

    wrong = {}
    for name, pinned in lock.items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            continue  # platform-specific entries (e.g. pywinpty) are not installed here
        if installed != pinned:
            wrong[name] = (pinned, installed)
    assert not wrong, f"installed versions differ from the lock (lock, installed): {wrong}; run make setup"


def test_lock_parser_applies_markers():
    text = "numpy==2.4.6 ; python_full_version < '3.12' \\\nnumpy==2.5.5 ; python_full_version >= '3.12' \\\nappnope==1.0.0 ; sys_platform == 'darwin' \\\n"
    assert lock_pins(text) == {"numpy": "2.4.6"}
