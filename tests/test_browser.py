"""Published reports display offline in a real browser: every image loads, nothing fails.

Drives the system Chromium (Debian's /usr/bin/chromium, else `chromium` on PATH) through
playwright; no browser download. Skipped when Chromium is missing, except in CI (env CI set),
where that is a failure. Opens the index and reports of a fixture build and of the real matrix.
"""

import os
import shutil
from pathlib import Path

import pytest

from helpers.engine.build import build

CHROMIUM = Path("/usr/bin/chromium") if Path("/usr/bin/chromium").exists() else Path(
    shutil.which("chromium") or "/usr/bin/chromium")
FIXTURES = Path(__file__).parent / "fixtures"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI: apt-get install -y chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium); not in CI")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def published(tmp_path_factory):
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


def visit(browser, path):
    """Open ``path`` by file:// URL; return (page, console errors, failed requests)."""
    page = browser.new_page()
    errors, failed = [], []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: failed.append(req.url))
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_load_state("networkidle")
    return page, errors, failed


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


@pytest.mark.notebooks
@pytest.mark.parametrize("name", ["index.html", "01_rare_earths.html",
                                  "03_great_power_competition--country=Tajikistan.html"])
def test_real_reports_display_offline(browser, matrix_build, name):
    result, out = matrix_build
    page, errors, failed = visit(browser, out / "current" / name)
    images = page.eval_on_selector_all(
        "img", "els => els.map(e => e.complete && e.naturalWidth > 0)")
    assert errors == [] and failed == []
    assert all(images), f"{sum(not ok for ok in images)} of {len(images)} images broken"
    if name == "index.html":
        links = page.eval_on_selector_all("a[href$='.html']", "els => els.map(e => e.getAttribute('href'))")
        assert {f"{e['slug']}.html" for e in result.entries} <= set(links)
    else:
        assert len(images) >= 2, "a report shows its figures"
        assert page.locator("pre:has-text('params.reject_unknown')").count() == 0, "reader has no code"
    page.close()
