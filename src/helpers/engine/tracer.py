"""Kernel side: record which files under the traced roots a kernel opens or lists.

Runs inside the Jupyter kernel, not in the engine. The engine starts each kernel with
``kernel_site/`` on its ``PYTHONPATH``, whose ``sitecustomize`` calls :func:`install_from_env`
before any notebook code; an audit hook (:func:`sys.addaudithook`) then appends one line per
new ``(kind, path)`` to the file named by ``C5_TRACE_FILE``: ``f<TAB>path`` for a file opened,
``d<TAB>path`` for a directory listed, for paths under the ``os.pathsep``-separated
directories of ``C5_TRACE_ROOTS``; a third field holds the digest of what was there when it
was opened or listed (the file's bytes, the sorted names), so a run is keyed to the data it
read even if the file changes before the run ends. Between two runs in a reused kernel the engine calls
:func:`clear` with a new file, so each run records its own reads (and a file removed with an
earlier build's staging directory is never written to again).
"""

import hashlib
import json
import os
import stat
import sys

_KINDS = {"open": "f", "os.listdir": "d", "os.scandir": "d"}


class Tracer:
    """An audit hook that writes each new read under ``roots`` to the file descriptor ``fd``."""

    def __init__(self, fd, roots):
        self.fd = fd
        self.roots = tuple(dict.fromkeys(p for r in roots
                                         for p in (os.path.abspath(r), os.path.realpath(r))))
        self.seen = set()
        self.busy = False  # reading a file for its digest opens it too: not a new event

    def _traced(self, path):
        return any(path == r or path.startswith(r + os.sep) for r in self.roots)

    def _under_roots(self, raw):
        """The path as the engine names it: as written (a symlink under a root counts as
        that root's file, wherever it points), else resolved; None outside every root."""
        for path in (os.path.abspath(raw), os.path.realpath(raw)):
            if self._traced(path):
                return path
        return None

    @staticmethod
    def digest(kind, path):
        """What the engine's keys hash for ``path`` now (``keys.dep_value``), or ``""``."""
        try:
            if kind == "d":
                names = json.dumps(sorted(os.listdir(path)), sort_keys=True,
                                   separators=(",", ":"), ensure_ascii=False)
                return hashlib.sha256(names.encode()).hexdigest()
            if not stat.S_ISREG(os.stat(path).st_mode):
                return ""
            h = hashlib.sha256()
            fd = os.open(path, os.O_RDONLY)
            try:
                while chunk := os.read(fd, 1 << 20):
                    h.update(chunk)
            finally:
                os.close(fd)
            return h.hexdigest()
        except OSError:
            return ""

    def __call__(self, event, args):
        kind = _KINDS.get(event)
        if kind is None or self.busy or not args or isinstance(args[0], int):
            return
        try:
            path = self._under_roots(os.fsdecode(args[0] if args[0] is not None else "."))
        except Exception:  # noqa: BLE001 - an audit hook must never break the audited call
            return
        if path is None or (kind, path) in self.seen:
            return
        self.seen.add((kind, path))
        self.busy = True
        try:
            digest = self.digest(kind, path)
        finally:
            self.busy = False
        os.write(self.fd, f"{kind}\t{path}\t{digest}\n".encode("utf-8", "surrogateescape"))


#: the tracer installed in this process, if any (audit hooks cannot be removed)
ACTIVE = None


def install(out, roots):
    """Install a :class:`Tracer` writing to file ``out`` (appended) for reads under ``roots``."""
    global ACTIVE
    fd = os.open(out, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    ACTIVE = Tracer(fd, roots)
    sys.addaudithook(ACTIVE)
    return ACTIVE


def install_from_env(environ=os.environ):
    """Install the tracer when ``C5_TRACE_FILE`` and ``C5_TRACE_ROOTS`` are set; else do nothing."""
    out, roots = environ.get("C5_TRACE_FILE"), environ.get("C5_TRACE_ROOTS")
    if out and roots:
        return install(out, [r for r in roots.split(os.pathsep) if r])
    return None


def clear(out=None):
    """Forget what was recorded, so that the next run records every read again; with
    ``out``, write from now on to that file (the engine names a new one for each run)."""
    if ACTIVE is not None:
        ACTIVE.seen.clear()
        if out:
            fd = os.open(out, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            os.close(ACTIVE.fd)
            ACTIVE.fd = fd
