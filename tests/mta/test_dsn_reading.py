"""Reading a bounce back: every part and field of a real DSN, explained; other mail: none."""

from __future__ import annotations

from smtpsim.mta import Session, default_world
from smtpsim.mta.dsn_reading import report_parts
from smtpsim.mta.live_queue import LiveQueue


def bounce_for(recipient: str) -> bytes:
    session = Session("modern", (), default_world())
    for line in ("EHLO client.example", "MAIL FROM:<alice@client.example>",
                 f"RCPT TO:<{recipient}>", "DATA", "Subject: s", "", "x", "."):
        session.type_line(line)
    LiveQueue(session.world).run_to_end()
    return session.world.client.users["alice"].mailbox[0].content


def test_a_bounce_of_an_unknown_user_has_its_three_parts_and_fields():
    rows = dict(report_parts(bounce_for("nobody@far.example")))
    lines = list(rows)
    assert lines[0] == "Content-Type: multipart/report; report-type=delivery-status"
    assert lines[1].startswith("text/plain: This is the mail system at host mail.example")
    assert "  Status: 5.1.1" in rows
    assert "  Remote-MTA: dns; mx1.far.example" in rows
    assert any(line.startswith("  Diagnostic-Code: smtp; 550 5.1.1") for line in lines)
    assert lines[-1] == "text/rfc822-headers"
    assert "RFC 3464 2.3.6" in rows[next(x for x in lines if "Diagnostic" in x)]


def test_ordinary_and_broken_mail_has_no_report_rows():
    assert report_parts(b"Subject: hi\r\n\r\nbody\r\n") == []
    assert report_parts(b"\x00\xff" * 1000) == []
    hostile = (b"Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n"
               b"\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n"
               + b"".join(b"X-F%d: v\r\n" % n for n in range(5000)) + b"--b--\r\n")
    assert len(report_parts(hostile)) < 300     # bounded, whatever the report holds
