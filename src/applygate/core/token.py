"""The canonical approval token grammar.

A token is one line of a comment, review or environment-approval body that reads, after trimming,
``User approved: <scope>`` (or ``User denied: <scope>``). Lines that Markdown renders as something
other than plain text (code, quotes, HTML comments) never count, and lines carrying invisible or
look-alike characters are reported as suspicious instead of being read.

Pure: strings in, dataclasses out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import StrEnum

from applygate.core.blocks import LINE_ENDING, contexts
from applygate.core.reasons import Reason


class Kind(StrEnum):
    APPROVAL = "approval"
    DENIAL = "denial"


PREFIXES: dict[Kind, str] = {Kind.APPROVAL: "User approved:", Kind.DENIAL: "User denied:"}

GENERIC_SCOPES = frozenset(
    {
        "the changes",
        "changes",
        "everything",
        "all",
        "all changes",
        "all of it",
        "it",
        "this",
        "the plan",
    }
)

_CANONICAL = re.compile(r"User (approved|denied): +(\S.*)", re.ASCII)  # spaces, not tabs
_PIN = re.compile(r"(.*\S) @([0-9a-fA-F]{7,40})", re.ASCII)
_ASCII_WS = re.compile(r"[ \t]+")
# Contexts whose lines are still shown as text, if not as a plain line: an approval there does
# not count, but a denial there stops the operation all the same (fail closed both ways).
_SHOWN = frozenset({"list-item", "heading", "table", "footnote", "html-block", "nested"})
_LONE_CR = Reason("control-char", "a lone carriage return (U+000D) ends a line here: not a token")
_SEPARATORS = re.compile("[\x85\u2028\u2029]")
_LOOKS_LIKE = re.compile(r"user\s*(approved|denied)\b")
_MARKDOWN_LEAD = re.compile(r"^(?:[\s>*+\-#_~`|]|\d+[.)]|<!--)*")
_TASK_BOX = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX]\]")
_DENIAL_PREFIX = re.compile(r"User denied:")

_ZERO_WIDTH = frozenset(range(0x200B, 0x2010)) | frozenset(range(0x2060, 0x2065)) | {0xFEFF}
_BIDI = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))

# Letters that render like ASCII letters of "user approved/denied".
_CONFUSABLES = str.maketrans(
    # Cyrillic, Greek, Armenian, Cherokee and Roman-numeral look-alikes, written as escapes
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0501\u0455\u0578\u057d\u03bd\u03c5\u03bf\u03c1\u03b1"
    "\u03b5\u03b9\u03ba\u03c4\u0410\u0415\u041e\u0420\u0421\u0423\u0425\u0405\u0406\u0408\u13a0\u216e\u217e\u0131",
    "aeopcyxijdsnuvuopaeiktAEOPCYXSIJDDdi",
)


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


class ScopeMatch(StrEnum):
    EXACT = "exact"
    GENERIC = "generic"
    MISMATCH = "mismatch"
    PIN_MISMATCH = "pin-mismatch"


def normalize_scope(text: str) -> str:
    """Collapse runs of ASCII whitespace and trim: the form in which scopes are compared."""
    return _ASCII_WS.sub(" ", text).strip(" \t")


def is_generic(scope: str) -> bool:
    return scope.casefold().rstrip(".!") in GENERIC_SCOPES


def match_scope(token: Token, operation: str, sha: str) -> ScopeMatch:
    """How a token's scope relates to the gated operation and commit."""
    if token.pin is not None and not sha.lower().startswith(token.pin.lower()):
        return ScopeMatch.PIN_MISMATCH
    if token.scope == normalize_scope(operation):
        return ScopeMatch.EXACT
    if is_generic(token.scope):
        return ScopeMatch.GENERIC
    return ScopeMatch.MISMATCH


def skeleton(text: str) -> str:
    """The line as a reader would see it: invisible characters dropped, look-alikes folded."""
    visible = "".join(
        ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc") or ch == "\t"
    )
    return unicodedata.normalize("NFKC", visible).translate(_CONFUSABLES).casefold()


def looks_like_token(line: str) -> Kind | None:
    """Whether a line reads like an approval or denial to a human, however badly written.

    Text after a separator Markdown does not end lines at (NEL, U+2028, U+2029) is read as well:
    a browser may show it on a line of its own, so it is reported (as suspicious), never skipped.
    So is the text after each ``|``: a table row shows every cell.
    """
    for part in _SEPARATORS.split(line):
        match = _LOOKS_LIKE.match(_MARKDOWN_LEAD.sub("", skeleton(part), count=1))
        if match is not None:
            return Kind.APPROVAL if match.group(1) == "approved" else Kind.DENIAL
        # a canonical denial in a later cell of a table row, or after a task box, is shown
        # and must stop the operation; prose that merely mentions "user approved" stays chat
        for cell in (*part.split("|")[1:], _TASK_BOX.sub("", part, count=1)):
            if _DENIAL_PREFIX.match(_MARKDOWN_LEAD.sub("", cell, count=1)):
                return Kind.DENIAL
    return None


