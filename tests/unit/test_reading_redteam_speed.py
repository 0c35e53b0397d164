"""Red team of the faster reader (branch speed-14: targeted walk, whole-body regex passes, the
4,000-element bound and the pre-render list-item count, the one-regex sanitizer check, the
fostered-table check). Each test states what should hold; each was a strict xfail that failed
until its fix landed (git log says which commit).

Found by comparing the reader before the change (ebf2b75) with the reader after it, and by
probing the bounds the change relies on.
"""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser
from tests.support.reading import approvals, denials

from applygate.core import github_render
from applygate.core.github_render import elements, render, to_html
from applygate.core.reading import scan
from applygate.core.source_bounds import MAX_ELEMENTS, list_items
from applygate.core.token import Kind, Token

OP = "terraform apply prod/vpc"
APPROVAL = f"User approved: {OP}"
DENIAL = Token(Kind.DENIAL, OP)


# --- 1. (regression) a body the new bounds call too large loses denials the old reader counted -

# A pasted plan: 4,100 lines starting "+ " inside a fence. No list item is rendered (code), but the
# pre-render count of list markers refuses it (too-large): the fallback then finds a denial only
# as literal "User denied: <op>" once tags and entities are dropped. Before the change the body
# was rendered and read (about 25 ms) and each of these denials counted.
PASTED_PLAN = "```diff\n" + "+ resource x\n" * 4_100 + "```\n\n"
# 4,100 bold words: over MAX_ELEMENTS counted on the HTML.
MANY_ELEMENTS = "**a**\n" * 4_100 + "\n"

SHOWN_DENIALS_LOST = [
    ("emphasis in the word", f"User **denied**: {OP}"),
    ("underscore emphasis", f"User _denied_: {OP}"),
    ("emphasis in the scope", f"User denied: *{OP}*"),
    ("bold scope", f"User denied: **{OP}**"),
    ("escaped colon", f"User denied\\: {OP}"),
    ("escaped slash in the scope", "User denied: terraform apply prod\\/vpc"),
    ("scope as a link", f"User denied: [{OP}](https://example.com)"),
    ("word as a link (old red-team row)", f"User [denied](https://example.com): {OP}"),
    ("tag inside the word (old red-team row)", f"User de<b></b>nied: {OP}"),
    ("comment holding '<'", f"User <!-- a < b -->denied: {OP}"),
]


@pytest.mark.parametrize("pad", [PASTED_PLAN, MANY_ELEMENTS], ids=["pasted-plan", "4100-bold"])
@pytest.mark.parametrize(
    "denial", [d for _, d in SHOWN_DENIALS_LOST], ids=[n for n, _ in SHOWN_DENIALS_LOST]
)
def test_a_shown_denial_in_a_too_large_body_still_blocks(pad: str, denial: str) -> None:
    body = pad + denial + "\n"
    assert render(body) == github_render.TOO_LARGE  # the precondition: the new bound refuses it
    # read both ways (marks kept and dropped): each distinct denial counts, this one among them
    assert DENIAL in denials(body)
    assert not approvals(body + f"\n{APPROVAL}\n")


@pytest.mark.parametrize(
    "denial", [d for _, d in SHOWN_DENIALS_LOST], ids=[n for n, _ in SHOWN_DENIALS_LOST]
)
def test_the_same_denials_count_in_a_body_that_is_read(denial: str) -> None:
    """What the old reader did with the bodies above, and the new one does below the bound."""
    assert denials("Plan looks wrong.\n\n" + denial + "\n") == [DENIAL]


# --- 2. (pre-existing) a denial in raw HTML is placed on the approval's line, then dropped -----

RAW_HTML_DENIAL_DROPPED = [
    ("div", f"{APPROVAL}\n\n<div>User denied: {OP}</div>\n"),
    ("raw p", f"{APPROVAL}\n\n<p>User denied: {OP}</p>\n"),
    (
        "open details summary",
        f"{APPROVAL}\n\n<details open><summary>User denied: {OP}</summary></details>\n",
    ),
    ("after two breaks", f"Intro\n\n{APPROVAL}\n\n<div>a<br>b<br>User denied: {OP}</div>\n"),
]


@pytest.mark.parametrize(
    "body", [b for _, b in RAW_HTML_DENIAL_DROPPED], ids=[n for n, _ in RAW_HTML_DENIAL_DROPPED]
)
def test_a_denial_in_raw_html_next_to_an_approval_still_blocks(body: str) -> None:
    assert denials(body) == [DENIAL]


