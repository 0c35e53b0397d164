"""A command's raw output as redacted text, read a bounded piece at a time.

The shell reads each stream a line at a time but never more than a limit at once, so a line
without a newline for gigabytes cannot fill the memory. A line within the limit comes out as it
always did (UTF-8 with replacement, its line ending dropped, secrets masked); a longer one comes
out in pieces, and no secret is ever left unmasked across the cut between two pieces.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

from applygate.core.redact import Redactor

MAX_RETURNS = 64 * 1024  # carriage returns held back at most at the end of a piece


class Piece(NamedTuple):
    """Redacted text of one line; ``ends_line``: the line's last piece (most lines have one)."""

    text: str
    ends_line: bool


class LineSplitter:
    """One stream's raw reads (each a whole line, or the start of a longer one) as pieces."""

    def __init__(self, redact: Redactor) -> None:
        self._redact = redact
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        # A piece holds back what a secret cut at its end could still need (within one line).
        longest = max((len(s) for s in redact.secrets if "\n" not in s), default=0)
        self._hold = max(longest - 1, 0)
        self._carry = ""  # redacted text held back from the previous piece of this line
        self._open = False  # a line has started and not ended

    def feed(self, raw: bytes, *, whole: bool) -> Piece | None:
        """``raw`` as read; ``whole``: it ends its line (a newline, or the end of the stream).
        None when all of it is held back for the next piece."""
        if whole and not self._open:  # a line read at once, as almost all are
            return Piece(self._redact(raw.decode("utf-8", "replace").rstrip("\r\n")), True)
        text = self._carry + self._decoder.decode(raw, final=whole)
        if whole:
            self._carry, self._open = "", False
            return Piece(self._redact(text.rstrip("\r\n")), ends_line=True)
        masked = self._redact(text)
        cut = self._cut(masked)
        self._carry, self._open = masked[cut:], True
        return Piece(masked[:cut], ends_line=False) if cut else None

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

    def finish(self) -> Piece | None:
        """The end of the stream: the rest of a line that a read left open, if any."""
        return self.feed(b"", whole=True) if self._open else None
