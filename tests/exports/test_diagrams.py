"""Sequence diagrams: Mermaid source checked against Mermaid's documented grammar, the
SVG parsed as XML, golden files for both."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import pytest

from smtpsim.cli import main
from smtpsim.exports.sequence import diagram_of, mermaid_diagram, mermaid_escape, mermaid_markdown
from smtpsim.exports.sequence_svg import sequence_svg
from smtpsim.exports.tcp import hosts_of
from smtpsim.mta import Session

TRICKY = """\
EHLO client.example
MAIL FROM:<alice@client.example>
RCPT TO:<bob@mail.example>
DATA
Subject: the end; of "quotes" #hashtag %% not a comment
end
The End. <b>bold?</b> {braces} & `ticks` back\\slash style:#red;
..dot
.
NOOP end ; # "
QUIT
"""
# Mermaid's sequence-diagram statements that smtpsim writes (mermaid.js.org, "Sequence
# diagrams"): participant with alias, a message arrow, a note.
ID = r"[A-Za-z][A-Za-z0-9_]*"
STATEMENT = re.compile(
    rf"    (participant (?P<pid>{ID}) as (?P<alias>.+)"
    rf"|(?P<src>{ID})(?:->>|-->>)(?P<dst>{ID}): (?P<msg>.+)"
    rf"|Note (?:over (?P<o1>{ID}),(?P<o2>{ID})|(?:left|right) of (?P<side>{ID})): (?P<note>.+))")
KEYWORDS = {"end", "loop", "alt", "else", "opt", "par", "and", "rect", "critical", "break",
            "box", "note", "participant", "actor", "activate", "deactivate", "autonumber",
            "title", "over", "left", "right", "of", "as", "create", "destroy", "links", "link"}
ENTITY = re.compile(r"#(?:\d+|[a-z]+);")


def check_text(text: str) -> None:
    """Text after ':' (or an alias): Mermaid's lexer ends it at '#', ';' or a newline,
    so those appear only inside entity codes; no quotes, no '%%' comment, no markup
    other than <br/>, and never the word 'end'."""
    bare = ENTITY.sub("", text.replace("<br/>", ""))
    assert not set(bare) & set('#;"<>%`{}\\\n'), text
    assert not re.search(r"\bend\b", bare, re.IGNORECASE), text
    # Mermaid's pre-parser strips the last ';' of a line with style/classDef ... : ... #
    assert "style" not in text and "classDef" not in text, text


def check_mermaid(source: str) -> list[re.Match]:
    lines = source.split("\n")
    assert lines[0] == "sequenceDiagram"
    declared: set[str] = set()
    matches = []
    for line in lines[1:]:
        match = STATEMENT.fullmatch(line)
        assert match, f"not a sequence-diagram statement: {line!r}"
        ids = [v for k, v in match.groupdict().items()
               if k in ("pid", "src", "dst", "o1", "o2", "side") and v]
        assert not {i.lower() for i in ids} & KEYWORDS
        if match["pid"]:
            declared.add(match["pid"])
        else:
            assert set(ids) <= declared, "every participant is declared first"
        check_text(match["alias"] or match["msg"] or match["note"])
        matches.append(match)
    return matches


def decode(text: str) -> str:
    """What Mermaid shows: entity codes decoded, <br/> as a line break."""
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text).replace("<br/>", "\n")


def session_of(script: str, profile: str = "modern") -> Session:
    session = Session(profile)
    session.type_lines(script.splitlines())
    return session


@pytest.mark.parametrize("notes", [False, True])
def test_tricky_text_is_valid_mermaid_and_shows_as_sent(notes):
    session = session_of(TRICKY)
    entries = session.transcript.entries
    source = mermaid_diagram(diagram_of(entries, hosts_of(entries), notes))
    matches = check_mermaid(source)
    arrows = [decode(m["msg"]) for m in matches if m["msg"]]
    assert "NOOP end ; # \"" in arrows
    text = next(a for a in arrows if a.startswith("Subject:"))
    assert text.split("\n") == TRICKY.split("DATA\n")[1].split("\nNOOP")[0].split("\n")
    aliases = [m["alias"] for m in matches if m["alias"]]
    assert aliases == ["client.example", "mail.example"]
    notes_text = [decode(m["note"]) for m in matches if m["note"]]
    assert "state RCPT → DATA" in notes_text
    assert any("RFC 5321" in n for n in notes_text) == notes


def test_escape_handles_every_character_mermaid_reads_as_syntax():
    for raw in ("a;b", "#1", 'say "hi"', "end", "End", "the end.", "%%{init}%%", "<x>",
                "\x1b[31m", "weekend ending", "style:#x;", "classDef a:#1;", "lifestyle"):
        escaped = mermaid_escape(raw)
        check_text(escaped)
        assert decode(escaped) == raw.replace("\x1b", "\ufffd")


def test_turn_keeps_two_hosts_with_the_arrows_reversed():
    session = session_of("HELO client.example\nTURN\n", "classic")
    entries = session.transcript.entries
    matches = check_mermaid(mermaid_diagram(diagram_of(entries, hosts_of(entries))))
    arrows = [(m["src"], decode(m["msg"])) for m in matches if m["msg"]]
    assert ("h1", "TURN") in arrows
    assert ("h2", "HELO mail.example") in arrows          # the old server now sends
    assert ("h1", "221 client.example Service closing transmission channel") in arrows
    assert any("TURN accepted" in decode(m["note"]) for m in matches if m["note"])


def test_svg_is_well_formed_and_holds_every_line():
    session = session_of(TRICKY)
    entries = session.transcript.entries
    svg = sequence_svg(entries, hosts_of(entries), notes=True)
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    for line in ("MAIL FROM:<alice@client.example>", "NOOP end ; # \"",
                 "250 2.0.0 Ok: queued as Q0001", "state READY → MAIL"):
        assert line in texts
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")   # nothing to fetch
    width = float(root.get("width"))
    assert all(float(t.get("x")) < width for t in root.iter("{http://www.w3.org/2000/svg}text"))


def test_a_huge_session_is_cut_with_a_note():
    session = session_of("HELO client.example\n" + "NOOP\n" * 1500)
    entries = session.transcript.entries
    diagram = diagram_of(entries, hosts_of(entries), max_steps=100)
    assert len(diagram.steps) == 101 and "stops here" in diagram.steps[-1].rows[0]


def test_golden_files(snapshot):
    session = session_of(TRICKY)
    entries = session.transcript.entries
    snapshot.assert_match(mermaid_markdown(entries, hosts_of(entries), notes=True),
                          "tricky.mermaid.md")
    snapshot.assert_match(sequence_svg(entries, hosts_of(entries)), "tricky.svg")


def test_run_writes_mermaid_and_svg(tmp_path, capsys):
    script = tmp_path / "s.txt"
    script.write_text(TRICKY)
    out_md, out_svg = tmp_path / "s.md", tmp_path / "s.svg"
    assert main(["run", str(script), "--mermaid", str(out_md), "--svg", str(out_svg)]) == 0
    text = out_md.read_text()
    assert text.startswith("# SMTP session: client.example and mail.example")
    check_mermaid(text.split("```mermaid\n")[1].split("\n```")[0])
    ElementTree.fromstring(out_svg.read_text())


def test_a_real_servers_reply_is_explained_by_its_code_only():
    from smtpsim.exports.sequence import short_explanation
    from smtpsim.mta.transcript import Entry
    from smtpsim.protocol import Reply, State
    entry = Entry(3, "S", ("550 no such user here",), "mx.example", State.RCPT, State.RCPT,
                  reply=Reply(550, ("no such user here",)), reply_id="remote")
    from smtpsim.catalogue import load
    text = short_explanation(entry)
    # the code's title and sections, and no reason made up for that server's choice
    assert text.startswith(f"550 - {load().code(550)['title']} (RFC ")
    assert "RFC 5321" in text and text.endswith(")")


def test_every_svg_box_is_inside_the_picture_after_turn_too():
    session = session_of("HELO client.example\nTURN\n", "classic")
    entries = session.transcript.entries
    root = ElementTree.fromstring(sequence_svg(entries, hosts_of(entries), notes=True))
    width = float(root.get("width"))
    rects = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("x")]
    assert rects and all(float(r.get("x")) >= 10 and
                         float(r.get("x")) + float(r.get("width")) <= width - 10 for r in rects)
