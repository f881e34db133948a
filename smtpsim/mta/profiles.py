"""Server profiles: three eras of the same mail host.

* ``classic``  - an RFC 821 host of the 1980s: HELO only, the legacy verbs work.
* ``modern``   - RFC 5321 with ESMTP (the default).
* ``hardened`` - today's internet MTA: no address harvesting, short patience.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..i18n import N_


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    summary: str
    esmtp: bool                 # EHLO understood (RFC 1869 / RFC 5321 4.1.1.1)
    extensions: tuple[str, ...]  # EHLO keywords, in the order they are listed
    legacy_verbs: bool          # SEND, SOML, SAML, TURN (RFC 821)
    vendor_verbs: bool          # VERB (sendmail), TICK (batch SMTP)
    vrfy_truthful: bool         # False: VRFY answers 252 (RFC 5321 7.3)
    expn_enabled: bool
    relays: bool                # accepts mail for other domains
    enhanced_codes: bool        # RFC 2034 ENHANCEDSTATUSCODES
    error_limit: int | None     # consecutive errors before 421
    max_size: int = 10_485_760  # RFC 1870 SIZE
    max_recipients: int = 100   # RFC 5321 4.5.3.1.8: at least 100 must be accepted
    too_many_recipients_code: int = 452   # RFC 5321 4.5.3.1.10; RFC 821 said 552
    #: RFC 821 sequencing and replies: MAIL inside a transaction starts a new one
    #: (RFC 821 4.1.1), and only the codes of RFC 821 4.3 are answered
    rfc821: bool = False

    def advertises(self, keyword: str) -> bool:
        return keyword in _keywords(self.extensions)

    @property
    def etrn(self) -> bool:
        return self.advertises("ETRN")


@functools.cache
def _keywords(extensions: tuple[str, ...]) -> frozenset[str]:
    """The EHLO keywords (first words) of an extension list, worked out once per list."""
    return frozenset(ext.split()[0] for ext in extensions if ext.split())


CLASSIC = Profile(
    name="classic",
    summary=N_("an RFC 821 host of the 1980s: HELO only; SEND, SOML, SAML, TURN, VERB and "
               "TICK work; VRFY and EXPN answer truthfully; it relays for anyone"),
    esmtp=False, extensions=(), legacy_verbs=True, vendor_verbs=True,
    vrfy_truthful=True, expn_enabled=True, relays=True, enhanced_codes=False,
    error_limit=None, too_many_recipients_code=552, rfc821=True,
)

MODERN = Profile(
    name="modern",
    summary=N_("RFC 5321 with ESMTP: EHLO lists its extensions; the historic verbs get 502; "
               "no open relay"),
    esmtp=True,
    extensions=("SIZE 10485760", "PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES",
                "EXPN", "HELP", "ETRN"),
    legacy_verbs=False, vendor_verbs=False, vrfy_truthful=True, expn_enabled=True,
    relays=False, enhanced_codes=True, error_limit=10,
)

HARDENED = Profile(
    name="hardened",
    summary=N_("today's internet MTA: VRFY answers 252, EXPN and VERB 502, "
               "and five errors in a row end the session"),
    esmtp=True,
    extensions=("SIZE 10485760", "PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES",
                "HELP", "ETRN"),
    legacy_verbs=False, vendor_verbs=False, vrfy_truthful=False, expn_enabled=False,
    relays=False, enhanced_codes=True, error_limit=5,
)

PROFILES = {p.name: p for p in (CLASSIC, MODERN, HARDENED)}
DEFAULT_PROFILE = "modern"


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name.lower()]
    except KeyError:
        raise ValueError(f"unknown profile {name!r}; choose one of "
                         f"{', '.join(PROFILES)}") from None
