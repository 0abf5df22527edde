"""The report engine: run every notebook of the matrix, reuse what did not change, publish.

It depends on :mod:`helpers.data` (paths only) and :mod:`helpers.errors`, never on the
analysis or the notebook layer: a notebook is a file it executes, not code it imports.
``from helpers.engine import build, load_matrix`` gives the two entry points.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .build import build  # noqa: F401
    from .matrix import load_matrix  # noqa: F401

_EXPORTS = {"build": "build", "BuildResult": "build", "STATUSES": "build",
            "load_matrix": "matrix", "DEFAULT_CONFIG": "matrix", "DEFAULT_TIMEOUT": "matrix"}


def __getattr__(name):
    """Lazy re-exports (PEP 562), so a kernel importing the kernel-side modules stays light."""
    import importlib

    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
