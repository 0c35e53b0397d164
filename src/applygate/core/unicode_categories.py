"""Characters by Unicode category, found in C: where in a text the first character of some
categories stands, or which distinct ones it holds, without looking up each distinct character
of the text in Python.

A line holding hundreds of distinct control, format and space characters was read character by
character at every reading of it (the grammar reads a shown line up to seven ways): 275 ms for
a comment of 250 such lines (issue 14's fifth red team, 2026-12-07); the invisible ones among
them were still looked up one by one at each reading (about a third of the same comment's 27
ms, 2026-12-08). The characters the grammar refuses, and those a reader does not see, are each
one character class, written here as Python 3.11's unicodedata (Unicode 14.0.0) assigns them
over every plane (tools/unicode_ranges.py writes them; a test compares each with unicodedata,
code point by code point). On a Python of another Unicode version a class is built from its
unicodedata instead, once a process (about 20 ms), over the planes that have such characters
today, and any other plane's characters are looked up one by one: the answer is always the
running unicodedata's.

Pure: strings in, positions and characters out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from itertools import compress, count
from unicodedata import category, normalize, unidata_version

# The characters the grammar refuses (core/suspects.py): control and format characters, line
# and paragraph separators, spaces, but the tab and the space (Unicode 14.0.0) ...
SUSPECTS = frozenset({"Cc", "Cf", "Zl", "Zp", "Zs"}), "\t "
# ... and those a reader does not see, outside ASCII (core/skeleton.py: the ASCII controls are
# dropped by a short class of their own): control and format characters.
INVISIBLES = frozenset({"Cc", "Cf"}), "".join(map(chr, range(0x80)))
_WRITTEN = "14.0.0"
# Each written as that version assigns them over every plane (tools/unicode_ranges.py writes
# them; a test compares each with unicodedata, code point by code point).
_WRITTEN_CLASSES = {
    SUSPECTS: re.compile(
        "[\\x00-\\x08\\x0a-\\x1f\\x7f-\\xa0\\xad\\u0600-\\u0605\\u061c\\u06dd\\u070f"
        "\\u0890-\\u0891\\u08e2\\u1680\\u180e\\u2000-\\u200f\\u2028-\\u202f\\u205f-\\u2064"
        "\\u2066-\\u206f\\u3000\\ufeff\\ufff9-\\ufffb\\U000110bd\\U000110cd\\U00013430-\\U00013438"
        "\\U0001bca0-\\U0001bca3\\U0001d173-\\U0001d17a\\U000e0001\\U000e0020-\\U000e007f]"
    ),
    INVISIBLES: re.compile(
        "[\\x80-\\x9f\\xad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890-\\u0891\\u08e2\\u180e"
        "\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb"
        "\\U000110bd\\U000110cd\\U00013430-\\U00013438\\U0001bca0-\\U0001bca3"
        "\\U0001d173-\\U0001d17a\\U000e0001\\U000e0020-\\U000e007f]"
    ),
}
# The characters NFKC writes as more than one (Unicode 14.0.0: 1,237, none past plane 1), written
# the same way (tools/unicode_ranges.py --nfkc-expands).
_EXPANDING = re.compile(
    "["
    "\\u00a8\\u00af\\u00b4\\u00b8\\u00bc-\\u00be\\u0132-\\u0133\\u013f-\\u0140\\u0149"
    "\\u01c4-\\u01cc\\u01f1-\\u01f3\\u02d8-\\u02dd\\u0344\\u037a\\u0384-\\u0385\\u0587"
    "\\u0675-\\u0678\\u0958-\\u095f\\u09dc-\\u09dd\\u09df\\u0a33\\u0a36\\u0a59-\\u0a5b\\u0a5e"
    "\\u0b5c-\\u0b5d\\u0e33\\u0eb3\\u0edc-\\u0edd\\u0f43\\u0f4d\\u0f52\\u0f57\\u0f5c\\u0f69"
    "\\u0f73\\u0f75-\\u0f79\\u0f81\\u0f93\\u0f9d\\u0fa2\\u0fa7\\u0fac\\u0fb9\\u1e9a\\u1fbd"
    "\\u1fbf-\\u1fc1\\u1fcd-\\u1fcf\\u1fdd-\\u1fdf\\u1fed-\\u1fee\\u1ffd-\\u1ffe\\u2017"
    "\\u2025-\\u2026\\u2033-\\u2034\\u2036-\\u2037\\u203c\\u203e\\u2047-\\u2049\\u2057\\u20a8"
    "\\u2100-\\u2101\\u2103\\u2105-\\u2106\\u2109\\u2116\\u2120-\\u2122\\u213b\\u2150-\\u215f"
    "\\u2161-\\u2163\\u2165-\\u2168\\u216a-\\u216b\\u2171-\\u2173\\u2175-\\u2178"
    "\\u217a-\\u217b\\u2189\\u222c-\\u222d\\u222f-\\u2230\\u2469-\\u24b5\\u2a0c"
    "\\u2a74-\\u2a76\\u2adc\\u309b-\\u309c\\u309f\\u30ff\\u3200-\\u321e\\u3220-\\u3243"
    "\\u3250-\\u325f\\u327c-\\u327d\\u32b1-\\u32cf\\u32ff-\\u33ff\\ufb00-\\ufb06"
    "\\ufb13-\\ufb17\\ufb1d\\ufb1f\\ufb2a-\\ufb36\\ufb38-\\ufb3c\\ufb3e\\ufb40-\\ufb41"
    "\\ufb43-\\ufb44\\ufb46-\\ufb4f\\ufbdd\\ufbea-\\ufbfb\\ufc00-\\ufd3d\\ufd50-\\ufd8f"
    "\\ufd92-\\ufdc7\\ufdf0-\\ufdfc\\ufe19\\ufe30\\ufe49-\\ufe4c\\ufe70-\\ufe72\\ufe74"
    "\\ufe76-\\ufe7f\\ufef5-\\ufefc\\uffe3\\U0001d15e-\\U0001d164\\U0001d1bb-\\U0001d1c0"
    "\\U0001f100-\\U0001f10a\\U0001f110-\\U0001f12a\\U0001f12d-\\U0001f12e"
    "\\U0001f14a-\\U0001f14f\\U0001f16a-\\U0001f16c\\U0001f190\\U0001f200-\\U0001f201"
    "\\U0001f240-\\U0001f248"
    "]"
)
_PLANES = (0x00000, 0x10000, 0xE0000)  # where those categories have characters today
_ELSEWHERE = re.compile("[\U00020000-\U000dffff\U000f0000-\U0010ffff]")


def first_of(text: str, categories: frozenset[str], but: str = "") -> int:
    """Where the first character of ``text`` of one of ``categories`` (other than those in
    ``but``) stands, or -1: one search in C (and, but for a class written here on its Unicode
    version, a lookup of each distinct character of a plane ``_PLANES`` leaves out)."""
    written = _written(categories, but)
    found = (written or _built(categories, but)).search(text)
    at = len(text) if found is None else found.start()
    if written is None and _ELSEWHERE.search(text, 0, at) is not None:
        at = min([at, *(text.index(ch) for ch in _elsewhere(text[:at], categories, but))])
    return -1 if at == len(text) else at


def every_of(text: str, categories: frozenset[str], but: str = "") -> set[str]:
    """The distinct characters of ``text`` of one of ``categories`` (other than those in
    ``but``), found as ``first_of`` finds the first."""
    written = _written(categories, but)
    found = set((written or _built(categories, but)).findall(text))
    if written is None and _ELSEWHERE.search(text) is not None:
        found.update(_elsewhere(text, categories, but))
    return found


def _written(categories: frozenset[str], but: str) -> re.Pattern[str] | None:
    """The class written here for these categories, when this Python's Unicode is its."""
    return _WRITTEN_CLASSES.get((categories, but)) if unidata_version == _WRITTEN else None


