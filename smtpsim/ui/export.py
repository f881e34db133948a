"""Export a session: a replayable script (plain text) and an annotated Markdown handout
(and beside them, from ``smtpsim.exports``, a capture and a sequence diagram).

A session is one or more connections (:class:`Part`: its transcript, what it was, the
command that replays it).  Every format is an :class:`Exporter` in ``EXPORTERS``: it
turns the parts into files - (name suffix, text or bytes) - and knows nothing about
folders.  :func:`render` makes every file of every exporter asked for, in memory (a
browser download needs no disk); :func:`write` puts them in a folder, never over an
earlier export.  A new format is one more entry in ``EXPORTERS``.

* Script: the lines the client sent, replayable with ``smtpsim run FILE`` (same profile
  and faults, given on the first line), after the transcript as ``#`` comments - which
  ``smtpsim run`` skips outside DATA.  A script replays one connection: a session of
  several gives one script per connection.
* Markdown: every connection's transcript with each reply explained.

Pure Python: no Textual here, so the CLI and tests can use it directly.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..i18n import N_, _
from ..mta import Session
from ..mta.explain import as_text, explain_entry
from ..mta.transcript import SERVER, Transcript

DEFAULT_STEM = "smtpsim-session"
EXPORT_FOLDER = "smtpsim exports"
DATA_DIR_VARIABLE = "SMTPSIM_DATA_DIR"   # the same override as the course's user data

File = tuple[str, "str | bytes"]         # (name suffix, content)


@dataclass(frozen=True)
class Part:
    """One connection of a session, as an export sees it."""

    transcript: Transcript
    about: str          # one Markdown sentence: profile, faults, who talked to whom
    replay: str         # the command that replays it, naming the script FILE
    title: str = ""             # "" is "SMTP session", in the learner's language


@dataclass(frozen=True)
class Exporter:
    name: str                                   # short id: "script", "markdown"
    label: str                                  # what the export dialog lists
    render: Callable[[Sequence[Part]], list[File]]


def replay_command(session: Session, name: str = "FILE") -> str:
    faults = "".join(f" --fault {f.spec}" for f in session.faults)
    return f"smtpsim run {name} --profile {session.profile.name}{faults}"


def about_session(session: Session) -> str:
    return _("Profile **{profile}**; faults armed: {faults}.").format(
        profile=session.profile.name,
        faults=", ".join(f.spec for f in session.faults) or _("none"))


def session_part(session: Session, title: str = "") -> Part:
    return Part(session.transcript, about_session(session), replay_command(session), title)


# -- the formats ----------------------------------------------------------------------------
def transcript_script(transcript: Transcript, replay: str) -> str:
    head = [_("# smtpsim session - replay it with: {replay}").format(replay=replay), "#"]
    head += ["# " + line for line in transcript.as_text().splitlines()]
    return "\n".join(head) + "\n\n" + transcript.client_script()


def scripts(parts: Sequence[Part]) -> list[File]:
    if len(parts) == 1:
        return [(".txt", transcript_script(parts[0].transcript, parts[0].replay))]
    return [(f"-{n}.txt", transcript_script(part.transcript, part.replay))
            for n, part in enumerate(parts, 1)]


def transcript_markdown(transcript: Transcript, about: str, replay: str,
                        title: str = "", level: int = 1) -> str:
    """One connection; its replies numbered 1, 2, 3..."""
    head, sub = "#" * level, "#" * (level + 1)
    title = title or _("SMTP session")
    out = [f"{head} {title}", "", about,
           _("Replay: `{replay}`").format(replay=replay), "", f"{sub} " + _("Transcript"), "",
           "```text", transcript.as_text(), "```", "", f"{sub} " + _("Every reply explained"),
           ""]
    replies = [entry for entry in transcript if entry.side == SERVER]
    for number, entry in enumerate(replies, 1):
        out.append(f"{sub}# {number}. `{entry.lines[0][:120]}`")
        if entry.answers:
            out.append(_("Answers `{command}`.").format(command=entry.answers[:120]))
        out += ["", "```text", as_text(explain_entry(entry)), "```", ""]
    return "\n".join(out)


def markdown(parts: Sequence[Part]) -> list[File]:
    if len(parts) == 1:
        part = parts[0]
        return [(".md", transcript_markdown(part.transcript, part.about, part.replay,
                                            part.title))]
    out = ["# " + _("SMTP session: {count} connections").format(count=len(parts)), ""]
    for n, part in enumerate(parts, 1):
        out.append(transcript_markdown(part.transcript, part.about,
                                       part.replay.replace("FILE", f"FILE-{n}"),
                                       _("Connection {number}: {title}").format(
                                           number=n, title=part.title or _("SMTP session")),
                                       level=2))
    return [(".md", "\n".join(out))]


def numbered(parts: Sequence[Part], suffix: str) -> list[str]:
    """``.svg`` for one connection, ``-1.svg``, ``-2.svg`` ... for several."""
    return [suffix] if len(parts) == 1 else [f"-{n}{suffix}" for n in range(1, len(parts) + 1)]


def capture(parts: Sequence[Part]) -> list[File]:
    """One pcapng file; each connection is its own TCP stream in it (smtpsim.exports)."""
    from ..exports.pcapng import session_stream, write_pcapng
    out = io.BytesIO()
    write_pcapng([session_stream(list(part.transcript.entries), number=n)
                  for n, part in enumerate(parts)], out)
    return [(".pcapng", out.getvalue())]


def sequence_diagrams(parts: Sequence[Part]) -> list[File]:
    """A Mermaid sequence diagram (Markdown) and a self-drawn SVG of each connection."""
    from ..exports.sequence import mermaid_markdown
    from ..exports.sequence_svg import sequence_svg
    from ..exports.tcp import hosts_of
    files: list[File] = []
    for part, suffix in zip(parts, numbered(parts, ""), strict=False):
        entries = list(part.transcript.entries)
        hosts = hosts_of(entries)
        files.append((suffix + ".sequence.md", mermaid_markdown(entries, hosts, False)))
        files.append((suffix + ".svg", sequence_svg(entries, hosts, False)))
    return files


EXPORTERS: list[Exporter] = [
    Exporter("script", N_("script (.txt): the client's lines, replayable with smtpsim run"),
             scripts),
    Exporter("markdown", N_("Markdown (.md): the transcript with every reply explained"),
             markdown),
    Exporter("capture", N_("capture (.pcapng): the TCP streams, for Wireshark and tshark"),
             capture),
    Exporter("diagram", N_("sequence diagram (.sequence.md for Mermaid, .svg for slides)"),
             sequence_diagrams),
]


# -- rendering and writing ----------------------------------------------------------------
def render(parts: Sequence[Part], stem: str = DEFAULT_STEM,
           exporters: Sequence[Exporter] | None = None) -> list[tuple[str, str | bytes]]:
    """Every file of every exporter, as (file name, content), nothing written."""
    files = []
    for exporter in EXPORTERS if exporters is None else exporters:
        files += [(stem + suffix, content) for suffix, content in exporter.render(parts)]
    return files


def default_folder() -> Path:
    """Where exports go unless the user says otherwise: never the checkout or the current
    directory - the user's documents folder, else the user-data folder."""
    import platformdirs  # only when an export is made: not on the start-up path
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        return Path(override) / "exports"
    documents = platformdirs.user_documents_dir()
    if documents and Path(documents).is_dir():
        return Path(documents) / EXPORT_FOLDER
    return Path(platformdirs.user_data_dir("smtpsim", appauthor=False)) / "exports"


