"""A comment not rendered (too large, or nested too deep), read for its denials alone.

It fails closed: no approval in it counts, and every denial its lines may show counts, read
with tags and entities dropped, and with HTML comments, escapes, link syntax and emphasis marks
dropped as well, alone and joined to the lines beside it (raw HTML may show them as one): read
generously, since a denial must not be lost.

Pure: a body's lines in, line verdicts out.
"""

from __future__ import annotations

import html
import re
from itertools import compress, count, repeat
from operator import add, attrgetter, contains, methodcaller, sub

from applygate.core.crowded import MAX_SHOWN_DENIALS, denies_everything
from applygate.core.denial_text import (
    DENIAL_PREFIX,
    TAGS,
    place_denials,
    without_emphasis,
    without_marks,
)
from applygate.core.element_reasons import INLINE
from applygate.core.github_render import without_comments
from applygate.core.line_index import lines_holding
from applygate.core.reasons import Reason
from applygate.core.references import unescape
from applygate.core.token import Kind, ScannedLine, Token, plain_token

# The lines that may show "denied": "denied" in the text lower-cased (only two characters
# outside ASCII lower to an ASCII letter, U+212A to "k" and U+0130 to "i" followed by U+0307),
# each letter of it written as itself or as a character reference (html.unescape's: "&", then
# "#" and digits, "#x" and hex digits, or a name; a ";" or not). A "&" alone writes nothing:
# 32,000 lines of one were each read, in 40-160 ms.
_LETTER = "(?:{}|&[#a-z0-9]{{1,32}};?)"
_DENIED = re.compile("".join(map(_LETTER.format, "denied")))
# A character reference html.unescape reads as a line feed (a number, with or without ";", or
# the one name): within a reading it is white space, collapsed as a space is; read as one, it
# keeps the lines read at once in step (else each line was read alone: 16,000 lines of "denied"
# and one "&#10;" took 150 ms, the red team).
_LINE_FEED_REFERENCE = re.compile(r"&#(?:0*10(?![0-9])|[xX]0*[aA](?![0-9a-fA-F]));?|&NewLine;")
# Within one line of a body not rendered: a tag, a comment, an escape, a link, emphasis marks
# (the patterns stop at a line feed: the lines are read joined by line feeds).
_LINE_TAGS = re.compile(r"<[^<>\n\r]*>")  # (a lone CR ends a line too: see _may_deny)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_LINK = re.compile(r"!?\[([^\[\]]*)\](?:\([^()]*\)|\[[^\[\]]*\])?")
_LINE_LINK = re.compile(r"!?\[([^\[\]\n]*)\](?:\([^()\n]*\)|\[[^\[\]\n]*\])?")
# A tag of an element that starts a line of its own, as the walk of a rendered page reads one
# (core/element_reasons.py: any but those shown within a line), within a line; a letter first
# (an alternation tried at every "<" was 13 times slower).
_BREAKING = re.compile(
    rf"<(?=/?[a-zA-Z])/?(?!(?i:{'|'.join(sorted(INLINE))})[\s/>])[a-zA-Z][^<>\n]*>"
)
_PREFIX_END = DENIAL_PREFIX.split(" ", 1)[1]  # "denied:", which a line may start with
# White space within a line, as str.split() finds it; in ASCII, these and the space.
_BLANKS = re.compile(r"[^\S\n]+")
_ASCII_BLANKS = str.maketrans("\t\r\x0b\x0c\x1c\x1d\x1e\x1f", " " * 8)


