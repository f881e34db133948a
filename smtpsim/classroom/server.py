"""The classroom's web server: the code page, the app page, one app process per websocket.

Routes (aiohttp):

* ``GET /``       - without the class cookie: the code page; with it: the app page,
                    or "the class is full";
* ``POST /join``  - a right code sets the cookie and goes back to ``/``; wrong codes
                    are counted per address (:mod:`smtpsim.classroom.gate`);
* ``GET /ws``     - the terminal's websocket: a place in the roster and a new app
                    process; when the socket closes (tab closed, page reloaded) the
                    process is ended;
* ``GET /static/...``, ``GET /download/{key}`` - xterm.js and the font, F9's files.

Everything but the code page needs the cookie.  When the class ends (the teacher's
Ctrl+C) each open page is told so before its socket closes, and in the seconds
the server takes to stop, ``/`` serves "the class has ended" and ``/ws`` refuses.
The page loads nothing from outside this server (see :mod:`smtpsim.classroom.pages`).
"""

from __future__ import annotations

import asyncio
import json
import mimetypes
from collections.abc import Awaitable, Mapping
from pathlib import Path
from urllib.parse import quote, urlsplit

import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.download_manager import DownloadManager

from ..i18n import N_, _
from ..textsafe import printable
from . import pages
from .gate import COOKIE, JoinGate
from .settings import FONT_SIZES, ClassroomSettings
from .status import StatusLine
from .students import Roster, Student, StudentProcess

STATIC = Path(textual_serve.__file__).parent / "static"
#: The only static files the page needs; nothing else under textual-serve's folder is served.
STATIC_FILES = ("css/xterm.css", "js/textual.js", "fonts/RobotoMono-VariableFont_wght.ttf",
                "fonts/RobotoMono-Italic-VariableFont_wght.ttf")
MAX_FORM_BYTES = 4096
MAX_WS_MESSAGE = 1 << 20         # one websocket message: a large paste fits
MAX_TERMINAL = 1000              # columns or rows a browser may ask for
STATUS_INTERVAL = 1.0
#: Every step of the end of the class has a deadline (seconds): a page that reads
#: nothing, or an app that ignores its signals, cannot keep the teacher waiting.
LAST_WORD_DEADLINE = 2.0
CLOSE_DEADLINE = 3.0
#: Beyond this, processes still running are killed outright (StudentProcess.end asks,
#: terminates, then kills within about 8 seconds).
END_DEADLINE = 12.0
NO_FOLDER = N_("cannot make a folder for a new student: {error}")
APP_FAILED = N_("{who}'s app failed: {why}")


def clamp(value: object, low: int, high: int, default: int) -> int:
    if not isinstance(value, (str, bytes, bytearray, int, float)):
        return default   # None, an uploaded file, a JSON list: int() refuses them too
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))


