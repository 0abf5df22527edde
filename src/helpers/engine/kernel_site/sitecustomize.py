"""Kernel side: on a kernel's ``PYTHONPATH`` (by the engine), it traces reads, dies with its worker.

Python imports ``sitecustomize`` at start-up, before any notebook code runs.
"""

from helpers.engine.lifeline import follow_from_env
from helpers.engine.tracer import install_from_env

install_from_env()
follow_from_env()  # die with the worker that started this kernel, however it ends
