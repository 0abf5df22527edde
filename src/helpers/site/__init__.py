"""The readers' site: the executed notebooks of a build as a static site for people.

Built with mkdocs-material (report pages through nbconvert's Markdown exporter), with a landing page of headline findings, one
page per report with a switcher between its parameter sets, the sources, the disagreements, the data, the methodology, the build
status, what changed (and an Atom feed), search, and a PDF per report.

Modules: :mod:`.make` (the one call the engine makes, :func:`build_site`), :mod:`.notebooks`
(a report page from an executed notebook; its findings), :mod:`.pages` (sources, disagreements,
data, methodology), :mod:`.changes` (landing page, what changed, status, feed), :mod:`.pdf`
(A4 PDFs with the system Chromium). See ``docs/site.md``.
"""


def build_site(*args, **kwargs):
    """:func:`helpers.site.make.build_site` (imported on first use)."""
    from .make import build_site as build

    return build(*args, **kwargs)


def publish_with(staging, entries, meta, plan):
    """The engine's one call: build the site into ``<staging>/site`` before the swap.

    A site that cannot be built is said on stderr and left out; the reports still publish.
    Environment: ``C5_SITE=0`` builds no site, ``C5_PDF=0`` no PDFs (docs/site.md).
    """
    import os
    import sys
    import traceback
    from pathlib import Path

    def say(message):
        print(f"c5 reports: {message}", file=sys.stderr)

    if os.environ.get("C5_SITE", "1") == "0":
        return None
    try:
        return build_site(staging, entries, meta, prev_dir=plan.prev_dir,
                          prev_entries=plan.prev, say=say,
                          make_pdfs=os.environ.get("C5_PDF", "1") != "0")
    except Exception as exc:  # noqa: BLE001 - the site must never stop the reports publishing
        import shutil

        shutil.rmtree(f"{staging}/site", ignore_errors=True)
        where = traceback.extract_tb(exc.__traceback__)[-1]
        say(f"the site was not built, the reports are published without it: "
            f"{type(exc).__name__}: {exc} ({Path(where.filename).name}, line {where.lineno})")
        return None
