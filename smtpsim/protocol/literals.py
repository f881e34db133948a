"""Address literals: ``[192.0.2.1]``, ``[IPv6:2001:db8::1]``, ``[tag:content]``.

RFC 5321 4.1.3 gives the grammar, written out here rule by rule::

    address-literal  = "[" ( IPv4-address-literal / IPv6-address-literal /
                             General-address-literal ) "]"
    IPv4-address-literal = Snum 3("." Snum)          ; Snum: 1*3DIGIT, 0 through 255
    IPv6-address-literal = "IPv6:" IPv6-addr
    General-address-literal = Standardized-tag ":" 1*dcontent
    Standardized-tag = Ldh-str                       ; registered with IANA
    dcontent = %d33-90 / %d94-126                    ; printable, no "[", "\\", "]"

``IPv6-addr`` is RFC 4291 2.2's text form, with RFC 5321's own limits: "::" stands
for at least two groups of zeros, so at most six groups (four beside an embedded
IPv4 address) may stand next to it.  The stdlib ``ipaddress`` accepts "::" for a
single group (``1:2:3:4:5:6:7::``), which RFC 5321's IPv6-comp does not; so the
grammar is checked here and ``ipaddress`` is not used.

:func:`literal_problem` returns None for a well-formed literal, else what is wrong,
in words a learner can act on.  A General-address-literal is held to its syntax only: the
RFC asks for its tag to be "specified in a Standards-Track RFC and registered with IANA",
and "IPv6" is the only tag registered, but which tags exist is the registry's business,
not the grammar's - so ``[x-tag:content]`` passes here, as it would in the ABNF.
"""

from __future__ import annotations

import re

from .phrase import Phrase

_SNUM = re.compile(r"[0-9]{1,3}")
_HEX = re.compile(r"[0-9A-Fa-f]{1,4}")
_LDH_STR = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?")
_DCONTENT = re.compile(r"[\x21-\x5a\x5e-\x7e]+")

# What a learner reads when a literal is refused (one place, for a translator).
MUST_BRACKET = "an address literal is written inside square brackets"
BAD_IPV4 = ("'{text}' is not an IPv4 literal: it needs exactly four numbers 0-255 "
            "separated by dots, like [192.0.2.1]")
BAD_IPV6 = ("'{text}' is not an IPv6 literal: after 'IPv6:' comes an RFC 4291 address, "
            "like [IPv6:2001:db8::1] (RFC 5321 4.1.3)")
BAD_GENERAL = ("'{text}' is not an address literal: write [192.0.2.1], "
               "[IPv6:2001:db8::1], or a registered tag and content, [tag:content]")


def ipv4_ok(text: str) -> bool:
    """IPv4-address-literal: four Snum, each 1-3 digits with a value 0 through 255."""
    parts = text.split(".")
    return len(parts) == 4 and all(_SNUM.fullmatch(p) and int(p) <= 255 for p in parts)


def ipv6_ok(text: str) -> bool:
    """IPv6-addr = IPv6-full / IPv6-comp / IPv6v4-full / IPv6v4-comp (RFC 5321 4.1.3)."""
    if text.count("::") > 1:
        return False
    if "::" in text:
        head, tail = text.split("::")
        before = head.split(":") if head else []
        after = tail.split(":") if tail else []
        embedded = bool(after) and "." in after[-1]
        if embedded and not ipv4_ok(after.pop()):
            return False
        groups = before + after
        # "::" stands for at least two zero groups: 6 groups beside it, 4 with IPv4
        return len(groups) <= (4 if embedded else 6) \
            and all(_HEX.fullmatch(g) for g in groups)
    groups = text.split(":")
    if "." in groups[-1]:
        return len(groups) == 7 and ipv4_ok(groups[-1]) \
            and all(_HEX.fullmatch(g) for g in groups[:-1])
    return len(groups) == 8 and all(_HEX.fullmatch(g) for g in groups)


def literal_problem(literal: str) -> Phrase | None:
    """None if ``literal`` (brackets included) is an RFC 5321 4.1.3 address-literal."""
    if len(literal) < 3 or literal[0] != "[" or literal[-1] != "]":
        return Phrase(MUST_BRACKET)
    inner = literal[1:-1]
    tag, colon, content = inner.partition(":")
    if not colon:
        # No tag: only the IPv4 form is possible.
        return None if ipv4_ok(inner) else Phrase(BAD_IPV4, text=literal)
    if tag.lower() == "ipv6":   # ABNF strings are case-insensitive (RFC 5234 2.3)
        return None if ipv6_ok(content) else Phrase(BAD_IPV6, text=literal)
    if _LDH_STR.fullmatch(tag) and _DCONTENT.fullmatch(content):
        return None
    return Phrase(BAD_GENERAL, text=literal)


def is_address_literal(text: str) -> bool:
    return literal_problem(text) is None
