"""Text as a reader sees it: invisible characters dropped, look-alikes folded (``skeleton``), a
line at a time, or a whole body at once where that reading can be made character by character
(``folded_body``).

Pure: strings in, strings out.
"""

from __future__ import annotations

import re
import unicodedata

from applygate.core.unicode_categories import INVISIBLES, every_of, expanding

# Letters that render like ASCII letters of "user approved/denied".
CONFUSABLES = str.maketrans(
    # Cyrillic, Greek, Armenian, Cherokee and Roman-numeral look-alikes, written as escapes
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0501\u0455\u0578\u057d\u03bd\u03c5\u03bf\u03c1\u03b1"
    "\u03b5\u03b9\u03ba\u03c4\u0410\u0415\u041e\u0420\u0421\u0423\u0425\u0405\u0406\u0408\u13a0\u216e\u217e\u0131",
    "aeopcyxijdsnuvuopaeiktAEOPCYXSIJDDdi",
)
_ASCII = frozenset(map(chr, range(0x80)))
# A run of CJK ideographs that starts with a word character (the blocks hold nothing else but
# unassigned code points): NFKC neither joins one to anything nor writes it otherwise than as
# another ideograph, and no look-alike is one; what reads "user approved" stops at the first
# (or, in a footnote's label, reads on through them all, and ends where they end).
_IDEOGRAPHS = re.compile(r"(?=\w)[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003ffff]++")
_CONFUSABLE = re.compile("[" + "".join(map(chr, CONFUSABLES)) + "]")
_NO_CONTROLS = dict.fromkeys((*range(0x09), *range(0x0A, 0x20), 0x7F))
# The ASCII control characters but the tab (what a skeleton drops and the grammar refuses) ...
ASCII_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")
# ... but a line feed, in a body: what a skeleton drops within a line
CONTROL_IN_LINE = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
# Where a line's parts end (see token.looks_like_token): kept as they are in a folded body.
SEPARATORS = "\x85\u2028\u2029"
# Hangul's conjoining vowel and trailing jamo, composed with the one before them by rule, not by
# a table (a leading one only ever starts a syllable).
_JAMO = re.compile("[\u1160-\u11ff\ud7b0-\ud7ff]")
# What a reading of "user approved" may stop or go on at (ASCII, white space, digits); a run of
# anything else reads as one character (see ``_reading``).
_OTHER_RUN = re.compile(r"[^\x00-\x7f\s\d]+")
_WORD = re.compile(r"\w")
_LABEL_END = re.compile(r"[\s\]]")


def skeleton(text: str) -> str:
    """The text as a reader would see it: invisible characters dropped, look-alikes folded."""
    if text.isascii():  # nothing to normalize or fold: only control characters go
        return text.translate(_NO_CONTROLS).casefold()
    visible = text  # (the characters dropped, each distinct one found once: most text has none)
    for ch in invisibles(text):
        visible = visible.replace(ch, "")
    if ASCII_CONTROL.search(visible) is not None:
        visible = ASCII_CONTROL.sub("", visible)
    return unicodedata.normalize("NFKC", visible).translate(CONFUSABLES).casefold()


def invisibles(text: str) -> set[str]:
    """The distinct control and format characters (Cc, Cf: the zero-width and bidirectional
    ones among them) of ``text`` outside ASCII."""
    if text.isprintable():  # (in C: none of categories C and Z but the space)
        return set()
    return every_of(text, *INVISIBLES)  # (in C: core/unicode_categories.py)


def without_ideographs(text: str) -> str:
    """``text`` with each run of CJK ideographs written as one "e-acute", which reads as they
    do for ``folded_body`` and ``skeleton_body`` (a word character outside ASCII that nothing
    composes with): 58,000 distinct ideographs were each found (9 ms) and normalized by NFKC
    (0.3 us each, 19 ms)."""
    if max(text, default="") < "\u3400":  # (none: not searched, 3 ms a 65 KB body)
        return text
    return _IDEOGRAPHS.sub("\u00e9", text)


def outside_ascii(text: str) -> set[str]:
    """The distinct characters of ``text`` outside ASCII."""
    return set(text).difference(_ASCII)  # (in C)


