"""The readers' site (helpers.site, docs/site.md): built with the reports, published in the same
swap, reused when nothing changed; crawled in Chromium (links, console, images, one h1, axe),
switcher, search index, one PDF per report, data text escaped.

The site is built once per module from a SMALL matrix of the real notebooks (00_sources and
notebook 03 for two countries) into a temporary reports directory.
"""

import functools
import http.server
import html
import json
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from helpers.data import paths
from helpers.site import changes, notebooks, pages
from helpers.site.make import page_name

SMALL = """
[paths]
notebooks = "{notebooks}"
data = "{root}/data"
seeds = "{root}/seeds"
helpers = "{root}/src/helpers"
lockfile = "{root}/requirements.lock"

[[report]]
notebook = "00_sources.ipynb"

[[report]]
notebook = "03_great_power_competition.ipynb"
matrix = {{ country = ["Kazakhstan", "Kyrgyzstan"] }}
"""
COUNTRIES = ("Kazakhstan", "Kyrgyzstan")


@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    """Two builds of the small matrix: (first site dir, second build result, reports dir)."""
    from helpers.engine.build import build

    root = tmp_path_factory.mktemp("site")
    (root / "notebooks").mkdir()
    for name in ("00_sources.ipynb", "03_great_power_competition.ipynb"):
        shutil.copy(paths.NOTEBOOKS / name, root / "notebooks" / name)
    config = root / "reports.toml"
    config.write_text(SMALL.format(root=paths.ROOT.as_posix(), notebooks=(root / "notebooks").as_posix()),
                      encoding="utf-8")
    first = build(config, output=root / "reports", progress=False, jobs=3)
    assert first.exit_code == 0, first.failures
    first_site = first.build_dir / "site"
    state = json.loads((first_site / "c5-site.json").read_text(encoding="utf-8"))
    second = build(config, output=root / "reports", progress=False, jobs=3)
    return first_site, state, second, root / "reports"


