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
