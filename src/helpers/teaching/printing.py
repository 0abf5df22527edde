"""Print the teaching kit: each handout notebook and lesson plan as an A4 PDF.

The pages are the engine's HTML (:func:`helpers.engine.render.render_html`, code shown) with a
print style added (code and long lines wrapped at the margin, figures within the page width,
ink-saving black-on-white), printed by the site's headless Chromium (:mod:`helpers.site.pdf`).
Without Chromium the step says so once and prints nothing.
"""

import html
from pathlib import Path

from ..engine.render import render_html, write_text
from ..site import pdf

#: the print style added to every handout page: nothing is cut at the margin
PRINT_CSS = """<style>
@page { size: A4; }
body { font-size: 10.5pt; color: #000; background: #fff; }
pre, code, .highlight pre { white-space: pre-wrap !important; overflow-wrap: anywhere;
  word-break: break-word; }
.jp-InputArea-editor, .highlight, .jp-OutputArea-output, .jp-RenderedHTMLCommon {
  overflow: visible !important; max-width: 100% !important; }
img, svg { max-width: 100% !important; height: auto !important; page-break-inside: avoid; }
table { font-size: 8pt; max-width: 100%; border-collapse: collapse; table-layout: auto; }
th, td { border: 1px solid #999; padding: 2px 4px; white-space: normal !important;
  overflow-wrap: break-word; word-break: normal; hyphens: auto; }
tr, figure { page-break-inside: avoid; }
h1, h2, h3 { page-break-after: avoid; }
</style>
"""
INSTALL = (f"PDFs skipped: {pdf.NOT_FOUND} and run `make handouts` again. The notebooks and "
           "lesson plans were written.")


def _with_print_style(page):
    return page.replace("</head>", PRINT_CSS + "</head>", 1)


def notebook_page(nb_path, html_path, title=None):
    """The print page of an executed handout notebook."""
    render_html(nb_path, html_path, code=True, title=title)
    write_text(html_path, _with_print_style(Path(html_path).read_text(encoding="utf-8")))
    return html_path


def lesson_page(md_path, html_path):
    """The print page of a lesson plan (Markdown, tables allowed)."""
    import markdown

    text = Path(md_path).read_text(encoding="utf-8")
    title = next((line[2:] for line in text.splitlines() if line.startswith("# ")), "Lesson plan")
    body = markdown.markdown(text, extensions=["tables", "sane_lists"])
    write_text(html_path, f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                          f"<title>{html.escape(title)}</title>{PRINT_CSS}</head>"
                          f'<body style="font-family: system-ui, sans-serif; margin: 0">'
                          f"{body}</body></html>")
    return html_path


def print_handouts(files, say=print):
    """Print every handout notebook (``.ipynb``) and lesson plan (``.md``) in ``files`` to a
    PDF beside it; return the PDFs written (none without Chromium)."""
    executable = pdf.chromium()
    if executable is None:
        say(INSTALL)
        return []
    todo = {}
    for path in map(Path, files):
        page = path.with_suffix(".html")
        if path.suffix == ".ipynb":
            notebook_page(path, page, title=f"{path.stem} ({path.parent.name})")
        else:
            lesson_page(path, page)
        todo[str(page)] = str(path.with_suffix(".pdf"))
    failed = pdf.print_pages(todo, executable)
    if failed:
        say(f"PDFs skipped: {failed}")
        return []
    return [Path(p) for p in todo.values()]
