"""A page read a second way: where GitHub's sanitizer removes an element, the stricter reading.

A page with an element GitHub removes is read twice (core/github_render.py): as written, and
with the removed elements' tags dropped one by one, since whether a removed element's end tag
closes what it holds is unsure. ``strictest`` keeps what holds both ways: a line is plain only
where it is plain in both; every denial either shows counts.

Most of the second page is the first one's blocks, written out the same. ``Known`` holds the
blocks the first reading walked where text is shown (not hidden, not in a paragraph's lines): a
block of the second page written out exactly as one of them (its tag, attributes and source
lines, and everything in it) shows the same denials, so the second reading passes over it,
unless a line in it was plain in the first reading (the second must say whether it is plain
too) or it holds an HTML comment (where a refused line is looked for). A page of 3,000 denials
under a removed element was walked twice: now once, and compared in C.

Pure: trees in, plain data out.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from selectolax.lexbor import LexborNode

from applygate.core.reasons import Reason
from applygate.core.shown_page import Shown

REMOVED_ELEMENT = Reason(
    "html-block", "after an element GitHub removes: whether its end closes what it holds is unsure"
)


@dataclass
class Known:
    """What the first reading walked (``Shown.blocks``), the lines plain in it (sorted), and
    how many characters of HTML may still be written out to compare blocks: a block written out
    at every level it is nested in would cost depth times size; once spent, blocks are walked.
    Each block the first reading kept is written out once, when first compared (forged source
    positions may give many small blocks the key of one large one)."""

    blocks: dict[tuple[int, int, str], LexborNode]
    plain: list[int]
    budget: int
    passed: int = 0  # blocks passed over (what benchmarks and tests look at)
    written: dict[tuple[int, int, str], str] = field(default_factory=dict)

    @classmethod
    def of(cls, first: Shown, page: str) -> Known:
        plain = sorted(number for number, value in first.plain.items() if isinstance(value, str))
        return cls(first.blocks, plain, 4 * len(page))

    def walked_alike(self, node: LexborNode, tag: str, lines: tuple[int, int]) -> bool:
        """Whether the first reading walked a block written out as ``node`` is, shown, with no
        line plain in it and no HTML comment."""
        key = (*lines, tag)
        before = self.blocks.get(key)
        if before is None or self.budget < 0:
            return False
        at = bisect_left(self.plain, lines[0])
        if at < len(self.plain) and self.plain[at] <= lines[1]:
            return False
        if key not in self.written:
            self.written[key] = before.html or ""
            self.budget -= len(self.written[key])
        written = node.html or ""
        self.budget -= len(written)
        alike = "<!--" not in written and written == self.written[key]
        self.passed += alike
        return alike


def strictest(shown: Shown, other: Shown) -> None:
    """``shown`` made to hold for both ways a sanitizer may remove elements: a line is plain
    only where it is plain in both, and every denial either shows counts."""
    differing = {
        number: value
        for number, value in shown.plain.items()
        if isinstance(value, str) and other.plain.get(number) != value
    }
    for number, why in other.contexts(differing).items():
        shown.plain[number] = why or REMOVED_ELEMENT
    if other.denials:  # (none when every block was passed over)
        known = set(shown.denials)  # most are shown alike both ways: each is placed once
        shown.denials.extend(denial for denial in other.denials if denial not in known)
