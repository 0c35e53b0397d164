"""Which branch preflight checks the commit against, and where the name came from."""

from __future__ import annotations

import pytest

from applygate.context import RunContext
from applygate.core.checklist_facts import Failure
from applygate.core.gitfacts import Head
from applygate.event import EventContext
from applygate.flows.checklist import head_branch
from applygate.inputs.preflight import PreflightInputs

DETACHED = Head("a" * 40, None, ())
ON_TOPIC = Head("a" * 40, "topic", ())
PR = EventContext("pull_request", 1, head_ref="feature", base_ref="main")
COMMENT = EventContext("issue_comment", 1)


def ctx(**env: str) -> RunContext:
    return RunContext.from_environ(env)


@pytest.mark.parametrize(
    ("branch", "context", "event", "head", "expected"),
    [
        ("given", ctx(), PR, ON_TOPIC, ("given", "input branch")),
        (
            None,
            ctx(GITHUB_REF="refs/pull/1/merge"),
            PR,
            DETACHED,
            ("feature", "the pull request's head branch"),
        ),
        (None, ctx(GITHUB_HEAD_REF="hr"), None, DETACHED, ("hr", "GITHUB_HEAD_REF")),
        (
            None,
            ctx(GITHUB_REF="refs/heads/main", GITHUB_REF_NAME="main"),
            None,
            DETACHED,
            ("main", "GITHUB_REF_NAME"),
        ),
        (
            None,
            ctx(GITHUB_REF="refs/heads/main", GITHUB_REF_NAME="main"),
            COMMENT,
            DETACHED,
            ("main", "GITHUB_REF_NAME: this issue_comment run's default branch"),
        ),
        (None, ctx(GITHUB_REF="refs/tags/v1", GITHUB_REF_NAME="v1"), None, DETACHED, None),
        (
            None,
            ctx(GITHUB_REF="refs/pull/1/merge", GITHUB_REF_NAME="1/merge"),
            None,
            DETACHED,
            None,
        ),
        (None, ctx(), None, ON_TOPIC, ("topic", "the checked-out branch")),
        (None, ctx(), None, Failure("no repo"), None),
    ],
)
def test_head_branch(
    branch: str | None,
    context: RunContext,
    event: EventContext | None,
    head: Head | Failure,
    expected: tuple[str, str] | None,
) -> None:
    inputs = PreflightInputs(token="", branch=branch)
    assert head_branch(inputs, context, event, head) == expected
