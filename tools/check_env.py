"""Is every package the lock pins for this Python and platform installed, at its pinned version?

`make setup` runs this after its stamp check (about 0.2 s): a package deleted or changed since
the last install (pip uninstall, a stray `pip install -U`) makes it exit 1 naming the packages,
and `make setup` reinstalls from the lock. Usage: python tools/check_env.py [requirements.lock]
"""

import re
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9_.-]*)==([^\s;\\]+)\s*(?:;\s*(.*?))?\s*\\?\s*$")


def wrong(lock):
    """``[(name, pinned, installed or None)]`` for every pin that applies here and is not met."""
    out = []
    for line in Path(lock).read_text(encoding="utf-8").splitlines():
        found = PIN.match(line)
        if not found:
            continue
        name, pinned, marker = found.groups()
        if marker and not Marker(marker).evaluate():
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != pinned:
            out.append((name, pinned, installed))
    return out


if __name__ == "__main__":
    problems = wrong(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock")
    for name, pinned, installed in problems:
        print(f"{name}: the lock pins {pinned}, installed: {installed or 'missing'}", file=sys.stderr)
    sys.exit(1 if problems else 0)
