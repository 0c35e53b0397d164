"""A denial read from text as it is shown.

``shown_denials``: the canonical denials a line a reader sees makes (the whole line, one of its
source lines, one cell of it, or its white space collapsed as a browser shows raw HTML); and
where a denial is placed among a comment's lines (``place_denials``). A comment not rendered at
all is read by core/unrendered.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from applygate.core.suspects import has_suspect
from applygate.core.token import (
    PREFIXES,
    Kind,
    ScannedLine,
    Token,
    parse_line,
    plain_token,
    scoped,
)

DENIAL_PREFIX = PREFIXES[Kind.DENIAL]
# as a browser may show it: white space collapsed (raw HTML may write the prefix over two lines)
_DENIAL_SHOWN = re.compile(r"User\s+denied:")
# A line that is its only part and a denial (words between single spaces, no "|"; possessive:
# linear), its scope captured.
_ONE_DENIAL = re.compile(r"User denied: ([^\s|]++(?: [^\s|]++)*+)")
# where ``str.splitlines`` ends a line (a text without any is one line)
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# where a part of a shown line that ``shown_denials`` reads may start: the line collapsed (any
# white space before and within the prefix), or a part after a line break (as str.splitlines
# ends lines) or a cell's "|" (blanks, then the exact prefix). Each alternative scans a run of
# white space from one place only: linear (a "\\s*" after every separator was quadratic).
_PART_START = re.compile(
    "\\A\\s*User\\s+denied:|[|\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029][ \t]*User denied:"
)

# What may stand inside a word and vanish from what is shown: a tag, a comment (never across
# another "<", so linear), and the Markdown marks of emphasis, code and links.
TAGS = re.compile(r"<[^<>]*>")
_MARKS = "*_~`\\|[]()"
_EMPHASIS = "*_~`"
_DROPPED = {marks: str.maketrans("", "", marks) for marks in (_MARKS, _EMPHASIS)}


def shows_denial(text: str) -> bool:
    """Whether ``text`` may show ``User denied:`` (its white space collapsed as a browser does);
    the exact prefix first, in C."""
    return DENIAL_PREFIX in text or ("denied:" in text and _DENIAL_SHOWN.search(text) is not None)


def may_make_denial(text: str) -> bool:
    """Whether a line shown as ``text`` may make a denial (``shown_denials``): one of the parts
    it reads may start with the prefix (a line showing it further in makes none)."""
    return shows_denial(text) and _PART_START.search(text) is not None


def without_marks(text: str) -> str:
    """``text`` without the Markdown marks of emphasis, code and links."""
    return _without(text, _MARKS)


def without_emphasis(text: str) -> str:
    """``text`` without the Markdown marks of emphasis and code."""
    return _without(text, _EMPHASIS)


def _without(text: str, marks: str) -> str:
    """``text`` without any of ``marks``, in C: by str.translate in ASCII (far faster than a
    regex), else one str.replace a mark (translate is slow outside ASCII)."""
    if text.isascii():
        return text.translate(_DROPPED[marks])
    for mark in marks:
        text = text.replace(mark, "")
    return text


def beyond_its_line(text: str, line: str) -> tuple[Token, ...] | None:
    """The denials a line shown as ``text`` makes beyond the token its source ``line`` makes, as
    the grammar read it (as written), when ``text`` is all of that line (but the blanks the
    grammar trims, and the line break a line after a break starts with) on one line: what
    ``shown_denials`` makes of it is that token (the line collapsed reads as the grammar reads
    it: its only white space is spaces and tabs, the rest being suspicious) and each cell's
    denial. None for any other text. ``line`` must be a line the grammar made a token of (the
    reader asks for those only). (3,174 paragraphs of a different denial with a tab in its scope
    were each read twice more.)"""
    text = text.strip("\r\n")
    if text != line.strip(" \t") or _LINE_BREAK.search(text):
        return None
    return _cell_denials(text, {}) if "|" in text else ()


def shown_denials(text: str) -> tuple[Token, ...]:
    """Every canonical denial a line shown as ``text`` may make: the whole line, each of its
    source lines (raw HTML keeps them in one text node: a browser may wrap them, a reader sees
    each), each cell of it (a table row shows each cell, with or without a table), and the line
    with its white space collapsed as a browser shows raw HTML written over two lines. All of
    them count (the one that names the operation blocks; failing closed)."""
    text = text.strip("\r\n")  # a line shown after a break starts with the source's newline
    denial = _ONE_DENIAL.fullmatch(text)
    if denial is not None and text.isprintable():  # one part, read as plain_token reads it, by
        return (scoped(Kind.DENIAL, denial.group(1)),)  # one pattern (the common shown denial)
    collapsed = " ".join(text.split())
    if not _LINE_BREAK.search(text):
        return _one_line_denials(text, collapsed)
    parts = (collapsed, text, *text.splitlines(), *text.split("|"))
    found: dict[Token, None] = {}
    # only a part that starts with the prefix (after the blanks the grammar trims) can be one
    for part in dict.fromkeys(p for p in parts if p.lstrip(" \t").startswith(DENIAL_PREFIX)):
        token = plain_token(part) if part == collapsed else parse_line(0, part, Kind.DENIAL).token
        if token is not None and token.kind is Kind.DENIAL:
            found[token] = None
    return tuple(found)


def _one_line_denials(text: str, collapsed: str) -> tuple[Token, ...]:
    """``shown_denials`` of a text of one line (``collapsed``: its white space collapsed), read
    without the grammar's whole work where it cannot change a token: the text itself makes at
    most the token its collapsed reading makes (the grammar takes spaces and tabs in a scope as
    the collapsing does, and no other white space: suspicious); a cell of nothing but printable
    characters makes what it makes collapsed. (3,332 lines of a different denial and a pipe: 46
    ms, most of it each line read four ways by the whole grammar.)"""
    found: dict[Token, None] = {}
    if collapsed.startswith(DENIAL_PREFIX):
        token = plain_token(collapsed)
        if token is not None and token.kind is Kind.DENIAL:
            found[token] = None
    return _cell_denials(text, found) if "|" in text else tuple(found)


def _cell_denials(text: str, found: dict[Token, None]) -> tuple[Token, ...]:
    """``found`` and the denials each cell of a one-line ``text`` makes, as the grammar reads a
    cell (each distinct cell once)."""
    for cell in dict.fromkeys(text.split("|")):
        if cell.lstrip(" \t").startswith(DENIAL_PREFIX):
            if cell.isprintable():
                token = plain_token(" ".join(cell.split()))
            elif has_suspect(cell):  # (no token: why is not asked)
                continue
            else:
                token = parse_line(0, cell, Kind.DENIAL).token
            if token is not None and token.kind is Kind.DENIAL:
                found[token] = None
    return tuple(found)


def place_denials(
    found: dict[int, ScannedLine],
    beside: dict[Token, ScannedLine],
    number: int,
    text: str,
    tokens: Iterable[Token],
) -> None:
    """Denials on source line ``number``: the first the line's own, unless the line already
    holds a token; then each, unless it is that very token, kept beside it (once a token): a
    denial placed on an approval's line must not vanish, or the approval would count alone. A
    denial placed twice is placed once."""
    for token in tokens:
        prior = found.get(number)
        if prior is None or prior.token is None:
            found[number] = ScannedLine(number, text, Kind.DENIAL, token)
        elif prior.token != token and token not in beside:
            beside[token] = ScannedLine(number, text, Kind.DENIAL, token)
