"""Write student and instructor handouts from the theme notebooks.

``<output>/student/<name>.ipynb``: cells tagged ``solution`` removed, every output and
execution count cleared. ``<output>/instructor/<name>.ipynb`` and ``.html``: the committed
notebook with its solutions and outputs.
"""

import shutil
from pathlib import Path

from ..data import paths
from ..engine.inplace import notebook_paths
from ..engine.render import render_html


def make_handouts(notebooks=None, *, source=paths.NOTEBOOKS, output=paths.HANDOUTS):
    """Write the student and instructor handouts of ``notebooks`` (default: all).

    Returns
    -------
    list of Path
        The files written.
    """
    import nbformat

    student, instructor = Path(output) / "student", Path(output) / "instructor"
    student.mkdir(parents=True, exist_ok=True)
    instructor.mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebook_paths(notebooks, source):
        nb = nbformat.read(path, as_version=4)
        shutil.copyfile(path, instructor / path.name)
        render_html(path, instructor / f"{path.stem}.html", code=True)
        nb.cells = [c for c in nb.cells if "solution" not in c.metadata.get("tags", [])]
        for cell in nb.cells:
            for key in ("papermill", "execution", "collapsed", "scrolled"):
                cell.metadata.pop(key, None)
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nb.metadata.pop("papermill", None)
        nbformat.write(nb, student / path.name)
        written += [student / path.name, instructor / path.name, instructor / f"{path.stem}.html"]
    return written
