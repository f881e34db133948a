"""The simulated machines: server MTA, client MTA, the link between them, the world."""

from .client import ClientMTA
from .defaults import default_world, describe
from .dispatch import HANDLERS
from .faults import Fault, FaultError, parse_fault
from .link import Session
from .outgoing import OutgoingMessage, compose
from .profiles import DEFAULT_PROFILE, PROFILES, Profile, get_profile
from .server import ServerMTA, ServerReply
from .transcript import Entry, Transcript
from .world import World

__all__ = [
    "DEFAULT_PROFILE",
    "HANDLERS",
    "PROFILES",
    "ClientMTA",
    "Entry",
    "Fault",
    "FaultError",
    "OutgoingMessage",
    "Profile",
    "ServerMTA",
    "ServerReply",
    "Session",
    "Transcript",
    "World",
    "compose",
    "default_world",
    "describe",
    "get_profile",
    "parse_fault",
]
