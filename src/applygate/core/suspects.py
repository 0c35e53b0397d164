"""Characters that make a line no token: hidden (zero-width, bidirectional controls, other
control and format characters), spaces that are not the space, and letters that only look like
the prefix's. Each is reported by its code point and name.

Pure: strings in, reasons out.
"""

from __future__ import annotations

import unicodedata

from applygate.core.reasons import Reason
from applygate.core.skeleton import ASCII_CONTROL
from applygate.core.unicode_categories import SUSPECTS, first_of

_ZERO_WIDTH = frozenset(range(0x200B, 0x2010)) | frozenset(range(0x2060, 0x2065)) | {0xFEFF}
_BIDI = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))


def suspicious_characters(line: str) -> Reason | None:
    """Why the line's first suspicious character makes it no token: where it stands found in
    C (core/unicode_categories.py: a line of 210 distinct suspects was read character by
    character, every time a reading asked), then its reason."""
    at = _first_suspect(line)
    return None if at < 0 else _suspect(line[at])


def has_suspect(line: str) -> bool:
    """Whether ``suspicious_characters`` finds a reason in the line (without making it)."""
    return _first_suspect(line) >= 0


def _first_suspect(line: str) -> int:
    """Where the line's first suspicious character stands, or -1."""
    if line.isprintable():  # (in C: no character of a category a suspect is of, Cc Cf Zs Zl Zp)
        return -1
    if line.isascii():  # (the ASCII controls: one short class)
        control = ASCII_CONTROL.search(line)
        return -1 if control is None else control.start()
    return first_of(line, *SUSPECTS)


def _suspect(ch: str) -> Reason | None:
    """Why ``ch`` makes a line no token, if it does (an ASCII control: Cc, the tab aside)."""
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


def homoglyph(head: str) -> Reason:
    odd = next(ch for ch in head if not ch.isascii())
    return Reason("homoglyph", f"look-alike character {_name(odd)} in the prefix: not a token")


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip()
