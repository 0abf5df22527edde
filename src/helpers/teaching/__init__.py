"""The teaching layer: student and instructor handouts made from the theme notebooks.

It builds on the engine (rendering) and the data layer's paths; nothing below imports it.
"""
