"""core/line_index.py against the plain reading it replaces: a regex split, a Python loop."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from applygate.core.line_index import LINE_ENDING, first_covering, lines_holding, split_lines

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


@pytest.mark.parametrize(
    ("spans", "points", "expected"),
    [
        ([], [1, 2], {}),
        ([(1, 5, "a")], [], {}),
        ([(1, 5, "outer"), (2, 3, "inner")], [2, 4, 6], {2: "outer", 4: "outer"}),  # first wins
        ([(2, 3, "inner"), (1, 5, "outer")], [2, 4], {2: "inner", 4: "outer"}),
        ([(3, 3, "a"), (7, 9, "b")], [1, 3, 5, 8, 9, 10], {3: "a", 8: "b", 9: "b"}),
    ],
)
def test_first_covering(
    spans: list[tuple[int, int, str]], points: list[int], expected: dict[int, str]
) -> None:
    assert first_covering(spans, points) == expected


@settings(max_examples=200, deadline=None)
@given(
    spans=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 9))),
    points=st.lists(st.integers(0, 30), unique=True).map(sorted),
)
def test_first_covering_is_the_first_span_that_holds_each_point(
    spans: list[tuple[int, int, int]], points: list[int]
) -> None:
    """The same as asking every span for every point (what it replaces)."""
    slow = {
        p: next(v for a, b, v in spans if a <= p <= b)
        for p in points
        if any(a <= p <= b for a, b, _ in spans)
    }
    assert first_covering(spans, points) == slow
