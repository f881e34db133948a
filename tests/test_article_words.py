"""The source article's translated and misspelled verbs, recognized and corrected where a
learner types them: in the server's refusal and in ``smtpsim explain``."""

from __future__ import annotations

import pytest
from mta.helpers import run, start

from smtpsim import catalogue
from smtpsim.cli import main
from smtpsim.mta.explain import as_text, explain_entry

CAT = catalogue.load()
# (what the article prints, the verb it means) - from the article's own headings and
# format lines (../shared/seed), not from the catalogue.
ARTICLE = [("POSTA DA", "MAIL"), ("MAIL DA", "MAIL"), ("DATI", "DATA"), ("ESCI", "QUIT"),
           ("SMETTERE", "QUIT"), ("RESTO", "RSET"), ("RIPOSO", "RSET"), ("TURNO", "TURN"),
           ("AIUTO", "HELP"), ("INVIA DA", "SEND"), ("SMOL", "SOML"), ("SMAL", "SAML")]
# The lines a learner copies from the article, as the article writes them.
TYPED = [("POSTA DA:<alice@client.example>", "POSTA DA", 500),
         ("MAIL DA:<alice@client.example>", "MAIL DA", 501),
         ("DATI", "DATI", 500), ("SMETTERE", "SMETTERE", 500), ("ESCI", "ESCI", 500),
         ("RIPOSO", "RIPOSO", 500), ("RESTO", "RESTO", 500), ("TURNO", "TURNO", 500),
         ("AIUTO: posta", "AIUTO", 500), ("INVIA DA:<alice@client.example>", "INVIA DA", 500),
         ("SMOL FROM:<alice@client.example>", "SMOL", 500),
         ("SMAL FROM:<alice@client.example>", "SMAL", 500)]


