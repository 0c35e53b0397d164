"""core/token.py as it was before issue 14's Unicode work (commit ce17a5a): what tests compare the
faster per-character and per-body readings with, line for line."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from applygate.core.reasons import Reason


class Kind(StrEnum):
    APPROVAL = "approval"
    DENIAL = "denial"


PREFIXES: dict[Kind, str] = {Kind.APPROVAL: "User approved:", Kind.DENIAL: "User denied:"}


_CANONICAL = re.compile(r"User (approved|denied): +(\S.*)", re.ASCII)  # spaces, not tabs
_PIN = re.compile(r"(.*\S) @([0-9a-fA-F]{7,40})", re.ASCII)
_ASCII_WS = re.compile(r"[ \t]+")
_SEPARATORS = re.compile("[\x85\u2028\u2029]")
_ASCII_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")
_BEYOND_ASCII = re.compile("[^\x00-\x7f]")
# _CANONICAL over a plain line (one space after the prefix) with no control character in it
_PLAIN_CANONICAL = re.compile(
    "User (approved|denied): ([^\x00-\x20\x7f][^\x00-\x08\x0a-\x1f\x7f]*)"
)
_LOOKS_LIKE = re.compile(r"user\s*(approved|denied)\b")
# what Markdown may put before a line's text: quote and list marks, emphasis, a heading's hashes,
# table pipes, an HTML comment's start, a footnote's label (possessive, a run of marks at a time:
# the same match as one mark at a time, without a step of the regex engine per character)
MARKDOWN_LEAD = re.compile(r"^(?:[\s>*+\-#_~`|]++|\d+[.)]|<!--|\[\^[^\]\s]*\]:)*+")
_ZERO_WIDTH = frozenset(range(0x200B, 0x2010)) | frozenset(range(0x2060, 0x2065)) | {0xFEFF}
_BIDI = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))

# Letters that render like ASCII letters of "user approved/denied".
_CONFUSABLES = str.maketrans(
    # Cyrillic, Greek, Armenian, Cherokee and Roman-numeral look-alikes, written as escapes
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0501\u0455\u0578\u057d\u03bd\u03c5\u03bf\u03c1\u03b1"
    "\u03b5\u03b9\u03ba\u03c4\u0410\u0415\u041e\u0420\u0421\u0423\u0425\u0405\u0406\u0408\u13a0\u216e\u217e\u0131",
    "aeopcyxijdsnuvuopaeiktAEOPCYXSIJDDdi",
)
_NO_CONTROLS = dict.fromkeys((*range(0x09), *range(0x0A, 0x20), 0x7F))


@dataclass(frozen=True)
class Token:
    """A canonical token: what it asks for and, optionally, the commit it is pinned to."""

    kind: Kind
    scope: str
    pin: str | None = None


@dataclass(frozen=True)
class ScannedLine:
    """A line of a body that reads like a token, canonical or not.

    Exactly one of ``token`` and ``rejection`` is set. ``kind`` is what the line tried to be.
    """

    number: int
    text: str
    kind: Kind
    token: Token | None = None
    rejection: Reason | None = None


def normalize_scope(text: str) -> str:
    """Collapse runs of ASCII whitespace and trim: the form in which scopes are compared."""
    return _ASCII_WS.sub(" ", text).strip(" \t")


def skeleton(text: str) -> str:
    """The text as a reader would see it: invisible characters dropped, look-alikes folded."""
    if text.isascii():  # nothing to normalize or fold: only control characters go
        return text.translate(_NO_CONTROLS).casefold()
    visible = text  # (the characters dropped looked for in C first: most text has none)
    if _ASCII_CONTROL.search(text) is not None or _invisible(text):
        visible = "".join(
            ch for ch in text if ch == "\t" or unicodedata.category(ch) not in ("Cf", "Cc")
        )
    return unicodedata.normalize("NFKC", visible).translate(_CONFUSABLES).casefold()


def looks_like_token(line: str) -> Kind | None:
    """Whether a line reads like an approval or denial to a human, however badly written.

    Text after a separator Markdown does not end lines at (NEL, U+2028, U+2029) is read as well:
    a browser may show it on a line of its own, so it is reported (as suspicious), never skipped.
    (A denial shown further into a line, in a table cell say, is found in the rendered page.)
    """
    for kind, prefix in PREFIXES.items():  # written as it should be: what the rest would find
        if line.startswith(prefix):
            return kind
    for part in (line,) if line.isascii() else _SEPARATORS.split(line):  # none is ASCII
        match = _LOOKS_LIKE.match(MARKDOWN_LEAD.sub("", skeleton(part), count=1))
        if match is not None:
            return Kind.APPROVAL if match.group(1) == "approved" else Kind.DENIAL
    return None


def parse_line(number: int, line: str, kind: Kind) -> ScannedLine:
    """Read one token-like line in plain-text context."""
    suspicious = _suspicious_characters(line)
    if suspicious is not None:
        return ScannedLine(number, line, kind, rejection=suspicious)
    trimmed = line.strip(" \t")
    prefix = PREFIXES[kind]
    head = trimmed[: len(prefix)]
    if not head.isascii():
        return ScannedLine(number, line, kind, rejection=_homoglyph(head))
    match = _CANONICAL.fullmatch(trimmed)
    if match is None:
        return ScannedLine(number, line, kind, rejection=_near_miss(trimmed, kind))
    token_kind = Kind.APPROVAL if match.group(1) == "approved" else Kind.DENIAL
    scope = normalize_scope(match.group(2))
    pin = None
    pinned = _PIN.fullmatch(scope)
    if pinned is not None:
        scope, pin = pinned.group(1), pinned.group(2)
    return ScannedLine(number, line, token_kind, token=Token(token_kind, scope, pin))


def plain_token(line: str) -> Token | None:
    """``parse_line(0, line, Kind.DENIAL).token`` (a shown line read for denials: the prefix
    checked for look-alikes is the denial's) for a line whose white space is collapsed already
    (as ``" ".join(line.split())`` leaves it: no white space of any kind but single spaces, none
    at either end). What the grammar would check or change of such a line reduces to a control
    or format character and one pattern: a fallback reading thousands of lines reads each this
    way (tests/unit/test_skeleton.py compares today's with this one)."""
    if not line.isascii() and _invisible(line):  # suspicious: no token
        return None
    match = _PLAIN_CANONICAL.fullmatch(line)
    if match is None:
        return None
    word, scope = match.groups()  # the scope collapsed already: normalize_scope keeps it
    kind = Kind.APPROVAL if word == "approved" else Kind.DENIAL
    pinned = _PIN.fullmatch(scope) if " @" in scope else None
    if pinned is not None:
        return Token(kind, pinned.group(1), pinned.group(2))
    return Token(kind, scope)


def _invisible(text: str) -> bool:
    """Whether a character of ``text`` outside ASCII is a control or format one (Cc, Cf: the
    zero-width and bidirectional ones among them): each distinct one looked up once."""
    beyond = set(_BEYOND_ASCII.findall(text))
    return any(unicodedata.category(ch) in ("Cc", "Cf") for ch in beyond)


def _suspicious_characters(line: str) -> Reason | None:
    if line.isascii():  # the only suspects there are control characters: one regex pass
        control = _ASCII_CONTROL.search(line)
        if control is None:
            return None
        return Reason("control-char", f"control character {_name(control.group())}: not a token")
    for ch in line:
        code = ord(ch)
        if code in _ZERO_WIDTH:
            return Reason("zero-width", f"hidden zero-width character {_name(ch)}: not a token")
        if code in _BIDI:
            return Reason("bidi", f"bidirectional control character {_name(ch)}: not a token")
        category = unicodedata.category(ch)
        if category == "Cc" and ch != "\t":
            return Reason("control-char", f"control character {_name(ch)}: not a token")
        if category in ("Cf", "Zl", "Zp"):
            return Reason("invisible-char", f"invisible character {_name(ch)}: not a token")
        if category == "Zs" and ch != " ":  # looks like a space, compares as something else
            return Reason("unicode-space", f"{_name(ch)} is not a plain space: not a token")
    return None


def _homoglyph(head: str) -> Reason:
    odd = next(ch for ch in head if not ch.isascii())
    return Reason("homoglyph", f"look-alike character {_name(odd)} in the prefix: not a token")


def _near_miss(trimmed: str, kind: Kind) -> Reason:
    prefix = PREFIXES[kind]
    if trimmed.startswith(prefix):
        rest = trimmed[len(prefix) :]
        if not rest.strip():
            return Reason("empty-scope", f"'{prefix}' names no operation")
        return Reason("no-space", f"'{prefix}' must be followed by a space, then the operation")
    return Reason(
        "not-canonical", f"not canonical: write exactly '{prefix} <operation>' on its own line"
    )


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip()
