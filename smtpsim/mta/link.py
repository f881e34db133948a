"""The in-process link: a client MTA and a server MTA joined by a simulated wire.

The learner types lines into the client side (:meth:`Session.type_line`), or lets
the client MTA send its outbox by itself (:meth:`Session.play_step`).  Either way
the bytes go through the sans-IO client and server connections, exactly as they
would over TCP, and every line lands in the transcript.

On TURN (RFC 821 3.8) the link swaps the roles: the old server becomes a client
MTA that delivers what it holds for the learner's host, the learner's host
answers as a server, and the reversed session plays out to its QUIT.
"""

from __future__ import annotations

from typing import NamedTuple

from ..i18n import N_
from ..protocol import ProtocolError, State
from ..protocol.phrase import Phrase
from .client import ClientMTA
from .defaults import default_world
from .faults import Fault
from .outgoing import OutgoingMessage
from .profiles import CLASSIC, Profile, get_profile
from .server import ServerMTA, ServerReply
from .transcript import CLIENT, NOTE, SERVER, Entry, Transcript
from .world import Host, Message, World

FROM_CLIENT_HOST = "from the client host"   # Session's default client address (see there)
MAX_TURN_STEPS = 200   # a reversed session is bounded, whatever its outbox holds
_ENDED = (State.CLOSED, State.TURNED)   # the session reads no more commands


class Handover(NamedTuple):
    """What TURN hands the old server: the messages it held and a client MTA to send them."""

    held: list[Message]              # taken off the host's queue, in queue order
    outbox: list[OutgoingMessage]    # one for each of ``held``, in the same order
    client: ClientMTA


def turn_handover(host: Host, remote: str) -> Handover:
    """RFC 821 3.8: after TURN's 250 the old receiver becomes the sender, on the same
    connection, of what its queue holds for ``remote`` - the domain the client named in
    HELO.  TURN trusts that name (the flaw for which RFC 2505 2.9 and RFC 5321 Appendix
    F.1 retired it): whatever was held for it is taken off the queue and handed over.

    The one home of the handover, for the simulated link (:class:`Session`) and for a
    real socket (:mod:`smtpsim.net.turn`).  The client MTA says HELO (RFC 821 has no
    EHLO)."""
    held = host.queued_for(remote.lower())
    for message in held:
        host.queue.remove(message)
    outbox = [OutgoingMessage(m.sender, list(m.recipients), m.content) for m in held]
    return Handover(held, outbox, ClientMTA(host.name, outbox, use_ehlo=False))

# Transcript notes (Phrases: said again in the language of the moment, see phrases.note_text).
CLOSED_IN_TEXT = N_("{host} closed the connection in the middle of the message text: no "
                    "<CRLF>.<CRLF> arrived, so the server drops the unfinished message "
                    "(RFC 5321 3.8)")
CLOSED_IN_TRANSACTION = N_("{host} closed the connection with a transaction open: the server "
                           "drops it (RFC 5321 3.8)")
CLOSED_WITHOUT_QUIT = N_("{host} closed the connection without QUIT (RFC 5321 3.8 asks the "
                         "client to send QUIT first)")
TURNED = N_("TURN accepted: {client} is now the client, {server} is now the server "
            "(RFC 821 3.8)")
START_AGAIN = N_("the connection is closed; start a new one")


