"""The pages the classroom server sends: the code page, "the class is full", the app page.

Every page is self-contained: styles inline, the font and xterm.js served from this
machine (``/static/...``, textual-serve's own copies), nothing fetched from the
internet - a classroom network often has no way out.  The words students read are
the constants at the top, for a translator.
"""

from __future__ import annotations

import json
from html import escape

TITLE = "smtpsim - classroom"
CODE_HEADING = "smtpsim: the SMTP simulator"
CODE_PROMPT = "Type the code your teacher wrote on the board."
CODE_LABEL = "Code"
SIZE_LABEL = "Text size"
JOIN_BUTTON = "Join"
WRONG_CODE = "That is not the code. Check the board and try again."
TOO_MANY = "Too many wrong codes from this computer: wait {seconds} seconds, then try again."
FULL_HEADING = "The class is full"
FULL_TEXT = ("All {places} places are taken. Ask your teacher; when someone closes their "
             "tab, reload this page.")
STARTING = "Starting your simulator..."
ENDED = "Your session has ended. Reload the page to start a new one."
RELOAD_BUTTON = "Reload"
LEAVE_WARNING = "Leaving this page ends your session."

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


def _page(body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(TITLE)}</title><style>{_STYLE}</style></head>"
            f"<body><main>{body}</main></body></html>\n")


def code_page(problem: str = "", font_size: int = 16, sizes: tuple[int, ...] = ()) -> str:
    """The only page served without the code: a form that posts it to ``/join``."""
    options = "".join(
        f'<option value="{size}"{" selected" if size == font_size else ""}>{size}</option>'
        for size in sizes)
    warning = f'<p class="problem" role="alert">{escape(problem)}</p>' if problem else ""
    return _page(
        f"<h1>{escape(CODE_HEADING)}</h1><p>{escape(CODE_PROMPT)}</p>{warning}"
        '<form method="post" action="/join">'
        f'<label>{escape(CODE_LABEL)}: <input name="code" autocomplete="off" autofocus '
        'required maxlength="32"></label><br>'
        f'<label>{escape(SIZE_LABEL)}: <select name="fontsize">{options}</select></label><br>'
        f'<button type="submit">{escape(JOIN_BUTTON)}</button></form>')


def full_page(places: int) -> str:
    return _page(f"<h1>{escape(FULL_HEADING)}</h1>"
                 f"<p>{escape(FULL_TEXT.format(places=places))}</p>")


def full_notice(places: int) -> bytes:
    """The same words, written into the terminal when the class fills up meanwhile."""
    text = f"\r\n  {FULL_HEADING}\r\n\r\n  {FULL_TEXT.format(places=places)}\r\n"
    return text.encode("utf-8")


# The app page.  textual.js (textual-serve's, served from /static) finds the element
# .textual-terminal, reads its data-session-websocket-url and data-font-size, draws the
# terminal and adds the body classes -first-byte (the app has drawn) and -closed.
# The small script before it does three things for a classroom:
#  * the websocket address is this page's own address (whatever the student typed),
#    not one fixed when the server started;
#  * Ctrl+V reaches the browser's own paste (xterm.js would send it to the app as the
#    ^V key, so text copied outside the page could not be pasted: textual-serve #32);
#  * while the session is live, closing or reloading the tab by mistake (Ctrl+W, F5
#    outside the terminal) asks first.
_APP_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
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
</style>
<script>
(function () {{
  var scheme = location.protocol === "https:" ? "wss://" : "ws://";
  window.smtpsimSocketUrl = scheme + location.host + "/ws";
  window.addEventListener("keydown", function (event) {{
    var paste = (event.ctrlKey || event.metaKey) && !event.altKey
                && (event.key === "v" || event.key === "V");
    if (paste) {{ event.stopImmediatePropagation(); }}
  }}, true);
  window.addEventListener("beforeunload", function (event) {{
    if (!document.body.classList.contains("-closed")) {{
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
<div id="terminal" class="textual-terminal" data-font-size="{font_size}"></div>
<script>
document.getElementById("terminal").dataset.sessionWebsocketUrl = window.smtpsimSocketUrl;
</script>
</body></html>
"""


def app_page(font_size: int) -> str:
    # The leave warning goes into a script: JSON, with "<" escaped so it cannot end it.
    leave = json.dumps(LEAVE_WARNING).replace("<", "\\u003c")
    return _APP_PAGE.format(title=escape(TITLE), starting=escape(STARTING),
                            ended=escape(ENDED), reload=escape(RELOAD_BUTTON), leave=leave,
                            font_size=int(font_size))
