"""What is kept of a command's output for its report and its classification, within a bound
however much it prints.

A report shows the output's last lines (status.trim_output: 40 lines, 4,000 characters), and the
classification (classify.classify_output) asks which rule of the table matches anywhere in it,
the first rule winning. So the output is kept as its last lines plus, from all the lines before
them, the first line that each rule matches; a line says how many lines were left out where they
were, and the kept text reads as the output with gaps. Output within the bound is kept whole.

The rules match within a line, but for an HTTP status that may follow its name on the next line:
lines left out are searched a batch at a time, and a match is looked for within the line that
holds one of a rule's needles and the line after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from applygate.core.classify import OUTPUT_RULES, Rule
from applygate.core.status import MAX_MESSAGE_CHARS, MAX_MESSAGE_LINES

MAX_LINES = 1000
MAX_CHARS = 256 * 1024
# Characters that IGNORECASE matches to an ASCII letter but str.lower() does not turn into it.
_FOLDS = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"))


def gap_line(lines: int, chars: int) -> str:
    """The line that stands for lines left out (it matches no rule of the table)."""
    return f"… {lines:,} line{'s' if lines != 1 else ''} ({chars:,} characters) not kept …"


class OutputTail:
    """The last lines of an output (at most ``max_lines`` and about ``max_chars``, but never
    less than a report shows), and before them the first line that each of ``rules`` (in the
    order they are tried) matches, up to the first rule that matches anywhere.

    Lines are left out in batches, when the tail holds twice its limits (or at the end): each
    line costs an append, and a batch is searched for the rules at once."""

    def __init__(
        self,
        *,
        max_lines: int = MAX_LINES,
        max_chars: int = MAX_CHARS,
        rules: Sequence[Rule] = OUTPUT_RULES,
    ) -> None:
        self._max_lines = max_lines
        self._max_chars = max_chars
        self._unfound = list(rules)
        self._tail: list[str] = []
        self._tail_chars = 0  # characters in the tail, each line's newline counted
        self._count = 0  # lines before the tail (left out, or kept as hits): its first line's
        self._chars = 0  # number, and its offset in the output
        self._empty = 0  # empty lines at the end so far: a report does not show them
        self._hits: dict[int, tuple[int, str]] = {}  # line number -> (offset, line)

    def add(self, line: str) -> None:
        self.extend([line])

    def extend(self, lines: list[str]) -> None:
        """Lines that came one after another (each without its newline)."""
        last = len(lines)
        while last and not lines[last - 1]:
            last -= 1
        if not last:
            self._empty += len(lines)
            return
        if self._empty:
            self._add_empty()
        body = lines[:last] if last < len(lines) else lines
        self._tail.extend(body)
        self._tail_chars += sum(map(len, body)) + len(body)
        self._empty = len(lines) - last
        if len(self._tail) >= 2 * self._max_lines or self._tail_chars >= 2 * self._max_chars:
            self._cut()

    def text(self) -> str:
        """The kept lines, each ending with a newline: all of them when none was left out."""
        self._cut()
        shown: list[str] = []
        at = (0, 0)
        for number, (offset, line) in sorted(self._hits.items()):
            at = self._gap(shown, at, (number, offset))
            shown.append(line)
            at = (number + 1, offset + len(line) + 1)
        if self._tail:
            self._gap(shown, at, (self._count, self._chars))
            shown.extend(self._tail)
        shown.extend([""] * min(self._empty, self._max_lines))
        return "".join(f"{line}\n" for line in shown)

    @staticmethod
    def _gap(shown: list[str], at: tuple[int, int], to: tuple[int, int]) -> tuple[int, int]:
        if to[0] > at[0]:
            shown.append(gap_line(to[0] - at[0], to[1] - at[1]))
        return to

    def _add_empty(self) -> None:
        """The empty lines before a line that is not: into the tail (unless they alone would fill
        it: then what came before them is left out, and so are the first of them)."""
        blank, self._empty = self._empty, 0
        if blank > self._max_lines:
            self._leave_out(len(self._tail))
            self._count += blank - self._max_lines
            self._chars += blank - self._max_lines
            blank = self._max_lines
        self._tail.extend([""] * blank)
        self._tail_chars += blank
        self._cut()

    def _cut(self) -> None:
        """Leave out the oldest lines beyond the limits."""
        drop, over = 0, self._tail_chars - self._max_chars
        extra = len(self._tail) - self._max_lines
        for line in self._tail:
            if drop >= extra and (over <= 0 or not self._enough_after(drop + 1)):
                break
            drop += 1
            over -= len(line) + 1
        self._leave_out(drop)

    def _enough_after(self, drop: int) -> bool:
        """Would the tail without its first ``drop`` lines still hold all that trim_output shows?"""
        if len(self._tail) - drop > MAX_MESSAGE_LINES:
            return True
        lines = chars = 0
        for line in reversed(self._tail[drop:]):
            for part in line.splitlines() or [""]:
                lines += 1
                chars += len(part.rstrip()) + 1
            if lines > MAX_MESSAGE_LINES or chars > MAX_MESSAGE_CHARS:
                return True
        return False

    def _leave_out(self, drop: int) -> None:
        """The first ``drop`` lines of the tail go; the first match of each rule in them stays."""
        if drop <= 0:
            return
        block = "\n".join(self._tail[:drop]) + "\n"
        del self._tail[:drop]
        self._tail_chars -= len(block)
        number, offset = self._count, self._chars
        self._count += drop
        self._chars += len(block)
        found = first_matches(block, self._unfound) if self._unfound else []
        for _rule, match in found:
            self._keep_lines(block, match.start(), match.end(), number, offset)
        if found:  # the first rule that matches wins: those after it need not be looked for
            self._unfound = self._unfound[: self._unfound.index(found[0][0])]

    def _keep_lines(self, block: str, start: int, end: int, number: int, offset: int) -> None:
        first = block.rfind("\n", 0, start) + 1
        last = block.find("\n", max(end - 1, start))
        number += block.count("\n", 0, first)
        offset += first
        for line in block[first:last].split("\n"):
            self._hits[number] = (offset, line)
            number += 1
            offset += len(line) + 1


def first_matches(block: str, rules: Sequence[Rule]) -> list[tuple[Rule, re.Match[str]]]:
    """The earliest match in ``block`` (whole lines) of each rule that matches there.

    A rule's regex runs only around the lines holding one of its needles (the line and the next
    one, for a match across a line break); the needles are found in the lower-cased block."""
    low = block
    if not block.isascii():
        for odd, plain in _FOLDS:
            low = low.replace(odd, plain)
    low = low.lower()
    firsts: dict[str, int] = {}
    found = []
    for rule in rules:
        best = None if rule.needles else rule.pattern.search(block)
        for needle in rule.needles:
            if needle not in firsts:
                firsts[needle] = low.find(needle)
            match = _match_near(rule, block, low, needle, firsts[needle])
            if match is not None and (best is None or match.start() < best.start()):
                best = match
        if best is not None:
            found.append((rule, best))
    return found


def _match_near(rule: Rule, block: str, low: str, needle: str, at: int) -> re.Match[str] | None:
    """The rule's first match on a line holding ``needle`` (first found at ``at``) or the next."""
    while at >= 0:
        start = block.rfind("\n", 0, at) + 1
        end_of_line = block.find("\n", at)
        after = block.find("\n", end_of_line + 1)
        match = rule.pattern.search(block, start, (after if after >= 0 else end_of_line) + 1)
        if match is not None:
            return match
        at = low.find(needle, end_of_line + 1)
    return None
