"""The pages the classroom server sends: the code page, "the class is full", the app page,
and "the class has ended".

Every page is self-contained: styles inline, the font and xterm.js served from this
machine (``/static/...``, textual-serve's own copies), nothing fetched from the
internet - a classroom network often has no way out.  The words students read are
the constants at the top, marked for the translator and shown in the class's
language (``smtpsim classroom --lang``), which the page declares in ``<html lang>``.
"""

from __future__ import annotations

import json
from html import escape

from ..i18n import N_, _, language

TITLE = N_("smtpsim - classroom")
CODE_HEADING = N_("smtpsim: the SMTP simulator")
CODE_PROMPT = N_("Type the code your teacher wrote on the board.")
CODE_LABEL = N_("Code")
SIZE_LABEL = N_("Text size")
JOIN_BUTTON = N_("Join")
WRONG_CODE = N_("That is not the code. Check the board and try again.")
TOO_MANY = N_("Too many wrong codes from this computer: wait {seconds} seconds, then try "
              "again.")
FULL_HEADING = N_("The class is full")
FULL_TEXT = N_("All {places} places are taken. Ask your teacher; when someone closes their "
               "tab, reload this page.")
STARTING = N_("Starting your simulator...")
ENDED = N_("Your session has ended. Reload the page to start a new one.")
RELOAD_BUTTON = N_("Reload")
LEAVE_WARNING = N_("Leaving this page ends your session.")
CLASS_ENDED_HEADING = N_("The class has ended")
CLASS_ENDED_TEXT = N_("Your teacher has closed the class: the simulator has stopped, and "
                      "reloading this page brings nothing back. You can close this tab.")
#: The websocket message the server sends each page just before the class ends, so the
#: page can say so before the connection closes (textual.js ignores types it does not know).
CLASS_ENDED_MESSAGE = json.dumps(["smtpsim_class_ended", None])

_STYLE = """
body { background: #0c181f; color: #f0f0f0; font-family: sans-serif; margin: 0; }
main { max-width: 34em; margin: 12vh auto; padding: 2em; background: #12232d;
       font-size: 20px; line-height: 1.4; }
h1 { font-size: 1.4em; margin-top: 0; }
input, select, button { font-size: 1em; padding: 0.3em 0.5em; margin: 0.3em 0; }
input[name=code] { text-transform: uppercase; letter-spacing: 0.2em; width: 8em; }
button { background: #5e0ba7; color: #fff; border: none; padding: 0.4em 1.4em; }
.problem { color: #ffb0b0; font-weight: bold; }
"""


def _lang() -> str:
    """The page's ``<html lang>``: the class's language (a short code, made safe)."""
    return escape(language(), quote=True)


def _page(body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{_lang()}"><head><meta charset="utf-8">'
            f"<title>{escape(_(TITLE))}</title><style>{_STYLE}</style></head>"
            f"<body><main>{body}</main></body></html>\n")


def code_page(problem: str = "", font_size: int = 16, sizes: tuple[int, ...] = ()) -> str:
    """The only page served without the code: a form that posts it to ``/join``.
    ``problem`` is already in the class's language."""
    options = "".join(
        f'<option value="{size}"{" selected" if size == font_size else ""}>{size}</option>'
        for size in sizes)
    warning = f'<p class="problem" role="alert">{escape(problem)}</p>' if problem else ""
    return _page(
        f"<h1>{escape(_(CODE_HEADING))}</h1><p>{escape(_(CODE_PROMPT))}</p>{warning}"
        '<form method="post" action="/join">'
        f'<label>{escape(_(CODE_LABEL))}: <input name="code" autocomplete="off" autofocus '
        'required maxlength="32"></label><br>'
        f'<label>{escape(_(SIZE_LABEL))}: <select name="fontsize">{options}</select>'
        f'</label><br><button type="submit">{escape(_(JOIN_BUTTON))}</button></form>')


def wrong_code() -> str:
    return _(WRONG_CODE)


def too_many(seconds: int) -> str:
    return _(TOO_MANY).format(seconds=seconds)


def full_page(places: int) -> str:
    return _page(f"<h1>{escape(_(FULL_HEADING))}</h1>"
                 f"<p>{escape(_(FULL_TEXT).format(places=places))}</p>")


def full_notice(places: int) -> bytes:
    """The same words, written into the terminal when the class fills up meanwhile."""
    text = f"\r\n  {_(FULL_HEADING)}\r\n\r\n  {_(FULL_TEXT).format(places=places)}\r\n"
    return text.encode("utf-8")


def ended_page() -> str:
    """Served while the class shuts down, to a page reloaded in those seconds."""
    return _page(f"<h1>{escape(_(CLASS_ENDED_HEADING))}</h1>"
                 f"<p>{escape(_(CLASS_ENDED_TEXT))}</p>")


