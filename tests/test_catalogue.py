"""The catalogue agrees with the engine: every verb, reply id, code and enhanced code the
engine can produce is explained, and a second language needs no code change."""

import re
import shutil
from pathlib import Path

import pytest
from mta.helpers import last_code, run, start

from smtpsim import catalogue
from smtpsim.mta import HANDLERS, PROFILES
from smtpsim.mta.explain import explain_token
from smtpsim.mta.faults import FAULT_CODES
from smtpsim.protocol import KNOWN_VERBS

CAT = catalogue.load()
MTA_SOURCE = Path(catalogue.__file__).parent.parent / "mta"
ARTICLE_CODES = (211, 214, 220, 221, 250, 251, 354, 421, 403, 450, 451, 452, 500, 501, 502,
                 503, 504, 550, 551, 552, 553, 554)
ARTICLE_VERBS = ("HELO", "MAIL", "RCPT", "DATA", "QUIT", "RSET", "VRFY", "NOOP", "TURN", "EXPN",
                 "HELP", "SEND", "SOML", "SAML", "VERB", "TICK")


def test_server_verbs_equal_catalogue_commands_equal_protocol_verbs():
    assert set(HANDLERS) == set(CAT.commands) == set(KNOWN_VERBS)
    assert set(ARTICLE_VERBS) | {"EHLO", "ETRN"} == set(CAT.commands)


def test_every_reply_id_has_a_why_and_every_why_a_reply():
    assert set(CAT.replies) == set(CAT.why)
    for reply_id, entry in CAT.why.items():
        assert entry["why"].strip() and entry["rfc"], reply_id


def test_every_code_a_reply_can_carry_is_in_codes_toml():
    emitted = {template.code for template in CAT.replies.values()}
    missing = [c for c in emitted | set(FAULT_CODES) | set(ARTICLE_CODES)
               if CAT.code(c) is None]
    assert missing == []


@pytest.mark.parametrize("code", ARTICLE_CODES)
def test_article_codes_are_fully_explained(code):
    entry = CAT.code(code)
    assert entry["title"] and entry["meaning"].strip() and entry["try_it"].strip()
    assert entry["third"].strip()
    assert CAT.digits["first"][str(code)[0]] and CAT.digits["second"][str(code)[1]]


def test_403_is_marked_non_standard_and_corrected():
    entry = CAT.code(403)
    assert entry["standard"] is False
    assert "553" in entry["correction"] and "5.7.1" in entry["correction"]


def test_every_fault_code_has_realistic_text():
    for code in FAULT_CODES:
        template = CAT.reply(f"fault.{code:03d}")
        assert template.code == code and template.text


def test_every_enhanced_code_in_replies_has_a_detail():
    for reply_id, template in CAT.replies.items():
        if template.enhanced:
            assert CAT.enhanced_entry(template.enhanced) is not None, reply_id
            assert template.enhanced[0] == str(template.code)[0], reply_id
            assert template.code // 100 != 3, reply_id


# A template's field as written ({count}, {count:recipient|recipients}) and as shown when the
# context lacks it: {count}.
FIELD = re.compile(r"\{(\w+)[^{}]*\}")


def test_every_template_fills_with_any_context():
    # No context at all: nothing crashes, and every field stays visible by its name.
    for reply_id, template in CAT.replies.items():
        assert catalogue.fill(template.text, {}) == FIELD.sub(r"{\1}", template.text), reply_id
        assert "\r" not in template.text, reply_id
    for why_id, entry in CAT.why.items():
        assert catalogue.fill(entry["why"], {}) == FIELD.sub(r"{\1}", entry["why"]), why_id


def test_a_template_fills_every_field_it_names():
    # With every field known, no {name} is left in the text.
    for reply_id, template in CAT.replies.items():
        names = {m.group(1) for m in FIELD.finditer(template.text)}
        filled = catalogue.fill(template.text, dict.fromkeys(names, 2))
        assert FIELD.search(filled) is None, (reply_id, filled)


PREFIXES = sorted({rid.split(".")[0] for rid in CAT.replies})
REPLY_LITERAL = re.compile(r'"((?:{})\.[a-z_0-9]+)"'.format("|".join(PREFIXES)))
FAMILY = re.compile(r'f"([a-z_]+\.[a-z_]*)\{')            # f"rcpt.{kind}"
BUILT = re.compile(r'"([a-z_]+\.[a-z_0-9]*)"\)?\s*\\?\s*\+')   # "path.mailbox" + ...


def test_every_reply_id_named_in_the_mta_source_exists():
    literal = set()
    for path in MTA_SOURCE.glob("*.py"):
        text = path.read_text()
        # host names such as "mail.example" look like ids of the "mail" family
        literal |= {rid for rid in REPLY_LITERAL.findall(text) if not rid.endswith(".example")}
    assert len(literal) > 100
    assert sorted(rid for rid in literal if rid not in CAT.replies) == []


