"""``scan`` skips a shown denial that is its own plain line's text, read as a token already, only
when that text is one part and the line's token was the grammar's as written: each cell's
denial of a plain line with cells still counts beside it, and so does a line's own text shown
after another denial was placed there. (The fast paths of ``parse_line`` and ``shown_denials``
are held to the frozen grammar by tests/unit/test_skeleton.py and to their definition by
tests/unit/test_reading_bounds_of_work.py.)"""

from __future__ import annotations

import pytest

from applygate.core.reading import scan
from applygate.core.token import Kind, Token


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
