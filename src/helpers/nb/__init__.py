"""The notebook layer: what a notebook imports besides the analysis.

``params`` validates the parameters cell, ``style`` draws charts in the house style,
``tables`` shows tables for people. It builds on :mod:`helpers.analysis` and
:mod:`helpers.data`; the analysis never imports it.
"""
