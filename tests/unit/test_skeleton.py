"""The readings made faster for text outside ASCII (issue 14) make exactly what they made before
(tests/support/token_before.py, core/token.py at ce17a5a): ``skeleton``, ``looks_like_token``,
``parse_line`` (its suspicious characters) and ``plain_token`` line for line, and
``token_like_lines`` over a whole body (folded character by character: skeleton.folded_body)
exactly what ``looks_like_token`` finds line by line. (Speed: benchmarks/speed_redteam.py.)"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.support import token_before as before
from tests.support.reading import token_like_by_line

from applygate.core.skeleton import skeleton
from applygate.core.suspects import has_suspect
from applygate.core.token import (
    Kind,
    ScannedLine,
    Token,
    looks_like_token,
    parse_line,
    plain_token,
    token_like_lines,
)

# ASCII: the token words in any case and spacing, lead marks, list numbers, a comment's and a
# footnote's opening, line endings and controls
ASCII = [
    " ", "  ", "\t", ">", "*", "-", "#", "_", "`", "|", "1.", "2)", "7", "<!--", "[^a]:", "[^",
    "]:", "]", "[", "user", "User", "USER", "approved", "Approved", "denied", "DENIED", "d",
    "approvedx", ":", "x", "User approved: op", "User denied: op", "User denied: op @abcdef1",
    "\n", "\n", "\r", "\r\n", "\x00", "\x07", "\x0b", "\x1f", "\x7f", "!",
]  # fmt: skip
# outside ASCII, every kind: inert letters, look-alikes (and a capital that folds to one),
# fullwidth forms, NFKC's long expansions, ligatures, ß, long s, dotted I, Kelvin, ohm, a Greek
# letter casefold lengthens, spacing accents (a space and a combining mark), Cf (zero-width,
# bidi, soft hyphen, BOM), C1 controls, spaces, separators, digits (Arabic, fullwidth,
# superscript, a fraction), combining marks, conjoining and compatibility jamo, a Hangul
# syllable, a two-part Oriya vowel, Tibetan, a parenthesized syllable
BEYOND = [
    "\u00e9", "\u00c9", "\u4e2d", "\uac00", "\u0430", "\u0435", "\u043e", "\u0440", "\u0441",
    "\u0443", "\u0501", "\u0500", "\u0455", "\u03bd", "\u03c5", "\u0131", "\u216e", "\uff35",
    "\uff53", "\uff45", "\uff52", "\uff41", "\uff50", "\uff44", "\uff1a", "\ufdfa", "\ufdfb",
    "\u3300", "\ufb00", "\ufb01", "\u00df", "\u1e9e", "\u017f", "\u0130", "\u212a", "\u2126",
    "\u0390", "\u200b", "\u200d", "\u202e", "\u2066", "\ufeff", "\u00ad", "\x85", "\x9f",
    "\u00a0", "\u3000", "\u1680", "\u2002", "\u202f", "\u2028", "\u2029", "\u0663", "\uff11",
    "\u00b2", "\u00bd", "\u0301", "\u0307", "\u0308", "\u1100", "\u1161", "\u11a8", "\u314f",
    "\u0b47", "\u0b3e", "\u0f73", "\u320e", "\u01c8", "\uff3e", "\uff3d", "\u2024", "\u00e0",
    "\u00a1", "\u2034", "\u2474", "\u02d8", "\u00a8",
    # beyond the BMP: format characters of planes 1 and 14, a variation selector (Mn), and
    # characters of planes core/unicode_categories.py looks up one by one (Lo, Co)
    "\U0001d173", "\U000110bd", "\U000e0001", "\U000e0041", "\U000e0100", "\U00020000",
    "\U000f0000",
]  # fmt: skip
# a body folded character by character: no character NFKC joins to the one before
JOINED = "\u0301\u0307\u0308\u1161\u11a8\u314f\u0b47\u0b3e\u0f73\U000e0100"  # marks, jamo
FOLDABLE = [ch for ch in BEYOND if ch not in JOINED]
LINE = st.lists(st.sampled_from([*ASCII, *BEYOND]), max_size=24).map("".join)
# a token line's own pieces: the prefixes and their near misses, pins, cells, look-alikes
TOKEN = [
    "User denied: ", "User approved: ", "User denied:", "User  denied: ", "user denied: ",
    "Us\u0435r denied: ", "\uff35ser denied: ", "op", "deploy prod/vpc", " | ", "@abcdef1",
    " @0123456789abcdef", " @ABCDEF0", "\u2003", "\u200b", "\x0c", "\x1c", "-", "e\u0301",
]  # fmt: skip
ONE_LINE = st.lists(st.sampled_from([*ASCII, *BEYOND, *TOKEN]), max_size=24).map(
    lambda pieces: "".join(pieces).replace("\r", "").replace("\n", "")
)


def _plain(value: object) -> object:
    """A value of either module's classes as plain data (each module has its own ``Kind``)."""
    if isinstance(value, (Kind, before.Kind)):
        return value.value
    if isinstance(value, (Token, ScannedLine)):  # NamedTuples: their fields in order
        return tuple(_plain(part) for part in value)
    if isinstance(value, (before.ScannedLine, before.Token)):
        return tuple(_plain(getattr(value, name)) for name in value.__dataclass_fields__)
    return value


