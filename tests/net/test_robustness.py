"""Bad input, bad manners and load: the server keeps serving and never loses a 250."""

from __future__ import annotations

import asyncio
import random
import socket

from netwire import Wire, until

from smtpsim.net import MaildirStore
from smtpsim.net.maildir import messages

HELLO = b"EHLO client.example\r\n"
TRANSACTION = (b"MAIL FROM:<alice@client.example>\r\nRCPT TO:<bob@mail.example>\r\nDATA\r\n")


async def full_transaction(server, text: bytes = b"Subject: t\r\n\r\nhello\r\n") -> list[int]:
    wire = await Wire.open(server)
    codes = [await wire.code()]
    codes += await wire.start_data()
    await wire.send(text + b".\r\n")
    codes.append(await wire.code())
    codes.append(int((await wire.command(b"QUIT"))[-1][:3]))
    assert await wire.at_eof()
    await wire.close()
    return codes


OK_CODES = [220, 250, 250, 250, 354, 250, 221]


async def test_random_bytes_do_not_hurt_the_server(start_server, loop_errors, tmp_path):
    server = await start_server(store=MaildirStore(tmp_path), keep_in_memory=False)
    rng = random.Random(5321)
    for round_ in range(30):
        wire = await Wire.open(server)
        await wire.code()
        prefix = HELLO + TRANSACTION if round_ % 2 else b""
        noise = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4000)))
        await wire.send(prefix + noise)
        await asyncio.sleep(0)
        wire.abort()
    assert await full_transaction(server) == OK_CODES
    assert loop_errors == []
    assert len(messages(tmp_path, "bob")) == server.accepted_messages == 1


async def test_one_megabyte_lines_in_commands_and_in_data(start_server, loop_errors):
    server = await start_server()
    wire = await Wire.open(server)
    await wire.code()
    await wire.send(b"NOOP " + b"x" * 1_000_000 + b"\r\n")
    assert (await wire.reply())[0].startswith(b"500 5.5.2 Line too long")
    assert await wire.command(b"EHLO client.example")
    for line in TRANSACTION.split(b"\r\n")[:-1]:
        await wire.command(line)
    await wire.send(b"Subject: big\r\n\r\n" + b"y" * 1_000_000 + b"\r\n.\r\n")
    reply = await wire.reply()
    assert reply[0].startswith(b"500 5.5.2 Line too long: 1 text line(s) over 1000 octets")
    assert (await wire.command(b"NOOP")) == [b"250 2.0.0 OK"]
    await wire.close()
    assert server.world.server.users["bob"].mailbox == [] and loop_errors == []


async def test_abrupt_disconnects_mid_command_and_mid_data(start_server, loop_errors, tmp_path):
    server = await start_server(store=MaildirStore(tmp_path), keep_in_memory=False)
    bystander = await Wire.open(server)        # another session, open all along
    await bystander.code()
    await bystander.command(b"EHLO client.example")
    await bystander.command(b"MAIL FROM:<alice@client.example>")
    for cut in (b"MAIL FROM:<alice@cli", HELLO + TRANSACTION + b"Subject: half\r\n\r\nhalf a mess"):
        wire = await Wire.open(server)
        await wire.code()
        await wire.send(cut)
        if cut.startswith(HELLO):   # the server is in DATA when the text stops: 354 said so
            assert [await wire.code() for _ in range(4)] == [250, 250, 250, 354]
        wire.abort()
        await until(lambda: len(server.connections) == 1)   # the server saw it go
    assert messages(tmp_path, "bob") == [] and server.accepted_messages == 0
    # The bystander's transaction goes on as if nothing had happened.
    assert await bystander.command(b"RCPT TO:<bob@mail.example>") == [
        b"250 2.1.5 Recipient <bob@mail.example> OK"]
    assert (await bystander.command(b"DATA"))[0].startswith(b"354")
    await bystander.send(b"Subject: intact\r\n\r\nstill here\r\n.\r\n")
    assert (await bystander.reply())[0].startswith(b"250 2.0.0 Ok: queued as")
    await bystander.close()
    assert len(messages(tmp_path, "bob")) == 1 and loop_errors == []


