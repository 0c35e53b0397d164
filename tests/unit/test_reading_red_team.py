"""What the independent red team of the renderer-based reader found, one row each: denials a
reader sees that the cheap pre-check or the unreadable-body fallback dropped."""

from __future__ import annotations

import pytest

from applygate.core.github_render import TOO_DEEP, render
from applygate.core.reading import body_looks_like_token, scan
from applygate.core.source_bounds import MAX_DEPTH
from applygate.core.token import Kind, Token

OP = "terraform apply prod/vpc"
DENIAL = Token(Kind.DENIAL, OP)

SHOWN_DENIALS = [
    # a stray "<letter" before the denial and a ">" after it once made the pre-check drop it all
    ("tag-like text around it", f"Replaces x (count <var.n\nUser denied: {OP}\nis 0 -> gone)"),
    ("entity inside the word", f"User d&#101;nied: {OP}"),
    ("hex entity inside the word", f"User &#x64;enied: {OP}"),
    ("entity, in a table cell", f"| bob | User d&#101;nied: {OP} |\n|---|---|"),
    ("empty comment inside the word", f"User <!---->denied: {OP}"),
    ("the word as a link", f"User [denied](https://example.com): {OP}"),
    ("a tag inside the word", f"User de<b></b>nied: {OP}"),
    # the second red team (2026-12-07): a comment with ">", a quoted ">", a link's target
    ("a comment holding > inside the word", f"User de<!-- > -->nied: {OP}"),
    ("a tag's quoted > inside the word", f'User de<span title=">">nied: {OP}'),
    ("a link inside the word", f"User de[n](u)ied: {OP}"),
    ("a reference link inside the word", f"User de[n][r]ied: {OP}\n\n[r]: x"),
]


@pytest.mark.parametrize("body", [b for _, b in SHOWN_DENIALS], ids=[n for n, _ in SHOWN_DENIALS])
def test_a_denial_github_shows_is_never_skipped_by_the_cheap_test(body: str) -> None:
    assert body_looks_like_token(body)
    assert [line.token for line in scan(body) if line.token is not None] == [DENIAL]


UNREADABLE = [
    ("after deep tags on its line", "<div>" * (MAX_DEPTH + 4) + f"User denied: {OP}"),
    (
        "in a cell after deep tags",
        "<div>" * (MAX_DEPTH + 4) + f"\n\n| bob | User denied: {OP} |\n|---|---|",
    ),
    ("entity, after deep tags", "<div>" * (MAX_DEPTH + 4) + f"\n\nUser d&#101;nied: {OP}"),
    # HTML5 lowers a tag name's letters: the depth is counted in any case
    ("after deep upper-case tags", "<DIV>" * (MAX_DEPTH + 4) + f"User denied: {OP}"),
    ("after deep mixed-case tags", "<dIv>" * (MAX_DEPTH + 4) + f"User denied: {OP}"),
]


@pytest.mark.parametrize("body", [b for _, b in UNREADABLE], ids=[n for n, _ in UNREADABLE])
def test_a_body_too_deep_to_read_still_counts_a_denial_anywhere_in_a_line(body: str) -> None:
    assert render(body) == TOO_DEEP
    assert DENIAL in [line.token for line in scan(body)]


def test_conversation_stays_unrendered() -> None:
    for body in ("LGTM, ship it", "see <b>the plan</b> and [the docs](https://x)", "a | b"):
        assert not body_looks_like_token(body)


# Whether GitHub's sanitizer rebuilds the tree (then </object> closes the <details> inside it) or
# drops removed elements' tags one by one (then the <details> stays open over what follows) was
# not checked on github.com: an approval counts only where both readings show it plain.
SANITIZER_SHAPES = [
    "<object><details></object>",
    "<object><s></object>",
    "<marquee><strike></marquee>",
    "<template><s></template>",
    "<button><details></button>",
]


@pytest.mark.parametrize("head", SANITIZER_SHAPES)
def test_an_approval_counts_only_if_plain_however_github_removes_elements(head: str) -> None:
    [line] = scan(f"{head}\n\nUser approved: {OP}")
    assert line.token is None
    [denial] = scan(f"{head}\n\nUser denied: {OP}")
    assert denial.token == DENIAL  # shown plainly in one reading: it counts


def test_an_element_github_removes_alone_hides_nothing() -> None:
    [line] = scan(f"<font>note</font>\n\nUser approved: {OP}")
    assert line.token == Token(Kind.APPROVAL, OP)


