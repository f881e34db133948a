"""The session state diagram, drawn from ``protocol.states.edges()`` - never by hand.

One row per state, in the order of :class:`~smtpsim.protocol.State`, with the arrows
leaving it grouped by target (``MAIL SEND SOML SAML → MAIL``).  The current state is
marked, the last command answered is named (and its arrow lit up), and after a sequence
refusal every state in which the refused command *would* have been accepted is ticked -
the picture behind "RCPT is allowed only in MAIL or RCPT".

The picture is that of the server's profile (:class:`~smtpsim.ui.model.ProfileRules`):
a verb the profile refuses (SOML on a modern host: 502) draws no arrow and is listed as
refused, with its code; an RFC 821 host draws MAIL's restart from RCPT.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import replace

from rich.text import Text

from ...i18n import N_, _, language
from ...mta.explain import ALLOWED_ONLY_IN
from ...protocol import State
from ...protocol.states import allowed_in, edges
from ..model import Moment, ProfileRules
from .text_view import TextView

# Under the diagram of a real server (--connect): its profile is unknown, so every
# transition of the RFC table is drawn - and the server may refuse some of them.
WHOLE_TABLE = N_("a real server: the whole RFC 821/5321 table is drawn; it may refuse "
                 "verbs it does not offer (502)")

Layout = tuple[dict[State, list[tuple[State, tuple[str, ...]]]],
               list[tuple[tuple[State, ...], State, tuple[str, ...]]]]


@functools.lru_cache(maxsize=8)   # one per profile, and one for a server of unknown profile
def _layout(rules: ProfileRules | None) -> Layout:
    """The whole diagram as data: per-state arrows, and arrows shared by many states.

    Arrows leaving a state are grouped by target (``MAIL SEND SOML SAML → MAIL``); an
    identical group leaving three or more states (QUIT → CLOSED) is drawn once, on its
    own line, instead of on every row.  ``rules`` None: a real server whose profile is
    unknown - every transition of the table is drawn.
    """
    refused = frozenset(verb for verb, _ in rules.refused) if rules else frozenset()
    grouped: dict[State, dict[State, list[str]]] = {s: defaultdict(list) for s in State}
    for src, label, dst in edges(rfc821=bool(rules and rules.rfc821), refused=refused):
        grouped[src][dst].append(label)
    sources: dict[tuple[State, tuple[str, ...]], list[State]] = defaultdict(list)
    for src, targets in grouped.items():
        for dst, labels in targets.items():
            sources[(dst, tuple(labels))].append(src)
    shared = [(tuple(srcs), dst, labels) for (dst, labels), srcs in sources.items()
              if len(srcs) >= 3]
    folded = {(dst, labels) for _, dst, labels in shared}
    order = list(State)

    def forward_first(src: State, dst: State) -> tuple[bool, int]:
        return order.index(dst) < order.index(src), order.index(dst)

    def row_order(src: State, row: tuple[State, tuple[str, ...]]) -> tuple[bool, int]:
        return forward_first(src, row[0])

    rows = {s: sorted(((dst, tuple(labels)) for dst, labels in targets.items()
                       if (dst, tuple(labels)) not in folded),
                      key=functools.partial(row_order, s))
            for s, targets in grouped.items()}
    return rows, shared


WIDEST = max(len(s.value) for s in State)
NARROW = 52   # cells: below this the diagram gives each arrow group its own line


def _arrow(text: Text, moment: Moment, src: State, dst: State,
           labels: tuple[str, ...]) -> None:
    last = moment.last
    lit_edge = last is not None and last[0] is src and last[2] is dst
    for n, label in enumerate(labels):
        if n:
            text.append(" ")
        style = "bold reverse" if lit_edge and last is not None and label == last[1] else ""
        if moment.refused_verb == label and src in moment.allowed:
            style = "bold green"
        text.append(label, style)
    text.append(f" → {dst.value}", "bold" if lit_edge else "dim")


def _headline(moment: Moment) -> Text:
    here, last = moment.state, moment.last
    if moment.refused_verb:
        names = _(" or ").join(allowed_in(moment.allowed))
        code = moment.last_code or 503
        return Text.assemble((_("{verb} refused with {code} in {state}").format(
            verb=moment.refused_verb, code=code, state=here.value), "bold red"),
            _(ALLOWED_ONLY_IN).format(states=names))
    if moment.pending:
        return Text.assemble((_("{command} sent in {state}; the reply decides what "
                                "follows").format(command=moment.pending, state=here.value),
                              "bold"))
    if last is not None:
        shown = f" ({moment.last_code})" if moment.last_code else ""
        return Text.assemble((_("last:")
                              + f" {last[0].value} ─{last[1]}{shown}→ {last[2].value}", "bold"))
    return Text.assemble((_("now {state}").format(state=here.value), "bold"))


def _refusals(rules: ProfileRules) -> Text:
    """The verbs this profile refuses, grouped by code: ``502: SEND SOML SAML TURN``."""
    by_code: dict[int, list[str]] = defaultdict(list)
    for verb, code in rules.refused:
        by_code[code].append(verb)
    text = Text("\n  " + _("refused on {profile}:").format(profile=rules.name) + " ", "dim")
    for n, (code, verbs) in enumerate(sorted(by_code.items())):
        if n:
            text.append(" · ", "dim")
        text.append(" ".join(verbs), "red")
        text.append(f" {code}", "dim")
    return text


def render_moment(moment: Moment | None, rules: ProfileRules | None = None,
                  narrow: bool = False) -> Text:
    """The diagram.  ``rules``: the server's profile; None for a server whose profile is
    unknown.  ``narrow`` (a pane under ``NARROW`` cells, as at 80x24) puts each group of
    arrows of a state on a line of its own, so that no row wraps."""
    if moment is None:
        return Text(_("no session"), "dim")
    layout, shared = _layout(rules)
    here = moment.state
    text = _headline(moment)
    # a state no arrow of this profile leads to (TURNED where TURN gets 502) is no row
    reached = {State.INIT, here, *(dst for rows in layout.values() for dst, _ in rows),
               *(dst for _, dst, _ in shared)}
    for state in State:
        if state not in reached:
            continue
        text.append("\n")
        text.append("▶ " if state is here else "  ", "bold")
        text.append(f"{state.value:<{WIDEST}}", "bold reverse" if state is here else "bold")
        tick = moment.refused_verb and state in moment.allowed
        # narrow: a cell less before the arrows (``READY✓ MAIL ...``)
        text.append((" ✓ " if tick else "   ")[narrow:], "bold green")
        if not layout[state]:
            ends = [labels for srcs, dst, labels in shared if dst is state]
            text.append(_("(the end)") if ends else _("(reversed: RFC 821 3.8)") if narrow
                        else _("(roles reversed: RFC 821 3.8)"), "dim")
        for n, (target, labels) in enumerate(layout[state]):
            if n:
                text.append("\n" + " " * (WIDEST + 4) if narrow else " · ", "dim")
            _arrow(text, moment, state, target, labels)
    for srcs, dst, labels in shared:
        text.append("\n  " + _("from {states}:").format(states=" ".join(s.value for s in srcs))
                    + ("\n" + " " * (WIDEST + 4) if narrow else " "), "dim")
        lit = [s for s in srcs if moment.last and moment.last[0] is s and moment.last[2] is dst]
        _arrow(text, moment, lit[0] if lit else srcs[0], dst, labels)
    if rules is None:
        text.append("\n" + _(WHOLE_TABLE), "dim")
    elif rules.refused:
        text.append_text(_refusals(rules))
    text.append("\n" + _(here.description), "italic")
    return text


class StateDiagram(TextView):
    DEFAULT_CSS = """
    StateDiagram { border: round $secondary; padding: 0 1; height: 1fr; width: 1fr; }
    StateDiagram:focus { border: heavy $accent; }
    """

    def on_mount(self) -> None:
        self.retitle()

    def retitle(self) -> None:
        self.border_title = _("session state (from the transition table)")

    _shown: tuple[Moment, ProfileRules | None, str] | None = None

    _narrow = False
    _rules: ProfileRules | None = None

    def show(self, moment: Moment | None, caption: str = "",
             rules: ProfileRules | None = None) -> None:
        # The picture does not depend on which line the moment belongs to: a NOOP after
        # a NOOP draws the same diagram, and is not drawn again (unless F12 changed the
        # language its words are in).
        seen = None if moment is None else (replace(moment, index=-1), rules, language())
        narrow = 0 < self.scrollable_content_region.width < NARROW
        if seen != self._shown or moment is None or narrow != self._narrow:
            self._shown, self._narrow, self._rules = seen, narrow, rules
            self.show_keyed((seen, narrow), lambda: render_moment(moment, rules, narrow))
        self.set_caption(caption)

    def on_resize(self, event) -> None:
        narrow = 0 < self.scrollable_content_region.width < NARROW
        if narrow != self._narrow and self._shown is not None:
            moment, rules, _language = self._shown
            self._narrow = narrow
            self.show_keyed((self._shown, narrow),
                            lambda: render_moment(moment, rules, narrow))
        else:
            super().on_resize(event)
