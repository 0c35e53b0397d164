"""core/line_index.py against the plain reading it replaces: a regex split, a Python loop."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from applygate.core.line_index import LINE_ENDING, lines_holding, split_lines

BODIES = [
    "",
    "one line",
    "a\nb",
    "a\r\nb\r\n",
    "a\rb",  # a lone CR ends a line too
    "a\r\r\nb\n\rc",
    "\r\n\r\n",
    "x\n\ndenied\r\nnot\rdenied here\n",
    "denied\r\nx\r\n\r\ndenied\rdenied",
]
WORD = re.compile("denied")


def _looped(body: str) -> list[int]:
    return [i for i, line in enumerate(LINE_ENDING.split(body)) if WORD.search(line)]


@pytest.mark.parametrize("body", BODIES)
def test_lines_are_split_and_found_as_the_regex_does(body: str) -> None:
    assert split_lines(body) == LINE_ENDING.split(body)
    assert list(lines_holding(body, WORD)) == _looped(body)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", " ", "\r", "\n", "\r\n", "denied"]), max_size=30).map("".join)
)
def test_any_mix_of_line_endings(body: str) -> None:
    assert split_lines(body) == LINE_ENDING.split(body)
    assert list(lines_holding(body, WORD)) == _looped(body)
