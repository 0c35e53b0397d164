"""A comment of more token-like lines than anyone writes (``MAX_CANDIDATES``): no approval in it
counts, it is not rendered, and every denial its lines may show counts, read as in a comment too
large to render (in code and quotes too: failing closed)."""

from __future__ import annotations

import pytest
from tests.support.reading import approvals, denials

from applygate.core import github_render
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


def test_a_crowded_comment_is_not_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_render(_: str) -> str:
        raise AssertionError("rendered")

    monkeypatch.setattr(github_render, "to_html", no_render)
    assert scan(_with_lines(MAX_CANDIDATES + 1, f"User denied: {OP}"))


@pytest.mark.parametrize(
    "shown",
    [
        f"User denied: {OP}",
        f"| a | User denied: {OP} |",  # a denial that is no token-like line of its own
        f"- User **denied**: {OP}",
        f"<div>User denied:\n{OP}</div>",  # over two raw-HTML lines
        f"```\nUser denied: {OP}\n```",  # in code: counted all the same (failing closed)
        f"> User denied: {OP}",
    ],
)
def test_each_denial_a_crowded_comment_may_show_counts(shown: str) -> None:
    body = _with_lines(MAX_CANDIDATES + 1) + "\n\n" + shown
    assert DENIAL in denials(body)
    assert not approvals(body)


def test_many_distinct_denials_in_a_crowded_comment_all_count() -> None:
    body = "".join(f"User denied: op{i}\n\n" for i in range(3_000))
    assert denials(body) == [Token(Kind.DENIAL, f"op{i}") for i in range(3_000)]
