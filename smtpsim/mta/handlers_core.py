"""The core verbs of RFC 5321: HELO, EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.

SEND, SOML and SAML share MAIL's handler (RFC 821 4.1.1: they take the same
argument and open a transaction the same way); only delivery differs.
"""

from __future__ import annotations

import re

from ..protocol import Command, MessageData, PathError, parse_path_argument
from ..protocol.framing import SIZE_EXTRA_OCTETS
from .delivery import StoreError, deliver
from .resolve import resolve
from .envelope import Envelope, Recipient
from .server import Answer, ServerMTA, handles

_DOMAIN = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*"
                     r"[A-Za-z0-9])?)*\.?$|^\[[^\[\]\\]+\]$")
_OPENED_WITH = {"SEND": "mail.ok_send", "SOML": "mail.ok_soml", "SAML": "mail.ok_saml"}
# Who asked for a relay, in the explanation: a TCP peer has no address in the simulated
# world, and a host without a network of its own relays for nobody.
OUTSIDE = "an address outside the simulated world"
NO_NETWORK = "none"
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def _path_error(error: PathError, keyword: str) -> Answer:
    kind = {"syntax": "path.syntax", "too_long": "path.too_long",
            "mailbox": "path.mailbox"}[error.kind]
    return Answer(kind, {"detail": error.detail, "keyword": keyword})


@handles("HELO", "EHLO")
def hello(server: ServerMTA, command: Command) -> Answer:
    name = command.argument.strip()
    if not name or " " in name or not _DOMAIN.match(name):
        # RFC 821 4.1.1 / RFC 5321 4.1.4: a refused HELO leaves the state as it was.
        return Answer("helo.bad_domain", {"verb": command.verb, "argument": name})
    server.client_name = name
    discarded = server.envelope.via != ""
    server.envelope = Envelope()   # RFC 5321 4.1.4: an accepted HELO/EHLO acts like RSET
    effects = ("the open transaction was discarded",) if discarded else ()
    # Extensions live as long as the EHLO that announced them: a later HELO starts a
    # plain SMTP session again (no parameters, the 512-octet MAIL line, "with SMTP").
    server.used_ehlo = command.verb == "EHLO"
    sized = server.used_ehlo and server.profile.advertises("SIZE")
    server.conn.set_mail_extra_octets(SIZE_EXTRA_OCTETS if sized else 0)
    if command.verb == "HELO":
        return Answer("helo.ok", {"client": name}, effects)
    keywords = "\n".join(server.profile.extensions)
    return Answer("ehlo.ok", {"client": name, "extensions": keywords}, effects)


@handles("MAIL", "SEND", "SOML", "SAML")
def mail(server: ServerMTA, command: Command) -> Answer:
    try:
        path = parse_path_argument(command.argument, "FROM", allow_null=True)
    except PathError as error:
        return _path_error(error, "FROM")
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
    server.envelope = Envelope(verb, sender, [], int(size) if size else None)
    reply_id = "mail.ok" if verb == "MAIL" else _OPENED_WITH[verb]
    # the null reverse-path reads "<>" once the template puts its brackets around it
    return Answer(reply_id, {"path": sender})


def _check_parameters(server: ServerMTA, params: dict, allowed: tuple[str, ...]) -> Answer | None:
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


