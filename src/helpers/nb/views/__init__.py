"""What each theme notebook shows besides tables: its charts and the sentences of its findings.

One module per notebook (``sources``, ``minerals``, ``trade``, ``competition``), built on
:mod:`helpers.analysis` for the numbers, :mod:`helpers.nb.style` for the charts and
:mod:`helpers.nb.say` for the prose. A notebook calls them in one line each.
"""
