"""Secrets out of everything applygate prints or reports: each known value becomes ``***``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

MASK = "***"
# Shorter values would redact ordinary words and digits; GitHub's runner does not mask them either.
MIN_SECRET_LENGTH = 4


@dataclass(frozen=True)
class Redactor:
    secrets: tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def of(cls, values: Iterable[str]) -> Redactor:
        """Longest first, so a secret that contains another is replaced whole."""
        kept = {v for v in values if len(v.strip()) >= MIN_SECRET_LENGTH}
        lines = {line for v in kept for line in v.splitlines() if len(line) >= MIN_SECRET_LENGTH}
        return cls(tuple(sorted(kept | lines, key=len, reverse=True)))

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text
