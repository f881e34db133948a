"""No user-facing string escapes translation: an AST scan of smtpsim/.

A string literal that reaches the user - the text of a widget (Static, Label, Button,
Option, Checkbox, Text), a notification, a ``print``, a usage error, a title, a
placeholder, a help text, a status line - must be wrapped in ``_()``, ``N_()`` or
``ngettext()`` where it is written; otherwise Babel never extracts it and no language
can translate it.  The same holds for a module constant handed to such a call by name,
and for a constant translated by name (``_(TITLE)``): unless ``TITLE = N_("...")``, the
``.pot`` does not have it.

What is deliberately not translated is listed in ``ALLOWED`` with the reason: the SMTP
wire (never translated), commands the learner types, file names and programme names.
``smtpsim/protocol/`` is not scanned here: it imports no gettext, and its detail
phrases are checked by tests/test_i18n_phrases.py.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import smtpsim

PACKAGE = Path(smtpsim.__file__).parent
WRAPPERS = {"_", "N_", "ngettext", "gettext"}
#: Calls whose first positional argument is shown as it is.
SHOWN_FIRST = {"Static", "Label", "Button", "Checkbox", "RadioButton", "Option", "Text",
               "notify", "UsageError", "RemoteError", "ScriptError", "Rule", "Markdown",
               "set_status", "update"}
#: Calls all of whose positional arguments are shown.
SHOWN_ALL = {"print"}
#: Calls one positional argument of which is shown: an Answer's effects (the explanation's
#: "Effect:" lines) are its third.
SHOWN_AT = {"Answer": 2}
#: Keyword arguments shown to the user, whatever the call.
SHOWN_KEYWORDS = {"title", "placeholder", "help", "description", "tooltip", "subtitle",
                  "label", "border_title", "border_subtitle", "status_note"}
#: Attributes whose assigned value is shown.
SHOWN_ATTRIBUTES = {"border_title", "border_subtitle", "status_note", "sub_title", "title",
                    "tooltip"}
#: A literal needs translating when it holds a word: three letters or more, in lower case
#: (SMTP verbs, codes, ids and CSS classes are upper case, digits or hyphenated names).
WORD = re.compile(r"(?<![\w.<{/-])[a-z]{3,}(?![\w>}/(-])")
#: Rich styles, given beside a text (``Text(title, "bold underline")``): not text.
STYLE = re.compile(r"(?:(?:not )?(?:bold|dim|italic|underline|reverse|strike|blink)|on| |"
                   r"red|green|yellow|blue|magenta|cyan|white|black)+")

#: (file relative to smtpsim/, the literal) -> why it stays as it is.
ALLOWED: dict[tuple[str, str], str] = {
    ("ui/shell.py", "smtpsim"): "the programme's name, in the status bar",
    ("ui/screenshots.py", "smtpsim - "): "the programme's name, in a screenshot's title",
}
#: Literals that are the same in every language, wherever they are.
NEUTRAL = {"smtpsim: ": "the programme's name before a message, as every Unix tool writes it"}


def literal_words(node: ast.AST, skip: set[int]) -> list[str]:
    """The literal texts that ``node`` makes into shown text and that no wrapper call
    holds (``skip``: the ids of nodes inside wrappers).  Only the parts that become the
    text are followed - concatenation, f-strings, ``if``/``else``, ``or``, ``.format()``
    and ``.join()``, and the text of a nested Text/Static; a comparison, a subscript, a
    style argument or another call's arguments are not text."""
    if id(node) in skip:
        return []
    if isinstance(node, ast.Constant):
        text = node.value
        return [text] if isinstance(text, str) and WORD.search(text) \
            and not STYLE.fullmatch(text) else []
    parts: list[ast.AST] = []
    if isinstance(node, ast.JoinedStr):
        parts = [value.value if isinstance(value, ast.FormattedValue) else value
                 for value in node.values]
    elif isinstance(node, ast.BinOp):
        parts = [node.left, node.right]
    elif isinstance(node, ast.IfExp):
        parts = [node.body, node.orelse]
    elif isinstance(node, ast.BoolOp):
        parts = list(node.values)
    elif isinstance(node, (ast.Tuple, ast.List)):
        parts = list(node.elts)
    elif isinstance(node, ast.Call):
        name = _call_name(node)
        if name in ("format", "join") and isinstance(node.func, ast.Attribute):
            parts = [node.func.value, *node.args, *(k.value for k in node.keywords)]
        elif name in SHOWN_FIRST and node.args:
            parts = [node.args[0]]
    return [text for part in parts for text in literal_words(part, skip)]


