"""PIPELINING (RFC 2920): a batch of commands is answered in order, nothing dropped."""

from smtpsim.mta import ServerMTA, default_world, get_profile
from smtpsim.protocol import ClientConnection, Command, Reply, State

from .pair import ConnectionPair


def test_the_pair_matches_pipelined_replies_to_their_commands_in_order():
    pair = ConnectionPair().greet()
    pair.exchange(Command("EHLO", "client.example"), 250, "mail.example", "PIPELINING")
    for command in (Command("MAIL", "FROM:<a@client.example>"), Command("RCPT", "TO:<b@x>"),
                    Command("RCPT", "TO:<c@x>"), Command("DATA")):
        pair.send(command)
    assert pair.client.pending == ("MAIL", "RCPT", "RCPT", "DATA")
    answers = {"MAIL": 250, "RCPT": 550, "DATA": 503}
    seen = []
    while pair.server.state is not State.DATA and len(seen) < 4:
        event = pair.event()
        seen.append(event.verb)
        code = 250 if event.verb == "RCPT" and len(seen) == 2 else answers[event.verb]
        pair.reply(code, "x")
    assert seen == ["MAIL", "RCPT", "RCPT", "DATA"]
    assert [r.code for r in pair.client_events()] == [250, 250, 550, 503]
    assert pair.client.state is State.RCPT and pair.server.state is State.RCPT
    assert pair.client.pending == ()


def test_the_server_mta_answers_a_whole_batch_in_order():
    server = ServerMTA(default_world(), get_profile("modern"))
    client = ClientConnection()
    client.receive_data(b"".join(r.wire for r in server.greet()))
    batch = (b"EHLO client.example\r\nMAIL FROM:<alice@client.example>\r\n"
             b"RCPT TO:<bob@mail.example>\r\nRCPT TO:<nobody@mail.example>\r\n"
             b"RCPT TO:<erin@mail.example>\r\nDATA\r\nSubject: hi\r\n\r\n..x\r\n.\r\n"
             b"RSET\r\nVRFY carol\r\nQUIT\r\nNOOP\r\n")
    replies = server.receive(batch)
    assert [(r.answers, r.reply.code) for r in replies] == [
        ("EHLO client.example", 250), ("MAIL FROM:<alice@client.example>", 250),
        ("RCPT TO:<bob@mail.example>", 250), ("RCPT TO:<nobody@mail.example>", 550),
        ("RCPT TO:<erin@mail.example>", 251), ("DATA", 354), ("<end of data>", 250),
        ("RSET", 250), ("VRFY carol", 250), ("QUIT", 221)]
    assert server.state is State.CLOSED
    delivered = server.host.users["bob"].mailbox[-1].content
    assert delivered.endswith(b"Subject: hi\r\n\r\n.x\r\n")
    client.receive_data(b"".join(r.wire for r in replies))
    events = []
    while isinstance(event := client.next_event(), Reply):
        events.append(event.code)
    assert events == [220, 250, 250, 250, 550, 251, 354, 250, 250, 250, 221]


def test_a_batch_split_into_single_bytes_gets_the_same_replies():
    batch = (b"HELO client.example\r\nMAIL FROM:<alice@client.example>\r\n"
             b"RCPT TO:<bob@mail.example>\r\nDATA\r\nhi\r\n.\r\nQUIT\r\n")
    whole = ServerMTA(default_world(), get_profile("modern"))
    whole.greet()
    expected = [(r.answers, r.wire) for r in whole.receive(batch)]
    split = ServerMTA(default_world(), get_profile("modern"))
    split.greet()
    got = []
    for i in range(len(batch)):
        got.extend((r.answers, r.wire) for r in split.receive(batch[i:i + 1]))
    assert got == expected and len(got) == 6
