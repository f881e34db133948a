"""What the panes show, computed from the engine without any Textual: pure and testable.

* :class:`Exchanges` groups transcript entries into command/reply pairs, so that a
  selected line can light up its partner in both MTA panes.
* :func:`moment_at` tells the state diagram where the session was at any entry
  (time travel): the state, the last command answered, and after a sequence refusal
  the states that would have allowed the command - all read from ``protocol.states``.
* :func:`profile_rules` says what the server's profile changes in that picture: the
  verbs it refuses (502/500) are no transitions there, and an RFC 821 host lets MAIL
  restart a transaction.
* :func:`take_snapshot` freezes each host's inner state (buffers, users, outbox)
  after every change, so that stepping back shows the machines as they were.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .. import catalogue
from ..i18n import _
from ..mta import Entry, Session
from ..mta.client import ClientMTA
from ..mta.phrases import say
from ..mta.profiles import Profile
from ..mta.server import ServerMTA, availability_on
from ..mta.transcript import CLIENT, SERVER
from ..protocol import State
from ..protocol.states import TRANSITIONS
from ..textsafe import printable

END_OF_DATA = "<CRLF>.<CRLF>"   # the label protocol.states.edges() gives the end of the text


class Exchanges:
    """Entry index -> the indices of its exchange (a command or text block and its replies)."""

    def __init__(self) -> None:
        self.group_of: list[int] = []
        self.groups: list[list[int]] = []
        self._last_side: str | None = None

    def add(self, entries: list[Entry]) -> None:
        for entry in entries:
            joins = bool(self.groups) and (
                (entry.side == SERVER and self._last_side in (CLIENT, SERVER))
                or (entry.side == CLIENT and self._last_side == CLIENT))
            if not joins:
                self.groups.append([])
            self.groups[-1].append(entry.index)
            self.group_of.append(len(self.groups) - 1)
            self._last_side = entry.side

    def members(self, index: int) -> list[int]:
        return self.groups[self.group_of[index]]


@dataclass(frozen=True, slots=True)
class Moment:
    """The session as it was at one transcript entry, for the state diagram."""

    index: int
    state: State
    last: tuple[State, str, State] | None   # the last transition taken, as an edge
    last_code: int | None
    refused_verb: str | None = None         # set after a sequence refusal (seq.*)
    allowed: frozenset[State] = frozenset()  # states in which it would have been accepted
    pending: str | None = None               # a command sent and not yet answered
    reversed_roles: bool = False


def _edge_of(entry: Entry) -> tuple[State, str, State]:
    # A line that is no command (a bare LF, a control byte) is named by its first word.
    answers = entry.answers or ""   # moment_at passes replies that answer a line
    label = entry.verb or printable(answers.split(" ", 1)[0], 16)
    if entry.answers == "<end of data>":
        label = END_OF_DATA
    return entry.before, label, entry.after


def _allowed_from(entry: Entry) -> frozenset[State]:
    """The states a seq.* refusal names: the server wrote them, for this profile, as
    "READY or MAIL or RCPT" in the reply's context."""
    names = str(entry.context.get("allowed", ""))
    return frozenset(State(n) for n in names.split(" or ") if n in State.__members__)


def moment_at(entries: list[Entry], index: int) -> Moment:
    entry = entries[index]
    last, last_code = None, None
    for back in range(index, -1, -1):
        earlier = entries[back]
        if earlier.reversed_roles != entry.reversed_roles:
            break
        # Every answered command moves "last" - NOOP and TICK too, which change no state.
        if earlier.side == SERVER and earlier.answers and earlier.answers != "<greeting>":
            last, last_code = _edge_of(earlier), earlier.code
            break
    if entry.side == CLIENT:
        verb = None if entry.in_data else (entry.verb or entry.text.split(" ", 1)[0].upper())
        return Moment(index, entry.before, last, last_code,
                      pending=verb or _("message text"), reversed_roles=entry.reversed_roles)
    refused: str | None = None
    allowed: frozenset[State] = frozenset()
    # Decided by the reply's identity: an armed fault's 503 is no sequence refusal, and
    # 554 "no valid recipients" is one.
    if entry.side == SERVER and (entry.reply_id or "").startswith("seq.") \
            and entry.verb in TRANSITIONS:
        refused = entry.verb
        allowed = _allowed_from(entry) or TRANSITIONS[entry.verb].allowed
    return Moment(index, entry.after, last, last_code, refused, allowed,
                  reversed_roles=entry.reversed_roles)


@dataclass(frozen=True, slots=True)
class ProfileRules:
    """What the server's profile changes in the state diagram and the prompt's advice."""

    name: str
    rfc821: bool                          # MAIL may restart a transaction (RFC 821 4.1.1)
    esmtp: bool                           # EHLO is understood
    refused: tuple[tuple[str, int], ...]  # (verb, code) of every verb this profile refuses

    @property
    def greeting(self) -> str:
        """The greeting a learner should type first on this host."""
        return "EHLO client.example" if self.esmtp else "HELO client.example"


