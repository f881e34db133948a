"""What the catalogue and the lessons teach, checked against the RFC text and the engine.

Each test holds one fact taken from the RFC itself (quoted in its docstring or comment),
or runs the engine and compares what a text promises with what the server does.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from mta.helpers import run, start

from smtpsim import catalogue
from smtpsim.mta.explain import as_text, explain_entry, explain_token

CAT = catalogue.load()
LESSONS = Path(__file__).parent.parent / "lessons" / "en"
DATA = Path(catalogue.__file__).parent / "data" / "en"

# Every numbered section of RFC 5321 (its table of contents, plus the 4.1.1.x command
# sections and 4.5.4.x that the contents leave out): a cite must name one of them.
RFC5321_SECTIONS = set(["1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "2.2.1", "2.2.2", "2.2.3", "2.3", "2.3.1", "2.3.2", "2.3.3", "2.3.4", "2.3.5", "2.3.6", "2.3.7", "2.3.8", "2.3.9", "2.3.10", "2.3.11", "2.4", "3", "3.1", "3.2", "3.3", "3.4", "3.5", "3.5.1", "3.5.2", "3.5.3", "3.5.4", "3.6", "3.6.1", "3.6.2", "3.6.3", "3.7", "3.7.1", "3.7.2", "3.7.3", "3.7.4", "3.7.5", "3.8", "3.9", "3.9.1", "3.9.2", "4", "4.1", "4.1.1", "4.1.1.1", "4.1.1.2", "4.1.1.3", "4.1.1.4", "4.1.1.5", "4.1.1.6", "4.1.1.7", "4.1.1.8", "4.1.1.9", "4.1.1.10", "4.1.1.11", "4.1.2", "4.1.3", "4.1.4", "4.1.5", "4.2", "4.2.1", "4.2.2", "4.2.3", "4.2.4", "4.2.5", "4.3", "4.3.1", "4.3.2", "4.4", "4.5", "4.5.1", "4.5.2", "4.5.3", "4.5.3.1", "4.5.3.1.1", "4.5.3.1.2", "4.5.3.1.3", "4.5.3.1.4", "4.5.3.1.5", "4.5.3.1.6", "4.5.3.1.7", "4.5.3.1.8", "4.5.3.1.9", "4.5.3.1.10", "4.5.3.2", "4.5.3.2.1", "4.5.3.2.2", "4.5.3.2.3", "4.5.3.2.4", "4.5.3.2.5", "4.5.3.2.6", "4.5.3.2.7", "4.5.4", "4.5.4.1", "4.5.4.2", "4.5.5", "5", "5.1", "5.2", "6", "6.1", "6.2", "6.3", "6.4", "7", "7.1", "7.2", "7.3", "7.4", "7.5", "7.6", "7.7", "7.8", "7.9", "8", "9", "10"])


def _texts() -> list[tuple[str, str]]:
    files = sorted(DATA.glob("*.toml")) + sorted(LESSONS.glob("*.toml"))
    # TOML line continuations and wrapped lines joined: a claim may span two lines.
    return [(p.name, " ".join(p.read_text(encoding="utf-8").replace("\\\n", " ").split()))
            for p in files]


def _why(reply_id: str) -> str:
    entry = CAT.why[reply_id]
    return entry["why"] + " " + " ".join(entry["rfc"])


def test_every_rfc_5321_section_cited_exists():
    cited = [(name, m.group(1)) for name, text in _texts()
             for m in re.finditer(r"RFC 5321 (\d+(?:\.\d+)*)", text)]
    assert cited
    wrong = [(name, section) for name, section in cited if section not in RFC5321_SECTIONS]
    assert wrong == []


def test_disabled_expn_is_explained_with_the_rfc_rule_and_the_practice():
    """RFC 5321 7.3: 'If a site disables these commands for security reasons, the SMTP
    server MUST return a 252 response'; 4.5.1 leaves EXPN out of the minimum
    implementation.  sendmail's noexpn answers 502 5.7.0; Postfix has no EXPN."""
    reply = run(start("hardened"), "EXPN staff")[-1]
    assert reply.code == 502
    text = as_text(explain_entry(reply))
    for fact in ("MUST answer 252", "RFC 5321 7.3", "RFC 5321 4.5.1", "Postfix",
                 "502 5.7.0"):
        assert fact in text, fact
    lesson = (LESSONS / "06-vrfy-and-expn.toml").read_text()
    assert "MUST answer 252" in lesson and "Postfix" in lesson
    assert "RFC 5321 4.2.4), and so does" not in lesson
    assert "Postfix" in CAT.codes["252"]["meaning"]


