"""Raw output read a bounded piece at a time: whole lines exactly as before, long lines in pieces
that join up to the same text, and no secret unmasked across a cut."""

from __future__ import annotations

import re

import pytest

from applygate.core.lines import LineSplitter, Piece
from applygate.core.redact import Redactor

SECRET = "hunter2-secret-value"


def reads(data: bytes, limit: int) -> list[bytes]:
    """What ``readline(limit)`` returns, one call after another, until the end."""
    found = []
    while data:
        end = data.find(b"\n")
        size = min(limit, end + 1 if end >= 0 else len(data))
        found.append(data[:size])
        data = data[size:]
    return found


def split(data: bytes, limit: int, redact: Redactor | None = None) -> list[Piece]:
    """The pieces, as the shell's reader makes them (adapters/process.py)."""
    lines = LineSplitter(redact or Redactor())
    pieces = []
    for raw in reads(data, limit):
        piece = lines.feed(raw, whole=raw.endswith(b"\n") or len(raw) < limit)
        if piece is not None:
            pieces.append(piece)
    last = lines.finish()
    return [*pieces, last] if last is not None else pieces


def before(data: bytes, redact: Redactor | None = None) -> list[str]:
    """The lines as applygate always made them: decoded, line end dropped, redacted."""
    scrub = redact or Redactor()
    raws = re.findall(rb"[^\n]*\n|[^\n]+$", data)
    return [scrub(raw.decode("utf-8", "replace").rstrip("\r\n")) for raw in raws]


def joined(pieces: list[Piece]) -> list[str]:
    lines, current = [], ""
    for piece in pieces:
        # every piece shows something, but a whole empty line (no empty line is made up)
        assert piece.text or (piece.ends_line and not current)
        current += piece.text
        if piece.ends_line:
            lines.append(current)
            current = ""
    assert current == "", "a line was left open"
    return lines


OUTPUTS = [
    b"",
    b"one\n",
    b"one\ntwo",
    b"\n\n\n",
    b"crlf\r\nline\r\r\n",
    b"progress 10%\rprogress 100%\n",
    b"\xff\xfe ok\n",
    "unicode ✓ │ é\n".encode(),
    b"x" * 100 + b"\n" + b"y" * 250 + b"\r\n" + b"z" * 64,
    b"a" * 64 + b"\n" + b"b" * 128,
]


@pytest.mark.parametrize("data", OUTPUTS)
def test_lines_within_the_limit_are_as_before(data: bytes) -> None:
    pieces = split(data, 1024)
    assert [p.text for p in pieces] == before(data)
    assert all(p.ends_line for p in pieces)


@pytest.mark.parametrize("data", OUTPUTS)
@pytest.mark.parametrize("limit", [1, 2, 3, 7, 64])
def test_long_lines_come_in_pieces_that_join_up(data: bytes, limit: int) -> None:
    pieces = split(data, limit)
    assert joined(pieces) == before(data)
    assert all(len(p.text) <= 2 * limit + 1 for p in pieces)


def test_a_long_line_is_never_read_whole() -> None:
    pieces = split(b"z" * 1_000_000 + b"\n", 4096)
    assert len(pieces) > 200
    assert max(len(p.text) for p in pieces) <= 4096


@pytest.mark.parametrize("offset", range(40))
@pytest.mark.parametrize("limit", [8, 16, 32])
def test_a_secret_cut_by_a_read_is_still_masked(offset: int, limit: int) -> None:
    redact = Redactor.of([SECRET])
    data = b"." * offset + f"token={SECRET}; again {SECRET}".encode() + b"." * 50 + b"\n"
    pieces = split(data, limit, redact)
    assert joined(pieces) == before(data, redact)
    assert all(SECRET not in p.text for p in pieces)
    assert "".join(p.text for p in pieces).count("***") == 2


def test_a_line_end_split_from_its_carriage_return_is_dropped_with_it() -> None:
    # the read limit falls between "\r" and "\n": the "\r" must not end a piece
    for limit in (3, 4, 5, 6):
        assert joined(split(b"abcde\r\r\nnext\n", limit)) == ["abcde", "next"]


def test_a_character_cut_by_a_read_is_decoded_whole() -> None:
    data = "aé€😀b\n".encode()
    for limit in range(1, 8):
        assert joined(split(data, limit)) == ["aé€😀b"]


def test_a_stream_ending_at_the_limit_without_a_newline() -> None:
    pieces = split(b"abcdefgh", 4)
    assert joined(pieces) == ["abcdefgh"]
    assert pieces[-1].ends_line


def test_a_flood_of_carriage_returns_is_not_held_back_without_bound() -> None:
    data = b"\r" * 300_000 + b"done\n"
    pieces = split(data, 4096)
    assert max(len(p.text) for p in pieces) < 4096 + 70_000
    assert joined(pieces) == before(data)
