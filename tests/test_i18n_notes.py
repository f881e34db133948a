"""Transcript notes (the ``*`` lines) and the client's errors in the learner's language:
recorded once, said again in whatever language is chosen when they are shown - also
after a live switch - while the English text stays what the transcript holds."""

import asyncio

import pytest

from smtpsim import i18n, settings
from smtpsim.cli import main
from smtpsim.mta import Session, compose
from smtpsim.mta.explain import explain_entry
from smtpsim.mta.phrases import error_text, note_text, say
from smtpsim.net.client import RemoteError, send_message
from smtpsim.protocol import ProtocolError


@pytest.fixture
def italian():
    i18n.set_language("it")
    yield
    i18n.set_language("en")


def test_a_hang_up_note_follows_the_language_of_the_moment():
    session = Session("modern")
    session.type_lines(["HELO client.example", "MAIL FROM:<alice@client.example>"])
    note = session.hang_up()[-1]
    assert note.text == ("client.example closed the connection with a transaction open: "
                         "the server drops it (RFC 5321 3.8)")
    try:
        i18n.set_language("it")
        assert note_text(note.lines) == ("client.example ha chiuso la connessione con una "
                                          "transazione aperta: il server la scarta "
                                          "(RFC 5321 3.8)",)
        assert explain_entry(note).why == note_text(note.lines)[0]
        with pytest.raises(ProtocolError) as closed:
            session.type_line("NOOP")
        assert error_text(closed.value) == "la connessione è chiusa; aprirne una nuova"
    finally:
        i18n.set_language("en")
    assert note_text(note.lines) == (note.text,)


async def _hostile_server(lines: bytes):
    async def speak(reader, writer):
        writer.write(lines)
        await writer.drain()
        await reader.read(100)      # until the client gives up and closes
        writer.close()
    server = await asyncio.start_server(speak, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


def test_a_server_that_speaks_no_smtp_is_explained_in_italian(italian):
    async def run():
        server, port = await _hostile_server(b"HTTP/1.1 400 Bad Request\r\n" * 25)
        async with server:
            message = compose("alice@client.example", ["bob@mail.example"], "s", "body")
            return await send_message("127.0.0.1", port, message, timeout=5)
    transcript, client = asyncio.run(run())
    notes = [line for entry in transcript if entry.side == "*"
             for line in note_text(entry.lines)]
    assert notes[:1] == ["la risposta del server a <saluto> non può essere SMTP: 20 righe di "
                     "seguito che non sono righe di risposta SMTP (tre cifre, poi uno spazio "
                     "o '-'); la connessione è stata chiusa"]
    assert say(client.failure) == notes[0]      # what `smtpsim send` prints last


def test_cannot_connect_in_italian(italian):
    async def run():
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        message = compose("alice@client.example", ["bob@mail.example"], "s", "body")
        await send_message("127.0.0.1", port, message, timeout=5)
    with pytest.raises(RemoteError, match=r"^impossibile collegarsi a 127\.0\.0\.1:\d+: "):
        asyncio.run(run())


def test_send_prints_the_notes_in_italian(capsys, tmp_path, monkeypatch):
    """``smtpsim send`` to a server that closes at once: the deferral note is Italian."""
    async def serve_and_send():
        async def close_at_once(reader, writer):
            writer.close()
        server = await asyncio.start_server(close_at_once, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            return await asyncio.to_thread(
                main, ["send", "--server", f"127.0.0.1:{port}", "--from", "alice@client.example",
                       "--to", "bob@mail.example", "--lang", "it", "--timeout", "5"])
    monkeypatch.setenv(settings.ENV_VAR, str(tmp_path))
    try:
        asyncio.run(serve_and_send())
    finally:
        i18n.set_language("en")
    out = capsys.readouterr().out
    assert ("* la connessione si è chiusa prima della risposta finale: il messaggio è "
            "rimandato") in out


def test_delivery_effects_are_explained_in_italian(italian):
    session = Session("modern")
    entries = session.type_lines(["HELO client.example", "MAIL FROM:<alice@client.example>",
                                  "RCPT TO:<bob@mail.example>", "DATA", "Subject: x", "",
                                  "ciao", "."])
    queued = entries[-1]
    assert queued.effects == ("delivered Q0001 to bob's mailbox",)   # the record: English
    extra = dict(explain_entry(queued).extra)
    assert extra["Effetto"] == "Q0001 consegnato a bob (casella di posta)"


def test_the_listen_log_notes_are_italian(italian):
    from smtpsim.net.connection import CLIENT_CLOSED
    from smtpsim.net.record import TextRecorder
    from smtpsim.protocol import State
    from smtpsim.protocol.phrase import Phrase
    recorder = TextRecorder(3, "client.example", "mail.example")
    recorder.note(Phrase(CLIENT_CLOSED), State.READY)
    assert recorder.pending == ["[3] * il client ha chiuso la connessione\n"]


def test_run_explain_in_italian_says_every_effect_and_answer_in_italian(tmp_path, capsys):
    """The effects of RSET and QUIT on an open transaction, and the states a 503 allows,
    are said in Italian by `run --explain --lang it` (the wire stays English)."""
    script = tmp_path / "s.txt"
    script.write_text("EHLO client.example\nRCPT TO:<bob@mail.example>\n"
                      "MAIL FROM:<alice@client.example>\nRSET\n"
                      "MAIL FROM:<alice@client.example>\nQUIT\n", encoding="utf-8")
    try:
        assert main(["run", "--lang", "it", "--explain", str(script)]) == 0
    finally:
        i18n.set_language("en")
    out = capsys.readouterr().out
    effects = [line.split("Effetto: ", 1)[1] for line in out.splitlines() if "Effetto: " in line]
    assert effects == ["la transazione aperta è stata scartata",
                       "la transazione non conclusa è stata scartata"]
    assert "RCPT è ammesso soltanto in MAIL o RCPT" in out and " or " not in out
