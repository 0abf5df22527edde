"""The real report matrix, built once per session by the engine, as its readers get it: every
run executes cleanly, each country page is about its country, every table is for people, and
the pages display offline in a real browser. One file, so that one pytest worker builds it."""

import re

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import visit

pytestmark = pytest.mark.notebooks


def test_every_run_of_the_report_matrix_executes(matrix_build):
    from helpers.engine.matrix import load_matrix

    result, out = matrix_build
    expected = [run.slug for run in load_matrix().runs]
    assert [e["slug"] for e in result.entries] == expected
    failed = {e["slug"]: e["error"] for e in result.entries if e["status"] != "ok"}
    assert not failed
    for slug in expected:
        nb = nbformat.read(out / "current" / f"{slug}.ipynb", as_version=4)
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        stderr = [o.text for c in nb.cells if c.cell_type == "code" for o in c.outputs
                  if o.output_type == "stream" and o.name == "stderr"]
        assert not errors and not stderr, (slug, stderr)
        page = (out / "current" / f"{slug}.html").read_text(encoding="utf-8")
        assert page.count("data:image/png;base64,") >= 2, f"{slug}: at least two figures"


def test_per_country_runs_differ_by_country(matrix_build):
    """The country parameter reaches the analysis: each country's report says its own name."""
    _, out = matrix_build
    for stem in ("02_trade_flows", "03_great_power_competition"):
        for country in ("Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"):
            page = (out / "current" / f"{stem}--country={country}.html").read_text(encoding="utf-8")
            others = {"Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"} - {country}
            assert page.count(country) > max(page.count(o) for o in others), (stem, country)


SNAKE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")
MISSING = {"NaN", "nan", "<NA>", "None", "NaT", "True", "False"}


def pages(out):
    return sorted((out / "current").glob("*.html"))


def problems(html):
    """Every way a page's tables fail a reader, as readable lines."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for number, table in enumerate(soup.find_all("table"), 1):
        where = f"table {number}"
        if "dataframe" in (table.get("class") or []):
            found.append(f"{where}: a raw pandas table (use tables.show)")
        for th in table.select("thead th"):
            text = th.get_text(" ", strip=True)
            if SNAKE.match(text):
                found.append(f"{where}: code-like header {text!r}")
        rows = table.select("tbody tr")
        firsts = [r.find(["th", "td"]) for r in rows]
        labels = [c.get_text(strip=True) for c in firsts if c is not None and c.name == "th"]
        if rows and labels == [str(i) for i in range(len(rows))]:
            found.append(f"{where}: a 0-based index column")
        for cell in table.select("tbody td"):
            text = cell.get_text(" ", strip=True)
            if text in MISSING:
                found.append(f"{where}: cell {text!r}")
            if text.endswith("...") and 45 <= len(text) <= 51:  # pandas cuts at 50
                found.append(f"{where}: text cut: {text!r}")
    text = soup.get_text(" ")
    if re.search(r"\bdtype: \w+", text):
        found.append("a raw pandas footer (dtype: ...)")
    return found


def test_the_scan_finds_what_it_looks_for():
    import pandas as pd

    raw = pd.DataFrame({"value_usd_bn": [1.0, None], "quote": ["x" * 60, "ok"]})
    with pd.option_context("display.max_colwidth", 50):
        html = raw._repr_html_() + "<pre>Name: x, dtype: float64</pre>"
    found = problems(html)
    assert any("raw pandas table" in p for p in found)
    assert any("code-like header 'value_usd_bn'" in p for p in found)
    assert any("0-based index" in p for p in found)
    assert any("'NaN'" in p for p in found)
    assert any("text cut" in p for p in found)
    assert any("dtype" in p for p in found)


def test_every_published_table_is_for_people(matrix_build):
    _, out = matrix_build
    report = {page.name: problems(page.read_text(encoding="utf-8")) for page in pages(out)
              if page.name != "index.html"}
    assert len(report) == 14
    assert {name: p for name, p in report.items() if p} == {}


def fact_ids():
    from helpers import data

    return sorted({f for t in ("events", "deals", "claims", "statements", "disagreements")
                   for f in data.load(t)["fact_id"]}, key=len, reverse=True)


#: what a reader must not meet in a report's prose, captions or chart-free text
PROSE = {
    "a plural written '(s)'": re.compile(r"\w\(s\)"),
    "notebook talk": re.compile(r"\b(?:the (?:next|previous|following) cell|this cell|run the cell)\b", re.I),
    "a file path for a source": re.compile(r"\bdata/(?:curated|derived|raw)/\S+\.csv"),
}


def prose_problems(html, ids):
    """Every way a page's visible text reads like the workshop, not like a report."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style"]):
        hidden.decompose()
    text = soup.get_text(" ")
    found = [f"{what}: {m.group(0)!r}" for what, rule in PROSE.items() for m in rule.finditer(text)]
    found += [f"an internal fact id: {i!r}" for i in ids if re.search(rf"\b{re.escape(i)}\b", text)]
    return found


def test_the_prose_scan_finds_what_it_looks_for():
    html = ("<p>2 deal(s) in the next cell; see data/curated/deals.csv for kaz_wabtec_locomotive_deal</p>"
            "<script>c5p1_washington_summit_2025</script>")
    found = prose_problems(html, ["kaz_wabtec_locomotive_deal", "c5p1_washington_summit_2025"])
    assert found == ["a plural written '(s)': 'l(s)'", "notebook talk: 'the next cell'",
                     "a file path for a source: 'data/curated/deals.csv'",
                     "an internal fact id: 'kaz_wabtec_locomotive_deal'"]


def test_every_report_reads_as_prose_for_people(matrix_build):
    _, out = matrix_build
    ids = fact_ids()
    report = {page.name: prose_problems(page.read_text(encoding="utf-8"), ids) for page in pages(out)}
    assert {name: p for name, p in report.items() if p} == {}


def test_every_disagreement_is_on_the_sources_page_with_both_passages(matrix_build):
    from helpers import data
    from helpers.analysis import disputes

    _, out = matrix_build
    soup = BeautifulSoup((out / "current" / "00_sources.html").read_text(encoding="utf-8"), "html.parser")
    text = " ".join(soup.get_text("").split())  # no separator: bold words stay in their sentence
    pairs = disputes.side_by_side()
    assert len(pairs) == len(data.load("disagreements"))
    for r in pairs.itertuples():
        for passage in (r.passage_a, r.passage_b):
            assert " ".join(passage.split()) in text, (r.disagreement_id, passage[:60])
        assert " ".join(r.why_it_matters.split()) in text, r.disagreement_id


@pytest.mark.browser
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
