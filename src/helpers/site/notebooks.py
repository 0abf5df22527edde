"""Turn an executed notebook of a build into a reader's page for the site.

:func:`prepare` returns a copy of the notebook for a report page: a title a person would
write, the findings first, no code, no exercises or solutions, no tracebacks or warnings, every
figure with alt text (the chart's title), data text escaped, wide tables in a scrolling box;
:func:`to_markdown` turns it into the page's Markdown (nbconvert's Markdown exporter: the
outputs' HTML kept as it is), which mkdocs renders like any other page.
:func:`findings` reads the headline findings of an executed notebook: the Markdown outputs of
cells tagged ``finding``, else of the cells whose last line calls a ``…finding(…)`` or
``…findings(…)`` view function; never an error when there are none.
"""

import base64
import html
import re

from ..engine.render import drop_exercises, first_heading

#: cells a reader page leaves out
HIDDEN_TAGS = {"parameters", "injected-parameters", "solution", "exercise"}
#: a view call whose Markdown output is a finding: ``view.china_finding(edition)``
_FINDING_CALL = re.compile(r"^[A-Za-z_][\w.]*\.\w*findings?\(.*\)\s*;?$", re.S)
#: HTML a Markdown output may keep; any other tag is shown as text
_SAFE_TAGS = r"(?:b|i|em|strong|br|sup|sub|small|code|span|abbr|mark)"
_UNSAFE_TAG = re.compile(rf"<(?!/?{_SAFE_TAGS}\b[^<>]*>)")
_NUMBER = re.compile(r"^\s*\d+\s*[·.:-]\s*")


def _text(value):
    return "".join(value) if isinstance(value, list) else str(value or "")


def notebook_title(nb, parameters=None, fallback="Report"):
    """A person's title: the notebook's H1 without its number, then the parameter values.

    >>> nb = {"cells": [{"cell_type": "markdown", "source": "# 03 · Great-power competition"}]}
    >>> notebook_title(nb, {"country": "Kazakhstan"})
    'Great-power competition: Kazakhstan'
    >>> notebook_title(nb, {})
    'Great-power competition'
    """
    base = theme_title(nb, fallback)
    values = [str(v) for v in (parameters or {}).values() if v is not None]
    return f"{base}: {', '.join(values)}" if values else base