def unreadable(
    body: str,
    lines: list[str],
    candidates: dict[int, Kind],
    why: Reason,
    memo: dict[str, str] | None = None,
) -> list[ScannedLine]:
    """A body not rendered (too large, nested too deep): no approval counts; a denial does,
    failing closed, wherever its text stands in a line read two ways: with tags and entities
    dropped, and with HTML comments, escapes, link syntax and emphasis marks dropped as well (a
    reader sees ``User **denied**: X`` as a denial), and the latter again with each tag of a block
    or a line break read as a cell's end (``User denied: X<br>why`` shows X on a line of its
    own). Each distinct denial a line makes counts; past ``MAX_SHOWN_DENIALS`` lines read as
    showing the prefix, the comment denies everything (core/crowded.py)."""
    found: dict[int, ScannedLine] = {}  # the lines a denial is placed on (the rest: ``why``)
    beside: dict[Token, ScannedLine] = {}
    # the lines that may show "denied" once tags and marks within a line are dropped (line
    # endings kept: the same line numbers), found in C, and each line read once, in C for all
    numbers = _may_deny(without_marks(_LINE_TAGS.sub("", body)))
    readings = _readings(lines, numbers, memo)
    # raw HTML may show a line joined to the next (an operation split over two: not a reading
    # of the next that holds a denial of its own), or to the one before (the prefix split at the
    # line's start: "User" ending the line before); their readings, read at once too
    readings |= _readings(lines, sorted(_beside(numbers, len(lines)) - readings.keys()), memo)
    showing = 0  # lines read as showing the prefix: past MAX_SHOWN_DENIALS, everything denied
    # (where most lines hold the prefix as written, each is looked at: a search costs more)
    many = 2 * body.count(DENIAL_PREFIX) >= len(numbers)
    for index in numbers if many else _placing(numbers, readings):
        number, line, following = index + 1, lines[index], readings.get(index + 1, ())
        showing += any(DENIAL_PREFIX in text for text in readings[index])
        if showing > MAX_SHOWN_DENIALS:  # (core/crowded.py: as in a comment rendered)
            return denies_everything(lines, candidates, number)
        for text in readings[index]:  # each reading alone, then joined (a denial placed twice
            if DENIAL_PREFIX in text:  # is placed once; a reading without the prefix makes none)
                place_denials(found, beside, number, line, _denials_of(text))
                for after in following:  # (a blank line joined adds only a space: nothing)
                    if after and DENIAL_PREFIX not in after:
                        joined = _denials_of(f"{text} {after}")
                        place_denials(found, beside, number, line, joined)
            elif text.startswith(_PREFIX_END):
                for before in readings.get(index - 1, ()):
                    joined = _denials_of(f"{before} {text}")
                    place_denials(found, beside, number, line, joined)
    for number, kind in candidates.items():
        if number not in found:
            found[number] = ScannedLine(number, lines[number - 1], kind, rejection=why)
    return sorted([*found.values(), *beside.values()], key=attrgetter("number"))


def _placing(numbers: list[int], readings: dict[int, tuple[str, ...]]) -> list[int]:
    """Which of the lines ``numbers`` a reading of may place a denial: one holding the prefix or
    starting with its end (the others place none), each line's readings joined and searched by
    str methods mapped in C (5,600 lines of "userdenied" were each looked at in Python: 5 ms; a
    pattern's alternation searched in each took longer where most lines hold the prefix)."""
    texts = list(map("\n".join, map(readings.__getitem__, numbers)))
    holding = map(contains, texts, repeat(DENIAL_PREFIX))
    starting = map(methodcaller("startswith", _PREFIX_END), texts)
    later = map(contains, texts, repeat(f"\n{_PREFIX_END}"))  # (a reading after the first)
    return list(compress(numbers, map(max, holding, starting, later)))


def _may_deny(text: str) -> list[int]:
    """The lines of ``text`` that may show "denied" in any case, its letters written as they are
    or as character references (by index, ascending): searched in C in the text lower-cased
    (where "denied" stands just where an upper-case letter of it did: outside ASCII only U+0130
    lowers to one of its letters, "i" and a combining dot after it): from one to the next where
    they are few, in every line (split in C) where they are many."""
    low = text.lower()
    if "\r" in low or 8 * (low.count("denied") + low.count("&")) < low.count("\n"):
        return list(lines_holding(low, _DENIED))
    return list(compress(count(), map(_DENIED.search, low.split("\n"))))


