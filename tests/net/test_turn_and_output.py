"""TURN on a real socket (classic only), and what ``smtpsim serve`` prints."""

from __future__ import annotations

import asyncio
import io

from netwire import Wire

from smtpsim.commands import net as net_cli


async def turn_around(server, reply_to_rcpt: bytes) -> tuple[list[bytes], Wire]:
    """Say TURN, then play the server that the old server now delivers to."""
    wire = await Wire.open(server)
    await wire.code()
    await wire.command(b"HELO client.example")
    assert await wire.command(b"TURN") == [b"250 OK, turning around: 1 message(s) waiting for you"]
    await wire.send(b"220 client.example ready\r\n")
    said = []
    for answer in (b"250 client.example", b"250 sender ok", reply_to_rcpt):
        said.append((await wire.reader.readline()).rstrip(b"\r\n"))
        await wire.send(answer + b"\r\n")
    return said, wire


async def test_turn_hands_the_queued_mail_to_whoever_asks(start_server):
    server = await start_server("classic")
    said, wire = await turn_around(server, b"250 recipient ok")
    assert said == [b"HELO mail.example", b"MAIL FROM:<postmaster@mail.example>",
                    b"RCPT TO:<alice@client.example>"]
    assert await wire.reader.readline() == b"DATA\r\n"
    await wire.send(b"354 go ahead\r\n")
    text = b""
    while not text.endswith(b"\r\n.\r\n"):
        text += await wire.reader.readline()
    assert b"Subject: Waiting for you\r\n" in text
    await wire.send(b"250 taken\r\n")
    assert await wire.reader.readline() == b"QUIT\r\n"
    await wire.send(b"221 bye\r\n")
    assert await wire.at_eof()
    assert server.world.server.queue == []          # handed out, never authenticated


async def test_turn_refused_by_the_remote_keeps_the_message_queued(start_server):
    server = await start_server("classic")
    _said, wire = await turn_around(server, b"550 no such user here")
    assert await wire.reader.readline() == b"RSET\r\n"
    await wire.send(b"250 reset\r\n")
    assert await wire.reader.readline() == b"QUIT\r\n"
    await wire.send(b"221 bye\r\n")
    assert await wire.at_eof()
    assert [m.queue_id for m in server.world.server.queue] == ["Q0000"]


async def test_turn_is_502_on_modern(start_server):
    server = await start_server()
    wire = await Wire.open(server)
    await wire.code()
    await wire.command(b"EHLO client.example")
    assert await wire.command(b"TURN") == [b"502 5.5.1 TURN not implemented: use ETRN"]


async def test_serve_prints_connection_ids_and_explanations(start_server, monkeypatch):
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    server = await start_server(
        on_entries=lambda cid, entries: net_cli.print_entries(cid, entries, explain=True))
    wire = await Wire.open(server)
    await wire.code()
    await wire.command(b"RCPT TO:<bob@mail.example>")
    await wire.command(b"QUIT")
    assert await wire.at_eof()
    await server.shutdown()
    text = out.getvalue()
    assert "[1] * connection 1 from 127.0.0.1:" in text
    assert "[1] C: RCPT TO:<bob@mail.example>\n[1] S: 503 5.5.1" in text
    assert "[1]    | Why: " in text and "[1]    | See: RFC 5321" in text
    assert text.rstrip().endswith("[1] * connection 1 closed")


def test_server_address_parsing():
    assert net_cli.parse_server("127.0.0.1:2525") == ("127.0.0.1", 2525)
    assert net_cli.parse_server("[::1]:25") == ("::1", 25)
    for bad in ("nowhere", "host:", "host:0", "host:99999", ":25"):
        try:
            net_cli.parse_server(bad)
        except net_cli.UsageError:
            continue
        raise AssertionError(f"{bad!r} should be refused")


