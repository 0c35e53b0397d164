"""The tokens a comment makes, as the reader reads it: what the reader's tests compare."""

from __future__ import annotations

from applygate.core.reading import scan
from applygate.core.token import Kind, Token


def tokens(body: str, kind: Kind) -> list[Token]:
    """The tokens of ``kind`` that count in ``body``, in line order."""
    return [s.token for s in scan(body) if s.token is not None and s.token.kind is kind]


def approvals(body: str) -> list[Token]:
    return tokens(body, Kind.APPROVAL)


def denials(body: str) -> list[Token]:
    return tokens(body, Kind.DENIAL)