def wrapped_nodes(tree: ast.AST) -> set[int]:
    """Ids of every node inside ``_()``, ``N_()``, ``ngettext()``; and of the format
    strings of ``.format()``/``%`` applied to them (the template is already a msgid)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in WRAPPERS:
            inside.update(id(child) for child in ast.walk(node))
    return inside


def module_strings(tree: ast.Module) -> dict[str, ast.expr]:
    """Module-level ``NAME = value`` assignments (the constants a module shows)."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                and node.value is not None:
            out[node.target.id] = node.value
    return out


def function_locals(tree: ast.Module) -> dict[int, dict[str, list[ast.expr]]]:
    """For each node inside a function, by id: what the function assigns to each of its
    lower-case names (``label = "closed" if ... else "C:"``), so that a literal reaching
    a shown call through a local name is found too."""
    by_node: dict[int, dict[str, list[ast.expr]]] = {}
    functions = [node for node in ast.walk(tree)
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for function in functions:            # outer first: an inner function overrides
        assigned: dict[str, list[ast.expr]] = {}
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name) \
                    and not node.targets[0].id.isupper():
                assigned.setdefault(node.targets[0].id, []).append(node.value)
        for node in ast.walk(function):
            by_node[id(node)] = assigned
    return by_node


def is_text(node: ast.expr) -> bool:
    """A string constant, an f-string, or strings joined with ``+`` (not a Path)."""
    if isinstance(node, ast.BinOp):
        return is_text(node.left) and is_text(node.right)
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant)
                                               and isinstance(node.value, str))


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else \
        func.attr if isinstance(func, ast.Attribute) else ""


def _shown_arguments(call: ast.Call) -> list[ast.expr]:
    name = _call_name(call)
    shown: list[ast.expr] = []
    if name in SHOWN_ALL:
        shown += [arg for arg in call.args if not isinstance(arg, ast.Starred)]
    elif name in SHOWN_FIRST and call.args:
        shown.append(call.args[0])
    elif name in SHOWN_AT and len(call.args) > SHOWN_AT[name]:
        shown.append(call.args[SHOWN_AT[name]])
    shown += [keyword.value for keyword in call.keywords if keyword.arg in SHOWN_KEYWORDS]
    return shown


def untranslated(path: Path, root: Path = PACKAGE) -> list[str]:
    """Every user-facing literal of one module that no wrapper marks, as
    ``file:line: 'text'`` (or ``file:line: NAME`` for a constant)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    relative = path.relative_to(root).as_posix()
    inside = wrapped_nodes(tree)
    constants = module_strings(tree)
    local_values = function_locals(tree)
    problems: list[str] = []

    def report(line: int, texts: list[str]) -> None:
        for text in texts:
            problem = f"{relative}:{line}: {text!r}"
            if (relative, text) not in ALLOWED and text not in NEUTRAL \
                    and problem not in problems:
                problems.append(problem)

    def check_value(value: ast.expr, line: int) -> None:
        report(line, literal_words(value, inside))
        if isinstance(value, ast.Name) and not value.id.isupper():
            for assigned in local_values.get(id(value), {}).get(value.id, ()):
                report(line, literal_words(assigned, inside))
        for name in (n.id for n in ast.walk(value) if isinstance(n, ast.Name)
                     and id(n) not in inside and n.id.isupper()):
            constant = constants.get(name)
            if constant is not None and is_text(constant):
                report(line, literal_words(constant, inside))
        for table in (n for n in ast.walk(value) if isinstance(n, ast.Subscript)
                      and isinstance(n.value, ast.Name) and n.value.id.isupper()):
            constant = constants.get(table.value.id)     # HELP["pcap"]: HELP's texts
            if isinstance(constant, ast.Dict):
                for entry in constant.values:
                    report(line, literal_words(entry, inside))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for value in _shown_arguments(node):
                check_value(value, node.lineno)
            if isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext") \
                    and node.args and isinstance(node.args[0], ast.Name):
                # _(NAME): NAME must be N_-marked, or Babel never extracts it
                constant = constants.get(node.args[0].id)
                if constant is not None and not (
                        isinstance(constant, ast.Call)
                        and getattr(constant.func, "id", "") in WRAPPERS):
                    report(node.lineno, literal_words(constant, set()))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr in SHOWN_ATTRIBUTES:
                    check_value(node.value, node.lineno)
    return sorted(problems, key=lambda problem: int(problem.split(":")[1]))


def gettext_shadowed(path: Path, root: Path = PACKAGE) -> list[str]:
    """A module that uses gettext's ``_`` must never bind ``_`` to something else (a
    loop variable, an unpacking): the next ``_("...")`` would call it."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    imports_gettext = any(
        isinstance(node, ast.ImportFrom) and any(alias.name == "_" for alias in node.names)
        for node in ast.walk(tree))
    if not imports_gettext:
        return []
    relative = path.relative_to(root).as_posix()
    # A comprehension's variables live in the comprehension's own scope: harmless.
    in_comprehension = {id(name) for node in ast.walk(tree) if isinstance(node, ast.comprehension)
                        for name in ast.walk(node.target)}
    return [f"{relative}:{node.lineno}: '_' rebound" for node in ast.walk(tree)
            if isinstance(node, ast.Name) and node.id == "_"
            and isinstance(node.ctx, ast.Store) and id(node) not in in_comprehension]