class Session:
    def __init__(self, profile: str | Profile = "modern", faults: tuple[Fault, ...] = (),
                 world: World | None = None, *, language: str | None = None,
                 pipelining: bool = False, client_address: str | None = FROM_CLIENT_HOST
                 ) -> None:
        """``pipelining``: the client MTA pipelines when the server lists PIPELINING in
        its EHLO reply (RFC 2920); learners' typed lines are never grouped.

        ``client_address``: where the learner connects from, which decides relaying
        (Postfix's mynetworks).  By default the client host's own address in the world
        (client.example, 192.0.2.10, inside mail.example's network); any other address,
        or None (unknown, as for every TCP peer), is a stranger's."""
        self.profile = get_profile(profile) if isinstance(profile, str) else profile
        self.faults = tuple(faults)
        self.world = world if world is not None else default_world()
        self.language = language
        self.transcript = Transcript()
        self.reversed = False
        self.turn_server: ServerMTA | None = None   # after TURN: the learner's host answering
        self.turn_client: ClientMTA | None = None   # after TURN: the old server sending
        self.client = ClientMTA(self.world.client.name, pipelining=pipelining)
        if client_address is FROM_CLIENT_HOST:
            zone = self.world.zone
            client_address = zone.address(self.world.client.name) if zone else None
        self.client_address = client_address
        self.server = ServerMTA(self.world, self.profile, self.faults, language=language,
                                client_address=client_address)
        greeting = self.server.greet()
        self._record_replies(greeting, self.server.host.name)
        self.client.receive(b"".join(r.wire for r in greeting))

    # -- what the app and the CLI ask ------------------------------------------------
    @property
    def state(self) -> State:
        return self.server.state

    @property
    def closed(self) -> bool:
        return self.server.state in _ENDED

    @property
    def in_data(self) -> bool:
        return self.client.conn.sending_text

    def arm(self, fault: Fault) -> None:
        """Arm a fault on this live connection, from the next matching command on.

        Occurrences keep counting from the start of the connection: ``RCPT#2`` armed
        after one RCPT fires on the next one.  The greeting (``CONNECT``) is already past.
        """
        self.faults = self.faults + (fault,)
        self.server.faults = self.server.faults + (fault,)

    # -- the learner types ---------------------------------------------------------------
    def type_line(self, text: str) -> list[Entry]:
        """Send one line as typed: a command, or (after 354) a line of message text."""
        if self.closed:
            raise ProtocolError(Phrase(START_AGAIN))
        raw = text.encode("utf-8", "surrogateescape")
        conn = self.client.conn
        in_data = conn.sending_text
        start = len(self.transcript.entries)
        before = self.server.conn.state
        wire = conn.send_line(raw)
        verb = None if in_data else raw.split(b" ", 1)[0].decode("ascii", "replace").upper()
        # The transcript shows what went on the wire: bytes that are not UTF-8 appear as
        # U+FFFD, so that every consumer (terminal, JSON) can print the entry.
        shown = raw.decode("utf-8", "replace")
        self.transcript.add(side=CLIENT, lines=(shown,), sender=self.client.host,
                            before=before, after=before, in_data=in_data, verb=verb)
        self._deliver_to_server(wire)
        return self.transcript.entries[start:]

    def type_lines(self, lines: list[str]) -> list[Entry]:
        """Type several lines; the same transcript as ``type_line`` one by one.

        Consecutive lines of message text are written to the wire together, up to and
        including the lone ".": the server answers nothing before the final dot, so the
        order of the transcript does not change - only the number of round trips.
        """
        start = len(self.transcript)
        index = 0
        while index < len(lines) and not self.closed:
            if not self.in_data:
                self.type_line(lines[index])
                index += 1
                continue
            wire = []
            try:
                while index < len(lines):
                    raw = lines[index].encode("utf-8", "surrogateescape")
                    index += 1
                    wire.append(self.client.conn.send_line(raw))
                    self.transcript.add(side=CLIENT, lines=(raw.decode("utf-8", "replace"),),
                                        sender=self.client.host, before=State.DATA,
                                        after=State.DATA, in_data=True, verb=None)
                    if raw == b".":
                        break
            finally:
                # even if a line was refused (an LF inside), what was recorded is sent
                self._deliver_to_server(b"".join(wire))
        return self.transcript.entries[start:]

    # -- the client MTA plays by itself ------------------------------------------------------
    def queue_message(self, message: OutgoingMessage) -> None:
        self.client.outbox.append(message)

    def play_step(self) -> list[Entry]:
        """One step of the client MTA: one command and its reply (or the whole text) -
        or, pipelining, a group of commands and their replies."""
        if self.closed:
            return []
        start = len(self.transcript)
        in_data = self.client.conn.sending_text
        wire = self.client.next_output()
        if wire is None:
            if self.client.hung_up:
                return self.hang_up()
            return []
        lines = wire.decode("utf-8", "replace").split("\r\n")[:-1]
        sent: list[tuple[tuple[str, ...], str | None]] = []
        if in_data:
            # the message text, up to its final dot (stuffing leaves no other lone ".")
            end = lines.index(".") + 1 if "." in lines else len(lines)
            sent.append((tuple(lines[:end]), None))
            lines = lines[end:]
        # One command a write - or, pipelined (RFC 2920 3.1), a group: MAIL, RCPT and DATA,
        # maybe right behind the final dot.  Each command is an entry of its own.
        sent += [((line,), line.split(" ", 1)[0].upper()) for line in lines]
        self._deliver_to_server(wire, sent)
        return self.transcript.entries[start:]

    def play_all(self, limit: int = 10_000) -> list[Entry]:
        start = len(self.transcript)
        for _ in range(limit):
            if not self.play_step():
                break
        return self.transcript.entries[start:]

    def hang_up(self) -> list[Entry]:
        """The client closes the connection without (another) QUIT.

        RFC 5321 3.8: the server then drops an unfinished transaction - message text
        that never reached its final dot is not delivered.
        """
        if self.closed:
            return []
        start = len(self.transcript)
        before = self.server.state
        if self.in_data:
            what = CLOSED_IN_TEXT
        elif before in (State.MAIL, State.RCPT):
            what = CLOSED_IN_TRANSACTION
        else:
            what = CLOSED_WITHOUT_QUIT
        self.server.receive_eof()
        self.transcript.add(side=NOTE, lines=(Phrase(what, host=self.client.host),),
                            sender=self.client.host, before=before, after=self.server.state)
        return self.transcript.entries[start:]

    # -- plumbing ---------------------------------------------------------------------------
    def _deliver_to_server(self, wire: bytes,
                           sent: list[tuple[tuple[str, ...], str | None]] | None = None) -> None:
        """``sent``: what the client MTA wrote, recorded here, once the server has read it:
        each command (with its verb) or text block (None) in the state the server read it
        in - pipelined commands behind a final dot are read in READY, not in DATA."""
        replies = self.server.receive(wire)
        if sent:
            states = [r.before for r in replies if r.reply.code >= 100]   # not 050 lines
            for n, (lines, verb) in enumerate(sent):
                # a command never read (the server closed first) is shown in the state now
                state = states[n] if n < len(states) else self.server.state
                self.transcript.add(side=CLIENT, lines=lines, sender=self.client.host,
                                    before=state, after=state, in_data=verb is None,
                                    verb=verb)
        self._record_replies(replies, self.server.host.name)
        self.client.receive(replies[0].wire if len(replies) == 1 else
                            b"".join([r.wire for r in replies]))
        if self.server.turned:
            self._turn_around()

    def _record_replies(self, replies: list[ServerReply], sender: str,
                        reversed_roles: bool = False) -> None:
        for reply in replies:
            # the lines exactly as they went on the wire
            lines = tuple(reply.wire.decode("utf-8", "replace").split("\r\n")[:-1])
            self.transcript.add(side=SERVER, lines=lines,
                                sender=sender, before=reply.before, after=reply.after,
                                reply=reply.reply, reply_id=reply.reply_id,
                                context=reply.context, answers=reply.answers, verb=reply.verb,
                                effects=reply.effects, reversed_roles=reversed_roles)

    def _turn_around(self) -> None:
        """RFC 821 3.8: the old receiver sends, the old sender receives, same connection."""
        old_server = self.server
        old_server.turned = False
        self.reversed = True
        # What was held for the host the client claimed to be: the count the 250 announced.
        sender = turn_handover(old_server.host, old_server.client_name or "").client
        receiver = ServerMTA(self.world, CLASSIC, host=self.world.client, language=self.language,
                             queue_id_start=old_server.next_queue_id)
        self.transcript.add(side=NOTE, lines=(
            Phrase(TURNED, client=old_server.host.name, server=self.world.client.name),),
            sender=old_server.host.name, before=State.TURNED, after=State.INIT,
            reversed_roles=True)
        greeting = receiver.greet()
        self._record_replies(greeting, receiver.host.name, True)
        sender.receive(b"".join(r.wire for r in greeting))
        for _ in range(MAX_TURN_STEPS):
            before = receiver.state
            wire = sender.next_output()
            if wire is None:
                break
            lines = wire.decode("utf-8", "replace").split("\r\n")[:-1]
            self.transcript.add(side=CLIENT, lines=tuple(lines), sender=sender.host,
                                before=before, after=before, reversed_roles=True,
                                in_data=before is State.DATA)
            replies = receiver.receive(wire)
            self._record_replies(replies, receiver.host.name, True)
            sender.receive(b"".join(r.wire for r in replies))
        for note in sender.notes:
            said = Phrase("{host}: {note}", host=sender.host, note=note)
            self.transcript.add(side=NOTE, lines=(said,),
                                sender=sender.host, before=receiver.state,
                                after=receiver.state, reversed_roles=True)
        self.turn_server = receiver
        self.turn_client = sender
