"""Table cells stay one cell: no row breaks, column breaks, HTML or runaway code spans."""

from __future__ import annotations

import pytest

from applygate.core.markdown import cell, code_cell


@pytest.mark.parametrize(
    ("text", "plain", "code"),
    [
        ("two\nlines\r\n", "two lines  ", "two lines  "),
        ("a | b", "a \\| b", "a \\| b"),
        ("<script>", "&lt;script&gt;", "<script>"),
        ("run `rm`", "run \\`rm\\`", "run 'rm'"),
        ("plain", "plain", "plain"),
    ],
)
def test_cells(text: str, plain: str, code: str) -> None:
    assert cell(text) == plain
    assert code_cell(text) == code
