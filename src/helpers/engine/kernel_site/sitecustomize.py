"""Kernel side: put on a kernel's ``PYTHONPATH`` by the report engine, so its data reads are traced.

Python imports ``sitecustomize`` at start-up, before any notebook code runs.
"""

from helpers.engine.tracer import install_from_env

install_from_env()
