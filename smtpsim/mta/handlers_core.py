"""The core verbs of RFC 5321: HELO, EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.

SEND, SOML and SAML share MAIL's handler (RFC 821 4.1.1: they take the same
argument and open a transaction the same way); only delivery differs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..i18n import N_, _
from ..protocol import Command, MessageData, PathError, parse_path_argument
from ..protocol.framing import SIZE_EXTRA_OCTETS
from ..protocol.literals import ipv4_ok, literal_problem
from ..protocol.paths import Path
from ..protocol.phrase import Phrase
from .answer import Answer
from .delivery import StoreError, deliver, full_mailboxes
from .envelope import Envelope, Recipient
from .resolve import Target, resolve

#: A reply's effects, recorded in English and said in the learner's language by the
#: explanation (phrases.say): an accepted HELO/EHLO or RSET aborts the open transaction
#: (RFC 5321 4.1.4, 4.1.1.5), and QUIT drops an unfinished one: only the end of the mail
#: data makes the server process a transaction (RFC 5321 4.1.1.4).
OPEN_DISCARDED = N_("the open transaction was discarded")
UNFINISHED_DISCARDED = N_("the unfinished transaction was discarded")
RESTARTED = N_("{verb} started a new transaction: the open one and its {count} recipient(s) "
               "were discarded (RFC 821 4.1.1)")

if TYPE_CHECKING:
    from .server import ServerMTA

_DOMAIN = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*"
                     r"[A-Za-z0-9])?)*\.?$")
_ONLY_DOTNUM = N_("an RFC 821 host knows only IPv4 literals like [192.0.2.1] (RFC 821 4.1.2)")
_OPENED_WITH = {"SEND": "mail.ok_send", "SOML": "mail.ok_soml", "SAML": "mail.ok_saml"}
#: RCPT's reply by what the address resolved to (resolve.Target.kind).  Written out, like
#: every reply id, so that a search for one finds where it is sent.
RCPT_BY_TARGET = {
    "local": "rcpt.local",
    "list": "rcpt.list",
    "forward": "rcpt.forward",
    "relay": "rcpt.relay",
    "relay_network": "rcpt.relay_network",
    "relay_denied": "rcpt.relay_denied",
    "moved": "rcpt.moved",
    "unknown": "rcpt.unknown",
}
#: RCPT after SEND / SOML / SAML, when the user's terminal takes the message.
_AT_TERMINAL = {"SEND": "rcpt.send_terminal", "SOML": "rcpt.soml_terminal",
                "SAML": "rcpt.saml_terminal"}
# Who asked for a relay, in the explanation: a TCP peer has no address in the simulated
# world, and a host without a network of its own relays for nobody.
OUTSIDE = N_("an address outside the simulated world")
NO_NETWORK = N_("none")
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def _path_error(error: PathError, keyword: str, rfc821: bool = False) -> Answer:
    # RFC 3463 3.2: X.1.7 is a bad sender's address syntax, X.1.3 a bad destination's;
    # an RFC 821 host sends no enhanced codes, and its 553 is explained in RFC 821 terms.
    if keyword == "FROM":
        mailbox = "path.sender_mailbox_821" if rfc821 else "path.sender_mailbox"
    else:
        mailbox = "path.mailbox_821" if rfc821 else "path.mailbox"
    kind = {"syntax": "path.syntax", "too_long": "path.too_long",
            "mailbox": mailbox}[error.kind]
    return Answer(kind, {"detail": error.detail, "keyword": keyword})


def _parse_path(server: ServerMTA, argument: str, keyword: str) -> Path:
    """The path of MAIL or RCPT, held to this profile's grammar.

    RFC 821 4.1.2: ``<element> ::= <name> | "#" <number> | "[" <dotnum> "]"`` - the
    only address literal an RFC 821 host knows is an IPv4 one, in a path as in HELO."""
    path = parse_path_argument(argument, keyword, allow_null=keyword == "FROM")
    domain = path.mailbox.domain if path.mailbox else ""
    if server.profile.rfc821 and domain.startswith("[") and not ipv4_ok(domain[1:-1]):
        raise PathError("mailbox", _ONLY_DOTNUM)
    return path


def _hello_problem(server: ServerMTA, verb: str, name: str) -> str | None:
    """The reply id refusing this HELO/EHLO argument, or None when it is acceptable.

    RFC 5321 4.1.1.1: ``ehlo = "EHLO" SP ( Domain / address-literal )`` but
    ``helo = "HELO" SP Domain`` - a literal belongs to EHLO.  RFC 821 4.1.2's
    <domain> had literal elements of its own ("[" <dotnum> "]"), so an RFC 821 host
    takes an IPv4 literal in HELO."""
    if not name or " " in name:
        return "helo.bad_domain"
    if name.startswith("["):
        if verb == "HELO" and not server.profile.rfc821:
            return "helo.literal_needs_ehlo"   # well formed or not: HELO takes no literal
        if literal_problem(name) is not None:
            return "helo.bad_literal"
        if server.profile.rfc821 and not ipv4_ok(name[1:-1]):
            return "helo.bad_literal"   # RFC 821 knew only [dotnum]
        return None
    return None if _DOMAIN.match(name) else "helo.bad_domain"


def hello(server: ServerMTA, command: Command) -> Answer:
    name = command.argument.strip()
    problem = _hello_problem(server, command.verb, name)
    if problem:
        # RFC 821 4.1.1 / RFC 5321 4.1.4: a refused HELO leaves the state as it was.
        detail = (literal_problem(name) or _ONLY_DOTNUM) if problem == "helo.bad_literal" \
            else ""
        return Answer(problem, {"verb": command.verb, "argument": name, "detail": detail})
    server.client_name = name
    discarded = server.envelope.via != ""
    server.envelope = Envelope()   # RFC 5321 4.1.4: an accepted HELO/EHLO acts like RSET
    effects = (OPEN_DISCARDED,) if discarded else ()
    # Extensions live as long as the EHLO that announced them: a later HELO starts a
    # plain SMTP session again (no parameters, the 512-octet MAIL line, "with SMTP").
    server.used_ehlo = command.verb == "EHLO"
    sized = server.used_ehlo and server.profile.advertises("SIZE")
    server.conn.set_mail_extra_octets(SIZE_EXTRA_OCTETS if sized else 0)
    if command.verb == "HELO":
        return Answer("helo.ok", {"client": name}, effects)
    keywords = "\n".join(server.profile.extensions)
    return Answer("ehlo.ok", {"client": name, "extensions": keywords}, effects)


def mail(server: ServerMTA, command: Command) -> Answer:
    try:
        path = _parse_path(server, command.argument, "FROM")
    except PathError as error:
        return _path_error(error, "FROM", server.profile.rfc821)
    params = path.params
    size = None
    if params:
        problem = _check_parameters(server, params, allowed=("SIZE", "BODY"))
        if problem:
            return problem
        size = params.get("SIZE")
        if size is not None:
            if not size.isdigit() or len(size) > 20:
                return Answer("param.bad_value", {"param": "SIZE", "value": size})
            if int(size) > server.profile.max_size:
                # RFC 1870 6: a declared size over the fixed maximum is a permanent 552.
                return Answer("mail.size_exceeded", {"size": size,
                                                     "max_size": server.profile.max_size})
        body = params.get("BODY")
        if "BODY" in params and (body or "").upper() not in ("7BIT", "8BITMIME"):
            return Answer("param.bad_value", {"param": "BODY", "value": body or ""})
    sender = path.text
    domain = path.mailbox.domain.lower() if path.mailbox else ""
    if domain in server.world.tempfail_domains:
        return Answer("mail.tempfail", {"path": sender, "domain": domain})
    host_name = server.host.name
    if (domain == host_name and server.profile.name != "classic" and server.checks_sender
            and (server.client_name or "").lower() != host_name):
        # The RFC-correct form of the tutorial's "403": 553 5.7.1 (Postfix) - see codes 403.
        return Answer("mail.not_owned", {"path": sender, "client": server.client_name or ""})
    verb = command.verb
    # Only an RFC 821 host gets here with a transaction open (RFC 821 4.1.1: MAIL, SEND,
    # SOML and SAML clear all three buffers); RFC 5321 answers 503 before the handler.
    restarted = server.envelope.via != ""
    dropped = len(server.envelope.recipients)
    server.envelope = Envelope(verb, sender, [], int(size) if size else None)
    reply_id = "mail.ok" if verb == "MAIL" else _OPENED_WITH[verb]
    if restarted:
        return Answer("mail.restarted" if verb == "MAIL" else reply_id, {"path": sender},
                      (Phrase(RESTARTED, verb=verb, count=dropped),))
    # the null reverse-path reads "<>" once the template puts its brackets around it
    return Answer(reply_id, {"path": sender})


def _check_parameters(server: ServerMTA, params: Mapping[str, str | None],
                      allowed: tuple[str, ...]) -> Answer | None:
    if not params:
        return None
    if not server.profile.esmtp:
        # An RFC 821 host knows no parameters at all: the argument is a syntax error.
        return Answer("param.classic", {"param": next(iter(params))})
    if not server.used_ehlo:
        return Answer("param.need_ehlo", {"param": next(iter(params))})
    for name in params:
        if name not in allowed or (name == "SIZE" and not server.profile.advertises("SIZE")) \
                or (name == "BODY" and not server.profile.advertises("8BITMIME")):
            return Answer("param.unknown", {"param": name})
    return None


def rcpt(server: ServerMTA, command: Command) -> Answer:
    try:
        path = _parse_path(server, command.argument, "TO")
    except PathError as error:
        return _path_error(error, "TO", server.profile.rfc821)
    if path.params:
        problem = _check_parameters(server, path.params, allowed=())
        if problem:
            return problem
    envelope = server.envelope
    limit = server.profile.max_recipients
    if envelope.named >= limit:
        reply_id = "rcpt.too_many" if server.profile.too_many_recipients_code == 452 \
            else "rcpt.too_many_821"
        return Answer(reply_id, {"limit": limit})
    envelope.rcpt_attempts += 1
    address = "postmaster@" + server.host.name if path.postmaster else path.text
    target = resolve(server.world, server.host, address, relays=server.profile.relays,
                     own_network=server.client_in_network)
    context = {"path": address, **target.context}
    if target.kind.startswith("relay"):
        context.update(client_address=server.client_address or _(OUTSIDE),
                       network=server.host.network or _(NO_NETWORK))
    if target.kind in ("unknown", "moved", "relay_denied"):
        return Answer(RCPT_BY_TARGET[target.kind], context)
    # A forward-path already in the buffer is kept once: one delivery, not one per RCPT
    # (RFC 5321 is silent on repeats; Postfix and sendmail fold them the same way).
    key = delivery_key(target.local, target.forward_to or address)
    first = next((r.address for r in envelope.recipients
                  if delivery_key(r.local, r.forward_to or r.address) == key), None)
    if first is not None:
        envelope.named += 1
        return Answer("rcpt.duplicate", {**context, "first": first})
    if server.greylist is not None and target.kind in ("local", "list"):
        # RFC 6647: a triplet never seen before is refused for a while (451 4.7.1).
        wait = server.greylist.wait_left(server.client_address or "", envelope.sender or "",
                                         address)
        if wait:
            return Answer("rcpt.greylisted", {**context, "seconds": wait})
    if envelope.via in ("SEND", "SOML", "SAML") and target.kind in ("local", "list"):
        return _terminal_rcpt(server, envelope, target, address, context)
    envelope.recipients.append(Recipient(address, target.local, target.forward_to))
    envelope.named += 1
    return Answer(RCPT_BY_TARGET[target.kind], context)


def delivery_key(local: str | None, address: str) -> str:
    """What a recipient is delivered to: the local user or list (case-insensitive, as
    this host finds them), or the remote address (its domain case-insensitive, RFC 5321
    2.4; the local-part as written)."""
    if local is not None:
        return local.lower()
    mailbox, at, domain = address.rpartition("@")
    return f"{mailbox}{at}{domain.lower()}" if at else address


def _terminal_rcpt(server: ServerMTA, envelope: Envelope, target: Target, address: str,
                   context: dict[str, Any]) -> Answer:
    """RFC 821 3.4: SEND needs the terminal; SOML falls back to the mailbox; SAML uses both."""
    users = target.users
    reachable = all(u.reachable_at_terminal for u in users)
    if envelope.via == "SEND" and not reachable:
        away = next(u for u in users if not u.reachable_at_terminal)
        return Answer("rcpt.send_unavailable", {**context, "user": away.name,
                                                "status": away.terminal_status})
    envelope.recipients.append(Recipient(address, target.local))
    envelope.named += 1
    if not reachable and envelope.via in ("SOML", "SAML"):
        # Why the terminal is out, said truthfully: not logged in (RFC 821's own "User not
        # active now"), or logged in but refusing messages (mesg n).
        away = next(u for u in users if not u.reachable_at_terminal)
        if envelope.via == "SOML":
            reply_id = "rcpt.soml_mailbox_refused" if away.logged_in else "rcpt.soml_mailbox"
        else:
            reply_id = ("rcpt.saml_mailbox_only_refused" if away.logged_in
                        else "rcpt.saml_mailbox_only")
        return Answer(reply_id, {**context, "user": away.name})
    return Answer(_AT_TERMINAL[envelope.via], context)


def data(server: ServerMTA, command: Command) -> Answer:
    if command.argument:
        return no_argument_allowed(server, "DATA")
    return Answer("data.go_ahead", {"count": len(server.envelope.recipients)})


def end_of_data(server: ServerMTA, message: MessageData) -> Answer:
    """The one final reply after <CRLF>.<CRLF>; the buffers are cleared whatever it says."""
    envelope, server.envelope = server.envelope, Envelope()
    if message.oversize or message.size > server.profile.max_size:
        return Answer("dot.too_big", {"size": message.size,
                                      "max_size": server.profile.max_size})
    if message.long_lines:
        return Answer("dot.line_too_long", {"count": message.long_lines})
    if EICAR in message.content:
        return Answer("dot.virus", {})
    full = full_mailboxes(server.host, envelope)
    if full and len(full) == len(envelope.recipients):
        # Nobody can take the message.  RFC 3463 3.3: a full mailbox (X.2.2) "should be
        # used as a persistent transient failure", so 452 4.2.2; an RFC 821 host, before
        # enhanced codes, said 552 "exceeded storage allocation" (RFC 821 4.2.1).
        reply_id = "dot.mailbox_full_821" if server.profile.rfc821 else "dot.mailbox_full"
        return Answer(reply_id, {"path": full[0].address})
    if full:
        # RFC 5321 4.4: delivered to some recipients only, the reply MUST be an OK reply,
        # and the server MUST send the sender a notice for the others.
        envelope.recipients = [r for r in envelope.recipients if r not in full]
    queue_id = server.new_queue_id()
    try:
        effects, progress = deliver(server, envelope, message.content, queue_id,
                                    undeliverable=tuple(r.address for r in full))
    except StoreError as error:
        return Answer("dot.store_failed", {"detail": str(error)})
    if progress:   # VERB mode: sendmail's 050 lines come before the 250
        return Answer("dot.ok", {"queue_id": queue_id, "size": message.size}, effects,
                      tuple(("verb.progress", {"line": line}) for line in progress))
    return Answer("dot.ok", {"queue_id": queue_id, "size": message.size}, effects)


def rset(server: ServerMTA, command: Command) -> Answer:
    if command.argument:
        return no_argument_allowed(server, "RSET")
    discarded = server.envelope.via != ""
    server.envelope = Envelope()
    return Answer("rset.ok", {}, (OPEN_DISCARDED,) if discarded else ())


# RFC 821 4.3 gives these verbs no 501 (NOOP: 250, 500, 421; QUIT: 221, 500; TURN: 250,
# 502, 500, 503): an argument its grammar (4.1.2) does not allow leaves a line that is no
# command at all, 500 "Syntax error, command unrecognized".
_NO_501_IN_821 = frozenset({"NOOP", "QUIT", "TURN"})


def no_argument_allowed(server: ServerMTA, verb: str) -> Answer:
    """The refusal of an argument ``verb`` takes none of: 501, or 500 on an RFC 821 host
    for the verbs whose RFC 821 4.3 row has no 501."""
    if server.profile.rfc821 and verb in _NO_501_IN_821:
        return Answer("args.none_allowed_821", {"verb": verb})
    return Answer("args.none_allowed", {"verb": verb})


def noop(server: ServerMTA, command: Command) -> Answer:
    if command.argument and server.profile.rfc821:
        # RFC 821 4.1.2 gives NOOP no argument; RFC 5321 4.1.1.9 lets servers ignore one.
        return no_argument_allowed(server, "NOOP")
    return _NOOP_OK


# The same answer every time (a burst of pipelined NOOPs asks for it thousands of times);
# like every Answer, it is only read once made.
_NOOP_OK = Answer("noop.ok", {})


def quit_(server: ServerMTA, command: Command) -> Answer:
    if command.argument:
        return no_argument_allowed(server, "QUIT")
    discarded = server.envelope.via != ""
    server.envelope = Envelope()
    return Answer("quit.ok", {}, (UNFINISHED_DISCARDED,) if discarded else ())
