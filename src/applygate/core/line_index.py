"""Where the lines of a comment are, found by str methods and compiled regexes (in C) rather than
by a Python step per line: a comment of GitHub's 65,536 characters may have as many lines.

Pure: strings in, numbers and strings out.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# A line ends at LF, CR LF or a lone CR, as in CommonMark (and cmark's source positions).
LINE_ENDING = re.compile(r"\r\n|\r|\n")
# How many characters a reading may search, in all, for where a text was written (the denial
# lines a raw-HTML denial may come from, the HTML comments a refused line may stand in): about
# 2 ms of str.find; a person's comment needs a few thousand. Past it only what a line is
# reported as changes, never whether it counts.
SEARCH_BUDGET = 1 << 20


def line_feeds(body: str) -> str:
    """The body with each of its line endings (``LINE_ENDING``) written as a LF: the same lines."""
    if "\r" not in body:
        return body
    return body.replace("\r\n", "\n").replace("\r", "\n")


def split_lines(body: str) -> list[str]:
    """The body's lines, as ``LINE_ENDING`` splits them (str.split in C where no lone CR is)."""
    if "\r" in body:
        joined = body.replace("\r\n", "\n")
        return LINE_ENDING.split(body) if "\r" in joined else joined.split("\n")
    return body.split("\n")


def lines_holding(text: str, pattern: re.Pattern[str]) -> Iterator[int]:
    """The index of each line of ``text`` in which ``pattern`` matches, in order; line endings
    are counted (in C) only between matches."""
    position, index = 0, 0
    returns = "\r" in text
    while (hit := pattern.search(text, position)) is not None:
        index += _endings(text, position, hit.start(), returns=returns)
        yield index
        if returns:
            ending = LINE_ENDING.search(text, hit.start())
            position = -1 if ending is None else ending.end()
        else:  # the next LF, found without the regex engine
            newline = text.find("\n", hit.start())
            position = -1 if newline < 0 else newline + 1
        if position < 0:
            return
        index += 1


def _endings(text: str, start: int, end: int, *, returns: bool) -> int:
    """How many line endings (LF, CR LF, lone CR) lie between ``start`` and ``end`` (``returns``:
    the text has a CR)."""
    if not returns:
        return text.count("\n", start, end)
    crlf = text.count("\r\n", start, end)
    return text.count("\n", start, end) + text.count("\r", start, end) - crlf


def first_covering(spans: Sequence[tuple[int, int, T]], points: Sequence[int]) -> dict[int, T]:
    """For each of the sorted ``points``, the value of the first span (in ``spans``' order)
    whose ``[first, last]`` holds it; points no span holds are left out. Each point is assigned
    once (a point taken is skipped over by the next spans): linear in spans and points, where
    asking every span for every point would be their product."""
    found: dict[int, T] = {}
    skip = list(range(len(points) + 1))  # the next point not yet taken, from each index

    def next_free(at: int) -> int:
        root = at
        while skip[root] != root:
            root = skip[root]
        while skip[at] != root:  # path compression
            skip[at], at = root, skip[at]
        return root

    for first, last, value in spans:
        at = next_free(bisect_left(points, first))
        while at < len(points) and points[at] <= last:
            found[points[at]] = value
            skip[at] = at + 1
            at = next_free(at + 1)
    return found
