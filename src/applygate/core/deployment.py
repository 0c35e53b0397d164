"""An apply as a GitHub deployment, as plain data: what is sent to create one and to move its
status, which status an execute outcome ends in, and which commit was last deployed well.

applygate has gated the apply already, so GitHub is asked for no required contexts and no
auto-merge: the deployment records what happened, it does not decide. ``success`` only for a
COMPLETE run (verified); a run that changed something and is blocked is ``failure``; one that
applied nothing, or applied without verification, is ``error`` (nothing proven either way).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from applygate.core.status import PlanStatus

MAX_DESCRIPTION = 140  # GitHub's limit for a deployment (status) description


class DeployState(StrEnum):
    IN_PROGRESS = "in_progress"
    SUCCESS = "success"
    FAILURE = "failure"
    ERROR = "error"


@dataclass(frozen=True, kw_only=True)
class Record:
    """What the deployment's payload names: the operation, the plan it applied, the run."""

    operation: str
    run_url: str
    plan_fingerprint: str = ""


def create_body(sha: str, environment: str, record: Record) -> dict[str, Any]:
    """POST /repos/{owner}/{repo}/deployments for the approved commit (``ref`` takes a sha)."""
    return {
        "ref": sha,
        "task": "deploy",
        "environment": environment,
        "auto_merge": False,
        "required_contexts": [],
        "description": _short(f"applygate: {record.operation}"),
        "payload": {
            "applygate": {
                "operation": record.operation,
                "plan_fingerprint": record.plan_fingerprint,
                "run": record.run_url,
            }
        },
    }


def status_body(state: DeployState, description: str, log_url: str) -> dict[str, Any]:
    """POST .../deployments/{id}/statuses; a success makes the environment's earlier
    deployments inactive (``auto_inactive``, GitHub's default, said outright)."""
    body: dict[str, Any] = {"state": state, "description": _short(description)}
    if log_url:
        body["log_url"] = log_url
    if state is DeployState.SUCCESS:
        body["auto_inactive"] = True
    return body


def final_state(status: PlanStatus, changed: bool) -> DeployState:
    """The deployment's last status for an execute run ending in ``status``; ``changed``: a
    step ran (live state may have changed)."""
    if status is PlanStatus.COMPLETE:
        return DeployState.SUCCESS
    if status is PlanStatus.BLOCKED and changed:
        return DeployState.FAILURE
    return DeployState.ERROR


@dataclass(frozen=True)
class Deployment:
    id: int
    sha: str


def last_successful(
    deployments: Iterable[Deployment], latest_state: Callable[[int], str | None]
) -> str | None:
    """The commit of the newest deployment (GitHub lists them newest first) whose latest status
    is ``success``; None when there is none (a redeploy then has nothing to return to)."""
    for deployment in deployments:
        if latest_state(deployment.id) == DeployState.SUCCESS:
            return deployment.sha
    return None


def _short(text: str) -> str:
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"
