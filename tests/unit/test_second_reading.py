"""A page read a second way passes over the blocks the first reading walked alike
(core/second_reading.py), and that changes nothing: the strictest reading of the two is the
same as when the second page is walked whole, for any comment with an element GitHub removes;
and each reason ``walked_alike`` has to walk a block again is needed (table below).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborNode
from tests.support.second_reading import first_reading, strictest_of

from applygate.core.crowded import MAX_SHOWN_DENIALS
from applygate.core.github_render import Rendered, render
from applygate.core.reading import scan
from applygate.core.sanitizer import drop_tags
from applygate.core.second_reading import Known
from applygate.core.token import Kind, Token, token_like_lines

OP = "terraform apply prod/vpc"
# a tag as the sanitizer's removal reads one: a name of ASCII letters, digits and hyphens, ended
# by any white space, "/" or ">"
TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*>")

# lines of a comment: removed elements opened, closed and both; elements that hide, list items,
# cells, headings, quotes, comments, raw blocks, and token lines in each
LINES = (
    "<foo>", "</foo>", "<foo></foo>", "<u>x</u>", "<font>", "</font>", "<span>", "</span>",
    "<details>", "</details>", "<div>", "</div>", "<del>", "<!-- User denied: a -->",
    "User approved: a", "User denied: a", "User denied: b", "x User denied: c",
    "- User denied: d", "- x", "# User denied: e", "> User denied: f", "| User denied: g |",
    "|---|", "| a | User denied: h |", "<p>User denied: i</p>", "User <foo>denied</foo>: j",
    "", "", "text", "`User denied: k`", "~~User denied: l~~", "1. User approved: a",
    # a removed element's end closing (or not) what hides: struck-through text, <details>
    "<s>", "</s>", "<foo><del></foo>", "<del><foo></del>", "<foo><details></foo>", "</del>",
    # a comment holding a token line's text; positions a raw element writes itself
    "- x <!-- User approved: a -->", "<!-- User approved: a -->",
    '<p data-sourcepos="2:1-2:9">User denied: z</p>',
    'x <foo data-sourcepos="3:1-3:3">User denied: q</foo>',
    '<div data-sourcepos="1:1-1:1">User denied: r</div>',
    # a removed element that bounds scope: an end tag inside it closes nothing there
    "<blockquote><object>", "</blockquote>", "<del><marquee>", "<details><applet>",
    # a table that takes its header from a paragraph's last line
    "User denied: t\n| a |\n|---|",
)  # fmt: skip
# a removed element left open (what follows is inside it as written) or closed at once (what
# follows is the page's own both ways: where both pages end alike, Ending.top)
HEADS = (
    "<foo>\n", "<foo>x</foo>\n\n", "x <foo>y</foo> z\n\n", "<u>x</u>\n",
    "<foo>\n<del>\n</foo>\n\n",  # what </foo> closes as written stays open when it is dropped
)  # fmt: skip
BODIES = st.tuples(
    st.sampled_from(HEADS), st.lists(st.sampled_from(LINES), min_size=1, max_size=40)
).map(lambda head_lines: head_lines[0] + "\n".join(head_lines[1]))


@settings(max_examples=1500, deadline=None)
@given(BODIES)
def test_passing_over_blocks_read_alike_changes_no_reading(body: str) -> None:
    """What scan reads of the strictest reading: the token-like lines' plain values and every
    denial. (Not every line's: a block passed over spends none of the text budget a walk
    spends, so a walk may go on to read lines no token-like line is on: a red team's finding.)"""
    quick, _ = strictest_of(body, pass_over=True, alone=1)  # (every level asked, from its 2nd)
    whole, _ = strictest_of(body, pass_over=False)
    asked = token_like_lines(body)
    assert {n: quick.plain.get(n) for n in asked} == {n: whole.plain.get(n) for n in asked}
    assert quick.denials == whole.denials


def test_a_crowded_page_under_a_removed_element_is_walked_once() -> None:
    """As many denial list items as a comment may show inside an unclosed removed element: the
    second page's list is the first one's, compared whole and passed over; every denial still
    counts."""
    count = MAX_SHOWN_DENIALS
    body = "<foo>\n\n" + "".join(f"- User denied: op{i}\n" for i in range(count))
    shown, passed = strictest_of(body, pass_over=True)
    assert passed == 1 and len(shown.denials) == count
    tokens = {line.token for line in scan(body)}
    assert {Token(Kind.DENIAL, f"op{i}") for i in range(count)} <= tokens


_P3 = 'p[data-sourcepos^="3:"]'  # the paragraph on line 3


def _block(body: str, css: str) -> tuple[Known, LexborNode]:
    """What the first reading of ``body`` knows, and the second page's first ``css`` block."""
    page = first_reading(body)
    block = page.other.parser.css_first(css)
    assert block is not None
    return page.known, block


@pytest.mark.parametrize(
    ("body", "css", "tag", "lines", "alike"),
    [
        ("<foo>\n\n- User denied: a\n- b\n", "ul", "ul", (3, 4), True),  # written out alike
        ("<foo>\n\n- User denied: a\n- b<!-- c -->\n", "ul", "ul", (3, 4), False),  # a comment
        ("<foo></foo>\n\n- User denied: a\n", "ul", "ul", (3, 3), True),
        ("<foo>\n\n- User denied: a\n", "ul", "ul", (3, 4), False),  # other source lines
        ("<foo>\n\n- User denied: a\n", "ul", "ol", (3, 3), False),  # another tag
        # a top-level paragraph plain in the first reading: the second says if it is plain too
        # (it is written out alike: only the plain line keeps it from being passed over)
        ("<foo></foo>\n\nUser approved: a\n", _P3, "p", (3, 3), False),
        ("<foo></foo>\n\n> User approved: a\n", "blockquote", "blockquote", (3, 3), True),
        # hidden in the first reading (struck through): its denials were not read there
        ("<del>\n<foo>\n\n- User denied: a\n", "ul", "ul", (4, 4), False),
    ],
)
def test_which_blocks_are_walked_alike(
    body: str, css: str, tag: str, lines: tuple[int, int], alike: bool
) -> None:
    known, block = _block(body, css)
    assert known.walked_alike(block, tag, lines) is alike


def test_once_its_budget_is_spent_every_block_is_walked() -> None:
    known, block = _block("<foo>\n\n- User denied: a\n- b\n", "ul")
    assert known.walked_alike(block, "ul", (3, 4))
    known.budget = -1
    assert not known.walked_alike(block, "ul", (3, 4))


def test_each_comparison_spends_what_it_writes_out() -> None:
    known, block = _block("<foo>\n\n- User denied: a\n- b\n", "ul")
    known.budget = 2 * len(block.html or "") - 1  # both blocks written out, once
    assert known.walked_alike(block, "ul", (3, 4))
    assert not known.walked_alike(block, "ul", (3, 4))


# --- the second page: the removed elements' tags dropped, whatever white space ends a name -----

SOUP_PIECES = [
    "<foo", "<FOO", "</foo", "<foo-bar", "<Foo-Bar", "<\u017foo", "<\u212aey", "<key", "<b",
    "</b", "<", ">", "/", " ", "\t", "\n", "\xa0", "\x1c", "\x1f", "\x85", "\u2028", "\u3000",
    "x", "a=1", "User denied: op",
]  # fmt: skip
TAG_SOUP = st.lists(st.sampled_from(SOUP_PIECES), max_size=30).map("".join)


@settings(max_examples=1000, deadline=None)
@given(TAG_SOUP)
def test_the_second_page_drops_each_removed_tag_as_one_by_one(html: str) -> None:
    removed = frozenset({"foo", "foo-bar", "key", "soo"})
    one_by_one = TAG.sub(lambda tag: "" if tag.group(1).lower() in removed else tag[0], html)
    assert drop_tags(html, removed) == one_by_one


# Found by the red team of this change: a removed tag whose name ends in white space outside
# ASCII was counted as removed but not dropped, and the denial after it was lost.
@pytest.mark.parametrize(
    ("body", "scope"),
    [
        ("<div>\nUser denied: <x\u00a0>deploy", "deploy"),
        ("<a>\nUser <o>denied: <o\x85>U", "U"),
    ],
)
def test_a_denial_after_a_tag_ended_by_white_space_outside_ascii_counts(
    body: str, scope: str
) -> None:
    assert Token(Kind.DENIAL, scope) in {line.token for line in scan(body)}


@pytest.mark.parametrize(
    ("body", "twice"),
    [
        ("<foo>\n\nUser approved: x", True),
        ("x <FOO/> y\n\nUser approved: x", True),
        ("`<foo>`\n\nUser approved: x", False),  # written in code: no element at all
        ("    <foo>\n\nUser approved: x", False),
        ("<div>\n\nUser approved: x", False),  # an element GitHub keeps
    ],
)
def test_a_page_is_read_a_second_way_only_with_an_element_github_removes(
    body: str, twice: bool
) -> None:
    rendered = render(body)
    assert isinstance(rendered, Rendered)
    assert (rendered.other is not None) is twice


def test_a_block_the_first_reading_kept_is_written_out_once() -> None:
    """Forged positions give many small blocks the key of one large block the first reading
    kept: it is written out, and its length spent, once however many are compared with it (a
    reviewer's body of 882 such blocks read in 235 ms when each comparison wrote it out again)."""
    big = '<div data-sourcepos="1:1-1:1">\n\n' + "- User denied: a *b*\n" * 300 + "\n</div>\n"
    small = '<div data-sourcepos="1:1-1:1">x</div>\n'
    body = "<foo>\n\n" + big + small * 3
    page = first_reading(body)
    known = page.known
    kept = known.blocks[(1, 1, "div")]
    block = page.other.parser.css("div")[-1]
    written = len(block.html or "")
    budget = known.budget
    for spent in (len(kept.html or "") + written, written):
        assert not known.walked_alike(block, "div", (1, 1))
        assert budget - known.budget == spent
        budget = known.budget


# <object> (removed by GitHub) bounds the scope an end tag looks in: as written, </blockquote>
# closes nothing and the list after it stays in the quote (hidden); with <object> dropped it
# does, and the list is shown. The first reading must not keep a block it read hidden for the
# second to pass over: the denial was lost when it did.
HIDDEN_FIRST = [
    "<blockquote><object>\n\n</blockquote>\n\n- User denied: a\n",
    "<blockquote>\n<object>\n\n</blockquote>\n\n- User denied: a\n",
    "<del><object>\n\n</del>\n\n- User denied: a\n",
]


@pytest.mark.parametrize("body", HIDDEN_FIRST)
def test_a_block_hidden_as_written_and_shown_tags_dropped_counts(body: str) -> None:
    assert Token(Kind.DENIAL, "a") in {line.token for line in scan(body)}
