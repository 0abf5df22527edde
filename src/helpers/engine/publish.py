"""Publish a build atomically: one build at a time, staged aside, swapped in with one rename.

The reports directory::

    reports/index.html            redirect to current/site/index.html (else current/index.html)
    reports/current -> builds/<id>
    reports/builds/<id>/          index.html, manifest.json and per run <slug>.html (reader,
                                  no code), <slug>.ipynb (executed), <slug>.failed.ipynb
    reports/.staging-<pid>/       the build under way (removed if it is interrupted)
    reports/.lock                 held by the running build

A build is staged in ``.staging-<pid>``, moved to ``builds/<id>``, and ``current`` is
swapped with :func:`os.replace`; the last :data:`KEEP_BUILDS` builds are kept.
"""

import datetime
import json
import os
import shutil
from pathlib import Path

from ..errors import BuildLockedError, C5Error
from .render import write_text

KEEP_BUILDS = 2


class ReportsNotWritableError(C5Error, OSError):
    """The reports directory cannot be written (read-only, not a directory, no space)."""

    def __init__(self, reports, exc):
        super().__init__(f"cannot write in the reports directory {reports}: "
                         f"{exc.strerror or exc}; nothing ran, the published reports are "
                         f"unchanged")


def now():
    """The time now, UTC, to the second, as ISO 8601."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def acquire(reports):
    """Take the build lock of ``reports`` or raise :class:`BuildLockedError` naming its holder."""
    from filelock import FileLock, Timeout

    try:
        reports.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(reports / ".lock"), timeout=0)
        lock.acquire()
    except Timeout:  # (a TimeoutError, hence an OSError: caught first)
        try:
            pid = int((reports / ".lock.pid").read_text().strip())
        except (OSError, ValueError):
            pid = None
        raise BuildLockedError(pid) from None
    except OSError as exc:  # read-only, not a directory, no space: say so, run nothing
        raise ReportsNotWritableError(reports, exc) from None
    try:
        (reports / ".lock.pid").write_text(f"{os.getpid()}\n")
    except OSError as exc:
        lock.release()
        raise ReportsNotWritableError(reports, exc) from None
    return lock


def release(reports, lock):
    """Release the build lock."""
    try:
        (reports / ".lock.pid").unlink()
    except OSError:
        pass
    lock.release()


def previous(reports):
    """The published build directory and its manifest entries by slug (or None, {})."""
    current = reports / "current"
    try:
        manifest = json.loads((current / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, {}
    return current.resolve(), {e["slug"]: e for e in manifest.get("runs", [])}


def carry(src_dir, dst_dir, names):
    """Hard-link (or copy) published files of a run from the previous build."""
    for name in names:
        src = src_dir / name
        if src.is_file():
            try:
                os.link(src, dst_dir / name)
            except OSError:
                shutil.copy2(src, dst_dir / name)


def clean_stale(reports):
    """Remove staging directories left by killed builds (we hold the lock: none is live);
    return the names removed."""
    removed = []
    for path in reports.glob(".staging-*"):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path.name)
    for path in reports.glob(".current-*"):
        path.unlink(missing_ok=True)
        removed.append(path.name)
    return removed


def new_build_id(reports):
    """A new, unused build name: UTC time to the millisecond, then the pid."""
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S.%f")[:-3]
    name, n = f"{stamp}-{os.getpid()}", 1
    while (reports / "builds" / name).exists():
        name, n = f"{stamp}-{os.getpid()}-{n}", n + 1
    return name


def publish(reports, staging, build_id):
    """Move ``staging`` to ``builds/<id>``, swap ``current`` atomically, keep the last builds."""
    builds = reports / "builds"
    builds.mkdir(exist_ok=True)
    current = reports / "current"
    before = current.resolve().name if current.is_symlink() else None
    os.rename(staging, builds / build_id)
    tmp = reports / f".current-{os.getpid()}"
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(Path("builds") / build_id, tmp)
    os.replace(tmp, current)
    # readers land on the site's landing page when the build made one, else on the run list
    target = "current/site/index.html" if (current / "site" / "index.html").is_file() else "current/index.html"
    redirect = ('<!doctype html><meta charset="utf-8"><title>C5+1 reports</title>'
                f'<meta http-equiv="refresh" content="0; url={target}">'
                f'<a href="{target}">C5+1 reports</a>\n')
    index = reports / "index.html"
    if not index.is_file() or index.read_text(encoding="utf-8") != redirect:
        write_text(index, redirect)
    keep = {build_id, before} if KEEP_BUILDS >= 2 else {build_id}
    for old in builds.iterdir():
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    return builds / build_id
