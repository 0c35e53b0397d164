"""A denial read from text as it is shown, and from a body that is not rendered at all.

``shown_denials``: the canonical denials a line a reader sees makes (the whole line, one of its
source lines, one cell of it, or its white space collapsed as a browser shows raw HTML).
``unreadable``: a body too large or too deep to render fails closed: no approval in it counts,
and every denial its lines may show counts, read with tags and entities dropped, and with HTML
comments, escapes, link syntax and emphasis marks dropped as well, alone and joined to the lines
beside it (raw HTML may show them as one): read generously, since a denial must not be lost.
"""

from __future__ import annotations

import html
import re

from applygate.core.github_render import without_comments
from applygate.core.line_index import lines_holding
from applygate.core.reasons import Reason
from applygate.core.shown import DENIAL_PREFIX
from applygate.core.token import Kind, ScannedLine, Token, parse_line

# Every line where "denied" in line.lower() or "&" in line holds, and more: only two characters
# outside ASCII lower to an ASCII letter, U+212A to "k" and U+0130 to "i" followed by U+0307.
_MAY_DENY = re.compile(r"[dD][eE][nN][iI][eE][dD]|&")
# What may stand inside a word and vanish from what is shown: a tag, a comment (never across
# another "<", so linear), and the Markdown marks of emphasis, code and links.
TAGS = re.compile(r"<[^<>]*>")
MARKS = re.compile(r"[*_~`\\|\[\]()]")
# Within one line of a body not rendered: a tag, a comment, an escape, a link, emphasis marks.
_LINE_TAGS = re.compile(r"<[^<>\n]*>")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_LINK = re.compile(r"!?\[([^\[\]]*)\](?:\([^()]*\)|\[[^\[\]]*\])?")
_EMPHASIS = re.compile(r"[*_~`]")
_PREFIX_END = DENIAL_PREFIX.split(" ", 1)[1]  # "denied:", which a line may start with
_PLAIN = re.compile(r"[^<>&*_~`\\\[\]]*")  # a line with no tag, entity, mark, escape or link


def shown_denials(text: str) -> tuple[Token, ...]:
    """Every canonical denial a line shown as ``text`` may make: the whole line, each of its
    source lines (raw HTML keeps them in one text node: a browser may wrap them, a reader sees
    each), each cell of it (a table row shows each cell, with or without a table), and the line
    with its white space collapsed as a browser shows raw HTML written over two lines. All of
    them count (the one that names the operation blocks; failing closed)."""
    text = text.strip("\r\n")  # a line shown after a break starts with the source's newline
    parts = (" ".join(text.split()), text, *text.splitlines(), *text.split("|"))
    found: dict[Token, None] = {}
    for part in dict.fromkeys(p for p in parts if DENIAL_PREFIX in p):
        scanned = parse_line(0, part, Kind.DENIAL)
        if scanned.token is not None and scanned.token.kind is Kind.DENIAL:
            found[scanned.token] = None
    return tuple(found)


def unreadable(
    body: str, lines: list[str], candidates: dict[int, Kind], why: Reason
) -> list[ScannedLine]:
    """A body not rendered (too large, nested too deep): no approval counts; a denial does,
    failing closed, wherever its text stands in a line read two ways: with tags and entities
    dropped, and with HTML comments, escapes, link syntax and emphasis marks dropped as well (a
    reader sees ``User **denied**: X`` as a denial). Each distinct denial a line makes counts."""
    found = {
        number: ScannedLine(number, lines[number - 1], kind, rejection=why)
        for number, kind in candidates.items()
    }
    beside: dict[Token, ScannedLine] = {}
    readings: dict[int, tuple[str, ...]] = {}  # each line's readings, made once
    memo: dict[str, tuple[Token, ...]] = {}  # each reading's denials, read once
    # the lines that may show "denied" once tags and marks within a line are dropped (line
    # endings kept: the same line numbers), found in C
    for index in lines_holding(MARKS.sub("", _LINE_TAGS.sub("", body)), _MAY_DENY):
        number, line = index + 1, lines[index]
        texts: dict[str, None] = {}
        for text in _read(index, lines, readings):
            texts[text] = None  # alone
            # raw HTML may show this line joined to the next (an operation split over two: not
            # when the next holds a denial of its own), or to the one before (the prefix split
            # at the line's start: "User" ending the line before)
            if DENIAL_PREFIX in text:
                for after in _read(index + 1, lines, readings):
                    if DENIAL_PREFIX not in after:
                        texts[f"{text} {after}"] = None
            elif text.startswith(_PREFIX_END):
                for before in _read(index - 1, lines, readings):
                    texts[f"{before} {text}"] = None
        shown = (memo.get(text) or memo.setdefault(text, _denials_of(text)) for text in texts)
        for token in dict.fromkeys(t for tokens in shown for t in tokens):
            place_denial(found, beside, number, line, token)
    return sorted([*found.values(), *beside.values()], key=lambda scanned: scanned.number)


def place_denial(
    found: dict[int, ScannedLine],
    beside: dict[Token, ScannedLine],
    number: int,
    text: str,
    token: Token,
) -> None:
    """A denial on source line ``number``: the line's own, unless the line already holds a
    token; then, unless it is that very token, kept beside it (once a token): a denial placed on
    an approval's line must not vanish, or the approval would count alone."""
    prior = found.get(number)
    if prior is None or prior.token is None:
        found[number] = ScannedLine(number, text, Kind.DENIAL, token=token)
    elif prior.token != token:
        beside.setdefault(token, ScannedLine(number, text, Kind.DENIAL, token=token))


def _read(index: int, lines: list[str], readings: dict[int, tuple[str, ...]]) -> tuple[str, ...]:
    """A line of a body not rendered read both ways (tags and entities dropped; comments,
    escapes, links and emphasis dropped too), white space collapsed as a browser shows it."""
    if not 0 <= index < len(lines):
        return ()
    if index not in readings and _PLAIN.fullmatch(lines[index]):  # nothing to drop: one reading
        readings[index] = (" ".join(lines[index].split()),)
    if index not in readings:
        line = lines[index]
        tags_dropped = html.unescape(TAGS.sub("", line))
        marks_dropped = _ESCAPE.sub(r"\1", _LINK.sub(r"\1", TAGS.sub("", without_comments(line))))
        marks_dropped = html.unescape(_EMPHASIS.sub("", marks_dropped))
        flat = (" ".join(tags_dropped.split()), " ".join(marks_dropped.split()))
        readings[index] = tuple(dict.fromkeys(flat))
    return readings[index]


def _denials_of(text: str) -> tuple[Token, ...]:
    """The denials a reading shows from its first ``User denied:`` on (each cell apart too)."""
    at = text.find(DENIAL_PREFIX)
    return () if at < 0 else shown_denials(text[at:].rstrip(" |*_~`"))
