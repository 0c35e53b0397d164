"""github_render.source_lines against the reading of a source position it replaced (a written-out
oracle): digits before the first ":", and digits between the first "-" after it and the next ":"."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from applygate.core.github_render import source_lines
from applygate.core.reading import scan
from applygate.core.token import Kind, Token


def _oracle(value: str) -> tuple[int, int] | None:
    first, colon, rest = value.partition(":")
    last = rest.partition("-")[2].partition(":")[0]
    if not (colon and first.isdigit() and last.isdigit() and first.isascii() and last.isascii()):
        return None
    return int(first), int(last)


def _lines(value: str) -> tuple[int, int] | None:
    node = LexborHTMLParser(f'<p data-sourcepos="{value}">x</p>', is_fragment=True).root
    assert node is not None
    return source_lines(node)


VALUES = ["1:1-1:5", "12:3-14:1", "3:4-5", "3:4-5:", "a:1-2:3", "1:1-2", ":1-2:3", "1:x-y-2:3", ""]


def test_cmark_s_positions_and_forged_ones() -> None:
    for value in VALUES:
        assert _lines(value) == (_oracle(value) if value else None), value


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789:-x \n\u0663", max_size=14))
def test_any_value(value: str) -> None:
    assert _lines(value) == (_oracle(value) if value else None)


def test_a_position_past_the_comment_s_last_line_is_none() -> None:
    """cmark-gfm writes no line past the body's last; a raw element may claim any (the red team's
    '1:1-999999:1' cost 175 ms a paragraph, and 10**20 lines raised OverflowError)."""
    node = LexborHTMLParser('<p data-sourcepos="2:1-9:5">x</p>', is_fragment=True).root
    assert node is not None
    assert source_lines(node, 9) == source_lines(node) == (2, 9)
    assert source_lines(node, 8) is None
    node = LexborHTMLParser('<p data-sourcepos="9:1-2:5">x</p>', is_fragment=True).root
    assert node is not None
    assert source_lines(node, 8) is None  # (its first line too)


@pytest.mark.parametrize("last", ["999999", "100000000000000000000"])
def test_a_forged_position_claiming_lines_past_the_body_is_read_as_raw_html(last: str) -> None:
    body = f'User approved: x\n\n<p data-sourcepos="1:1-{last}:1">User denied: x</p>\n'
    tokens = [line.token for line in scan(body)]
    assert Token(Kind.DENIAL, "x") in tokens
    assert Token(Kind.APPROVAL, "x") not in tokens  # the body writes positions: none is placed
