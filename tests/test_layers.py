"""The package's shape: no import cycles, no lower layer importing a higher
one, no module past ~300 lines without saying why.

Imports are read with ``ast`` (nothing is imported), ``TYPE_CHECKING`` and
function-level imports included: a cycle hidden in a function is still a cycle.
Layers, lowest first: the shared modules at the package root (``model``,
``taxonomy``, ``project``, ``sanitize`` …); ``importer`` and ``search``; ``editing``
(it runs the importer); ``site`` (it uses all of them); ``cli``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "scripts" / "bulletin"
LAYERS = {"importer": 1, "search": 1, "editing": 2, "site": 3, "cli": 4}
MAX_LINES = 300
REASON = "Over 300 lines:"  # what a longer module's docstring says, then why


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, known: set[str]) -> set[str]:
    """The package's modules ``path`` imports (``from bulletin.x import y``: ``bulletin.x.y``
    when that is a module, else ``bulletin.x``)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and node.module.split(".")[0] == "bulletin":
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                out.add(full if full in known else node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "bulletin"}
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import (write bulletin.… in full)")
    return out


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports(path, set(mods)) - {name} for name, path in mods.items()}


def layer(name: str) -> int:
    parts = name.split(".")
    return LAYERS.get(parts[1], 0) if len(parts) > 1 else 0


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def upward(edges: dict[str, set[str]]) -> list[str]:
    """Imports from a module to one of a higher layer, or between two peers of layer 1
    (the importer and search know nothing of each other)."""
    bad = []
    for src, targets in sorted(edges.items()):
        for dst in sorted(targets):
            a, b = layer(src), layer(dst)
            peers = a == b == 1 and src.split(".")[1] != dst.split(".")[1]
            if b > a or peers:
                bad.append(f"{src} -> {dst}")
    return bad


def test_the_checks_catch_a_cycle_and_an_upward_import():
    edges = {"bulletin.site.a": {"bulletin.site.b"}, "bulletin.site.b": {"bulletin.site.a"},
             "bulletin.editing.x": {"bulletin.site.a", "bulletin.model"}, "bulletin.model": set(),
             "bulletin.search.k": {"bulletin.importer.y"}, "bulletin.importer.y": set()}
    assert cycles(edges) == [["bulletin.site.a", "bulletin.site.b"]]
    assert upward(edges) == ["bulletin.editing.x -> bulletin.site.a", "bulletin.search.k -> bulletin.importer.y"]


def test_imports_are_read_from_the_source(tmp_path):
    mods = modules()
    found = imports(mods["bulletin.site.plugin"], set(mods))
    assert {"bulletin.site.index", "bulletin.sanitize", "bulletin.editing.check"} <= found


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_no_lower_layer_imports_a_higher_one():
    assert upward(graph()) == []


def long_files() -> list[Path]:
    return [*PACKAGE.rglob("*.py"), *(ROOT / "scripts").glob("*.py"), *(ROOT / "theme" / "assets").glob("*.js"),
            *(ROOT / "tests").glob("*.js")]


@pytest.mark.parametrize("path", [p for p in long_files()], ids=lambda p: str(p.relative_to(ROOT)))
def test_a_long_module_says_why(path):
    lines = path.read_text(encoding="utf-8").count("\n")
    if lines <= MAX_LINES:
        return
    text = path.read_text(encoding="utf-8")
    head = (ast.get_docstring(ast.parse(text)) or "") if path.suffix == ".py" else text[:3000]
    assert REASON in head, f"{path.relative_to(ROOT)}: {lines} lines; split it or say why (“{REASON} …”) in its docstring"