def test_an_edited_report_remakes_only_its_own_pdf(small_site, tmp_path):
    """A copy of the published set; one notebook's prose edited; the next build rebuilds the
    site (mkdocs) but prints only that report's PDF again."""
    from helpers.engine.build import build

    _, _, _, reports = small_site
    root = reports.parent
    copy = tmp_path / "copy"
    shutil.copytree(root, copy, symlinks=True)
    nb_path = copy / "notebooks" / "00_sources.ipynb"
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    md = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    md["source"] = "".join(md["source"]) + "\n\nA sentence added by the test."
    nb_path.write_text(json.dumps(nb), encoding="utf-8")
    config = copy / "reports.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(root.as_posix(), copy.as_posix()),
                      encoding="utf-8")
    result = build(config, output=copy / "reports", progress=False, jobs=1)
    assert "00_sources" in result.executed
    state = json.loads((result.build_dir / "site" / "c5-site.json").read_text(encoding="utf-8"))
    assert state["timing"]["reused"] is False
    if state["timing"]["pdfs"]:  # Chromium present: the edited report's PDF, and only those
        # of runs re-executed with a different page (none, unless files changed meanwhile)
        assert 1 <= state["timing"]["pdfs"] <= len(result.executed)
    assert "A sentence added by the test." in (result.build_dir / "site" / "reports" /
                                               "00-sources.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(small_site):
    """The published site (the second, no-change build)."""
    return small_site[3] / "current" / "site"


# ----------------------------------------------------------------------------- no browser


def test_site_is_published_in_the_build(site):
    for name in ("index.html", "sources.html", "disagreements.html", "data.html",
                 "methodology.html", "status.html", "feed.xml", "data/datapackage.json",
                 "search/search_index.json"):
        assert (site / name).is_file(), name
    for country in COUNTRIES:
        assert (site / "reports" / f"03-great-power-competition-{country.lower()}.html").is_file()
    assert (site / "reports" / "00-sources.html").is_file()


def test_a_rebuild_where_nothing_changed_reuses_the_site(small_site):
    first_site, first_state, second, _ = small_site
    if {e["status"] for e in second.entries} != {"skipped-reused"}:
        pytest.skip("the tree changed between the two builds (files edited meanwhile)")
    site = second.build_dir / "site"
    page = "reports/03-great-power-competition-kazakhstan.html"
    # carried over by hard link: the very same file, not a rebuild
    assert (site / page).stat().st_ino == (first_site / page).stat().st_ino
    state = json.loads((site / "c5-site.json").read_text(encoding="utf-8"))
    assert state["key"] == first_state["key"] and state["timing"]["reused"] is True
    assert len(state["feed"]) == 2 and state["feed"][0]["summary"] == "Rebuilt; no report changed."
    # the status page tells this build, not the first one
    assert "skipped-reused" in (site / "status.html").read_text(encoding="utf-8")
    assert (site / "feed.xml").read_text(encoding="utf-8").count("<entry>") == 2


def test_the_site_of_unchanged_runs_is_carried_over(small_site, tmp_path):
    """build_site itself, on the published build's own notebooks: reused, not rebuilt."""
    from helpers.site.make import build_site

    current = (small_site[3] / "current").resolve()
    manifest = json.loads((current / "manifest.json").read_text(encoding="utf-8"))
    staging = tmp_path / "staging"
    staging.mkdir()
    for entry in manifest["runs"]:
        shutil.copy(current / entry["files"]["notebook"], staging)
    runs = [{**e, "status": "skipped-reused"} for e in manifest["runs"]]
    meta = {**manifest["build"], "id": "next", "built": "2031-01-01T00:00:00Z"}
    info = build_site(staging, runs, meta, prev_dir=current, say=pytest.fail)
    published = json.loads((current / "site" / "c5-site.json").read_text(encoding="utf-8"))
    now = json.loads((staging / "site" / "c5-site.json").read_text(encoding="utf-8"))
    if now["key"] != published["key"]:
        pytest.skip("the tree changed since the build (files edited meanwhile)")
    assert info["reused"] and info["pdfs"] == 0
    page = "reports/00-sources.html"
    assert (staging / "site" / page).stat().st_ino == (current / "site" / page).stat().st_ino
    status = (staging / "site" / "status.html").read_text(encoding="utf-8")
    assert "Build next" in status and "skipped-reused" in status
    # the published build's own files were not touched
    assert "Build next" not in (current / "site" / "status.html").read_text(encoding="utf-8")


def test_report_pages_have_a_persons_title_no_code_no_exercises(site):
    text = (site / "reports" / "03-great-power-competition-kazakhstan.html").read_text(encoding="utf-8")
    assert "<h1" in text and "Great-power competition: Kazakhstan" in text
    assert "Exercise 1" not in text and "Exercises" not in text
    assert "import matplotlib" not in text and "Traceback" not in text
    assert "No description has been provided" not in text
    alts = re.findall(r'<img[^>]* alt="([^"]+)"', text)
    assert alts and all(a.startswith("Chart") for a in alts)


def test_landing_page_has_findings_linking_to_their_report(site):
    text = (site / "index.html").read_text(encoding="utf-8")
    assert "reports/03-great-power-competition.html" not in text  # only the runs of the matrix
    assert re.search(r'href="reports/00-sources.html#findings"', text)
    assert "What changed" in text and "feed.xml" in text


def test_search_index_contains_a_country_name(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any("Kyrgyzstan" in doc["text"] or "Kyrgyzstan" in doc["title"] for doc in index["docs"])


def test_sources_page_anchors_every_cited_line(site):
    text = (site / "sources.html").read_text(encoding="utf-8")
    for seed, line in pages.cited_lines():
        assert f'id="{pages.anchor(seed, line)}"' in text


def test_every_passage_a_page_cites_links_to_it(site):
    """"<document>, line N" in any page's text is a link to that line on the Sources page."""
    from helpers.analysis import sources

    names = "|".join(re.escape(html.escape(n, quote=False))
                     for n in sources.document_names().values())
    cited = re.compile(rf"(?:{names}), line \d+")
    stated = linked = 0
    for page in site.rglob("*.html"):
        if page.name in ("sources.html", "404.html"):
            continue
        text = page.read_text(encoding="utf-8")
        article = text[text.find("<article"):text.rfind("</article>")]
        stated += len(cited.findall(re.sub(r"<[^>]+>", "", article)))
        linked += len(re.findall(r'<a href="(?:\.\./)?sources\.html#seed-\d{3}(?:-line-\d+)?">'
                                 rf"(?:{names}), line \d+</a>", article))
    assert stated and linked == stated, f"{linked} of {stated} cited passages are links"


def test_data_page_offers_every_table(site):
    package = json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8"))
    text = (site / "data.html").read_text(encoding="utf-8")
    for res in package["resources"]:
        assert (site / "data" / res["path"]).is_file(), res["path"]
        assert f'href="data/{res["path"]}"' in text


def test_text_from_the_data_is_escaped(monkeypatch):
    import pandas as pd

    from helpers.analysis import disputes

    evil = "<script>alert(1)</script>"
    row = {"disagreement_id": "DG999", "topic": f"Topic {evil}", "differs": "x",
           "document_a": "VOV World", "line_a": 5, "says_a": evil, "passage_a": f"A {evil}",
           "document_b": "Nowhere", "line_b": 1, "says_b": "b", "passage_b": "B",
           "why_it_matters": evil, "what_differs": evil}
    monkeypatch.setattr(disputes, "side_by_side", lambda: pd.DataFrame([row]))
    text = pages.disagreements_page()
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert notebooks.safe_markdown(f"quote {evil}").count("<script>") == 0
    assert "<script" not in changes.status_html(
        {"id": evil, "built": "2026-01-01T00:00:00Z", "data_version": "x"},
        [{"slug": "a", "status": "failed", "error": evil}], {}, {"a": evil})


def test_findings_come_from_tagged_cells_else_from_view_calls():
    def code(source, md, tags=()):
        return {"cell_type": "code", "source": source, "metadata": {"tags": list(tags)},
                "outputs": [{"output_type": "display_data", "data": {"text/markdown": md}}]}

    untagged = {"cells": [code("view.similarity_finding(pairs)", "A."), code("x = 1", "B."),
                          code("mine = f()\nviews.findings(iso)", "C.")]}
    assert notebooks.findings(untagged) == ["A.", "C."]
    tagged = {"cells": untagged["cells"] + [code("show(x)", "D.", ["finding"])]}
    assert notebooks.findings(tagged) == ["D."]
    assert notebooks.findings({"cells": [code("print(1)", "")]}) == []


def test_prepare_drops_exercises_solutions_code_and_errors():
    nb = {"metadata": {}, "cells": [
        {"cell_type": "markdown", "source": "# 03 · Theme\n\nIntro.", "metadata": {}},
        {"cell_type": "code", "source": "x = 1", "metadata": {"tags": ["parameters"]}, "outputs": []},
        {"cell_type": "code", "source": "f()", "metadata": {}, "outputs": [
            {"output_type": "stream", "name": "stderr", "text": "Warning!"},
            {"output_type": "error", "ename": "E", "evalue": "boom", "traceback": []},
            {"output_type": "display_data", "data": {"text/markdown": "Kept."}, "metadata": {}}]},
        {"cell_type": "markdown", "source": "## Exercises\n\n**Exercise 1.** Do.", "metadata": {}},
        {"cell_type": "code", "source": "answer()", "metadata": {"tags": ["solution"]}, "outputs": []},
        {"cell_type": "markdown", "source": "**Exercise 2.** Again.", "metadata": {}},
    ]}
    out = notebooks.prepare(nb, "Theme: Kazakhstan", findings_md=["Found."])
    text = json.dumps(out)
    assert "# Theme: Kazakhstan" in text and "## Findings" in text and "Kept." in text
    for gone in ("Exercise", "answer()", "Warning!", "boom", "x = 1", "f()"):
        assert gone not in text


def test_page_names_and_reasons():
    assert page_name("02_trade_flows--country=Kazakhstan") == "02-trade-flows-kazakhstan"
    assert changes.why({"static_key": "a", "deps": {}}, {"static_key": "a", "deps": {}}) == \
        "the report was rebuilt"


def test_changed_findings_are_listed_with_old_and_new_wording():
    rep = {"slug": "r", "title": "T", "page": "reports/r.html", "findings": ["Now 5."],
           "entry": {"static_key": "a", "deps": {"data/x.csv": "2"}}}
    found = changes.compare({"r": ["Now 4."]}, [rep], {"r": {"static_key": "a",
                                                            "deps": {"data/x.csv": "1"}}})
    assert found == [{"title": "T", "page": "reports/r.html", "old": "Now 4.", "new": "Now 5.",
                      "why": "new data (x.csv)"}]
    assert changes.compare(None, [rep], {}) is None
    assert changes.compare({"r": ["Now 5."]}, [rep], {}) == []


def test_pdfs_skipped_without_chromium_say_so_once(tmp_path, monkeypatch):
    from helpers.site import make, pdf

    monkeypatch.setattr(pdf, "chromium", lambda: None)
    nb = {"metadata": {}, "nbformat": 4, "nbformat_minor": 5, "cells": [
        {"cell_type": "markdown", "source": "# 09 · Tiny", "metadata": {}}]}
    (tmp_path / "tiny.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    said = []
    info = make.build_site(tmp_path, [{"slug": "tiny", "notebook": "tiny.ipynb", "parameters": {},
                                       "status": "ok", "files": {"notebook": "tiny.ipynb"}}],
                           {"id": "b", "built": "2026-01-01T00:00:00Z", "data_version": "d"},
                           say=said.append)
    assert len(said) == 1 and "PDFs skipped" in said[0] and "apt-get install chromium" in said[0]
    assert info["pdf_skipped"] and (tmp_path / "site" / "reports" / "tiny.html").is_file()
    assert not (tmp_path / "site" / "pdf").exists()


# ----------------------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def served(site):
    """The site over HTTP, as readers get it (a local server on a free port)."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a page closed while a request was under way (broken pipe): not a site error


def _crawl(browser, base):
    """Visit every page reachable from the landing page; return {url: findings}."""
    seen, todo, report = set(), [urljoin(base, "index.html")], {}
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        page = browser.new_page()
        errors, failed = [], []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("requestfailed", lambda req: failed.append(req.url))
        response = page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        info = page.evaluate("""() => ({
            title: document.title,
            h1: document.querySelectorAll('h1').length,
            broken: [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src),
            noalt: [...document.images].filter(i => !i.getAttribute('alt')).length,
            ids: [...document.querySelectorAll('[id]')].map(e => e.id),
            links: [...document.querySelectorAll('a[href]')].map(a => a.href)})""")
        report[url] = {"status": response.status if response else None, "errors": errors,
                       "failed": failed, **info, "page": None}
        for link in info["links"]:
            target = link.split("#")[0]
            if target.startswith(base) and target.endswith(".html") and target not in seen:
                todo.append(target)
            if target.startswith(base) and not target.endswith(".html") and target != base:
                report[url].setdefault("files", []).append(target)
        page.close()
    return report


@pytest.fixture(scope="module")
def crawl(browser, served):
    return _crawl(browser, served)


@pytest.mark.browser
def test_crawl_every_page_from_the_landing_page(crawl, served):
    import urllib.request

    # landing, all reports, what changed, sources, disagreements, data, methodology, build
    # status (footer) and the three reports of the small matrix
    assert len(crawl) >= 11, sorted(crawl)
    problems = {url: {k: r[k] for k in ("status", "errors", "failed", "broken", "h1", "noalt")}
                for url, r in crawl.items()
                if r["status"] != 200 or r["errors"] or r["failed"] or r["broken"]
                or r["h1"] != 1 or r["noalt"] or not r["title"]}
    assert not problems
    # every #anchor a page links to exists on its target page (e.g. sources.html#seed-003-line-30)
    anchors = {tuple(link.split("#", 1)) for r in crawl.values() for link in r["links"]
               if "#" in link and link.split("#")[0] in crawl}
    missing = sorted((page, frag) for page, frag in anchors
                     if frag and not frag.startswith("__") and frag not in crawl[page]["ids"])
    assert not missing, missing[:10]
    files = {f for r in crawl.values() for f in r.get("files", [])}
    assert any(f.endswith(".csv") for f in files) and any(f.endswith(".pdf") for f in files)
    for target in files:
        with urllib.request.urlopen(target) as resp:  # noqa: S310 - our local server
            assert resp.status == 200, target


@pytest.mark.browser
def test_switcher_reaches_every_parameter_set_keeping_the_section(browser, served):
    page = browser.new_page()
    page.goto(urljoin(served, "reports/03-great-power-competition-kazakhstan.html#findings"))
    labels = page.eval_on_selector_all(".c5-switcher a", "as => as.map(a => a.textContent)")
    assert labels == list(COUNTRIES)
    page.click(".c5-switcher a:text('Kyrgyzstan')")
    page.wait_for_load_state("load")
    assert page.url.endswith("03-great-power-competition-kyrgyzstan.html#findings")
    assert "Great-power competition: Kyrgyzstan" in page.inner_text("h1")
    page.close()


@pytest.mark.browser
def test_search_finds_a_country_name(browser, served):
    page = browser.new_page()
    page.goto(urljoin(served, "index.html"))
    page.wait_for_load_state("networkidle")
    page.click("label.md-search__icon, .md-search__input")
    page.locator(".md-search__input").press_sequentially("Kyrgyzstan", delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    assert page.locator(".md-search-result__item").count() >= 1
    page.close()


@pytest.mark.browser
def test_every_report_has_a_pdf_whose_first_page_names_it(site):
    from pypdf import PdfReader

    state = json.loads((site / "c5-site.json").read_text(encoding="utf-8"))
    reports = sorted((site / "reports").glob("*.html"))
    assert len(reports) == 3 and set(state["pdf"]) == {p.stem for p in reports}
    for html_page in reports:
        pdf = site / "pdf" / f"{html_page.stem}.pdf"
        assert pdf.is_file(), pdf
        title = re.search(r"<h1[^>]*>(.*?)<", html_page.read_text(encoding="utf-8"), re.S).group(1)
        first = " ".join(PdfReader(str(pdf)).pages[0].extract_text().split())
        assert " ".join(title.split()) in first, (pdf.name, first[:200])


@pytest.mark.browser
def test_axe_finds_no_serious_or_critical_violation(browser, crawl, served):
    """Every crawled page and the 404 page, at desktop width and at phone width (where wide
    tables become scrolling boxes, which must take the keyboard focus)."""
    from axe_playwright_python.sync_playwright import Axe

    axe, bad = Axe(), {}
    urls = sorted(crawl) + [urljoin(served, "404.html")]
    for width in (1280, 390):
        for url in urls:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(url, wait_until="load")
            result = axe.run(page)
            page.close()
            serious = [(v["id"], len(v["nodes"])) for v in result.response["violations"]
                       if v.get("impact") in ("serious", "critical")]
            if serious:
                bad[f"{urlparse(url).path} at {width} px"] = serious
    assert crawl and not bad


@pytest.mark.browser
def test_no_horizontal_page_scroll_at_phone_width(browser, crawl):
    wide = {}
    for url in sorted(crawl):
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(url, wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        page.close()
        if width > 391:
            wide[urlparse(url).path] = width
    assert not wide
