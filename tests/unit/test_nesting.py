"""How deep a page nests and how many elements its end tags make, counted before it is parsed
(core/nesting.py), held to the tree lexbor really builds (the oracle: HTML5's own rules)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser, LexborNode
from tests.support.reading import approvals, denials

from applygate.core.github_render import TOO_DEEP, TOO_LARGE, elements, render
from applygate.core.nesting import nesting
from applygate.core.token import Kind, Token


def _tree(html: str) -> tuple[int, int]:
    """The depth and the number of elements of the fragment HTML5 builds of ``html``."""
    deepest = count = 0
    node = LexborHTMLParser(html, is_fragment=True).root
    stack: list[tuple[LexborNode, int]] = []
    while node is not None:
        stack.append((node, 1))
        node = node.next
    while stack:
        node, level = stack.pop()
        if node.tag not in ("-text", "-comment"):
            count, deepest = count + 1, max(deepest, level)
        child = node.child
        while child is not None:
            stack.append((child, level + 1))
            child = child.next
    return deepest, count


@pytest.mark.parametrize(
    ("tags", "deepest", "made"),
    [
        ("<div><div></div></div>", 2, 0),
        ("<div></div><div></div>", 1, 0),
        ("<q></p><q></p><q></p>", 3, 3),  # end tags that close nothing are no level less
        ("</zz></zz><b>", 1, 2),  # each costs HTML5 a search, as an element does
        ("<p>x</p>", 1, 0),
        ("</p></p>", 0, 2),  # each makes an empty paragraph
        ("<p><div></p>", 2, 1),  # the <div> closed the paragraph
        ("<div><p></div></p>", 2, 1),  # so did </div>
        ("<p><b></b></p>", 2, 0),
        ("<p>a<hr></p>", 1, 1),  # "<hr>" closed the paragraph (found reading the change again)
        ("</br><br>", 0, 1),  # a line break, as <br> (void: no level)
        ('<p data-sourcepos="1:1-1:3">x</P>'.lower(), 1, 0),
    ],
)
def test_depth_and_elements_made_by_end_tags(tags: str, deepest: int, made: int) -> None:
    assert nesting(tags, raw=True) == (deepest, made)


def test_cmark_gfm_s_own_tags_are_counted_alike_in_c() -> None:
    page = "<blockquote>\n<ul>\n<li><p>x</p>\n</li>\n</ul>\n</blockquote>\n<p>y<br />\nz</p>\n"
    assert nesting(page, raw=False) == nesting(page, raw=True) == (4, 0)


_PIECES = ["<p>", "</p>", "<q>", "</q>", "<span>", "</span>", "</zz>", "<zz>", "<br>", "</br>"]
_PIECES += ["x", "<div>", "</div>", "<li>", "</li>", "<ul>", "<h1>", "</h1>", "<P>", "</P>", "<hr>"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_no_page_makes_more_elements_than_counted(pieces: list[str]) -> None:
    html = "".join(pieces)
    _, made = nesting(html.lower(), raw=True)
    assert _tree(html)[1] <= elements(html) + made


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(["<q>", "</q>", "<zz>", "</zz>", "<span>", "</span>", "x"]), max_size=40
    )
)
def test_no_page_of_ordinary_elements_nests_deeper_than_counted(pieces: list[str]) -> None:
    """Elements no HTML5 rule treats apart. (An end tag HTML5 ignores because a "special" element
    of another name stands above its element, as "</q>" in "<q><ul></q>" or "</zz>" in
    "<zz><p></zz>", is still counted as closing it: the bound errs low there, at most by the
    tags so ignored.)"""
    html = "".join(pieces)
    assert _tree(html)[0] <= nesting(html.lower(), raw=True)[0]


# The red team's bodies (2026-12-07): each made the page deeper, or larger, than the bounds
# counted, and was parsed (quadratically: each stray end tag searches the stack) or walked for
# 40-265 ms. Now they are refused before parsing, and read as a comment too large or too deep.
@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("<foo>\n\n" + "<q></p>" * 3990 + "</p>" * 9397, TOO_LARGE),
        ("<foo>\n\n" + "<div></p>" * 3990 + "</p>" * 7402, TOO_LARGE),
        ("<q></z>" * 3990 + "</z>" * 9399, TOO_LARGE),
        ("denied\n\n" + ("<q>" * 7 + "<div>" + "</q>" * 7) * 248 + "</ul>" * 7080, TOO_LARGE),
        ("<q><div></q>" * 300, TOO_DEEP),  # (each "</q>" ignored: 600 deep, counted 300)
        ("<foo>\n\n<a>" + "</p>" * 16379, TOO_LARGE),
        ("</p>" * 16382, TOO_LARGE),
    ],
)
def test_stray_end_tags_are_bounded_before_the_page_is_parsed(body: str, why: object) -> None:
    assert render(body) == why
    assert not approvals(f"User approved: op\n\n{body}")
    assert denials(f"User denied: op\n\n{body}") == [Token(Kind.DENIAL, "op")]
