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

    @classmethod
    def of(cls, values: Iterable[str]) -> Redactor:
        """Longest first, so a secret that contains another is replaced whole."""
        kept = {v for v in values if len(v.strip()) >= MIN_SECRET_LENGTH}
        lines = {line for v in kept for line in v.splitlines() if len(line) >= MIN_SECRET_LENGTH}
        encoded = {form for v in kept | lines for form in encodings(v) if form not in kept}
        return cls(tuple(sorted(kept | lines | encoded, key=len, reverse=True)))

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        if "://" in text and "@" in text:
            text = _URL_USERINFO.sub(rf"\1{MASK}@", text)
        return text


# The user-info of a URL (https://x-access-token:ghs_...@github.com): a credential that may be
# no known secret (a git remote set up by another step), so it is redacted wherever it shows.
_URL_USERINFO = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]*://)[^\s/?#@'\"<>]+@")


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
