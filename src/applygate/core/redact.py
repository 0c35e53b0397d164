"""Secrets out of everything applygate prints or reports: each known value becomes ``***``.

A secret is also recognised as tools commonly re-encode it: base64 (as in ``user:password`` in a
basic-auth header, wherever the secret falls among the bytes), URL-encoded and JSON-escaped. The
runner masks these forms in the log too, but the JSON reports and the job summary are files.
The user-info of any URL (``https://user:token@host``) is redacted too, known or not.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

MASK = "***"
# Shorter values would redact ordinary words and digits; GitHub's runner does not mask them either.
MIN_SECRET_LENGTH = 4
# An encoded fragment shorter than this could occur in ordinary text by chance.
MIN_ENCODED_LENGTH = 8


@dataclass(frozen=True)
class Redactor:
    secrets: tuple[str, ...] = field(default=(), repr=False)
    # each secret as a JSON string may spell it: any character as \uXXXX, a slash as \/
    escaped: tuple[re.Pattern[str], ...] = field(default=(), repr=False, compare=False)

    @classmethod
    def of(cls, values: Iterable[str]) -> Redactor:
        """Longest first, so a secret that contains another is replaced whole."""
        kept = {v for v in values if len(v.strip()) >= MIN_SECRET_LENGTH}
        lines = {line for v in kept for line in v.splitlines() if len(line) >= MIN_SECRET_LENGTH}
        encoded = {form for v in kept | lines for form in encodings(v) if form not in kept}
        ordered = sorted(kept | lines, key=len, reverse=True)
        return cls(
            tuple(sorted(kept | lines | encoded, key=len, reverse=True)),
            tuple(json_escaped(value) for value in ordered),
        )

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        if "\\" in text:  # only text with a backslash can hold a JSON escape
            for pattern in self.escaped:
                text = pattern.sub(MASK, text)
        if "@" in text or "%40" in text:
            for userinfo in _URL_USERINFO:
                text = userinfo.sub(rf"\1{MASK}\2", text)
        return text


def json_escaped(value: str) -> re.Pattern[str]:
    """``value`` as a JSON string may write it: each character as itself or ``\\uXXXX`` (any
    case), a slash also as ``\\/``, a quote or backslash also escaped."""
    parts = []
    for ch in value:
        forms = [re.escape(ch), rf"\\u(?i:{ord(ch):04x})"]
        if ch in '/"\\':
            forms.append(re.escape("\\" + ch))
        parts.append("(?:" + "|".join(forms) + ")")
    return re.compile("".join(parts))


# The user-info of a URL (https://x-access-token:ghs_...@github.com): a credential that may be
# no known secret (a git remote set up by another step), so it is redacted wherever it shows:
# up to the authority's last @ (a password may hold one), also in a JSON string (https:\/\/)
# and URL-encoded (https%3A%2F%2Fuser%3Apw%40host).
_URL_USERINFO = (
    re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]*:(?://|\\/\\/))[^\s/\\?#'\"<>]+(@)"),
    re.compile(r"(?i)\b([a-z][a-z0-9+.-]*%3A%2F%2F)(?:(?!%2F)[^\s/?#'\"<>&])+?(%40)"),
)


def encodings(value: str) -> Iterator[str]:
    """The forms of ``value`` that are long enough to redact on their own."""
    forms = [*_base64_forms(value.encode("utf-8")), _url_form(value), json.dumps(value)[1:-1]]
    for form in forms:
        if len(form) >= MIN_ENCODED_LENGTH and form != value:
            yield form


def _base64_forms(data: bytes) -> Iterator[str]:
    """The base64 characters that depend on ``data`` alone, for each of the three positions it
    can start at among the encoded bytes (standard and URL-safe alphabets)."""
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + data).decode("ascii")
        start = -(-8 * shift // 6)  # the first character no prefix bit reaches
        end = 8 * (shift + len(data)) // 6  # the last character made of the data's bits only
        stable = encoded[start:end]
        yield stable
        yield stable.replace("+", "-").replace("/", "_")


def _url_form(value: str) -> str:
    return urllib.parse.quote(value, safe="")