def test_pipelining_after_354_with_every_rcpt_refused_sends_a_single_dot():
    """RFC 2920 3.1: 'if the DATA command was accepted the client SMTP should send a
    single dot'.  RFC 5321 4.5.3.1 is about size limits, not pipelining."""
    entry = CAT.extensions["PIPELINING"]
    assert "single dot" in entry["meaning"] and "send no text" not in entry["meaning"]
    assert "RFC 5321 4.5.3.1" not in entry["rfc"] and "RFC 2920 3.1" in entry["rfc"]


def test_ehlo_must_not_list_an_extension_it_refuses():
    """RFC 5321 4.2.4: 'Extended SMTP systems MUST NOT list capabilities in response to
    EHLO for which they will return 502 (or 500) replies.'"""
    modern = CAT.commands["EHLO"]["modern"]
    assert "MUST NOT list" in modern and "should not list" not in modern


def test_message_too_big_cites_the_message_content_limit():
    """4.5.3.1.7 is Message Content, 4.5.3.1.9 gives '552 Too much mail data';
    4.5.3.1.10 is the too-many-recipients code."""
    rfc = CAT.why["dot.too_big"]["rfc"]
    assert "RFC 5321 4.5.3.1.7" in rfc and "RFC 5321 4.5.3.1.9" in rfc
    assert "RFC 5321 4.5.3.1.10" not in rfc


def test_3yz_is_not_only_354():
    """RFC 4954 4: AUTH's server challenge is a 334 reply."""
    lesson = (LESSONS / "02-three-digits.toml").read_text()
    assert "only DATA's 354 today" not in lesson and "334" in lesson
    assert "334" in CAT.codes["354"]["third"]


@pytest.mark.parametrize("claim", ["every SMTP verb has four letters",
                                   "SMTP verbs are letters only",
                                   "a verb of four letters"])
def test_no_text_claims_every_verb_has_four_letters(claim):
    """RFC 3207 4: STARTTLS is an SMTP verb of eight letters."""
    assert [name for name, text in _texts() if claim in text] == []


def test_bare_lf_explanation_says_what_the_server_does():
    """RFC 5321 4.1.1.4: servers MUST NOT accept lines ending only in LF.  This server
    finds the line by its LF and refuses it with 500: the text must say so."""
    server = start("modern").server
    replies = server.receive(b"NOOP\n")
    assert [(r.reply.code, r.reply_id) for r in replies] == [(500, "line.bare_lf")]
    why = CAT.why["line.bare_lf"]["why"]
    assert "must not treat a bare LF as the end of a line" not in why
    assert "500" in why and "CR NUL" in why


def test_helo_refusal_does_not_offer_a_literal_to_helo():
    """RFC 5321 4.1.1.1: helo = "HELO" SP Domain CRLF; ehlo = "EHLO" SP ( Domain /
    address-literal ) CRLF."""
    reply = run(start("modern"), "HELO bad_name!")[-1]
    assert reply.code == 501
    why = as_text(explain_entry(reply))
    assert "HELO takes a domain only" in why
    assert "(a domain, or an address literal" not in why


def test_noop_try_it_states_the_classic_reply_the_server_gives():
    code = run(start("classic"), "NOOP hello")[-1].code
    try_it = CAT.commands["NOOP"]["try_it"]
    assert f"{code} on the classic" in try_it
    assert code in CAT.commands["NOOP"]["replies"]


def test_ambiguity_is_cited_from_3_5_1():
    """RFC 5321 3.5.1 holds '553 User ambiguous'; 3.5.3 is the meaning of success."""
    assert "RFC 5321 3.5.1" in CAT.why["vrfy.ambiguous"]["rfc"]
    assert "RFC 5321 3.5.3" not in CAT.why["vrfy.ambiguous"]["rfc"]
    lesson = (LESSONS / "06-vrfy-and-expn.toml").read_text()
    assert "pick one for you (RFC 5321 3.5.3)" not in lesson


def test_551_is_not_said_to_answer_mail():
    """RFC 5321 4.3.2 lists 551 for RCPT (and VRFY), never for MAIL."""
    lesson = (LESSONS / "10-permanent-failures.toml").read_text()
    assert "550, 551 and 553 answer MAIL or RCPT" not in lesson
    assert "MAIL" not in CAT.codes["551"].get("commands", [])


def test_every_lesson_and_catalogue_file_is_valid_toml():
    for path in sorted(DATA.glob("*.toml")) + sorted(LESSONS.glob("*.toml")):
        tomllib.loads(path.read_text(encoding="utf-8"))


def test_explain_of_every_code_names_no_section_that_does_not_exist():
    for code in CAT.codes:
        text = as_text(explain_token(code))
        for section in re.findall(r"RFC 5321 (\d+(?:\.\d+)*)", text):
            assert section in RFC5321_SECTIONS, (code, section)


