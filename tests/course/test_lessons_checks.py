"""Each check kind asks the engine; combinations and the packaging of lesson files."""

from __future__ import annotations

import tomllib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from smtpsim.course import lessons as lessons_module
from smtpsim.course import parse_check, read_lesson
from smtpsim.course.checks import KINDS, CheckError, Snapshot, evaluate
from smtpsim.mta import Session

ROOT = Path(__file__).resolve().parents[2]


def judge(table: dict, session: Session, start: int = 0, snapshot=None):
    check = parse_check(table)
    return evaluate(check, session, session.transcript.entries[start:],
                    snapshot or Snapshot.take(Session()))


def test_reply_checks_read_codes_verbs_ids_and_the_latest_reply():
    session = Session()
    for line in ("HELO client.example", "RCPT TO:<bob@mail.example>", "NOOP"):
        session.type_line(line)
    assert judge({"kind": "reply_seen", "code": 503, "verb": "RCPT"}, session).passed
    assert judge({"kind": "reply_seen", "id": "seq.need_mail"}, session).passed
    assert not judge({"kind": "last_reply", "code": 503}, session).passed
    outcome = judge({"kind": "last_reply", "first_digit": 5}, session)
    assert not outcome.passed and "to NOOP" in outcome.found
    assert judge({"kind": "last_reply", "code": 250, "verb": "noop"}, session).passed
    # only what happened since the step began counts
    assert not judge({"kind": "reply_seen", "code": 503}, session, start=5).passed


def test_state_recipients_closed_and_combinations():
    session = Session()
    for line in ("EHLO client.example", "MAIL FROM:<>", "RCPT TO:<bob@mail.example>"):
        session.type_line(line)
    assert judge({"kind": "state", "state": "RCPT"}, session).passed
    assert judge({"kind": "recipients", "count": 1}, session).passed
    either = {"kind": "any", "checks": [{"kind": "closed"}, {"kind": "recipients", "count": 1}]}
    both = {"kind": "all", "checks": [{"kind": "closed"}, {"kind": "recipients", "count": 1}]}
    assert judge(either, session).passed
    outcome = judge(both, session)
    assert not outcome.passed and outcome.found == "open, state RCPT"
    session.type_line("QUIT")
    assert judge({"kind": "closed"}, session).passed
    assert not judge({"kind": "reversed"}, session).passed


def test_delivered_and_queued_see_only_new_messages():
    session = Session("classic")
    before = Snapshot.take(session)
    for line in ("HELO client.example", "MAIL FROM:<alice@client.example>",
                 "RCPT TO:<bob@mail.example>", "RCPT TO:<friend@far.example>", "DATA",
                 "..dot", "plain", "."):
        session.type_line(line)
    mailbox = {"kind": "delivered", "user": "bob", "place": "mailbox"}
    assert judge(mailbox, session, snapshot=before).passed
    assert judge({**mailbox, "line": ".dot", "via": "MAIL"}, session, snapshot=before).passed
    assert not judge({**mailbox, "line": "..dot"}, session, snapshot=before).passed
    assert not judge({**mailbox, "via": "SEND"}, session, snapshot=before).passed
    assert not judge({**mailbox, "place": "terminal"}, session, snapshot=before).passed
    assert judge({"kind": "queued", "to": "friend@far.example"}, session,
                 snapshot=before).passed
    after = Snapshot.take(session)
    assert not judge(mailbox, session, snapshot=after).passed


def test_the_wheel_carries_the_lessons_and_the_loader_finds_them_there(tmp_path, monkeypatch):
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    wheel = config["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["force-include"]["lessons"] == "smtpsim/_lessons"
    assert lessons_module.PACKAGED_LESSONS == ROOT / "smtpsim" / "_lessons"
    assert "lessons" in config["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]
    # An installed wheel has no checkout beside it: the packaged copy is used.
    packaged = tmp_path / "_lessons"
    (packaged / "en").mkdir(parents=True)
    first = sorted((ROOT / "lessons" / "en").glob("*.toml"))[0]
    (packaged / "en" / first.name).write_bytes(first.read_bytes())
    monkeypatch.setattr(lessons_module, "CHECKOUT_LESSONS", tmp_path / "no-checkout")
    monkeypatch.setattr(lessons_module, "PACKAGED_LESSONS", packaged)
    assert lessons_module.lessons_root() == packaged
    assert lessons_module.load_lessons().ids() == ["first-conversation"]


_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 600) | st.floats(allow_nan=False)
    | st.sampled_from(["READY", "bob", "mailbox", "RCPT", "250", "all", "client.example",
                       "state", "x@y"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["kind", "code", "verb", "state", "user", "place", "host", "checks",
                         "count", "to", "line", "via", "id", "first_digit"]), inner,
        max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(
    st.sampled_from(["kind", "code", "verb", "state", "user", "place", "host", "checks",
                     "count", "to", "line", "via", "id", "first_digit"]), _values, max_size=5)
    | _values)
def test_any_check_table_is_accepted_or_refused_with_a_reason(table):
    try:
        check = parse_check(table)
    except CheckError as error:
        reason = str(error)
        # The reason says what is wrong with the check, in a line a lesson author can read.
        assert "check" in reason.lower() and reason.isprintable(), reason
        return
    # Accepted: a check of a known kind that can say what it wants.
    assert check.kind in KINDS and isinstance(table, dict) and table["kind"] == check.kind
    assert check.describe()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_file_content_gives_a_lesson_or_problems_never_an_exception(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "lesson.toml"
    path.write_bytes(b'id = "x"\n[[steps]]\n' + data)
    lesson, problems = read_lesson(path)
    assert (lesson is None) != (problems == [])
    assert all(p.line >= 1 for p in problems)
