"""The house rules of src/helpers: layers import in one direction, no import circle, small
modules that say their job, thin notebooks. See docs/architecture.md.

Read with ast (the engine's own import resolver), so a failure names the file, the line and
the import that breaks the rule.
"""

import ast
import json
from pathlib import Path

import pytest

from helpers.data import paths
from helpers.engine.keys import import_statements

SRC = paths.SRC
#: layer -> the layers it may import (besides itself and helpers.errors, shared by all)
ALLOWED = {
    "data": set(),
    "analysis": {"data"},
    "nb": {"data", "analysis"},
    "engine": {"data", "site"},
    "site": {"data", "engine", "analysis", "nb"},
    "teaching": {"data", "engine", "site"},  # site: its PDF printer (helpers.site.pdf)
    "cli": {"data", "engine", "teaching"},
}
MAX_LINES = 500
MAX_NOTEBOOK_CODE_LINES = 120


def modules():
    """``{module name: file}`` for every module of the package."""
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        parts = list(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        out[".".join(parts)] = path
    return out


def imports(name, path):
    """``(line, imported module)`` for each project import of one module."""
    current = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return list(import_statements(ast.parse(path.read_bytes()), "helpers", current))


def layer(name):
    """The layer of a module name: ``helpers.analysis.trade`` -> ``analysis``."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


def layer_violations(mods):
    """Every import that goes against :data:`ALLOWED`, as a readable line."""
    bad = []
    for name, path in mods.items():
        own = layer(name)
        if own not in ALLOWED or path.parent.name == "kernel_site":
            continue
        worst = {}  # (line, layer) -> the most specific module named there
        for line, target in imports(name, path):
            other = layer(target)
            if other in (None, own, "errors") or other in ALLOWED[own]:
                continue
            if len(target) > len(worst.get((line, other), "")):
                worst[line, other] = target
        parts = path.parts
        rel = Path(*parts[len(parts) - 1 - parts[::-1].index("helpers"):]).as_posix()
        bad += [f"{rel}:{line} imports {target} ({own} may import only "
                f"{', '.join(sorted(ALLOWED[own] | {'errors'}))})"
                for (line, _), target in sorted(worst.items())]
    return bad


def test_layers_import_in_one_direction():
    assert layer_violations(modules()) == []


def test_an_import_against_the_layers_is_named(tmp_path):
    """The check can fail: an analysis module importing the notebook layer is reported with
    its file, line and the rule it breaks."""
    mods = modules()
    fake = tmp_path / "helpers" / "analysis" / "bad.py"
    fake.parent.mkdir(parents=True)
    fake.write_text('"""A module that breaks the layers."""\n\nfrom ..nb import params\n')
    mods["helpers.analysis.bad"] = fake
    problems = layer_violations(mods)
    assert problems == ["helpers/analysis/bad.py:3 imports helpers.nb.params "
                        "(analysis may import only data, errors)"]


def _cycles(graph):
    """Strongly connected components with more than one module (Tarjan), sorted."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out)


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_circle():
    """Module to module, imports inside functions included. A package's ``__init__`` that
    re-exports its own modules (lazily) does not count as importing them back."""
    mods = modules()
    graph = {}
    for name, path in mods.items():
        targets = {t for _, t in imports(name, path) if t in mods and t != name}
        graph[name] = {t for t in targets if not t.startswith(name + ".")}
    assert _cycles(graph) == []


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: p.relative_to(SRC).as_posix())
def test_module_is_small_and_says_its_job(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{lines} lines"
    doc = ast.get_docstring(ast.parse(path.read_bytes()))
    assert doc, "a module docstring"
    first = doc.splitlines()[0]
    assert first.endswith(".") and len(first) <= 110, f"one sentence on one line: {first!r}"


def code_lines(nb):
    return [line for c in nb["cells"] if c["cell_type"] == "code"
            for line in "".join(c["source"]).splitlines()
            if line.strip() and not line.strip().startswith("#")]


@pytest.mark.parametrize("path", sorted(paths.NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_notebook_is_thin(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert len(code_lines(nb)) <= MAX_NOTEBOOK_CODE_LINES
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            tree = ast.parse("".join(cell["source"]))
            defined = [n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
            assert not defined, f"define {defined} in src/helpers/, not in the notebook"


@pytest.mark.parametrize("package", ["data", "engine"])
def test_lazy_reexports_are_declared_for_the_import_graph(package):
    """A package's lazy ``__getattr__`` re-exports are invisible to ast; the cache keys see
    them through the ``if TYPE_CHECKING:`` imports, which must name every module they load."""
    import importlib

    module = importlib.import_module(f"helpers.{package}")
    tree = ast.parse((SRC / package / "__init__.py").read_bytes())
    declared = {node.module or alias.name
                for block in tree.body if isinstance(block, ast.If)
                and getattr(block.test, "id", None) == "TYPE_CHECKING"
                for node in block.body if isinstance(node, ast.ImportFrom)
                for alias in node.names}
    loaded = set(module._EXPORTS.values()) | {n for n in getattr(module, "__all__", [])
                                              if (SRC / package / f"{n}.py").is_file()}
    assert loaded <= declared