def _readings(
    lines: list[str], indexes: list[int], memo: dict[str, str] | None
) -> dict[int, tuple[str, ...]]:
    """Lines of a body not rendered (by index) read both ways: tags and entities dropped; and
    comments, escapes, links and emphasis dropped too; white space collapsed as a browser shows
    it (one reading where both are the same). In a few passes in C over the lines joined by line
    feeds, which no pattern crosses (each stops at one: the same as line by line), a reference
    to a line feed read as one to a space; should another entity decode to a line feed, line by
    line."""
    texts = list(map(lines.__getitem__, indexes))  # (each an index of ``lines``: see _beside)
    joined = "\n".join(texts)
    if "&" in joined and _LINE_FEED_REFERENCE.search(joined) is not None:
        joined = _LINE_FEED_REFERENCE.sub("&#32;", joined)  # (a space: what it collapses to)
        texts = joined.split("\n")
    tagless = _LINE_TAGS.sub("", joined) if "<" in joined else joined  # (a pattern searched
    shown = unescape(tagless, memo)  # only where its first character stands)
    uncommented = "\n".join(map(without_comments, texts)) if "<!--" in joined else joined
    first = _collapsed(shown).split("\n")
    known = (tagless, first)  # (a plain reading of the same text is this one: decoded once)
    tagless = _LINE_TAGS.sub("", uncommented) if "<!--" in joined else tagless
    ways = [first, _plain(tagless, known, memo)]
    if _BREAKING.search(joined) is not None:  # (else the same as the plain reading)
        ways.append(_plain(_LINE_TAGS.sub("", _BREAKING.sub(" | ", uncommented)), known, memo))
    if any(len(way) != len(texts) for way in ways):  # an entity made a line feed: each line
        ways = [list(way) for way in zip(*map(_read, texts), strict=True)]  # read alone
    if len(ways) == 2:
        read = [(one,) if one == other else (one, other) for one, other in zip(*ways, strict=True)]
    else:
        read = [tuple(dict.fromkeys(each)) for each in zip(*ways, strict=True)]
    return dict(zip(indexes, read, strict=True))


def _plain(tagless: str, known: tuple[str, list[str]], memo: dict[str, str] | None) -> list[str]:
    """Lines (joined by line feeds) with their tags dropped, read with links, escapes and
    emphasis dropped too, and entities decoded (see ``_readings``), each collapsed; ``known``:
    a text and its lines so read already (16,000 character references decoded once, not twice,
    in Python)."""
    plain = _LINE_LINK.sub(r"\1", tagless) if "[" in tagless else tagless
    plain = without_emphasis(_ESCAPE.sub(r"\1", plain) if "\\" in plain else plain)
    return known[1] if plain == known[0] else _collapsed(unescape(plain, memo)).split("\n")


def _collapsed(text: str) -> str:
    """``text`` with each of its lines' white space collapsed as ``" ".join(line.split())``."""
    if text.isascii():  # str.split's white space there: these and the space, runs halved in C
        text = text.translate(_ASCII_BLANKS)
        while "  " in text:
            text = text.replace("  ", " ")
    else:
        text = _BLANKS.sub(" ", text)
    return text.replace(" \n", "\n").replace("\n ", "\n").strip(" ")


def _read(line: str) -> tuple[str, str, str]:
    """One line read the three ways (see ``_readings``), each once (read alone)."""
    tags_dropped = html.unescape(TAGS.sub("", line))
    uncommented = without_comments(line)
    ways = [tags_dropped]
    for text in (uncommented, _BREAKING.sub(" | ", uncommented)):
        marks_dropped = _ESCAPE.sub(r"\1", _LINK.sub(r"\1", TAGS.sub("", text)))
        ways.append(html.unescape(without_emphasis(marks_dropped)))
    first, second, third = (" ".join(way.split()) for way in ways)
    return first, second, third


def _beside(numbers: list[int], size: int) -> set[int]:
    """The lines whose readings may be joined to these: the one after each and the one before
    (more than a join needs, made in C: a reading more costs less than asking which)."""
    after, before = map(add, numbers, repeat(1)), map(sub, numbers, repeat(1))
    return {*after, *before} - {-1, size}


def _denials_of(text: str) -> tuple[Token, ...]:
    """The denials a reading shows from its first ``User denied:`` on (each cell apart too), as
    ``shown_denials`` reads them: a reading's white space is collapsed already, so that is the
    reading itself and each of its cells, each read by ``plain_token``."""
    at = text.find(DENIAL_PREFIX)
    if at < 0:
        return ()
    shown = text[at:].rstrip(" |*_~`")
    if "|" not in shown:
        token = plain_token(shown)
        return () if token is None else (token,)
    cells = (cell.strip(" ") for cell in shown.split("|") if DENIAL_PREFIX in cell)
    tokens = (plain_token(part) for part in (shown, *cells))
    return tuple(token for token in tokens if token is not None and token.kind is Kind.DENIAL)
