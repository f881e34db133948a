"""Operational limits with their RFC replies: idle timeout, connection limit, shutdown,
the error limit, bare LF in DATA, telnet's CR NUL, and a store that fails."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys

from netwire import Wire, until

from smtpsim.net import MaildirStore
from smtpsim.net.maildir import messages


async def test_idle_timeout_421_then_close(start_server, tmp_path):
    server = await start_server(idle_timeout=0.3, store=MaildirStore(tmp_path),
                                keep_in_memory=False)
    wire = await Wire.open(server)
    await wire.code()
    assert (await wire.start_data())[-1] == 354
    await wire.send(b"Subject: never finished\r\n")
    assert await wire.reply(timeout=3) == [
        b"421 4.4.2 mail.example Error: timeout exceeded, closing transmission channel"]
    assert await wire.at_eof()
    assert messages(tmp_path, "bob") == [] and not server.connections


async def test_input_keeps_an_idle_timer_from_firing(start_server):
    server = await start_server(idle_timeout=1.0)
    wire = await Wire.open(server)
    await wire.code()
    for _ in range(5):                    # 5 x 0.25 s > 1 s, but never idle that long
        await asyncio.sleep(0.25)
        assert await wire.command(b"NOOP") == [b"250 2.0.0 OK"]
    assert (await wire.reply(timeout=3))[0].startswith(b"421 4.4.2")


async def test_too_many_connections_421_then_close(start_server):
    server = await start_server(max_connections=2)
    first, second = await Wire.open(server), await Wire.open(server)
    assert [await first.code(), await second.code()] == [220, 220]
    third = await Wire.open(server)
    assert await third.reply() == [
        b"421 4.7.0 mail.example Error: too many connections, try again later"]
    assert await third.at_eof()
    await first.command(b"QUIT")
    assert await first.at_eof()
    await until(lambda: len(server.connections) == 1)   # the server has let it go
    fourth = await Wire.open(server)
    assert await fourth.code() == 220     # a place came free
    assert await second.command(b"NOOP") == [b"250 2.0.0 OK"]


async def test_shutdown_sends_421_to_every_open_session(start_server, tmp_path):
    server = await start_server(store=MaildirStore(tmp_path), keep_in_memory=False)
    idle, in_data = await Wire.open(server), await Wire.open(server)
    await idle.code()
    await in_data.code()
    assert (await in_data.start_data())[-1] == 354
    await in_data.send(b"Subject: interrupted\r\n\r\nhalf")
    await asyncio.sleep(0.05)
    await server.shutdown()
    shutdown = b"421 4.3.2 mail.example Service shutting down, closing transmission channel"
    for wire in (idle, in_data):
        assert await wire.reply() == [shutdown]
        assert await wire.at_eof()
    assert messages(tmp_path, "bob") == [] and not server.connections


async def test_error_limit_421_from_the_engine(start_server):
    server = await start_server("hardened")
    wire = await Wire.open(server)
    await wire.code()
    await wire.send(b"BOGUS\r\n" * 5)
    codes = [await wire.code() for _ in range(5)]
    assert codes == [500, 500, 500, 500, 421]
    assert await wire.at_eof()


async def test_bare_lf_never_ends_data(start_server):
    server = await start_server()
    wire = await Wire.open(server)
    await wire.code()
    assert (await wire.start_data())[-1] == 354
    await wire.send(b"smuggle\n.\nMAIL FROM:<evil@client.example>\r\n")
    await wire.send(b".\r\n")
    # The first reply after 354 is the one to the real final dot: LF.LF ended nothing, and
    # the smuggled MAIL got no reply of its own - the NOOP's is the very next one.
    assert (await wire.reply())[0].startswith(b"250 2.0.0 Ok: queued as")
    assert await wire.command(b"NOOP") == [b"250 2.0.0 OK"]
    mailbox = server.world.server.users["bob"].mailbox
    assert len(mailbox) == 1 and mailbox[0].content.endswith(
        b"\r\nsmuggle\n.\nMAIL FROM:<evil@client.example>\r\n")


async def test_telnet_cr_nul_is_answered_and_explained(start_server):
    seen = []
    server = await start_server(on_entries=lambda cid, entries: seen.extend(entries))
    wire = await Wire.open(server)
    await wire.code()
    await wire.send(b"HELO client.example\r\x00")       # telnet in character mode
    assert await wire.reply() == [b"501 5.5.2 Syntax error: CR NUL is not a line ending, "
                                  b"use CR LF"]
    assert await wire.command(b"HELO client.example") == [
        b"250 mail.example Hello client.example"]
    from smtpsim.mta.explain import explain_entry
    reply = next(e for e in seen if e.side == "S" and e.code == 501)
    assert reply.reply_id == "line.cr_nul"
    assert "telnet" in explain_entry(reply).why and "RFC 854" in explain_entry(reply).rfc


async def test_a_failing_store_gives_451_and_nothing_is_delivered(start_server):
    calls = []

    def broken_store(copies):
        calls.append(copies)
        raise OSError(28, "No space left on device")

    server = await start_server(store=broken_store)
    wire = await Wire.open(server)
    await wire.code()
    assert (await wire.start_data(b"staff@mail.example"))[-1] == 354
    await wire.send(b"hello\r\n.\r\n")
    assert await wire.reply() == [b"451 4.3.0 Requested action aborted: local error in "
                                  b"processing, message not stored"]
    assert len(calls[0]) == 3          # bob, carol, dave: all or nothing
    assert all(not u.mailbox for u in server.world.server.users.values())
    assert server.accepted_messages == 0


async def test_maildir_removes_partial_copies_when_one_fails(tmp_path):
    from smtpsim.mta.delivery import Copy
    from smtpsim.mta.world import Message
    store = MaildirStore(tmp_path)
    message = Message("a@client.example", ("staff@mail.example",), b"x\r\n", "MAIL", "Q1")
    (tmp_path / "carol").write_text("not a directory")     # carol's Maildir cannot be made
    try:
        store([Copy("bob", "mailbox", message), Copy("carol", "mailbox", message)])
    except OSError:
        pass
    else:
        raise AssertionError("the store should have failed")
    assert list((tmp_path / "bob" / "new").iterdir()) == []
    assert list((tmp_path / "bob" / "tmp").iterdir()) == []


async def test_sigterm_sends_421_and_exits_cleanly(tmp_path):
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "smtpsim", "serve", "--port", "0", "--maildir", str(tmp_path),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        banner = (await asyncio.wait_for(process.stdout.readline(), 20)).decode()
        port = int(banner.split("listening on 127.0.0.1:")[1].split()[0])
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        assert (await reader.readline()).startswith(b"220 ")
        writer.write(b"EHLO client.example\r\n")
        await writer.drain()
        while (await reader.readline())[3:4] == b"-":
            pass
        process.send_signal(signal.SIGTERM)
        assert (await asyncio.wait_for(reader.readline(), 10)).startswith(b"421 4.3.2")
        assert await reader.read() == b""
        out, err = await asyncio.wait_for(process.communicate(), 10)
        assert process.returncode == 0, err
        assert b"stopped after 1 connection(s)" in out and b"Traceback" not in err
        assert b"[1] S: 421 4.3.2" in out
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_a_maildir_removed_while_serving_is_made_again(start_server, tmp_path):
    import shutil
    server = await start_server(store=MaildirStore(tmp_path, fsync=False),
                                keep_in_memory=False)
    wire = await Wire.open(server)
    await wire.code()
    for round_ in range(3):
        assert (await wire.start_data())[-1] == 354
        assert (await wire.command(b"Subject: %d\r\n\r\nhi\r\n." % round_))[0].startswith(
            b"250 2.0.0")
        assert len(list((tmp_path / "bob" / "new").iterdir())) == 1
        if round_ == 0:
            shutil.rmtree(tmp_path / "bob")                  # the whole Maildir
        else:
            shutil.rmtree(tmp_path / "bob" / "new")          # only new/
    await wire.close()


async def test_a_hundred_rcpts_to_one_mailbox_store_one_file(start_server, tmp_path):
    server = await start_server(store=MaildirStore(tmp_path, fsync=False),
                                keep_in_memory=False)
    wire = await Wire.open(server)
    await wire.code()
    await wire.command(b"EHLO client.example")
    await wire.command(b"MAIL FROM:<alice@client.example>")
    await wire.send(b"RCPT TO:<bob@mail.example>\r\n" * 100)
    replies = [await wire.reply() for _ in range(100)]
    assert replies[0] == [b"250 2.1.5 Recipient <bob@mail.example> OK"]
    assert set(map(tuple, replies[1:])) == {
        (b"250 2.1.5 Recipient <bob@mail.example> OK (already a recipient: one copy)",)}
    assert (await wire.command(b"DATA"))[0].startswith(b"354 ")
    await wire.send((b"x" * 998 + b"\r\n") * 10_000 + b".\r\n")      # 10 MB
    assert (await wire.reply(timeout=30))[0].startswith(b"250 2.0.0")
    files = list((tmp_path / "bob" / "new").iterdir())
    assert len(files) == 1 and files[0].stat().st_size > 10_000_000
    await wire.close()
