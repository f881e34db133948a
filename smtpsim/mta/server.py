"""The server MTA: the sans-IO server connection plus the policy of a mail host.

It reads events from :class:`~smtpsim.protocol.ServerConnection`, decides each
reply in a fixed order, and records why:

1. an armed fault for this occurrence of the verb wins;
2. a verb nobody defined gets 500, one this profile does not offer 502 (or 500
   where the era did not know it, like EHLO on an RFC 821 host);
3. a verb out of sequence gets 503, explained from the transition table;
4. otherwise the verb's handler decides (``handlers_*`` modules, found by verb in the
   table that :mod:`smtpsim.mta.dispatch` builds).

Too many errors in a row end the session with 421.  Every reply comes from the
catalogue by id, so no reply text is written in code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import catalogue
from ..protocol import (
    BadLine,
    Command,
    ConnectionClosed,
    MessageData,
    Reply,
    ServerConnection,
    State,
)
from ..protocol.events import NeedData
from ..protocol.states import TRANSITIONS, allowed_in
from .answer import Answer, Handler
from .dispatch import HANDLERS, LINE_REPLIES, end_of_data
from .dns import Network
from .envelope import Envelope
from .faults import FAULT_REPLIES, Fault, find_fault
from .profiles import Profile
from .replies import SessionReplies
from .world import Host, World

if TYPE_CHECKING:
    from .delivery import Copy
    from .internet import Greylist

SIMULATED_DATE = "Thu, 26 Nov 2026 09:00:00 +0000"
OPENERS = ("MAIL", "SEND", "SOML", "SAML")
ERROR_CODES = frozenset({500, 501, 502, 503, 504})
_PLAIN_VERBS = frozenset({"HELO", "EHLO"})   # x0z: the client's syntax or sequence


# ServerReply (like Answer and the transcript's Entry) is a record written once and then
# only read; it is not frozen because a frozen dataclass costs several times more to
# build, and several are built for every command.
@dataclass(slots=True)
class ServerReply:
    """One reply as sent, with everything needed to explain it later."""

    reply: Reply
    reply_id: str
    context: dict[str, Any]
    answers: str        # the line it answers: a command, "<greeting>", "<end of data>"
    verb: str | None
    before: State
    after: State
    wire: bytes
    effects: tuple[str, ...] = ()


# A verb nobody defined: 500 whatever the state (RFC 5321 4.2.4).
_UNKNOWN_VERB: tuple[str | None, frozenset[State], Handler | None] = (
    "verb.unknown", frozenset(), None)


class ServerMTA:
    def __init__(self, world: World, profile: Profile, faults: tuple[Fault, ...] = (),
                 *, host: Host | None = None, language: str | None = None,
                 queue_id_start: int = 1, clock: Callable[[], str] | None = None,
                 store: Callable[[list[Copy]], None] | None = None,
                 keep_in_memory: bool = True,
                 on_event: Callable[[Any, list[ServerReply]], None] | None = None,
                 client_address: str | None = None,
                 greylist: Greylist | None = None,
                 queue_ids: Callable[[], str] | None = None) -> None:
        self.world = world
        self.host = host or world.server
        self.profile = profile
        self.faults = tuple(faults)
        self.catalogue = catalogue.load(language)
        self.conn = ServerConnection(max_message_octets=profile.max_size)
        self.envelope = Envelope()
        self.client_name: str | None = None
        self.used_ehlo = False
        self.verbose = False
        self.errors = 0
        self.occurrences: dict[str, int] = {}   # per known verb (and DOT): faults count them
        self.tickets: list[str] = []
        # queue ids count per host for the life of the world (see Host.next_queue_id)
        self.host.next_queue_id = max(self.host.next_queue_id, queue_id_start)
        # ... unless the caller hands out the ids (the TCP server: unique across sessions)
        self._queue_ids = queue_ids
        self.turned = False
        self.accepted = 0   # messages this session accepted with 250 after the final dot
        # The trace date is injected: the simulator's own clock stands still so that
        # transcripts repeat exactly; the TCP server passes the real time.
        self.clock = clock or (lambda: SIMULATED_DATE)
        # Stable storage (the TCP server's Maildir): called with every copy of an accepted
        # message BEFORE the 250 is built; if it raises, the reply is 451 and nothing is
        # delivered.  keep_in_memory=False leaves the in-memory mailboxes empty.
        self.store = store
        self.keep_in_memory = keep_in_memory
        self._codes = self.catalogue.reply_codes
        self._replies = SessionReplies(self.catalogue, self.host.name, profile.enhanced_codes)
        # Per verb: its availability on this profile, its allowed states, its handler; saves
        # working them out for each command (4 % of a transaction in bench_engine).
        self._rows = {verb: (availability_on(profile, verb),
                             TRANSITIONS[verb].allowed_on(profile.rfc821), handler)
                      for verb, handler in HANDLERS.items()}
        self.on_event = on_event   # each event read from the wire and its replies, in order
        # Who is connecting, judged by address as Postfix's mynetworks is: None is an
        # address outside the simulated world (every TCP peer), never in the host's network.
        self.client_address = client_address
        self.greylist = greylist   # hop 2's greylisting domain refuses new triplets (451)
        # Refuse a client using one of this host's own addresses as sender (553 5.7.1): a
        # check on the learner's hop 1; an MX of hop 2 takes its own domain's mail from
        # other MTAs (a local user's message coming back, a bounce's original sender).
        self.checks_sender = True

    @property
    def client_in_network(self) -> bool:
        """The client's address is in this host's own network, for which it relays."""
        network = self.host.network
        return network is not None and Network(network).contains(self.client_address)

    @property
    def state(self) -> State:
        return self.conn.state

    @property
    def enhanced(self) -> bool:
        return self.profile.enhanced_codes

    # -- the session -------------------------------------------------------------
    def greet(self) -> list[ServerReply]:
        fault = find_fault(self.faults, "CONNECT", 1)
        banner = "ESMTP smtpsim" if self.profile.esmtp else "Simple Mail Transfer Service"
        answer = fault_answer(fault) if fault else Answer("greeting", {"banner": banner})
        return [self._send(answer, "<greeting>", None)]

    def receive_eof(self) -> list[ServerReply]:
        self.conn.receive_eof()
        return self.receive(b"")

    def receive(self, data: bytes) -> list[ServerReply]:
        """Feed bytes from the client; the replies to every command now complete, in order."""
        conn = self.conn
        conn.receive_data(data)
        out: list[ServerReply] = []
        on_event = self.on_event
        while True:
            event = conn.next_event()   # ConnectionClosed once the session has ended
            if type(event) is NeedData:   # NEED_DATA: wait for more bytes
                break
            if type(event) is ConnectionClosed:
                self.envelope = Envelope()   # RFC 5321 3.8: an unfinished transaction is dropped
                break
            replies = self._handle(event)
            if on_event is not None:
                on_event(event, replies)
            out.extend(replies)
        return out

    def close_with(self, reply_id: str, answers: str,
                   context: dict[str, Any] | None = None) -> ServerReply:
        """An unsolicited 421 (idle timeout, too many connections, shutdown): RFC 5321 3.8
        lets a server end a session this way; the connection is then closed."""
        reply = self._send(Answer(reply_id, context or {}), answers, None)
        self.envelope = Envelope()   # an unfinished transaction is dropped, never delivered
        return reply

    # -- deciding ------------------------------------------------------------------
    def _handle(self, event: Command | BadLine | MessageData) -> list[ServerReply]:
        if type(event) is Command:   # the common case first
            answer = self._count_errors(self._decide(event))
            return self._send_all(answer, event.line, event.verb)
        if type(event) is MessageData:
            fault = find_fault(self.faults, "DOT", self._count("DOT")) if self.faults else None
            answer = fault_answer(fault) if fault else end_of_data(self, event)
            if answer.reply_id.startswith("fault."):
                self.envelope = Envelope()
            replies = self._send_all(answer, "<end of data>", None)
            if replies[-1].reply.code == 250:
                self.accepted += 1
            return replies
        assert type(event) is BadLine
        line = _printable(event.raw)
        answer = Answer(LINE_REPLIES[event.problem], {"detail": event.detail, "line": line})
        return self._send_all(self._count_errors(answer), line, None)

    def _decide(self, command: Command) -> Answer:
        verb = command.verb
        # Steps 2 to 4 in one lookup: (availability, allowed states, handler).
        row = self._rows.get(verb)
        if row is None:
            # A verb nobody defined: 500 whatever the state (RFC 5321 4.2.4).  No fault can
            # name it, so it is not counted: made-up verbs cannot grow `occurrences`.
            return Answer("verb.unknown", {"verb": verb, "profile": self.profile.name})
        availability, allowed, handler = row
        occurrences = self.occurrences
        occurrences[verb] = occurrence = occurrences.get(verb, 0) + 1
        if self.faults:
            fault = find_fault(self.faults, verb, occurrence)
            if fault:
                # The explanation says what the rules alone would have decided.
                answer = fault_answer(fault)
                answer.context["in_sequence"] = availability is None \
                    and self.conn.state in allowed
                return answer
        if availability is not None:
            return Answer(availability, {"verb": verb, "profile": self.profile.name})
        if self.conn.state not in allowed:
            return self._out_of_sequence(verb)
        assert handler is not None   # an offered verb has one
        return handler(self, command)

    def availability(self, verb: str) -> str | None:
        """None if this host offers the verb, else the id of the 500/502 reply."""
        return self._rows.get(verb, _UNKNOWN_VERB)[0]

    def _out_of_sequence(self, verb: str) -> Answer:
        allowed = allowed_in(TRANSITIONS[verb].allowed_on(self.profile.rfc821))
        context = {"verb": verb, "state": self.state.value, "allowed": " or ".join(allowed),
                   "rule": TRANSITIONS[verb].rule}
        if self.state is State.INIT:
            if not self.profile.rfc821:
                return Answer("seq.need_helo", context)
            # An RFC 821 host takes MAIL before HELO (its 4.3 table gives MAIL no 503), so
            # what RCPT and DATA lack there is a transaction, not a greeting.
            if verb not in ("RCPT", "DATA"):
                return Answer("seq.need_helo_821", context)
        if verb in OPENERS:
            return Answer("seq.nested_mail", context)
        if verb == "RCPT" or (verb == "DATA" and self.state in (State.INIT, State.READY)):
            return Answer("seq.need_mail", context)
        if verb == "DATA":
            if self.envelope.rcpt_attempts:
                # Postfix's wording: recipients were tried but none was accepted.
                return Answer("seq.no_valid_recipients", context)
            return Answer("seq.need_rcpt", context)
        return Answer("seq.in_transaction", context)

    def _count(self, verb: str) -> int:
        occurrences = self.occurrences
        occurrences[verb] = occurrence = occurrences.get(verb, 0) + 1
        return occurrence

    def _count_errors(self, answer: Answer) -> Answer:
        code = self._codes[answer.reply_id]
        if code < 300 and not self.errors:
            return answer   # the common case: a success, with no error run to reset
        if code in ERROR_CODES:
            self.errors += 1
            limit = self.profile.error_limit
            if limit is not None and self.errors >= limit:
                return Answer("session.too_many_errors",
                              {**self._host_context(), "count": self.errors})
        elif code < 400:
            self.errors = 0
        return answer

    # -- sending ---------------------------------------------------------------------
    def _send_all(self, answer: Answer, answers: str, verb: str | None) -> list[ServerReply]:
        if not answer.progress:
            return [self._send(answer, answers, verb)]
        out = [self._send(Answer(rid, ctx), answers, verb) for rid, ctx in answer.progress]
        out.append(self._send(answer, answers, verb))
        return out

    def _send(self, answer: Answer, answers: str, verb: str | None) -> ServerReply:
        # RFC 2034 3: no enhanced code on the greeting or on any reply to HELO/EHLO.
        plain = verb in _PLAIN_VERBS or answers == "<greeting>"
        reply_id, context = answer.reply_id, answer.context
        reply = self._replies.build(reply_id, context, plain, self.client_name)
        conn = self.conn
        before = conn.state
        wire = conn.send(reply)
        after = conn.state
        if after is State.CLOSED:
            self.envelope = Envelope()   # RFC 5321 3.8: after 421 the transaction is gone
        return ServerReply(reply, reply_id, context, answers, verb, before, after, wire,
                           answer.effects)

    def _host_context(self) -> dict[str, Any]:
        return {"host": self.host.name, "client": self.client_name or "unknown"}

    @property
    def next_queue_id(self) -> int:
        return self.host.next_queue_id

    def new_queue_id(self) -> str:
        if self._queue_ids is not None:
            return self._queue_ids()
        queue_id = f"Q{self.host.next_queue_id:04d}"
        self.host.next_queue_id += 1
        return queue_id


def availability_on(p: Profile, verb: str) -> str | None:
    """None if a host of profile ``p`` offers ``verb``, else the id of its 500/502 reply."""
    if verb not in HANDLERS:
        return "verb.unknown"
    if verb == "EHLO" and not p.esmtp:
        return "verb.ehlo_classic"        # RFC 1869 4.6: a pre-ESMTP host says 500
    if verb == "ETRN" and not p.etrn:
        return "verb.unknown"             # RFC 1985 postdates an RFC 821 host
    if verb in ("SEND", "SOML", "SAML") and not p.legacy_verbs:
        return "verb.legacy_retired"
    if verb == "TURN" and not p.legacy_verbs:
        return "verb.turn_retired"
    if verb in ("VERB", "TICK") and not p.vendor_verbs:
        return "verb.verb_disabled" if verb == "VERB" else "verb.tick_disabled"
    if verb == "EXPN" and not p.expn_enabled:
        return "verb.expn_disabled"
    return None


def fault_answer(fault: Fault) -> Answer:
    """An armed fault: the catalogue's realistic text for that code, and its real effect."""
    return Answer(FAULT_REPLIES[fault.code], {"fault": fault.spec, "code": fault.code})


def _printable(raw: bytes) -> str:
    """A line as a learner can read it: control bytes shown as <0x08> and the like."""
    out = []
    for value in raw[:200]:
        out.append(chr(value) if 0x20 <= value < 0x7F else f"<0x{value:02X}>")
    return "".join(out) + ("..." if len(raw) > 200 else "")
