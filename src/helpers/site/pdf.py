"""PDFs of the report pages, printed on A4 by the system's headless Chromium (Playwright).

Printing runs in a child process (``python -m helpers.site.pdf``) so that a build started
from a program that already drives a browser, or runs an event loop, is not disturbed. Without
Chromium the build says once that PDFs were skipped (:data:`MISSING`) and publishes the site.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

#: the flags this machine's Chromium needs (the same as the tests' ``browser`` fixture)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: where Chromium was looked for and how to install it (the site's and the handouts' message)
NOT_FOUND = ("no Chromium found (looked for /usr/bin/chromium and `chromium` on PATH); install "
             "it (Debian/Ubuntu: apt-get install chromium)")
MISSING = f"{NOT_FOUND} and run the build again to get one PDF per report"


def chromium():
    """The system Chromium (``C5_CHROMIUM``, /usr/bin/chromium, else on PATH) or None."""
    for candidate in (os.environ.get("C5_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def print_pages(todo, executable, timeout=900):
    """Print ``{html path: pdf path}`` in a child process; return None or why it failed."""
    proc = subprocess.run([sys.executable, "-m", "helpers.site.pdf", executable],
                          input=json.dumps(todo), capture_output=True, text=True,
                          timeout=timeout)
    if proc.returncode != 0:
        return f"Chromium could not print the reports: {proc.stderr.strip()[-600:]}"
    return None


#: every printed page names what it is and where it sits (Chromium fills the spans)
HEADER = ('<div style="font-size:8pt;width:100%;margin:0 12mm;color:#333">'
          '<span class="title"></span></div>')
FOOTER = ('<div style="font-size:8pt;width:100%;margin:0 12mm;color:#333;display:flex;'
          'justify-content:space-between"><span>Printed <span class="date"></span></span>'
          '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span>'
          '</span></div>')


def _print(todo, executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=ARGS)
        try:
            page = browser.new_page()
            page.emulate_media(media="print")
            for source, target in todo.items():
                Path(target).parent.mkdir(parents=True, exist_ok=True)
                page.goto(Path(source).resolve().as_uri(), wait_until="load")
                page.pdf(path=target, format="A4", print_background=True,
                         display_header_footer=True, header_template=HEADER,
                         footer_template=FOOTER,
                         margin={"top": "16mm", "bottom": "16mm", "left": "12mm", "right": "12mm"})
        finally:
            browser.close()


if __name__ == "__main__":  # pragma: no cover - exercised through print_pages
    _print(json.loads(sys.stdin.read()), sys.argv[1])
