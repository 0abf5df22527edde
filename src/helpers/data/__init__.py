"""The data layer: project paths, the data package's schema, the validated loader, derived tables.

Everything above it (analysis, notebooks, the report engine) reads files through this layer.
It imports nothing of the project outside ``helpers.data`` and ``helpers.errors``.

Importing the package defines names only; the loader (and pandas) are imported on first use,
so ``from helpers.data import paths`` stays cheap for the report engine. The names a
notebook needs are re-exported here: ``data.load("claims")``, ``data.source_line("trade")``.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the lazy re-exports below, spelt out for readers, IDEs and the engine's keys
    from . import countries, derive, loader, paths, schema  # noqa: F401

_EXPORTS = {"load": "loader", "reset": "loader", "split_codes": "loader",
            "package": "schema", "resource": "schema", "resource_names": "schema",
            "citation": "schema", "source_line": "schema"}

__all__ = ["paths", "schema", "loader", "countries", "derive", *_EXPORTS]


def __getattr__(name):
    """Lazy re-exports (PEP 562): ``helpers.data.load`` is ``helpers.data.loader.load``."""
    import importlib

    if name in _EXPORTS:
        return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
