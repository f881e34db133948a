"""The classroom's HTTP and websocket layer, with real sockets on 127.0.0.1 and real app
processes: the join code, the rate limit, the class-full page, processes that end with
their tab or with the class, and a page that references nothing outside the server."""

from __future__ import annotations

import asyncio
import html

import aiohttp

from smtpsim.classroom.gate import COOKIE, WRONG_TRIES
from smtpsim.classroom.pages import (
    CLASS_ENDED_HEADING,
    CLASS_ENDED_MESSAGE,
    FULL_HEADING,
    TOO_MANY,
    WRONG_CODE,
)
from smtpsim.classroom.students import process_alive

from .helpers import CODE, referenced_urls, running, settings_for, wait_until


def browser() -> aiohttp.ClientSession:
    """A client that keeps cookies from an IP address, as a browser does."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def join(session: aiohttp.ClientSession, base: str, code: str = CODE.lower()):
    return await session.post(f"{base}/join", data={"code": code, "fontsize": "20"},
                              allow_redirects=False)


async def test_without_the_code_only_the_code_page_is_served(tmp_path):
    async with running(settings_for(tmp_path)) as (server, base, _), browser() as session:
        page = await session.get(f"{base}/")
        assert page.status == 200
        text = await page.text()
        assert 'action="/join"' in text and "textual-terminal" not in text
        for path in ("/static/js/textual.js", "/static/css/xterm.css", "/download/x"):
            assert (await session.get(base + path)).status == 404, path
        assert (await session.get(f"{base}/ws")).status == 403
        assert not server.processes


async def test_a_wrong_code_is_refused_and_many_wrong_codes_must_wait(tmp_path):
    async with running(settings_for(tmp_path)) as (_, base, _terminal), browser() as session:
        for _ in range(WRONG_TRIES):
            refused = await join(session, base, "WRONG1")
            assert refused.status == 403
            assert WRONG_CODE in await refused.text()
            assert COOKIE not in refused.cookies
        # Now even the right code waits: guessing is slowed down for this address.
        waited = await join(session, base)
        assert waited.status == 429
        assert TOO_MANY.split("{")[0] in await waited.text()
        assert COOKIE not in waited.cookies


async def test_the_right_code_opens_a_page_that_loads_nothing_from_outside(tmp_path):
    async with running(settings_for(tmp_path)) as (_, base, _terminal), browser() as session:
        joined = await join(session, base, " k7px 2q ")   # case and spaces do not matter
        assert joined.status == 303
        assert joined.headers["Location"] == "/?fontsize=20"
        page = await session.get(f"{base}/?fontsize=20")
        text = await page.text()
        assert page.status == 200 and 'data-font-size="20"' in text
        urls = referenced_urls(text)
        assert len(urls) >= 4     # the stylesheet, the script and two fonts
        for url in urls:
            assert url.startswith("/") and not url.startswith("//"), url
            fetched = await session.get(base + url)
            assert fetched.status == 200, url
            assert len(await fetched.read()) > 1000, url
        css = await (await session.get(f"{base}/static/css/xterm.css")).text()
        assert "http" not in " ".join(referenced_urls(css))
        script = await (await session.get(f"{base}/static/js/textual.js")).text()
        assert "fonts.googleapis" not in script and "fonts.googleapis" not in text


async def open_terminal(session, base):
    socket = await session.ws_connect(f"{base}/ws?width=100&height=30")
    first = await socket.receive(timeout=30)     # the app's first screen, as bytes
    assert first.type == aiohttp.WSMsgType.BINARY, first
    return socket


async def test_a_closed_tab_ends_its_process(tmp_path):
    async with running(settings_for(tmp_path)) as (server, base, terminal), \
            browser() as session:
            await join(session, base)
            socket = await open_terminal(session, base)
            (process,) = server.processes
            pid = process.pid
            assert process_alive(pid)
            assert "+ student 1 joined from 127.0.0.1" in terminal.text
            await socket.close()
            await wait_until(lambda: not process_alive(pid), what="the app process to end")
            await wait_until(lambda: not server.processes, what="the roster to empty")
            assert "- student 1 left" in terminal.text


async def test_a_full_class_says_so_and_the_end_of_class_ends_every_process(tmp_path):
    async with running(settings_for(tmp_path, max_students=1)) as (server, base, terminal), \
            browser() as session:
            await join(session, base)
            await open_terminal(session, base)
            page = await session.get(f"{base}/")
            assert page.status == 503 and FULL_HEADING in await page.text()
            late = await session.ws_connect(f"{base}/ws")     # the page was open before
            notice = await late.receive(timeout=10)
            assert FULL_HEADING.encode() in notice.data
            assert (await late.receive(timeout=10)).type in (aiohttp.WSMsgType.CLOSE,
                                                             aiohttp.WSMsgType.CLOSED)
            pids = [p.pid for p in server.processes]
            assert len(pids) == 1
    # Leaving `running` is the teacher's Ctrl+C: the student's process has ended.
    assert not any(process_alive(pid) for pid in pids)
    assert "ending the class: 1 session to close" in terminal.text


async def test_another_site_cannot_open_a_session_with_the_cookie(tmp_path):
    async with running(settings_for(tmp_path)) as (server, base, _), browser() as session:
        await join(session, base)
        refused = await session.get(f"{base}/ws", headers={
            "Origin": "http://evil.example", "Upgrade": "websocket",
            "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
        assert refused.status == 403
        assert not server.processes


async def test_a_score_written_just_before_the_tab_closes_still_reaches_the_teacher(
        tmp_path, monkeypatch):
    from smtpsim.classroom import server as server_module
    from smtpsim.course.classroom_status import StudentStatus, write_status
    monkeypatch.setattr(server_module, "STATUS_INTERVAL", 3600)   # no periodic look
    async with running(settings_for(tmp_path)) as (server, base, terminal), \
            browser() as session:
            await join(session, base)
            socket = await open_terminal(session, base)
            (student,) = server.roster.students.values()
            write_status(student.status_file, StudentStatus("Ann", "finished", 90.0))
            await socket.close()
            await wait_until(lambda: not server.roster.students, what="the student to leave")
    assert terminal.text.count("Ann finished the exam: 90%") == 1
    assert "- Ann left" in terminal.text and "before finishing" not in terminal.text


async def test_an_app_that_fails_tells_the_teacher_why(tmp_path):
    # A lesson that does not exist: `smtpsim lesson` refuses it on standard error.
    settings = settings_for(tmp_path, lesson="no-such-lesson")
    async with running(settings) as (server, base, terminal), browser() as session:
        await join(session, base)
        socket = await session.ws_connect(f"{base}/ws")
        closed = await socket.receive(timeout=30)
        assert closed.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        await wait_until(lambda: not server.roster.students, what="the student to leave")
    assert "student 1's app failed: smtpsim: no lesson 'no-such-lesson'" in terminal.text


async def test_the_pages_are_in_the_class_language(tmp_path, monkeypatch):
    from smtpsim import i18n
    monkeypatch.setattr(i18n, "_active", "it")     # smtpsim classroom --lang it
    settings = settings_for(tmp_path, max_students=1)
    async with running(settings) as (_, base, _terminal), browser() as session:
        code_page = html.unescape(await (await session.get(f"{base}/")).text())
        assert code_page.startswith('<!DOCTYPE html>\n<html lang="it">')
        assert "Digita il codice che l'insegnante ha scritto alla lavagna." in code_page
        assert ">Entra</button>" in code_page and "Text size" not in code_page
        refused = await join(session, base, "WRONG1")
        assert "Il codice non è questo." in await refused.text()
        await join(session, base)
        app_page = await (await session.get(f"{base}/")).text()
        assert '<html lang="it">' in app_page and "Avvio del simulatore..." in app_page
        assert "La lezione è terminata" in app_page      # shown when the class ends
        await open_terminal(session, base)
        full = await session.get(f"{base}/")
        assert full.status == 503
        assert "La classe è al completo" in await full.text()


async def test_the_page_hears_that_the_class_ended_and_a_reload_is_told_so(tmp_path):
    async with running(settings_for(tmp_path)) as (server, base, _), browser() as session:
        await join(session, base)
        socket = await open_terminal(session, base)
        (process,) = server.processes
        ending = asyncio.create_task(server.shutdown())   # what Ctrl+C runs first
        texts = []
        while True:
            message = await socket.receive(timeout=20)
            if message.type == aiohttp.WSMsgType.TEXT:
                texts.append(message.data)
            if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                aiohttp.WSMsgType.CLOSING):
                break
        assert CLASS_ENDED_MESSAGE in texts     # before the socket closed
        # While the server stops, a reloaded page reads that the class has ended.
        reloaded = await session.get(f"{base}/")
        assert reloaded.status == 503
        assert CLASS_ENDED_HEADING in await reloaded.text()
        assert (await session.get(f"{base}/ws")).status == 403
        await asyncio.wait_for(ending, 30)
        assert not process_alive(process.pid)