def test_reply_ids_are_written_out_so_that_a_search_finds_their_senders():
    """No id is built (f"rcpt.{kind}", "path.mailbox" + "_821"): every reply of the
    catalogue is named whole, in quotes, somewhere in the package's source."""
    source = {path: path.read_text() for path in MTA_SOURCE.parent.rglob("*.py")}
    built = sorted(f"{path.name}: {match}" for path, text in source.items()
                   for match in FAMILY.findall(text) + BUILT.findall(text)
                   if match.split(".")[0] in PREFIXES)
    assert built == []
    everything = "\n".join(source.values())
    assert sorted(rid for rid in CAT.replies if f'"{rid}"' not in everything) == []


def test_every_bad_line_problem_of_the_framing_layer_has_a_reply():
    framing = (MTA_SOURCE.parent / "protocol" / "framing.py").read_text()
    problems = set(re.findall(r'BadLine\(\s*"([a-z_]+)"', framing))
    assert {"too_long", "bare_lf", "bare_cr", "control", "eight_bit", "empty"} <= problems
    assert sorted(p for p in problems if f"line.{p}" not in CAT.replies) == []


def test_every_ehlo_keyword_of_every_profile_is_explained():
    keywords = {ext.split()[0] for p in PROFILES.values() for ext in p.extensions}
    assert {"SIZE", "PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES", "HELP", "ETRN"} <= keywords
    for keyword in keywords:
        entry = CAT.extension(keyword)
        assert entry and entry["meaning"].strip() and entry["rfc"] and entry["try_it"], keyword


def test_extension_try_its_are_true():
    session = start("modern")
    assert last_code(session, "EHLO client.example",
                     "MAIL FROM:<alice@client.example> SIZE=999999999") == 552
    assert last_code(session, "MAIL FROM:<alice@client.example> BODY=BINARY") == 501
    assert last_code(session, "MAIL FROM:<alice@client.example> BODY=8BITMIME") == 250
    assert run(start("modern"), "VRFY nobody")[-1].text.startswith("550 5.1.1 ")
    assert run(start("classic"), "VRFY nobody")[-1].text.startswith("550 String")


@pytest.mark.parametrize("verb", ARTICLE_VERBS + ("EHLO", "ETRN"))
def test_every_command_entry_is_complete(verb):
    entry = CAT.command(verb)
    for field in ("title", "summary", "syntax", "meaning", "rfc", "replies", "try_it",
                  "modern"):
        assert entry.get(field), (verb, field)
    for code in entry["replies"]:
        assert CAT.code(code) is not None, (verb, code)


@pytest.mark.parametrize("token, kind, key", [
    ("550", "code", "550"), ("50", "code", "050"), ("soml", "command", "SOML"),
    ("SMOL", "article", "SMOL"), ("MAIL FROM:", "command", "MAIL"), ("5.7.1", "enhanced", "5.7.1"),
    ("4.2.2", "enhanced", "4.2.2"), ("pipelining", "extension", "PIPELINING"),
])
def test_lookup(token, kind, key):
    found = CAT.lookup(token)
    assert (found.kind, found.key) == (kind, key)


def test_smol_leads_with_the_correction_then_explains_soml():
    explanation = explain_token("SMOL")
    assert explanation.heading == "SMOL is not an SMTP verb: it is the article's misspelling " \
        "of SOML."
    assert explanation.meaning == CAT.commands["SOML"]["meaning"]


@pytest.mark.parametrize("token", ["", "   ", "nonsense", "6.1.1", "5.99.99", "1000", "x.y.z"])
def test_unknown_tokens_give_none_not_an_error(token):
    assert CAT.lookup(token) is None and explain_token(token) is None
    assert isinstance(CAT.suggestions(token), list)


def test_a_second_language_folder_needs_no_code_change(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(catalogue.DATA, data)
    shutil.copytree(data / "en", data / "xx")
    why = data / "xx" / "why.toml"
    why.write_text(why.read_text().replace("A client that opens a connection",
                                           "XX: a client that opens a connection", 1))
    monkeypatch.setattr(catalogue, "DATA", data)
    catalogue.load.cache_clear()
    try:
        assert catalogue.languages() == ["en", "it", "xx"]
        other = catalogue.load("xx")
        assert other.language == "xx" and set(other.commands) == set(CAT.commands)
        assert other.why["greeting"]["why"].startswith("XX: ")
        from smtpsim.mta import Session
        from smtpsim.mta.explain import explain_entry
        session = Session("modern", language="xx")
        assert explain_entry(session.transcript[0], other).why.startswith("XX: ")
        with pytest.raises(ValueError):
            catalogue.load("zz")
    finally:
        catalogue.load.cache_clear()


def test_one_spelling_of_unrecognized_across_the_product():
    """The server's wire text says "unrecognized" (replies.toml); explanations, lessons
    and the README use the same spelling, so a learner never wonders whether two words
    mean two things."""
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    files = [*root.joinpath("smtpsim").rglob("*.toml"), *root.joinpath("smtpsim").rglob("*.py"),
             *root.joinpath("lessons", "en").rglob("*.toml"), root / "README.md"]
    assert [p.name for p in files if "ecognis" in p.read_text(encoding="utf-8")] == []
    assert "unrecognized" in (root / "smtpsim/catalogue/data/replies.toml").read_text()
