"""Render HTML: one reader page per executed notebook, and the index of a build.

Pages are self-contained: images stay embedded as ``data:`` URIs, require.js is dropped and
MathJax (the only CDN asset) is loaded only when a notebook contains LaTeX. The page template
is ``templates/c5.html.j2``; its digest is the render key (:func:`helpers.engine.keys.render_key`).
"""

import functools
import html
import os
import re
from pathlib import Path

from .keys import TEMPLATE

_MATH_RE = re.compile(r"\$\$|\$[^$\s][^$\n]*\$|\\\(|\\\[|\\begin\{")
#: the cell tags a reader page leaves out
HIDDEN_TAGS = {"parameters", "injected-parameters"}


def write_text(path, text):
    """Write ``text`` (str, or bytes as they are) to ``path`` atomically: a temporary file,
    then a rename, so a reader never sees half a file and a hard link to the old file (a
    previous build's) keeps the old content."""
    tmp = Path(f"{path}.tmp-{os.getpid()}")
    if isinstance(text, bytes):
        tmp.write_bytes(text)
    else:
        tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def first_heading(cell):
    """(level, text) of the first Markdown heading line of a cell, or None."""
    source = cell["source"]
    for line in ("".join(source) if isinstance(source, list) else source).splitlines():
        match = re.match(r"^(#{1,6})\s+(.*)", line)
        if match:
            return len(match.group(1)), match.group(2).strip()
    return None


def drop_exercises(cells):
    """The cells without the exercises, for readers: from an "Exercises" or "Solutions"
    heading of level 1 or 2 (or a Markdown cell opening with "**Exercise") to the next such
    heading that is not one. Used by the run pages and by the readers' site.

    >>> md = lambda s: {"cell_type": "markdown", "source": s}
    >>> [c["source"] for c in drop_exercises([md("## 1 · Trade"), md("## Exercises"),
    ...                                         md("**Exercise 1.** Read"), md("## Notes")])]
    ['## 1 · Trade', '## Notes']
    """
    out, skipping = [], False
    for cell in cells:
        head = first_heading(cell) if cell["cell_type"] == "markdown" else None
        if head and head[0] <= 2:
            skipping = bool(re.match(r"(?i)(exercises?|solutions?)\b", head[1]))
        elif cell["cell_type"] == "markdown" and not skipping and re.match(
                r"(?i)\s*\*\*exercise\b", "".join(cell["source"])):
            skipping = True
        if not skipping:
            out.append(cell)
    return out


def render_html(nb_path, out_path, *, code=True, title=None):
    """Render an executed notebook to one self-contained HTML file.

    With ``code=False`` inputs, prompts and the parameters cells are left out (the reader
    version).
    """
    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    if not code:  # readers get no exercises (they belong to the handouts)
        nb.cells = drop_exercises(nb.cells)
    math = any(
        (c.cell_type == "markdown" and _MATH_RE.search(c.source))
        or any("text/latex" in o.get("data", {}) for o in c.get("outputs", []))
        for c in nb.cells)
    body, _ = _exporter(code).from_notebook_node(nb, resources={
        "c5_mathjax": math, "metadata": {"name": title or Path(nb_path).stem}})
    write_text(out_path, body)


@functools.lru_cache(maxsize=2)
def _exporter(code):
    """One HTML exporter per kind, reused by a worker for every run (templates load once)."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="lab", template_file=TEMPLATE.name, extra_loaders=[
        DictLoader({TEMPLATE.name: TEMPLATE.read_text(encoding="utf-8")})])
    if not code:
        exporter.exclude_input = exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
        exporter.register_preprocessor(TagRemovePreprocessor(
            remove_cell_tags=HIDDEN_TAGS, enabled=True), enabled=True)
    return exporter


def render_index(meta, entries, statuses):
    """Return the self-contained ``index.html`` listing every run (no external assets)."""
    from urllib.parse import quote as _quote

    def quote(name):
        return _quote(name, safe="=,+@")

    esc = html.escape
    rows = []
    for e in entries:
        files = e.get("files") or {}
        link = (f'<a href="{quote(files["report"])}">{esc(e["slug"])}</a>' if files
                else esc(e["slug"]))
        extra = [f'<a href="{quote(files[k])}">{k}</a>' for k in ("notebook",) if k in files]
        if e.get("failed_notebook"):
            extra.append(f'<a href="{quote(e["failed_notebook"])}">failed run</a>')
        params = ", ".join(f"{k}={v}" for k, v in sorted(e["parameters"].items())) or "defaults"
        error = (f'<tr class="error"><td colspan="8"><pre>{esc(e["error"])}</pre></td></tr>'
                 if e.get("error") else "")
        dur = f'{e["duration"]:.1f} s' if e.get("duration") is not None else ""
        rows.append(
            f'<tr class="{esc(e["status"])}"><td>{link}</td><td>{esc(e["notebook"])}</td>'
            f"<td>{esc(params)}</td><td>{esc(e['status'])}</td><td>{dur}</td>"
            f"<td><code>{esc(e.get('data_version') or '')}</code></td>"
            f"<td>{esc(e.get('built') or '')}</td><td>{' · '.join(extra)}</td></tr>{error}")
    counts = ", ".join(f"{sum(e['status'] == s for e in entries)} {s}" for s in statuses)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>C5+1 reports</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; }}
.scroll {{ overflow-x: auto; }} table {{ border-collapse: collapse; font-size: .9rem; }}
td, th {{ padding: .3rem .6rem; text-align: left;
  border-bottom: 1px solid #ddd; vertical-align: top; }}
tr.failed td, tr.stale td {{ background: #fff3f0; }} tr.error pre {{ margin: 0; color: #a00;
  white-space: pre-wrap; }} tr.skipped-reused td, tr.re-rendered td {{ color: #555; }}
</style></head><body>
<h1>C5+1 reports</h1>
<p>Build <code>{esc(meta['id'])}</code>, {esc(meta['built'])}; data version
<code>{esc(meta['data_version'])}</code>; {esc(counts)}.
Stale: the run failed, the last good report is shown.</p>
<div class="scroll"><table><thead><tr><th>report</th><th>notebook</th><th>parameters</th><th>status</th>
<th>duration</th><th>data</th><th>built</th><th>files</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></div></body></html>
"""
