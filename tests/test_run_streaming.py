"""``smtpsim run`` in constant memory, and with nothing raw reaching the terminal."""

from __future__ import annotations

import json
import subprocess
import sys

# The child's own peak (VmHWM, KiB): ru_maxrss would carry over the forked test process.
MEASURE = """
import sys
from smtpsim.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
with open("/proc/self/status") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
print(f"PEAK {peak}", file=sys.stderr)
sys.exit(code)
"""


def run_measured(*argv: str, timeout: float = 120) -> tuple[int, str, int]:
    proc = subprocess.run([sys.executable, "-c", MEASURE, *argv], capture_output=True,
                          timeout=timeout)
    err = proc.stderr.decode()
    peak = int(err.rsplit("PEAK ", 1)[1])
    return proc.returncode, err.rsplit("PEAK ", 1)[0], peak * 1024


def test_run_dev_zero_ends_with_one_line_in_bounded_memory():
    code, err, peak = run_measured("run", "/dev/zero", timeout=60)
    assert code == 1
    assert err == ("smtpsim: line 1 of /dev/zero is longer than 65536 octets without a line "
                   "end: a script holds one SMTP line a line (is it a text file?)\n")
    assert peak < 60_000_000, peak


def test_a_10_mb_script_runs_in_under_100_mb(tmp_path):
    one = ("MAIL FROM:<alice@client.example>\nRCPT TO:<bob@mail.example>\nDATA\n"
           "Subject: load\n\n" + "a line of text, long enough to count\n" * 250 + ".\n")
    count = 10_000_000 // len(one) + 1
    path = tmp_path / "big.txt"
    with open(path, "w") as handle:
        handle.write("EHLO client.example\n")
        for _ in range(count):
            handle.write(one)
        handle.write("QUIT\n")
    assert path.stat().st_size > 10_000_000
    out = tmp_path / "out.txt"
    with open(out, "wb") as sink:
        proc = subprocess.run([sys.executable, "-c", MEASURE, "run", str(path)], stdout=sink,
                              stderr=subprocess.PIPE, timeout=300)
    peak = int(proc.stderr.decode().rsplit("PEAK ", 1)[1]) * 1024
    assert proc.returncode == 0
    with open(out, "rb") as handle:
        last = handle.readlines()[-1]
    assert last == b"S: 221 2.0.0 mail.example closing connection\n" or last.startswith(b"S: 221")
    assert peak < 100_000_000, peak


def test_control_bytes_of_a_script_are_shown_as_tokens(tmp_path):
    path = tmp_path / "evil.txt"
    path.write_bytes(b"EHLO client.example\nNOOP \x1b]0;pwned\x07\nNOOP \xc2\x9b2J\n"
                     b"MAIL FROM:<alice@client.example>\nRCPT TO:<bob@mail.example>\nDATA\n"
                     b"\x1b]52;c;ZXZpbA==\x07 \x1b[2J \xc2\x9b31m\n.\nQUIT\n")
    proc = subprocess.run([sys.executable, "-m", "smtpsim", "run", str(path), "--explain"],
                          capture_output=True, timeout=60)
    out = proc.stdout.decode()
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out
    assert "C: NOOP <0x1B>]0;pwned<0x07>" in out
    assert "C: NOOP <0x9B>2J" in out
    assert "C: <0x1B>]52;c;ZXZpbA==<0x07> <0x1B>[2J <0x9B>31m" in out
    proc = subprocess.run([sys.executable, "-m", "smtpsim", "run", str(path), "--json"],
                          capture_output=True, timeout=60)
    assert b"\xc2\x9b" not in proc.stdout and b"\x1b" not in proc.stdout
    texts = [json.loads(line)["text"] for line in proc.stdout.decode().splitlines()]
    assert "NOOP \x9b2J" in texts                  # the same data, escaped as \\u009b
