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


def _clean(nb):
    """Drop what the run recorded (papermill's and nbclient's metadata), keep the outputs."""
    for cell in nb.cells:
        for key in _RUN_METADATA:
            cell.metadata.pop(key, None)
    nb.metadata.pop("papermill", None)
    return nb


def execute_all(targets, *, jobs=None, timeout=600):
    """Execute the handout notebooks ``targets`` in place on the report engine's pool (warm
    kernels over Unix sockets, reset between runs, dying with this process: the same
    :func:`helpers.engine.executors.run_tasks` as ``make notebooks``); raise on a failure."""
    import tempfile

    import nbformat

    from ..engine.executors import run_on_pool

    with tempfile.TemporaryDirectory(prefix="c5-handouts-") as tmp:
        tasks = [{"slug": f"{Path(t).parent.name}-{Path(t).stem}", "input": str(t),
                  "output": str(Path(tmp) / f"{Path(t).parent.name}-{Path(t).name}"),
                  "parameters": {}, "cwd": str(Path(t).parent), "kernel": "python3",
                  "timeout": timeout, "retries": 2, "render": False} for t in targets]
        by_slug = {task["slug"]: task for task in tasks}
        failed = []

        def done(result):
            task = by_slug[result["slug"]]
            if not result["ok"]:
                failed.append(f"{task['input']}: {result['error']}")
                return
            nbformat.write(_clean(nbformat.read(task["output"], as_version=4)), task["input"])

        run_on_pool(tasks, done, jobs)
    if failed:
        raise RuntimeError("a handout did not run top to bottom:\n" + "\n".join(failed))


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
            nbformat.write(make(nb), dirs[kind] / path.name)
            todo.append(dirs[kind] / path.name)
        plan = Path(lessons) / f"{path.stem}-lesson.md"
        if plan.exists():
            shutil.copyfile(plan, dirs["lessons"] / plan.name)
            written.append(dirs["lessons"] / plan.name)
    execute_all(todo, jobs=jobs)
    written += todo
    if pdf:
        written += printing.print_handouts([p for p in written if p.suffix in (".ipynb", ".md")],
                                           say=say)
    return written