# The app page.  textual.js (textual-serve's, served from /static) finds the element
# .textual-terminal, reads its data-session-websocket-url and data-font-size, draws the
# terminal and adds the body classes -first-byte (the app has drawn) and -closed.
# The small script before it does four things for a classroom:
#  * the websocket address is this page's own address (whatever the student typed),
#    not one fixed when the server started;
#  * Ctrl+V reaches the browser's own paste (xterm.js would send it to the app as the
#    ^V key, so text copied outside the page could not be pasted: textual-serve #32);
#  * while the session is live, closing or reloading the tab by mistake (Ctrl+W, F5
#    outside the terminal) asks first;
#  * the server's last message before the class ends (CLASS_ENDED_MESSAGE) adds the
#    body class -class-ended: the page then says the class has ended, instead of
#    offering a reload that nothing would answer.  The socket textual.js opens is
#    watched through a wrapped WebSocket constructor (the page's only socket).
_APP_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/static/css/xterm.css">
<style>
@font-face {{ font-family: "Roboto Mono";
  src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }}
@font-face {{ font-family: "Roboto Mono"; font-style: italic;
  src: url("/static/fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype"); }}
html, body {{ margin: 0; height: 100%; background: #0c181f; color: #f0f0f0;
  font-family: "Roboto Mono", monospace; }}
#terminal {{ position: absolute; inset: 0; opacity: 0; }}
body.-first-byte #terminal {{ opacity: 1; }}
.notice {{ position: absolute; left: 0; right: 0; text-align: center; font-size: 20px; }}
#starting {{ top: 40vh; }}
body.-first-byte #starting {{ display: none; }}
#ended {{ bottom: 0; display: none; background: #5e0ba7; padding: 0.5em; z-index: 10; }}
body.-closed #ended {{ display: block; }}
#ended button {{ font-size: 1em; margin-left: 1em; }}
#class-ended {{ display: none; top: 0; bottom: 0; z-index: 20; background: #0c181f;
  font-family: sans-serif; padding: 20vh 2em 0; }}
#class-ended h1 {{ font-size: 1.6em; background: none; }}
#class-ended p {{ max-width: 34em; margin: 0 auto; line-height: 1.4; }}
body.-class-ended #class-ended {{ display: block; }}
body.-class-ended #ended, body.-class-ended #starting {{ display: none; }}
</style>
<script>
(function () {{
  var scheme = location.protocol === "https:" ? "wss://" : "ws://";
  window.smtpsimSocketUrl = scheme + location.host + "/ws";
  var Native = window.WebSocket, lastWord = {last_word};
  function Watched(url, protocols) {{
    var socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    socket.addEventListener("message", function (event) {{
      if (event.data === lastWord) {{ document.body.classList.add("-class-ended"); }}
    }});
    return socket;
  }}
  Watched.prototype = Native.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) {{
    Watched[name] = Native[name];
  }});
  window.WebSocket = Watched;
  window.addEventListener("keydown", function (event) {{
    var paste = (event.ctrlKey || event.metaKey) && !event.altKey
                && (event.key === "v" || event.key === "V");
    if (paste) {{ event.stopImmediatePropagation(); }}
  }}, true);
  window.addEventListener("beforeunload", function (event) {{
    var classes = document.body.classList;
    if (!classes.contains("-closed") && !classes.contains("-class-ended")) {{
      event.preventDefault();
      event.returnValue = {leave};
    }}
  }});
}})();
</script>
<script src="/static/js/textual.js"></script>
</head><body>
<div class="notice" id="starting">{starting}</div>
<div class="notice" id="ended">{ended}<button type="button"
  onclick="location.reload()">{reload}</button></div>
<div class="notice" id="class-ended" role="alert"><h1>{class_ended}</h1>
  <p>{class_ended_text}</p></div>
<div id="terminal" class="textual-terminal" data-font-size="{font_size}"></div>
<script>
document.getElementById("terminal").dataset.sessionWebsocketUrl = window.smtpsimSocketUrl;
</script>
</body></html>
"""


def _script_string(text: str) -> str:
    """A JavaScript string literal: JSON, with "<" escaped so it cannot end the script."""
    return json.dumps(text).replace("<", "\\u003c")


def app_page(font_size: int) -> str:
    return _APP_PAGE.format(
        lang=_lang(), title=escape(_(TITLE)), starting=escape(_(STARTING)),
        ended=escape(_(ENDED)), reload=escape(_(RELOAD_BUTTON)),
        leave=_script_string(_(LEAVE_WARNING)), last_word=_script_string(CLASS_ENDED_MESSAGE),
        class_ended=escape(_(CLASS_ENDED_HEADING)),
        class_ended_text=escape(_(CLASS_ENDED_TEXT)), font_size=int(font_size))
