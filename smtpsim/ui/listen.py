"""``python -m smtpsim --listen PORT``: the server MTA on a real port, every line explained.

The app starts :class:`smtpsim.net.SimServer` on its own event loop (the same
profile, faults and world as the simulator), and students connect with ``telnet``,
``nc`` or ``swaks``.  Every connection's lines arrive through ``on_entries`` as the
server reads and answers them; the app keeps the newest :data:`KEEP_CONVERSATIONS`
conversations and shows one at a time - by default the newest (F5), F6/F7 step
through the others.

What is on screen is what the server really knows:

* the server pane: the conversation as the server had it, its buffers and the
  world's users and mailboxes (shared by every connection), as after each batch of
  lines the server handled;
* the client pane: the remote client's address and HELO name, and what it sent -
  its outbox and its own state are on the other machine, out of sight;
* the diagram and the explanation: the selected line, as in the simulator.

The command line does not send anything here (the clients type in their own
terminals): it explains a reply code, a command or an enhanced code typed into it.
On exit every open session gets 421 (RFC 5321 3.8) before the port closes.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Static

from ..i18n import N_, _
from ..mta import Entry, Fault, ServerMTA, Transcript, World
from ..mta.explain import explain_token
from ..mta.transcript import NOTE
from ..net import SimServer
from ..protocol.phrase import Phrase
from .export import Part
from .keys import COMMON_ACTIONS, bindings_for
from .model import ProfileRules, ServerView, profile_rules, server_view
from .remote import RemoteApp
from .shell import Inside

KEEP_CONVERSATIONS = 50   # a classroom's worth; older ones are dropped (memory stays flat)
# Lines kept per conversation: past WINDOW_LINES the oldest go, down to WINDOW_KEPT (in
# one step, so that trimming is rare), behind a marker saying so.  One client pipelining
# 200,000 NOOPs must not exhaust the teacher's machine.
WINDOW_LINES = 2000
WINDOW_KEPT = 1500
OLDER_NOT_KEPT = N_("older lines not kept: {count} earlier line(s) of this connection were "
                    "dropped to keep memory bounded")

LISTEN_ACTIONS = COMMON_ACTIONS[:1] + [
    ("f5", "follow_newest", N_("Newest conn"), N_("Follow the newest connection"),
     N_("Show each new connection as it arrives"), True),
    ("f6", "switch(-1)", N_("Prev conn"), N_("Previous connection"),
     N_("Show the connection before this one (stops following the newest)"), True),
    ("f7", "switch(1)", N_("Next conn"), N_("Next connection"),
     N_("Show the connection after this one"), True),
] + COMMON_ACTIONS[1:]


@dataclass
class Conversation:
    """One TCP connection as the app saw it."""

    id: int
    entries: list[Entry] = field(default_factory=list)
    peer: str = "?"
    mta: ServerMTA | None = None                         # its ServerMTA while open
    snapshots: list[ServerView] = field(default_factory=list)
    snapshot_ends: list[int] = field(default_factory=list)
    open: bool = True
    dropped: int = 0       # lines dropped from the front (see WINDOW_LINES)
    offset: int = 0        # what to subtract from a new entry's index to get its place

    @property
    def client_label(self) -> str:
        return _("remote client #{number}").format(number=self.id)   # this label stays


class ListenApp(RemoteApp):
    ACTIONS = LISTEN_ACTIONS
    BINDINGS: ClassVar[list[BindingType]] = bindings_for(LISTEN_ACTIONS)
    INTRO = N_("Listen mode: the server MTA on the right is on a real TCP port; students "
               "connect with telnet, nc or swaks and every line they send is answered and "
               "explained here. F5 follows the newest connection, F6/F7 show the others. "
               "Select a line (Tab to a pane, ↑/↓, or click) for its explanation and the "
               "state diagram as it was. Type a code or command below to explain it.")

    def __init__(self, profile: str = "modern", faults: tuple[Fault, ...] = (),
                 world: World | None = None, *, host: str = "127.0.0.1", port: int = 2525,
                 **options) -> None:
        self.server = SimServer(profile, faults, world, on_entries=self.on_entries)
        super().__init__(_("(no client yet)"), self.server.world.server.name, **options)
        self.host, self.port = host, port
        self.address: tuple[str, int] | None = None
        self.conversations: dict[int, Conversation] = {}
        self.shown: int | None = None
        self.follow = True
        self._closing = False

    def diagram_rules(self) -> ProfileRules:
        return profile_rules(self.server.profile)   # students talk to this profile

    def export_about(self, conversation: Conversation | None = None) -> tuple[str, str]:
        server = self.server
        faults = "".join(f" --fault {f.spec}" for f in server.faults)
        if conversation is None and self.shown is not None:
            conversation = self.conversations.get(self.shown)
        who = f"{conversation.client_label} ({conversation.peer})" if conversation else \
            _("no client yet")
        return (_("A real client, {who}, talking to `smtpsim --listen` (profile **{profile}**; "
                  "faults armed: {faults}). The script replays its lines against the same "
                  "simulated server.").format(
                      who=who, profile=server.profile.name,
                      faults=", ".join(f.spec for f in server.faults) or _("none")),
                f"smtpsim run FILE --profile {server.profile.name}{faults}")

    def export_parts(self, whole: bool) -> list[Part]:
        """F9: the conversation on screen, or every connection still kept."""
        if not whole:
            return super().export_parts(whole)
        parts = []
        for connection_id in sorted(self.conversations):
            conversation = self.conversations[connection_id]
            transcript = Transcript()
            transcript.entries = self.client_side(conversation, conversation.entries)
            about, replay = self.export_about(conversation)
            parts.append(Part(transcript, about, replay, conversation.client_label))
        return parts or super().export_parts(False)

    def connection_count(self) -> int:
        return max(1, len(self.conversations))

    def compose_bar(self) -> ComposeResult:
        with Horizontal(id="lookup-bar"):
            yield Static(_("explain"), id="lookup-prompt")
            # the line is 69 columns wide at 80x24: the placeholder fits in it
            yield Input(placeholder=_("a code or command (550, SOML): clients type in their "
                                      "own terminals"), id="command")

    # -- the server's life ------------------------------------------------------------
    async def on_mount(self) -> None:
        try:
            self.address = await self.server.start(self.host, self.port)
        except OSError as error:
            self.exit(return_code=1, message=_("smtpsim: cannot listen on {host}:{port}: "
                                               "{error}").format(
                host=self.host, port=self.port, error=error.strerror or error))
            return
        self.query_one("#command", Input).focus()
        self.refresh_view()

    async def on_unmount(self) -> None:
        self._closing = True
        if self.address is not None:
            await self.server.shutdown()   # 421 to every open session, then close

    def on_entries(self, connection_id: int, entries: list[Entry]) -> None:
        conversation = self.conversations.get(connection_id)
        if conversation is None:
            conversation = self._new_conversation(connection_id)
        if conversation.mta is None:
            self._find_connection(conversation)
        start = conversation.dropped + len(conversation.entries)
        if conversation.offset:
            entries = [replace(e, index=e.index - conversation.offset) for e in entries]
        conversation.entries.extend(entries)
        trimmed = len(conversation.entries) > WINDOW_LINES and self._trim(conversation)
        if any(e.side == NOTE and e.lines[0] == f"connection {connection_id} closed"
               for e in entries):
            conversation.open, conversation.mta = False, None
        elif conversation.mta is not None:
            self._snapshot(conversation)
        if self._closing:
            return
        if self.follow and connection_id != self.shown and start == 0:
            self.show(connection_id)
        elif connection_id == self.shown and trimmed:
            self.show(connection_id)   # the panes start again from the marker
        elif connection_id == self.shown:
            self.add_entries(self.client_side(conversation, entries))
        else:
            self.refresh_view()        # the status line counts every connection

    def _trim(self, conversation: Conversation) -> bool:
        """Keep the newest WINDOW_KEPT lines behind a marker; indexes start again at 0."""
        entries = conversation.entries
        cut = len(entries) - WINDOW_KEPT   # entries[cut:] stay, after the marker at 0
        kept = entries[cut:]
        conversation.dropped += cut - (1 if conversation.dropped else 0)
        marker = Entry(0, NOTE, (Phrase(OLDER_NOT_KEPT, count=conversation.dropped),),
                       self.server.world.server.name, kept[0].before, kept[0].before)
        shift = cut - 1
        conversation.entries = [marker] + [replace(e, index=e.index - shift) for e in kept]
        conversation.offset += shift
        pairs = [(end - shift, view) for end, view
                 in zip(conversation.snapshot_ends, conversation.snapshots, strict=True)
                 if end - shift >= 1]
        conversation.snapshot_ends = [end for end, _ in pairs]
        conversation.snapshots = [view for _, view in pairs]
        return True

    def _new_conversation(self, connection_id: int) -> Conversation:
        conversation = Conversation(connection_id)
        self.conversations[connection_id] = conversation
        for old in sorted(self.conversations)[:-KEEP_CONVERSATIONS]:
            if old != self.shown:
                del self.conversations[old]
        return conversation

    def _find_connection(self, conversation: Conversation) -> None:
        for connection in self.server.connections:
            if connection.id == conversation.id:
                conversation.mta = connection.mta
                transport = connection.transport
                peer = transport.get_extra_info("peername") if transport else None
                if peer:
                    conversation.peer = f"{peer[0]}:{peer[1]}"

    def _snapshot(self, conversation: Conversation) -> None:
        if conversation.mta is None:   # only an open connection has one (the caller checks)
            return
        previous = conversation.snapshots[-1] if conversation.snapshots else None
        conversation.snapshots.append(server_view(conversation.mta, conversation.entries,
                                                  previous))
        conversation.snapshot_ends.append(len(conversation.entries) - 1)

    def client_side(self, conversation: Conversation, entries: list[Entry]) -> list[Entry]:
        """The panes tell sent from received by the sender's name; a remote client
        names itself (its address, then its HELO name): one label for all its lines."""
        ours = self.server.world.server.name
        return [entry if entry.side == NOTE or entry.sender == ours
                else replace(entry, sender=conversation.client_label) for entry in entries]

    # -- which conversation is on screen --------------------------------------------------
    def show(self, connection_id: int) -> None:
        self.shown = connection_id
        conversation = self.conversations[connection_id]
        self.show_conversation(self.client_side(conversation, conversation.entries),
                               conversation.client_label, self.server.world.server.name)

    def action_follow_newest(self) -> None:
        self.follow = True
        self.status_note = _("following the newest connection")
        if self.conversations:
            self.show(max(self.conversations))
        else:
            self.refresh_view()

    def action_switch(self, step: int) -> None:
        ids = sorted(self.conversations)
        if not ids:
            self.status_note = _("no connection yet")
            self.refresh_view()
            return
        here = ids.index(self.shown) if self.shown in ids else len(ids) - 1
        self.follow = False
        self.status_note = ""
        self.show(ids[max(0, min(len(ids) - 1, here + step))])

    # -- what the panes say ------------------------------------------------------------
    def inner_views(self, index: int | None) -> tuple[Inside, Inside]:
        host, port = self.address or (self.host, self.port)
        conversation = self.conversations.get(self.shown) if self.shown else None
        if conversation is None:
            waiting = Text(_("No client yet. Connect from a terminal:") + "\n", "bold")
            waiting.append(f"  telnet {host} {port}\n  nc -C {host} {port}\n"
                           f"  swaks --server {host}:{port} --to bob@mail.example")
            return waiting, Text(_("listening on {host}:{port}; profile {profile}").format(
                host=host, port=port, profile=self.server.profile.name), "dim")
        client = Text()
        client.append(_("remote client") + " ", "dim").append(conversation.peer, "bold")
        name = getattr(conversation.mta, "client_name", None)
        if name:
            client.append("\n" + _("said hello as") + " ", "dim").append(name)
        client.append("\n" + _("connection") + " ", "dim").append(
            _("open") if conversation.open else _("closed"))
        client.append("\n" + _("its outbox and state: on its own machine"), "italic")
        ends = conversation.snapshot_ends
        if not ends:
            return client, Text(_("(the greeting is on its way)"), "dim")
        at = len(conversation.entries) - 1 if index is None else index
        server = conversation.snapshots[min(bisect.bisect_left(ends, at), len(ends) - 1)]
        return client, server

    def status_text(self, index: int | None) -> Text:
        server = self.server
        text = Text()
        text.append("smtpsim", "bold")
        if self.address:
            text.append("  " + _("listening on {host}:{port}").format(
                host=self.address[0], port=self.address[1]), "bold")
        faults = " ".join(f.spec for f in server.faults) or _("none")
        text.append(f"  {server.profile.name}  " + _("faults {faults}").format(faults=faults))
        text.append("  " + _("{open} open, {total} in all, {accepted} accepted").format(
            open=len(server.connections), total=server.total_connections,
            accepted=server.accepted_messages))
        if self.shown is not None and index is not None:
            state = self.entries[index].after.value if self.entries else "-"
            text.append(f"  #{self.shown} {state}", "bold")
            if self.follow:
                text.append(" " + _("(newest)"))
        return text

    # -- the lookup line ----------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        from .widgets.explanation import ExplanationPane
        token = event.value.strip()
        event.input.value = ""
        if not token:
            return
        explanation = explain_token(token)
        pane = self.query_one(ExplanationPane)
        if explanation is None:
            self.status_note = _("nothing is called {token} in the catalogue").format(
                token=repr(token[:40]))
            self.refresh_view()
            return
        self.status_note = _("Esc: back to the conversation")
        pane.show(explanation, _("lookup: {token}").format(token=token[:40]))
        self.update_status(self.selected if self.selected is not None else
                           (self.newest_reply() if self.entries else None))
