"""An MTA pane: one host, titled with its name and its role, its conversation, its insides.

A pane belongs to a *host* (``client.example`` on the left, ``mail.example`` on the
right) for the whole connection; its *role* changes when TURN reverses the session
(RFC 821 3.8), and the title and the inner state follow.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical

from ...i18n import N_, _, ngettext
from ...mta import Entry
from ..model import ClientView, ServerView, UserView
from ..text import printable
from .text_view import TextView
from .transcript_view import TranscriptView

ROLE_TITLES = {"client": N_("client (sender)"), "server": N_("server (receiver)")}
LABEL = 13   # the width of the buffer labels ("forward-paths"); translations fit in it


def _label(text: str, width: int = LABEL) -> str:
    """A row's label, translated and padded: the values line up under each other."""
    return f"{_(text):<{width}} "


def _path(value: str | None) -> str:
    if value is None:
        return _("(empty)")
    return f"<{printable(value, 80)}>"


def render_buffers(view: ServerView) -> Text:
    """RFC 821 3.1: the receiver keeps three buffers, cleared at the end of a transaction."""
    text = Text()
    text.append(_("state") + " ", "dim").append(view.state.value, "bold reverse")
    text.append(f"  {view.profile}", "dim")
    opener = f" via {view.via}" if view.via and view.via != "MAIL" else ""
    text.append("\n" + _label(N_("reverse-path")), "dim").append(
        _path(view.reverse_path) + opener)
    paths = ("\n" + " " * (LABEL + 1)).join(_path(p) for p in view.forward_paths) \
        or _("(empty)")
    text.append("\n" + _label(N_("forward-paths")), "dim").append(paths)
    data = (ngettext("{lines} line, {octets} octets", "{lines} lines, {octets} octets",
                     view.data_lines).format(lines=view.data_lines, octets=view.data_octets)
            if view.data_lines else _("(empty)"))
    text.append("\n" + _label(N_("mail data")), "dim").append(data)
    if view.faults:
        text.append("\n" + _label(N_("armed faults")), "dim").append(" ".join(view.faults),
                                                                       "bold")
    if view.queued:
        text.append("\n" + _label(N_("queue")) + _("{count} held").format(count=view.queued),
                    "dim")
    return text


def _terminal(user: UserView) -> str:
    if not user.logged_in:
        return _("logged out")
    return _("at terminal") if user.accepts else "mesg n"


def render_users(view: ServerView) -> Text:
    """RFC 821 3.4: MAIL lands in a mailbox, SEND on a terminal, SOML/SAML on one or both."""
    text = Text()
    text.append(_label(N_("user"), 11) + "mbox tty", "dim")
    for user in view.users:
        style = "bold reverse" if user.changed else ""
        text.append(f"\n{user.name[:11]:<11} {user.mailbox:>4} {user.terminal:>3} ", style)
        text.append(_terminal(user), "dim" if not user.changed else "bold")
    return text


def render_client(view: ClientView) -> Text:
    text = Text()
    text.append(_label(N_("next step"), 9), "dim").append(printable(view.step, 120), "bold")
    text.append("\n" + _label(N_("outbox"), 9), "dim")
    text.append("\n          ".join(printable(m, 120) for m in view.outbox) or
                _("(empty: F2 composes a message)"))
    if view.done:
        text.append("\n" + _label(N_("sent"), 9), "dim").append(
            "\n          ".join(printable(m, 120) for m in view.done[-3:]))
    for note in view.notes:
        text.append("\n" + _label(N_("note"), 9), "dim").append(printable(note, 160), "italic")
    return text


class MtaPane(Vertical):
    """Border title: host and role.  Body: the conversation, then the machine's insides."""

    DEFAULT_CSS = """
    MtaPane { border: round $primary; border-title-style: bold; padding: 0; }
    MtaPane.-server { border: round $success; }
    MtaPane:focus-within { border: heavy $accent; }
    MtaPane > .inner-row { height: 5; border-top: hkey $panel; }
    MtaPane.-server > .inner-row { height: 9; }
    MtaPane .inner-row > TextView { width: 1fr; height: 1fr; }
    MtaPane .inner-row > .users { width: 34; padding-left: 1; }
    """

    def __init__(self, host: str, role: str, *, id: str | None = None) -> None:
        # The role class is set here, not on mount: a class change restyles the subtree.
        super().__init__(id=id, classes="-server" if role == "server" else "")
        self.host = host
        self.role = role
        self.turned = False
        self._shown: tuple | None = None
        self._subtitle = ""
        self.view = TranscriptView(host, id=f"{id}-lines" if id else None)
        self.inner = TextView(classes="inner")
        self.users = TextView(classes="users")

    def compose(self) -> ComposeResult:
        yield self.view
        with Horizontal(classes="inner-row"):
            yield self.inner
            yield self.users

    def on_mount(self) -> None:
        self.set_role(self.host, self.role, turned=False)

    def set_role(self, host: str, role: str, *, turned: bool) -> None:
        """Title the pane; after TURN say so, since the same host now plays the other part."""
        if (host, role, turned) == (self.host, self.role, self.turned) and self.border_title:
            return
        self.host, self.role = host, role
        self.view.host = host
        self.set_class(role == "server", "-server")
        self.turned = turned
        self.border_title = Text(f"{host} · {_(ROLE_TITLES[role])}")

    def reset(self, host: str, role: str) -> None:
        self.view.clear(host)
        self.set_role(host, role, turned=False)

    def add_entries(self, entries: list[Entry]) -> None:
        self.view.add_entries(entries)

    def _update_if_changed(self, widget: TextView, body: Text) -> None:
        if body != widget.text:
            widget.show_text(body)

    def show_inner(self, view: ServerView | ClientView | None, caption: str) -> None:
        if (view, caption, self.turned) == self._shown:
            return      # unchanged: an update would cost a layout pass for nothing
        self._shown = (view, caption, self.turned)
        # Keyed by what each text is made of: the buffers do not change with a delivery,
        # nor the users with a RCPT, and a text met before is not wrapped again.
        if view is None:
            self.inner.show_keyed(None, lambda: Text(
                _("(this host takes no part in the connection now)"), "dim"))
        elif isinstance(view, ServerView):
            self.inner.show_keyed(replace(view, users=()), lambda: render_buffers(view))
            self.users.show_keyed(view.users, lambda: render_users(view))
        else:
            self.inner.show_keyed(view, lambda: render_client(view))
        is_server = isinstance(view, ServerView)
        if self.users.display != is_server:
            self.users.display = is_server
        if not is_server:
            self.users.show_keyed((), Text)
        self._set_subtitle(caption)

    def show_message(self, body: Text, caption: str) -> None:
        """Words instead of the machine's insides: a remote host's are out of sight."""
        if (body, caption) == self._shown:
            return
        self._shown = (body, caption)
        self._update_if_changed(self.inner, body)
        if self.users.display:
            self.users.display = False
        self._set_subtitle(caption)

    def _set_subtitle(self, caption: str) -> None:
        parts = [_("roles reversed by TURN")] if self.turned else []
        parts += [caption] if caption else []
        subtitle = " · ".join(parts)
        if subtitle != self._subtitle:      # setting it repaints the whole pane
            self._subtitle = subtitle
            self.border_subtitle = Text(subtitle) if subtitle else ""
