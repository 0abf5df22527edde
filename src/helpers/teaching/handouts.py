"""Write the teaching kit from the theme notebooks: ``make handouts`` (``c5 handouts``).

Into ``<output>/`` (default ``handouts/``):

- ``student/<stem>.ipynb``: the story executed with its tables and charts, the exercises'
  answer cells as ``...`` placeholders, no solution cell, a self-check after each answer
  (its stored output says "not answered yet");
- ``instructor/<stem>.ipynb``: the solutions in place of the placeholders, executed, every
  check right;
- ``lessons/<stem>-lesson.md``: the lesson plan, from ``docs/lessons/``;
- a PDF of each (A4, printed by headless Chromium as the site prints its reports, see
  :mod:`helpers.teaching.printing`); without Chromium one message says so and the notebooks
  are still written.

An exercise is written once in its notebook (question, answer cell tagged ``answer``,
solution tagged ``solution``, ``grader.check``), its check in ``notebooks/exercises/<stem>.toml``
(:mod:`helpers.teaching.checks`).
"""

import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..data import paths
from ..engine.inplace import notebook_paths

LESSONS = paths.ROOT / "docs" / "lessons"
#: cell metadata a handout does not carry over from the committed notebook
_RUN_METADATA = ("papermill", "execution", "collapsed", "scrolled")


def _tags(cell):
    return cell.metadata.get("tags", [])


def _version(nb, drop):
    import copy

    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if drop not in _tags(c)]
    for cell in out.cells:
        for key in _RUN_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    out.metadata.pop("papermill", None)
    return out


def student_notebook(nb):
    """The student version: solution cells (code and model answers) removed, outputs cleared."""
    return _version(nb, "solution")


def instructor_notebook(nb):
    """The instructor version: the ``...`` answer cells removed, the solutions in place."""
    return _version(nb, "answer")


def execute(nb, cwd, timeout=600):
    """Run ``nb`` top to bottom on a fresh ``python3`` kernel in ``cwd``; return it executed."""
    from nbclient import NotebookClient

    from ..engine.kernels import ipc_kernel_manager

    manager = ipc_kernel_manager()  # Unix sockets, as the engine's kernels: no TCP warning
    NotebookClient(nb, kernel_name="python3", timeout=timeout, record_timing=False,
                   resources={"metadata": {"path": str(cwd)}},
                   **({"kernel_manager_class": manager} if manager else {})).execute()
    return nb


def _write_executed(args):
    """Worker: execute one handout and write it (a separate process per notebook)."""
    import nbformat

    nb_json, target = args
    nb = execute(nbformat.reads(nb_json, as_version=4), Path(target).parent)
    nbformat.write(nb, target)
    return target


def make_handouts(notebooks=None, *, source=paths.NOTEBOOKS, output=paths.HANDOUTS,
                  lessons=LESSONS, pdf=True, jobs=None, say=print):
    """Write the student and instructor notebooks, lesson plans and PDFs of ``notebooks``
    (default: every theme notebook). Returns the files written."""
    import nbformat

    from . import printing

    output = Path(output)
    dirs = {k: output / k for k in ("student", "instructor", "lessons")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    todo, written = [], []
    for path in notebook_paths(notebooks, source):
        nb = nbformat.read(path, as_version=4)
        for kind, make in (("student", student_notebook), ("instructor", instructor_notebook)):
            todo.append((nbformat.writes(make(nb)), str(dirs[kind] / path.name)))
        plan = Path(lessons) / f"{path.stem}-lesson.md"
        if plan.exists():
            shutil.copyfile(plan, dirs["lessons"] / plan.name)
            written.append(dirs["lessons"] / plan.name)
    with ProcessPoolExecutor(max_workers=jobs or min(len(todo) or 1, 4)) as pool:
        written += [Path(t) for t in pool.map(_write_executed, todo)]
    if pdf:
        written += printing.print_handouts([p for p in written if p.suffix in (".ipynb", ".md")],
                                           say=say)
    return written
