"""Project locations, derived from this package's own location.

Every notebook, test and command finds files through these names, so it runs the same
from any working directory (JupyterLab, papermill, pytest, cron). This module imports
nothing of the project: every layer, the report engine included, may import it.
"""

from pathlib import Path

#: repository root (``src/helpers/data/paths.py`` -> three levels up)
ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "seeds"
DATA = ROOT / "data"
RAW = DATA / "raw"
CURATED = DATA / "curated"
DERIVED = DATA / "derived"
DATAPACKAGE = DATA / "datapackage.json"
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
HANDOUTS = ROOT / "handouts"
LOCKFILE = ROOT / "requirements.lock"
SRC = ROOT / "src" / "helpers"


def relative(path):
    """Return ``path`` relative to the repository root, as a POSIX string.

    Used wherever a path is shown to a reader, so outputs never contain an absolute path.

    >>> relative(SEEDS / "000_d855ea78ddd7ba6f.txt")
    'seeds/000_d855ea78ddd7ba6f.txt'
    """
    return Path(path).resolve().relative_to(ROOT).as_posix()


def shown(path):
    """How a file is named in a message: relative to the repository root when inside it.

    >>> shown(DATA / "curated" / "claims.csv"), shown("/elsewhere/x.csv")
    ('data/curated/claims.csv', '/elsewhere/x.csv')
    """
    try:
        return relative(path)
    except ValueError:
        return str(path)