def _elsewhere(text: str, categories: frozenset[str], but: str) -> set[str]:
    """The distinct characters of ``text`` of ``categories`` on planes ``_PLANES`` leaves out,
    looked up one by one."""
    return {
        ch
        for ch in set(text)
        if _ELSEWHERE.match(ch) and ch not in but and category(ch) in categories
    }


@cache  # (a constant, computed once a process: never an answer that changes)
def _built(categories: frozenset[str], but: str) -> re.Pattern[str]:
    """One character class: the characters of ``_PLANES`` of these categories, but ``but``
    (a class that matches nothing when there are none)."""
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
    if not ranges:
        return re.compile("(?!)")
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]")


def expanding(chars: Iterable[str]) -> list[str]:
    """Which of the distinct ``chars`` (outside ASCII) NFKC writes as more than one character:
    one search in C of a class written for Unicode 14.0.0, else each one's NFKC in one call (a
    NUL between them, a starter nothing composes with). (NFKC of 58,000 distinct characters
    beside a no-break space took 19 ms, whole: the quick check fails, each one is normalized.)"""
    listed = list(chars)
    if unidata_version == _WRITTEN:
        return _EXPANDING.findall("".join(listed))
    forms = normalize("NFKC", "\x00".join(listed)).split("\x00")
    return [ch for ch, form in zip(listed, forms, strict=True) if len(form) > 1]
