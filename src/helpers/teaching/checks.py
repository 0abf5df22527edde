"""Self-checks of the exercises: right, wrong with a hint, or not answered yet, never the answer.

``grader.check("q1")`` in a notebook returns one of the three.

The checks run on otter-grader's own test runner (its exception-based test files,
``OK_FORMAT = False`` with ``@test_case(failure_message=..., success_message=...)``); this
module only writes each test from ``notebooks/exercises/<stem>.toml`` and formats otter's
results. It does not use ``otter.Notebook``, which writes an ``.OTTER_LOG`` file into the
working directory at every check and prints the failing line of the test (the expected value's
code) with every wrong answer.

The expected value is never typed: the test runs the notebook's own solution cell (the code
cell tagged ``solution`` that assigns the answer's name) in a copy of the student's namespace,
so the answer is computed from the data at check time, for the parameters the notebook runs with.

>>> spec = load_spec("01_rare_earths")
>>> sorted(spec) == ["q1", "q2", "q3"] and {q["kind"] for q in spec.values()} <= set(KINDS)
True
"""

import ast
import functools
import html
import math
import numbers
import tomllib
from pathlib import Path

from ..data import paths
from ..data.parameters import nearest
from ..errors import UnknownValueError

#: how an answer is compared: a number within ``tolerance`` (absolute) or ``relative``, a name (case and spaces
#: ignored), or a written text (any answer of a few words passes: a discussion question)
KINDS = ("number", "name", "text")
EXERCISES = paths.NOTEBOOKS / "exercises"
#: the fewest words a written answer to an open question needs
MIN_WORDS = 5
_TEST = '''OK_FORMAT = False
from otter.test_files import test_case
name = {name!r}
points = 1

@test_case(points=1, hidden=False, failure_message={hint!r}, success_message={right!r})
def test_{name}(env):
    from helpers.teaching.checks import verify
    verify({stem!r}, {name!r}, env)
'''
RIGHT, WRONG, UNANSWERED = "right", "wrong", "not answered yet"


class NotAnswered(Exception):
    """The answer is still the placeholder ``...`` (or missing, or empty)."""


@functools.lru_cache(maxsize=None)
def load_spec(stem, directory=None):
    """``{question: {answer, kind, tolerance, hint, right}}`` from ``<stem>.toml``."""
    path = Path(directory or EXERCISES) / f"{stem}.toml"
    with open(path, "rb") as f:
        spec = tomllib.load(f)
    for name, q in spec.items():
        if q.get("kind") not in KINDS or not q.get("answer") or not q.get("hint"):
            raise ValueError(f"{path}: [{name}] needs answer, hint and a kind among {KINDS}")
    return spec


def assigned_names(source):
    """The names a cell's top-level statements assign.

    >>> sorted(assigned_names("a = 1\\nb, c = 2, 3\\nprint(a)"))
    ['a', 'b', 'c']
    """
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


@functools.lru_cache(maxsize=None)
def solution_source(stem, answer, notebooks=None):
    """The source of the code cell tagged ``solution`` in ``<stem>.ipynb`` that assigns
    ``answer``."""
    import nbformat

    nb = nbformat.read(Path(notebooks or paths.NOTEBOOKS) / f"{stem}.ipynb", as_version=4)
    for cell in nb.cells:
        if (cell.cell_type == "code" and "solution" in cell.metadata.get("tags", [])
                and answer in assigned_names(cell.source)):
            return cell.source
    raise LookupError(f"{stem}.ipynb has no solution cell that assigns {answer}")


def given(env, answer):
    """The student's answer in ``env``; :class:`NotAnswered` while it is ``...`` or empty."""
    value = env.get(answer, ...)
    if value is ... or (isinstance(value, str) and value.strip() in ("", "...")):
        raise NotAnswered(answer)
    return value


def expected(stem, answer, env):
    """The answer the notebook's solution computes, run in a copy of ``env``."""
    scope = dict(env)
    exec(compile(solution_source(stem, answer), f"<solution of {answer}>", "exec"), scope)
    return scope[answer]


def verify(stem, question, env):
    """Raise unless the answer to ``question`` in ``env`` is right (otter's test body)."""
    q = load_spec(stem)[question]
    value = given(env, q["answer"])
    if q["kind"] == "text":
        assert isinstance(value, str) and len(value.split()) >= MIN_WORDS
        return
    target = expected(stem, q["answer"], env)
    if q["kind"] == "name":
        assert isinstance(value, str)
        assert " ".join(value.split()).casefold() == " ".join(str(target).split()).casefold()
        return
    assert isinstance(value, numbers.Real) and not isinstance(value, bool)
    assert math.isclose(float(value), float(target), rel_tol=float(q.get("relative", 0)),
                        abs_tol=float(q.get("tolerance", 0)))


def otter_test(stem, question):
    """The otter test file (exception-based) of one question, as text."""
    q = load_spec(stem)[question]
    return _TEST.format(name=question, stem=stem, hint=f"Hint: {q['hint']}",
                        right=q.get("right", ""))


class Result:
    """What a check says: ``status`` (right, wrong, not answered yet) and one sentence."""

    def __init__(self, question, status, message):
        self.question, self.status, self.message = question, status, message

    def __repr__(self):
        mark = {RIGHT: "✔", WRONG: "✘", UNANSWERED: "…"}[self.status]
        return f"{mark} {self.question}: {self.status}. {self.message}".rstrip()

    def _repr_html_(self):
        colour = {RIGHT: "#1b5e20", WRONG: "#b71c1c", UNANSWERED: "#444"}[self.status]
        return (f'<p style="border-left: 4px solid {colour}; padding-left: .5em">'
                f"{html.escape(repr(self))}</p>")


class Grader:
    """The self-checks of one notebook: ``Grader("01_rare_earths").check("q1")``."""

    def __init__(self, stem):
        self.stem = stem
        self.questions = list(load_spec(stem))

    def check(self, question, global_env=None):
        """Run otter's test of ``question`` against the caller's namespace; a :class:`Result`."""
        import inspect

        from otter.test_files.exception_test import ExceptionTestFile

        if question not in self.questions:
            raise UnknownValueError(f"exercise of {self.stem}", question, self.questions,
                                    nearest=nearest(question, self.questions))
        env = global_env if global_env is not None else inspect.currentframe().f_back.f_globals
        test = ExceptionTestFile.from_string(otter_test(self.stem, question),
                                             path=f"{self.stem}/{question}.py")
        test.run(env)
        case = test.test_case_results[0]
        if case.passed:
            return Result(question, RIGHT, case.test_case.success_message or "")
        if "NotAnswered" in (case.message or ""):
            return Result(question, UNANSWERED, "The answer is still `...`.")
        return Result(question, WRONG, case.test_case.failure_message)
