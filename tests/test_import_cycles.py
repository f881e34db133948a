"""No import circles in the package: the floors point one way (see ARCHITECTURE.md).

The graph is read from the source (ast), so it holds every ``import`` and ``from``,
also those inside functions (an import deferred for start-up is still an arrow), with
relative imports resolved.  Only imports under ``if TYPE_CHECKING:`` are left out:
they never run (every module has ``from __future__ import annotations``), they only
name a type for the reader and the type checker.
"""

from __future__ import annotations

import ast
from pathlib import Path

import smtpsim

ROOT = Path(smtpsim.__file__).parent


def module_name(path: Path) -> str:
    parts = ["smtpsim", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST):
    """Every Import/ImportFrom node of ``tree``, except under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking_only(node):
            yield from (n for child in node.orelse for n in _imports_of(child))
            continue
        yield from _imports_of(node)


def _imports_of(node: ast.AST):
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    else:
        yield from _imports(node)


def import_graph() -> dict[str, set[str]]:
    """module -> the smtpsim modules it imports (a package counts as its __init__)."""
    paths = {module_name(path): path for path in ROOT.rglob("*.py")}

    def known(name: str) -> str:
        while name not in paths and "." in name:
            name = name.rpartition(".")[0]
        return name

    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in _imports(ast.parse(path.read_text("utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets |= {known(a.name) for a in node.names if a.name.split(".")[0] == "smtpsim"}
                continue
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            if origin.split(".")[0] != "smtpsim":
                continue
            for alias in node.names:   # `from . import x` may name a module
                full = f"{origin}.{alias.name}"
                targets.add(full if full in paths else known(origin))
        targets.discard(name)
        graph[name] = targets
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path [a, b, ..., a], or None (depth-first, three colours)."""
    state: dict[str, int] = {}   # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_graph_is_read_whole():
    graph = import_graph()
    assert "smtpsim.mta.dispatch" in graph["smtpsim.mta.server"]
    assert "smtpsim.mta.handlers_core" in graph["smtpsim.mta.dispatch"]
    # a function-level import is an arrow too: the app is opened from inside a handler
    assert "smtpsim.ui.app" in graph["smtpsim.commands.course"]
    # a relative `from . import module` names that module
    assert "smtpsim.i18n" in graph["smtpsim.cli"]


def test_a_cycle_is_found_when_there_is_one():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycles_in_the_package():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())
