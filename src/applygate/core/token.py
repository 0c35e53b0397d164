"""The canonical approval token grammar.

A token is one line of a comment, review or environment-approval body that reads, after trimming,
``User approved: <scope>`` (or ``User denied: <scope>``), optionally pinned to a commit with
`` @<sha>``. Lines carrying invisible or look-alike characters are reported as suspicious instead
of being read. Which lines are shown as plain text is core/reading.py's part.

Pure: strings in, plain data (named tuples) out.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import NamedTuple

from applygate.core.line_index import line_feeds
from applygate.core.reasons import Reason
from applygate.core.skeleton import (
    CONTROL_IN_LINE,
    SEPARATORS,
    folded_body,
    invisibles,
    outside_ascii,
    skeleton,
    skeleton_body,
    without_ideographs,
)
from applygate.core.suspects import homoglyph, suspicious_characters


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
_SEPARATORS = re.compile(f"[{SEPARATORS}]")
# _CANONICAL over a plain line (one space after the prefix) with no control character in it
_PLAIN_CANONICAL = re.compile(
    "User (approved|denied): ([^\x00-\x20\x7f][^\x00-\x08\x0a-\x1f\x7f]*)"
)
# A token whose white space is collapsed already: words between single spaces (possessive:
# linear), its word and scope captured
_COLLAPSED_TOKEN = re.compile(r"User (approved|denied): (\S++(?: \S++)*+)")
_LOOKS_LIKE = re.compile(r"user\s*(approved|denied)\b")
# what Markdown may put before a line's text: quote and list marks, emphasis, a heading's hashes,
# table pipes, an HTML comment's start, a footnote's label (possessive, a run of marks at a time:
# the same match as one mark at a time, without a step of the regex engine per character)
MARKDOWN_LEAD = re.compile(r"^(?:[\s>*+\-#_~`|]++|\d+[.)]|<!--|\[\^[^\]\s]*\]:)*+")
# The same lead and words over a whole body, at each line's start: for a body of printable ASCII
# (tabs and line feeds aside), where a line's skeleton is the line in lower case and white space
# within a line is a space or a tab.
_LINE_LOOKS_LIKE = re.compile(
    r"^(?:[ \t>*+\-#_~`|]++|[0-9]+[.)]|<!--|\[\^[^\]\s]*\]:)*+user[ \t]*(approved|denied)\b",
    re.MULTILINE,
)
# ... and over any other body folded (skeleton.folded_body): MARKDOWN_LEAD and _LOOKS_LIKE as
# they are, but that white space stops at a line's or a part's end, where each starts again
_BLANK = f"[^\\S\\n{SEPARATORS}]"
_FOLDED_LOOKS_LIKE = (
    rf"(?:(?:{_BLANK}|[>*+\-#_~`|])++|\d+[.)]|<!--|\[\^[^\]\s]*\]:)*+"
    rf"user{_BLANK}*(approved|denied)\b"
)
# A body is folded a character at a time (each distinct one outside ASCII read alone, about 2
# us) only where it has at most a distinct character in 8 of its own: read at once, it costs
# about a fifth of a microsecond a character (skeleton.skeleton_body).
_DISTINCT_SHARE = 8
# ... and at most 1,024 of them (a red team's 8,190 distinct Hangul syllables, 8 times over, cost
# 25-40 ms folded; read at once, 7 ms).
_MOST_FOLDED = 1_024
_FOLDED_LINES = re.compile(f"^{_FOLDED_LOOKS_LIKE}", re.MULTILINE)
_FOLDED_PARTS = re.compile(f"(?:^|(?<=[{SEPARATORS}])){_FOLDED_LOOKS_LIKE}", re.MULTILINE)


class Token(NamedTuple):
    """A canonical token: what it asks for and, optionally, the commit it is pinned to. (A
    tuple: thousands are made, hashed and compared in one crowded comment, in C.)"""

    kind: Kind
    scope: str
    pin: str | None = None


class ScannedLine(NamedTuple):
    """A line of a body that reads like a token, canonical or not.

    Exactly one of ``token`` and ``rejection`` is set. ``kind`` is what the line tried to be.
    (A tuple: one is made for every token-like line, thousands in a crowded comment.)
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


