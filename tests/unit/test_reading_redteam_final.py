"""Red team of the last reader changes (7f2a7f9..HEAD): denials kept "beside" another token,
white space collapsed when reading a shown denial, RecursionError read as too deep, the
``unreadable`` fallback reading each line two ways, and the pre-render table-cell, list-item and
left-open bounds. Each test states what should hold; each failed (a strict xfail) until its fix
landed, and the two still marked xfail are accepted limits said in their reasons.
"""

from __future__ import annotations

import pytest
from tests.support.reading import approvals, denials

from applygate.core.comment_check import approves, check_comment
from applygate.core.crowded import MAX_SHOWN_DENIALS
from applygate.core.github_render import TOO_LARGE, render, without_comments
from applygate.core.token import Kind, Token

OP = "terraform apply prod/vpc"
APPROVAL = f"User approved: {OP}"
DENIAL = Token(Kind.DENIAL, OP)
# Refused before rendering (more than 4,000 list items), the denial read by ``unreadable``.
TOO_LARGE_PREFIX = "```\n" + "- - a\n" * 2001 + "```\n\n"


def test_prefix_is_too_large() -> None:
    assert render(TOO_LARGE_PREFIX) is TOO_LARGE


# --- 1. (high, fixed) the fallback's comment regex was quadratic ------------------------------

# A regex ``<!--.*?-->`` was tried at every "<!--" of a line and scanned to its end each time:
# a too-large body whose one line is "<!--" repeated took seconds (65,536 characters: 4.4 s).


def test_unreadable_line_of_comment_openers_keeps_its_denial() -> None:
    """Comments are now dropped by str.find from each "<!--" to its "-->", once (an unclosed
    one is kept): linear by construction; the time is benchmarks/token_scan.py's to measure."""
    line = "<!--" * 5000 + f" User denied: {OP}"
    assert without_comments(line) == line  # none closed: all kept
    assert without_comments("a<!-- b -->c<!--d") == "ac<!--d"
    assert DENIAL in denials(TOO_LARGE_PREFIX + line + "\n")


# --- 2. (high, fixed) a denial written over two lines of raw HTML was read as the wrong scope --

# A browser collapses the line ending inside <div>: the page shows one line
# "User denied: terraform apply prod/vpc". The reader took the first source line's denial,
# "User denied: terraform", and the approval above it counted; denial_text.shown_denials now
# returns every denial the line may make.

SPLIT_SCOPE = f"{APPROVAL}\n\n<div>User denied: terraform\napply prod/vpc</div>\n"


def test_denial_with_scope_over_two_raw_html_lines_counts() -> None:
    assert DENIAL in denials(SPLIT_SCOPE)


def test_denial_with_scope_over_two_raw_html_lines_blocks_check_comment() -> None:
    assert not approves(check_comment(SPLIT_SCOPE, OP, None))


def test_unreadable_denial_with_scope_over_two_raw_html_lines_counts() -> None:
    body = TOO_LARGE_PREFIX + "<div>User denied: terraform\napply prod/vpc</div>\n"
    assert DENIAL in denials(body)


# --- 3. (medium, fixed) the too-large fallback missed denials the rendered reading counts -----

# Each of these counts when the body is rendered (white space collapsed, a comment dropped, an
# entity read); the fallback for a too-large body looked for the exact "User denied:" only.

SHOWN_ELSEWHERE = [
    f"User  denied: {OP}",
    f"User\tdenied: {OP}",
    f"User <!-- x --> denied: {OP}",
    f"User&nbsp;denied: {OP}",
    f"<div>User\ndenied: {OP}</div>",
]


@pytest.mark.parametrize("line", SHOWN_ELSEWHERE)
def test_rendered_reading_counts_these_denials(line: str) -> None:
    assert DENIAL in denials(f"{line}\n")


@pytest.mark.parametrize("line", SHOWN_ELSEWHERE)
def test_unreadable_counts_the_same_denials(line: str) -> None:
    assert DENIAL in denials(f"{TOO_LARGE_PREFIX}{line}\n")


# --- 4. (medium) false refusals: table_cells counts rows past the table's end ------------------

# GFM ends a table at a fence (or any other block); table_cells counts its rows up to the next
# blank line. A three-row summary table written right above a fenced 1,500-line plan is refused
# (too-large) and its approval does not count, though the page has a dozen elements.

PLAN = "".join(f'      ~ attr_{i} = "a" -> "b"\n' for i in range(1500))


def test_small_table_right_above_a_fenced_plan_is_read() -> None:
    body = f"{APPROVAL}\n\n| Resource | Action |\n|---|---|\n| vpc | update |\n```\n{PLAN}```\n"
    assert approvals(body) == [Token(Kind.APPROVAL, OP)]


@pytest.mark.xfail(
    strict=True,
    reason="accepted false refusal (documented): a delimiter row inside code counts its rows up to "
    "the closing fence; telling code from a table needs the block structure cmark-gfm builds",
)
def test_fenced_diff_changing_a_markdown_table_is_read() -> None:
    hunk = "".join(f" line {i}\n" for i in range(800))
    body = f"{APPROVAL}\n\n```diff\n{hunk}-|---|---|---|\n+|---|---|---|---|\n{hunk}```\n"
    assert approvals(body) == [Token(Kind.APPROVAL, OP)]


