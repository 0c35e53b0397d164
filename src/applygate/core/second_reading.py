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

A level of thousands of blocks (3,500 paragraphs after a removed element) was still compared a
block at a time: 9-14 ms. Where a level of the second page ends as the first page's level of
the same blocks does (``Ending``: the two written out, their common ending found in C), every
block from the first in that ending on is passed over without a comparison: 3-5 ms.

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


ALONE = 16


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
    # blocks are in source order, each position its own (reading.in_source_order): the caller
    # says so, never a default (a level ending only holds there)
    ordered: bool
    passed: int = 0  # blocks passed over, alone or with the rest of a level (for tests)
    written: dict[tuple[int, int, str], str] = field(default_factory=dict)
    # the first line from which both pages' own blocks are written out alike (``Ending``)
    agreed: int | None = None
    # how many blocks of a level are compared one by one before asking where it ends alike:
    # 3,500 paragraphs compared alone cost 9 ms; writing out a level of 190 KB twice and finding
    # their common ending, 1.5 ms (wasted where a level of a few blocks ends alike nowhere)
    alone: int = ALONE

    @classmethod
    def of(cls, first: Shown, page: str, ordered: bool) -> Known:
        plain = sorted(number for number, value in first.plain.items() if isinstance(value, str))
        return cls(first.blocks, plain, 4 * len(page), ordered)

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

    def ending(self, node: LexborNode, tag: str, lines: tuple[int, int]) -> Ending | None:
        """What the second page's level of ``node`` (a block) and the first page's level of the
        block the first reading walked under its key end with alike, or None when there is no
        such block (asked again at the next block of the level)."""
        before = self.blocks.get((*lines, tag))
        if before is None:
            return None
        if not self.ordered or self.budget < 0:
            return Ending("", 1)  # (none: each block is compared alone)
        second = (node.parser.html if node.parent is None else node.parent.inner_html) or ""
        first = (before.parser.html if before.parent is None else before.parent.inner_html) or ""
        self.budget -= len(first) + len(second)
        # where the ending both write out starts: after the last HTML comment in it, whose text
        # is where a refused line is looked for (each block with one is compared alone)
        start = max(len(second) - _common_ending(first, second), second.rfind("<!--") + 1)
        return Ending(second, start, top=node.parent is None and before.parent is None)


@dataclass
class Ending:
    """A level of the second page (written out) that ends from ``start`` as the first page's
    level of the same blocks ends. A block written out there stands, with every sibling after
    it, where the first page writes them: the same blocks in the same order (two strings of
    whole sibling nodes, written out alike, are the same nodes), which the first reading read
    as it read the block it kept there, shown (siblings are read alike, but for a collapsed
    ``<details>``'s summary, which no Markdown block is). So the second reading passes over
    every block from the first there: the denials they show, the first reading read (or passed
    over, showing none). A line plain in the first reading is read alike too where both levels
    are the pages' own (from that block's first line on: ``Known.agreed``); elsewhere no such
    line may come after it (a block passed over would not say whether it is plain).

    (Its start tag's "<" is where it starts: the position its source position is written at
    lies after it.)"""

    html: str
    start: int
    found: int = 0  # where the last block looked for was written (they are in order)
    top: bool = False

    def holds(self, node: LexborNode, lines: tuple[int, int], known: Known) -> bool:
        """Whether ``node`` (the level's next block, at ``lines``) is written out in the
        ending, its plain lines (if any) read alike: from it on, every block is passed over."""
        if self.start > len(self.html):
            return False
        # (a text may hold the same characters, a backslash escaping them in the comment: only
        # before the block's own tag, so the "<" found from there stands before it too)
        at = self.html.find(
            f' data-sourcepos="{node.attributes.get("data-sourcepos")}"', self.found
        )
        if at < 0:
            return False
        self.found = at
        if self.html.rfind("<", 0, at) < self.start:  # (its start tag's "<")
            return False
        if self.top:
            known.agreed = lines[0]
        elif bisect_left(known.plain, lines[0]) < len(known.plain):
            self.start = len(self.html) + 1  # a line after it is plain in the first reading
            return False
        known.passed += 1
        return True


def _common_ending(first: str, second: str) -> int:
    """How many characters ``first`` and ``second`` end with alike, compared in C: the whole
    of the shorter first, then halving."""
    shorter = min(len(first), len(second))
    if first.endswith(second[len(second) - shorter :]):
        return shorter
    low, high = 0, shorter  # low alike, high not
    while high - low > 1:
        middle = (low + high) // 2
        if first.endswith(second[len(second) - middle :]):
            low = middle
        else:
            high = middle
    return low


def strictest(shown: Shown, other: Shown, agreed: int | None = None) -> None:
    """``shown`` made to hold for both ways a sanitizer may remove elements: a line is plain
    only where it is plain in both (or, from line ``agreed`` on, where both pages' own blocks
    are written out alike: read alike), and every denial either shows counts."""
    differing = {
        number: value
        for number, value in shown.plain.items()
        if isinstance(value, str)
        and other.plain.get(number) != value
        and (agreed is None or number < agreed)
    }
    for number, why in other.contexts(differing).items():
        shown.plain[number] = why or REMOVED_ELEMENT
    if other.denials:  # (none when every block was passed over)
        known = set(shown.denials)  # most are shown alike both ways: each is placed once
        shown.denials.extend(denial for denial in other.denials if denial not in known)
