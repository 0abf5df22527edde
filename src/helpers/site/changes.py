"""The landing page, what changed since the previous published build, build status, Atom feed.

Findings are compared with those of the previous published build (kept in its site's
``c5-site.json``): a finding whose text changed is listed with its old and new wording and why
(the run's data changed, or its notebook or code). The build status table and the feed are
written at every build, also when the rest of the site is reused.
"""

import datetime
import html
import re
from xml.sax.saxutils import escape as xml_escape

from .notebooks import safe_markdown
from .pages import esc, table

INTRO = ("The C5+1 Research Notebooks follow the relations between the United States and the "
         "five Central Asian countries (Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and "
         "Uzbekistan) and the other powers present in the region. Every figure below is computed "
         "from public statistics and from news documents whose every cited line is published on "
         "the [Sources](sources.md) page. The reports are rebuilt on a schedule; this page says "
         "what changed since the previous build.")
#: headline findings per theme on the landing page
MAX_FINDINGS = 5


def split_findings(texts):
    """One item per bullet or paragraph (a paragraph ending in ":" introduces bullets).

    >>> split_findings(["Intro:\\n\\n- one\\n- two", "Alone,\\nin two lines.\\n\\nNext."])
    ['one', 'two', 'Alone, in two lines.', 'Next.']
    """
    out = []
    for text in texts:
        for block in re.split(r"\n\s*\n", text.strip()):
            bullets = re.findall(r"^\s*[-*]\s+(.+)$", block, re.M)
            if bullets:
                out.extend(b.strip() for b in bullets)
            else:
                line = " ".join(ln.strip() for ln in block.splitlines()).strip()
                if line and not line.endswith(":") and not line.startswith("#"):
                    out.append(line)
    return out


def landing_page(meta, reports, changes, vintages, changed_in=None):
    """Markdown of the landing page: intro, headline findings per theme, changes, vintages."""
    parts = ["# C5+1 Research Notebooks: the reports\n", INTRO + "\n"]
    themes = {}
    for rep in reports:
        themes.setdefault(rep["theme"], []).append(rep)
    # the themes' findings first; the collection's note on its own sources comes last
    ordered = sorted(themes.items(), key=lambda kv: "sources" in str(kv[1][0].get("notebook")))
    seen = set()
    for theme, reps in ordered:
        main = next((r for r in reps if not r["parameters"]), reps[0])
        items = [i for i in split_findings(main["findings"])
                 if " ".join(i.split()) not in seen][:MAX_FINDINGS]
        seen.update(" ".join(i.split()) for i in items)
        parts.append(f"## {esc(theme)}\n")
        if items:
            parts.append("\n".join(f"- {safe_markdown(i)} ([{esc(main['title'])}]"
                                   f"({main['page']}#findings))" for i in items) + "\n")
        else:
            parts.append(f"No headline finding was published by this build: see "
                         f"[{esc(main['title'])}]({main['page']}).\n")
        others = [r for r in reps if r is not main]
        if others:
            parts.append("Also: " + ", ".join(f"[{esc(r['title'])}]({r['page']})"
                                               for r in others) + ".\n")
    parts.append("## What changed\n")
    parts.append(_changes_text(meta, changes, changed_in))
    parts.append("The [What changed](changes.md) page keeps this list; subscribe to the "
                 "[feed of builds](feed.xml) to hear of the next build.\n")
    parts.append("## When and from what\n")
    parts.append(f"Built {esc(_when(meta['built']))}. The data it read:\n")
    parts.append(table(["Publisher", "Editions"], [[esc(p), esc(", ".join(e))]
                                                     for p, e in vintages.items()],
                       "Vintage of each dataset") + "\n")
    parts.append("The seed documents and every table are on the [Sources](sources.md) and "
                 "[Data](data.md) pages; how the numbers are made is in the "
                 "[Methodology](methodology.md).\n")
    return "\n".join(parts)


def _changes_text(meta, changes, changed_in=None):
    when = f" (as of the build of {esc(_when(changed_in or meta['built']))})"
    if changes is None:
        return "This is the first published build of the site: nothing to compare with.\n"
    if not changes:
        return f"No finding changed since the previous published build{when}.\n"
    parts = [f"Findings that changed since the previous published build{when}, "
             "with their old and new wording:\n"]
    for ch in changes:
        parts.append(f"- **[{esc(ch['title'])}]({ch['page']})**: {esc(ch['why'])}.\n"
                     f"    - Before: {safe_markdown(ch['old']) if ch['old'] else '(none)'}\n"
                     f"    - Now: {safe_markdown(ch['new']) if ch['new'] else '(removed)'}\n")
    return "\n".join(parts)


def changes_page(meta, changes, changed_in=None):
    """Markdown of the What changed page: the changed findings and the feed."""
    return ("# What changed\n\n" + _changes_text(meta, changes, changed_in)
            + "\nEvery build is announced in the [Atom feed of builds](feed.xml).\n")


def reports_page(reports):
    """Markdown of the list of every report, by theme, with its parameter sets."""
    parts = ["# All reports\n", "Every report of this build, by theme.\n"]
    themes = {}
    for rep in reports:
        themes.setdefault(rep["theme"], []).append(rep)
    for theme, reps in themes.items():
        parts.append(f"## {esc(theme)}\n")
        parts.append("\n".join(f"- [{esc(r['title'])}]({r['page']})" for r in reps) + "\n")
    return "\n".join(parts)