@functools.lru_cache(maxsize=8)
def profile_rules(profile: Profile) -> ProfileRules:
    """Derived from the profile and the server's own availability rule - never restated."""
    codes = catalogue.load().reply_codes
    refused = tuple((verb, codes[reply_id]) for verb in TRANSITIONS
                    if (reply_id := availability_on(profile, verb)) is not None)
    return ProfileRules(profile.name, profile.rfc821, profile.esmtp, refused)


# -- inner state of the two machines ---------------------------------------------------
@dataclass(frozen=True, slots=True)
class UserView:
    name: str
    mailbox: int
    terminal: int
    status: str            # the engine's words: "logged in, refuses messages"...
    logged_in: bool
    accepts: bool          # accepts messages at the terminal (mesg y)
    changed: bool          # something landed here in the last change


@dataclass(frozen=True, slots=True)
class ServerView:
    host: str
    profile: str
    state: State
    via: str
    reverse_path: str | None
    forward_paths: tuple[str, ...]
    data_lines: int
    data_octets: int
    users: tuple[UserView, ...]
    queued: int
    faults: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClientView:
    host: str
    step: str
    outbox: tuple[str, ...]
    done: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Snapshot:
    upto: int                         # the last transcript index this snapshot covers
    reversed: bool
    views: dict[str, ServerView | ClientView]


def _text_in_buffer(entries: list[Entry]) -> tuple[int, int]:
    """Lines and octets of message text typed since the last reply (the mail data buffer)."""
    lines = octets = 0
    for entry in reversed(entries):
        if entry.side != CLIENT or not entry.in_data:
            break
        lines += len(entry.lines)
        octets += sum(len(line.encode("utf-8", "surrogateescape")) + 2 for line in entry.lines)
    return lines, octets


def server_view(server: ServerMTA, entries: list[Entry], previous: ServerView | None,
                new_host: bool = False) -> ServerView:
    """``new_host``: this host starts serving mid-session (after TURN): mark what it holds."""
    envelope = server.envelope
    lines, octets = _text_in_buffer(entries) if server.state is State.DATA else (0, 0)
    before = {u.name: u for u in previous.users} if previous else {}
    users = []
    for user in server.host.users.values():
        old = before.get(user.name)
        counts = (len(user.mailbox), len(user.terminal))
        # A host seen for the first time (the old client after TURN): mark what it holds.
        changed = counts != ((old.mailbox, old.terminal) if old else (0, 0)) and (
            old is not None or new_host)
        users.append(UserView(user.name, len(user.mailbox), len(user.terminal),
                              user.terminal_status, user.logged_in, user.accepts_messages,
                              changed))
    return ServerView(server.host.name, server.profile.name, server.state, envelope.via,
                      envelope.sender, tuple(envelope.forward_paths), lines, octets,
                      tuple(users), len(server.host.queue),
                      tuple(f.spec for f in server.faults))


def client_view(client: ClientMTA) -> ClientView:
    def line(message) -> str:
        return _("<{sender}> to {recipients}: {outcome}").format(
            sender=message.sender, recipients=", ".join(message.recipients),
            outcome=_(message.outcome))
    return ClientView(client.host, say(client.step), tuple(line(m) for m in client.outbox),
                      tuple(line(m) for m in client.done),
                      tuple(say(note) for note in client.notes[-3:]))


def take_snapshot(session: Session, previous: Snapshot | None) -> Snapshot:
    entries = session.transcript.entries
    old = previous.views if previous else {}
    if session.reversed:
        turn_server, turn_client = session.turn_server, session.turn_client
        assert turn_server is not None and turn_client is not None   # TURN set both
        server, client = turn_server, turn_client
    else:
        server, client = session.server, session.client
    prior = old.get(server.host.name)
    views: dict[str, ServerView | ClientView] = {
        server.host.name: server_view(server, entries,
                                      prior if isinstance(prior, ServerView) else None,
                                      new_host=previous is not None and not isinstance(
                                          prior, ServerView)),
        client.host: client_view(client),
    }
    return Snapshot(len(entries) - 1, session.reversed, views)


def role_of(host: str, session: Session, reversed_roles: bool) -> str:
    """"client" or "server": which part ``host`` plays (RFC 821 3.8: TURN swaps them)."""
    is_client_host = host == session.world.client.name
    return "client" if is_client_host != reversed_roles else "server"



# Time travel speaks of one thing, the selected line, numbered from 1 as the transcript
# is: the pane borders, the status line and the buffers' caption all name it.
def viewing(index: int, total: int) -> str:
    return _("line {number} of {count}").format(number=index + 1, count=total)


def buffers_caption(index: int, upto: int) -> str:
    """The buffers are snapshots after a whole exchange: a command's are as after its
    reply too, which the caption says rather than naming another line."""
    if upto > index:
        return _("as after line {number} and its reply").format(number=index + 1)
    return _("as after line {number}").format(number=index + 1)
