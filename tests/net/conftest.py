"""Fixtures for the TCP tests: every server runs on an ephemeral loopback port and is
always shut down, whatever the test did."""

from __future__ import annotations

import contextlib

import pytest
from netwire import FIXED_DATE

from smtpsim.net import SimServer


@pytest.fixture
async def start_server():
    """``server = await start_server(profile=..., ...)``: started on 127.0.0.1:0."""
    servers: list[SimServer] = []

    async def start(profile: str = "modern", **options) -> SimServer:
        options.setdefault("clock", lambda: FIXED_DATE)
        server = SimServer(profile, **options)
        await server.start("127.0.0.1", 0)
        servers.append(server)
        return server

    yield start
    for server in servers:
        with contextlib.suppress(Exception):
            await server.shutdown(grace=1.0)


@pytest.fixture
async def loop_errors():
    """Every error the event loop reports (a crashed protocol callback lands here)."""
    import asyncio

    errors: list[dict] = []
    loop = asyncio.get_running_loop()
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: errors.append(context))
    yield errors
    loop.set_exception_handler(previous)