def next_free_stem(folder: Path, stem: str = DEFAULT_STEM) -> str:
    """``stem-001``, ``stem-002``...: the first whose files do not exist yet."""
    for number in range(1, 10_000):
        candidate = f"{stem}-{number:03d}"
        if not any(folder.glob(f"{_glob_safe(candidate)}*")):
            return candidate
    raise OSError(_("too many exports in {folder}").format(folder=folder))


def _glob_safe(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in text)


def write(files: Sequence[tuple[str, str | bytes]], folder: Path) -> list[Path]:
    """Write every file into ``folder``; refuse (OSError) to overwrite one that exists."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / name for name in files_names(files)]
    taken = [str(p) for p in paths if p.exists()]
    if taken:
        raise FileExistsError(_("already there, not overwritten: {files}").format(
            files=", ".join(taken)))
    for path, (_name, content) in zip(paths, files, strict=False):
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", errors="surrogateescape")
    return paths


def files_names(files: Sequence[tuple[str, str | bytes]]) -> list[str]:
    names = [name for name, _content in files]
    for name in names:
        if Path(name).name != name or name in ("", ".", ".."):
            raise OSError(_("not a plain file name: {name!r}").format(name=name))
    return names


def export_parts(parts: Sequence[Part], folder: Path, stem: str | None = None) -> list[Path]:
    """Render and write every format; ``stem`` None picks the next free one."""
    return write(render(parts, stem or next_free_stem(folder)), folder)