def body_looks_like_token(body: str) -> bool:
    """True when any line of ``body`` reads like a token: the cheap test before any API call."""
    return any(looks_like_token(line) is not None for line in _lines(body))


def scan(body: str) -> list[ScannedLine]:
    """Every token-like line of a Markdown body, each either a canonical token or a rejection."""
    found: list[ScannedLine] = []
    for number, line, context in _with_markdown_context(body):
        kind = looks_like_token(line)
        if kind is None:
            continue
        if context is not None and not (kind is Kind.DENIAL and context.code in _SHOWN):
            found.append(ScannedLine(number, line, kind, rejection=context))
            continue
        scanned = parse_line(number, line, kind)
        if kind is Kind.DENIAL and scanned.token is None:
            scanned = _shown_denial(scanned)
        found.append(scanned)
    return found


# The block markup a shown line may carry around its text: a list marker (with a task box), a
# heading's hashes, a table row's pipes.
_LIST_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+")
_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")
_EMPHASES = ("***", "___", "**", "__", "*", "_")
# Deeper list nesting than GitHub renders (blocks.MAX_DEPTH is the same order): no more copies.
MAX_MARKERS = 32


def _heading_text(line: str) -> str | None:
    """A heading's text without its hashes (and closing hashes), in linear time."""
    opening = _HEADING.match(line)
    if opening is None:
        return None
    text = line[opening.end() :].rstrip(" \t")
    closed = text.rstrip("#")
    if closed != text and (not closed or closed[-1] in " \t"):
        text = closed.rstrip(" \t")
    return text


def _emphasized(text: str) -> str | None:
    """The text inside ``**...**`` (or *, ***, _, __, ___), or None."""
    stripped = text.strip(" \t")
    for mark in _EMPHASES:
        inner = stripped[len(mark) : -len(mark)]
        wrapped = stripped.startswith(mark) and stripped.endswith(mark) and inner.strip()
        if wrapped and not inner[0].isspace() and not inner[-1].isspace():
            return inner
    return None


def _shown_denial(as_written: ScannedLine) -> ScannedLine:
    """A denial on a line shown as text but not as a plain line (a list item, a heading, a table
    row, bold text): it stops the operation when its text, without that markup, is a canonical
    denial. Failing closed means blocking; an approval there never counts."""
    line = as_written.text
    inner: list[str] = []
    rest = line
    for _ in range(MAX_MARKERS):  # nested items: "- 1. x"
        marker = _LIST_MARKER.match(rest)
        if marker is None:
            break
        rest = rest[marker.end() :]
    if rest != line:
        inner.append(rest)
    heading = _heading_text(rest)
    if heading is not None:
        inner.append(heading)
    if "|" in rest:
        inner.extend(_CELL_SEPARATOR.split(rest))
    inner.extend(found for text in (line, *inner) if (found := _emphasized(text)) is not None)
    for text in inner:
        scanned = parse_line(as_written.number, text, Kind.DENIAL)
        if scanned.token is not None and scanned.token.kind is Kind.DENIAL:
            return replace(scanned, text=line)
    return as_written


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


def _suspicious_characters(line: str) -> Reason | None:
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


def _lines(body: str) -> Iterator[str]:
    # Lines end as in CommonMark (LF, CR LF, lone CR); other separators (NEL, U+2028) stay in the
    # line and make it suspicious.
    yield from LINE_ENDING.split(body)


def _with_markdown_context(body: str) -> Iterator[tuple[int, str, Reason | None]]:
    """Each line with the reason it is not plain paragraph text (code, quote, HTML...), if any.

    A lone CR ends a line as Markdown says (so it cannot hide a fence), but the lines on either
    side of it are suspicious: no editor writes one, only a crafted request does.
    """
    body = body.removesuffix("\r")  # ends nothing: what GitHub strips anyway
    endings = LINE_ENDING.findall(body)
    for number, (line, context) in enumerate(contexts(body), start=1):
        lone_cr = "\r" in endings[max(0, number - 2) : number]
        yield number, line, context or (_LONE_CR if lone_cr else None)
