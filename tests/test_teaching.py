"""The teaching kit: student notebooks run unanswered and check themselves; wrong answers are
reported wrong without the answer, the instructor's answers right; lesson plans and PDFs exist."""

import re

import nbformat
import pytest
from conftest import notebook_files

from helpers.errors import UnknownValueError
from helpers.teaching import checks, handouts, printing

NOTEBOOKS = notebook_files()
IDS = [p.stem for p in NOTEBOOKS]
HEADINGS = ("## Audience and prerequisites", "## Learning objectives", "## Timing (90 minutes)",
            "## Discussion questions", "## Glossary", "## Sources students should read")
GLOSSARY = {"00": ("C5+1", "TF-IDF"), "01": ("C5+1", "REO", "USGS MCS", "Critical minerals"),
            "02": ("C5+1", "ISO3"), "03": ("C5+1", "ISO3")}


def _text(outputs):
    return "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                   for o in outputs)


def _wrong(kind):
    """A wrong answer of each kind: every numeric answer here is positive; a text needs words."""
    return {"number": "-1", "name": '"nowhere"', "text": '"no"'}[kind]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_student_version_has_answers_and_checks_but_no_solution(path):
    student = handouts.student_notebook(nbformat.read(path, as_version=4))
    tags = [c.metadata.get("tags", []) for c in student.cells]
    assert not any("solution" in t for t in tags)
    answers = [c for c in student.cells if "answer" in c.metadata.get("tags", [])]
    assert len(answers) >= 3 and all(re.search(r"^\w+ = \.\.\.$", c.source, re.M) for c in answers)
    checks_ = [i for i, c in enumerate(student.cells) if "grader.check(" in c.source]
    assert len(checks_) >= 3 and len(checks_) == len(checks.load_spec(path.stem))
    for cell in answers:  # a check follows every answer cell
        i = student.cells.index(cell)
        assert "grader.check(" in student.cells[i + 1].source
    instructor = handouts.instructor_notebook(nbformat.read(path, as_version=4))
    assert not any("answer" in c.metadata.get("tags", []) for c in instructor.cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_answer_is_shown_above_its_question(path):
    """The committed run's value of each numeric non-integer answer (at two decimals when above
    one, and at three) appears in no output before the Exercises section."""
    nb = nbformat.read(path, as_version=4)
    start = next(i for i, c in enumerate(nb.cells) if c.source.startswith("## Exercises"))
    above = _text([o for c in nb.cells[:start] if c.cell_type == "code" for o in c.outputs])
    for q in checks.load_spec(path.stem).values():
        if q["kind"] != "number":
            continue
        sol = next(c for c in nb.cells[start:] if "solution" in c.metadata.get("tags", [])
                   and q["answer"] in checks.assigned_names(c.source))
        value = float(_text(sol.outputs))
        shown = ({f"{value:.3f}"} | ({f"{value:.2f}"} if value > 1 else set())
                 if value != int(value) else set())
        assert not [s for s in shown if s in above], f"{q['answer']} is shown above its question"


def test_checks_say_not_answered_wrong_and_right_without_the_answer():
    from helpers.analysis import facts

    grader = checks.Grader("00_sources")
    env = {"corr": facts.corroboration(), "single_source_facts": ...}
    assert grader.check("q1", env).status == checks.UNANSWERED
    right = int((env["corr"]["independent"] == 1).sum())
    env["single_source_facts"] = right + 1
    wrong = grader.check("q1", env)
    assert wrong.status == checks.WRONG and "Hint:" in repr(wrong) and str(right) not in repr(wrong)
    env["single_source_facts"] = right
    assert grader.check("q1", env).status == checks.RIGHT
    with pytest.raises(UnknownValueError, match=r"'q1O'\. Did you mean 'q1'\? Valid values: q1, q2, q3"):
        grader.check("q1O", env)


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_student_notebook_runs_unanswered_then_checks_wrong_and_right(path, tmp_path):
    """(a) the student notebook runs top to bottom on a fresh kernel, every check saying "not
    answered yet"; then, in the same kernel, (b) a wrong answer is reported wrong and the
    output does not contain the right value, (c) the instructor's answer is reported right."""
    from nbclient import NotebookClient

    source = nbformat.read(path, as_version=4)
    student = handouts.student_notebook(source)
    client = NotebookClient(student, kernel_name="python3", timeout=600,
                            resources={"metadata": {"path": str(tmp_path)}})
    spec = checks.load_spec(path.stem)

    def run(src):
        cell = nbformat.v4.new_code_cell(src)
        student.cells.append(cell)
        client.execute_cell(cell, len(student.cells) - 1)
        return _text(cell.outputs)

    with client.setup_kernel():
        for i, cell in enumerate(student.cells):
            client.execute_cell(cell, i)  # raises on any error
        said = [_text(c.outputs) for c in list(student.cells) if "grader.check(" in c.source]
        assert len(said) == len(spec) and all("not answered yet" in s for s in said), said
        for name, q in spec.items():
            run(f"{q['answer']} = {_wrong(q['kind'])}")
            wrong = run(f'grader.check("{name}")')
            assert f"{name}: wrong." in wrong and "Hint:" in wrong, wrong
            run(checks.solution_source(path.stem, q["answer"]))
            value = run(f"print(repr({q['answer']}))").strip()
            if q["kind"] != "text":
                assert value not in wrong, f"{name}: the wrong-answer message shows the answer"
            assert f"{name}: right." in run(f'grader.check("{name}")')


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_lesson_plan_has_the_required_sections(path):
    plan = handouts.LESSONS / f"{path.stem}-lesson.md"
    text = plan.read_text(encoding="utf-8")
    assert text.startswith("# Lesson plan")
    for heading in HEADINGS:
        assert heading in text, f"{plan.name} lacks {heading}"
    glossary = text.split("## Glossary", 1)[1].split("\n## ", 1)[0]
    for term in GLOSSARY[path.stem[:2]]:
        assert term in glossary, f"{plan.name}'s glossary lacks {term}"


def test_without_chromium_pdfs_are_skipped_with_one_message(tmp_path, monkeypatch):
    from helpers.site import pdf

    monkeypatch.setattr(pdf, "chromium", lambda: None)
    said = []
    assert printing.print_handouts([tmp_path / "x.ipynb"], say=said.append) == []
    assert said == [printing.INSTALL] and "apt-get install chromium" in said[0]


@pytest.mark.skipif(not __import__("pathlib").Path("/usr/bin/chromium").exists(),
                    reason="no Chromium at /usr/bin/chromium (CI installs it: apt-get install chromium)")
def test_student_pdf_is_a4_with_the_title_and_blank_answers(tmp_path):
    """The student PDF of a notebook, printed from the committed run's outputs (the handout
    build re-executes; the print step is the same)."""
    from pypdf import PdfReader

    path = NOTEBOOKS[0]
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if "solution" not in c.metadata.get("tags", [])]
    target = tmp_path / "student" / path.name
    target.parent.mkdir()
    nbformat.write(nb, target)
    lesson = tmp_path / f"{path.stem}-lesson.md"
    lesson.write_text((handouts.LESSONS / lesson.name).read_text(encoding="utf-8"))
    pdfs = printing.print_handouts([target, lesson])
    assert [p.name for p in pdfs] == [f"{path.stem}.pdf", f"{path.stem}-lesson.pdf"]
    reader = PdfReader(pdfs[0])
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert abs(width - 595) < 2 and abs(height - 842) < 2, "A4"
    title = nb.cells[0].source.splitlines()[0].lstrip("# ").strip()
    assert title in reader.pages[0].extract_text()
    assert "= ..." in "".join(p.extract_text() for p in reader.pages)
    assert "Lesson plan" in PdfReader(pdfs[1]).pages[0].extract_text()
