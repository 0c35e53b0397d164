"""A deployment's statuses from an execute run, and the last good commit, as tables."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from applygate.core.binding import Source
from applygate.core.deployment import (
    MAX_DESCRIPTION,
    MAX_LISTED,
    MAX_OPERATION,
    MAX_SEARCHED,
    WORKFLOW_IDENTITY,
    Deployment,
    DeployState,
    Record,
    RollbackRecord,
    create_body,
    final_state,
    last_successful,
    operation_named,
    rollback_state,
    status_body,
)
from applygate.core.evidence import Evidence
from applygate.core.restore import Status
from applygate.core.status import PlanStatus

GOOD, BAD = "a" * 40, "b" * 40
RUN = "https://github.com/octo/hello/actions/runs/42"


@pytest.mark.parametrize(
    ("status", "changed", "expected"),
    [
        (PlanStatus.COMPLETE, True, DeployState.SUCCESS),
        (PlanStatus.BLOCKED, True, DeployState.FAILURE),  # a step ran: live state may be broken
        (PlanStatus.BLOCKED, False, DeployState.ERROR),  # the checklist stopped it
        (PlanStatus.APPLIED, True, DeployState.ERROR),  # not verified: never success
    ],
)
def test_final_state(status: PlanStatus, changed: bool, expected: DeployState) -> None:
    assert final_state(status, changed) is expected


def test_success_only_for_a_verified_run() -> None:
    for status in PlanStatus:
        for changed in (True, False):
            success = final_state(status, changed) is DeployState.SUCCESS
            assert success == (status is PlanStatus.COMPLETE)


def test_bodies() -> None:
    body = create_body("a" * 40, "production", Record(operation="x" * 300, run_url="u"))
    assert len(body["description"]) == MAX_DESCRIPTION
    assert body["required_contexts"] == []
    assert body["auto_merge"] is False
    assert status_body(DeployState.FAILURE, "no", "") == {"state": "failure", "description": "no"}


BOT = WORKFLOW_IDENTITY
A, B, C = GOOD, BAD, "c" * 40  # the listed commits, oldest good first


def ours(number: int, sha: str, creator: str = BOT) -> Deployment:
    return Deployment(number, sha, True, creator)


@pytest.mark.parametrize(
    ("listed", "states", "expected"),
    [
        # newest first: the first that went well
        ([ours(3, C), ours(2, B), ours(1, A)], {3: ["in_progress"], 2: ["success"]}, B),
        ([ours(3, C), ours(2, B)], {3: ["failure"], 2: ["error"]}, None),
        ([], {}, None),
        # GitHub made it inactive when a later deployment (another tool's) succeeded
        ([ours(2, B)], {2: ["inactive", "success", "in_progress"]}, B),
        # inactive without a success before it (set by hand on a failed one): not good
        ([ours(2, B)], {2: ["inactive", "failure", "success"]}, None),
        ([ours(2, B)], {2: ["inactive"]}, None),
        ([ours(2, B)], {2: []}, None),
        # the commit being replaced is never the one returned to, whatever its past
        ([ours(3, C), ours(2, A)], {3: ["success"], 2: ["success"]}, A),
        # GitHub Actions' own record of a job naming the environment: not applygate's
        ([Deployment(3, B, False, BOT), ours(2, A)], {3: ["success"], 2: ["success"]}, A),
        # a payload anyone with deployments: write can forge; its creator they cannot
        ([ours(3, B, "mallory"), ours(2, A)], {3: ["success"], 2: ["success"]}, A),
        ([ours(3, B, "GitHub-Actions[bot]")], {3: ["success"]}, B),  # logins: any case
        ([ours(3, B, "")], {3: ["success"]}, None),  # a deleted creator: nobody to trust
    ],
)
def test_the_last_good_commit(
    listed: list[Deployment], states: dict[int, list[str]], expected: str | None
) -> None:
    read: list[int] = []

    def states_of(number: int) -> list[str]:
        read.append(number)
        return states.get(number, [])

    assert last_successful(listed, states_of, replaces=C, trusted=BOT) == expected
    trusted = {d.id for d in listed if d.by_applygate and d.sha != C and d.creator.lower() == BOT}
    assert set(read) <= trusted  # other deployments' statuses are never read


def test_the_search_is_bounded() -> None:
    """Every deployment failed: the statuses of the newest MAX_SEARCHED are read, no more."""
    listed = [ours(n, B) for n in range(MAX_SEARCHED + 20, 0, -1)]
    read: list[int] = []

    def failed(number: int) -> list[str]:
        read.append(number)
        return ["failure"]

    assert last_successful(listed, failed, replaces=C, trusted=BOT) is None
    assert len(read) == MAX_SEARCHED


def test_the_listing_is_bounded() -> None:
    """The newest MAX_LISTED deployments are none of applygate's: the good one after them is
    not reached, and no deployment past them is taken from the listing."""
    taken: list[int] = []

    def listing() -> Iterator[Deployment]:
        for number in range(MAX_LISTED + 5, 0, -1):
            taken.append(number)
            yield ours(number, B) if number <= 5 else Deployment(number, A, False, BOT)

    assert last_successful(listing(), lambda _: ["success"], replaces=C, trusted=BOT) is None
    assert len(taken) == MAX_LISTED


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.RESTORED, DeployState.SUCCESS),  # the rollback criteria passed afterwards
        (Status.FAILED, DeployState.FAILURE),  # the redeploy's steps failed
        (Status.UNVERIFIED, DeployState.ERROR),  # steps done, criteria absent or failing
        (Status.NONE, DeployState.ERROR),
    ],
)
def test_rollback_state(status: Status, expected: DeployState) -> None:
    assert rollback_state(status) is expected


@pytest.mark.parametrize(
    ("given", "steps", "expected"),
    [
        (
            "terraform apply prod/vpc",
            ["terraform init", "terraform apply"],
            "terraform apply prod/vpc",
        ),
        ("", ["terraform init", "terraform apply"], "terraform init; terraform apply"),
        ("", [], ""),
    ],
)
def test_the_operation_named(given: str, steps: list[str], expected: str) -> None:
    assert operation_named(given, steps) == expected


EVIDENCE = (Evidence(source=Source.PR_REVIEW, login="alice", ref="https://x/r/1", sha=BAD),)


@pytest.mark.parametrize(
    ("record", "payload"),
    [
        (
            Record(operation="op", run_url=RUN, plan_fingerprint="f" * 64, evidence=EVIDENCE),
            {
                "operation": "op",
                "approval": [
                    {"source": "pr-review", "login": "alice", "ref": "https://x/r/1", "sha": BAD}
                ],
                "plan_fingerprint": "f" * 64,
                "run": RUN,
            },
        ),
        # no evidence given: an explicit empty list, the deployment proves no approval
        (
            Record(operation="op", run_url=RUN),
            {"operation": "op", "approval": [], "plan_fingerprint": "", "run": RUN},
        ),
        (
            RollbackRecord(operation="op", run_url=RUN, replaces=BAD),
            {"operation": "op", "rollback": {"mode": "redeploy", "replaces": BAD}, "run": RUN},
        ),
    ],
)
def test_the_payload_names_the_operation_evidence_plan_and_run(
    record: Record | RollbackRecord, payload: dict[str, object]
) -> None:
    body = create_body(GOOD, "production", record)
    assert body["payload"] == {"applygate": payload}
    assert body["ref"] == GOOD
    assert body["required_contexts"] == []


def test_a_redeploy_says_what_it_replaces() -> None:
    body = create_body(GOOD, "production", RollbackRecord(operation="o", run_url=RUN, replaces=BAD))
    assert body["description"] == f"applygate rollback: redeploy, replacing {BAD[:12]}"


def test_a_long_operation_is_cut_in_the_payload() -> None:
    body = create_body(GOOD, "production", Record(operation="x" * 5000, run_url=RUN))
    named = body["payload"]["applygate"]["operation"]
    assert len(named) == MAX_OPERATION
    assert named.endswith("…")
