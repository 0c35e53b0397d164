"""The fallback for a body not rendered as it was before it read the lines at once (commit
25046c0, denial_text.unreadable): what tests compare the faster one with, line for line. Only
its loop over the lines is frozen: it reads each line's denials with today's shown_denials (held
to its own definition in tests/unit/test_reading_bounds_of_work.py)."""

from __future__ import annotations

import html
import re

from applygate.core.denial_text import DENIAL_PREFIX, TAGS, shown_denials
from applygate.core.github_render import without_comments
from applygate.core.line_index import lines_holding
from applygate.core.reasons import Reason
from applygate.core.token import Kind, ScannedLine, Token

MARKS = re.compile(r"[*_~`\\|\[\]()]")
_MAY_DENY = re.compile(r"[dD][eE][nN][iI][eE][dD]|&")
_LINE_TAGS = re.compile(r"<[^<>\n]*>")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_LINK = re.compile(r"!?\[([^\[\]]*)\](?:\([^()]*\)|\[[^\[\]]*\])?")
_EMPHASIS = re.compile(r"[*_~`]")
_PREFIX_END = DENIAL_PREFIX.split(" ", 1)[1]
_PLAIN = re.compile(r"[^<>&*_~`\\\[\]]*")


def unreadable(
    body: str, lines: list[str], candidates: dict[int, Kind], why: Reason
) -> list[ScannedLine]:
    found = {
        number: ScannedLine(number, lines[number - 1], kind, rejection=why)
        for number, kind in candidates.items()
    }
    beside: dict[Token, ScannedLine] = {}
    readings: dict[int, tuple[str, ...]] = {}
    memo: dict[str, tuple[Token, ...]] = {}
    for index in lines_holding(MARKS.sub("", _LINE_TAGS.sub("", body)), _MAY_DENY):
        number, line = index + 1, lines[index]
        texts: dict[str, None] = {}
        for text in _read(index, lines, readings):
            texts[text] = None
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


def _read(index: int, lines: list[str], readings: dict[int, tuple[str, ...]]) -> tuple[str, ...]:
    if not 0 <= index < len(lines):
        return ()
    if index not in readings and _PLAIN.fullmatch(lines[index]):
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
    at = text.find(DENIAL_PREFIX)
    return () if at < 0 else shown_denials(text[at:].rstrip(" |*_~`"))


def place_denial(
    found: dict[int, ScannedLine],
    beside: dict[Token, ScannedLine],
    number: int,
    text: str,
    token: Token,
) -> None:
    prior = found.get(number)
    if prior is None or prior.token is None:
        found[number] = ScannedLine(number, text, Kind.DENIAL, token=token)
    elif prior.token != token:
        beside.setdefault(token, ScannedLine(number, text, Kind.DENIAL, token=token))
