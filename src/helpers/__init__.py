"""C5+1 Research Notebooks: data, analysis, notebook helpers, the report engine, handouts.

Layers, each a subpackage with one job (``docs/architecture.md``)::

    data  <-  analysis  <-  nb          (what notebooks import)
    data  <-  engine    <-  teaching    (what builds reports and handouts)

``errors`` is shared by all. Importing any of them defines names only: no I/O, no plotting
state, no logging set-up.
"""
