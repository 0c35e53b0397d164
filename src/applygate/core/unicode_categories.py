"""Characters by Unicode category, found in C: where in a text the first character of some
categories stands, without looking up each distinct character of the text in Python.

A line holding hundreds of distinct control, format and space characters was read character by
character at every reading of it (the grammar reads a shown line up to seven ways): 275 ms for
a comment of 250 such lines (issue 14's fifth red team, 2026-12-07). Here each set of
categories becomes one character class over the planes where Python's own ``unicodedata``
places such characters today (0, 1 and 14), built once a process when first asked for (about
20 ms; importing the reader stays as fast); a character of any other plane is looked up alone,
so the answer is ``unicodedata``'s on any Python whatever its Unicode version.

Pure: strings in, positions out (the classes are a constant, computed once).
"""

from __future__ import annotations

import re
from functools import cache
from itertools import compress, count
from unicodedata import category

_PLANES = (0x00000, 0x10000, 0xE0000)  # where the categories asked for have characters today
_ELSEWHERE = re.compile("[\U00020000-\U000dffff\U000f0000-\U0010ffff]")


@cache
def _class_of(categories: frozenset[str], but: str) -> re.Pattern[str]:
    """One character class: the characters of ``_PLANES`` of these categories, but ``but``."""
    ranges: list[list[int]] = []
    for start in _PLANES:  # each plane's categories looked up in C, the matches kept in C
        plane = map(chr, range(start, start + 0x10000))
        for code in compress(count(start), map(categories.__contains__, map(category, plane))):
            if chr(code) in but:
                continue
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]")


def first_of(text: str, categories: frozenset[str], but: str = "", end: int | None = None) -> int:
    """Where the first character of ``text`` (before ``end``) of one of ``categories`` (other
    than those in ``but``) stands, or -1: one search in C, and a lookup of each distinct
    character of a plane ``_PLANES`` leaves out (none in most texts)."""
    stop = len(text) if end is None else end
    found = _class_of(categories, but).search(text, 0, stop)
    at = stop if found is None else found.start()
    if _ELSEWHERE.search(text, 0, at) is not None:
        for ch in set(text[:at]):
            if _ELSEWHERE.match(ch) and ch not in but and category(ch) in categories:
                at = min(at, text.index(ch))
    return -1 if at == stop else at
