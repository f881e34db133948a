"""The protocol layer's detail phrases, the lesson checker and the Markdown handout in
Italian - while the wire stays exactly as it was."""

import ast
from pathlib import Path

import pytest

from smtpsim import i18n
from smtpsim.cli import main
from smtpsim.mta import Session
from smtpsim.mta.explain import as_text, explain_entry
from smtpsim.mta.phrases import PROTOCOL_PHRASES
from smtpsim.protocol import client, framing, literals, paths
from smtpsim.protocol.phrase import Phrase
from smtpsim.ui.export import transcript_markdown

PROTOCOL = Path(paths.__file__).parent


@pytest.fixture
def italian():
    i18n.set_language("it")
    yield
    i18n.set_language("en")


def phrase_templates(module) -> set[str]:
    """Every template a protocol module hands to Phrase: the constants named in
    ``Phrase(NAME ...)`` calls and the control-byte names."""
    tree = ast.parse(Path(module.__file__).read_text("utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Phrase" \
                and node.args:
            first = node.args[0]
            if isinstance(first, ast.Name) and first.id.isupper():   # a template constant
                found.add(getattr(module, first.id))
            elif isinstance(first, ast.Constant):
                found.add(first.value)
    return found


def test_every_protocol_template_is_a_message():
    templates = set()
    for module in (paths, literals, framing, client):
        templates |= phrase_templates(module)
    templates |= {name for name in framing._CONTROL_NAMES.values() if name not in
                  ("NUL", "BEL", "TAB")}     # names that read the same in every language
    assert len(templates) >= 25
    assert templates <= set(PROTOCOL_PHRASES), templates - set(PROTOCOL_PHRASES)
    translated = i18n.translations("it")
    assert all(translated.get(t) for t in PROTOCOL_PHRASES)


def test_protocol_stays_free_of_gettext():
    for source in PROTOCOL.glob("*.py"):
        assert "i18n" not in source.read_text("utf-8"), source.name


def test_a_phrase_is_its_english_text():
    phrase = Phrase(paths.PATH_TOO_LONG, octets=300, limit=256)
    assert phrase == "the path has 300 octets; the limit is 256"
    assert phrase.render(lambda t: "{octets} > {limit}") == "300 > 256"
    assert phrase.render(lambda t: "{nonsense}") == phrase      # a broken translation


@pytest.mark.parametrize("line, wire, italian_detail", [
    ("RCPT TO:bob@mail.example", "501 5.5.4",
     "il percorso va scritto tra parentesi angolari <...>"),
    ("RCPT TO:<bob@mail.example", "501 5.5.4",
     "manca la '>' di chiusura del percorso"),
    ("RCPT TO:<bob@[300.1.2.3]>", "553 5.1.3",
     "'[300.1.2.3]' non è un letterale IPv4: servono esattamente quattro numeri"),
    ("RCPT TO:<" + "x" * 70 + "@mail.example>", "553 5.1.3",
     "la parte locale ha 70 ottetti; il limite è 64"),
])
def test_path_details_are_explained_in_italian(italian, line, wire, italian_detail):
    session = Session("modern")
    session.type_line("EHLO client.example")
    session.type_line("MAIL FROM:<alice@client.example>")
    reply = [e for e in session.type_line(line) if e.side == "S"][-1]
    assert reply.lines[0].startswith(wire)                 # the wire is not translated
    assert reply.context["detail"].isascii()               # nor the context's own text
    text = as_text(explain_entry(reply))
    assert italian_detail in text, text
    i18n.set_language("en")
    assert italian_detail not in as_text(explain_entry(reply))


def test_a_control_byte_is_named_in_italian(italian):
    session = Session("modern")
    reply = [e for e in session.type_line("HELO client\x1b[A.example") if e.side == "S"][-1]
    text = as_text(explain_entry(reply))
    assert "0x1B (ESC (spesso un tasto freccia))" in text, text


def test_lessons_check_speaks_italian(capsys):
    broken = Path(__file__).parent / "course" / "fixtures" / "lessons_broken"
    try:
        assert main(["lessons", "check", str(broken), "--lang", "it"]) == 1
    finally:
        i18n.set_language("en")
    out = capsys.readouterr().out
    assert "bad_check.toml:15: passo 2: tipo di verifica sconosciuto 'banana'" in out
    assert "mail.example non ha l'utente 'zed'" in out
    assert "bad_keys.toml:9: passo 1: manca 'hint'" in out
    # the replayed model answer is placed on its step's answer line in Italian too
    assert "wrong_answer.toml:17: passo 2: la risposta modello non supera" in out
    assert "step " not in out and "unknown" not in out


def test_markdown_handout_headings_in_italian(italian):
    session = Session("modern")
    session.type_line("EHLO client.example")
    text = transcript_markdown(session.transcript, "", "smtpsim run FILE")
    assert text.startswith("# Sessione SMTP\n")
    assert "## Trascrizione" in text and "## Ogni risposta spiegata" in text
    assert "S: 250-mail.example" in text or "250-" in text


def test_state_descriptions_and_client_steps_are_messages():
    from smtpsim.mta import client as client_module
    from smtpsim.mta.phrases import STATE_DESCRIPTIONS
    from smtpsim.protocol.states import _DESCRIPTIONS
    assert set(_DESCRIPTIONS.values()) == set(STATE_DESCRIPTIONS)
    steps = [value for name, value in vars(client_module).items()
             if name.startswith("_STEP_") and isinstance(value, Phrase)]
    steps += list(client_module._STEP_GREET.values())
    assert len(steps) >= 10
    translated = i18n.translations("it")
    for step in steps:
        assert translated.get(step.template), step.template


def test_the_client_mta_says_its_next_step_in_italian(italian):
    from smtpsim.ui.model import client_view
    session = Session("modern")
    view = client_view(session.client)
    assert view.step in ("presentarsi con EHLO", "presentarsi con HELO"), view.step
    assert session.client.step.startswith("introduce itself with")   # the engine's own


def test_the_client_mta_notes_are_said_in_italian(italian):
    """A refused recipient and a bounced message: the pane's notes in Italian, the
    engine's notes (and so every transcript that records them) unchanged."""
    from smtpsim.mta.outgoing import compose
    from smtpsim.ui.model import client_view
    session = Session("modern")
    session.queue_message(compose("alice@client.example", ["nobody@mail.example"],
                                  "x", "Hi."))
    for _step in range(8):
        session.play_step()
    notes = list(session.client.notes)
    assert any(n.startswith("550 for <nobody@mail.example>: permanent") for n in notes), notes
    said = client_view(session.client).notes
    assert any(n.startswith("550 per <nobody@mail.example>: errore permanente") for n in said)
    assert any("messaggio per <nobody@mail.example> (550: permanente, da segnalare al "
               "mittente): non consegnato" in n for n in said), said
