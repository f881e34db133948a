"""The server MTA's dispatch table: which handler decides each verb's reply.

The one place that imports every handler module and names, verb by verb, the
function that answers it (aiosmtpd's ``smtp_<VERB>`` idea, as a table).  The
handlers do not register themselves: this module imports them, and
:mod:`smtpsim.mta.server` imports this one, so nothing imports back up.

To add a command: write its handler in a ``handlers_*`` module (it returns an
:class:`~smtpsim.mta.answer.Answer` naming a catalogue reply id), add a row here,
and add its transitions to :data:`smtpsim.protocol.states.TRANSITIONS`.
"""

from __future__ import annotations

from .answer import Handler
from .handlers_core import data, end_of_data, hello, mail, noop, quit_, rcpt, rset
from .handlers_info import expn, help_, vrfy
from .handlers_legacy import etrn, tick, turn, verb

#: verb -> handler.  A verb missing here is "verb.unknown" (500, RFC 5321 4.2.4).
HANDLERS: dict[str, Handler] = {
    "HELO": hello,
    "EHLO": hello,
    "MAIL": mail,
    "SEND": mail,
    "SOML": mail,
    "SAML": mail,
    "RCPT": rcpt,
    "DATA": data,
    "RSET": rset,
    "NOOP": noop,
    "QUIT": quit_,
    "VRFY": vrfy,
    "EXPN": expn,
    "HELP": help_,
    "TURN": turn,
    "VERB": verb,
    "TICK": tick,
    "ETRN": etrn,
}

#: A line the framing layer could not read as a command (protocol.BadLine.problem) and
#: its reply: no verb, so no handler.
LINE_REPLIES = {
    "too_long": "line.too_long",
    "bare_lf": "line.bare_lf",
    "bare_cr": "line.bare_cr",
    "cr_nul": "line.cr_nul",
    "control": "line.control",
    "eight_bit": "line.eight_bit",
    "empty": "line.empty",
    "bad_verb": "line.bad_verb",
}

# The message text after DATA's 354 is no verb: the server MTA hands it, at the final
# ".", to handlers_core.end_of_data (imported above for it; RFC 5321 4.1.1.4).
__all__ = ["HANDLERS", "LINE_REPLIES", "end_of_data"]
