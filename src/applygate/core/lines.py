"""A command's raw output, as it is read, turned into redacted lines without unbounded memory.

Whole lines come out as they always did (UTF-8, a byte that is not UTF-8 shown as ``\\xNN`` so
that different bytes stay different, the line ending dropped, secrets
masked), many at a time. A line longer than ``limit`` bytes comes out in pieces, cut where
``readline(limit)`` would cut it, so that a line without a newline for gigabytes cannot fill the
memory; no secret is ever left unmasked across a cut.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from applygate.core.redact import Redactor

MAX_RETURNS = 64 * 1024  # carriage returns held back at most at the end of a piece
_RETURNS = re.compile(r"\r+\n")


class Batch(NamedTuple):
    """Redacted lines (without their newline) and pieces of longer lines, in order; ``ends[i]``:
    ``texts[i]`` is the last piece of its line (so is every whole line)."""

    texts: list[str]
    ends: list[bool]


class LineSplitter:
    """One stream's output, given as it is read, as batches of redacted text."""

    def __init__(self, redact: Redactor, limit: int) -> None:
        self._redact = redact
        self._limit = limit
        self._raw = b""  # the start of a line, not yet ended (shorter than the limit)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="backslashreplace")
        # A piece holds back what a secret cut at its end could still need (within one line).
        longest = max((len(s) for s in redact.secrets if "\n" not in s), default=0)
        self._hold = max(longest - 1, 0)
        self._carry = ""  # redacted text held back from the previous piece of this line
        self._open = False  # a line is being given in pieces

    def feed(self, chunk: bytes) -> Batch:
        data = self._raw + chunk
        end = data.rfind(b"\n") + 1
        if self._open or end > self._limit:  # a line may be longer than the limit
            texts: list[str] = []
            ends: list[bool] = []
            self._raw = self._by_reads(data, texts, ends)
            return Batch(texts, ends)
        self._raw = data[end:]
        texts = self._whole_lines(data[:end]) if end else []
        ends = [True] * len(texts)
        if len(self._raw) >= self._limit:
            self._raw = self._by_reads(self._raw, texts, ends)
        return Batch(texts, ends)

    def finish(self) -> Batch:
        """The end of the stream: the last line, if it had no newline."""
        if not (self._raw or self._open):
            return Batch([], [])
        piece = self._read(self._raw, whole=True)
        self._raw = b""
        return Batch([piece[0]], [True]) if piece else Batch([], [])

    def _whole_lines(self, block: bytes) -> list[str]:
        """Lines, each ending with its newline in ``block``, all at once (as one at a time)."""
        text = block.decode("utf-8", "backslashreplace")  # a newline never splits a character
        if "\r" in text:
            text = _RETURNS.sub("\n", text)
        lines = text.split("\n")
        lines.pop()
        if self._redact(text) is text:  # no secret anywhere: none in any line
            return lines
        return [self._redact(line) for line in lines]

    def _by_reads(self, data: bytes, texts: list[str], ends: list[bool]) -> bytes:
        """What ``readline(limit)`` would read from ``data``, read after read; the rest."""
        while data:
            newline = data.find(b"\n", 0, self._limit)
            if newline < 0 and len(data) < self._limit:
                break
            size = newline + 1 if newline >= 0 else self._limit
            piece = self._read(data[:size], whole=newline >= 0)
            data = data[size:]
            if piece is not None:
                texts.append(piece[0])
                ends.append(piece[1])
        return data

    def _read(self, raw: bytes, *, whole: bool) -> tuple[str, bool] | None:
        """One read: a whole line, or the start, middle or end of a longer one."""
        if whole and not self._open:
            return self._redact(raw.decode("utf-8", "backslashreplace").rstrip("\r\n")), True
        text = self._carry + self._decoder.decode(raw, final=whole)
        if whole:
            self._carry, self._open = "", False
            return self._redact(text.rstrip("\r\n")), True
        masked = self._redact(text)
        cut = self._cut(masked)
        self._carry, self._open = masked[cut:], True
        return (masked[:cut], False) if cut else None

    def _cut(self, masked: str) -> int:
        """Where to cut: before the held-back characters and the line's last character that is not
        a carriage return (those before a newline are dropped with it, so none may end a piece
        before the line's end is seen, and its last piece is never empty)."""
        content = len(masked.rstrip("\r"))
        cut = min(len(masked) - self._hold, content - 1)
        cut = len(masked[: max(cut, 0)].rstrip("\r"))
        if len(masked) - cut > self._hold + MAX_RETURNS:  # a flood of them: not held back
            cut = len(masked) - self._hold
        return cut