def looks_like_token(line: str) -> Kind | None:
    """Whether a line reads like an approval or denial to a human, however badly written.

    Text after a separator Markdown does not end lines at (NEL, U+2028, U+2029) is read as well:
    a browser may show it on a line of its own, so it is reported (as suspicious), never skipped.
    (A denial shown further into a line, in a table cell say, is found in the rendered page.)
    """
    for kind, prefix in PREFIXES.items():  # written as it should be: what the rest would find
        if line.startswith(prefix):
            return kind
    parts = (line,) if line.isascii() else dict.fromkeys(_SEPARATORS.split(line))  # each once
    for part in parts:  # (none is ASCII)
        match = _LOOKS_LIKE.match(MARKDOWN_LEAD.sub("", skeleton(part), count=1))
        if match is not None:
            return Kind.APPROVAL if match.group(1) == "approved" else Kind.DENIAL
    return None


def token_like_lines(body: str) -> dict[int, Kind]:
    """``looks_like_token`` of each line of ``body`` (by number, from 1, lines ending as
    line_index.split_lines ends them) where it finds a kind, in one regex pass in C over the body
    as its lines' skeletons read it: an ASCII one in lower case without its controls, any other
    folded a character at a time (skeleton.folded_body), or, where that cannot be done (a
    character NFKC joins to the one before) or costs more than it saves (far more distinct
    characters outside ASCII than lines: 58,000 in 200 lines took 130 ms), read at once
    (skeleton.skeleton_body)."""
    body = line_feeds(body)  # a line ends at CR LF, CR or LF: at a line feed alike
    if body.isascii():  # (a skeleton drops controls within a line: the tab aside)
        if CONTROL_IN_LINE.search(body) is not None:
            body = CONTROL_IN_LINE.sub("", body)
        text, pattern = body.lower(), _LINE_LOOKS_LIKE
    else:
        body = without_ideographs(body)
        outside = outside_ascii(body)  # (each distinct character found once, in C)
        folded = None
        if len(outside) <= min(len(body) // _DISTINCT_SHARE, _MOST_FOLDED):
            folded = folded_body(body, outside)
        text = skeleton_body(body, outside) if folded is None else folded
        pattern = _FOLDED_PARTS if _SEPARATORS.search(text) else _FOLDED_LINES
    found: dict[int, Kind] = {}
    number, position = 1, 0
    for match in pattern.finditer(text):
        number += text.count("\n", position, match.start())
        position = match.start()  # the first part of a line that reads like one decides
        found.setdefault(number, Kind.APPROVAL if match.group(1) == "approved" else Kind.DENIAL)
    return found


def parse_line(number: int, line: str, kind: Kind) -> ScannedLine:
    """Read one token-like line in plain-text context."""
    trimmed = line.strip(" \t")
    # as most are: collapsed and printable, read as plain_token reads it, by one pattern, in a
    # third of the time (a page of 3,000 denial lines); when the token is of the kind asked
    # about (else the look-alike test reads more of the prefix)
    plain = _COLLAPSED_TOKEN.fullmatch(trimmed)
    if plain is not None and trimmed.isprintable():
        token = scoped(Kind.APPROVAL if plain.group(1) == "approved" else Kind.DENIAL, plain[2])
        if token.kind is kind:
            return ScannedLine(number, line, token.kind, token=token)
    suspicious = suspicious_characters(line)
    if suspicious is not None:
        return ScannedLine(number, line, kind, rejection=suspicious)
    prefix = PREFIXES[kind]
    head = trimmed[: len(prefix)]
    if not head.isascii():
        return ScannedLine(number, line, kind, rejection=homoglyph(head))
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
    way (tests/unit/test_denial_text_fast.py compares the two)."""
    if not line.isprintable() and invisibles(line):  # suspicious: no token
        return None
    match = _PLAIN_CANONICAL.fullmatch(line)
    if match is None:
        return None
    word, scope = match.groups()  # the scope collapsed already: normalize_scope keeps it
    return scoped(Kind.APPROVAL if word == "approved" else Kind.DENIAL, scope)


def scoped(kind: Kind, scope: str) -> Token:
    """The token of a collapsed ``scope`` (see ``plain_token``): its pin, if it ends in one."""
    pinned = _PIN.fullmatch(scope) if " @" in scope else None
    if pinned is not None:
        return Token(kind, pinned.group(1), pinned.group(2))
    return Token(kind, scope)


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