def theme_title(nb, fallback="Report"):
    """The notebook's H1 without its number (``"03 · Great-power competition"`` -> theme)."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in _text(cell["source"]).splitlines():
                if line.startswith("# "):
                    return _NUMBER.sub("", line[2:]).strip() or fallback
    return fallback


def _is_finding_cell(cell, tagged):
    if cell["cell_type"] != "code":
        return False
    if tagged:
        return "finding" in cell.get("metadata", {}).get("tags", [])
    lines = [ln for ln in _text(cell["source"]).strip().splitlines() if ln.strip()]
    return bool(lines) and bool(_FINDING_CALL.match(lines[-1].strip()))


def findings(nb):
    """The headline findings of an executed notebook, as Markdown strings, in order.

    Cells tagged ``finding`` if any, else cells whose last line calls a view's
    ``…finding(…)``/``…findings(…)``; only their ``text/markdown`` outputs.

    >>> cell = {"cell_type": "code", "source": "view.china_finding(e)", "metadata": {},
    ...         "outputs": [{"output_type": "execute_result",
    ...                      "data": {"text/markdown": "China mines most."}}]}
    >>> findings({"cells": [cell]})
    ['China mines most.']
    >>> findings({"cells": []})
    []
    """
    cells = nb.get("cells", [])
    tagged = any("finding" in c.get("metadata", {}).get("tags", []) for c in cells)
    out = []
    for cell in cells:
        if _is_finding_cell(cell, tagged):
            for output in cell.get("outputs", []):
                text = _text(output.get("data", {}).get("text/markdown", "")).strip()
                if text:
                    out.append(text)
    return out


def safe_markdown(text):
    """Markdown from the data with any HTML tag but simple inline ones shown as text.

    >>> safe_markdown('a <b>bold</b> quote with <script>alert(1)</script>')
    'a <b>bold</b> quote with &lt;script>alert(1)&lt;/script>'
    """
    return _UNSAFE_TAG.sub("&lt;", text)


def _alt(output, section, title):
    meta = output.get("metadata", {}) or {}
    alt = (meta.get("image/png") or {}).get("alt") if isinstance(meta.get("image/png"), dict) else None
    alt = alt or meta.get("alt") or meta.get("c5:alt")
    if alt:
        return f"Chart: {alt}"
    return f"Chart of {title}, section “{section}”" if section else f"Chart of {title}"


def _image_output(output, alt):
    data = output["data"]
    mime = "image/png" if "image/png" in data else "image/jpeg"
    src = _text(data[mime]).replace("\n", "")
    base64.b64decode(src[:64] + "=" * (-len(src[:64]) % 4))  # a malformed payload fails here
    label = html.escape(alt, quote=True)
    img = (f'<figure class="c5-figure" tabindex="0" aria-label="{label}">'
           f'<img src="data:{mime};base64,{src}" alt="{label}"></figure>')
    return {"output_type": "display_data", "metadata": {}, "data": {"text/html": img}}


def _clean_outputs(cell, section, title):
    kept = []
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "error" or (kind == "stream" and output.get("name") == "stderr"):
            continue
        data = output.get("data", {})
        if "image/png" in data or "image/jpeg" in data:
            kept.append(_image_output(output, _alt(output, section, title)))
            continue
        if "<table" in _text(data.get("text/html", "")):
            output = {**output, "data": {**data, "text/html": _table_figure(
                _text(data["text/html"]), section)}}
        elif "text/markdown" in data:
            output = {**output, "data": {**data, "text/markdown": safe_markdown(
                _text(data["text/markdown"]))}}
        if kind == "stream":
            continue  # printed check lines are for the notebook's author
        kept.append(output)
    return kept


def _table_figure(table, section):
    """A table output as a figure: its caption (title and source) above, outside the box that
    scrolls on a narrow screen, so that it is never cut; the box takes the keyboard focus and
    is named after the caption (axe: scrollable-region-focusable).

    >>> print(_table_figure('<table><caption>Trade — Source: WTO</caption><tr><td>1</td></tr></table>', "1"))
    <figure class="c5-table-figure"><figcaption>Trade — Source: WTO</figcaption><div class="c5-scroll" tabindex="0" role="region" aria-label="Trade"><table><tr><td>1</td></tr></table></div></figure>
    """
    caption = re.search(r"\s*<caption>(.*?)</caption>", table, re.S)
    title = caption.group(1) if caption else f"Table, section {section}"
    label = html.escape(re.sub(r"<[^>]+>", "", title.split(" — Source")[0]).strip(), quote=True)
    body = table[:caption.start()] + table[caption.end():] if caption else table
    head = f"<figcaption>{caption.group(1).strip()}</figcaption>" if caption else ""
    return (f'<figure class="c5-table-figure">{head}<div class="c5-scroll" tabindex="0" '
            f'role="region" aria-label="{label}">{body}</div></figure>')


def prepare(nb, title, *, lead_html="", findings_md=()):
    """A copy of the executed notebook ``nb`` (a dict) for the site.

    ``title`` replaces the H1; ``lead_html`` (the switcher, links) follows it, then
    "Findings" with ``findings_md``, then the story without exercises, code or errors.
    """
    cells = [c for c in nb["cells"]
             if not HIDDEN_TAGS & set(c.get("metadata", {}).get("tags", []))
             and c["cell_type"] in ("markdown", "code")]
    cells = drop_exercises(cells)
    out, section, seen_h1 = [], "", False
    for cell in cells:
        cell = {**cell, "metadata": {}}
        if cell["cell_type"] == "markdown":
            head = first_heading(cell)
            text = _text(cell["source"])
            if head and head[0] == 1 and not seen_h1:
                seen_h1 = True
                rest = "\n".join(ln for ln in text.splitlines() if not ln.startswith("# "))
                head_md = f"# {html.escape(title, quote=False)}\n"
                cell["source"] = head_md
                out.append(cell)
                if lead_html:
                    out.append(_md(lead_html))
                if findings_md:
                    out.append(_md("## Findings\n\n" + "\n\n".join(
                        safe_markdown(f) for f in findings_md)))
                if rest.strip():
                    out.append(_md(rest))
                continue
            if head:
                section = head[1]
                if head[0] == 2 and section.lower() == "findings" and findings_md:
                    cell["source"] = "## Findings, in full\n"
            out.append(cell)
        else:
            cell["outputs"] = _clean_outputs(cell, section, title)
            cell["source"] = ""
            if cell["outputs"]:
                out.append({**cell, "execution_count": None})
    if not seen_h1:
        out[:0] = [_md(f"# {html.escape(title, quote=False)}\n")] + (
            [_md(lead_html)] if lead_html else [])
    return {**nb, "cells": out, "metadata": {
        "kernelspec": nb.get("metadata", {}).get("kernelspec", {"name": "python3",
                                                                  "display_name": "Python 3"}),
        "language_info": {"name": "python"}}}


def _md(source):
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def markdown_exporter():
    """nbconvert's Markdown exporter, inputs and prompts left out; reuse it for every page."""
    from nbconvert import MarkdownExporter

    return MarkdownExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)


def to_markdown(nb, exporter=None):
    """The Markdown of a page made by :func:`prepare` (a dict), for mkdocs.

    >>> page = prepare({"cells": [{"cell_type": "markdown", "metadata": {},
    ...                            "source": "# 01 · Rare earths"}]}, "Rare earths")
    >>> to_markdown(page).strip()
    '# Rare earths'
    """
    import json

    import nbformat

    nb = {"nbformat": 4, "nbformat_minor": 5, **nb,
          "cells": [{"id": f"c{i}", **cell} for i, cell in enumerate(nb["cells"])]}
    node = nbformat.reads(json.dumps(nb), as_version=4)  # list sources joined, ids added
    body, _ = (exporter or markdown_exporter()).from_notebook_node(node)
    return body
