"""The explanation pane: what the selected line means and why it came *now*.

Built from :func:`smtpsim.mta.explain.explain_entry` (or ``explain_token`` for a
lookup); every field is catalogue or transcript text, so it is added to Rich ``Text``
as plain strings - a ``[red]`` in a learner's address stays visible as typed.
"""

from __future__ import annotations

from rich.text import Text

from ...i18n import _
from ...mta.explain import Explanation
from ..text import printable
from .text_view import TextView

LONG = 4000   # a catalogue paragraph never reaches this; a pasted line might


def render_explanation(explanation: Explanation) -> Text:
    text = Text()
    text.append(printable(explanation.heading, 200), "bold")
    if explanation.why:
        text.append("\n" + _("Why now") + "  ", "bold")
        text.append(printable(explanation.why, LONG))
    for digit, meaning in explanation.digits:
        if meaning:
            text.append("\n" + _("Digit {digit}").format(digit=digit) + "  ", "bold").append(
                " ".join(meaning.split()), "")
    if explanation.enhanced:
        text.append(f"\n{explanation.enhanced[0]}  ", "bold").append(explanation.enhanced[1])
    if explanation.states:
        text.append("\n" + _("State") + "  ", "bold").append(explanation.states)
    if explanation.meaning and explanation.kind != "reply":
        text.append("\n" + explanation.meaning.strip())
    for label, value in explanation.extra:
        if value and value.strip():
            text.append(f"\n{label}  ", "bold").append(printable(value.strip(), LONG))
    if explanation.correction:
        text.append("\n" + _("Correction") + "  ", "bold reverse").append(" ")
        text.append(explanation.correction.strip())
    if explanation.rfc:
        text.append("\n" + _("See") + "  ", "bold").append("; ".join(explanation.rfc), "italic")
    return text


class ExplanationPane(TextView):
    DEFAULT_CSS = """
    ExplanationPane { border: round $accent; padding: 0 1; width: 1fr; height: 1fr; }
    ExplanationPane:focus { border: heavy $accent; }
    """

    _shown: Explanation | None = None

    def on_mount(self) -> None:
        self.border_title = _("why this reply, now")

    def show(self, explanation: Explanation | None, caption: str = "") -> None:
        self.set_caption(caption)
        if explanation == self._shown and explanation is not None:
            return
        self._shown = explanation
        if explanation is None:
            self.show_text(Text(""))
        else:
            self.show_keyed(explanation, lambda: render_explanation(explanation))
