"""MAIL/RCPT arguments: RFC 5321 4.1.2 syntax and the 4.5.3.1 size limits."""

import pytest

from smtpsim.protocol import PathError, parse_mailbox, parse_path_argument
from smtpsim.protocol.paths import DOMAIN_LIMIT, LOCAL_PART_LIMIT, PATH_LIMIT


def domain_of(octets: int) -> str:
    """A valid domain of exactly ``octets`` octets: 63-octet labels, then the rest."""
    labels, left = [], octets
    while left > 0:
        size = min(63, left if left <= 63 else 62)
        labels.append("d" * size)
        left -= size + 1
    name = ".".join(labels)
    assert len(name) == octets, (len(name), octets)
    return name


def test_limits_are_the_rfc_values():
    assert (PATH_LIMIT, LOCAL_PART_LIMIT, DOMAIN_LIMIT) == (256, 64, 255)


@pytest.mark.parametrize("octets, ok", [(63, True), (64, True), (65, False)])
def test_local_part_limit(octets, ok):
    text = "l" * octets + "@mail.example"
    if ok:
        assert parse_mailbox(text).local == "l" * octets
    else:
        with pytest.raises(PathError) as error:
            parse_mailbox(text)
        assert error.value.kind == "mailbox" and "64" in error.value.detail


@pytest.mark.parametrize("octets, ok", [(254, True), (255, True), (256, False)])
def test_domain_limit(octets, ok):
    domain = domain_of(octets)
    if ok:
        assert parse_mailbox("a@" + domain).domain == domain
    else:
        with pytest.raises(PathError) as error:
            parse_mailbox("a@" + domain)
        assert error.value.kind == "mailbox" and "255" in error.value.detail


@pytest.mark.parametrize("octets, ok", [(255, True), (256, True), (257, False)])
def test_path_limit_counts_the_angle_brackets(octets, ok):
    # <local@domain>: 2 brackets + local + "@" + domain
    local = "l" * 60
    domain = domain_of(octets - 2 - len(local) - 1)
    argument = f"FROM:<{local}@{domain}>"
    assert len(argument) - len("FROM:") == octets
    if ok:
        assert parse_path_argument(argument, "FROM", allow_null=True).mailbox.domain == domain
    else:
        with pytest.raises(PathError) as error:
            parse_path_argument(argument, "FROM", allow_null=True)
        assert error.value.kind == "too_long"


@pytest.mark.parametrize("argument, kind", [
    ("FROM: <a@b.example>", "syntax"),        # RFC 5321 3.3: no space after the colon
    ("FROM:a@b.example", "syntax"),           # brackets are required
    ("FROM:<a@b.example", "syntax"),
    ("FRM:<a@b.example>", "syntax"),
    ("FROM:<a@b.example>SIZE=1", "syntax"),
    ("FROM:<a@b.example> =1", "syntax"),
    ("FROM:<a>", "mailbox"),
    ("FROM:<a@@b.example>", "mailbox"),
    ("FROM:<a..b@b.example>", "mailbox"),
    ("FROM:<a@-b.example>", "mailbox"),
])
def test_malformed_paths(argument, kind):
    with pytest.raises(PathError) as error:
        parse_path_argument(argument, "FROM", allow_null=True)
    assert error.value.kind == kind


def test_null_path_only_as_reverse_path():
    assert parse_path_argument("FROM:<>", "FROM", allow_null=True).mailbox is None
    with pytest.raises(PathError):
        parse_path_argument("TO:<>", "TO", allow_null=False)


def test_postmaster_without_domain_and_source_routes():
    # RFC 5321 4.5.1: <Postmaster> is accepted, case-insensitively.
    assert parse_path_argument("TO:<postMaster>", "TO", allow_null=False).postmaster
    # RFC 5321 App. C: a source route is parsed, then ignored.
    path = parse_path_argument("TO:<@relay.example,@b.example:bob@mail.example>", "TO",
                               allow_null=False)
    assert str(path.mailbox) == "bob@mail.example"


def test_parameters_and_quoted_local_parts():
    path = parse_path_argument('FROM:<"a b"@x.example> SIZE=100 body=8BITMIME', "FROM",
                               allow_null=True)
    assert path.params == {"SIZE": "100", "BODY": "8BITMIME"}
    assert path.mailbox.local == '"a b"'
