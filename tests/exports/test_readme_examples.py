"""The README's section on Wireshark, Moodle and slides stays true: its picture is what
its command makes, and its tshark view is what tshark shows."""

from __future__ import annotations

import re
from pathlib import Path

from smtpsim.cli import main

from .wire import needs_tshark, tshark

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "first-transaction.txt"
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Use it with Wireshark, Moodle and your slides", 1)[1].split("\n## ")[0]


def test_the_committed_diagram_is_what_the_documented_command_makes(tmp_path, capsys):
    assert "smtpsim run examples/first-transaction.txt --svg screenshots/sequence-diagram.svg" \
        in SECTION
    assert main(["run", str(EXAMPLE), "--svg", str(tmp_path / "d.svg")]) == 0
    assert (tmp_path / "d.svg").read_text() == \
        (ROOT / "screenshots" / "sequence-diagram.svg").read_text()


@needs_tshark
def test_the_tshark_view_in_the_readme_is_what_tshark_shows(tmp_path, capsys):
    assert main(["run", str(EXAMPLE), "--pcap", str(tmp_path / "lunch.pcapng")]) == 0
    shown = [line.rstrip() for line in tshark(tmp_path / "lunch.pcapng").splitlines()]
    block = SECTION.split("`tshark -r lunch.pcapng`:\n\n```text\n", 1)[1].split("```")[0]
    rows = [row for row in block.splitlines() if row.strip() != "..."]
    assert len(rows) >= 10 and all(row in shown for row in rows)


@needs_tshark
def test_the_packet_comment_in_the_readme_is_what_tshark_shows(tmp_path, capsys):
    assert main(["run", str(EXAMPLE), "--pcap", str(tmp_path / "lunch.pcapng")]) == 0
    shown = tshark(tmp_path / "lunch.pcapng", "-Y", "smtp.response.code == 550", "-T",
                   "fields", "-e", "frame.comment").strip()
    block = SECTION.split("-e frame.comment`:\n\n```text\n", 1)[1].split("\n```")[0]
    assert block == shown and "RFC 5321 4.1.1.3" in shown


def test_the_readme_commands_run(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for line in re.findall(r"^smtpsim (run [^#\n]+?|exam [^#>\n]+?)\s*(?:>.*)?(?:#.*)?$",
                           SECTION, re.MULTILINE):
        args = line.replace("examples/", f"{ROOT}/examples/").split()
        args = [str(tmp_path / Path(a).name) if a.startswith("screenshots/") else a
                for a in args]
        assert main(args) == 0, line
    assert (tmp_path / "lunch.pcapng").exists() and (tmp_path / "lunch.md").exists()