class ClassroomServer:
    def __init__(self, settings: ClassroomSettings, status: StatusLine | None = None) -> None:
        self.settings = settings
        self.gate = JoinGate(settings.code)
        self.roster = Roster(settings.max_students, settings.run_dir)
        self.status = status or StatusLine()
        self.downloads = DownloadManager()
        self.sockets: set[web.WebSocketResponse] = set()
        self.processes: set[StudentProcess] = set()
        self.ended = False       # the class is ending: no new sessions

    # -- the web application --------------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_FORM_BYTES)
        app.add_routes([
            web.get("/", self.handle_index),
            web.post("/join", self.handle_join),
            web.get("/ws", self.handle_websocket),
            web.get("/static/{path:.+}", self.handle_static),
            web.get("/download/{key}", self.handle_download),
        ])
        return app

    def admitted(self, request: web.Request) -> bool:
        return self.gate.admits(request.cookies.get(COOKIE))

    def font_size(self, request: web.Request) -> int:
        return clamp(request.query.get("fontsize"), FONT_SIZES[0], FONT_SIZES[-1],
                     self.settings.font_size)

    def code_page(self, status: int, problem: str = "",
                  font_size: int | None = None) -> web.Response:
        return web.Response(status=status, content_type="text/html", text=pages.code_page(
            problem, font_size or self.settings.font_size, FONT_SIZES))

    async def handle_index(self, request: web.Request) -> web.Response:
        if self.ended:
            return web.Response(status=503, content_type="text/html", text=pages.ended_page())
        if not self.admitted(request):
            return self.code_page(200)
        if self.roster.full:
            return web.Response(status=503, content_type="text/html",
                                text=pages.full_page(self.roster.capacity))
        return web.Response(content_type="text/html", text=pages.app_page(self.font_size(request)),
                            headers={"Cache-Control": "no-store"})

    async def handle_join(self, request: web.Request) -> web.Response:
        address = request.remote or "?"
        wait = self.gate.wait_for(address)
        if wait:
            return self.code_page(429, pages.too_many(wait))
        form: Mapping[str, object]
        try:
            form = await request.post()
        except (ValueError, web.HTTPException):
            form = {}
        code = form.get("code", "")
        size = clamp(form.get("fontsize"), FONT_SIZES[0], FONT_SIZES[-1], self.settings.font_size)
        token = self.gate.try_code(address, code if isinstance(code, str) else "")
        if token is None:
            return self.code_page(403, pages.wrong_code(), size)
        redirect = web.HTTPSeeOther(f"/?fontsize={size}")
        redirect.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/")
        raise redirect

    async def handle_static(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        if not self.admitted(request) or path not in STATIC_FILES:
            raise web.HTTPNotFound()
        return web.FileResponse(STATIC / path)

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        if not self.admitted(request):
            raise web.HTTPNotFound()
        key = request.match_info["key"]
        try:
            meta = await self.downloads.get_download_metadata(key)
        except KeyError:
            raise web.HTTPNotFound() from None
        response = web.StreamResponse()
        kind = meta.mime_type or mimetypes.guess_type(meta.file_name)[0] or "text/plain"
        response.content_type = kind
        if meta.encoding:
            response.charset = meta.encoding
        how = "inline" if meta.open_method == "browser" else "attachment"
        response.headers["Content-Disposition"] = (
            f"{how}; filename*=UTF-8''{quote(meta.file_name, safe='')}")
        await response.prepare(request)
        async for chunk in self.downloads.download(key):
            await response.write(chunk)
        await response.write_eof()
        return response

    # -- the terminal's websocket ---------------------------------------------------------
    def same_origin(self, request: web.Request) -> bool:
        """A page from another site must not open a student's session with their cookie."""
        origin = request.headers.get("Origin")
        return origin is None or urlsplit(origin).netloc == request.host

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if self.ended or not self.admitted(request) or not self.same_origin(request):
            raise web.HTTPForbidden()
        socket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_WS_MESSAGE)
        await socket.prepare(request)
        try:
            student = self.roster.join(request.remote or "?")
        except OSError as error:   # the run folder is gone or full: say so, keep serving
            self.status.event(_(NO_FOLDER).format(error=error))
            await socket.close()
            return socket
        if student is None:
            await socket.send_bytes(pages.full_notice(self.roster.capacity))
            await socket.close()
            return socket
        self.sockets.add(socket)
        width = clamp(request.query.get("width"), 1, MAX_TERMINAL, 80)
        height = clamp(request.query.get("height"), 1, MAX_TERMINAL, 24)
        process = StudentProcess(
            self.settings.student_command(),
            self.settings.student_environment(student.run_folder / "data",
                                              student.status_file),
            write_bytes=socket.send_bytes, write_str=socket.send_str,
            close=socket.close, download_manager=self.downloads)
        student.process = process
        self.processes.add(process)
        self.status.joined(student, self.roster)
        try:
            await process.start(width, height)
            await self.relay(socket, process)
        except Exception as error:   # one student's broken session must not stop the class
            self.status.event(f"{printable(student.label, 60)}: {error!r}")
        finally:
            await self.leave(student, process)
            self.sockets.discard(socket)
            await socket.close()
        return socket

    async def leave(self, student: Student, process: StudentProcess) -> None:
        await process.end()
        self.processes.discard(process)
        for changed, status in self.roster.refresh():   # a score written just before leaving
            self.status.changed(changed, status, self.roster)
        self.roster.leave(student)
        if process.failure:
            self.status.event(_(APP_FAILED).format(who=printable(student.label, 60),
                                                   why=process.failure))
        self.status.left(student, self.roster)

    async def relay(self, socket: web.WebSocketResponse, process: StudentProcess) -> None:
        """The browser's messages to the app: keys, resizes, pings, focus."""
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                # Keys go on at once: the app's input lines take an Enter in key order,
                # however fast keys come (smtpsim.ui.widgets.line_input).
                await process.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                await process.set_terminal_size(
                    clamp(data.get("width"), 1, MAX_TERMINAL, 80),
                    clamp(data.get("height"), 1, MAX_TERMINAL, 24))
            elif kind == "ping" and isinstance(data, str):
                await socket.send_json(["pong", data[:64]])
            elif kind == "blur":
                await process.blur()
            elif kind == "focus":
                await process.focus()

    # -- running ----------------------------------------------------------------------------
    async def watch(self) -> None:
        """Every second: the students' status files, into the teacher's status line."""
        while True:
            for student, status in self.roster.refresh():
                self.status.changed(student, status, self.roster)
            self.status.draw(self.roster)
            await asyncio.sleep(STATUS_INTERVAL)

    async def shutdown(self) -> None:
        """Tell every page the class has ended, end every student's process (concurrently),
        then close the sockets - each step within its deadline."""
        self.ended = True
        sockets = list(self.sockets)
        # First the last word: once an app ends, its socket closes, and a page that had
        # not heard would offer a reload the ending server cannot answer.
        await asyncio.gather(*(bounded(s.send_str(pages.CLASS_ENDED_MESSAGE),
                                       LAST_WORD_DEADLINE) for s in sockets))
        processes = list(self.processes)
        if not await bounded(asyncio.gather(*(p.end() for p in processes),
                                            return_exceptions=True), END_DEADLINE):
            for process in processes:
                process.kill_now()
        await asyncio.gather(*(bounded(s.close(code=1001, message=b"the class has ended"),
                                       CLOSE_DEADLINE) for s in sockets))


async def bounded(step: Awaitable[object], deadline: float) -> bool:
    """Await ``step`` for at most ``deadline`` seconds; False if it timed out or failed
    (a page gone or not reading is no reason to stop ending the class)."""
    try:
        await asyncio.wait_for(step, deadline)
    except Exception:
        return False
    return True
