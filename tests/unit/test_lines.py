"""Raw output read a bounded piece at a time: whole lines exactly as before, long lines in pieces
that join up to the same text, and no secret unmasked across a cut."""

from __future__ import annotations

import re

import pytest

from applygate.core.lines import LineSplitter
from applygate.core.redact import Redactor

SECRET = "hunter2-secret-value"


def split(
    data: bytes, limit: int, redact: Redactor | None = None, chunk: int = 65536
) -> list[tuple[str, bool]]:
    """The pieces, ``data`` given ``chunk`` bytes at a time, as the shell's reader gives it."""
    lines = LineSplitter(redact or Redactor(), limit)
    pieces: list[tuple[str, bool]] = []
    for start in range(0, len(data), chunk):
        pieces += zip(*lines.feed(data[start : start + chunk]), strict=True)
    pieces += zip(*lines.finish(), strict=True)
    return pieces


def before(data: bytes, redact: Redactor | None = None) -> list[str]:
    """The lines as applygate always made them: decoded, line end dropped, redacted."""
    scrub = redact or Redactor()
    raws = re.findall(rb"[^\n]*\n|[^\n]+$", data)
    return [scrub(raw.decode("utf-8", "backslashreplace").rstrip("\r\n")) for raw in raws]


def joined(pieces: list[tuple[str, bool]]) -> list[str]:
    lines, current = [], ""
    for text, ends_line in pieces:
        # every piece shows something, but a whole empty line (no empty line is made up)
        assert text or (ends_line and not current)
        current += text
        if ends_line:
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
    b"cut \xe2\x82\nnext \xf0\x9f\n\xe2",  # characters cut short by a line end
    "unicode ✓ │ é\n".encode(),
    b"x" * 100 + b"\n" + b"y" * 250 + b"\r\n" + b"z" * 64,
    b"a" * 64 + b"\n" + b"b" * 128,
]


@pytest.mark.parametrize("data", OUTPUTS)
@pytest.mark.parametrize("chunk", [1, 3, 64, 65536])
def test_lines_within_the_limit_are_as_before(data: bytes, chunk: int) -> None:
    pieces = split(data, 1024, chunk=chunk)
    assert pieces == [(line, True) for line in before(data)]


@pytest.mark.parametrize("data", OUTPUTS)
@pytest.mark.parametrize("limit", [1, 2, 3, 7, 64])
def test_long_lines_come_in_pieces_that_join_up(data: bytes, limit: int) -> None:
    pieces = split(data, limit)
    assert joined(pieces) == before(data)
    # a byte that is not UTF-8 is shown as four characters (\xNN)
    assert all(len(text) <= 4 * (2 * limit + 1) for text, _ends in pieces)
    for chunk in (1, 5, 100):  # cut where readline(limit) would: however the reads came
        assert split(data, limit, chunk=chunk) == pieces


def test_a_long_line_is_never_read_whole() -> None:
    pieces = split(b"z" * 1_000_000 + b"\n", 4096)
    assert len(pieces) > 200
    assert max(len(text) for text, _ends in pieces) <= 4096


@pytest.mark.parametrize("offset", range(40))
@pytest.mark.parametrize("limit", [8, 16, 32])
def test_a_secret_cut_by_a_read_is_still_masked(offset: int, limit: int) -> None:
    redact = Redactor.of([SECRET])
    data = b"." * offset + f"token={SECRET}; again {SECRET}".encode() + b"." * 50 + b"\n"
    for chunk in (limit - 1, 1000):
        pieces = split(data, limit, redact, chunk)
        assert joined(pieces) == before(data, redact)
        assert all(SECRET not in text for text, _ends in pieces)
        assert "".join(text for text, _ends in pieces).count("***") == 2


@pytest.mark.parametrize("chunk", [1, 7, 65536])
def test_secrets_in_whole_lines_are_masked_as_before(chunk: int) -> None:
    redact = Redactor.of([SECRET, "first-line\nsecond-line"])
    data = f"a {SECRET}\nfirst-line\nsecond-line\nclean\n{SECRET}{SECRET}\r\n".encode()
    pieces = split(data, 1024, redact, chunk)
    assert pieces == [(line, True) for line in before(data, redact)]
    assert [text for text, _ends in pieces] == ["a ***", "***", "***", "clean", "******"]


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
    assert pieces[-1][1]


def test_a_flood_of_carriage_returns_is_not_held_back_without_bound() -> None:
    data = b"\r" * 300_000 + b"done\n"
    pieces = split(data, 4096)
    assert max(len(text) for text, _ends in pieces) < 4096 + 70_000
    assert joined(pieces) == before(data)
