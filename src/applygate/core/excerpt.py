"""A long text's beginning and end, kept as it arrives; the middle is counted, not kept.

Verification reads a check's stdout (``stdout-contains``, ``stdout-matches``). All of it is kept
up to a bound; past it, the first and the last part are, each a true piece of the text, so that
a string found in one of them really was printed, and nothing is ever found across the gap.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

CHUNK = 64 * 1024  # the tail is kept in chunks of this many characters (fewer, longer strings)


@dataclass(frozen=True)
class Excerpt:
    """``head`` is all of the text when ``dropped`` is 0; otherwise ``dropped`` characters
    between ``head`` and ``tail`` were not kept."""

    head: str
    tail: str = ""
    dropped: int = 0

    def contains(self, needle: str) -> bool:
        """Does the kept text show ``needle``? Never true for a string that was not printed;
        false for one that was only in the middle."""
        return needle in self.head or (self.dropped > 0 and needle in self.tail)


class HeadTail:
    """Keeps the first ``head`` and the last ``tail`` characters of what it is given."""

    def __init__(self, head: int, tail: int) -> None:
        self._head_max = head
        self._tail_max = tail
        self._head: list[str] = []
        self._head_size = 0
        self._tail: deque[str] = deque()  # chunks of about CHUNK characters, oldest first
        self._tail_size = 0
        self._new: list[str] = []  # given since the last chunk
        self._new_size = 0
        self._after_head = 0  # characters given after the head was full

    def add(self, text: str) -> None:
        if self._head_size < self._head_max:
            room = self._head_max - self._head_size
            self._head.append(text[:room])
            self._head_size += len(self._head[-1])
            text = text[room:]
        self._after_head += len(text)
        self._new.append(text)
        self._new_size += len(text)
        if self._new_size >= CHUNK:
            self._chunk()

    def _chunk(self) -> None:
        self._tail.append("".join(self._new))
        self._tail_size += self._new_size
        self._new, self._new_size = [], 0
        while self._tail and self._tail_size - len(self._tail[0]) >= self._tail_max:
            self._tail_size -= len(self._tail.popleft())

    def excerpt(self) -> Excerpt:
        self._chunk()
        head = "".join(self._head)
        tail = "".join(self._tail)
        tail = tail[len(tail) - self._tail_max :] if len(tail) > self._tail_max else tail
        dropped = self._after_head - len(tail)
        return Excerpt(head, tail, dropped) if dropped else Excerpt(head + tail)
