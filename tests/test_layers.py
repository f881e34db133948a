"""The layers point one way: nothing outside smtpsim.ui imports Textual or Rich."""

import pkgutil
import subprocess
import sys

import smtpsim

NON_UI = sorted(
    m.name for m in pkgutil.walk_packages(smtpsim.__path__, "smtpsim.")
    if not m.name.startswith("smtpsim.ui") and m.name != "smtpsim.__main__"
)


def test_there_are_modules_to_check():
    assert "smtpsim.protocol.server" in NON_UI
    assert "smtpsim.mta.server" in NON_UI
    assert "smtpsim.cli" in NON_UI


def test_no_textual_or_rich_below_ui():
    code = (
        "import importlib, sys\n"
        f"for name in {NON_UI!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""


def test_protocol_imports_only_the_standard_library():
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import smtpsim.protocol\n"
        "new = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "print(','.join(sorted(n for n in new if n != 'smtpsim' and n not in sys.stdlib_module_names)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""


# -- the floors, read from the source (every import, also those inside functions) ------------
BELOW_UI = ("smtpsim.protocol", "smtpsim.catalogue", "smtpsim.mta", "smtpsim.course",
            "smtpsim.net")


def _graph():
    from test_import_cycles import import_graph
    return import_graph()


def _in(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def test_the_floors_below_the_app_never_import_ui():
    graph = _graph()
    assert any(_in(m, ("smtpsim.course",)) for m in graph)   # the packages are there
    bad = sorted(f"{module} -> {target}" for module, targets in graph.items()
                 if _in(module, BELOW_UI) for target in targets
                 if _in(target, ("smtpsim.ui",)))
    assert bad == []


def test_only_the_top_floor_imports_the_command_modules():
    graph = _graph()
    importers = {module for module, targets in graph.items()
                 if any(_in(t, ("smtpsim.commands",)) for t in targets)
                 and not _in(module, ("smtpsim.commands",))}
    assert importers == {"smtpsim.cli"}
    assert not any("smtpsim.cli" in graph[m] for m in graph if _in(m, ("smtpsim.commands",)))


def test_argparse_lives_on_the_top_floor():
    """course/, net/, classroom/ and ui/ hold no command line: argparse is imported only
    by cli.py, smtpsim.commands, the export options and i18n (which translates it)."""
    import ast
    from pathlib import Path
    root = Path(smtpsim.__file__).parent
    users = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) else [])
            if "argparse" in names:
                users.add(path.relative_to(root).as_posix())
    assert "cli.py" in users
    assert sorted(u for u in users if u.split("/")[0] in ("course", "net", "classroom", "ui",
                                                          "mta", "protocol")) == []
