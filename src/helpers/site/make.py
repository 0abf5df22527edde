"""Build the readers' site of a build with mkdocs, into the staging folder, for the same swap.

A mkdocs project is written in a temporary folder and built into ``<staging>/site/``, so
that the site is published with the reports in the same atomic swap.

:func:`build_site` is the one call :mod:`helpers.engine.build` makes. The site has a key
(the executed notebooks' cache keys, the project's code and data, the site's own files, the
lock); when it equals the key of the previous published site, that site is carried over
(hard links) and only its build status and feed are rewritten: a rebuild where nothing changed
does not run mkdocs. PDFs (:mod:`helpers.site.pdf`) are remade only for reports whose page
changed. See ``docs/site.md``.
"""

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..data import paths
from ..engine import keys
from ..engine.render import write_text
from . import changes, notebooks, pages, pdf

HERE = Path(__file__).resolve().parent
STATE = "c5-site.json"
#: how many builds the Atom feed keeps
FEED_LENGTH = 20
_LOCATOR = re.compile(r"\bseed (\d{3})(?: line (\d+))?\b")


def page_name(slug):
    """The site page of a run label: ``03_great_power_competition--country=Kazakhstan`` ->
    ``03-great-power-competition-kazakhstan``.

    >>> page_name("03_great_power_competition--country=Kazakhstan")
    '03-great-power-competition-kazakhstan'
    """
    name = re.sub(r"--[^=]+=", "-", slug)
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _label(parameters):
    values = [str(v) for v in (parameters or {}).values() if v is not None]
    return ", ".join(values) if values else "Overview"


def collect(staging, entries):
    """One dict per published report: slug, page, title, theme, parameters, findings, nb."""
    reports = []
    for entry in entries:
        name = (entry.get("files") or {}).get("notebook")
        if not name or not (staging / name).is_file():
            continue
        nb = json.loads((staging / name).read_text(encoding="utf-8"))
        params = entry.get("parameters") or {}
        reports.append({"slug": entry["slug"], "page": f"reports/{page_name(entry['slug'])}.html",
                        "stem": page_name(entry["slug"]), "notebook": entry.get("notebook"),
                        "parameters": params, "label": _label(params),
                        "title": notebooks.notebook_title(nb, params, entry["slug"]),
                        "theme": notebooks.theme_title(nb, entry.get("notebook") or entry["slug"]),
                        "findings": notebooks.findings(nb), "nb": nb, "entry": entry})
    return reports


def site_key(reports, with_pdf):
    """What the site depends on: runs, code, data, seeds, the site's assets and the lock."""
    parts = [json.dumps([[r["slug"], r["entry"].get("key"), r["entry"].get("static_key")]
                         for r in reports], sort_keys=True),
             keys.tree_digest(paths.SRC, ("**/*.py", "**/*.mplstyle", "site/assets/**/*",
                                          "site/overrides/**/*")),
             keys.tree_digest(paths.DATA), keys.tree_digest(paths.SEEDS), str(bool(with_pdf))]
    if paths.LOCKFILE.is_file():
        parts.append(keys.sha(paths.LOCKFILE.read_bytes()))
    return keys.sha("\n".join(parts).encode())


def _lead(rep, siblings, with_pdf):
    links = ['<a href="../index.html">Home</a>', '<a href="../reports.html">All reports</a>', '<a href="../sources.html">Sources</a>',
             '<a href="../data.html">Data</a>']
    if with_pdf:
        links.append(f'<a href="../pdf/{rep["stem"]}.pdf">PDF for print</a>')
    out = f'<p class="c5-links">{" · ".join(links)}</p>'
    if len(siblings) > 1:
        items = "".join(
            (f'<li><a class="c5-switch" aria-current="page" href="{s["stem"]}.html">'
             f'{pages.esc(s["label"])}</a></li>' if s is rep else
             f'<li><a class="c5-switch" href="{s["stem"]}.html">{pages.esc(s["label"])}</a></li>')
            for s in siblings)
        out += (f'<nav class="c5-switcher" aria-label="This report for"><span>This report for:</span>'
                f"<ul>{items}</ul></nav>")
    return out


