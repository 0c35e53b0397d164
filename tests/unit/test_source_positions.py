"""github_render.source_lines against the reading of a source position it replaced (a written-out
oracle): digits before the first ":", and digits between the first "-" after it and the next ":"."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from applygate.core.github_render import source_lines


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