def folded_body(body: str, outside: set[str]) -> str | None:
    """``body`` (lines ending in line feeds) read as ``skeleton`` reads each of its lines (or each
    part of one between ``SEPARATORS``, kept), where that reading is one character at a time:
    each character outside ASCII starts a stretch NFKC normalizes alone (nothing before it
    composes with it or reorders around it), so a line's skeleton is the skeletons of its
    characters, one after another. A run of characters outside ASCII, white space and digits in
    one character's skeleton is written as one such character (the same word character or not):
    what reads "user approved" reads them alike (see ``_reading``). None for a body with a
    character NFKC may join to the one before it (a combining mark, a conjoining jamo).
    ``outside``: ``outside_ascii(body)``, found once by the caller."""
    replaced: dict[str, str] = {}
    for ch in outside:
        reading = _reading(ch)
        if reading is None:
            return None
        if reading != ch.casefold():
            replaced[ch] = reading
    body = _replaced(body, replaced)
    if CONTROL_IN_LINE.search(body) is not None:
        body = CONTROL_IN_LINE.sub("", body)
    return body.casefold()


def skeleton_body(body: str, outside: set[str]) -> str:
    """``body`` (lines ending in line feeds) with each line, and each part of one between
    ``SEPARATORS`` (kept), read as ``skeleton`` reads it, at once and in C: what a skeleton drops,
    folds or lowers it does a character at a time, and NFKC neither composes nor reorders
    anything across a line feed or a separator (starters that compose with nothing; no
    character's NFKC holds one). Where ``folded_body`` cannot read a body (a character NFKC
    joins to the one before) or would cost more (thousands of distinct characters, each read in
    Python: 32,000 beside a combining mark took 200 ms). A character NFKC expands is first
    written as its reading there (``_reading``: U+FDFA's 18 characters, 65,000 times over, took
    NFKC alone 68 ms), where it starts a stretch. ``outside``: ``outside_ascii(body)``."""
    readings = {ch: _reading(ch) for ch in expanding(outside)}
    body = _replaced(body, {ch: read for ch, read in readings.items() if read is not None})
    hidden = invisibles(body) - set(SEPARATORS)  # (NEL is one: a part ends there)
    body = _replaced(body, dict.fromkeys(hidden, ""))
    if CONTROL_IN_LINE.search(body) is not None:
        body = CONTROL_IN_LINE.sub("", body)
    body = unicodedata.normalize("NFKC", body)
    found = set(_CONFUSABLE.findall(body))  # (most bodies have none: translate costs 0.1 us a
    return _replaced(body, {ch: chr(CONFUSABLES[ord(ch)]) for ch in found}).casefold()  # a char)


def _replaced(text: str, replacing: dict[str, str]) -> str:
    """``text`` with each of ``replacing``'s characters replaced by its value: by str.replace in
    C where they are few (translate costs at every character outside ASCII), unless a value
    holds a character replaced itself."""
    if len(replacing) <= 16 and not any(set(r) & replacing.keys() for r in replacing.values()):
        for ch, value in replacing.items():
            text = text.replace(ch, value)
        return text
    return text.translate({ord(ch): value for ch, value in replacing.items()})


def _reading(ch: str) -> str | None:
    """What one character outside ASCII reads as in a folded body (its casefold kept as is), or
    None where it may join the character before it."""
    if ch in SEPARATORS:
        return ch
    if unicodedata.category(ch) in INVISIBLES[0]:  # (never ASCII here)
        return ""
    if not _starts_a_stretch(ch) or not _starts_a_stretch(unicodedata.normalize("NFKD", ch)[0]):
        return None
    seen = unicodedata.normalize("NFKC", ch).translate(CONFUSABLES).casefold()
    if len(seen) > 1:  # (à and ¡ stand for a run of word characters or of others)
        seen = _OTHER_RUN.sub(lambda run: "\u00e0" if _WORD.match(run[0]) else "\u00a1", seen)
        end = _LABEL_END.search(seen) if seen[0] in "\u00e0\u00a1" else None
        if end is not None and end.group() != "]":  # only a footnote's label reads on through
            seen = seen[: end.end()]  # such a start, and it ends at white space: none reads on
    if "\n" in seen or any(ch in seen for ch in SEPARATORS) or seen.casefold() != seen:
        return None  # (none does: a folded body's lines and parts are the body's)
    return seen


def _starts_a_stretch(ch: str) -> bool:
    """Whether nothing before ``ch`` may compose with it or reorder around it in NFKC: it is a
    starter (combining class 0) and no composition ends with it (those that do are marks,
    tests/unit/test_skeleton.py checks, and conjoining jamo)."""
    return (
        unicodedata.combining(ch) == 0
        and not unicodedata.category(ch).startswith("M")
        and _JAMO.match(ch) is None
    )
