"""Parsing the arguments of MAIL/SEND/SOML/SAML and RCPT: paths and parameters.

RFC 5321 4.1.2 gives the grammar; 4.5.3.1 gives the size limits.  Problems are
reported as :class:`PathError` with a ``kind`` the server maps to a reply:
``"syntax"`` (501: the command's argument is malformed), ``"too_long"``
(501 Path too long, RFC 5321 4.5.3.1.3) and ``"mailbox"`` (553: the mailbox
name is not allowed, e.g. its syntax is wrong).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .literals import literal_problem
from .phrase import Phrase

PATH_LIMIT = 256        # RFC 5321 4.5.3.1.3, angle brackets included
LOCAL_PART_LIMIT = 64   # RFC 5321 4.5.3.1.1
DOMAIN_LIMIT = 255      # RFC 5321 4.5.3.1.2

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_STRING = re.compile(rf"^{_ATOM}(\.{_ATOM})*$")
_QUOTED = re.compile(r'^"([\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"$')
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")
_ROUTE = re.compile(rf"^@{_LABEL}(\.{_LABEL})*(,@{_LABEL}(\.{_LABEL})*)*:")
# The common case in one match: FROM:<local@domain> or TO:<local@domain> and nothing
# else - no parameters, no route, no quoting.  Anything else takes the full parser.
_PLAIN_PATH = re.compile(rf"(?i:(FROM|TO)):<({_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9.-]+)>")
_NO_PARAMS: Mapping[str, str | None] = MappingProxyType({})
_PARAM = re.compile(r"^([A-Za-z0-9][A-Za-z0-9-]*)(=([\x21-\x3c\x3e-\x7e]+))?$")


# What a learner reads when a path is refused (English; each is a Phrase template that
# the explanation layer translates, see smtpsim.protocol.phrase).
NOT_LOCAL_AT_DOMAIN = "'{text}' is not of the form local-part@domain"
BAD_LOCAL_PART = "'{local}' is not a valid local-part"
BAD_DOMAIN = "'{domain}' is not a valid domain"
LOCAL_TOO_LONG = "the local-part has {octets} octets; the limit is {limit}"
DOMAIN_TOO_LONG = "the domain has {octets} octets; the limit is {limit}"
MUST_START_WITH = "the argument must start with '{head}'"
SPACE_AFTER = "a space after '{head}' is not allowed"
NEED_BRACKETS = "the path must be written inside angle brackets <...>"
NO_CLOSING = "the closing '>' of the path is missing"
PATH_TOO_LONG = "the path has {octets} octets; the limit is {limit}"
PARAMS_NEED_SPACE = "parameters must be separated from the path by a space"
NULL_ONLY_REVERSE = "the null path <> is allowed only as a reverse-path"
BAD_PARAMETER = "'{word}' is not a valid KEYWORD=value parameter"


class PathError(ValueError):
    def __init__(self, kind: str, detail: str | Phrase) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail if isinstance(detail, Phrase) else Phrase(detail)


@dataclass(frozen=True, slots=True)
class Mailbox:
    local: str
    domain: str

    def __str__(self) -> str:
        return f"{self.local}@{self.domain}"


@dataclass(frozen=True, slots=True)
class Path:
    """A parsed ``<...>`` path; ``mailbox`` is None for the null path ``<>``.

    ``params`` is read-only: a parsed path is shared by every command with the same
    argument (see :func:`parse_path_argument`)."""

    mailbox: Mailbox | None
    params: Mapping[str, str | None] = field(default_factory=lambda: _NO_PARAMS)
    postmaster: bool = False   # RCPT TO:<Postmaster> with no domain (RFC 5321 4.5.1)
    #: the path as text, without brackets: "" for <>, "Postmaster", or local@domain
    text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Worked out once: a Path is immutable and is read for every command that names it.
        text = "Postmaster" if self.postmaster else str(self.mailbox) if self.mailbox else ""
        object.__setattr__(self, "text", text)


def parse_mailbox(text: str) -> Mailbox:
    """``local@domain`` with the RFC 5321 4.1.2 syntax and the 4.5.3.1 limits.

    Remembered (a Mailbox is immutable; errors are raised afresh each time)."""
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        raise PathError("mailbox", Phrase(NOT_LOCAL_AT_DOMAIN, text=text))
    if not (_DOT_STRING.match(local) or _QUOTED.match(local)):
        raise PathError("mailbox", Phrase(BAD_LOCAL_PART, local=local))
    if domain.startswith("["):
        # RFC 5321 4.1.2: Mailbox = Local-part "@" ( Domain / address-literal ), and an
        # address literal is held to 4.1.3's grammar as strictly as a domain to its own.
        problem = literal_problem(domain)
        if problem:
            raise PathError("mailbox", problem)
    elif not _DOMAIN.match(domain):
        raise PathError("mailbox", Phrase(BAD_DOMAIN, domain=domain))
    if len(local.encode()) > LOCAL_PART_LIMIT:
        raise PathError("mailbox", Phrase(LOCAL_TOO_LONG, octets=len(local),
                                          limit=LOCAL_PART_LIMIT))
    if len(domain.encode()) > DOMAIN_LIMIT:
        raise PathError("mailbox", Phrase(DOMAIN_TOO_LONG, octets=len(domain),
                                          limit=DOMAIN_LIMIT))
    return Mailbox(local, domain)


# Paths already parsed: saves the grammar checks for each MAIL FROM or RCPT TO a client
# sends again (11 % of a transaction in bench_engine).
@functools.lru_cache(maxsize=256)
def parse_path_argument(argument: str, keyword: str, *, allow_null: bool) -> Path:
    """Parse ``FROM:<path> [params]`` (keyword ``FROM``) or ``TO:<path> [params]``.

    Remembered, like :func:`parse_mailbox`: a client names the same sender and the same
    recipients again and again, and a Path is immutable.  Errors are raised afresh."""
    plain = _PLAIN_PATH.fullmatch(argument)
    if plain and plain.group(1).upper() == keyword \
            and len(argument) - len(keyword) - 1 <= PATH_LIMIT:
        # The path with its brackets is all that follows the colon; parse_mailbox still
        # checks the domain's labels and the length limits.
        return Path(parse_mailbox(plain.group(2)), _NO_PARAMS)
    head = keyword + ":"
    if argument[: len(head)].upper() != head:
        raise PathError("syntax", Phrase(MUST_START_WITH, head=head))
    rest = argument[len(head):]
    if rest.startswith((" ", "\t")):
        # RFC 5321 3.3: "no spaces are permitted on either side of the colon".
        raise PathError("syntax", Phrase(SPACE_AFTER, head=head))
    if not rest.startswith("<"):
        raise PathError("syntax", Phrase(NEED_BRACKETS))
    close = rest.find(">")
    if close < 0:
        raise PathError("syntax", Phrase(NO_CLOSING))
    inner, tail = rest[1:close], rest[close + 1:]
    if close + 1 > PATH_LIMIT:
        raise PathError("too_long", Phrase(PATH_TOO_LONG, octets=close + 1,
                                           limit=PATH_LIMIT))
    if tail and not tail.startswith(" "):
        raise PathError("syntax", Phrase(PARAMS_NEED_SPACE))
    params = _parse_params(tail)
    if inner == "":
        if not allow_null:
            raise PathError("mailbox", Phrase(NULL_ONLY_REVERSE))
        return Path(None, params)
    if keyword == "TO" and inner.lower() == "postmaster":
        return Path(None, params, postmaster=True)
    route = _ROUTE.match(inner)
    if route:
        # RFC 5321 App. C / F.2: a source route must be parsed, and is then ignored.
        inner = inner[route.end():]
    return Path(parse_mailbox(inner), params)


def _parse_params(tail: str) -> Mapping[str, str | None]:
    params: dict[str, str | None] = {}
    for word in tail.split():
        match = _PARAM.match(word)
        if not match:
            raise PathError("syntax", Phrase(BAD_PARAMETER, word=word))
        params[match.group(1).upper()] = match.group(3)
    return MappingProxyType(params) if params else _NO_PARAMS