# --- 3. (pre-existing) raw HTML shows a denial written over two source lines on one line -------

WRAPPED = [
    ("div", f"<div>User denied:\n{OP}</div>\n"),
    ("div, split in the prefix", f"<div>User\ndenied: {OP}</div>\n"),
    ("raw table cell", f"<table><tr><td>User denied:\n{OP}</td></tr></table>\n"),
]


@pytest.mark.parametrize("body", [b for _, b in WRAPPED], ids=[n for n, _ in WRAPPED])
def test_a_denial_raw_html_shows_on_one_line_blocks(body: str) -> None:
    assert denials(body) == [DENIAL]


def test_a_tag_split_before_a_quote_mark_shows_no_denial() -> None:
    """'User <span' then '>denied: …' on the next line: cmark-gfm (GitHub's renderer) reads the
    second line as a block quote, so the page shows 'User <span' and a quoted 'denied: …', no
    denial (a red-team case that assumed the tag would join the lines)."""
    assert denials(f"User <span\n>denied: {OP}</span>\n") == []


# --- 4. (pre-existing) the depth bound is fooled by end tags that close nothing: a crash -------


def test_stray_end_tags_do_not_crash_the_reader() -> None:
    body = f"{APPROVAL}\n\n" + "<div></zz>" * 600 + "x\n"
    [approval] = scan(body)  # no RecursionError: deeper than the bound saw is too deep
    assert approval.token is None
    assert approval.rejection is not None and approval.rejection.code == "nested"


# --- 5. the element bound is fooled low: HTML5 rebuilds formatting elements without a "<" ------


def _reconstructing(formatting: int, paragraphs: int, tag: str = "b") -> str:
    """Formatting elements left open in a raw paragraph: HTML5 rebuilds all of them in every
    later paragraph ("reconstruct the active formatting elements"), so the page has about
    formatting x paragraphs elements for formatting + paragraphs "<"s."""
    head = "".join(f"<{tag} title={i}>" for i in range(formatting))
    return f"{APPROVAL}\n\n<div><p>{head}</p>" + "<p>x</p>" * paragraphs + "\n"


def test_the_element_bound_bounds_the_elements_a_page_has() -> None:
    """Counted under the bound, but 250 formatting elements left open are rebuilt in each of
    3,700 paragraphs (925,000 elements): refused before the HTML5 parse, failing closed."""
    body = _reconstructing(250, 3_700)
    html = to_html(body)
    assert elements(html) <= MAX_ELEMENTS  # counted: under the bound
    assert len(LexborHTMLParser(html, is_fragment=True).css("*")) > 4 * MAX_ELEMENTS
    assert render(body) == github_render.TOO_LARGE


@pytest.mark.parametrize(
    ("left", "paragraphs", "read"),
    [(0, 3_900, True), (3, 3_900, True), (7, 1_990, True), (7, 2_100, False), (15, 1_010, False)],
)
def test_formatting_left_open_counts_once_for_each_block_after_it(
    left: int, paragraphs: int, read: bool
) -> None:
    """Elements times one plus those left open, against 4 x MAX_ELEMENTS (errs high): one
    stray <b> in a page of any size under the element bound still reads."""
    body = _reconstructing(left, paragraphs)
    assert (render(body) != github_render.TOO_LARGE) is read


@pytest.mark.parametrize("tag", ["b", "B", "Strong", "EM"])
def test_a_reconstructing_page_is_refused_and_counts_no_approval(tag: str) -> None:
    body = _reconstructing(250, 3_700, tag)  # HTML5 lowers tag names: any case reconstructs
    assert render(body) == github_render.TOO_LARGE  # before the HTML5 parse: no 925,000 elements
    assert not approvals(body)


# --- 6. (pre-existing) a padded table passes the cell bound and costs cmark-gfm seconds --------


def test_a_padded_table_is_refused_before_it_is_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    body = f"{APPROVAL}\n\n" + "|a" * 250 + "|\n" + "|-" * 250 + "|\n" + "|x|\n" * 15_000

    def no_render(_: str) -> str:
        raise AssertionError("rendered")

    monkeypatch.setattr(github_render, "to_html", no_render)
    assert github_render.render(body) == github_render.TOO_LARGE


# --- 7. the pre-render list count misses list items after a quote marker -----------------------


def test_list_items_behind_quote_markers_are_counted_before_rendering() -> None:
    body = (f"{APPROVAL}\n\n" + ("> - " * 50 + "x\n") * 400)[:65_536]
    assert list_items(body) > MAX_ELEMENTS
