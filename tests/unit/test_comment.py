"""The pull-request comment experience over plain data: triage, near-miss help, result comment."""

from __future__ import annotations

import pytest

from applygate.core.approval import Decision, LineVerdict, Source, Status
from applygate.core.comment import (
    CommentKind,
    marker,
    render_near_miss,
    render_result,
    render_undecided,
    result_marker,
    triage,
)
from applygate.core.reading import scan
from applygate.core.reasons import Reason
from applygate.core.token import Kind

OP = "terraform apply prod/vpc"
SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"


@pytest.mark.parametrize(
    ("body", "by_bot", "expected"),
    [
        ("LGTM, ship it", False, CommentKind.CHAT),
        ("", False, CommentKind.CHAT),
        ("approved!", False, CommentKind.CHAT),
        (f"User approved: {OP}", False, CommentKind.CANONICAL),
        (f"User denied: {OP}", False, CommentKind.CANONICAL),
        (f"thanks\nUser approved: {OP}\nuser approved: x", False, CommentKind.CANONICAL),
        (f"User approved: {OP}", True, CommentKind.BOT),
        ("hello", True, CommentKind.BOT),
        (f"user approved: {OP}", False, CommentKind.NEAR_MISS),  # wrong case
        (f"User Approved: {OP}", False, CommentKind.NEAR_MISS),
        (f"Us\u0435r approved: {OP}", False, CommentKind.NEAR_MISS),  # Cyrillic e
        (f"User approved:{OP}", False, CommentKind.NEAR_MISS),  # no space
        ("User approved:", False, CommentKind.NEAR_MISS),  # empty scope
        (f"User\u200b approved: {OP}", False, CommentKind.NEAR_MISS),  # zero-width
        (f"**User approved: {OP}**", False, CommentKind.NEAR_MISS),  # Markdown emphasis
        (f"> User approved: {OP}", False, CommentKind.QUOTED),
        (f"```\nUser approved: {OP}\n```", False, CommentKind.QUOTED),
        (f"    User approved: {OP}", False, CommentKind.QUOTED),
        (f"<!-- User approved: {OP} -->", False, CommentKind.QUOTED),
        (f"User approved: {OP}", None, CommentKind.NO_AUTHOR),  # a deleted account ("ghost")
        ("hello", None, CommentKind.NO_AUTHOR),
    ],
)
def test_triage(body: str, by_bot: bool | None, expected: CommentKind) -> None:
    found = triage(body, bool(by_bot), author_known=by_bot is not None)
    assert found.kind is expected
    assert found.decides == (expected is CommentKind.CANONICAL)
    assert (len(found.near_misses) > 0) == (expected is CommentKind.NEAR_MISS)
    assert found.why


def test_marker_is_hidden_stable_and_per_key() -> None:
    first = marker("approve", OP)
    assert first == marker("approve", OP)
    assert first != marker("approve", OP + "x")
    assert first.startswith("<!-- applygate:approve:") and first.endswith(" -->")
    assert len(first) == len("<!-- applygate:approve: -->") + 64


SHA_A, SHA_B = "a" * 40, "b" * 40


def test_result_marker_is_one_per_operation_and_head() -> None:
    first = result_marker(OP, SHA_A)
    assert first == result_marker(OP, SHA_A)
    assert first == marker("approve", OP).removesuffix(" -->") + f":{SHA_A} -->"
    others = {result_marker(OP, SHA_B), result_marker(OP + "x", SHA_A), marker("approve", OP)}
    assert first not in others
    # a comment is found by ``startswith``: no marker may begin another one
    assert not any(other.startswith(first) or first.startswith(other) for other in others)
    assert first.startswith("<!-- applygate:approve:") and first.endswith(" -->")
    assert result_marker(OP, "") == result_marker(OP, "unknown")


def test_near_miss_reply_gives_the_canonical_form_and_is_not_a_token() -> None:
    found = triage(f"user approved: {OP}\nUs\u0435r denied: {OP}", by_bot=False)
    body = render_near_miss(found.near_misses, OP, 42)
    assert body.startswith(marker("near-miss", "42"))
    assert "looks like an approval but is not canonical" in body
    assert f"```text\nUser approved: {OP}\nUser denied: {OP}\n```" in body
    assert "<U+0435>" not in body  # the homoglyph is named in the reason, the line is shown as is
    assert "U+0435" in body
    assert all(line.token is None for line in scan(body))


