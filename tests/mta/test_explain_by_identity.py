"""Explanations decided by the reply's identity (its catalogue id), never by its code."""

from __future__ import annotations

from smtpsim.mta.explain import as_text, explain_entry

from .helpers import run, start


def _explained(session, *lines):
    return as_text(explain_entry(run(session, *lines)[-1]))


def test_an_armed_503_on_a_command_in_sequence_is_explained_as_the_fault():
    session = start("modern", "RCPT=503")
    text = _explained(session, "EHLO client.example", "MAIL FROM:<alice@client.example>",
                      "RCPT TO:<bob@mail.example>")
    assert text.startswith("503 5.5.1")
    assert "armed fault RCPT=503 forced this reply" in text
    assert "RCPT was in sequence here" in text
    assert "RCPT is allowed in" not in text


def test_an_armed_fault_on_a_command_out_of_sequence_says_so():
    session = start("modern", "RCPT=550")
    text = _explained(session, "EHLO client.example", "RCPT TO:<bob@mail.example>")
    assert "would also have been refused here" in text


def test_554_no_valid_recipients_gets_the_sequence_hint():
    session = start("modern")
    reply = run(session, "EHLO client.example", "MAIL FROM:<alice@client.example>",
                "RCPT TO:<nobody@mail.example>", "DATA")[-1]
    assert (reply.code, reply.reply_id) == (554, "seq.no_valid_recipients")
    assert "State: MAIL -> MAIL; DATA is allowed in RCPT" in as_text(
        explain_entry(reply))


def test_a_503_out_of_sequence_names_the_states_of_this_profile():
    # RFC 5321 4.1.4: MAIL only after EHLO/HELO.  RFC 821 4.3 gives MAIL no 503 at all,
    # so the classic host takes it before HELO.
    text = _explained(start("modern"), "MAIL FROM:<alice@client.example>")
    assert "MAIL is allowed in READY\n" in text + "\n"
    reply = run(start("classic"), "MAIL FROM:<alice@client.example>")[-1]
    assert (reply.code, reply.reply_id) == (250, "mail.ok")


def test_rfc_821s_missing_503_is_said_for_mail_only_not_for_rcpt_or_data():
    """RFC 821 4.3 lists 503 for RCPT and DATA, none for MAIL: the aside about the choice
    an RFC 821 host has is about MAIL (and SEND, SOML, SAML), not about RCPT or DATA."""
    for verb_line in ("RCPT TO:<bob@mail.example>", "DATA"):
        reply = run(start("modern"), verb_line)[-1]
        assert (reply.code, reply.reply_id) == (503, "seq.need_helo")
        text = as_text(explain_entry(reply))
        assert "lists no 503 for MAIL" not in text and "needmailhelo" not in text
        assert text.endswith("See: RFC 5321 4.1.4; RFC 5321 3.3")
    mail = as_text(explain_entry(run(start("modern"), "MAIL FROM:<alice@client.example>")[-1]))
    assert "lists no 503 for MAIL" in mail and "sendmail srvrsmtp.c (needmailhelo)" in mail


def test_the_states_a_503_allows_are_joined_in_the_learners_language():
    from smtpsim import catalogue, i18n
    i18n.set_language("it")
    try:
        reply = run(start("modern"), "RCPT TO:<bob@mail.example>")[-1]
        text = as_text(explain_entry(reply, catalogue.Catalogue("it")))
    finally:
        i18n.set_language("en")
    assert "RCPT è ammesso soltanto in MAIL o RCPT." in text
    assert " or " not in text