def vintages(package):
    """{publisher: sorted editions} from the data package's raw resources.

    >>> vintages({"resources": [{"c5:publisher": "USGS", "c5:edition": "2025"},
    ...                         {"c5:publisher": "USGS", "c5:edition": "2024"}, {}]})
    {'USGS': ['2024', '2025']}
    """
    out = {}
    for res in package.get("resources", []):
        if res.get("c5:publisher") and res.get("c5:edition"):
            out.setdefault(res["c5:publisher"], set()).add(str(res["c5:edition"]))
    return {k: sorted(v) for k, v in sorted(out.items())}


def _when(stamp):
    try:
        t = datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        return str(stamp)
    return t.strftime("%d %B %Y, %H:%M UTC").lstrip("0")


def why(old_entry, new_entry):
    """Why a run's findings changed: new data (naming the files) or an edited notebook/code.

    >>> why({"static_key": "a", "deps": {"data/x.csv": "1"}}, {"static_key": "a", "deps": {"data/x.csv": "2"}})
    'new data (x.csv)'
    >>> why({"static_key": "a", "deps": {}}, {"static_key": "b", "deps": {}})
    'the notebook or the code it uses was edited'
    """
    old_entry, new_entry = old_entry or {}, new_entry or {}
    reasons = []
    od, nd = old_entry.get("deps") or {}, new_entry.get("deps") or {}
    files = sorted({k for k in set(od) | set(nd) if od.get(k) != nd.get(k)})
    if files:
        names = [f.rstrip("/").rsplit("/", 1)[-1] or f for f in files]
        reasons.append(f"new data ({', '.join(names[:4])}{', …' if len(names) > 4 else ''})")
    if old_entry.get("static_key") != new_entry.get("static_key"):
        reasons.append("the notebook or the code it uses was edited")
    return " and ".join(reasons) or "the report was rebuilt"


def compare(prev_findings, reports, prev_entries):
    """Changed findings: [{title, page, old, new, why}]; None when there is no previous build."""
    if prev_findings is None:
        return None
    out = []
    for rep in reports:
        old = split_findings(prev_findings.get(rep["slug"], []))
        new = split_findings(rep["findings"])
        if rep["slug"] not in prev_findings or old == new:
            continue
        reason = why(prev_entries.get(rep["slug"]), rep["entry"])
        for i in range(max(len(old), len(new))):
            a = old[i] if i < len(old) else ""
            b = new[i] if i < len(new) else ""
            if a != b:
                out.append({"title": rep["title"], "page": rep["page"], "old": a, "new": b,
                            "why": reason})
    return out


STATUS_START, STATUS_END = "<!--c5-status-->", "<!--/c5-status-->"


def status_page():
    """Markdown of the build status page; its table is filled in by :func:`status_html`."""
    return ("# Build status\n\nFor maintainers: what the last build did with each report.\n\n"
            f'<div class="c5-status">{STATUS_START}{STATUS_END}</div>\n')


def status_html(meta, entries, titles, logs):
    """The runs table of a build and the log of each failing run (all escaped)."""
    rows = []
    for e in entries:
        dur = e.get("duration")
        rows.append([esc(titles.get(e["slug"], e["slug"])), esc(e["status"]),
                     "" if dur is None else f"{dur:.1f}", esc(e.get("built") or ""),
                     esc(e.get("data_version") or "")])
    counts = {}
    for e in entries:
        counts[e["status"]] = counts.get(e["status"], 0) + 1
    summary = ", ".join(f"{n} {html.escape(s)}" for s, n in sorted(counts.items()))
    out = [f"<p>Build {esc(meta['id'])}, {esc(_when(meta['built']))}, data version "
           f"{esc(meta['data_version'])} (a digest of all of <code>data/</code>): {summary}. "
           "A run's own data version is a digest of only the files that run read, so runs that "
           "read different tables show different ones.</p>",
           table(["Report", "Status", "Duration (s)", "Executed at", "Data read (digest)"], rows,
                 "Runs of this build")]
    failed = {e["slug"]: e.get("failed_notebook") for e in entries}
    for slug, log in logs.items():
        nb = failed.get(slug)
        link = (f'<p>The failed notebook, with its partial outputs: <a href="../{html.escape(nb)}">'
                f"{html.escape(nb)}</a></p>" if nb else "")
        out.append(f"<h2>Log of the failing run: {esc(titles.get(slug, slug))}</h2>"
                   f"<pre>{html.escape(log)}</pre>{link}")
    return "".join(out)


def fill_status(page_html, status):
    """Put ``status`` between the status markers of a built page."""
    start = page_html.find(STATUS_START)
    end = page_html.find(STATUS_END)
    if start < 0 or end < 0:
        return page_html
    return page_html[:start + len(STATUS_START)] + status + page_html[end:]


def atom(feed_entries, site_title="C5+1 Research Notebooks"):
    """An Atom feed of builds (newest first): ``[{id, built, summary}]``."""
    updated = feed_entries[0]["built"] if feed_entries else "1970-01-01T00:00:00Z"
    items = "".join(
        f"<entry><id>urn:c5plus1:build:{xml_escape(e['id'])}</id>"
        f"<title>Build of {xml_escape(_when(e['built']))}</title>"
        f"<updated>{xml_escape(e['built'])}</updated>"
        f'<link href="index.html"/><summary>{xml_escape(e["summary"])}</summary></entry>'
        for e in feed_entries)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{xml_escape(site_title)}: builds</title><id>urn:c5plus1:builds</id>"
            f'<updated>{updated}</updated><link href="index.html"/>'
            f"<author><name>{xml_escape(site_title)}</name></author>{items}</feed>\n")
