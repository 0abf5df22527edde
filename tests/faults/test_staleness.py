"""Nothing stale served as fresh: an edited seed, an edited Markdown cell, a data file reached
through a symlink, a data file changed while the run reads it; and a quote containing HTML
shows as text (docs/reliability.md, "Stale output" and "Pages")."""

import json

import pytest

from .faultlib import config, make_project, wait_for
from helpers.engine.build import build

pytestmark = pytest.mark.notebooks


def notebook(*cells, parameters='unused = 0'):
    out = [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "execution_count": None,
            "outputs": [], "source": parameters}]
    for source in cells:
        markdown = source.startswith("# ")
        out.append({"cell_type": "markdown" if markdown else "code", "metadata": {},
                    **({} if markdown else {"execution_count": None, "outputs": []}),
                    "source": source})
    return {"cells": out, "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}}}


READERS = {
    "seed.ipynb": notebook("# What the seed says",
                           "print(open('../seeds/000_seed.txt', encoding='utf-8').read())"),
    "linked.ipynb": notebook("print(open('../data/linked.csv', encoding='utf-8').read())"),
    "quote.ipynb": notebook(
        "import pandas as pd\nfrom IPython.display import display\n"
        "from helpers.nb import say, tables\n"
        "quote = open('../data/quote.txt', encoding='utf-8').read().strip()\nprint(quote)\n"
        "display(say.markdown(f'The document says: {quote}'))\n"
        "tables.show(pd.DataFrame({'quote': [quote]}), caption=quote, source=quote)"),
}
MATRIX = "".join(f'[[report]]\nnotebook = "{name}"\n\n' for name in ("hello.ipynb", *READERS))
HTML_QUOTE = "<script>alert('x')</script><b>bold</b> & <i>more</i>"


@pytest.fixture(scope="module")
def pool():
    from helpers.engine.executors import make_executor, stop_executor

    executor = make_executor("process", 2)
    yield executor
    stop_executor(executor)


@pytest.fixture(scope="module")
def built(tmp_path_factory, pool):
    project = make_project(tmp_path_factory.mktemp("staleness"))
    for name, nb in READERS.items():
        (project / "notebooks" / name).write_text(json.dumps(nb))
    elsewhere = project / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "kept.csv").write_text("a,b\n1,2\n")
    (project / "data" / "linked.csv").symlink_to(elsewhere / "kept.csv")
    (project / "data" / "quote.txt").write_text(HTML_QUOTE + "\n")
    matrix = config(project, MATRIX)
    first = build(matrix, executor=pool, progress=False)
    assert first.exit_code == 0, first.entries
    return project, matrix


def rebuild(built, pool):
    project, matrix = built
    result = build(matrix, executor=pool, progress=False)
    assert result.exit_code == 0, result.entries
    return result


def test_an_edited_seed_reruns_the_notebook_that_read_it(built, pool):
    project, _ = built
    (project / "seeds" / "000_seed.txt").write_text("A seed, edited.\n")
    result = rebuild(built, pool)
    assert result.executed == ["seed"]
    assert "A seed, edited." in (project / "reports" / "current" / "seed.html").read_text()


def test_an_edited_markdown_cell_reruns_its_notebook(built, pool):
    project, _ = built
    path = project / "notebooks" / "seed.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][1]["source"] = "# What the seed says, reworded"
    path.write_text(json.dumps(nb))
    result = rebuild(built, pool)
    assert result.executed == ["seed"]
    assert "reworded" in (project / "reports" / "current" / "seed.html").read_text()


def test_a_data_file_reached_through_a_symlink_is_tracked(built, pool):
    project, _ = built
    (project / "elsewhere" / "kept.csv").write_text("a,b\n3,4\n")  # the link's target changes
    result = rebuild(built, pool)
    assert result.executed == ["linked"]
    assert "3,4" in (project / "reports" / "current" / "linked.html").read_text()


def test_a_quote_containing_html_shows_as_text(built, pool):
    project, _ = built
    current = project / "reports" / "current"
    page = (current / "quote.html").read_text()
    assert "<script>alert" not in page and "<b>bold</b>" not in page
    assert page.count("&lt;script") >= 4, "printed, in Markdown, in a cell, in the caption"
    index = (current / "index.html").read_text()
    assert "<script>alert" not in index


MIDRUN = notebook("import pathlib, time\n"
                  "before = open('../data/mid.txt', encoding='utf-8').read()\n"
                  "pathlib.Path('mid.read').write_text('read')  # the event the test waits for\n"
                  "while not pathlib.Path('mid.go').exists():  # the test's event\n"
                  "    time.sleep(0.02)\n"
                  "print(before)")


def test_a_data_file_changed_during_the_run_keys_what_the_run_read(built, pool):
    import concurrent.futures
    import hashlib

    project, _ = built
    notebooks, out = project / "notebooks", project / "reports-mid"
    (notebooks / "mid.ipynb").write_text(json.dumps(MIDRUN))
    (project / "data" / "mid.txt").write_text("version 1\n")
    matrix = config(project, '[[report]]\nnotebook = "mid.ipynb"\n', "mid.toml")
    with concurrent.futures.ThreadPoolExecutor(1) as thread:
        running = thread.submit(build, matrix, executor=pool, output=out, progress=False)
        wait_for(lambda: (notebooks / "mid.read").exists() or running.done(),
                 "the run to read mid.txt")
        (project / "data" / "mid.txt").write_text("version 2\n")  # changed under the run
        (notebooks / "mid.go").write_text("go")
        result = running.result()
    assert result.exit_code == 0, result.entries
    entry = result.entries[0]
    assert entry["deps"]["file:data/mid.txt"] == hashlib.sha256(b"version 1\n").hexdigest()
    assert "version 1" in (out / "current" / "mid.html").read_text()
    # the next build sees data the published report never read, and runs it again
    again = build(matrix, executor=pool, output=out, progress=False)
    assert again.executed == ["mid"]
    assert "version 2" in (out / "current" / "mid.html").read_text()
