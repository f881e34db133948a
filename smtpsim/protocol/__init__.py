"""Sans-IO SMTP: no sockets, no clock, no randomness - only bytes and events.

The same objects serve the in-process simulator, the TCP adapters and the tests.
"""

from .client import END_OF_DATA, GREETING, ClientConnection
from .dotstuff import normalise, stuff, unstuff_line
from .events import (
                     NEED_DATA,
                     BadLine,
                     BadReply,
                     Command,
                     ConnectionClosed,
                     MessageData,
                     ProtocolError,
                     Reply,
)
from .framing import COMMAND_LINE_LIMIT, SIZE_EXTRA_OCTETS, TEXT_LINE_LIMIT, describe_byte
from .paths import Mailbox, Path, PathError, parse_mailbox, parse_path_argument
from .server import ServerConnection
from .states import COMMAND_STATES, KNOWN_VERBS, TRANSITIONS, State, Transition

__all__ = [
                     "COMMAND_LINE_LIMIT",
                     "COMMAND_STATES",
                     "END_OF_DATA",
                     "GREETING",
                     "KNOWN_VERBS",
                     "NEED_DATA",
                     "SIZE_EXTRA_OCTETS",
                     "TEXT_LINE_LIMIT",
                     "TRANSITIONS",
                     "BadLine",
                     "BadReply",
                     "ClientConnection",
                     "Command",
                     "ConnectionClosed",
                     "Mailbox",
                     "MessageData",
                     "Path",
                     "PathError",
                     "ProtocolError",
                     "Reply",
                     "ServerConnection",
                     "State",
                     "Transition",
                     "describe_byte",
                     "normalise",
                     "parse_mailbox",
                     "parse_path_argument",
                     "stuff",
                     "unstuff_line",
]