def test_table_of_500_rows_and_6_columns_is_read() -> None:  # held
    row = "| 1 | 2 | 3 | 4 | 5 | 6 |\n"
    body = f"{APPROVAL}\n\n| a | b | c | d | e | f |\n|---|---|---|---|---|---|\n" + row * 500
    assert approvals(body) == [Token(Kind.APPROVAL, OP)]


# --- 5. (low) a denial "beside" an approval is reported on the approval's line ------------------

# The denial is on line 3 (raw HTML); check-comment reports "line 1: denial counts" with the
# approval's text, beside "line 1: approval counts". It still blocks.


@pytest.mark.xfail(strict=True, reason="raw-HTML denial placed on the approval's source line")
def test_denial_beside_is_reported_on_its_own_line() -> None:
    body = f"{APPROVAL}\n\n<div>User\tdenied: {OP}</div>\n"
    checks = check_comment(body, OP, None)
    assert not approves(checks)
    assert [(c.line, c.kind) for c in checks if c.counts] == [(1, Kind.APPROVAL), (3, Kind.DENIAL)]


# --- 6. (low, not new) the depth bound is fooled by end tags inside an HTML comment -----------

# the depth bound (now nesting.nesting) counted "</div>" written inside an HTML comment as
# closing; 300 <div>s after it nest 300 deep, yet the approval counts (docs/token.md: more than
# 256 deep counts no approval). The RecursionError catch only turns this into "nested" from
# about 500 deep.


def test_nested_300_deep_behind_a_comment_counts_no_approval() -> None:
    body = f"{APPROVAL}\n\n<!-- {'</div>' * 300} -->\n\n{'<div>' * 300}\nx\n"
    assert approvals(body) == []


def test_nested_600_deep_behind_a_comment_fails_closed() -> None:  # held (RecursionError)
    body = f"{APPROVAL}\n\n<!-- {'</div>' * 600} -->\n\n{'<div>' * 600}\nUser denied: {OP}\n"
    assert approvals(body) == []
    assert DENIAL in denials(body)


# --- 7. (medium, fixed) a quadratic "beside" check in placing denials --------------------------

# Raw-HTML denials not written as a source line (a tab collapsed) are all placed on line 1; from
# the second on each was compared with every one kept beside before it: 2,200 lines
# "<div>User<TAB>denied: q<i></div>" took 530 ms. They are kept by token now (a dict).


def test_many_distinct_raw_html_denials_all_count() -> None:
    """(Since 2026-12-07 a comment shows at most MAX_SHOWN_DENIALS lines starting a denial
    before it denies everything: core/crowded.py.)"""
    count = MAX_SHOWN_DENIALS
    body = "".join(f"<div>User\tdenied: q{i}</div>\n" for i in range(count))
    assert len(set(denials(body))) == count  # each kept beside once, by its token (a dict)


# --- (2026-12-07, second red team) a raw link written as a footnote's back-reference ------------

# The walk left out every link with data-footnote-backref, as cmark-gfm's own "↩" is; a comment
# may write that attribute on a link of its own, and its text was left out with it: a denial in
# it was lost, and the approval above it counted alone.


@pytest.mark.parametrize(
    "link",
    [
        '<a href="#" data-footnote-backref>User denied: op</a>',
        "<a data-footnote-backref>User denied: op</a>",
    ],
)
def test_a_link_written_as_a_footnote_back_reference_shows_its_denial(link: str) -> None:
    body = f"User approved: op\n\n{link}"
    assert Token(Kind.DENIAL, "op") in denials(body)
    assert not approves(check_comment(body, "op", "a" * 40))


def test_cmark_gfm_s_own_back_references_are_still_left_out() -> None:
    body = "User denied: op and x[^1] y[^1]\n\n[^1]: note"  # two references: "↩" and "↩²"
    assert "footnote-backref" in render(body).html  # type: ignore[union-attr]
    assert not any("↩" in token.scope for token in denials(body))


# A footnote's number after the operation ("op¹") was read as a letter of it: a denial of "op1",
# and the approval of op beside it counted alone. The mark is read as a cell's end: "op" too.


@pytest.mark.parametrize(
    "body",
    [
        "User approved: op\n\nUser denied: op[^1]\n\n[^1]: tests fail",
        "User approved: op\n\n- User denied: op[^a]\n\n[^a]: why",
    ],
)
def test_a_footnote_mark_after_the_operation_is_no_letter_of_it(body: str) -> None:
    assert Token(Kind.DENIAL, "op") in denials(body)
    assert not approves(check_comment(body, "op", "a" * 40))


@pytest.mark.parametrize(
    ("body", "scope"),
    [
        ("| User denied: [^1]op\n\n[^1]: why", "1op"),  # (a third red team: lost, read as a cell)
        ("User denied: [^1]op\n\n[^1]: why", "1op"),
        ('| User denied: <sup class="footnote-ref">1</sup>a-b', "1a-b"),
    ],
)
def test_a_footnote_mark_before_the_operation_is_read_as_before(body: str, scope: str) -> None:
    """A mark after white space ends no word: read as it was (a letter of what follows)."""
    assert Token(Kind.DENIAL, scope) in denials(body)
