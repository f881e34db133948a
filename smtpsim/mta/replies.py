"""Making a server's replies: the catalogue's template for a reply id, filled in.

The server MTA decides *which* reply (an id such as ``rcpt.ok`` and the facts behind
it); this module turns that decision into the :class:`~smtpsim.protocol.Reply` that goes
on the wire: the template's code and text from the catalogue data, the fields filled,
and the enhanced status code (RFC 3463) where the profile and the reply allow one.
"""

from __future__ import annotations

from typing import Any

from .. import catalogue
from ..protocol import Reply

BUILT_REPLIES_KEPT = 32    # remembered replies per session (see SessionReplies.build)
# Replies whose text is new every time (a queue id): built, never remembered.
NEVER_REPEATED = frozenset({"dot.ok"})

_ReplyKey = tuple[Any, ...]   # (reply id, plain, client name, *context items)


class SessionReplies:
    """The replies of one server session, in one catalogue's language, for one host."""

    def __init__(self, replies: catalogue.Catalogue, host: str, enhanced_codes: bool) -> None:
        self._catalogue = replies
        self._host = host
        self._enhanced_codes = enhanced_codes
        # replies already built: saves filling a template and making a Reply for each reply
        # a session sends again (12 % of a transaction in bench_engine)
        self._built: dict[_ReplyKey, Reply] = {}

    def build(self, reply_id: str, context: dict[str, Any], plain: bool,
              client: str | None) -> Reply:
        """The reply for ``reply_id``; ``plain`` leaves out the enhanced code; ``client``
        is the name the client gave in HELO/EHLO, if any.

        Replies are pure functions of their inputs, so they are remembered: a busy
        session (a pipelined burst of NOOPs, a long run of messages) builds each once."""
        if reply_id in NEVER_REPEATED:
            return self.build_afresh(reply_id, context, plain, client)
        try:
            key = (reply_id, plain, client, *context.items())
            cached = self._built.get(key)
        except TypeError:          # an unhashable context value: just build it
            return self.build_afresh(reply_id, context, plain, client)
        if cached is None:
            if len(self._built) >= BUILT_REPLIES_KEPT:
                # Forget the oldest only: a reply that is new every time (a queue id)
                # must not push out the ones a session repeats.
                del self._built[next(iter(self._built))]
            cached = self._built[key] = self.build_afresh(reply_id, context, plain, client)
        return cached

    def build_afresh(self, reply_id: str, context: dict[str, Any], plain: bool,
                     client: str | None) -> Reply:
        template = self._catalogue.replies[reply_id]
        text = template.text
        if "{" in text:   # most templates name a field; a few are fixed text
            text = catalogue.fill_reply(text, context, self._host, client or "unknown")
        lines = tuple(text.split("\n")) if "\n" in text else (text,)
        code = int(context["code"]) if "code" in context else template.code
        enhanced = template.enhanced
        # RFC 3463 3.1: the class is 2, 4 or 5, the reply's first digit (a 3yz has none).
        if enhanced is not None and (plain or not self._enhanced_codes
                                     or not 200 <= code < 600 or code // 100 == 3
                                     or int(enhanced[0]) != code // 100):
            enhanced = None
        return Reply(code, lines, enhanced)
