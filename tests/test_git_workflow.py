"""Notebooks in git (README "Notebooks in git"): the set-up of tools/git-notebooks.sh, applied to a
temporary repository, makes re-executing an unchanged notebook invisible to git, merges two
branches that re-ran the notebook into a valid notebook, and shows cell-level diffs; all from a
plain shell whose PATH does not hold .venv/bin."""

import json
import os
import re
import shutil
import subprocess

import nbformat
import pytest

from helpers.data import paths

SCRIPT = paths.ROOT / "tools" / "git-notebooks.sh"
BIN = paths.ROOT / ".venv" / "bin"
FIXTURE = paths.ROOT / "tests" / "fixtures" / "hello.ipynb"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# what the clean filter drops on top of nbstripout's defaults (tools/git-notebooks.sh)
TIMING = ("execution", "papermill", "ExecuteTime")


def plain_env(home):
    """A plain shell: no .venv/bin on PATH, no virtualenv, and only this test's git config
    (the user's global or system config cannot change what git does here)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "VIRTUAL_ENV"))}
    path = [p for p in env.get("PATH", "/usr/bin:/bin").split(os.pathsep)
            if p and os.path.realpath(p) != os.path.realpath(BIN)]
    env.update(PATH=os.pathsep.join(path), HOME=str(home), GIT_CONFIG_NOSYSTEM="1",
               GIT_CONFIG_GLOBAL=str(home / "gitconfig"), GIT_PAGER="cat", PAGER="cat")
    return env


class Repo:
    """A temporary git repository holding notebooks/hello.ipynb and the data it reads."""

    def __init__(self, root):
        self.root = root
        home = root.parent / f"{root.name}-home"
        home.mkdir()
        (home / "gitconfig").write_text("")
        self.env = plain_env(home)
        self.nb = root / "notebooks" / "hello.ipynb"

    def git(self, *args, check=True):
        result = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                                cwd=self.root, env=self.env, capture_output=True, text=True)
        if check:
            assert result.returncode == 0, f"git {' '.join(args)}: {result.stdout}{result.stderr}"
        return result

    def setup(self):
        result = subprocess.run(["sh", str(SCRIPT), str(self.root), str(BIN)], env=self.env,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result

    def execute(self):
        # the .venv's jupyter, with the per-project Jupyter directories conftest.py sets
        result = subprocess.run([str(BIN / "jupyter"), "nbconvert", "--execute", "--inplace",
                                 "--log-level=ERROR", str(self.nb)], cwd=self.nb.parent,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr

    def edit(self, old, new):
        text = self.nb.read_text(encoding="utf-8")
        assert old in text, old
        self.nb.write_text(text.replace(old, new), encoding="utf-8")

    def status(self):
        return self.git("status", "--porcelain").stdout


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    (root / "notebooks").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "data" / "hello.txt").write_text("Hello\n")
    shutil.copy(FIXTURE, root / "notebooks" / "hello.ipynb")
    shutil.copy(paths.ROOT / ".gitattributes", root / ".gitattributes")
    repo = Repo(root)
    repo.git("init", "-q", "-b", "main")
    repo.setup()
    return repo


@pytest.fixture(scope="module")
def executed_hello(tmp_path_factory):
    """hello.ipynb executed by the .venv's nbconvert, as a researcher saves it: the committed
    state every test starts from. ``executed_hello.variant(edits)`` is the notebook with
    source ``edits`` applied, then executed; each variant is executed once per module."""
    root = tmp_path_factory.mktemp("executed")
    (root / "notebooks").mkdir()
    (root / "data").mkdir()
    (root / "data" / "hello.txt").write_text("Hello\n")
    runner, cache = Repo(root), {}

    def variant(edits=()):
        if edits not in cache:
            shutil.copy(FIXTURE, runner.nb)
            for old, new in edits:
                runner.edit(old, new)
            runner.execute()
            cache[edits] = runner.nb.read_text(encoding="utf-8")
        return cache[edits]

    class Executed(str):
        pass

    executed = Executed(variant())
    executed.variant = variant
    return executed


def committed_run(repo, executed, edit=None):
    """Commit the executed notebook (with a source-only ``edit`` applied, if any): the state of
    a committed notebook."""
    repo.nb.write_text(executed, encoding="utf-8")
    if edit:
        repo.edit(*edit)
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "hello, executed")
    assert repo.status() == ""


# --- the set-up itself (fast) --------------------------------------------------------------

def test_setup_writes_absolute_venv_paths_into_the_local_config_only(repo):
    config = dict(line.split("=", 1) for line in
                  repo.git("config", "--local", "--list").stdout.splitlines())
    assert config["diff.jupyternotebook.command"] == f"{BIN}/git-nbdiffdriver diff --use-filter"
    assert config["merge.jupyternotebook.driver"] == (
        f"{BIN}/git-nbmergedriver merge --merge-strategy inline --output-strategy clear-all %O %A %B %L %P")
    clean = config["filter.jupyternotebook.clean"]
    assert clean.startswith(f"{BIN}/nbstripout --keep-output --keep-count --keep-id ")
    assert "cell.metadata.execution" in clean and "metadata.papermill" in clean
    assert config["filter.jupyternotebook.smudge"] == "cat"
    assert config["alias.nbdiff"] == f"!{BIN}/nbdiff"
    assert (repo.root.parent / "repo-home" / "gitconfig").read_text() == "", "nothing global"
    attrs = repo.git("check-attr", "diff", "merge", "filter", "--", "notebooks/hello.ipynb").stdout
    assert attrs.count(": jupyternotebook") == 3, attrs
    repo.setup()  # idempotent: a second run changes nothing
    assert repo.git("config", "--local", "--get-all", "diff.jupyternotebook.command").stdout.count("\n") == 1


def test_setup_skips_a_directory_that_is_not_a_git_checkout(tmp_path):
    copy = tmp_path / "tarball-copy"
    copy.mkdir()
    result = subprocess.run(["sh", str(SCRIPT), str(copy), str(BIN)], env=plain_env(tmp_path),
                            capture_output=True, text=True)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert not (copy / ".git").exists()


def test_setup_leaves_an_enclosing_repository_alone(repo):
    # a tarball copy unpacked inside some other checkout configures nothing there
    repo.git("config", "--local", "--remove-section", "filter.jupyternotebook")
    inner = repo.root / "unpacked"
    inner.mkdir()
    result = subprocess.run(["sh", str(SCRIPT), str(inner), str(BIN)], env=repo.env,
                            capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")
    assert repo.git("config", "--local", "--get-regexp", "^filter\\.", check=False).stdout == ""


def strip_timing(nb):
    nb = json.loads(json.dumps(nb))
    nb["metadata"].pop("papermill", None)
    for cell in nb["cells"]:
        for key in TIMING:
            cell["metadata"].pop(key, None)
    return nb


@pytest.mark.parametrize("path", sorted(paths.NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_clean_filter_keeps_everything_of_a_committed_notebook_but_timing(repo, path):
    """The filter on (a copy of) each notebook of notebooks/: outputs, execution counts, cell ids,
    tags and kernelspec stay; only timing metadata goes."""
    clean = repo.git("config", "--local", "filter.jupyternotebook.clean").stdout.strip()
    original = path.read_text(encoding="utf-8")
    result = subprocess.run(clean, shell=True, input=original, env=repo.env, capture_output=True,
                            text=True, check=True)
    before, after = json.loads(original), json.loads(result.stdout)
    assert after == strip_timing(before)
    nbformat.validate(nbformat.reads(result.stdout, as_version=4))
    again = subprocess.run(clean, shell=True, input=result.stdout, env=repo.env,
                           capture_output=True, text=True, check=True)
    assert again.stdout == result.stdout, "the filter is idempotent"


# --- the real thing: execution, merge, diff (slow) -----------------------------------------

def fresh_checkout(repo):
    """The notebook as a clone, pull or merge leaves it: the working file is the stored blob."""
    repo.nb.unlink()
    repo.git("checkout", "--", "notebooks/hello.ipynb")
    assert repo.status() == ""


def committed_cells(repo, rev="HEAD"):
    return json.loads(repo.git("show", f"{rev}:notebooks/hello.ipynb").stdout)["cells"]


@pytest.mark.notebooks
def test_reexecuting_an_unchanged_notebook_leaves_git_status_clean(repo, executed_hello):
    committed_run(repo, executed_hello)
    fresh_checkout(repo)
    repo.execute()
    assert repo.status() == ""
    assert repo.git("diff", "--stat").stdout == ""
    # the .venv's nbconvert records no timestamps (make setup), so not even the file changed
    assert repo.nb.read_text(encoding="utf-8") == repo.git("show", "HEAD:notebooks/hello.ipynb").stdout
    cells = committed_cells(repo)
    assert [c.get("execution_count") for c in cells if c["cell_type"] == "code"] == [1, 2, 3, 4]
    assert [c["id"] for c in cells] == [c["id"] for c in json.loads(FIXTURE.read_text())["cells"]]
    assert [c["metadata"].get("tags") for c in cells] == [None, ["parameters"], None, None, ["solution"]]
    assert all(c["outputs"] for c in cells[2:]), "outputs are kept"


@pytest.mark.notebooks
@pytest.mark.parametrize("tool", ["nbconvert-with-timing", "papermill"])
def test_timing_and_papermill_metadata_never_reach_a_commit(repo, tool, executed_hello):
    if tool == "papermill":  # in place, with the defaults
        command = [str(BIN / "papermill"), "--log-level", "ERROR", "--no-progress-bar", str(repo.nb), str(repo.nb)]
    else:  # timing switched back on, as another configuration or an older set-up would
        command = [str(BIN / "jupyter"), "nbconvert", "--execute", "--inplace", "--log-level=ERROR",
                   "--NotebookClient.record_timing=True", str(repo.nb)]

    def run():
        result = subprocess.run(command, cwd=repo.nb.parent, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        on_disk = json.loads(repo.nb.read_text(encoding="utf-8"))
        written = set(on_disk["metadata"]) | {k for c in on_disk["cells"] for k in c["metadata"]}
        assert written & set(TIMING), f"{tool} wrote timing metadata: {written}"

    committed_run(repo, executed_hello)
    fresh_checkout(repo)
    run()
    if tool == "papermill":
        # papermill also gives every untagged cell an empty "tags" list: a one-time change,
        # committed here; a second papermill run must then show no change at all
        repo.git("add", "-A")
        staged = json.loads(repo.git("show", ":notebooks/hello.ipynb").stdout)
        assert "papermill" not in staged["metadata"]
        assert not any(set(TIMING) & set(c["metadata"]) for c in staged["cells"])
        repo.git("commit", "-q", "--allow-empty", "-m", f"{tool} run")
        fresh_checkout(repo)
        run()
    assert repo.git("diff", "--no-ext-diff").stdout == "", "the clean filter removes all of it"
    # git status trusts a changed file size, so it may list the notebook until it is added;
    # adding it stages nothing
    repo.git("add", "-A")
    assert repo.status() == ""


def branch_edits(repo, separator, executed):
    """Two branches off main: `a` changes `name`, `b` changes `size`; each re-runs the notebook."""
    edit = ('\\n",\n    "size = ', '\\n",\n    "# pixels per side\\n",\n    "size = ')  # between the lines
    committed_run(repo, executed, edit if separator else None)
    for branch, base, change in (("a", "main", ('name = \\"world\\"', 'name = \\"Alice\\"')),
                                 ("b", "main", ("size = 4", "size = 8"))):
        repo.git("checkout", "-q", "-b", branch, base)
        # the branch's edit, re-run by nbconvert (each variant executed once per module)
        repo.nb.write_text(executed.variant((change,)), encoding="utf-8")
        if separator:
            repo.edit(*edit)  # a comment line: source only, the outputs are the same
        repo.git("commit", "-q", "-am", f"{branch}: {change[1]}")
    repo.git("checkout", "-q", "a")
    return repo.git("merge", "--no-edit", "b", check=False)


def merged_notebook(repo):
    nb = nbformat.read(repo.nb, as_version=4)
    nbformat.validate(nb)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    return nb, params[0]


@pytest.mark.notebooks
def test_merge_of_parameter_edits_on_separate_lines_is_clean(repo, executed_hello):
    merge = branch_edits(repo, separator=True, executed=executed_hello)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    nb, params = merged_notebook(repo)
    assert params.source == 'name = "Alice"\n# pixels per side\nsize = 8'
    assert "<<<<<<<" not in repo.nb.read_text(encoding="utf-8")
    # outputs each branch changed in a different cell are both kept
    texts = [o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert "Hello, Alice!\n" in texts
    assert repo.status() == "", "the merge result is already what the clean filter would store"


@pytest.mark.notebooks
def test_merge_of_parameter_edits_on_adjacent_lines_is_a_valid_notebook_with_one_conflict_in_the_cell(repo, executed_hello):
    # like git's own line merge, nbdime treats changes to adjacent lines as one conflict; it
    # writes the conflict inside the cell's source, and the file stays a valid notebook
    merge = branch_edits(repo, separator=False, executed=executed_hello)
    assert merge.returncode != 0 and "CONFLICT" in merge.stdout
    assert repo.status() == "UU notebooks/hello.ipynb\n"
    nb, params = merged_notebook(repo)
    assert 'name = "Alice"' in params.source and "size = 8" in params.source
    assert params.source.startswith("<<<<<<< local\n") and "\n=======\n" in params.source
    assert [c.id for c in nb.cells if "<<<<<<<" in json.dumps(c)] == [params.id], "markers only there"
    # resolving it is editing one cell (in JupyterLab or a text editor); then commit as usual
    params.source = 'name = "Alice"\nsize = 8'
    nbformat.write(nb, repo.nb)
    repo.git("commit", "-q", "-am", "merge b")
    assert repo.status() == ""


@pytest.mark.notebooks
def test_git_diff_of_a_markdown_edit_is_a_cell_level_diff(repo, executed_hello):
    committed_run(repo, executed_hello)
    repo.edit("A tiny notebook for the report-engine tests.", "A tiny notebook for the git tests.")
    repo.execute()  # re-executed, as a researcher would
    diff = ANSI.sub("", repo.git("diff").stdout)
    assert "## modified /cells/0/source:" in diff
    assert "-A tiny notebook for the report-engine tests." in diff
    assert "+A tiny notebook for the git tests." in diff
    assert '"cell_type"' not in diff and "iopub" not in diff, "nbdime's view, no raw JSON or timing"
    assert "## modified" not in diff.replace("## modified /cells/0/source:", ""), diff
    stat = repo.git("diff", "--no-ext-diff", "--numstat").stdout.split()
    assert stat[:2] == ["1", "1"], f"one line of the stored file changes: {stat}"
    # source-only view for reviewers: git nbdiff -s (outputs and metadata left out)
    repo.git("commit", "-q", "-am", "reword")
    edited = repo.nb.read_text(encoding="utf-8")
    repo.edit("size = 4", "size = 8")
    repo.execute()
    full = ANSI.sub("", repo.git("nbdiff", "HEAD", "--", "notebooks/hello.ipynb").stdout)
    source = ANSI.sub("", repo.git("nbdiff", "-s", "HEAD", "--", "notebooks/hello.ipynb").stdout)
    assert "outputs" in full and "+size = 8" in full
    assert "+size = 8" in source and "outputs" not in source, source
    assert edited != repo.nb.read_text(encoding="utf-8")
