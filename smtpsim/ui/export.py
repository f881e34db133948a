"""Export a session: a replayable script (plain text) and an annotated Markdown handout
(and beside them, from ``smtpsim.exports``, a capture and a sequence diagram).

Plain text: the learner's lines, replayable with ``smtpsim run FILE`` (same profile
and faults, given on the first line), preceded by the whole transcript as ``#``
comments - ``smtpsim run`` skips comment lines outside DATA.  Markdown: the
transcript with every reply explained, for a handout or a hand-in.  Pure Python:
no Textual here, so the CLI and tests can use it directly.
"""

from __future__ import annotations

from pathlib import Path

from ..exports.files import write_session_files
from ..i18n import _
from ..mta import Session
from ..mta.explain import as_text, explain_entry
from ..mta.transcript import CLIENT, NOTE, SERVER, Transcript

PREFIX = {CLIENT: "C: ", SERVER: "S: ", NOTE: "* "}


def replay_command(session: Session, name: str = "FILE") -> str:
    faults = "".join(f" --fault {f.spec}" for f in session.faults)
    return f"smtpsim run {name} --profile {session.profile.name}{faults}"


def about_session(session: Session) -> str:
    return _("Profile **{profile}**; faults armed: {faults}.").format(
        profile=session.profile.name,
        faults=", ".join(f.spec for f in session.faults) or _("none"))


def as_script(session: Session) -> str:
    """Comments with the transcript, then exactly the lines the learner's client sent."""
    return transcript_script(session.transcript, replay_command(session))


def transcript_script(transcript: Transcript, replay: str) -> str:
    head = [_("# smtpsim session - replay it with: {replay}").format(replay=replay), "#"]
    head += ["# " + line for line in transcript.as_text().splitlines()]
    return "\n".join(head) + "\n\n" + transcript.client_script()


def as_markdown(session: Session) -> str:
    return transcript_markdown(session.transcript, about_session(session),
                               replay_command(session))


def transcript_markdown(transcript: Transcript, about: str, replay: str) -> str:
    out = [_("# SMTP session"), "", about, _("Replay: `{replay}`").format(replay=replay), "",
           _("## Transcript"), "", "```text", transcript.as_text(), "```", "",
           _("## Every reply explained"), ""]
    for entry in transcript:
        if entry.side != SERVER:
            continue
        out.append(f"### {entry.index}. `{entry.lines[0][:120]}`")
        if entry.answers:
            out.append(_("Answers `{command}`.").format(command=entry.answers[:120]))
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
    return export_transcript(session.transcript, folder, about_session(session),
                             replay_command(session))


def export_transcript(transcript: Transcript, folder: Path, about: str,
                      replay: str) -> tuple[Path, Path]:
    """Write both files for any transcript (``replay`` names the script as ``FILE``)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = next_free(folder, "smtpsim-session", ".txt")
    script.write_text(transcript_script(transcript, replay), encoding="utf-8",
                      errors="surrogateescape")
    markdown = script.with_suffix(".md")
    markdown.write_text(transcript_markdown(transcript, about, replay), encoding="utf-8",
                        errors="surrogateescape")
    write_session_files(transcript.entries, script.with_suffix(""))   # .pcapng, .svg, ...
    return script, markdown
