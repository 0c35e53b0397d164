"""The tokens a comment makes, as the reader reads it, and its token-like lines read one by one:
what the reader's tests compare."""

from __future__ import annotations

from collections.abc import Callable

from applygate.core.line_index import split_lines
from applygate.core.reading import scan
from applygate.core.token import Kind, Token, looks_like_token


def tokens(body: str, kind: Kind) -> list[Token]:
    """The tokens of ``kind`` that count in ``body``, in line order."""
    return [s.token for s in scan(body) if s.token is not None and s.token.kind is kind]


def approvals(body: str) -> list[Token]:
    return tokens(body, Kind.APPROVAL)


def denials(body: str) -> list[Token]:
    return tokens(body, Kind.DENIAL)


def token_like_by_line(
    body: str, looks: Callable[[str], object] = looks_like_token
) -> dict[int, Kind]:
    """The token-like lines of ``body`` (by number, from 1) as ``looks`` finds them one line at
    a time, with their kind (a frozen module's own kind read by its value)."""
    found: dict[int, Kind] = {}
    for number, line in enumerate(split_lines(body), start=1):
        kind = looks(line)
        if kind is not None:
            found[number] = Kind(str(kind))  # (a StrEnum of either module: its value)
    return found
