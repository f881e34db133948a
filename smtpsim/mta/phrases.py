"""The protocol layer's detail phrases, in the learner's language.

``smtpsim.protocol`` says what is wrong with a line or a path in English and keeps the
template of each sentence (:class:`smtpsim.protocol.phrase.Phrase`); it never imports
gettext.  This module lists those templates as messages, so that Babel extracts them and
a translator sees them in the ``.po`` file, and :func:`say` renders a reply's context
value in the current language.  ``tests/test_i18n_phrases.py`` checks that every
template the protocol layer defines is listed here.
"""

from __future__ import annotations

from typing import Any

from ..i18n import N_, _
from ..protocol.phrase import Phrase

#: Every Phrase template of smtpsim.protocol (paths, literals, framing), as msgids.
PROTOCOL_PHRASES = (
    # protocol/paths.py
    N_("'{text}' is not of the form local-part@domain"),
    N_("'{local}' is not a valid local-part"),
    N_("'{domain}' is not a valid domain"),
    N_("the local-part has {octets} octets; the limit is {limit}"),
    N_("the domain has {octets} octets; the limit is {limit}"),
    N_("the argument must start with '{head}'"),
    N_("a space after '{head}' is not allowed"),
    N_("the path must be written inside angle brackets <...>"),
    N_("the closing '>' of the path is missing"),
    N_("the path has {octets} octets; the limit is {limit}"),
    N_("parameters must be separated from the path by a space"),
    N_("the null path <> is allowed only as a reverse-path"),
    N_("'{word}' is not a valid KEYWORD=value parameter"),
    # protocol/literals.py
    N_("an address literal is written inside square brackets"),
    N_("'{text}' is not an IPv4 literal: it needs exactly four numbers 0-255 "
       "separated by dots, like [192.0.2.1]"),
    N_("'{text}' is not an IPv6 literal: after 'IPv6:' comes an RFC 4291 address, "
       "like [IPv6:2001:db8::1] (RFC 5321 4.1.3)"),
    N_("'{text}' is not an address literal: write [192.0.2.1], "
       "[IPv6:2001:db8::1], or a registered tag and content, [tag:content]"),
    # protocol/framing.py
    N_("0x{value:02X} ({name})"),
    N_("a control character"),
    N_("EOT (Ctrl-D)"), N_("BS (backspace)"), N_("ESC (often an arrow key)"),
    N_("DEL (backspace on many terminals)"),
    N_("CR NUL (telnet's bare CR)"),
    N_("longer than {limit} octets"),
    N_("line ended with LF alone, not CRLF"),
    N_("{octets} octets with CRLF; the limit is {limit}"),
    N_("a CR inside the line that is not followed by LF"),
    N_("0x{value:02X} is not US-ASCII"),
    N_("an empty line"),
    N_("{verb!r} is not a command word"),
    # protocol/client.py: what the client cannot send, and replies it cannot read
    N_("after 354 only message text can be sent, ending with '.'"),
    N_("the connection is closed"),
    N_("one line at a time: no LF inside"),
    N_("message text can only be sent after a 354 reply"),
    N_("{count} line(s) of a multi-line {code} reply"),
    N_("{count} octet(s) of a line without its CRLF"),
    N_("{lines} and {octets}"),
    N_("a reply line longer than {limit} octets (RFC 5321 4.5.3.1.5 allows 512)"),
    N_("{count} lines in a row that are not SMTP reply lines (three digits, "
       "then a space or '-')"),
    N_("a reply line starts with three digits and a space or '-'"),
    N_("a reply code starts with a digit from 2 to 5, not {digit}"),
    N_("a bare CR inside a reply line: lines end with CRLF only"),
    N_("every line of a multi-line reply must carry the same code"),
    N_("a {code} reply still going after {lines} lines and {octets} octets "
       "(the limit is {limit} lines)"),
)

#: What a reply answers when no command asked for it (protocol.client; <connection> is a
#: refusal before any greeting, net.connection), said in notes and explanations.
REPLY_MARKERS = (N_("<greeting>"), N_("<end of data>"), N_("<connection>"))

#: The states' descriptions (smtpsim.protocol.states), shown under the state diagram.
STATE_DESCRIPTIONS = (
    N_("connected and greeted (220); the client has not said HELO/EHLO yet"),
    N_("HELO/EHLO accepted; no mail transaction open, all buffers empty"),
    N_("a transaction is open: the reverse-path is stored, no recipient yet"),
    N_("at least one recipient accepted; DATA may follow"),
    N_("354 sent: every line is message text until a line holding only '.'"),
    N_("TURN accepted: the roles are reversed on the same connection"),
    N_("the connection is closed"),
)

#: What became of a message of the client MTA's outbox (OutgoingMessage.outcome).
OUTCOMES = (N_("waiting"), N_("delivered"), N_("deferred"), N_("failed"))


def say(value: Any) -> Any:
    """A reply's context value as the learner reads it: a Phrase re-said in the current
    language, a plain string looked up as a message, anything else as it is."""
    if isinstance(value, Phrase):
        return value.render(_)
    return _(value) if isinstance(value, str) else value


def error_text(error: BaseException) -> str:
    """An exception's message in the learner's language: a ProtocolError (or any error)
    raised with a Phrase is re-said; any other message is shown as it is."""
    first = error.args[0] if error.args else None
    return first.render(_) if isinstance(first, Phrase) else str(error)


def note_text(lines: tuple[str, ...]) -> tuple[str, ...]:
    """The lines of a transcript note (``*``) in the learner's language: a note recorded
    as a Phrase is said again now, so a language switch reaches notes already shown."""
    return tuple(line.render(_) if isinstance(line, Phrase) else line for line in lines)
