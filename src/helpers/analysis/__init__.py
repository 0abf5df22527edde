"""The analysis layer: the computations the notebooks show, one module per theme.

``sources`` (the seed corpus), ``minerals``, ``trade``, ``deals``, ``competition``. It reads
tables through :mod:`helpers.data` and takes a country as an argument; it never imports the
notebook layer (parameters, style) or the engine.
"""
