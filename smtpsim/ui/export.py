"""Export a session: a replayable script (plain text) and an annotated Markdown handout.

Plain text: the learner's lines, replayable with ``smtpsim run FILE`` (same profile
and faults, given on the first line), preceded by the whole transcript as ``#``
comments - ``smtpsim run`` skips comment lines outside DATA.  Markdown: the
transcript with every reply explained, for a handout or a hand-in.  Pure Python:
no Textual here, so the CLI and tests can use it directly.
"""

from __future__ import annotations

from pathlib import Path

from ..mta import Session
from ..mta.explain import as_text, explain_entry
from ..mta.transcript import CLIENT, NOTE, SERVER

PREFIX = {CLIENT: "C: ", SERVER: "S: ", NOTE: "* "}


def replay_command(session: Session, name: str = "FILE") -> str:
    faults = "".join(f" --fault {f.spec}" for f in session.faults)
    return f"smtpsim run {name} --profile {session.profile.name}{faults}"


def as_script(session: Session) -> str:
    """Comments with the transcript, then exactly the lines the learner's client sent."""
    head = [f"# smtpsim session - replay it with: {replay_command(session)}", "#"]
    head += ["# " + line for line in session.transcript.as_text().splitlines()]
    return "\n".join(head) + "\n\n" + session.transcript.client_script()


def as_markdown(session: Session) -> str:
    out = ["# SMTP session", "",
           f"Profile **{session.profile.name}**; faults armed: "
           f"{', '.join(f.spec for f in session.faults) or 'none'}.",
           f"Replay: `{replay_command(session)}`", "", "## Transcript", "", "```text",
           session.transcript.as_text(), "```", "", "## Every reply explained", ""]
    for entry in session.transcript:
        if entry.side != SERVER:
            continue
        out.append(f"### {entry.index}. `{entry.lines[0][:120]}`")
        if entry.answers:
            out.append(f"Answers `{entry.answers[:120]}`.")
        out += ["", "```text", as_text(explain_entry(entry)), "```", ""]
    return "\n".join(out)


def next_free(folder: Path, stem: str, suffix: str) -> Path:
    """``stem-001.suffix``, ``stem-002.suffix``...: never overwrite an earlier export."""
    for number in range(1, 10_000):
        path = folder / f"{stem}-{number:03d}{suffix}"
        if not path.exists():
            return path
    raise OSError(f"too many exports in {folder}")


def export_session(session: Session, folder: Path) -> tuple[Path, Path]:
    """Write both files; return their paths (the app shows them)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = next_free(folder, "smtpsim-session", ".txt")
    script.write_text(as_script(session), encoding="utf-8", errors="surrogateescape")
    markdown = script.with_suffix(".md")
    markdown.write_text(as_markdown(session), encoding="utf-8", errors="surrogateescape")
    return script, markdown
