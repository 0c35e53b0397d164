"""A comment of more token-like lines than anyone writes (``MAX_CANDIDATES``): no approval in it
counts, and every denial it shows counts, read from the page as in any comment (the red team's
bodies: a reading of its source lines, as for a comment too large to render, would lose them)."""

from __future__ import annotations

import pytest
from tests.support.reading import approvals, denials

from applygate.core.reading import CROWDED, MAX_CANDIDATES, scan
from applygate.core.token import Kind, Token

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


def test_many_distinct_denials_in_a_crowded_comment_all_count() -> None:
    body = "".join(f"User denied: op{i}\n\n" for i in range(3_000))
    assert denials(body) == [Token(Kind.DENIAL, f"op{i}") for i in range(3_000)]
