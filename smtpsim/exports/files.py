"""Every export file by name: for ``smtpsim run``, F9 and ``smtpsim exam --print``.

``smtpsim run FILE --pcap OUT.pcapng --mermaid OUT.md --svg OUT.svg`` and the app's
F9 both end here, with the transcript entries of the session just played;
``smtpsim exam --print --format moodle|gift`` with an exam.  The writers are
imported only when their file is asked for.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..i18n import N_, _
from ..mta.transcript import Entry

if TYPE_CHECKING:
    from ..course.exam import Exam
    from ..mta.dns import Zone
    from ..mta.hops import Hop
    from .tcp import Stream

HELP = {
    "pcap": N_("also write the session as a Wireshark capture (pcapng)"),
    "mermaid": N_("also write the session as a Mermaid sequence diagram (Markdown)"),
    "svg": N_("also write the session as a sequence diagram in SVG"),
    "notes": N_("with --mermaid/--svg: a note with the explanation of every reply"),
}


def add_export_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pcap", metavar="OUT.pcapng", help=_(HELP["pcap"]))
    parser.add_argument("--mermaid", metavar="OUT.md", help=_(HELP["mermaid"]))
    parser.add_argument("--svg", metavar="OUT.svg", help=_(HELP["svg"]))
    parser.add_argument("--notes", action="store_true", help=_(HELP["notes"]))


def _pcap(entries: Sequence[Entry], path: Path, notes: bool) -> None:
    from .pcapng import write_capture
    write_capture(entries, path)


def _mermaid(entries: Sequence[Entry], path: Path, notes: bool) -> None:
    from .sequence import mermaid_markdown
    from .tcp import hosts_of
    path.write_text(mermaid_markdown(entries, hosts_of(entries), notes), encoding="utf-8")


def _svg(entries: Sequence[Entry], path: Path, notes: bool) -> None:
    from .sequence_svg import sequence_svg
    from .tcp import hosts_of
    path.write_text(sequence_svg(entries, hosts_of(entries), notes), encoding="utf-8")


WRITERS: dict[str, Callable[[Sequence[Entry], Path, bool], None]] = {
    "pcap": _pcap, "mermaid": _mermaid, "svg": _svg}


def export_requested(args: argparse.Namespace) -> bool:
    """Whether the options ask for any file of this module."""
    return any(getattr(args, name, None) for name in WRITERS)


class EntriesKept:
    """A ``smtpsim run`` writer that keeps every entry: a capture or a diagram is drawn
    from the whole session, so it is the one output that holds the session in memory
    (only when such a file is asked for)."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []

    def entry(self, entry: Entry) -> None:
        self.entries.append(entry)

    def finish(self, session: object) -> None:
        """Nothing to flush: :func:`write_requested` writes the files afterwards."""


def hop_streams(entries: Sequence[Entry], hops: Sequence[Hop],
                zone: Zone | None) -> list[Stream]:
    """The later hops that spoke SMTP (a refused or silent server has no dialogue), each
    its own TCP stream.  The two hosts of the first hop (``entries``) keep the addresses
    they have in its stream; the others get the ones the simulated DNS gives them."""
    from .pcapng import hop_stream
    from .tcp import CLIENT_ADDRESS, CLIENT_PORT, SERVER_ADDRESS, SMTP_PORT, Endpoint, hosts_of
    first = dict(zip(hosts_of(entries), (CLIENT_ADDRESS, SERVER_ADDRESS), strict=False))

    def address(host: str, fallback: str) -> str:
        return first.get(host) or (zone.address(host) if zone is not None else None) \
            or fallback
    streams = []
    for number, hop in enumerate(hops, 1):
        entries = [e for e in hop.transcript if e.side != "*"]
        if not entries:
            continue
        streams.append(hop_stream(list(hop.transcript), Endpoint(
            hop.client, address(hop.client, "192.0.2.25"), CLIENT_PORT + number),
            Endpoint(hop.server, address(hop.server, "198.51.100.99"), SMTP_PORT)))
    return streams


def write_requested(args: argparse.Namespace, entries: Sequence[Entry],
                    later: Sequence[Stream] = ()) -> list[Path]:
    """Write every file the options ask for; ``later``: the capture's streams of hop 2
    and after (``run --follow``).  An unwritable path raises OSError."""
    written = []
    for name, writer in WRITERS.items():
        target = getattr(args, name, None)
        if not target:
            continue
        if name == "pcap" and later:
            from .pcapng import write_capture
            write_capture(entries, Path(target), more=later)
        else:
            writer(entries, Path(target), bool(getattr(args, "notes", False)))
        written.append(Path(target))
    return written


# F9: beside the script and the Markdown handout, the same session for Wireshark and slides.
SESSION_FILES = (("pcap", ".pcapng"), ("mermaid", ".sequence.md"), ("svg", ".svg"))


def write_session_files(entries: Sequence[Entry], stem: Path) -> list[Path]:
    """``stem.pcapng``, ``stem.sequence.md`` and ``stem.svg``; return their paths."""
    paths = []
    for name, suffix in SESSION_FILES:
        path = stem.with_name(stem.name + suffix)
        WRITERS[name](entries, path, False)
        paths.append(path)
    return paths


def quiz_file(exam: Exam, format_name: str) -> str:
    """The exam's questions, with their answers, as Moodle XML or GIFT."""
    if format_name == "moodle":
        from .moodle import moodle_xml
        return moodle_xml(exam.questions, exam.seed)
    if format_name == "gift":
        from .moodle import gift_text
        return gift_text(exam.questions, exam.seed)
    raise ValueError(f"not a quiz format: {format_name!r}")