@handles("RCPT")
def rcpt(server: ServerMTA, command: Command) -> Answer:
    try:
        path = parse_path_argument(command.argument, "TO", allow_null=False)
    except PathError as error:
        return _path_error(error, "TO")
    if path.params:
        problem = _check_parameters(server, path.params, allowed=())
        if problem:
            return problem
    envelope = server.envelope
    limit = server.profile.max_recipients
    if len(envelope.recipients) >= limit:
        reply_id = "rcpt.too_many" if server.profile.too_many_recipients_code == 452 \
            else "rcpt.too_many_821"
        return Answer(reply_id, {"limit": limit})
    envelope.rcpt_attempts += 1
    address = "postmaster@" + server.host.name if path.postmaster else path.text
    target = resolve(server.world, server.host, address, relays=server.profile.relays,
                     own_network=server.client_in_network)
    context = {"path": address, **target.context}
    if target.kind.startswith("relay"):
        context.update(client_address=server.client_address or OUTSIDE,
                       network=server.host.network or NO_NETWORK)
    if target.kind in ("unknown", "moved", "relay_denied"):
        return Answer(f"rcpt.{target.kind}", context)
    if server.greylist is not None and target.kind in ("local", "list"):
        # RFC 6647: a triplet never seen before is refused for a while (451 4.7.1).
        wait = server.greylist.wait_left(server.client_address or "", envelope.sender or "",
                                         address)
        if wait:
            return Answer("rcpt.greylisted", {**context, "seconds": wait})
    if envelope.via in ("SEND", "SOML", "SAML") and target.kind in ("local", "list"):
        return _terminal_rcpt(server, envelope, target, address, context)
    envelope.recipients.append(Recipient(address, target.local, target.forward_to))
    return Answer(f"rcpt.{target.kind}", context)


def _terminal_rcpt(server: ServerMTA, envelope: Envelope, target, address: str,
                   context: dict) -> Answer:
    """RFC 821 3.4: SEND needs the terminal; SOML falls back to the mailbox; SAML uses both."""
    users = target.users
    reachable = all(u.reachable_at_terminal for u in users)
    if envelope.via == "SEND" and not reachable:
        away = next(u for u in users if not u.reachable_at_terminal)
        return Answer("rcpt.send_unavailable", {**context, "user": away.name,
                                                "status": away.terminal_status})
    envelope.recipients.append(Recipient(address, target.local))
    if envelope.via == "SOML" and not reachable:
        return Answer("rcpt.soml_mailbox", context)
    if envelope.via == "SAML" and not reachable:
        return Answer("rcpt.saml_mailbox_only", context)
    return Answer(f"rcpt.{envelope.via.lower()}_terminal", context)


@handles("DATA")
def data(server: ServerMTA, command: Command) -> Answer:
    if command.argument:
        return Answer("args.none_allowed", {"verb": "DATA"})
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
    find_user = server.host.find_user
    for r in envelope.recipients:
        if r.local and (u := find_user(r.local)) and u.mailbox_full:
            return Answer("dot.mailbox_full", {"path": r.address})
    queue_id = server.new_queue_id()
    try:
        effects, progress = deliver(server, envelope, message.content, queue_id)
    except StoreError as error:
        return Answer("dot.store_failed", {"detail": str(error)})
    if progress:   # VERB mode: sendmail's 050 lines come before the 250
        return Answer("dot.ok", {"queue_id": queue_id, "size": message.size}, effects,
                      tuple(("verb.progress", {"line": line}) for line in progress))
    return Answer("dot.ok", {"queue_id": queue_id, "size": message.size}, effects)


@handles("RSET")
def rset(server: ServerMTA, command: Command) -> Answer:
    if command.argument:
        return Answer("args.none_allowed", {"verb": "RSET"})
    discarded = server.envelope.via != ""
    server.envelope = Envelope()
    return Answer("rset.ok", {}, ("the open transaction was discarded",) if discarded else ())


@handles("NOOP")
def noop(server: ServerMTA, command: Command) -> Answer:
    if command.argument and not server.profile.esmtp:
        # RFC 821 4.1.2 gives NOOP no argument; RFC 5321 4.1.1.9 lets servers ignore one.
        return Answer("args.none_allowed", {"verb": "NOOP"})
    return _NOOP_OK


# The same answer every time (a burst of pipelined NOOPs asks for it thousands of times);
# like every Answer, it is only read once made.
_NOOP_OK = Answer("noop.ok", {})


@handles("QUIT")
def quit_(server: ServerMTA, command: Command) -> Answer:
    if command.argument:
        return Answer("args.none_allowed", {"verb": "QUIT"})
    discarded = server.envelope.via != ""
    server.envelope = Envelope()
    return Answer("quit.ok", {}, ("the unfinished transaction was discarded",)
                  if discarded else ())
