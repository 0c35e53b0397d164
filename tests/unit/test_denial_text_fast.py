"""The fallback for a body not rendered (unrendered.unreadable) reads its lines at once and
plain readings by ``plain_token``; it must make exactly what the line-by-line reading before it
made (tests/support/unreadable_before.py), for any body: the same lines, tokens and order. And
``plain_token`` must give ``parse_line``'s token for any plain line. (Speed is measured by
benchmarks/token_scan.py, not here.)"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.support import unreadable_before
from tests.support.reading import token_like_by_line

from applygate.core.denial_text import without_marks
from applygate.core.github_render import TOO_LARGE
from applygate.core.line_index import split_lines
from applygate.core.token import Kind, ScannedLine, Token, parse_line, plain_token, token_like_lines
from applygate.core.unrendered import unreadable

# What a line of a body may hold: the token words and the prefix split anywhere, tags, comments,
# emphasis, escapes, links, cells, entities (one decoding to a line feed, one to a CR), every
# kind of line ending and white space, control and look-alike characters, a pin.
WORDS = (
    "User", "User ", "denied:", "denied: ", "denied", "Denied", "DENIED", "approved:", "op",
    "x", "deploy prod", "@abcdef1", " @0123456789", " ", "  ", "\t", "|", " | ", "*", "**", "_",
    "~", "`", "\\", "\\*", "\\|", "[", "]", "(", ")", "[a](b)", "[denied](x)", "![i]", "<b>",
    "</b>", "<", ">", "<!--", "-->", "<!-- a > b -->", "&amp;", "&#100;", "&#10;", "&NewLine;",
    "&#13;", "&#124;", "&", "&lt;", "&amp", "\n", "\r\n", "\r", "é", "\u00a0", "\u2028", "\x85",
    "\x00", "\x07", "\x0b", "\x1c", "\x1f", "   ", "\u200b", "\u0130", "\u212a", "User denied: ",
    "User denied:",
    "\nUser", "User approved: ", "!", "&#101;", "&#x64;", "&#X45;", "&#0105;", "&#110", "d", "e",
)  # fmt: skip
BODY = st.lists(st.sampled_from(WORDS), min_size=1, max_size=60).map("".join) | st.lists(
    st.sampled_from([word for word in WORDS if word.isascii()]), min_size=1, max_size=60
).map("".join)  # an ASCII body is read by faster steps of its own


def _both(body: str) -> tuple[list[ScannedLine], list[ScannedLine]]:
    body = body.removesuffix("\r")
    lines = split_lines(body)
    candidates = token_like_by_line(body)
    return (
        unreadable(body, lines, candidates, TOO_LARGE),
        unreadable_before.unreadable(body, lines, candidates, TOO_LARGE),
    )


@settings(max_examples=1500, deadline=None)
@given(BODY)
def test_the_fallback_makes_what_it_made_line_by_line(body: str) -> None:
    _made_what_it_made(body)


def _made_what_it_made(body: str) -> None:
    """The same, and more only where a line holds a tag: each part of a line between tags is
    read too (since 2026-12-07: "User denied: op<br>ok" was read as a denial of "opok" alone)."""
    now, before = _both(body)
    if "<" not in body:
        assert now == before
        return
    tokens = {(line.number, line.token) for line in now if line.token}
    assert {(line.number, line.token) for line in before if line.token} <= tokens
    lines = split_lines(body.removesuffix("\r"))
    more = tokens - {(line.number, line.token) for line in before}
    assert all("<" in lines[number - 1] for number, _ in more)
    refused = {(line.number, line.rejection) for line in now if line.rejection}
    for line in before:  # a line refused before is refused alike, or a denial took it
        assert line.token or (line.number, line.rejection) in refused or line.number in dict(more)


@pytest.mark.parametrize(
    "body",
    [
        "User denied: a\nUser **denied**: b\nUser denied: c",  # joined to the next's one reading
        "| User denied: a |\n| User **denied**: b |",  # cells of a join
        "x User\ndenied: op\n\nUser\ndenied: op2",  # the prefix split
        "User denied: op&#10;x\nUser denied: y",  # an entity decodes to a line feed
        # each letter of "denied" may be written by a character reference, ";" or not
        "User d&#101;nied: op\nUser &#x64;&#X65;ni&#101d: op2",
        "User &#100;&#101;&#110;&#105;&#101;&#100;: c",
        "&\n" * 50 + "User denie&#100;: op\n" + "&a\n" * 50,
        "User denied: <!-- c -->op <!-- d\nUser denied: y --> z",  # a comment left open
        "User denied: [op](x\ny) z",  # no link across lines
        "User  denied:   a \t b\u00a0c\u2028d\x85e @abcdef1",
        "User denied: op*|x\nUser **denied**: y",
        "User denied: op\x07\nUser denied: \u200bop",
        "User denied: a\x1fb\x1c c\x0b\x0c d\r\n| User denied: x\x1d | y\x1e",
        "User   denied:  a   b\t\t c",
        # the benchmark's fallback bodies, smaller
        "| a |\n|---|\n" + "".join(f"| User denied: op{n} |\n" for n in range(50)),
        "**a**\n" * 5 + "".join(f"User **denied**: op{n}\n" for n in range(50)),
        "| a |\n|---|\n" + "".join(f"| User **denied**: op{n} |\n" for n in range(50)),
        "| a |\n|---|\n" + "".join(f"| User denied: op\u00e9{n} |\n" for n in range(50)),
        "**a**\n" * 5 + "".join(f"User **denied**: op\u00e9{n}\n" for n in range(50)),
        "",
    ],
)
def test_the_fallback_makes_what_it_made_line_by_line_here(body: str) -> None:
    _made_what_it_made(body)


@pytest.mark.parametrize(
    ("line", "scopes"),
    [
        ("User denied: op<br>ok", {"op", "opok"}),
        ("User **denied**: op<br/>ok", {"op", "opok"}),
        ("User denied: op</p>ok", {"op", "opok"}),
        ("User d&#101;nied: op<div>ok</div>", {"op", "opok"}),
        ("User denied: <b>op</b><br>why", {"op"}),  # an inline tag in the scope, a break after
        ("<div>User denied: <b>op</b></div>x", {"op"}),
        ("User den<b>ied</b>: op", {"op"}),  # a tag inside a word: the line read whole
        ("<b>User denied: op</b>", {"op"}),
    ],
)
def test_a_tag_may_end_the_line_a_denial_is_shown_on(line: str, scopes: set[str]) -> None:
    """(A block's tag is read as a cell's end, so the whole line makes a denial too: more
    denials, never fewer.)"""
    found = unreadable(line, [line], {1: Kind.DENIAL}, TOO_LARGE)
    assert scopes <= {found.token.scope for found in found if found.token}


# A plain line: white space collapsed, built from the words a token is made of, invisible and
# look-alike characters.
PLAIN_WORDS = (
    "User", "denied:", "approved:", "User denied:", "User approved:", "op", "x", "@abcdef1",
    "@0123456789abcdef", "@xyz1234", "@", "|", "*", "&", "\x07", "\x00", "\x7f", "a@b", "é",
    "op\u00e9", "\u200b", "\u200f", "\u00ad", "\u2066x", "\ufeff", "\x9f", "Us\u0435r", "\u0435",
    "\U000e0041", "\u061c", "\u2062", "\u0301",
)  # fmt: skip
PLAIN = st.lists(st.sampled_from(PLAIN_WORDS), min_size=1, max_size=8).map(" ".join)


@settings(max_examples=1000, deadline=None)
@given(PLAIN)
def test_plain_token_is_the_grammars_token(line: str) -> None:
    assert plain_token(line) == parse_line(0, line, Kind.DENIAL).token


@pytest.mark.parametrize(
    "line",
    ["User denied: op", "User approved: op @abcdef1", "User denied: op @abc", "User denied:",
     "User denied:op", "User denied: a\x07", "User denied: a @0123456 @abcdef1", "user denied: a"],
)  # fmt: skip
def test_plain_token_is_the_grammars_token_here(line: str) -> None:
    assert plain_token(line) == parse_line(0, line, Kind.DENIAL).token


# An ASCII body's token-like lines are found by a narrower test first; it must find all of them.
ASCII_WORDS = (
    "User", "user", "USER", "U", "ser", "approved", "denied", "DeNiEd", "approved:", "denied:",
    " ", "\t", "  ", "\x00", "\x07", "\x0b", "\x0c", "\x1c", "\x1f", "\x7f", "\n", "\r\n", "\r",
    "> ", "- ", "* ", "# ", "1. ", "<!--", "[^1]: ", "|", "`", "~", "_", "x", "users", "deniedx",
)  # fmt: skip
ASCII_BODY = st.lists(st.sampled_from(ASCII_WORDS), min_size=1, max_size=40).map("".join)


@settings(max_examples=1000, deadline=None)
@given(ASCII_BODY)
def test_every_token_like_line_of_an_ascii_body_is_a_candidate(body: str) -> None:
    assert token_like_lines(body) == token_like_by_line(body)


@pytest.mark.parametrize(
    "body",
    ["x\nuser\tdenied", "u\x07ser denied", "> User approved: x", "us\x00er\t approved\r\nx",
     "1. user \x0b denied\rb", "user  \t approvedx", "USER DENIED", "- [^1]: user denied"],
)  # fmt: skip
def test_every_token_like_line_of_an_ascii_body_is_a_candidate_here(body: str) -> None:
    assert token_like_lines(body) == token_like_by_line(body)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from("*_~`\\|[]()<>&a é\n")) | st.text())
def test_marks_are_dropped_as_the_pattern_dropped_them(text: str) -> None:
    assert without_marks(text) == unreadable_before.MARKS.sub("", text)


def test_no_character_outside_ascii_lowers_into_denied() -> None:
    """The fallback looks for "denied" in its lines lower-cased, as the case-insensitive ASCII
    pattern did: no character outside ASCII may lower to a letter of it but U+0130, to "i" and a
    combining dot (which no "e" follows)."""
    letters = set("denied")
    odd = {chr(c): chr(c).lower() for c in range(0x80, 0x110000) if letters & set(chr(c).lower())}
    assert odd == {"\u0130": "i\u0307"}


@pytest.mark.parametrize("body", ["x\nUser\n**denied**: op\n", "User\n*denied*: op"])
def test_a_denial_split_before_its_marked_word_counts_in_the_fallback(body: str) -> None:
    """Only the marks-dropped reading of the second line starts with "denied:": the lines that
    may place a denial are those any reading of which holds the prefix or starts with its end."""
    found = unreadable(body, split_lines(body), token_like_by_line(body), TOO_LARGE)
    assert Token(Kind.DENIAL, "op") in [line.token for line in found]


def test_a_tag_over_a_lone_cr_does_not_shift_the_lines_of_the_fallback() -> None:
    """A review helper's finding: the tags dropped before looking for "denied" spanned a lone CR,
    which ends a line, so every line after it was looked for one line off and a plain denial
    there was never read."""
    body = "<x\r>\nUser denied: terraform apply prod/vpc"
    found = unreadable(body, split_lines(body), token_like_by_line(body), TOO_LARGE)
    assert Token(Kind.DENIAL, "terraform apply prod/vpc") in [line.token for line in found]
