"""A session as a sequence diagram: its steps, and those steps as Mermaid.

Both diagrams (the Mermaid ``sequenceDiagram`` written here, and the picture of
:mod:`.sequence_svg`) draw the same :class:`Step` list, built from transcript entries:

* every command is an arrow from the host that sent it, every reply an arrow back
  (a multi-line reply is one arrow with one row per line);
* the message text after a 354 is one arrow, its first lines shown;
* a reply that changes the server's state is followed by a note with the change
  (RFC 5321 4.1.4 order of commands, as the engine's state table has it);
* what happens without a line on the wire (TURN reversing the roles, a client
  hanging up) is a note across both hosts;
* with ``notes=True`` every reply also gets its explanation (code meaning, reason,
  RFC sections), for a slide that teaches by itself.

After TURN (RFC 821 3.8) the same two hosts stay, with their arrows reversed.

:func:`short_explanation` is also each packet's comment in the capture (:mod:`.pcapng`):
the app's explanation pane shows everything ``explain_entry`` knows, a packet comment
in Wireshark or a note on a slide has room for one sentence - the heading (the code
and its meaning, or the command and its name), the reason, and the RFC sections.

**Mermaid.** ``smtpsim run FILE --mermaid OUT.md [--notes]``.  GitHub, GitLab and
most Markdown slide tools draw the fenced ``mermaid`` block.

Escaping follows Mermaid's sequence-diagram grammar (mermaid.js.org, "Sequence
diagrams"; its lexer, ``sequenceDiagram.jison``, reads a message's or a note's text
after ``:`` up to the first ``#``, ``;`` or newline, and takes ``#`` to the end of
the line for a comment):

* ``#`` and ``;`` would end the text, so every character that could be read as
  syntax is written as a Mermaid entity code, ``#35;`` and ``#59;``: before parsing
  Mermaid replaces each ``#code;`` by a placeholder without either character and
  shows it as the character after rendering ("Entity codes to escape characters");
* ``"``, ``<``, ``>``, ``&`` and ``%`` likewise (quotes delimit, ``<...>`` would be
  taken for HTML, ``%%`` starts a comment); a reply's rows are joined with
  ``<br/>``, the only markup written;
* the word ``end`` closes a block in Mermaid ("the word end could potentially break
  the diagram"): its ``e`` is written as ``#101;``, so the parser never sees it;
  ``style`` and ``classDef`` likewise, since Mermaid cuts the last ``;`` of a line
  where they stand before ``:`` and ``#`` (it would break the entity after them);
* participants get plain identifiers (``h1``, ``h2``) and show the host names as
  aliases, so no host name is ever parsed as syntax.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from ..i18n import N_, _
from ..mta.explain import explain_entry, explain_token
from ..mta.phrases import note_text
from ..mta.transcript import NOTE, SERVER, Entry
from .tcp import from_initiator

REMOTE = "remote"   # reply_id of a real server's reply: only its code can be explained
TEXT_BLOCK = N_("Message text, {count} line(s) as sent after the 354")
TEXT_END = N_(", ended by <CRLF>.<CRLF> (RFC 5321 4.1.1.4)")
TEXT_DOTS = N_("; a line starting with a dot gets a second one on the wire (RFC 5321 4.5.2)")
TEXT_ROWS_SHOWN = 6
MORE_TEXT = N_("… {count} more line(s) of message text")
STATE_CHANGE = N_("state {before} → {after}")
CUT = N_("The diagram stops here: the session has {count} transcript lines in all.")


@dataclass(frozen=True)
class Step:
    kind: str                 # "command", "reply", "text" (arrows) or "state", "event", "why"
    rows: tuple[str, ...]     # text rows, as sent (arrows) or as written (notes)
    source: int = 0           # 0: the host that opened the connection, 1: the other one
    target: int = 1           # for a note: the host it stands by (-1: across both)

    @property
    def is_arrow(self) -> bool:
        return self.kind in ("command", "reply", "text")


@dataclass(frozen=True)
class Diagram:
    hosts: tuple[str, str]    # (the initiator, the listener)
    steps: tuple[Step, ...]


def _text_rows(lines: list[str]) -> tuple[str, ...]:
    if len(lines) <= TEXT_ROWS_SHOWN + 1:
        return tuple(lines)
    hidden = len(lines) - TEXT_ROWS_SHOWN - 1   # the final "." stays visible
    return (*lines[:TEXT_ROWS_SHOWN], _(MORE_TEXT).format(count=hidden), lines[-1])


def diagram_of(entries: Sequence[Entry], hosts: tuple[str, str], notes: bool = False,
               max_steps: int = 2000) -> Diagram:
    """The steps of a diagram; a session longer than ``max_steps`` steps is cut there
    (with a note saying so): a slide cannot show ten thousand arrows."""
    steps: list[Step] = []
    text: list[str] = []
    text_source = 0

    def flush_text() -> None:
        if text:
            steps.append(Step("text", _text_rows(text), text_source, 1 - text_source))
            text.clear()

    for entry in entries:
        if len(steps) >= max_steps:
            flush_text()
            steps.append(Step("event", (_(CUT).format(count=len(entries)),), 0, -1))
            break
        if entry.side == NOTE:
            flush_text()
            steps.append(Step("event", note_text(entry.lines), 0, -1))
            continue
        source = 0 if from_initiator(entry) else 1
        if entry.in_data:
            text_source = source
            text.extend(entry.lines)
            continue
        flush_text()
        kind = "reply" if entry.side == SERVER else "command"
        steps.append(Step(kind, tuple(entry.lines), source, 1 - source))
        if entry.side == SERVER:
            if entry.before is not entry.after:
                steps.append(Step("state", (_(STATE_CHANGE).format(
                    before=entry.before.value, after=entry.after.value),), source, source))
            if notes:
                why = short_explanation(entry)
                if why:
                    steps.append(Step("why", (why,), source, -1))
    flush_text()
    return Diagram(hosts, tuple(steps))



def short_explanation(entry: Entry) -> str:
    """``250 2.1.0 - Requested mail action okay, completed: why... (RFC 5321 4.1.1.2)``.

    Message text gets a comment only where it teaches something: a line starting
    with a dot (transparency) and the final dot; other text lines get none.
    """
    if entry.side == NOTE:
        return "\n".join(note_text(entry.lines))
    if entry.in_data and len(entry.lines) > 1:
        return text_block(entry.lines)
    if entry.in_data and not entry.text.startswith("."):
        return ""
    explanation = explain_entry(entry)
    text, why, rfc = explanation.heading, explanation.why, explanation.rfc
    if entry.side == SERVER and entry.reply_id == REMOTE and entry.code is not None:
        # Why a real server chose its reply only it knows: the code's meaning and the
        # sections that define it are what can be said.
        code = explain_token(f"{entry.code:03d}")
        why, rfc = "", code.rfc if code is not None else ()
    if why and why != explanation.heading:
        text += ": " + " ".join(why.split())
    if rfc:
        text += " (" + "; ".join(rfc) + ")"
    return text


def text_block(lines: tuple[str, ...]) -> str:
    """Several lines of message text in one entry (the client MTA's whole message)."""
    ended = lines[-1] == "."
    text = _(TEXT_BLOCK).format(count=len(lines) - ended) + (_(TEXT_END) if ended else "")
    if any(line.startswith(".") for line in lines[:-1]):
        text += _(TEXT_DOTS)
    return text


# -- Mermaid --------------------------------------------------------------------------------
HEADING = N_("# SMTP session: {client} and {server}")
ABOUT = N_("Made by smtpsim from the transcript: each command and reply is an arrow, "
           "state changes are notes{notes}.")
ABOUT_NOTES = N_(", and every reply is explained")
NOTE_WIDTH = 60
# Characters that Mermaid could read as syntax inside a message or note.
ENTITY = {"#": "#35;", ";": "#59;", '"': "#34;", "<": "#60;", ">": "#62;", "&": "#38;",
          "%": "#37;", "\\": "#92;", "`": "#96;", "{": "#123;", "}": "#125;"}
# Words Mermaid acts on inside text: "end" (blocks), "style"/"classDef" (its pre-parser).
KEYWORDS_IN_TEXT = re.compile(r"\b([Ee])(nd)\b|(s)(tyle)|(c)(lassDef)")
IDS = ("h1", "h2")


def mermaid_escape(text: str) -> str:
    """One row of text, safe anywhere Mermaid reads message or note text."""
    out = "".join(ENTITY.get(c, c) if c.isprintable() else "#65533;" for c in text)
    return KEYWORDS_IN_TEXT.sub(_first_letter_as_entity, out)


def _first_letter_as_entity(match: re.Match) -> str:
    first, rest = [group for group in match.groups() if group is not None]
    return f"#{ord(first)};{rest}"


def _rows(rows: Sequence[str], width: int | None = None) -> str:
    lines: list[str] = []
    for row in rows:
        lines += textwrap.wrap(row, width) if width else [row]
    return "<br/>".join(mermaid_escape(line) for line in lines) or mermaid_escape(" ")


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
    lines += [f"    participant {ident} as {mermaid_escape(host)}"
              for ident, host in zip(IDS, diagram.hosts, strict=False)]
    lines += [step_line(step) for step in diagram.steps]
    return "\n".join(lines)


def mermaid_markdown(entries: Sequence[Entry], hosts: tuple[str, str],
                     notes: bool = False) -> str:
    diagram = diagram_of(entries, hosts, notes)
    return "\n".join([
        _(HEADING).format(client=hosts[0], server=hosts[1]), "",
        _(ABOUT).format(notes=_(ABOUT_NOTES) if notes else ""), "",
        "```mermaid", mermaid_diagram(diagram), "```", ""])