# RFC 821 4.3 (S/F/E, 421 left out as "any command") and RFC 5321 4.3.2, as printed there.
RFC821_43 = {
    "HELO": {250, 500, 501, 504, 421}, "MAIL": {250, 552, 451, 452, 500, 501, 421},
    "RCPT": {250, 251, 550, 551, 552, 553, 450, 451, 452, 500, 501, 503, 421},
    "DATA": {354, 250, 552, 554, 451, 452, 500, 501, 503, 421},
    "RSET": {250, 500, 501, 504, 421},
    "SEND": {250, 552, 451, 452, 500, 501, 502, 421},
    "SOML": {250, 552, 451, 452, 500, 501, 502, 421},
    "SAML": {250, 552, 451, 452, 500, 501, 502, 421},
    "VRFY": {250, 251, 550, 551, 553, 500, 501, 502, 504, 421},
    "EXPN": {250, 550, 500, 501, 502, 504, 421},
    "HELP": {211, 214, 500, 501, 502, 504, 421}, "NOOP": {250, 500, 421},
    "QUIT": {221, 500}, "TURN": {250, 502, 500, 503}}
RFC5321_432 = {
    "HELO": {250, 504, 550, 502}, "EHLO": {250, 504, 550, 502},
    "MAIL": {250, 552, 451, 452, 550, 553, 503, 455, 555},
    "RCPT": {250, 251, 550, 551, 552, 553, 450, 451, 452, 503, 455, 555},
    "DATA": {354, 250, 552, 554, 451, 452, 450, 550, 503},
    "RSET": {250}, "VRFY": {250, 251, 252, 550, 551, 553, 502, 504},
    "EXPN": {250, 252, 550, 500, 502, 504}, "HELP": {211, 214, 502, 504},
    "NOOP": {250}, "QUIT": {221}}
# RFC 5321 4.1.4: "MAIL (or SEND, SOML, or SAML) MUST NOT be sent if a mail transaction is
# already open", and 3.3 answers out-of-order commands with 503: the one pair neither table
# prints that the RFC text itself gives.
FROM_THE_TEXT = {("503", "SEND"), ("503", "SOML"), ("503", "SAML")}


def test_every_code_is_said_to_answer_only_commands_the_rfc_tables_give_it():
    """explain 550 once listed SEND, SOML and SAML: RFC 821 4.3 gives them no 550."""
    wrong = []
    for code, entry in CAT.codes.items():
        if not entry.get("standard", True):
            continue
        for verb in entry.get("commands", ()):
            tables = [table[verb] for table in (RFC821_43, RFC5321_432) if verb in table]
            if tables and not any(int(code) in t for t in tables) \
                    and (code, verb) not in FROM_THE_TEXT:
                wrong.append((code, verb))
    assert wrong == []


def test_explain_550_does_not_name_send_soml_or_saml(capsys):
    from smtpsim.cli import main
    main(["explain", "550"])
    sent_for = next(line for line in capsys.readouterr().out.splitlines()
                    if line.startswith("Sent for:"))
    assert sent_for == "Sent for: HELO, EHLO, MAIL, RCPT, DATA, VRFY, EXPN"


def test_ehlo_to_an_rfc_821_host_cites_rfc_1869_4_6():
    """RFC 1869 4.6 'Responses from servers without extensions': an RFC 821 server 'will
    not recognize the EHLO command and will consequently return code 500'. 4.5 is the
    error responses of extended servers (501, 502, 421)."""
    reply = run(start("classic"), "EHLO client.example")[-1]
    assert reply.code == 500
    see = as_text(explain_entry(reply)).splitlines()[-1]
    assert see == "See: RFC 5321 3.2; RFC 5321 4.1.1.1; RFC 1869 4.6; RFC 1869 4.5"


@pytest.mark.parametrize("status, see", [
    ("5.7.1", "See: RFC 3463 2; RFC 3463 3.8; RFC 2034 4"),   # 3.8 Security or Policy Status
    ("4.2.2", "See: RFC 3463 2; RFC 3463 3.3; RFC 2034 4"),   # 3.3 Mailbox Status
    ("2.0.0", "See: RFC 3463 2; RFC 3463 3.1; RFC 2034 4"),   # 3.1 Other or Undefined Status
    ("5.7.8", "See: RFC 3463 2; RFC 4954 6; RFC 2034 4"),     # RFC 4954 6 Status Codes
])
def test_an_enhanced_code_cites_the_section_that_defines_it(status, see):
    assert as_text(explain_token(status)).splitlines()[-1] == see


def test_the_211_status_reply_cites_where_211_and_help_are_defined():
    """RFC 5321 4.2.1 is the theory of reply codes; 211 is listed in 4.2.2 and as a reply
    to HELP in 4.3.2 (HELP itself: 4.1.1.8); RFC 821 4.2.1 is its function-group list."""
    reply = run(start("modern"), "HELP STATUS")[-1]
    assert reply.code == 211
    see = as_text(explain_entry(reply)).splitlines()[-1]
    assert see == "See: RFC 5321 4.1.1.8; RFC 5321 4.2.2; RFC 5321 4.3.2; RFC 821 4.2.1"