@pytest.mark.parametrize("word, verb", ARTICLE)
def test_explain_names_the_verb_and_says_verbs_are_never_translated(word, verb, capsys):
    assert main(["explain", *word.split()]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[0]
    assert first.startswith(f"{word} is ") and verb in first
    assert "never translated" in out
    assert f"The verb: {verb} - " in out
    assert "Type instead: " in out


@pytest.mark.parametrize("line, word, code", TYPED)
def test_the_servers_refusal_carries_the_correction(line, word, code):
    session = start("modern")
    reply = run(session, "EHLO client.example", line)[-1]
    assert reply.code == code
    text = as_text(explain_entry(reply))
    assert f"Correction: {CAT.article_words[word]['title']}" in text
    # SEND/SOML/SAML/TURN get 502 on modern: the advice there is what modern takes (DATI, in
    # READY, also names the MAIL and RCPT that must come first)
    entry = CAT.article_words[word]
    assert entry.get("type_modern", entry["type"]) in _advice_of(reply)


def test_explain_smal_carries_the_saml_correction(capsys):
    main(["explain", "SMAL"])
    out = capsys.readouterr().out
    assert out.startswith("SMAL is not an SMTP verb")
    assert CAT.commands["SAML"]["correction"].strip().splitlines()[0] in out


def test_explain_smol_leads_with_the_correction(capsys):
    main(["explain", "SMOL"])
    assert capsys.readouterr().out.startswith(
        "SMOL is not an SMTP verb: it is the article's misspelling of SOML.")


def test_riposo_does_not_suggest_the_non_verb_smol(capsys):
    main(["explain", "RIPOSO"])
    assert "SMOL" not in capsys.readouterr().out
    # and a near miss is offered real names only
    assert "SMOL" not in CAT.suggestions("RIPOSOX") and "SMOL" not in CAT.suggestions("SMOK")


def test_rcpt_without_an_address_gets_the_correction_mail_gets():
    session = start("modern")
    mail = run(session, "EHLO client.example", "MAIL FROM:")[-1]
    rcpt = run(session, "MAIL FROM:<alice@client.example>", "RCPT TO:")[-1]
    assert (mail.code, rcpt.code) == (501, 501)
    mail_text, rcpt_text = as_text(explain_entry(mail)), as_text(explain_entry(rcpt))
    assert "leaves out the address, which is required" in mail_text
    assert "leaves out the address, which is required" in rcpt_text
    assert "RCPT TO:<bob@mail.example>" in rcpt_text


@pytest.mark.parametrize("code, words", [("550", "mailbox unavailable"),
                                         ("552", "exceeded storage allocation"),
                                         ("553", "mailbox name not allowed")])
def test_the_articles_truncated_code_meanings_are_corrected(code, words, capsys):
    main(["explain", code])
    out = capsys.readouterr().out
    correction = out[out.index("Correction:"):]
    assert "The article gives " + code in correction and words in correction


def test_the_only_protocol_claim_is_corrected_in_the_myths_lesson():
    from smtpsim.course.lessons import load_lessons
    lesson = next(one for one in load_lessons().lessons if one.id == "myths")
    assert "the only protocol" in lesson.text and "RFC 6409" in lesson.text


def test_a_language_without_article_words_uses_the_english_ones(tmp_path, monkeypatch):
    import shutil
    for name in ("en", "xx"):
        shutil.copytree(catalogue.DATA / "en", tmp_path / name)
    (tmp_path / "xx" / "article.toml").unlink()
    shutil.copy(catalogue.DATA / "replies.toml", tmp_path / "replies.toml")
    monkeypatch.setattr(catalogue, "DATA", tmp_path)
    assert catalogue.Catalogue("xx").article_word("RIPOSO") == "RIPOSO"


# -- the advice is true in the state the session is in (RFC 5321 4.1.4, 3.3) ---------------

# How a script reaches each command state on a modern host (RFC 5321 3.3 order).
TO_STATE = {"INIT": (), "READY": ("EHLO client.example",),
            "MAIL": ("EHLO client.example", "MAIL FROM:<alice@client.example>"),
            "RCPT": ("EHLO client.example", "MAIL FROM:<alice@client.example>",
                     "RCPT TO:<bob@mail.example>")}


def _advice_of(reply) -> str:
    text = as_text(explain_entry(reply))
    return text[text.index("Type instead: ") + len("Type instead: "):].splitlines()[0]


def test_after_rcpt_smol_advises_rset_first_and_that_advice_works():
    session = start("modern")
    reply = run(session, *TO_STATE["RCPT"], "SMOL FROM:<a@client.example>")[-1]
    advice = _advice_of(reply)
    assert advice.startswith("RSET, then MAIL FROM:<alice@client.example>: a transaction is "
                             "open (state RCPT)")
    assert "finish it first with DATA" in advice
    # what the old advice said gets 503 here; the new one is accepted
    assert run(session, "MAIL FROM:<alice@client.example>")[-1].code == 503
    assert [run(session, line)[-1].code for line in ("RSET", "MAIL FROM:<alice@client.example>")
            ] == [250, 250]


@pytest.mark.parametrize("line", ["POSTA DA:<a@client.example>", "SEND FROM:<a@client.example>",
                                  "SOML FROM:<a@client.example>", "SAML FROM:<a@client.example>"])
def test_inside_a_transaction_no_advice_says_plain_mail_from(line):
    session = start("modern")
    reply = run(session, *TO_STATE["MAIL"], line)[-1]
    assert reply.code in (500, 502)
    advice = _advice_of(reply)
    assert advice.startswith("RSET, then MAIL FROM:") and "(state MAIL)" in advice
    assert "Use MAIL FROM instead" not in as_text(explain_entry(reply))


@pytest.mark.parametrize("state, line, first", [
    ("INIT", "POSTA DA:<a@client.example>", ["EHLO client.example"]),
    ("INIT", "DATI", ["EHLO client.example", "MAIL FROM:<alice@client.example>",
                      "RCPT TO:<bob@mail.example>"]),
    ("READY", "DATI", ["MAIL FROM:<alice@client.example>", "RCPT TO:<bob@mail.example>"]),
    ("MAIL", "DATI", ["RCPT TO:<bob@mail.example>"]),
    ("RCPT", "TURNO", ["RSET"]),
])
def test_the_advice_names_what_comes_first_and_every_line_of_it_is_accepted(state, line, first):
    session = start("modern")
    reply = run(session, *TO_STATE[state], line)[-1]
    advice = _advice_of(reply)
    assert advice.startswith(", ".join(first) + ", then ") or advice.startswith(
        first[0] + ", then ")
    typed = CAT.article_words[CAT.article_word(line)]
    to_type = typed.get("type_modern", typed["type"])
    # played as advised, each line is in sequence and the last does what was asked
    for step in [*first, to_type]:
        assert run(session, step)[-1].code < 400, step


@pytest.mark.parametrize("state", ["READY", "RCPT"])
def test_where_the_line_is_in_sequence_the_advice_is_the_line_alone(state):
    # on the classic profile (RFC 821 4.1.1) SOML starts a new transaction anywhere
    session = start("classic")
    greet = [line.replace("EHLO", "HELO") for line in TO_STATE[state]]
    reply = run(session, *greet, "SMOL FROM:<a@client.example>")[-1]
    assert _advice_of(reply) == "SOML FROM:<alice@client.example>"
    assert run(session, "SOML FROM:<alice@client.example>")[-1].code == 250
    modern = start("modern")
    assert _advice_of(run(modern, *TO_STATE["READY"], "SMOL FROM:<a@x>")[-1]) == (
        "MAIL FROM:<alice@client.example>")


def test_the_state_advice_is_said_in_italian():
    session = start("modern")
    reply = run(session, *TO_STATE["RCPT"], "POSTA DA:<a@client.example>")[-1]
    text = as_text(explain_entry(reply, catalogue.Catalogue("it")))
    assert ("Digita invece: RSET, poi MAIL FROM:<alice@client.example>: è aperta una "
            "transazione (stato RCPT)") in text
    assert " then " not in text.split("Digita invece: ")[1]
