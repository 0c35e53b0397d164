"""Issue 19, item 1: a comment or review that starts the run decides only for itself."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.unit.test_approval import AFTER, BINDING, OP, POLICY, SHA, authorizations

from applygate.core.approval import Source, Submission, authorize_needed, decide, screen
from applygate.core.policy import Author, Authorization, Policy
from applygate.core.trigger import Trigger, undecided

PR = (Source.PR_COMMENT, Source.PR_REVIEW)
ALICE, BOB, MALLORY = Author("alice"), Author("bob"), Author("mallory", association="NONE")


def said(n: int, author: Author, body: str, source: Source = Source.PR_COMMENT) -> Submission:
    fields: dict[str, object] = {"created_at": AFTER, "id": n}
    if source is Source.PR_REVIEW:
        fields.update(state="APPROVED", commit_id=SHA)
    return Submission(source=source, ref=f"#{n}", author=author, body=body, **fields)  # type: ignore[arg-type]


OLD_APPROVAL = said(1, ALICE, f"User approved: {OP}")


def outcome(
    subs: list[Submission],
    trigger: Trigger,
    sources: tuple[Source, ...] = PR,
    policy: Policy = POLICY,
) -> str | None:
    screening = screen(subs, policy, BINDING)
    found = authorizations(dict(screening.authors), policy)
    nothing = undecided(decide(screening, found, policy, BINDING), subs, trigger, sources)
    return None if nothing is None else nothing.reason.code


def on(n: int, source: Source | None = Source.PR_COMMENT) -> Trigger:
    return Trigger(source, n, "comment" if source is Source.PR_COMMENT else "review")


@pytest.mark.parametrize(
    ("subs", "trigger", "sources", "expected"),
    [
        # the attack: an outsider's token (or any line) re-uses alice's old approval
        (
            [OLD_APPROVAL, said(2, MALLORY, f"User approved: {OP}")],
            on(2),
            PR,
            "trigger-not-counted",
        ),
        ([OLD_APPROVAL, said(2, MALLORY, "User denied: other")], on(2), PR, "trigger-not-counted"),
        ([OLD_APPROVAL, said(2, BOB, "LGTM")], on(2), PR, "trigger-not-counted"),
        ([OLD_APPROVAL, said(2, BOB, "User approved: other op")], on(2), PR, "trigger-not-counted"),
        ([OLD_APPROVAL], on(2), PR, "trigger-not-found"),  # deleted, or before the push
        ([OLD_APPROVAL], on(2, None), PR, "trigger-not-a-source"),  # a review comment
        ([OLD_APPROVAL], on(2, Source.PR_REVIEW), (Source.PR_COMMENT,), "trigger-not-a-source"),
        # a comment with the same id is not the review that triggered the run
        (
            [OLD_APPROVAL, said(2, BOB, f"User approved: {OP}")],
            on(2, Source.PR_REVIEW),
            PR,
            "trigger-not-found",
        ),
        # what decides
        ([OLD_APPROVAL, said(2, BOB, f"User approved: {OP}")], on(2), PR, None),
        ([OLD_APPROVAL, said(2, ALICE, f"User approved: {OP}")], on(2), PR, None),  # counted once
        ([OLD_APPROVAL, said(2, BOB, f"User denied: {OP}")], on(2), PR, None),
        ([said(2, BOB, f"LGTM\n\nUser approved: {OP}")], on(2), PR, None),
        (
            [said(2, BOB, f"User approved: {OP}", Source.PR_REVIEW)],
            on(2, Source.PR_REVIEW),
            PR,
            None,
        ),
        # environment approvals only: they belong to this run, the comment only started it
        ([], on(2), (Source.ENVIRONMENT,), None),
    ],
)
def test_undecided(
    subs: list[Submission], trigger: Trigger, sources: tuple[Source, ...], expected: str | None
) -> None:
    assert outcome(subs, trigger, sources) == expected


def test_the_trigger_is_counted_among_min_approvals() -> None:
    policy = replace(POLICY, min_approvals=2)
    subs = [OLD_APPROVAL, said(2, BOB, f"User approved: {OP}")]
    screening = screen(subs, policy, BINDING)
    decision = decide(screening, authorizations(dict(screening.authors), policy), policy, BINDING)
    assert decision.approved
    assert undecided(decision, subs, on(2), PR) is None


def test_the_triggers_author_is_looked_up_first() -> None:
    """Without it, bob's approval is 'not needed' after alice's and the trigger cannot count."""
    subs = [OLD_APPROVAL, said(2, BOB, f"User approved: {OP}")]
    screening = screen(subs, POLICY, BINDING)
    asked: list[str] = []

    def resolve(author: Author) -> Authorization:
        asked.append(author.login)
        return authorizations({author.key: author}, POLICY)[author.key]

    found = authorize_needed(screening, POLICY, resolve, first="bob")
    assert asked == ["bob"]
    decision = decide(screening, found, POLICY, BINDING)
    assert undecided(decision, subs, on(2), PR) is None
    assert decision.approvers == ("bob",)
    asked.clear()
    found = authorize_needed(screening, POLICY, resolve)  # no trigger: alice suffices
    assert asked == ["alice"]
    assert undecided(decide(screening, found, POLICY, BINDING), subs, on(2), PR) is not None


@pytest.mark.parametrize(
    ("event", "decides"),
    [
        ("pull_request_target", False),  # a fork's author reopens the pull request
        ("pull_request", False),
        ("workflow_run", False),  # after a fork's pull request workflow
        ("deployment_status", False),
        ("push", True),
        ("workflow_dispatch", True),
        ("schedule", True),
        ("", True),  # outside a workflow
        ("issue_comment", True),  # the comment itself is the trigger: undecided() rules
    ],
)
def test_a_run_no_comment_started_re_uses_approvals_only_if_a_writer_started_it(
    event: str, decides: bool
) -> None:
    from applygate.core.binding import Source
    from applygate.core.trigger import started_by_anyone

    found = started_by_anyone(event, (Source.PR_COMMENT, Source.PR_REVIEW))
    assert (found is None) is decides
    if found is not None:
        assert found.reason.code == "trigger-not-an-approval"
        assert event in found.reason.message
    assert started_by_anyone(event, (Source.ENVIRONMENT,)) is None  # this run's own approvals
