"""The one rule for the commit a result belongs to: every trigger, every command, every source."""

from __future__ import annotations

import pytest

from applygate.core.subject import CommitSource, choose, order

INPUT, PR, EVENT, HEAD, GSHA = "a" * 40, "b" * 40, "c" * 40, "d" * 40, "e" * 40
EVERY = {
    CommitSource.SHA_INPUT: INPUT,
    CommitSource.PR_HEAD: PR,
    CommitSource.EVENT_HEAD: EVENT,
    CommitSource.HEAD: HEAD,
    CommitSource.GITHUB_SHA: GSHA,
}
TRIGGERS = (
    "issue_comment",
    "pull_request_review",
    "workflow_dispatch",
    "push",
    "deployment",
    "pull_request",
    "",  # a local run
)

# (command, trigger) -> the commit chosen when every source after the sha input is known, and
# the commit chosen when neither the sha input nor any pull-request head is known
ROWS = [
    ("approve", "issue_comment", PR, None),  # GITHUB_SHA is the default branch's tip
    ("approve", "pull_request_review", PR, None),  # GITHUB_SHA is a merge commit
    ("approve", "workflow_dispatch", PR, GSHA),
    ("approve", "push", PR, GSHA),
    ("approve", "deployment", PR, GSHA),
    ("approve", "pull_request", PR, None),
    ("approve", "", PR, GSHA),
    ("preflight", "issue_comment", HEAD, HEAD),  # the checked-out pull request head
    ("preflight", "pull_request_review", EVENT, HEAD),
    ("preflight", "workflow_dispatch", HEAD, HEAD),
    ("preflight", "push", HEAD, HEAD),
    ("preflight", "deployment", HEAD, HEAD),
    ("preflight", "pull_request", EVENT, HEAD),  # HEAD of a default checkout is the merge
    ("preflight", "", HEAD, HEAD),
    ("execute", "issue_comment", HEAD, HEAD),
    ("execute", "pull_request", EVENT, HEAD),
    ("verify", "push", HEAD, HEAD),
    ("verify", "pull_request_review", EVENT, HEAD),
    ("fingerprint", "pull_request", EVENT, HEAD),
    ("fingerprint", "workflow_dispatch", HEAD, HEAD),
    ("rollback", "issue_comment", HEAD, HEAD),  # it reverts what is checked out
    ("rollback", "pull_request", HEAD, HEAD),
    ("rollback", "", HEAD, HEAD),
]


def test_every_trigger_is_in_the_table() -> None:
    assert {row[1] for row in ROWS} == set(TRIGGERS)
    assert {row[0] for row in ROWS} == {
        "approve",
        "preflight",
        "execute",
        "verify",
        "fingerprint",
        "rollback",
    }


@pytest.mark.parametrize(("command", "trigger", "all_known", "fallback"), ROWS)
def test_subject_commit(command: str, trigger: str, all_known: str, fallback: str | None) -> None:
    sources = order(command, trigger)
    assert sources[0] is CommitSource.SHA_INPUT
    assert choose(sources, EVERY) == (INPUT, CommitSource.SHA_INPUT)  # the input always wins
    without_input = {**EVERY, CommitSource.SHA_INPUT: None}
    chosen = choose(sources, without_input)
    assert chosen is not None and chosen[0] == all_known
    rest = {CommitSource.HEAD: HEAD, CommitSource.GITHUB_SHA: GSHA}
    found = choose(sources, rest)
    assert (found[0] if found else None) == fallback


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_approve_never_reads_head_and_rollback_never_leaves_the_checkout(trigger: str) -> None:
    assert CommitSource.HEAD not in order("approve", trigger)
    assert order("rollback", trigger) == (CommitSource.SHA_INPUT, CommitSource.HEAD)


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_approve_gating_a_pull_request_by_number_never_takes_github_sha(trigger: str) -> None:
    sources = order("approve", trigger, pull_request=True)
    assert CommitSource.GITHUB_SHA not in sources
    assert choose(sources, {CommitSource.GITHUB_SHA: GSHA}) is None
    assert choose(sources, {CommitSource.PR_HEAD: PR, CommitSource.GITHUB_SHA: GSHA}) == (
        PR,
        CommitSource.PR_HEAD,
    )


def test_nothing_known_is_no_commit_and_case_is_folded() -> None:
    assert choose(order("verify", "push"), {}) is None
    known = {CommitSource.GITHUB_SHA: "ABC" + "0" * 37}
    assert choose(order("verify", "push"), known) == ("abc" + "0" * 37, CommitSource.GITHUB_SHA)
