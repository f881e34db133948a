"""The state diagram and the prompt tell the truth about the server's profile.

The expectations come from the profiles' definitions (RFC 5321 App. F.1 and F.6 retire
TURN, SEND, SOML and SAML; an RFC 821 host knows no EHLO, RFC 1869 4.6; RFC 821 4.1.1
lets MAIL restart a transaction), written out here, not read from the code.
"""

from __future__ import annotations

import pytest
from mta.helpers import run, start

from smtpsim.mta.profiles import PROFILES
from smtpsim.ui.model import moment_at, profile_rules
from smtpsim.ui.widgets.command_bar import syntax_hint
from smtpsim.ui.widgets.diagram import render_moment

from .helpers import diagram_text, new_app, send

REFUSED = {
    "modern": {"SEND": 502, "SOML": 502, "SAML": 502, "TURN": 502, "VERB": 502, "TICK": 502},
    "hardened": {"SEND": 502, "SOML": 502, "SAML": 502, "TURN": 502, "VERB": 502,
                 "TICK": 502, "EXPN": 502},
    "classic": {"EHLO": 500, "ETRN": 500},
}


def _picture(profile: str, *lines: str) -> str:
    session = start(profile)
    run(session, *lines) if lines else None
    entries = session.transcript.entries
    return render_moment(moment_at(entries, len(entries) - 1),
                         profile_rules(PROFILES[profile])).plain


@pytest.mark.parametrize("profile", REFUSED)
def test_the_profile_refuses_exactly_these_verbs(profile):
    assert dict(profile_rules(PROFILES[profile]).refused) == REFUSED[profile]


@pytest.mark.parametrize("profile", ["modern", "hardened"])
def test_modern_hosts_draw_no_legacy_transition_and_list_the_refusals(profile):
    text = _picture(profile)
    # no arrow leads to TURNED where TURN gets 502, so it is no row of the picture
    assert [line[2:].split()[0] for line in text.splitlines()[1:7]] \
        == ["INIT", "READY", "MAIL", "RCPT", "DATA", "CLOSED"]
    assert "TURNED" not in text.split("refused on")[0]
    assert "TURN → TURNED" not in text and "SOML" not in text.split("refused on")[0]
    assert "MAIL → MAIL" in text                       # MAIL alone opens a transaction
    refused = text.split(f"refused on {profile}: ")[1].splitlines()[0]
    assert refused.startswith("SEND SOML SAML") and refused.endswith("502")


def test_classic_draws_the_legacy_verbs_the_restart_and_no_ehlo():
    text = _picture("classic")
    assert "TURN → TURNED" in text
    # RFC 821 4.1.1 / 4.3: MAIL starts a transaction before HELO, between transactions
    # and inside one - from MAIL too, where the engine restarts the transaction
    assert "from INIT READY MAIL RCPT: MAIL SEND SOML SAML → MAIL" in text
    assert "  TURNED   (roles reversed: RFC 821 3.8)" in text.splitlines()
    assert "HELO EHLO" not in text and "refused on classic: EHLO ETRN 500" in text


@pytest.mark.parametrize("command", ["TICK 0001", "NOOP", "VERB", "RSET"])
def test_every_answered_command_moves_the_last_line(command):
    text = _picture("classic", "HELO client.example", command)
    verb = command.split()[0]
    assert text.splitlines()[0] == f"last: READY ─{verb} (250)→ READY"


def test_classic_lights_the_restart_from_mail_that_the_engine_made():
    session = start("classic")
    replies = run(session, "HELO client.example", "MAIL FROM:<alice@client.example>",
                  "MAIL FROM:<alice@client.example>")
    assert replies[-1].reply_id == "mail.restarted"
    text = _picture("classic", "HELO client.example", "MAIL FROM:<alice@client.example>",
                    "MAIL FROM:<alice@client.example>")
    assert text.splitlines()[0] == "last: MAIL ─MAIL (250)→ MAIL"


def test_a_sequence_refusal_with_554_is_shown_as_one():
    text = _picture("modern", "EHLO client.example", "MAIL FROM:<alice@client.example>",
                    "RCPT TO:<nobody@mail.example>", "DATA")
    assert text.splitlines()[0] == "DATA refused with 554 in MAIL: allowed only in RCPT (✓)"


def test_an_armed_503_is_not_drawn_as_a_sequence_refusal():
    session = start("modern", "RCPT=503")
    run(session, "EHLO client.example", "MAIL FROM:<alice@client.example>",
        "RCPT TO:<bob@mail.example>")
    entries = session.transcript.entries
    moment = moment_at(entries, len(entries) - 1)
    assert moment.refused_verb is None
    assert render_moment(moment).plain.splitlines()[0] == "last: MAIL ─RCPT (503)→ MAIL"


def test_the_empty_prompt_advises_the_greeting_of_the_profile():
    assert "try HELO client.example" in syntax_hint("", "HELO client.example").plain
    assert "this host answers 502" in syntax_hint("SOML", refused={"SOML": 502}).plain
    assert "[allowed in INIT READY MAIL RCPT]" in syntax_hint("MAIL", rfc821=True).plain
    assert "[allowed in READY]" in syntax_hint("MAIL").plain


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_app_on_classic_advises_helo_and_draws_classic(size):
    app = new_app("classic")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        hint = str(app.query_one("#hint").render())
        assert "try HELO client.example" in hint and "EHLO" not in hint
        assert "HELO client.example" in app.query_one("#command").placeholder
        await send(pilot, app, "HELO client.example", "TICK 0001")
        assert diagram_text(app).splitlines()[0] == "last: READY ─TICK (250)→ READY"
        assert "TURN → TURNED" in diagram_text(app)
        app.new_session(profile="modern")
        await pilot.pause()
        assert "try EHLO client.example" in str(app.query_one("#hint").render())
        assert "TURN → TURNED" not in diagram_text(app)