@settings(max_examples=1500, deadline=None)
@given(ONE_LINE)
@example("User denied: \uff35")  # asked as an approval, the longer prefix holds a look-alike
def test_a_line_reads_as_it_did(line: str) -> None:
    assert skeleton(line) == before.skeleton(line)
    assert _plain(looks_like_token(line)) == _plain(before.looks_like_token(line))
    for kind in Kind:
        old = before.parse_line(3, line, before.Kind(kind.value))
        assert _plain(parse_line(3, line, kind)) == _plain(old)
    collapsed = " ".join(line.split())
    assert _plain(plain_token(collapsed)) == _plain(before.plain_token(collapsed))
    assert has_suspect(line) is (before._suspicious_characters(line) is not None)


@settings(max_examples=1000, deadline=None)
@given(LINE)
def test_one_pass_over_a_body_finds_the_lines_looks_like_token_finds(body: str) -> None:
    assert token_like_lines(body) == token_like_by_line(body, before.looks_like_token)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from([*ASCII, *FOLDABLE]), max_size=30).map("".join))
def test_a_body_without_characters_nfkc_joins_is_read_in_one_pass(body: str) -> None:
    assert token_like_lines(body) == token_like_by_line(body, before.looks_like_token)


# few pieces, so that the words meet what may follow them: a mark NFKC composes with their last
# letter, a jamo, expansions starting with a word character or not, a footnote label
NEAR = [
    "user", "User", " ", "approved", "denied", "d", "e", "\n", "[^", "]:", ">", "\u00e9",
    "user approved", "User denied",
    "\uac00", "\u1100", "\u2034", "\ufdfa", "\u2474", "\u3300", "\u02d8", *JOINED,
]  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(NEAR), max_size=12).map("".join))
def test_one_pass_reads_what_follows_the_words_as_line_by_line(body: str) -> None:
    assert token_like_lines(body) == token_like_by_line(body, before.looks_like_token)


def test_every_composition_ends_with_a_mark_or_a_jamo() -> None:
    """What skeleton.folded_body relies on to start a stretch before any other character."""
    for code in range(0x110000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            last = chr(int(parts[1], 16))
            assert unicodedata.category(last).startswith("M"), hex(code)


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("\u00e9\n" * 3 + "User approved: x", {4: Kind.APPROVAL}),
        ("\u00e9\r" * 3 + "user denied", {4: Kind.DENIAL}),
        ("\ufdfa" * 50 + "\n\n> - \uff35ser \u0430pproved: x", {3: Kind.APPROVAL}),
        ("[^\ufdfa]: user denied\n[^a\ufdfa]: user approved", {}),  # a space in its reading
        ("x\u2028user denied\u2029User approved: y", {1: Kind.DENIAL}),
        ("\u0663. user\u00a0approved\u00e9\nuser approved\u00a1", {2: Kind.APPROVAL}),
        ("User\u200b denied: x\nus\u00ader denied", {1: Kind.DENIAL, 2: Kind.DENIAL}),
        ("user approved\u2034\nuser denied\ufdfa", {1: Kind.APPROVAL}),  # (\u2034: three primes)
        ("user\u02d8approved\nuser\u00a8 denied", {}),  # a space, then a combining mark
    ],
)
def test_what_one_pass_finds_outside_ascii(body: str, found: dict[int, Kind]) -> None:
    assert token_like_lines(body) == found == token_like_by_line(body, before.looks_like_token)


@pytest.mark.parametrize(
    ("body", "found"),
    [
        ("e\u0301\nuser denied", {2: Kind.DENIAL}),
        ("user approve\u0301d\n\u1100\u1161 user approved\nuser denied\u0307\n\u00e9", {}),
        ("\u00e9\nUser denied: \u0301\nuser approved\u2034", {2: Kind.DENIAL, 3: Kind.APPROVAL}),
    ],
)
def test_a_body_with_a_character_nfkc_joins_is_read_at_once(
    body: str, found: dict[int, Kind]
) -> None:
    """(skeleton.skeleton_body: a character that composes with the one before is read with it)"""
    assert token_like_lines(body) == found == token_like_by_line(body, before.looks_like_token)


@pytest.mark.parametrize(
    "body",
    [
        "e\u0301\nuser denied\u0301",  # every line
        # 58,000 distinct characters outside ASCII in 200 lines were each looked up alone (130
        # ms), and 32,000 beside a combining mark each several times (200 ms, the red team)
        "\n\n".join(
            "User denied: x" + "".join(chr(0x4E00 + i * 60 + j) for j in range(60))
            for i in range(50)
        ),
        "\u0301\n" + "".join(chr(0x20000 + i) + "\n" for i in range(300)) + "user denied",
        "".join(chr(0x20000 + i) + "\u2028" for i in range(300)) + "user denied",
        "\u0301\r" * 300 + "User approved: x\ruser\u00a0denied",
        "\u0301\nus\u200ber denied\nuser\x85approved",  # an invisible dropped, NEL a part's end
        "\x01\r" * 300 + "User approved: x\x0b\ruser\x0cdenied",
    ],
)
def test_a_body_of_many_distinct_or_joining_characters_is_read_at_once(body: str) -> None:
    assert token_like_lines(body) == token_like_by_line(body, before.looks_like_token)


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.sampled_from([*NEAR, "\u200b", "\u00ad", "\x85", "\u2028", "\x0b"]), max_size=12)
)
def test_a_body_read_at_once_reads_each_line_as_line_by_line(pieces: list[str]) -> None:
    """A combining mark on the first line: the body is read at once (skeleton.skeleton_body),
    invisible characters, controls and separators within the words."""
    body = "\u0301\n" + "".join(pieces)
    assert token_like_lines(body) == token_like_by_line(body, before.looks_like_token)