async def test_a_slow_client_one_byte_at_a_time(start_server):
    server = await start_server()
    wire = await Wire.open(server)
    assert await wire.code() == 220
    script = HELLO + TRANSACTION
    for i in range(len(script)):
        await wire.send(script[i:i + 1])
        await asyncio.sleep(0.001)
    codes = [await wire.code() for _ in range(4)]
    for byte in b"slow\r\n.\r\n":
        await wire.send(bytes([byte]))
    codes.append(await wire.code())
    assert codes == [250, 250, 250, 354, 250]
    assert server.world.server.users["bob"].mailbox[-1].content.endswith(b"\r\nslow\r\n")
    await wire.close()


async def test_pipelined_input_gets_every_reply_in_order(start_server):
    server = await start_server()
    wire = await Wire.open(server)
    await wire.code()
    burst = (HELLO + TRANSACTION + b"one\r\n..two\r\n.\r\n" + b"NOOP\r\n" * 500
             + b"RCPT TO:<bob@mail.example>\r\n" + b"QUIT\r\n")
    await wire.send(burst)      # one write: RFC 2920 pipelining, far beyond any batch
    codes = [await wire.code() for _ in range(5 + 500 + 2)]
    assert codes == [250, 250, 250, 354, 250] + [250] * 500 + [503, 221]
    assert await wire.at_eof()
    assert server.world.server.users["bob"].mailbox[-1].content.endswith(b"one\r\n.two\r\n")


async def test_many_connections_at_once_stored_equals_250s(start_server, loop_errors, tmp_path):
    server = await start_server(store=MaildirStore(tmp_path), keep_in_memory=False,
                                max_connections=200, max_per_address=200)

    async def client(number: int) -> int:
        wire = await Wire.open(server)
        await wire.code()
        # Every fifth client goes to gina (552 at the end of data): refused, not stored.
        rcpt = b"gina" if number % 5 == 0 else b"bob"
        one = (b"MAIL FROM:<alice@client.example>\r\nRCPT TO:<" + rcpt + b"@mail.example>\r\n"
               b"DATA\r\nSubject: %d\r\n\r\nbody\r\n.\r\n" % number)
        await wire.send(HELLO + one * 5 + b"QUIT\r\n")
        codes = [await wire.code() for _ in range(1 + 4 * 5 + 1)]
        await wire.close()
        return codes[1:-1][3::4].count(250)   # the replies at the end of data

    given = sum(await asyncio.gather(*(client(n) for n in range(120))))
    stored = len(messages(tmp_path, "bob")) + len(messages(tmp_path, "gina"))
    assert given == stored == server.accepted_messages == 96 * 5
    assert loop_errors == []


async def test_flow_control_a_client_that_reads_late_loses_nothing(start_server, monkeypatch):
    from smtpsim.net.connection import SmtpConnection
    paused = []
    original = SmtpConnection.pause_writing
    monkeypatch.setattr(SmtpConnection, "pause_writing",
                        lambda self: (paused.append(self.id), original(self)))
    server = await start_server()
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    client.connect(server.address)
    client.setblocking(False)
    wire = Wire(*await asyncio.open_connection(sock=client))
    await wire.code()
    for connection in server.connections:   # small kernel buffers: the server must wait
        connection.transport.get_extra_info("socket").setsockopt(
            socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    count = 40_000
    await wire.send(b"NOOP\r\n" * count + b"QUIT\r\n")
    await asyncio.sleep(0.3)             # the server fills its buffer and stops reading
    replies = (await asyncio.wait_for(wire.reader.read(), 30)).split(b"\r\n")
    assert paused                        # flow control really was exercised
    assert replies[:count] == [b"250 2.0.0 OK"] * count
    assert replies[count].startswith(b"221 ") and replies[count + 1:] == [b""]