async def test_with_a_maildir_the_queue_is_on_disk_and_turn_and_etrn_find_it(start_server,
                                                                            tmp_path):
    import tracemalloc

    from smtpsim.net import MaildirStore
    from smtpsim.net.queue import DiskQueue
    server = await start_server("classic", store=MaildirStore(tmp_path, fsync=False),
                                keep_in_memory=False)
    queue = server.world.server.queue
    assert isinstance(queue, DiskQueue) and len(queue) == 1      # the world's Q0000, moved
    wire = await Wire.open(server)
    await wire.code()
    await wire.command(b"HELO client.example")
    await wire.command(b"MAIL FROM:<alice@client.example>")
    await wire.send(b"".join(b"RCPT TO:<u%d@client.example>\r\n" % n for n in range(40)))
    for _ in range(40):
        assert (await wire.reply())[0].startswith(b"250 ")
    assert (await wire.command(b"DATA"))[0].startswith(b"354")
    tracemalloc.start()
    await wire.send((b"y" * 998 + b"\r\n") * 2_000 + b".\r\n")     # 2 MB, 40 copies queued
    assert (await wire.reply(timeout=30))[0].startswith(b"250 ")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20_000_000, peak            # a few copies of the text, never forty
    assert len(queue) == 41
    assert len(list((tmp_path / "_queue" / "new").iterdir())) == 41
    assert server.world.server.users["bob"].mailbox == []
    assert await wire.command(b"QUIT")
    # TURN reads the queue back from disk: the first waiting message goes out first
    said, wire = await turn_around_counting(server, 41)
    assert said[:3] == [b"HELO mail.example", b"MAIL FROM:<postmaster@mail.example>",
                        b"RCPT TO:<alice@client.example>"]
    wire.abort()
    for _ in range(100):        # what the remote did not take goes back to the queue
        if len(queue) == 41:
            break
        await asyncio.sleep(0.02)
    assert len(queue) == 41
    assert len(list((tmp_path / "_queue" / "envelope").iterdir())) == 41


async def turn_around_counting(server, count: int) -> tuple[list[bytes], Wire]:
    wire = await Wire.open(server)
    await wire.code()
    await wire.command(b"HELO client.example")
    assert await wire.command(b"TURN") == [
        b"250 OK, turning around: %d message(s) waiting for you" % count]
    await wire.send(b"220 client.example ready\r\n")
    said = []
    for answer in (b"250 client.example", b"250 sender ok", b"250 ok"):
        said.append((await wire.reader.readline()).rstrip(b"\r\n"))
        await wire.send(answer + b"\r\n")
    return said, wire


async def test_etrn_delivers_from_the_disk_queue(start_server, tmp_path):
    from smtpsim.net import MaildirStore
    server = await start_server("modern", store=MaildirStore(tmp_path, fsync=False),
                                keep_in_memory=False)
    wire = await Wire.open(server)
    await wire.code()
    await wire.command(b"EHLO client.example")
    assert (await wire.command(b"ETRN client.example"))[0].startswith(b"253 2.0.0")
    assert len(server.world.server.queue) == 0
    assert list((tmp_path / "_queue" / "new").iterdir()) == []
    alice = server.world.client.users["alice"].mailbox
    assert [m.queue_id for m in alice] == ["Q0000"]
    assert b"Subject: Waiting for you" in alice[0].content
    await wire.close()


async def test_the_printed_transcript_is_the_same_with_or_without_entries(start_server):
    from smtpsim.net.record import format_entries
    dialogue = (b"EHLO client.example\r\nHELP\r\nMAIL FROM:<alice@client.example>\r\n"
                b"RCPT TO:<bob@mail.example>\r\nDATA\r\n\x1b[2Jline\r\n" + b"x\r\n" * 20
                + b".\r\nNOOP \x01\r\nQUIT\r\n")
    outputs = []
    for mode in ("entries", "text"):
        out: list[str] = []
        options = ({"on_entries": lambda cid, entries, out=out: out.append(
                        format_entries(cid, entries))}
                   if mode == "entries" else {"on_text": out.append})
        server = await start_server(**options)
        wire = await Wire.open(server)
        await wire.code()
        await wire.send(dialogue)
        rest = await asyncio.wait_for(wire.reader.read(), 5)
        assert rest.endswith(b"\r\n221 2.0.0 mail.example Service closing transmission "
                             b"channel\r\n"), rest
        await server.shutdown()
        outputs.append("".join(out).split("\n", 1)[1])   # after the line naming the port
    assert outputs[0] == outputs[1]
    assert "[1] C: <0x1B>[2Jline\n" in outputs[1] and "[1] C: NOOP <0x01>\n" in outputs[1]


async def test_serve_explains_the_too_many_connections_421_in_italian(start_server, monkeypatch):
    from smtpsim import i18n
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    i18n.set_language("it")
    try:
        server = await start_server(
            max_connections=1,
            on_entries=lambda cid, entries: net_cli.print_entries(cid, entries, explain=True))
        first = await Wire.open(server)
        assert await first.code() == 220
        second = await Wire.open(server)
        assert (await second.reply())[0].startswith(b"421 4.7.0")
        assert await second.at_eof()
        await server.shutdown()
    finally:
        i18n.set_language("en")
    text = out.getvalue()
    assert "| Risponde a: <connessione>" in text
    assert "<connection>" not in text
