"""The site's own pages, as Markdown for mkdocs: sources, disagreements, data, methodology.

Every text that comes from the data goes through :func:`esc` (HTML-escaped, so a quote with
``<script>`` shows as text); tables are written as HTML blocks, headings as Markdown (for the
table of contents and the search index). The landing page, the build status and the changes
are in :mod:`helpers.site.changes`.
"""

import html
import json

from .. import data
from ..data import paths


def esc(text):
    """Text from the data, safe in HTML and Markdown.

    >>> esc('<script>alert("x")</script> *a* $5')
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#42;a&#42; &#36;5'
    """
    out = html.escape("" if text is None else str(text), quote=True)
    for char, ent in (("*", "&#42;"), ("_", "&#95;"), ("`", "&#96;"), ("$", "&#36;"),
                      ("[", "&#91;"), ("]", "&#93;"), ("\\", "&#92;")):
        out = out.replace(char, ent)
    return out


def attr(text):
    """Text for an HTML attribute (a URL, an id).

    >>> attr('a_b.csv?x="1"')
    'a_b.csv?x=&quot;1&quot;'
    """
    return html.escape("" if text is None else str(text), quote=True)


def table(header, rows, caption=None):
    """An HTML table (cells already escaped), wrapped so that it scrolls inside itself."""
    cap = f"<caption>{caption}</caption>" if caption else ""
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (f'<div class="c5-scroll" tabindex="0" role="region" aria-label="{attr(caption or "table")}">'
            f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def anchor(seed, line=None):
    """The anchor of a seed document or of one of its lines: ``seed-003-line-30``.

    >>> anchor("003", 30), anchor("004")
    ('seed-003-line-30', 'seed-004')
    """
    return f"seed-{seed}-line-{line}" if line else f"seed-{seed}"


def cited_lines():
    """{(seed, line): [(table, rows)]} of every seed line a curated table cites: its
    ``source``/``source_line`` columns, and both sides of each disagreement."""
    import csv

    from ..analysis import sources

    out = {}
    for path in sorted((paths.DATA / "curated").glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        counts = {}
        for row in rows:
            pairs = [(row.get("source"), row.get("source_line"))]
            pairs += [(row.get(f"document_{s}"), row.get(f"line_{s}")) for s in ("a", "b")]
            for source, line in pairs:
                if source and line and str(line).strip().isdigit():
                    try:
                        key = (sources.seed_number(source), int(line))
                    except ValueError:  # not a seed file name
                        continue
                    counts[key] = counts.get(key, 0) + 1
        for key, n in counts.items():
            out.setdefault(key, []).append((path.stem, n))
    return out


def sources_page():
    """Each seed document: what it states about itself, copies, and every cited passage."""
    from ..analysis import sources
    from ..nb import say

    overview = sources.documents_overview()
    docs = {sources.seed_number(d): d for d in sources.documents()}
    dates = _document_dates()
    cited = cited_lines()
    parts = ["# Sources\n",
             "Every figure in the reports comes from a table of the data package, and every row "
             "of the curated tables points at one line of one of these "
             f"{say.plural(len(overview), 'document')}. Each passage below is quoted as the "
             "document prints it; the reports link to it where they use it.\n"]
    for row in overview.itertuples(index=False):
        seed = str(row.seed)
        copy = (f"a {esc(row.relation).replace('&#95;', ' ')} of {esc(row.copy_of)}"
                if isinstance(row.copy_of, str) and row.copy_of else esc(row.relation).replace("&#95;", " "))
        parts.append(f'## {esc(row.document)} {{#{anchor(seed)}}}\n')
        facts = [("Outlet", row.outlet), ("Author", row.author),
                 ("Original language", row.language_original), ("Language of this text", row.language_text),
                 ("Published", dates.get(docs.get(seed), "not stated")), ("What it is", None)]
        items = "".join(f"<li><strong>{k}:</strong> {esc(v) if v is not None else copy}</li>"
                        for k, v in facts)
        parts.append(f"<ul>{items}</ul>\n")
        lines = sources.lines(docs[seed]) if seed in docs else []
        mine = sorted((ln, uses) for (s, ln), uses in cited.items() if s == seed)
        if not mine:
            parts.append("<p>No table of the data package cites this document.</p>\n")
            continue
        rows = []
        for line, uses in mine:
            text = lines[line - 1] if 0 < line <= len(lines) else "(line not found)"
            used = ", ".join(say.plural(n, _ROW_WORD.get(t, (t, t))[0], _ROW_WORD.get(t, (t, t))[1])
                             for t, n in uses)
            rows.append([f'<a id="{anchor(seed, line)}" href="#{anchor(seed, line)}">'
                         f'{esc(row.document)}, line {line}</a>',
                         f"<q>{esc(text)}</q>", esc(used)])
        parts.append(f"### Passages the data cites ({say.plural(len(rows), 'line')})\n")
        parts.append(table(["Line", "Passage", "Cited by"], rows,
                           f"Passages of {esc(row.document)} cited by the data") + "\n")
    return "\n".join(parts)


_ROW_WORD = {"events": ("event", "events"), "claims": ("claim", "claims"),
             "deals": ("deal", "deals"), "statements": ("statement", "statements"),
             "documents": ("document record", "document records"),
             "disagreements": ("disagreement", "disagreements")}


def _document_dates():
    import csv

    path = paths.DATA / "curated" / "documents.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["document_id"]: r["published_date"] or "not stated" for r in csv.DictReader(fh)}


def disagreements_page():
    """Every row of the disagreements table, both passages side by side."""
    from ..analysis import disputes
    from ..nb import say

    pairs = disputes.side_by_side()
    facts = data.load("disagreements")["fact_id"].nunique()
    parts = ["# Disagreements\n",
             f"Where two documents state the same fact differently, both are shown: "
             f"{say.plural(len(pairs), 'disagreeing pair')} of passages about "
             f"{say.plural(facts, 'fact')}, under {say.plural(pairs['topic'].nunique(), 'heading')} "
             "below. The collection never picks one "
             "reading silently: a report that uses such a fact shows every reading, or says which "
             "it follows and why.\n"]
    seeds = _seed_by_name()
    for topic, group in pairs.groupby("topic", sort=False):
        parts.append(f"## {esc(topic)}\n")
        for row in group.itertuples(index=False):
            cells = []
            for side in ("a", "b"):
                doc, line = getattr(row, f"document_{side}"), getattr(row, f"line_{side}")
                seed = seeds.get(doc)
                where = (f'<a href="sources.html#{anchor(seed, int(line))}">{esc(doc)}, line {int(line)}</a>'
                         if seed else f"{esc(doc)}, line {int(line)}")
                cells.append(f"<p><strong>{where}</strong> says “{esc(getattr(row, f'says_{side}'))}”</p>"
                             f"<blockquote>{esc(getattr(row, f'passage_{side}'))}</blockquote>")
            parts.append('<div class="c5-pair">' + "".join(
                f'<div class="c5-side">{c}</div>' for c in cells) + "</div>\n")
            differs = str(row.what_differs).rstrip(".")
            parts.append(f"<p><strong>What differs:</strong> {esc(differs)}. "
                         f"<strong>Why it matters:</strong> {esc(row.why_it_matters)}</p>\n")
    return "\n".join(parts)


def _seed_by_name():
    from ..analysis import sources

    return {name: sources.seed_number(doc) for doc, name in sources.document_names().items()}


#: the Data page's sections, in a reader's order: what the reports chart, what the news texts
#: say, the reference tables, then the raw files everything is rebuilt from
_DATA_GROUPS = [
    ("Trade, minerals and GDP", "The published statistics the reports chart, one row per figure, "
     "each naming the raw file and lines it comes from."),
    ("What the news texts say", "Events, deals, claims and statements taken from the five news "
     "texts, each citing its document and line; the documents themselves; where they disagree."),
    ("Reference tables", "Country names and codes, atomic weights for unit conversions, map outlines."),
    ("Raw files, as published", "The files as their publishers released them; the tables above are "
     "rebuilt from them."),
]


def _data_group(res):
    """(section, position in the package) of a data package resource, for the Data page."""
    path = res["path"]
    section = (3 if path.startswith("raw/") else 1 if path.startswith("curated/")
               else 2 if path.startswith("reference/") or res["name"] == "region_polygons" else 0)
    return section, path


def data_page(package, csv_dir="data"):
    """Every table of the data package: download, schema (fields, types, units), licence, source."""
    from ..nb import say

    resources = package["resources"]
    parts = ["# Data\n",
             f"The reports read {say.plural(len(resources), 'table')} of one data package. Each is "
             f"downloadable as published here, with its schema, licence and source; the package "
             f'descriptor is <a href="{csv_dir}/datapackage.json">datapackage.json</a>.\n']
    group = None
    for res in sorted(resources, key=_data_group):
        if _data_group(res)[0] != group:
            group = _data_group(res)[0]
            parts.append(f"## {_DATA_GROUPS[group][0]}\n\n{_DATA_GROUPS[group][1]}\n")
        name = res["path"].rsplit("/", 1)[-1]
        kind = "CSV" if name.endswith(".csv") else name.rsplit(".", 1)[-1].upper()
        parts.append(f"### {esc(res.get('title') or res['name'])}\n")
        lic = "; ".join(esc(lic.get("title") or lic.get("name")) for lic in res.get("licenses", []))
        srcs = "; ".join((f'<a href="{attr(s["path"])}">{esc(s.get("title"))}</a>'
                          if str(s.get("path", "")).startswith("http") else esc(s.get("title")))
                         for s in res.get("sources", []))
        vintage = res.get("c5:edition")
        items = [f'<li><strong>Download:</strong> <a href="{csv_dir}/{attr(res["path"])}" download>'
                 f"{esc(name)}</a> ({kind})</li>",
                 f"<li><strong>Licence:</strong> {lic or 'not stated'}</li>",
                 f"<li><strong>Source:</strong> {srcs or 'not stated'}</li>"]
        if vintage:
            items.append(f"<li><strong>Edition:</strong> {esc(res.get('c5:publisher'))}, {esc(vintage)}</li>")
        parts.append(f"<p>{esc(res.get('description'))}</p>\n<ul>{''.join(items)}</ul>\n")
        fields = res.get("schema", {}).get("fields", [])
        if fields:
            rows = [[f"<code>{esc(f['name'])}</code>", esc(f.get("type")), esc(f.get("unit") or ""),
                     esc(f.get("description"))] for f in fields]
            parts.append(table(["Field", "Type", "Unit", "Description"], rows,
                               f"Fields of {esc(name)}") + "\n")
    return "\n".join(parts)


def load_package():
    """``data/datapackage.json`` as a dict."""
    return json.loads((paths.DATA / "datapackage.json").read_text(encoding="utf-8"))


METHODOLOGY = """# Methodology

## How numbers are sourced

No number in a report is typed by hand. Each is computed, at build time, from a table of the
[data package](data.md): public statistics kept byte for byte as their publishers released them
(the U.S. Geological Survey, the World Trade Organization, Eurostat, the World Bank, the
statistics agency of Uzbekistan, Natural Earth) and tidy tables built from them by code; and
curated tables of what the [seed documents](sources.md) state, each row pointing at the line of
the document that states it, with the words quoted.

## Units and conversions

Every column carries its unit in the data package (tonnes, tonnes of rare-earth oxide, US
dollars, euros, per cent). Amounts in different currencies are not added up: a chart or table
compares like with like (one reporter, one flow, one currency, one year). Where a document
states a quantity in another unit than the statistics (metal rather than oxide, for instance),
the conversion uses published atomic weights and the report shows both the figure as written
and the converted one.

## What corroboration means here

A fact is corroborated when independent documents state it and agree. Documents that copy
another (a machine translation, a reworded copy) are not independent: they count once, with
their original. Where documents disagree, the reports show every reading side by side; the
[Disagreements](disagreements.md) page lists them all.

## Known limits

The seed documents are few news texts around one summit; what they do not mention is not
evidence that it did not happen. Trade statistics are revised, reported by some countries and
not others, and mirror statistics (what partners report) differ from what a country reports
itself. Figures for the latest year may be preliminary. Every report ends with what its data
cannot say.
"""
