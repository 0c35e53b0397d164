"""The fast paths for a line that is one collapsed part (as most token lines are) make what the
full reading makes, for any line:

- ``parse_line`` reads a collapsed line with ``plain_token``: the same line as the grammar frozen
  in tests/support/token_before.py reads it (token, kind, reason);
- ``shown_denials`` reads a line of one part (no "|", single spaces) by one pattern: held to its
  definition by tests/unit/test_reading_bounds_of_work.py (the pieces here among its own);
- ``scan`` skips a shown denial that is its own plain line's text, read already, only when that
  text is one part: each cell's denial of a plain line with cells still counts beside it.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.support import token_before as before

from applygate.core.reading import scan
from applygate.core.token import Kind, ScannedLine, Token, parse_line

# pieces of a line: the prefixes and their near misses, every kind of white space and line
# break, cells, pins, look-alikes, invisible and control characters, letters outside ASCII
PIECES = (
    "User denied: ", "User approved: ", "User denied:", "User approved:", "User  denied: ",
    "user denied: ", "Us\u0435r denied: ", "\uff35ser denied: ", "op", "x", "deploy prod/vpc",
    " ", "  ", "\t", "|", " | ", "@abcdef1", " @0123456789abcdef", " @ABCDEF0", "\u00e9",
    "\u00a0", "\u2003", "\u200b", "\u202e", "\x07", "\x0b", "\x0c", "\x1c", "\x85", "\u2028",
    "\n", "\r", "\r\n", "*", ":", "-", "\ufdfa", "e\u0301",
)  # fmt: skip
LINE = st.lists(st.sampled_from(PIECES), max_size=10).map("".join)


def _fields(line: ScannedLine | before.ScannedLine) -> tuple[object, ...]:
    token = None if line.token is None else (line.token.kind, line.token.scope, line.token.pin)
    return (line.number, line.text, line.kind, token, line.rejection)


@settings(max_examples=3000, deadline=None)
@given(LINE, st.sampled_from(Kind))
@example("User denied: \uff35", Kind.APPROVAL)  # the approval's prefix is longer: a look-alike
def test_parse_line_reads_any_line_as_the_grammar_does(line: str, kind: Kind) -> None:
    now = parse_line(7, line, kind)
    then = before.parse_line(7, line, before.Kind(kind.value))
    assert _fields(now) == _fields(then)


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
@pytest.mark.parametrize("before", ["", "notes\n"])  # a line of its own, or after a break
def test_a_plain_line_makes_its_token_and_each_cell_s_denial(
    line: str, scopes: set[str], before: str
) -> None:
    found = scan(f"{before}{line}\n\nUser approved: deploy")
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