def modules(package: str) -> list[Path]:
    root = PACKAGE / package if package else PACKAGE
    found = sorted(root.rglob("*.py")) if package else sorted(root.glob("*.py"))
    return [path for path in found if "protocol" not in path.relative_to(PACKAGE).parts]


#: The packages scanned, one test each (the top-level modules are "").
PACKAGES = sorted({path.relative_to(PACKAGE).parts[0] for path in PACKAGE.iterdir()
                   if path.is_dir() and (path / "__init__.py").exists()
                   and path.name != "protocol"} | {""})


@pytest.mark.parametrize("package", PACKAGES)
def test_every_user_facing_string_is_translatable(package):
    problems = [problem for path in modules(package) for problem in untranslated(path)]
    assert problems == []


def test_gettext_is_never_shadowed():
    problems = [problem for path in modules("") + [p for name in PACKAGES if name
                                                   for p in modules(name)]
                for problem in gettext_shadowed(path)]
    assert problems == []


def test_every_allowed_literal_is_still_in_the_code():
    """The allow-list does not outlive its strings."""
    stale = [key for key in ALLOWED
             if key[1] not in (PACKAGE / key[0]).read_text(encoding="utf-8")]
    assert stale == []


def test_the_scan_finds_what_it_must(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        'from smtpsim.i18n import N_, _\n'
        'TITLE = "Delivered mail"\n'
        'MARKED = N_("Marked title")\n'
        'PLAIN = "plain constant"\n'
        'def f(app, widget, name):\n'
        '    app.notify("Nothing was exported")\n'
        '    widget.border_title = "the message as stored"\n'
        '    print(f"cannot read {name}: gone")\n'
        '    Label(_(PLAIN))\n'
        '    Label(TITLE)\n'
        '    Label(_(MARKED))\n'
        '    Static(_("fine {x}").format(x=1))\n'
        '    Text("EHLO", "bold")\n'
        '    for _ in range(3):\n'
        '        pass\n'
        'def g(prompt, closed, done):\n'
        '    label = "closed" if closed else "C:"\n'
        '    prompt.update(label)\n'
        '    shown = _("fine")\n'
        '    prompt.update(shown)\n'
        '    return Answer("quit.ok", {}, ("the transaction was discarded",) if done else ())\n',
        encoding="utf-8")
    found = untranslated(sample, tmp_path)
    shadowed = gettext_shadowed(sample, tmp_path)
    assert found == ["sample.py:6: 'Nothing was exported'",
                     "sample.py:7: 'the message as stored'",
                     "sample.py:8: 'cannot read '",
                     "sample.py:8: ': gone'",
                     "sample.py:9: 'plain constant'",
                     "sample.py:10: 'Delivered mail'",
                     "sample.py:18: 'closed'",
                     "sample.py:21: 'the transaction was discarded'"]
    assert shadowed == ["sample.py:14: '_' rebound"]