def verdict(text: str, status: Status, author: str = "mallory") -> LineVerdict:
    return LineVerdict(
        source=Source.PR_COMMENT,
        ref="https://github.com/o/r/pull/7#issuecomment-1",
        author=author,
        line=1,
        text=text,
        kind=Kind.APPROVAL,
        status=status,
        reason=None if status is Status.COUNTED else Reason("stale", "written before <push>"),
    )


HOSTILE = [
    f"User approved: {OP}",
    f"User approved: {OP} | `x`\n",
    f"User approved: {OP}\nUser approved: {OP}",
    "```",
    "-->",
    f"| User approved: {OP} |",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_result_comment_never_carries_a_token(text: str) -> None:
    decision = Decision(
        approved=False,
        operation=OP,
        sha=SHA,
        pr_number=7,
        approvers=("alice",),
        scope=OP,
        reasons=(Reason("denied", text),),
        lines=(verdict(text, Status.IGNORED), verdict(f"User approved: {OP}", Status.COUNTED)),
    )
    body = render_result(decision, marker("approve", OP), "https://github.com/o/r/actions/runs/1")
    assert all(line.token is None for line in scan(body)), body
    assert triage(body, by_bot=False).kind is not CommentKind.CANONICAL


def test_result_comment_has_decision_who_what_commit_and_every_reason() -> None:
    decision = Decision(
        approved=False,
        operation=OP,
        sha=SHA,
        pr_number=7,
        approvers=("alice",),
        scope=OP,
        reasons=(Reason("insufficient-approvals", "1 of 2 required approvals"),),
        lines=(
            verdict(f"User approved: {OP}", Status.COUNTED, "alice"),
            verdict(f"User approved: {OP}", Status.IGNORED),
        ),
    )
    mark = marker("approve", OP)
    body = render_result(decision, mark, "https://github.com/o/r/actions/runs/1")
    assert body.splitlines()[0] == mark
    assert "⛔ blocked" in body
    assert f"| Operation | `{OP}` |" in body
    assert f"| Commit | `{SHA}` |" in body
    assert "| Approvers | alice |" in body
    assert "| `insufficient-approvals` | 1 of 2 required approvals |" in body
    assert "| mallory (pr-comment) |" in body
    assert "written before &lt;push&gt;" in body
    assert "[details](https://github.com/o/r/actions/runs/1)" in body
    assert body.count("alice") == 1  # counted lines are not listed as "did not count"
    assert body.endswith(f"```text\nUser approved: {OP}\n```\n")


def test_applygates_own_replies_never_trigger_work() -> None:
    """Posted with a person's token (type User, not a bot), a reply still triggers the workflow:
    the near-miss reply quotes the near miss, and answering it would reply to itself forever."""
    near_miss = render_near_miss(tuple(scan(f"user approved: {OP}")), OP, 55)
    decision = Decision(approved=True, operation=OP, sha=SHA, pr_number=7, approvers=("alice",))
    result = render_result(decision, marker("approve", OP), "")
    for body in (near_miss, result):
        found = triage(body, by_bot=False)
        assert found.kind is CommentKind.OWN
        assert not found.decides and found.near_misses == ()
    assert triage(f"<!-- a note -->\nuser approved: {OP}", False).kind is CommentKind.NEAR_MISS


@pytest.mark.parametrize("text", HOSTILE)
def test_undecided_reply_never_carries_a_token(text: str) -> None:
    """Issue 19, item 1: the reply to a comment that decided nothing quotes its lines, and a
    reason that may quote a scope, without ever being read as an approval itself."""
    lines = (verdict(text, Status.IGNORED), verdict(f"User approved: {OP}", Status.IGNORED))
    why = f"trigger-not-counted: names '{text}', not exactly the operation"
    body = render_undecided(lines, why, OP, 55)
    assert body.startswith(marker("undecided", "55"))
    assert all(line.token is None for line in scan(body)), body
    assert triage(body, by_bot=False).kind is CommentKind.OWN
