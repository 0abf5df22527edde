"""A fixture build's pages display offline in a real browser: every image loads, nothing fails.

The real matrix's pages are opened in tests/test_published.py; the browser fixture (system
Chromium through playwright, no download) is in conftest.py.
"""

import shutil
from pathlib import Path

import pytest
from conftest import visit

from helpers.engine.build import build

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The engine's own pages (build log, run pages); the readers' site is tests/test_site.py's."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("C5_SITE", "0")
        yield _publish(tmp_path_factory)


def _publish(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    (root / "notebooks").mkdir()
    shutil.copy(FIXTURES / "hello.ipynb", root / "notebooks")
    (root / "data").mkdir()
    (root / "data" / "hello.txt").write_text("Hello\n")
    (root / "src" / "helpers").mkdir(parents=True)
    (root / "requirements.lock").write_text("")
    (root / "reports.toml").write_text(
        '[[report]]\nnotebook = "hello.ipynb"\nmatrix = { name = ["Ada"] }\n')
    result = build(root / "reports.toml", jobs=1, progress=False)
    assert result.exit_code == 0
    return root / "reports"


@pytest.mark.notebooks
@pytest.mark.parametrize("name", ["index.html", "current/index.html",
                                  "current/hello--name=Ada.html"])
def test_page_displays_offline(browser, published, name):
    page, errors, failed = visit(browser, published / name)
    images = page.eval_on_selector_all(
        "img", "els => els.map(e => [e.complete && e.naturalWidth > 0, e.src.slice(0, 30)])")
    assert errors == [] and failed == []
    assert all(ok for ok, _ in images), images
    if "hello" in name:
        assert images and all(src.startswith("data:image/png") for _, src in images)
        assert "Hello, Ada!" in page.inner_text("body")
    else:
        assert page.locator("a[href='hello--name=Ada.html']").count() == 1
    page.close()
