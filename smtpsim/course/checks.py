"""Step checks: questions asked of the engine's outcome, never of the learner's text.

A lesson step says what must be *true* after the learner acted - "a reply with
code 251 was seen", "the session is in state RCPT", "bob's terminal received a
message" - so any correct way of getting there passes.  A check is written in a
lesson file as a TOML table with a ``kind`` (see ``lessons/README.md``):

=============  ===========================================================
kind           true when
=============  ===========================================================
reply_seen     a reply since the step began matches code/first_digit/verb/id
last_reply     the latest reply matches code/first_digit/verb/id
state          the server's session state is ``state``
recipients     the open envelope holds exactly ``count`` recipients
delivered      ``user`` got a new message in ``place`` (mailbox or terminal)
queued         the server now holds a message for ``to`` (next hop)
closed         the connection is closed
reversed       TURN reversed the roles on this connection
followed       followed over hop 2, a message for ``to`` ends ``result``
all / any      every / at least one of ``checks`` is true
=============  ===========================================================

Parsing validates against the catalogue (codes, verbs, reply ids), the protocol
states and the default world (user names), so a typo in a lesson is an error
when the lesson is checked, not a step nobody can ever pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import catalogue
from ..i18n import N_, _, ngettext
from ..mta import Entry, Session, default_world
from ..protocol import State
from .journey_checks import FOLLOWED_FIELDS, check_followed, describe_followed, validate_followed

KINDS = ("reply_seen", "last_reply", "state", "recipients", "delivered", "queued",
         "closed", "reversed", "followed", "all", "any")
PLACES = (N_("mailbox"), N_("terminal"))   # translated where a check names them
_REPLY_FIELDS = {"code", "first_digit", "verb", "id"}
FIELDS: dict[str, set[str]] = {
    "reply_seen": _REPLY_FIELDS, "last_reply": _REPLY_FIELDS, "state": {"state"},
    "recipients": {"count"}, "delivered": {"user", "place", "host", "line", "via"},
    "queued": {"to"}, "closed": set(), "reversed": set(), "all": {"checks"},
    "any": {"checks"}, "followed": FOLLOWED_FIELDS,
}
REQUIRED = {"state": {"state"}, "recipients": {"count"}, "delivered": {"user", "place"},
            "queued": {"to"}, "all": {"checks"}, "any": {"checks"},
            "followed": {"to", "result"}}


class CheckError(ValueError):
    """A check table that cannot work: unknown kind, field, code, verb, state, user."""


@dataclass(frozen=True)
class Check:
    kind: str
    fields: dict[str, Any] = field(default_factory=dict)
    children: tuple[Check, ...] = ()

    def describe(self) -> str:
        """What the check wants, in words a learner understands."""
        f = self.fields
        if self.kind in ("reply_seen", "last_reply"):
            what = _reply_words(f)
            return (_("the latest reply {what}") if self.kind == "last_reply"
                    else _("a reply {what}")).format(what=what)
        if self.kind == "state":
            return _("the session is in state {state}").format(state=f["state"])
        if self.kind == "recipients":
            return ngettext("the envelope holds {count} recipient",
                            "the envelope holds {count} recipients", f["count"]).format(
                count=f["count"])
        if self.kind == "delivered":
            via = _(" (asked for with {verb})").format(verb=f["via"]) if "via" in f else ""
            line = _(" containing the line {line}").format(line=repr(f["line"])) \
                if "line" in f else ""
            return _("a message{line} delivered to {user}'s {place}{via}").format(
                line=line, user=f["user"], place=_(f["place"]), via=via)
        if self.kind == "queued":
            return _("a message held at the server for <{address}>").format(address=f["to"])
        if self.kind == "followed":
            return describe_followed(f)
        if self.kind == "closed":
            return _("the connection is closed")
        if self.kind == "reversed":
            return _("the roles are reversed (TURN accepted)")
        joiner = _(" and ") if self.kind == "all" else _(" or ")
        return joiner.join(child.describe() for child in self.children)


def _reply_words(f: dict[str, Any]) -> str:
    parts = []
    if "code" in f:
        codes = f["code"] if isinstance(f["code"], list) else [f["code"]]
        parts.append(_("with code {codes}").format(
            codes=_(" or ").join(f"{c:03d}" for c in codes)))
    if "first_digit" in f:
        parts.append(_("of class {digit}yz").format(digit=f["first_digit"]))
    if "id" in f:
        parts.append(_("of kind {id}").format(id=f["id"]))
    if "verb" in f:
        parts.append(_("to {verbs}").format(verbs=_(" or ").join(f["verb"])))
    return " ".join(parts) or _("of any kind")


# -- parsing and validation -------------------------------------------------------------
MAX_DEPTH = 8   # all/any inside all/any: deeper than any lesson needs, shallow enough to read


def parse_check(data: Any, depth: int = 1) -> Check:
    """Build a :class:`Check` from its TOML table, or raise :class:`CheckError`."""
    if depth > MAX_DEPTH:
        raise CheckError(_("checks nested more than {depth} deep (all/any inside all/any)"
                           ).format(depth=MAX_DEPTH))
    if not isinstance(data, dict):
        raise CheckError(_("a check is a table, e.g. {example}").format(
            example='{ kind = "state", state = "READY" }'))
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise CheckError(_("unknown check kind {kind}; use one of {kinds}").format(
            kind=repr(kind), kinds=", ".join(KINDS)))
    fields = {k: v for k, v in data.items() if k != "kind"}
    unknown = set(fields) - FIELDS[kind]
    if unknown:
        allowed = ", ".join(sorted(FIELDS[kind])) or _("none")
        raise CheckError(_("check {kind}: unknown field(s) {fields} (allowed: {allowed})").format(
            kind=kind, fields=", ".join(sorted(unknown)), allowed=allowed))
    missing = REQUIRED.get(kind, set()) - set(fields)
    if missing:
        raise CheckError(_("check {kind}: missing field(s) {fields}").format(
            kind=kind, fields=", ".join(sorted(missing))))
    if kind in ("all", "any"):
        checks = fields["checks"]
        if not isinstance(checks, list) or not checks:
            raise CheckError(_("check {kind}: 'checks' must be a non-empty list of checks").format(
                kind=kind))
        return Check(kind, {}, tuple(parse_check(child, depth + 1) for child in checks))
    _validate_fields(kind, fields)
    return Check(kind, fields)


def _validate_fields(kind: str, f: dict[str, Any]) -> None:
    cat = catalogue.load()
    if kind in ("reply_seen", "last_reply"):
        if not f:
            raise CheckError(_("check {kind}: give at least one of code, first_digit, verb, "
                               "id").format(kind=kind))
        codes = f.get("code", [])
        for code in codes if isinstance(codes, list) else [codes]:
            if not isinstance(code, int) or cat.code(code) is None:
                raise CheckError(_("check {kind}: {code} is not a reply code the catalogue "
                                   "knows").format(kind=kind, code=repr(code)))
        if "first_digit" in f and (type(f["first_digit"]) is not int
                                   or f["first_digit"] not in (2, 3, 4, 5)):
            raise CheckError(_("check {kind}: first_digit must be 2, 3, 4 or 5").format(kind=kind))
        if "verb" in f:
            verbs = f["verb"] if isinstance(f["verb"], list) else [f["verb"]]
            for verb in verbs:
                if not isinstance(verb, str) or cat.command(verb) is None:
                    raise CheckError(_("check {kind}: {verb} is not a command the catalogue "
                                       "knows").format(kind=kind, verb=repr(verb)))
            f["verb"] = [verb.upper() for verb in verbs]
        if "id" in f and (not isinstance(f["id"], str) or f["id"] not in cat.replies):
            raise CheckError(_("check {kind}: {id} is not a reply id of the catalogue").format(
                kind=kind, id=repr(f["id"])))
    elif kind == "state":
        if not isinstance(f["state"], str) or f["state"] not in State.__members__:
            raise CheckError(_("check state: {state} is not a session state; use one of "
                               "{states}").format(state=repr(f["state"]),
                                                  states=", ".join(State.__members__)))
    elif kind == "recipients":
        if not isinstance(f["count"], int) or isinstance(f["count"], bool) or f["count"] < 0:
            raise CheckError(_("check recipients: count must be a whole number, 0 or more"))
    elif kind == "delivered":
        if not isinstance(f["place"], str) or f["place"] not in PLACES:
            raise CheckError(_("check delivered: place must be {places}").format(
                places=_(" or ").join(PLACES)))
        if not isinstance(f["user"], str) or not isinstance(f.get("host", ""), str):
            raise CheckError(_("check delivered: user and host must be strings"))
        world = default_world()
        host = world.host(f.get("host", world.server.name))
        if host is None:
            raise CheckError(_("check delivered: no host {host} in the world").format(
                host=repr(f.get("host"))))
        if host.find_user(str(f["user"])) is None:
            raise CheckError(_("check delivered: {host} has no user {user}").format(
                host=host.name, user=repr(f["user"])))
        if "via" in f and (not isinstance(f["via"], str)
                           or f["via"] not in ("MAIL", "SEND", "SOML", "SAML")):
            raise CheckError(_("check delivered: via must be MAIL, SEND, SOML or SAML"))
        if "line" in f and not isinstance(f["line"], str):
            raise CheckError(_("check delivered: line must be a string"))
    elif kind == "queued":
        if not isinstance(f["to"], str) or "@" not in f["to"]:
            raise CheckError(_("check queued: 'to' must be an address like erin@new.example"))
    elif kind == "followed":
        problem = validate_followed(f)
        if problem:
            raise CheckError(_("check followed: {problem}").format(problem=problem))


# -- evaluation ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Snapshot:
    """What the world held when a step began, so that checks see only what is new."""

    mail: dict[tuple[str, str, str], int]
    queue: int

    @classmethod
    def take(cls, session: Session) -> Snapshot:
        mail = {}
        for host in (session.world.client, session.world.server):
            for user in host.users.values():
                mail[(host.name, user.name, "mailbox")] = len(user.mailbox)
                mail[(host.name, user.name, "terminal")] = len(user.terminal)
        return cls(mail, len(session.world.server.queue))


@dataclass(frozen=True)
class Outcome:
    passed: bool
    wanted: str
    found: str


def replies(entries: list[Entry]) -> list[Entry]:
    """Real replies only: sendmail's 050 progress lines are not a command's answer."""
    return [e for e in entries if e.reply is not None and e.reply.code >= 100]


def last_of(entries: list[Entry]) -> Entry | None:
    """The newest real reply, read from the end (a step may hold 100,000 lines)."""
    for entry in reversed(entries):
        if entry.reply is not None and entry.reply.code >= 100:
            return entry
    return None


def _matches(entry: Entry, f: dict[str, Any]) -> bool:
    code = entry.reply.code if entry.reply else None
    if "code" in f and code not in (f["code"] if isinstance(f["code"], list) else [f["code"]]):
        return False
    if "first_digit" in f and (code or 0) // 100 != f["first_digit"]:
        return False
    if "verb" in f and entry.verb not in f["verb"]:
        return False
    return "id" not in f or entry.reply_id == f["id"]


def _show(entry: Entry | None) -> str:
    if entry is None:
        return _("no reply yet")
    shown = repr(entry.lines[-1]) if entry.lines else str(entry.code)
    return _("{reply} to {verb}").format(reply=shown, verb=entry.verb) if entry.verb else shown


def evaluate(check: Check, session: Session, entries: list[Entry],
             snapshot: Snapshot, fresh: list[Entry] | None = None,
             seen_before: dict[int, Entry | None] | None = None) -> Outcome:
    """Ask the engine; ``entries`` are the transcript entries since the step began.

    Judging after every line typed must not cost the length of the step each time (a
    model answer of 100,000 lines would take minutes): with ``fresh`` (the entries new
    since the last call) and ``seen_before`` (kept by the caller for the step), a
    reply_seen check looks only at the fresh entries, and last_reply reads from the end.
    """
    f, kind = check.fields, check.kind
    wanted = check.describe()
    if kind in ("all", "any"):
        outcomes = [evaluate(c, session, entries, snapshot, fresh, seen_before)
                    for c in check.children]
        passed = all(o.passed for o in outcomes) if kind == "all" else \
            any(o.passed for o in outcomes)
        found = "; ".join(o.found for o in outcomes if not o.passed) or _("all true")
        return Outcome(passed, wanted, found)
    if kind == "reply_seen":
        # sendmail's 050 progress lines count here, so a lesson can ask for them.
        hit = seen_before.get(id(check)) if seen_before is not None else None
        if hit is None:
            look = entries if fresh is None or seen_before is None \
                or id(check) not in seen_before else fresh
            hit = next((e for e in look if e.reply is not None and _matches(e, f)), None)
            if seen_before is not None:
                seen_before[id(check)] = hit   # once seen, seen for the rest of the step
        return Outcome(hit is not None, wanted, _show(hit or last_of(entries)))
    if kind == "last_reply":
        last = last_of(entries)
        return Outcome(last is not None and _matches(last, f), wanted, _show(last))
    if kind == "state":
        return Outcome(session.state.value == f["state"], wanted,
                       _("state {state}").format(state=session.state.value))
    if kind == "recipients":
        count = len(session.server.envelope.recipients)
        return Outcome(count == f["count"], wanted, ngettext(
            "{count} recipient", "{count} recipients", count).format(count=count))
    if kind == "delivered":
        return _delivered(session, f, snapshot, wanted)
    if kind == "queued":
        new = list(session.world.server.queue)[snapshot.queue:]
        held = any(f["to"].lower() in (r.lower() for r in m.recipients) for m in new)
        return Outcome(held, wanted, ngettext("{count} new message held at the server",
                                             "{count} new messages held at the server",
                                             len(new)).format(count=len(new)))
    if kind == "followed":
        passed, found = check_followed(session, f, snapshot.queue)
        return Outcome(passed, wanted, found)
    if kind == "closed":
        return Outcome(session.closed, wanted,
                       _("closed") if session.closed else _("open, state {state}").format(
                           state=session.state.value))
    return Outcome(session.reversed, wanted,
                   _("roles reversed") if session.reversed else _("roles as at the start"))


def _delivered(session: Session, f: dict[str, Any], snapshot: Snapshot,
               wanted: str) -> Outcome:
    world = session.world
    host = world.host(f.get("host", world.server.name))
    user = host.find_user(f["user"]) if host else None
    if host is None or user is None:
        return Outcome(False, wanted, _("no user {user}").format(user=f["user"]))
    place = f["place"]
    box = user.mailbox if place == "mailbox" else user.terminal
    new = box[snapshot.mail.get((host.name, user.name, place), 0):]
    if "via" in f:
        new = [m for m in new if m.via == f["via"]]
    if "line" in f:
        wanted_line = f["line"].encode("utf-8")
        new = [m for m in new if wanted_line in m.content.split(b"\r\n")]
    return Outcome(bool(new), wanted, ngettext(
        "{count} matching new message in {user}'s {place}",
        "{count} matching new messages in {user}'s {place}", len(new)).format(
            count=len(new), user=user.name, place=_(place)))

