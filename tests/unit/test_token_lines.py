"""The quick passes over a whole body, held to their definitions: ``token_like_lines`` (one
regex pass over a body) finds exactly the lines ``looks_like_token`` finds one by one, with the
same kind, however the body is written (ASCII with controls, characters folded one at a time
or read at once);
``body_looks_like_token`` is the quick pattern searched in the body's four forms."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.support.reading import token_like_by_line

from applygate.core.denial_text import TAGS
from applygate.core.reading import body_looks_like_token
from applygate.core.token import Kind, token_like_lines

# What a line may start with and hold: Markdown's lead marks, list numbers, a comment's and a
# footnote's opening, the words in any case and spacing, and what ends a line.
PIECES = [
    " ", "  ", "\t", ">", "> ", "*", "+", "-", "#", "_", "~", "`", "|", "1.", "12)", "3", "<!--",
    "[^a]:", "[^", "]:", "[", "]", "user", "User", "USER", "approved", "Approved", "denied",
    "DENIED", "approvedx", "denied:", ":", "x", "User approved: op", "User denied: op",
    "userapproved", "\n", "\n", "\n\n", "!", "<", ">", "\r\n", "\r",
]  # fmt: skip
# ... and the controls a skeleton drops within a line, characters outside ASCII
# (tests/unit/test_skeleton.py has every kind), and combining marks (NFKC joins them to the
# letter before: such a body is read at once, not folded a character at a time)
ODD = ["\x00", "\x0b", "\x0c", "\x1f", "\x7f"]
BEYOND = ["\u0430", "\u2028", "\u00a0", "é"]
JOINED = ["\u0301", "\u0307"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=20), st.sampled_from(ODD), st.integers(0, 20))
def test_an_ascii_body_with_a_control_character_is_read_in_one_pass(
    pieces: list[str], odd: str, at: int
) -> None:
    """(its controls dropped within each line, as a skeleton drops them; 32,768 lines of a
    control and a lone CR were each read alone: 97 ms, the red team)"""
    body = "".join([*pieces[:at], odd, *pieces[at:]])
    assert token_like_lines(body) == token_like_by_line(body)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*PIECES, *ODD]), max_size=20),
    st.sampled_from(BEYOND),
    st.integers(0, 20),
)
def test_a_body_outside_ascii_is_read_in_one_pass_too(pieces: list[str], odd: str, at: int) -> None:
    body = "".join([*pieces[:at], odd, *pieces[at:]])
    assert token_like_lines(body) == token_like_by_line(body)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=20), st.sampled_from(JOINED), st.integers(0, 20))
def test_a_body_with_a_combining_mark_is_read_at_once(pieces: list[str], odd: str, at: int) -> None:
    body = "".join([*pieces[:at], odd, *pieces[at:], "\n\u00e9"])
    assert token_like_lines(body) == token_like_by_line(body)


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("User approved: x", {1: Kind.APPROVAL}),
        ("hi\n\n> - USER  Denied: x\n1. user\tapproved", {3: Kind.DENIAL, 4: Kind.APPROVAL}),
        ("<!-- User approved: x -->\n[^1]: user denied", {1: Kind.APPROVAL, 2: Kind.DENIAL}),
        ("say User approved: x\nuser approvedx\nuser\napproved", {}),
        ("\n\n\nuserdenied", {4: Kind.DENIAL}),
    ],
)
def test_the_lines_one_pass_finds(body: str, found: dict[int, Kind]) -> None:
    assert token_like_lines(body) == found == token_like_by_line(body)


# The cheap test before any rendering, as its docstring defines it: the quick pattern (a token
# word in any case, or a character outside printable ASCII) in the body as written, with
# entities decoded, or with tags and Markdown marks dropped too.
_QUICK = re.compile(r"(?i)approved|denied|[^\x20-\x7e\t\r\n]")
MARKS = re.compile(r"[*_~`\\|\[\]()]")  # the marks of emphasis, code, tables and links
QUICK_PIECES = [
    *PIECES, "&amp;", "&#100;", "&#x64;", "&eacute;", "&", "#", ";", "den", "ied", "appr", "oved",
    "<b>", "</b>", "<i x>", "**", "_", "\\", "(", ")", "\u00e9", "\u0430", "\x00", "\x0b", "\r",
    "\t", "&#0;", "&#x7f;", "DEN", "&#73;ED", "<!-- > -->", '<s t=">">', "](u)", "][r]", '"', "'",
]  # fmt: skip


# ... and a fourth: comments, then tags (a quoted value may hold ">", never "<"), then links'
# targets and references dropped, then the marks.
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_QUOTED = re.compile(r"""<[^<>"']*(?:(?:"[^"<]*"|'[^'<]*')[^<>"']*)*>""")
_TARGET = re.compile(r"\]\([^()]*\)|\]\[[^\[\]]*\]")


def _as_defined(body: str) -> bool:
    decoded = html.unescape(body)
    fourth = MARKS.sub("", _TARGET.sub("", _QUOTED.sub("", _COMMENT.sub("", decoded))))
    forms = (body, decoded, MARKS.sub("", TAGS.sub("", decoded)), fourth)
    return any(_QUICK.search(form) is not None for form in forms)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(QUICK_PIECES), max_size=24).map("".join))
def test_the_cheap_test_is_the_quick_pattern_over_the_four_forms(body: str) -> None:
    assert body_looks_like_token(body) is _as_defined(body)


@pytest.mark.parametrize(
    ("body", "looks"),
    [
        ("LGTM, thanks", False),
        ("User den**ied**: x", True),  # marks dropped from inside the word
        ("appr<b>oved</b>", True),  # a tag dropped
        ("User d&#101;nied: x", True),  # an entity decoded
        ("a\x7fb", True),  # a control character a skeleton drops
        ("caf\u00e9", True),  # outside ASCII: its letters may be look-alikes
        ("see <b>the plan</b> & [the docs](https://x)", False),
    ],
)
def test_what_the_cheap_test_lets_through(body: str, looks: bool) -> None:
    assert body_looks_like_token(body) is looks is _as_defined(body)
