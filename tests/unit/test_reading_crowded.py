"""A comment of more token-like lines than anyone writes (``MAX_CANDIDATES``): no approval in it
counts, and every denial it shows counts, read from the page as in any comment (the red team's
bodies: a reading of its source lines, as for a comment too large to render, would lose them).
A comment showing more lines starting a denial than anyone writes (``MAX_SHOWN_DENIALS``) is
read no further and denies everything (core/crowded.py)."""

from __future__ import annotations

import pytest
from tests.support.reading import approvals, denials

from applygate.core.comment_check import approves, check_comment
from applygate.core.crowded import CROWDED, EVERYTHING, MAX_CANDIDATES, MAX_SHOWN_DENIALS
from applygate.core.reading import scan
from applygate.core.token import Kind, ScopeMatch, Token, is_generic, match_scope

OP = "terraform apply prod/vpc"
APPROVAL = f"User approved: {OP}"
DENIAL = Token(Kind.DENIAL, OP)


def _with_lines(count: int, last: str = APPROVAL) -> str:
    """``count`` token-like lines in all: near-misses, then ``last`` as a paragraph of its own."""
    return "".join(f"user approved {i}\n\n" for i in range(count - 1)) + last


def test_an_approval_counts_among_as_many_token_like_lines_as_the_bound() -> None:
    body = _with_lines(MAX_CANDIDATES)
    assert len(scan(body)) == MAX_CANDIDATES
    assert approvals(body) == [Token(Kind.APPROVAL, OP)]


def test_one_token_like_line_more_and_no_approval_counts() -> None:
    found = scan(_with_lines(MAX_CANDIDATES + 1))
    assert len(found) == MAX_CANDIDATES + 1
    assert all(line.token is None and line.rejection == CROWDED for line in found)


@pytest.mark.parametrize(
    ("shown", "counts"),
    [
        (f"User denied: {OP}", [OP]),
        (f"| a | User denied: {OP} |", [OP]),  # a denial that is no token-like line of its own
        (f"- User **denied**: {OP}", [OP]),
        (f"<div>User denied:\n{OP}</div>", [OP]),  # over two raw-HTML lines
        ("<div>\nUser\ndenied:\nop\n</div>", ["op"]),  # over three
        ("User denied: op<br>ok", ["op"]),  # a raw line break
        ("User denied: op\\\nok", ["op"]),  # a backslash line break
        ("User den<!--\n-->ied: op", ["op"]),  # a comment over two lines within the word
        ("User den<span\nclass=x>ied: op", ["op"]),  # a tag over two lines
        ("<table><tr><td>User denied: aa</td><td>User denied: bb</td></tr></table>", ["aa", "bb"]),
        ("User denied: aa\u2028User denied: bb", ["aa", "bb"]),
        # the walk reads a line without the text hidden in it (the page's text holds "dexnied")
        ("<div>User de<del>x</del>nied: op</div>", ["op"]),
        ("<div>User de<code>x</code>nied: op</div>", ["op"]),
        (f"```\nUser denied: {OP}\n```", []),  # in code: not the person's words, as anywhere
        (f"> User denied: {OP}", []),  # quoted
    ],
)
def test_each_denial_a_crowded_comment_shows_counts(shown: str, counts: list[str]) -> None:
    body = _with_lines(MAX_CANDIDATES + 1) + "\n\n" + shown
    found = denials(body)
    assert {Token(Kind.DENIAL, scope) for scope in counts} <= set(found)
    assert (DENIAL in found) is (OP in counts)
    assert not approvals(body)


# --- more shown denials than anyone writes: the comment denies everything (crowded.py) --------


def _denials(count: int, line: str = "User denied: op{}\n\n", head: str = "") -> str:
    return head + "".join(line.format(i) for i in range(count))


def test_as_many_shown_denials_as_the_bound_each_count() -> None:
    body = _denials(MAX_SHOWN_DENIALS)
    assert denials(body) == [Token(Kind.DENIAL, f"op{i}") for i in range(MAX_SHOWN_DENIALS)]


def test_one_shown_denial_more_and_the_comment_denies_everything() -> None:
    """Not read further: every token-like line is refused, and one denial of everything, on the
    line past the bound, blocks whatever operation is asked about."""
    body = f"User approved: {OP}\n\n" + _denials(MAX_SHOWN_DENIALS + 2)
    found = scan(body)
    assert [line.token for line in found if line.token] == [EVERYTHING]
    (everything,) = (line for line in found if line.token)
    assert everything.number == 3 + 2 * MAX_SHOWN_DENIALS  # (op256: the shown denial past it)
    refused = [line for line in found if line.token is None]
    assert len(refused) == MAX_SHOWN_DENIALS + 3
    assert {line.rejection.code for line in refused if line.rejection} == {"denies-everything"}
    for operation in (OP, "kubectl apply -f prod", "op1"):
        checks = check_comment(body, operation, "a" * 40)
        assert not approves(checks)
        assert [c.line for c in checks if c.counts] == [everything.number]


def test_everything_is_a_generic_scope_a_denial_blocks_every_operation_with() -> None:
    assert is_generic(EVERYTHING.scope) and EVERYTHING.kind is Kind.DENIAL
    assert match_scope(EVERYTHING, "terraform apply prod/vpc", "abc") is ScopeMatch.GENERIC


@pytest.mark.parametrize(
    ("line", "head"),
    [
        ("- User denied: op{}\n", ""),  # list items
        ("# User denied: op{}\n", ""),  # headings
        ("x | User denied: op{}\n\n", ""),  # a cell after text: no token-like line
        ("User denied: op{}\u00a0|\n\n", ""),  # each line a slower reading
        ("<div>User denied: op{}</div>\n", ""),  # raw HTML: no source positions
        ("User denied: op{}\n\n", "<foo>x</foo>\n\n"),  # a page read twice
        ("User denied: op{}\n\n", "<foo>\n\n"),  # the second page's own level
        ("User denied: op{}\n\n", "<template>\n\n"),  # shown in the second page only
        ("User denied: op{}\n\n", "x\n" * 4_100 + "\n"),  # too large: read by the fallback
        ("User denied:\n\n", ""),  # no canonical denial: counted all the same (cheap to tell)
    ],
)
def test_each_way_of_showing_too_many_denials_denies_everything(line: str, head: str) -> None:
    body = _denials(MAX_SHOWN_DENIALS + 1, line, head)
    assert EVERYTHING in denials(body)
    assert EVERYTHING not in denials(_denials(MAX_SHOWN_DENIALS - 1, line, head))


@pytest.mark.parametrize(
    "line",
    [
        "> User denied: op{}\n\n",  # quoted
        "~~User denied: op{}~~\n\n",  # struck through
        "<!-- User denied: op{} -->\n\n",  # an HTML comment
        "`User denied: op{}`\n\n",  # code
    ],
)
def test_denials_a_reader_does_not_see_are_not_counted_towards_the_bound(line: str) -> None:
    body = _denials(1_500, line)  # (read, not too large: 3,000 elements)
    assert denials(body) == []
