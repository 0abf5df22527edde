"""Fixtures of the fault-injection suite; the helpers live in ``faultlib``."""

import os

import pytest

from .faultlib import marker, project  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True, scope="module")
def _no_site():
    """The engine's own steps only: the readers' site (``helpers.site``, with its own tests)
    is not built by these builds (``C5_SITE=0``), which keeps the suite within its time.
    Module scope, so the modules' shared builds see it too; restored after each module."""
    before = os.environ.get("C5_SITE")
    os.environ["C5_SITE"] = "0"
    yield
    if before is None:
        os.environ.pop("C5_SITE", None)
    else:
        os.environ["C5_SITE"] = before
