"""A deployment's statuses from an execute run, and the last good commit, as tables."""

from __future__ import annotations

import pytest

from applygate.core.deployment import (
    MAX_DESCRIPTION,
    Deployment,
    DeployState,
    Record,
    create_body,
    final_state,
    last_successful,
    status_body,
)
from applygate.core.status import PlanStatus


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


def test_last_successful_is_the_newest_with_a_success() -> None:
    listed = [Deployment(3, "c" * 40), Deployment(2, "b" * 40), Deployment(1, "a" * 40)]
    states = {3: "in_progress", 2: "success", 1: "success"}
    assert last_successful(listed, states.get) == "b" * 40
    assert last_successful(listed, {3: "failure"}.get) is None
    assert last_successful([], states.get) is None
