"""Where a level of the second page ends as the first page's level of the same blocks does,
every block from there is passed over (core/second_reading.Ending), and that changes nothing
scan reads; only where blocks stand in source order, each at a position of its own."""

from __future__ import annotations

import pytest
from tests.support.second_reading import first_reading, strictest_of

from applygate.core.crowded import MAX_SHOWN_DENIALS
from applygate.core.github_render import Rendered, render
from applygate.core.reading import in_source_order, scan
from applygate.core.second_reading import ALONE, Known, strictest
from applygate.core.shown import read
from applygate.core.token import Kind, Token

OP = "terraform apply prod/vpc"
_P5 = 'p[data-sourcepos^="5:"]'  # the paragraph on line 5


# --- where a level ends alike, every block from there is passed over (second_reading.Ending) ---


def test_a_page_read_twice_is_walked_once_from_where_its_levels_end_alike() -> None:
    """As many paragraphs as a comment may show denials after an unclosed removed element: the
    second page's own level ends as the element's level as written does; its first ALONE
    paragraphs are compared alone, every other passed over from the next on; every denial
    counts."""
    count = MAX_SHOWN_DENIALS
    body = "<foo>\n\n" + "".join(f"User denied: op{i}\n\n" for i in range(count))
    shown, passed = strictest_of(body, pass_over=True)
    assert passed == ALONE + 1 and len(shown.denials) == count
    tokens = {line.token for line in scan(body)}
    assert {Token(Kind.DENIAL, f"op{i}") for i in range(count)} <= tokens


def test_an_approval_where_both_pages_end_alike_counts() -> None:
    """A removed element closed in the first paragraph: both pages' own blocks after it are
    written out alike, so their plain lines are read alike (Known.agreed) and an approval among
    them counts, as when each was walked again."""
    denials = "".join(f"User denied: d{i}\n\n" for i in range(50))  # lines 3, 5, ... 101
    body = "<foo>x</foo>\n\n" + denials + f"User approved: {OP}\n\n" + "y\n\n" * 300
    page = first_reading(body)
    strictest(page.first, read(page.other, page.candidates, known=page.known), page.known.agreed)
    # (paragraph k stands on line 2k - 1: the first that is not compared alone is the next)
    assert page.known.agreed == 2 * (ALONE + 1) - 1 and page.known.passed == 1
    assert page.first.plain[103] == f"User approved: {OP}"
    assert Token(Kind.APPROVAL, OP) in {line.token for line in scan(body)}


# A red team's (20:55): the paragraph a Markdown table took its header from is written at
# "0:0-0:0" (and the table at the paragraph's first line). An ending that began there made every
# line from line 0 on "read alike", and an approval the second page strikes through (or puts in
# a <div> the removed element's end no longer closes) counted.
@pytest.mark.parametrize(
    "body",
    [
        "<foo>\n<del>\n</foo>\n\nUser approved: op\n\n</del>\n\nUser denied: x\n| a |\n|---|",
        "<marquee>\n<div>\n</marquee>\n\nUser approved: op\n\n</div>\n\n"
        "User denied: x\n| a |\n|---|",
    ],
)
def test_no_approval_counts_where_a_table_wrote_a_paragraph_out_of_order(body: str) -> None:
    assert not in_source_order(body, _html(body))
    assert [line.token for line in scan(body) if line.number == 5] == [None]


@pytest.mark.parametrize(
    ("body", "ordered"),
    [
        ("<foo>\n\nUser denied: x\n\n| a |\n|---|\n", True),  # a table of its own
        ("<foo>\n\nUser denied: x\n| a |\n|---|\n", False),  # its header taken from a paragraph
        ("<foo>\n\n<table><tr><td>x</td></tr></table>\n", False),  # raw: HTML5 moves text out
        ('<foo>\n\n<p data-sourcepos="9:1-9:1">x</p>\n', False),  # written by the comment
    ],
)
def test_which_pages_stand_in_source_order(body: str, ordered: bool) -> None:
    assert in_source_order(body, _html(body)) is ordered


def _html(body: str) -> str:
    rendered = render(body)
    assert isinstance(rendered, Rendered)
    return rendered.html


def test_no_level_ends_alike_where_blocks_may_be_out_of_source_order() -> None:
    """A comment that writes source positions, or a raw table (HTML5 may move a paragraph out of
    it): blocks are compared one by one."""
    body = "<foo>\n\n- User denied: a\n- b\n"
    page = first_reading(body)
    unordered = Known.of(page.first, "", ordered=False)
    block = page.other.parser.css_first("ul")
    assert block is not None
    ending = unordered.ending(block, "ul", (3, 4))
    assert ending is not None and not ending.holds(block, (3, 4), unordered)
    assert page.known.ending(block, "ul", (3, 4)) is not None


def test_a_nested_level_is_not_passed_over_before_a_line_plain_in_the_first_reading() -> None:
    """Where the levels are not both the pages' own, a block passed over would not say whether
    a line in it is plain: from a line plain in the first reading on, none is."""
    body = "<foo>\n\n- User denied: a\n- b\n"
    page = first_reading(body)
    block = page.other.parser.css_first("ul")
    assert block is not None
    ending = page.known.ending(block, "ul", (3, 4))
    assert ending is not None and not ending.top
    page.known.plain = [9]
    assert not ending.holds(block, (3, 4), page.known)


def test_a_level_ends_alike_only_after_its_last_html_comment() -> None:
    """A block holding an HTML comment (where a refused line is looked for) is compared alone,
    as walked_alike compares it."""
    body = "<foo>\n\n- a <!-- c -->\n\nUser denied: x\n"
    page = first_reading(body)
    listed, after = page.other.parser.css_first("ul"), page.other.parser.css_first(_P5)
    assert listed is not None and after is not None
    ending = page.known.ending(after, "p", (5, 5))
    assert ending is not None
    assert not ending.holds(listed, (3, 3), page.known)
    assert ending.holds(after, (5, 5), page.known)