def _nav(reports):
    themes = {}
    for rep in reports:
        themes.setdefault(rep["theme"], []).append(rep)
    nav = [{"Home": "index.md"}, {"All reports": "reports.md"}, {"What changed": "changes.md"}]
    for theme, reps in themes.items():
        nav.append({theme: [{r["label"]: f"reports/{r['stem']}.md"} for r in reps]})
    nav += [{"Sources": "sources.md"}, {"Disagreements": "disagreements.md"},
            {"Data": "data.md"}, {"Methodology": "methodology.md"}]
    return nav


def _front_matter(title, findings):
    """YAML front matter: the browser tab's and the PDF's title (Material uses ``title`` before
    the navigation label, e.g. "Overview") and a description for link previews (the first
    finding, as plain text).

    >>> print(_front_matter("Trade: Kazakhstan", ["In **2019** it bought 36.5% from Russia."]), end="")
    ---
    title: "Trade: Kazakhstan"
    description: "In 2019 it bought 36.5% from Russia."
    ---
    """
    first = re.sub(r"[*_`\\]|<[^>]+>", "", findings[0]) if findings else title
    return (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n"
            f"description: {json.dumps(' '.join(first.split())[:300], ensure_ascii=False)}\n---\n")


def write_project(root, reports, meta, prev_state, prev_entries, site_dir, with_pdf):
    """Write the mkdocs project (``mkdocs.yml`` and ``docs/``) under ``root``; return the
    changed findings (None without a previous site)."""
    docs = root / "docs"
    (docs / "reports").mkdir(parents=True)
    shutil.copytree(HERE / "assets", docs / "assets")
    package = pages.load_package()
    for res in package["resources"]:
        src = paths.DATA / res["path"]
        if src.is_file():
            (docs / "data" / res["path"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, docs / "data" / res["path"])
    shutil.copy2(paths.DATAPACKAGE, docs / "data" / "datapackage.json")
    groups = {}
    for rep in reports:
        groups.setdefault(rep["notebook"], []).append(rep)
    exporter = notebooks.markdown_exporter()  # one exporter: its templates compile once
    for rep in reports:
        nb = notebooks.prepare(rep["nb"], rep["title"], findings_md=rep["findings"],
                               lead_html=_lead(rep, groups[rep["notebook"]], with_pdf))
        (docs / "reports" / f"{rep['stem']}.md").write_text(
            _front_matter(rep["title"], rep["findings"]) + notebooks.to_markdown(nb, exporter),
            encoding="utf-8")
    found = changes.compare(None if prev_state is None else prev_state.get("findings", {}),
                            reports, prev_entries)
    (docs / "index.md").write_text(changes.landing_page(
        meta, reports, found, changes.vintages(package)), encoding="utf-8")
    (docs / "sources.md").write_text(pages.sources_page(), encoding="utf-8")
    (docs / "disagreements.md").write_text(pages.disagreements_page(), encoding="utf-8")
    (docs / "data.md").write_text(pages.data_page(package), encoding="utf-8")
    (docs / "methodology.md").write_text(pages.METHODOLOGY, encoding="utf-8")
    (docs / "status.md").write_text(changes.status_page(), encoding="utf-8")
    (docs / "changes.md").write_text(changes.changes_page(meta, found), encoding="utf-8")
    (docs / "reports.md").write_text(changes.reports_page(reports), encoding="utf-8")
    config = {
        "site_name": "C5+1 Research Notebooks", "docs_dir": "docs", "site_dir": str(site_dir),
        "use_directory_urls": False,
        "theme": {"name": "material", "font": False, "custom_dir": str(HERE / "overrides"),
                  "language": "en", "features": ["navigation.sections", "navigation.top",
                                                 "navigation.tracking",
                                                 "search.highlight", "toc.follow"]},
        "plugins": ["search", "offline"],
        # escapeall: a backslash escapes any character (say.markdown writes \\$ for a dollar)
        "markdown_extensions": ["attr_list", "md_in_html", "tables", "pymdownx.escapeall",
                                {"toc": {"permalink": False}}],
        "extra": {"polyfills": ["assets/iframe-worker-shim.js"]},
        "extra_css": ["assets/c5.css"], "extra_javascript": ["assets/c5.js"],
        "not_in_nav": "/status.md", "nav": _nav(reports),
        "validation": {"links": {"unrecognized_links": "ignore", "anchors": "ignore"}},
    }
    (root / "mkdocs.yml").write_text(json.dumps(config, indent=1), encoding="utf-8")
    return found


def _outlet_locator():
    """``Al Jazeera (machine translation), line 30`` -> seed ``003``, line 30: the way the
    reports cite a passage, by the document's name (:func:`analysis.sources.document_names`)."""
    from ..analysis import sources

    names = {name: sources.seed_number(doc) for doc, name in sources.document_names().items()}
    alternatives = "|".join(re.escape(html.escape(n, quote=False))
                            for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b({alternatives}), line (\d+)\b"), {
        html.escape(n, quote=False): seed for n, seed in names.items()}


def _link_locators(html_text, cited=None, prefix="../"):
    """Link every passage a page cites ("seed NNN line M", or "<document name>, line M") in
    its article to that line on the Sources page (to the document when the Sources page does
    not list the line). Text already inside a link is left alone."""
    start, end = html_text.find("<article"), html_text.rfind("</article>")
    if start < 0 or end < 0:
        return html_text
    by_name, seeds = _outlet_locator()

    def target(seed, line):
        if line and cited is not None and (seed, int(line)) not in cited:
            line = None
        return f"{prefix}sources.html#{pages.anchor(seed, line)}"

    def linked(text):
        text = _LOCATOR.sub(lambda m: f'<a href="{target(m.group(1), m.group(2))}">'
                                      f"{m.group(0)}</a>", text)
        return by_name.sub(lambda m: f'<a href="{target(seeds[m.group(1)], m.group(2))}">'
                                     f"{m.group(0)}</a>", text)

    out, depth = [], 0
    for piece in re.split(r"(<[^>]+>)", html_text[start:end]):
        if piece.startswith("<"):
            depth += 1 if re.match(r"<a\b", piece) else -1 if piece.startswith("</a") else 0
            out.append(piece)
        else:
            out.append(linked(piece) if depth == 0 else piece)
    return html_text[:start] + "".join(out) + html_text[end:]


#: Material's two hidden toggles carry no label; a page whose style sheet did not load (a
#: server's 404 page away from the site's root) shows them as bare check boxes
_TOGGLES = {"__drawer": "Show the navigation", "__search": "Show the search"}


def _label_toggles(html_text):
    """Give Material's drawer and search toggles an accessible name (axe rule "label").

    >>> _label_toggles('<input type="checkbox" id="__search" autocomplete="off">')
    '<input type="checkbox" id="__search" autocomplete="off" aria-label="Show the search">'
    """
    for ident, label in _TOGGLES.items():
        html_text = html_text.replace(f'id="{ident}" autocomplete="off">',
                                      f'id="{ident}" autocomplete="off" aria-label="{label}">')
    return html_text


def _carry_tree(src, dst):
    shutil.copytree(src, dst, copy_function=_carry_tree_file)


def _page_digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def build_site(staging, entries, meta, *, prev_dir=None, prev_entries=None, make_pdfs=True,
               say=print):
    """Build the site of a build into ``<staging>/site`` (or carry the previous one over).

    Parameters
    ----------
    staging : path-like
        The build's staging folder, holding the executed ``<slug>.ipynb`` of every run.
    entries : list of dict
        The build's manifest entries (``slug``, ``notebook``, ``parameters``, ``status``,
        ``files``, keys, ``duration``).
    meta : dict
        The build's ``id``, ``built`` and ``data_version``.
    prev_dir : path-like, optional
        The previous published build (its ``site/`` is reused or compared with).
    make_pdfs : bool
        Print each report to PDF with the system Chromium (skipped, said once, without it).

    Returns
    -------
    dict
        ``reused`` (bool), ``pages``, ``pdfs`` (made), ``pdf_skipped`` (reason or None),
        ``seconds`` (site) and ``pdf_seconds``.
    """
    started = time.monotonic()
    staging = Path(staging)
    site_dir = staging / "site"
    prev_site = Path(prev_dir) / "site" if prev_dir else None
    prev_state = None
    if prev_site and (prev_site / STATE).is_file():
        try:
            prev_state = json.loads((prev_site / STATE).read_text(encoding="utf-8"))
        except ValueError:
            prev_state = None
    chromium = pdf.chromium() if make_pdfs else None
    reports = collect(staging, entries)
    key = site_key(reports, bool(chromium))
    info = {"reused": False, "pages": 0, "pdfs": 0, "pdf_skipped": None, "pdf_seconds": 0.0}
    state = {"key": key, "built": meta["built"], "findings": {r["slug"]: r["findings"] for r in reports},
             "pdf": {}, "feed": list((prev_state or {}).get("feed", []))}
    if prev_state and prev_state.get("key") == key and prev_site.is_dir():
        _carry_tree(prev_site, site_dir)
        state.update(pdf=prev_state.get("pdf", {}), changes=prev_state.get("changes"),
                     changed_in=prev_state.get("changed_in"))
        info["reused"] = True
        summary = "Rebuilt; no report changed."
    else:
        with tempfile.TemporaryDirectory(prefix="c5-site-") as tmp:
            found = write_project(Path(tmp), reports, meta, prev_state,
                                  prev_entries or {}, site_dir, bool(chromium))
            t_mkdocs = time.monotonic()
            proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f",
                                   str(Path(tmp) / "mkdocs.yml")], capture_output=True,
                                  text=True, cwd=tmp)
            if proc.returncode != 0:
                raise RuntimeError(f"mkdocs build failed:\n{proc.stderr[-4000:]}")
            info["mkdocs_seconds"] = time.monotonic() - t_mkdocs
        cited = pages.cited_lines()
        for page in site_dir.rglob("*.html"):
            text = _label_toggles(page.read_text(encoding="utf-8"))
            if page.name not in ("sources.html", "404.html"):
                depth = len(page.relative_to(site_dir).parts) - 1
                text = _link_locators(text, cited, prefix="../" * depth)
            page.write_text(text, encoding="utf-8")
        state.update(changes=found, changed_in=meta["built"])
        n = len(found or [])
        summary = (f"{n} finding{'s' if n != 1 else ''} changed." if found is not None
                   else "First build of the site.")
    titles = {r["slug"]: r["title"] for r in reports}
    logs = {e["slug"]: e.get("error") or "" for e in entries if e["status"] in ("failed", "stale")}
    status = site_dir / "status.html"
    if status.is_file():
        write_text(status, changes.fill_status(status.read_text(encoding="utf-8"),
                                             changes.status_html(meta, entries, titles, logs)))
    state["feed"] = ([{"id": meta["id"], "built": meta["built"], "summary": summary}]
                     + state["feed"])[:FEED_LENGTH]
    write_text(site_dir / "feed.xml", changes.atom(state["feed"]))
    info["seconds"] = time.monotonic() - started
    if make_pdfs and not chromium:
        info["pdf_skipped"] = pdf.MISSING
        say(f"PDFs skipped: {pdf.MISSING}")
    elif chromium and not info["reused"]:
        t0 = time.monotonic()
        todo = {}
        for rep in reports:
            digest = _page_digest(site_dir / rep["page"])
            target = site_dir / "pdf" / f"{rep['stem']}.pdf"
            old = prev_site / "pdf" / f"{rep['stem']}.pdf" if prev_site else None
            if (old and old.is_file() and prev_state
                    and prev_state.get("pdf", {}).get(rep["stem"]) == digest):
                target.parent.mkdir(exist_ok=True)
                _carry_tree_file(old, target)
            else:
                todo[str(site_dir / rep["page"])] = str(target)
            state["pdf"][rep["stem"]] = digest
        if todo:
            error = pdf.print_pages(todo, chromium)
            if error:
                info["pdf_skipped"] = error
                say(f"PDFs skipped: {error}")
        info["pdfs"] = len(todo)
        info["pdf_seconds"] = time.monotonic() - t0
    info["pages"] = sum(1 for _ in site_dir.rglob("*.html"))
    state["timing"] = {k: info.get(k) for k in ("reused", "seconds", "mkdocs_seconds",
                                                 "pdf_seconds", "pdfs")}
    write_text(site_dir / STATE, json.dumps(state, indent=1, sort_keys=True) + "\n")
    return info


def _carry_tree_file(src, dst):
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)
