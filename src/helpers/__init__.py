"""C5+1 Research Notebooks: data loading, provenance, analysis, style and reports.

Importing this package defines names only: no I/O, no plotting state, no logging set-up.
Submodules are imported where they are used, e.g. ``from helpers import data``.
"""

__all__ = ["paths", "data", "params", "style", "sources", "countries"]
