"""What a reader is shown of a rendered comment, line by line.

One walk over the page GitHub shows (core/github_render.py) gives three readings:

- ``plain``: each line of a paragraph that sits directly in the page (inside no element at all),
  as its text when the line is nothing but text, else the reason it is not (the inline markup
  it carries). Only such a line can be an approval.
- ``denials``: every line a reader sees that holds ``User denied:`` wherever it is shown (list
  items, tables, headings, emphasis, any container that shows its text), leaving out only text a
  reader does not take as the person's own words: code, quotes, collapsed ``<details>``,
  struck-through text, HTML comments.
- ``containers``: the source lines of every Markdown block that sits inside an element, with the
  outermost element's reason, to say why a line there did not count.

Pure: a tree in, plain data out.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from selectolax.lexbor import LexborNode

from applygate.core.crowded import MAX_SHOWN_DENIALS
from applygate.core.denial_text import may_make_denial, shows_denial
from applygate.core.element_reasons import HIDING, HTML_COMMENT, INLINE, reason_for
from applygate.core.footnotes import drops_text, footnote_backref, footnote_mark
from applygate.core.github_render import source_lines
from applygate.core.reasons import Reason
from applygate.core.sanitizer import ALLOWED, REMOVED_WITH_CONTENT
from applygate.core.second_reading import Ending, Known
from applygate.core.shown_page import Shown, ShownLine

SPANS = Reason(
    "inline-markup",
    "in a paragraph whose markup (code, HTML, emphasis) runs across lines: no line of it counts",
)


@dataclass
class _Paragraph:
    first: int
    last: int
    lines: list[str | Reason] = field(default_factory=list)


class _Where(NamedTuple):  # a tuple: one is made for every element of the page
    outer: Reason | None  # the outermost element's reason (None: directly in the page)
    hidden: bool  # a reader does not take text here as the person's own words
    paragraph: bool  # directly inside a top-level paragraph


class _Reader:
    def __init__(
        self,
        lines: Sequence[int] | None,
        every_table: bool,
        keep: bool,
        known: Known | None,
        last_line: int | None = None,
    ) -> None:
        self._last_line = last_line  # a position past it is forged (``source_lines``)
        # the source lines the reading is asked about (sorted); None: every line
        self._asked = lines
        self._every_table = every_table  # a block not walked still says if it holds a table
        self._keep = keep  # the blocks walked where text is shown are kept (``Shown.blocks``)
        self._known = known  # a block it says was walked alike before is passed over
        self.shown = Shown(asked=lines or ())
        self._parts: list[str] = []
        self._markup: Reason | None = None  # the first markup met on the current line
        self._paragraph: _Paragraph | None = None
        self._hint = [1, 0]  # the nearest Markdown block's first line, breaks met inside it
        self._places = 0  # elements met so far
        self._denials = True  # the page may show a denial
        self._unread = 0  # how many more characters of blocks' text may be read to pass them over

    def read(self, first: LexborNode | None) -> Shown:
        # a block's text is a part of the page's: where the page has no denial, none has
        page = first.parser.text() if first is not None else ""
        self._denials = shows_denial(page)
        self._unread = 2 * len(page)  # a block's text is read at every level it is nested in
        # (else nothing is looked for: a crowded page of no denial, its text all read, unwalked)
        looked_for = self._asked != [] or self._every_table or self._denials
        if first is None or looked_for or drops_text(first.parser):
            self._siblings(first, _Where(None, False, False))
        self._flush()
        return self.shown

    def _siblings(self, child: LexborNode | None, where: _Where, collapsed: bool = False) -> None:
        # what is the same for every sibling, worked out once (a page may have thousands of them)
        inside_collapsed = _Where(where.outer, True, where.paragraph) if collapsed else where
        text_shown = not (where.hidden or collapsed)  # a text node is never a summary
        parts = self._parts  # one list for the reader's life: _flush clears it
        # a second reading: what the level ends with alike, asked after its first blocks
        # (``Known.alone``: compared one by one for less than writing the level out twice)
        ending: Ending | None = None
        blocks = 0
        passing = False  # every block from here on is passed over (``Ending``)
        while child is not None:
            tag = child.tag or ""
            if tag == "-text":
                text = child.text_content or ""
                # (a line feed that starts a line, as between blocks, is what a denial's text
                # is read without: the same line to the grammar and to _flush)
                if text_shown and (parts or text != "\n"):
                    parts.append(text)
                if not where.paragraph and self._markup is None:
                    self._markup = where.outer
            elif tag == "-comment":
                self._markup = self._markup or HTML_COMMENT
                self.shown.comments.append(child.comment_content or "")
            elif tag == "br":
                self._flush()
                self._hint[1] += 1
            elif tag not in REMOVED_WITH_CONTENT and (tag != "a" or not footnote_backref(child)):
                inner = inside_collapsed if collapsed and tag != "summary" else where
                self._places += 1
                if tag in INLINE:
                    if tag == "sup" and parts and parts[-1][-1:].strip() and footnote_mark(child):
                        parts.append("|")  # "op¹": "op", and "op|1" (read as a cell's end)
                    self._element(child, tag, inner, None)
                    child = child.next
                    continue
                if tag == "table":
                    self.shown.tables.append(self._places)
                if parts or self._paragraph is not None:
                    self._flush()
                self._markup = None  # a block starts a line
                if passing and "data-sourcepos" in child.attributes:
                    child = child.next
                    continue
                lines = source_lines(child, self._last_line)  # cmark marks blocks only
                known = self._known
                if known is not None and lines is not None and not where.paragraph:
                    blocks += 1
                    if ending is None and blocks > known.alone:
                        ending = known.ending(child, tag, lines)
                    passing = ending is not None and ending.holds(child, lines, known)
                if lines is None:
                    self._element(child, tag, inner, None)
                elif not passing and not self._passes_over(child, tag, inner, lines):
                    if self._keep and not inner.hidden and not inner.paragraph:
                        self.shown.blocks.setdefault((*lines, tag), child)
                    # a leaf: one text node in it, and nothing read there but that text (a
                    # one-line paragraph, a table cell, a heading, a list item's text): not a
                    # <details> that may hide it, not inside a paragraph's lines (which cmark-gfm
                    # never writes, but a raw element may claim a source position)
                    only = child.child
                    if (
                        only is not None
                        and only.next is None
                        and only.tag == "-text"
                        and tag != "details"
                        and not inner.paragraph
                    ):
                        self._leaf(child, only, tag, inner, lines)
                    else:
                        self._element(child, tag, inner, lines)
            child = child.next

    def _leaf(
        self, node: LexborNode, only: LexborNode, tag: str, where: _Where, lines: tuple[int, int]
    ) -> None:
        """A leaf ``node`` (its ``only`` text node) read as ``_element`` reads it, not walked
        into: a top-level paragraph as its one line, any other block as its container; its text
        as a line that may show a denial (1,500 denial cells walk in two thirds of the time)."""
        hidden = where.hidden or (tag in HIDING and tag in ALLOWED)
        text = "" if hidden else only.text_content or ""
        if tag == "p" and where.outer is None:  # a top-level paragraph: its line read plain
            self.shown.paragraphs.append((*lines, self._places))
            if lines[0] == lines[1]:  # (what _close_paragraph makes of one line)
                self.shown.plain[lines[0]] = text.strip(" \t\r\n")
            else:
                self._paragraph = _Paragraph(*lines, [text.strip(" \t\r\n")])
                self._close_paragraph()
        else:
            self.shown.containers.append((*lines, where.outer or reason_for(tag)))
        if may_make_denial(text):
            self._denial(lines[0], text)
        self._markup = None

    def _passes_over(
        self, node: LexborNode, tag: str, where: _Where, lines: tuple[int, int]
    ) -> bool:
        """Whether a Markdown block is not read: it was walked alike before (``Known``), or it
        holds no line asked about and no denial."""
        # (inside a paragraph's lines only with forged positions: walked as before)
        known = self._known
        if known is not None and not where.paragraph and known.walked_alike(node, tag, lines):
            return True
        asked = self._asked
        if asked is None:
            return False
        at = bisect_left(asked, lines[0])
        if at < len(asked) and asked[at] <= lines[1]:
            return False
        if self._denials:
            if self._unread < 0:  # spent: walked instead (a walk is bounded by the elements)
                return False
            text = node.text()
            self._unread -= len(text)
            if shows_denial(text):
                return False
        if self._every_table and node.css_first("table") is not None:
            self.shown.tables.append(self._places)  # the same order as the table's
        return True

    def _element(
        self, node: LexborNode, tag: str, where: _Where, lines: tuple[int, int] | None
    ) -> None:
        """An element met (and counted) and, for a block, a line ended before it."""
        block = tag not in INLINE
        top_paragraph = tag == "p" and where.outer is None and lines is not None
        why = reason_for(tag)
        if where.paragraph or not top_paragraph:
            self._markup = self._markup or why
        outer = where.outer or (None if top_paragraph else why)
        if lines is not None and not top_paragraph:
            self.shown.containers.append((*lines, outer or why))
        # an element the sanitizer removes shows its text as it is: only kept ones hide it
        hidden = where.hidden or (tag in HIDING and tag in ALLOWED)
        saved = self._hint
        if lines is not None:
            self._hint = [lines[0], 0]
        if top_paragraph:
            assert lines is not None  # noqa: S101 - top_paragraph says so
            self._paragraph = _Paragraph(*lines)
            self.shown.paragraphs.append((*lines, self._places))
            self._markup = None
        collapsed = tag == "details" and "open" not in node.attributes  # "open" is kept
        self._siblings(node.child, _Where(outer, hidden, top_paragraph), collapsed)
        if block:
            self._flush()
        if top_paragraph:
            self._close_paragraph()
        self._hint = saved

    def _flush(self) -> None:
        if self._paragraph is not None or self._parts:
            text = "".join(self._parts)
            if self._paragraph is not None:
                self._paragraph.lines.append(self._markup or text.strip(" \t\r\n"))
            if may_make_denial(text):
                self._denial(self._hint[0] + self._hint[1], text)
            self._parts.clear()
        self._markup = None

    def _denial(self, line: int, text: str) -> None:
        """A shown line that may make a denial; past ``MAX_SHOWN_DENIALS``, the walk stops."""
        denials = self.shown.denials
        denials.append(ShownLine(line, text))
        if len(denials) > MAX_SHOWN_DENIALS:
            self.shown.beyond = denials[-1]
            raise _CrowdedError

    def _close_paragraph(self) -> None:
        paragraph = self._paragraph
        assert paragraph is not None  # noqa: S101 - called after opening one
        self._paragraph = None
        count = paragraph.last - paragraph.first + 1
        lines = paragraph.lines
        if len(lines) != count:  # markup swallowed or added line breaks: lines do not map
            lines = [SPANS] * count
        for number, value in enumerate(lines, start=paragraph.first):
            self.shown.plain[number] = value


def read(
    first: LexborNode | None,
    lines: Iterable[int] | None = None,
    *,
    every_table: bool = False,
    keep: bool = False,
    known: Known | None = None,
    last_line: int | None = None,
) -> Shown:
    """Every reading of a rendered comment, given its first top-level node (see the module's
    docstring). With ``lines``, only what those source lines need is read, and every denial: a
    Markdown block that holds none of them and no ``User denied:`` is not walked (``plain`` and
    ``containers`` then cover those lines only, and ``paragraphs`` the paragraphs walked). With
    ``every_table`` too, such a block that holds a table takes the table's place in ``tables``:
    whether a table follows a paragraph read is answered as over the whole page. With ``keep``,
    the blocks walked where text is shown are kept in ``blocks``; with ``known``, a block it
    says was walked alike before is not walked, nor any from where a level ends alike
    (core/second_reading.py: a page read a second way). Past ``MAX_SHOWN_DENIALS`` lines that
    may make a denial the walk stops, the last of them in ``beyond`` (core/crowded.py). With
    ``last_line`` (the comment's line count), a block claiming a line past it is read as raw."""
    ordered = None if lines is None else sorted(set(lines))
    reader = _Reader(ordered, every_table, keep, known, last_line)
    try:
        return reader.read(first)
    except _CrowdedError:  # (``Shown.beyond`` says where: the rest is not read)
        return reader.shown


class _CrowdedError(Exception):
    """More shown lines start a denial than ``MAX_SHOWN_DENIALS``: the walk stops."""
