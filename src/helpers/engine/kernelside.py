"""Kernel side: return a reused kernel to the state of a fresh one before the next run.

Runs inside the Jupyter kernel: the engine executes ``reset(cwd)`` silently between two runs
of one worker's kernel. What is reset is listed here, nothing else is touched: the user
namespace and history (execution count back to 1), matplotlib's figures and rcParams,
warning filters and their "shown once" registries, the data-read tracer's memory and the
working directory. The project's modules stay imported: their state is either keyed by the
content of the files it came from (:mod:`helpers.data.loader`) or nothing at all, so a run
can neither see an earlier run's data nor hide a read from the tracer.
"""

import os
import sys
import warnings

from . import tracer

_BASELINE = {}


def reset(cwd, shell=None, trace=None):
    """Reset the running kernel (``shell``: its IPython shell) for a new run in ``cwd``;
    the tracer records the run's reads in ``trace`` (a new file per run)."""
    if "filters" not in _BASELINE:  # the first call sees the fresh kernel: remember it
        _BASELINE["filters"] = list(warnings.filters)
    else:
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
        if "matplotlib" in sys.modules:
            sys.modules["matplotlib"].rc_file_defaults()
        warnings.filters[:] = _BASELINE["filters"]
        warnings._filters_mutated()
        for module in list(sys.modules.values()):
            registry = getattr(module, "__warningregistry__", None)
            if isinstance(registry, dict):
                registry.clear()
        if shell is None:
            from IPython import get_ipython

            shell = get_ipython()
        shell.reset(new_session=True)
    tracer.clear(trace)
    os.chdir(cwd)


#: the code the engine sends to a kernel: one expression, binding no name in the namespace
CALL = "__import__('helpers.engine.kernelside', fromlist=['reset']).reset({cwd!r}, trace={trace!r})"
