"""What a command handler decides: an :class:`Answer` (a reply id and the facts behind it).

Its own module so that the handlers (``handlers_*``), the table of them
(:mod:`smtpsim.mta.dispatch`) and the server MTA that calls them
(:mod:`smtpsim.mta.server`) import it from below, and none of them imports another back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..protocol import Command

if TYPE_CHECKING:
    from .server import ServerMTA


# Answer (like ServerReply and the transcript's Entry) is a record written once and then
# only read; it is not frozen because a frozen dataclass costs several times more to
# build, and several are built for every command.
@dataclass(slots=True)
class Answer:
    """A handler's decision: which reply (by catalogue id) and the facts behind it."""

    reply_id: str
    context: dict[str, Any] = field(default_factory=dict)
    effects: tuple[str, ...] = ()
    progress: tuple[tuple[str, dict[str, Any]], ...] = ()   # VERB mode 050 lines first


#: A verb's handler: the server MTA (its state, envelope, world) and the command in,
#: the decision out.  It changes the server's envelope or world as the command does.
Handler = Callable[["ServerMTA", Command], Answer]
