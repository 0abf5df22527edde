"""Published reports read as tables for people: human headers, no 0..n-1 index, nothing cut,
no NaN, no pandas footers. Scans every page of the real matrix built once per session."""

import re

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.notebooks

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