# From the review of the whole change: a denial a reader sees on a line of its own inside raw
# HTML (the source's lines stay in one text node there) and a denial in a footnote (cmark-gfm
# adds a "↩" link to its text) did not count.
SEEN_DENIALS = [
    ("second line of a raw <div>", f"<div>\nreviewed the plan\nUser denied: {OP}\n</div>"),
    ("second line of a raw <p>", f"<p>notes\nUser denied: {OP}</p>"),
    ("second line of a raw cell", f"<table><tr><td>notes\nUser denied: {OP}</td></tr></table>"),
    ("second line of <details open>", f"<details open>\nnotes\nUser denied: {OP}\n</details>"),
    ("a footnote", f"see[^1]\n\n[^1]: User denied: {OP}"),
]


@pytest.mark.parametrize("body", [b for _, b in SEEN_DENIALS], ids=[n for n, _ in SEEN_DENIALS])
def test_a_denial_a_reader_sees_in_raw_html_or_a_footnote_counts(body: str) -> None:
    assert DENIAL in [line.token for line in scan(body)]


def test_a_collapsed_raw_block_still_hides_its_later_lines() -> None:
    body = f"<details>\nnotes\nUser denied: {OP}\n</details>"
    assert DENIAL not in [line.token for line in scan(body)]


# A shown denial whose place in the page (breaks counted from the last Markdown block) is past
# the body's end is looked for among the token-like lines: the first that holds its text.
def test_a_denial_shown_without_a_place_is_put_on_the_line_that_holds_it() -> None:
    body = f"User denied: terraform apply prod/db\n<p>a<br><br><br>\nUser denied: {OP}</p>"
    found = [(line.number, line.token) for line in scan(body) if line.token is not None]
    assert found == [(1, Token(Kind.DENIAL, "terraform apply prod/db")), (3, DENIAL)]


# ... among the denial lines only: an approval line refused before it (a list item here) that
# happens to hold the same text is not where the denial was written.
def test_a_denial_shown_without_a_place_is_not_put_on_a_refused_approval_line() -> None:
    body = f"hello\n- User approved: x User denied: {OP}\n<div>\nUser denied: {OP}\n</div>"
    found = {line.number: (line.kind, line.token) for line in scan(body)}
    assert found == {2: (Kind.APPROVAL, None), 4: (Kind.DENIAL, DENIAL)}


# The cheap test reads an ASCII body in lower case: a control character that a reader's skeleton
# drops from the word, or the word in upper case, must still be let through to be reported.
UNUSUAL_WORDS = [
    ("a NUL inside the word", f"User appr\x00oved: {OP}", "control-char"),
    ("a DEL inside the word", f"User den\x7fied: {OP}", "control-char"),
    ("upper case, after other text", f"ok\n\nUSER APPROVED: {OP}", "not-canonical"),
    # a separator Markdown does not end lines at: what follows it is read as a line too
    ("after a line separator", f"ok\u2028User approved: {OP}", "invisible-char"),
    ("after a paragraph separator", f"ok \u2029 User approved: {OP}", "invisible-char"),
]


@pytest.mark.parametrize(
    ("body", "code"), [c[1:] for c in UNUSUAL_WORDS], ids=[c[0] for c in UNUSUAL_WORDS]
)
def test_a_token_word_written_oddly_is_still_reported(body: str, code: str) -> None:
    assert body_looks_like_token(body)
    assert [line.rejection.code for line in scan(body) if line.rejection is not None] == [code]


# Whether a table follows a paragraph written after a raw <table> is answered over the whole page,
# though the blocks that hold no token line are not walked: here the only table after the
# approval's paragraph sits in a list item (a paragraph between two tables is refused).
TABLE_AFTER = [
    ("in a list item", "- <table><tr><td>y</td></tr></table>"),
    ("in a block quote", "> <table><tr><td>y</td></tr></table>"),
    ("in a heading", "# x <table><tr><td>y</td></tr></table>"),
]


@pytest.mark.parametrize("after", [a for _, a in TABLE_AFTER], ids=[n for n, _ in TABLE_AFTER])
def test_a_paragraph_between_a_raw_table_and_a_table_in_a_block_does_not_count(after: str) -> None:
    [line] = scan(f"<table></table>\n\nUser approved: {OP}\n\n{after}")
    assert line.token is None
    assert line.rejection is not None and line.rejection.code == "table"
