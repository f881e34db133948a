"""The Italian texts speak to the learner as "tu", one register everywhere.

The app is for a class of sixteen-year-olds: "Digita", "Presenta il tuo host", "la tua
risposta" - never "voi" ("Voi siete", "la vostra risposta", "Digitate") and never the
impersonal infinitive of a manual ("Digitare un comando", "Premere F10") as an
instruction.  An infinitive that is the subject of a sentence ("Riprovare non servirà")
or describes what the client MTA does ("inviare QUIT") is no instruction, so only verbs
that our texts use as instructions alone are looked for at the start of a sentence.
Read from the files a translator edits: the gettext catalogue, catalogue/data/it and
lessons/it.
"""

from __future__ import annotations

import re
from pathlib import Path

from smtpsim import catalogue, i18n, po

ROOT = Path(catalogue.__file__).parent.parent.parent
#: "voi" and its forms.
VOI = re.compile(r"\b(?:[Vv]oi|[Vv]ostr[aoie]|siete|avete|Digitate|Selezionate|Premete|"
                 r"Scrivete|Provate)\b")
#: The impersonal instruction, at the start of a text, a sentence or a clause.
IMPERSONAL = re.compile(r"(?:^|(?<=[.:;!?]) |\()(?:Digitare|Premere|Scrivere|Selezionare|"
                        r"Chiedere|Vedere|Presentare|Comporre|Disporre|Aprire|Spuntare|"
                        r"Indicare|Ricaricare|Controllare|digitare|premere|scrivere|vedere)\b")


def italian_texts() -> list[tuple[str, str]]:
    """(where, text) for every Italian message, catalogue file and lesson."""
    texts = []
    for fields, _fuzzy in po.parse((i18n.LOCALE_DIR / "it" / "LC_MESSAGES" /
                                    f"{i18n.DOMAIN}.po").read_text("utf-8")):
        for key, value in fields.items():
            if key.startswith("msgstr") and value:
                texts.append((fields.get("msgid", "")[:60], value))
    files = sorted((catalogue.DATA / "it").glob("*.toml")) + sorted(
        (ROOT / "lessons" / "it").glob("*.toml"))
    for path in files:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.lstrip().startswith("#"):
                texts.append((f"{path.name}:{number}", line.split("= ", 1)[-1].strip('"')))
    return texts


def test_no_italian_text_says_voi():
    assert [(where, text) for where, text in italian_texts() if VOI.search(text)] == []


def test_no_italian_instruction_is_an_impersonal_infinitive():
    assert [(where, text) for where, text in italian_texts()
            if IMPERSONAL.search(text)] == []


def test_the_checks_can_fail():
    assert VOI.search("Voi siete l'MTA client") and VOI.search("la vostra risposta")
    assert IMPERSONAL.search("Digitare un comando") and IMPERSONAL.search("risposta. Premere F10")
    assert not IMPERSONAL.search("Riprovare con lo stesso indirizzo non servirà")
    assert not VOI.search("Tu sei l'MTA client; la tua risposta")
