"""A session as a Mermaid ``sequenceDiagram`` in Markdown, for slides and wikis.

``smtpsim run FILE --mermaid OUT.md [--notes]``.  GitHub, GitLab and most Markdown
slide tools draw the fenced ``mermaid`` block.

Escaping follows Mermaid's sequence-diagram grammar (mermaid.js.org, "Sequence
diagrams"; its lexer reads a message's text after ``:`` up to the first ``#``,
``;`` or newline):

* ``#`` and ``;`` would end the text, so every character that could be read as
  syntax is written as a Mermaid entity code, ``#35;`` and ``#59;`` - entity codes
  are decoded only after parsing ("Entity codes to escape characters");
* ``"``, ``<``, ``>``, ``&`` and ``%`` likewise (quotes delimit, ``<...>`` would be
  taken for HTML, ``%%`` starts a comment); a reply's rows are joined with
  ``<br/>``, the only markup written;
* the word ``end`` closes a block in Mermaid ("the word end could potentially break
  the diagram"): its ``e`` is written as ``#101;``, so the parser never sees it;
* participants get plain identifiers (``h1``, ``h2``) and show the host names as
  aliases, so no host name is ever parsed as syntax.
"""

from __future__ import annotations

import re
import textwrap
from typing import Sequence

from ..mta.transcript import Entry
from .sequence import Diagram, Step, diagram_of

HEADING = "# SMTP session: {client} and {server}"
ABOUT = ("Made by smtpsim from the transcript: each command and reply is an arrow, "
         "state changes are notes{notes}.")
ABOUT_NOTES = ", and every reply is explained"
NOTE_WIDTH = 60
# Characters that Mermaid could read as syntax inside a message or note.
ENTITY = {"#": "#35;", ";": "#59;", '"': "#34;", "<": "#60;", ">": "#62;", "&": "#38;",
          "%": "#37;", "\\": "#92;", "`": "#96;", "{": "#123;", "}": "#125;"}
END_WORD = re.compile(r"\b([Ee])(nd)\b")
IDS = ("h1", "h2")


def escape(text: str) -> str:
    """One row of text, safe anywhere Mermaid reads message or note text."""
    out = "".join(ENTITY.get(c, c) if c.isprintable() else "#65533;" for c in text)
    return END_WORD.sub(lambda m: f"#{ord(m.group(1))};{m.group(2)}", out)


def _rows(rows: Sequence[str], width: int | None = None) -> str:
    lines: list[str] = []
    for row in rows:
        lines += textwrap.wrap(row, width) if width else [row]
    return "<br/>".join(escape(line) for line in lines) or escape(" ")


def step_line(step: Step) -> str:
    if step.is_arrow:
        arrow = "-->>" if step.kind == "reply" else "->>"
        return f"    {IDS[step.source]}{arrow}{IDS[step.target]}: {_rows(step.rows)}"
    where = f"over {IDS[0]},{IDS[1]}" if step.target < 0 else (
        f"{'left' if step.target == 0 else 'right'} of {IDS[step.target]}")
    width = NOTE_WIDTH if step.kind in ("why", "event") else None
    return f"    Note {where}: {_rows(step.rows, width)}"


def mermaid_diagram(diagram: Diagram) -> str:
    """The ``sequenceDiagram`` source itself (without the Markdown fence)."""
    lines = ["sequenceDiagram"]
    lines += [f"    participant {ident} as {escape(host)}"
              for ident, host in zip(IDS, diagram.hosts)]
    lines += [step_line(step) for step in diagram.steps]
    return "\n".join(lines)


def mermaid_markdown(entries: Sequence[Entry], hosts: tuple[str, str],
                     notes: bool = False) -> str:
    diagram = diagram_of(entries, hosts, notes)
    return "\n".join([
        HEADING.format(client=hosts[0], server=hosts[1]), "",
        ABOUT.format(notes=ABOUT_NOTES if notes else ""), "",
        "```mermaid", mermaid_diagram(diagram), "```", ""])
