"""Where the lines of a comment are, found by str methods and compiled regexes (in C) rather than
by a Python step per line: a comment of GitHub's 65,536 characters may have as many lines.

Pure: strings in, numbers and strings out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# A line ends at LF, CR LF or a lone CR, as in CommonMark (and cmark's source positions).
LINE_ENDING = re.compile(r"\r\n|\r|\n")


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
