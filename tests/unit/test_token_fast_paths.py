"""``scan`` skips a shown denial that is its own plain line's text, read as a token already, only
when that text is one part and the line's token was the grammar's as written: each cell's
denial of a plain line with cells still counts beside it, and so does a line's own text shown
after another denial was placed there. (The fast paths of ``parse_line`` and ``shown_denials``
are held to the frozen grammar by tests/unit/test_skeleton.py and to their definition by
tests/unit/test_reading_bounds_of_work.py.)"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from applygate.core.denial_text import beyond_its_line, shown_denials
from applygate.core.reading import scan
from applygate.core.token import Kind, Token, parse_line


@pytest.mark.parametrize(
    ("line", "scopes"),
    [
        # a plain line: its own token, and a denial in each cell beside it
        ("User denied: a | User denied: b", {"a | User denied: b", "a", "b"}),
        ("User denied: a|User denied: b", {"a|User denied: b", "a", "b"}),
        # one part: its own token only
        ("User denied: a b", {"a b"}),
        ("User denied: a\u00e9", {"a\u00e9"}),
    ],
)
@pytest.mark.parametrize("lead", ["", "notes\n"])  # a line of its own, or after a break
def test_a_plain_line_makes_its_token_and_each_cell_s_denial(
    line: str, scopes: set[str], lead: str
) -> None:
    found = scan(f"{lead}{line}\n\nUser approved: deploy")
    denials = {s.token for s in found if s.token is not None and s.token.kind is Kind.DENIAL}
    assert denials == {Token(Kind.DENIAL, scope) for scope in scopes}


def test_a_line_s_text_shown_after_another_denial_was_placed_there_still_counts() -> None:
    """Found by comparing scan with the reader before (seed 7750): a raw <table> unplaces the
    last line, a heading's denial (an entity in it, so looked for among the denial lines) is
    placed there first, then the line's own text, shown, was taken for the line's token read
    already and skipped: its denial was lost."""
    body = (
        "<table>Us\u00e9r denied: a\tb</del>\n\n## User d&#101;nied: d*</span>\nUser denied: d*~~"
    )
    found = {(s.number, s.token) for s in scan(body) if s.token is not None}
    assert found == {(4, Token(Kind.DENIAL, "d*")), (4, Token(Kind.DENIAL, "d*~~"))}


# A line's own text, read by the grammar as a token already: what shown_denials makes of it is
# that token and its cells' denials (denial_text.beyond_its_line), in the same order.
OWN_PIECES = [
    "User denied: ", "User approved: ", "User  denied: ", "User denied:", "op", "a b", "a  b",
    "\t", " ", "|", " | ", "| User denied: c", "|User denied:\td", " @6dcb09b", "\u00a0", "\u00e9",
    "\u200b", "x", "User denied: e\u00a0",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(
    st.sampled_from(["User denied: ", "User approved: ", " User denied: "]),
    st.lists(st.sampled_from(OWN_PIECES), min_size=1, max_size=10).map("".join),
)
def test_a_line_s_own_text_makes_its_token_and_its_cells_denials(prefix: str, rest: str) -> None:
    """(A prefix first: from pieces alone, 1,405 of 1,500 lines made no token, and asserted
    nothing.)"""
    line = prefix + rest
    for kind in Kind:
        token = parse_line(1, line, kind).token
        if token is None:
            continue
        text = line.strip(" \t")
        beyond = beyond_its_line(text, line)
        assert beyond is not None
        assert [t for t in shown_denials(text) if t != token] == [t for t in beyond if t != token]


@pytest.mark.parametrize(
    ("text", "line"),
    [("User denied: a", "User denied: b"), ("User denied: a\nb", "User denied: a\nb")],
)
def test_only_a_line_s_own_text_on_one_line_is_read_beyond_it(text: str, line: str) -> None:
    assert beyond_its_line(text, line) is None
