"""What one walk of a rendered comment found (core/shown.py walks it), and where a line that is
not shown plain stands: inside which element, or inside an HTML comment.

Pure: plain data, and questions asked of it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from selectolax.lexbor import LexborNode

from applygate.core.element_reasons import HTML_COMMENT
from applygate.core.line_index import SEARCH_BUDGET, first_covering
from applygate.core.reasons import Reason


class ShownLine(NamedTuple):
    """A line of text as shown, with the source line it most likely came from (a tuple: one is
    made, hashed and compared for each shown denial, thousands in a page)."""

    line: int
    text: str


@dataclass
class Shown:
    plain: dict[int, str | Reason] = field(default_factory=dict)
    denials: list[ShownLine] = field(default_factory=list)
    containers: list[tuple[int, int, Reason]] = field(default_factory=list)
    # where, in the page's order of elements, each top-level paragraph (first line, last line,
    # place) and each table is: HTML5 moves text that stands inside a table before the table
    paragraphs: list[tuple[int, int, int]] = field(default_factory=list)
    tables: list[int] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # the text of every HTML comment
    # the blocks walked where text is shown (by lines and tag), when asked to keep them
    blocks: dict[tuple[int, int, str], LexborNode] = field(default_factory=dict, compare=False)
    asked: Sequence[int] = ()  # the source lines the reading was asked about (sorted)
    # the shown line past crowded.MAX_SHOWN_DENIALS starting a denial: the walk stopped there
    beyond: ShownLine | None = None
    _outer: dict[int, Reason] | None = field(default=None, repr=False, compare=False)  # once
    _commented: str | None = field(default=None, repr=False, compare=False)  # comments joined
    _searchable: int = field(default=SEARCH_BUDGET, repr=False, compare=False)  # characters

    def context(self, line: int, text: str) -> Reason | None:
        """Why a source line (of ``text``) is inside an element, if a Markdown block there
        says so (the first found, the outermost), or inside an HTML comment."""
        if self._outer is None:
            self._outer = first_covering(self.containers, self.asked)
        at = bisect_left(self.asked, line)
        if at < len(self.asked) and self.asked[at] == line:  # worked out already
            found = self._outer.get(line)
        else:
            found = next((why for a, b, why in self.containers if a <= line <= b), None)
        return found or (HTML_COMMENT if self._in_a_comment(text) else None)

    def contexts(self, texts: dict[int, str]) -> dict[int, Reason | None]:
        """``context`` of many source lines (each with its text) at once: each line's outermost
        container found in one pass over the containers, not one pass a line."""
        outer = first_covering(self.containers, sorted(texts))
        return {
            line: outer.get(line) or (HTML_COMMENT if self._in_a_comment(text) else None)
            for line, text in texts.items()
        }

    def _in_a_comment(self, text: str) -> bool:
        """Whether an HTML comment holds ``text``: one search in C over them joined by NUL
        (which a text without NUL cannot match across), within a budget: a thousand lines looked
        for in a 40 KB comment cost their product (219 ms); past it a line is said not shown
        rather than inside a comment (refused either way)."""
        if not text or not self.comments:
            return False
        if self._commented is None:
            self._commented = "\0".join(self.comments)
        if self._searchable < len(self._commented):
            return False
        self._searchable -= len(self._commented)
        if "\0" in text:
            return any(text in comment for comment in self.comments)
        return text in self._commented
