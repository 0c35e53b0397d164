"""An apply (or a redeploy) as a GitHub deployment, as plain data: what is sent to create one and
to move its status, which status an execute outcome or a rollback ends in, and which commit was
last deployed well.

applygate has gated the apply already, so GitHub is asked for no required contexts and no
auto-merge: the deployment records what happened, it does not decide. ``success`` only for a
COMPLETE run (verified); a run that changed something and is blocked is ``failure``; one that
applied nothing, or applied without verification, is ``error`` (nothing proven either way). A
redeploy's deployment is ``success`` only when the rollback proved the system restored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice
from typing import Any

from applygate.core.evidence import Evidence, as_payload
from applygate.core.restore import Status
from applygate.core.status import PlanStatus

MAX_DESCRIPTION = 140  # GitHub's limit for a deployment (status) description
# GitHub documents no limit on a payload; applygate keeps it small: the operation is cut to this,
# the evidence is bounded by core/evidence.py (at most 25 short entries)
MAX_OPERATION = 1000


class DeployState(StrEnum):
    IN_PROGRESS = "in_progress"
    SUCCESS = "success"
    FAILURE = "failure"
    ERROR = "error"


@dataclass(frozen=True, kw_only=True)
class Record:
    """What an apply's deployment payload names: the operation, the approval evidence (as
    execute was given it; none is an explicit empty list: the deployment proves no approval),
    the plan it applied, the run."""

    operation: str
    run_url: str
    plan_fingerprint: str = ""
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RollbackRecord:
    """What a redeploy's deployment payload names: the operation, the failed commit whose
    deployment it replaces, the run. It is a rollback to a commit deployed before: it names no
    approval of its own."""

    operation: str
    run_url: str
    replaces: str  # the failed commit


def operation_named(given: str, steps: Sequence[str]) -> str:
    """The operation a deployment names: the ``operation`` input, else the steps' text."""
    return given or "; ".join(steps)


def create_body(sha: str, environment: str, record: Record | RollbackRecord) -> dict[str, Any]:
    """POST /repos/{owner}/{repo}/deployments for ``sha`` (``ref`` takes a full sha)."""
    operation = _cut(record.operation, MAX_OPERATION)
    named: dict[str, Any] = {"operation": operation}
    if isinstance(record, Record):
        named["approval"] = as_payload(record.evidence)
        named["plan_fingerprint"] = record.plan_fingerprint
        description = f"applygate: {record.operation}"
    else:
        named["rollback"] = {"mode": "redeploy", "replaces": record.replaces}
        description = f"applygate rollback: redeploy, replacing {record.replaces[:12]}"
    named["run"] = record.run_url
    return {
        "ref": sha,
        "task": "deploy",
        "environment": environment,
        "auto_merge": False,
        "required_contexts": [],
        "description": _cut(description, MAX_DESCRIPTION),
        "payload": {"applygate": named},
    }


def status_body(state: DeployState, description: str, log_url: str) -> dict[str, Any]:
    """POST .../deployments/{id}/statuses; a success makes the environment's earlier
    deployments inactive (``auto_inactive``, GitHub's default, said outright)."""
    body: dict[str, Any] = {"state": state, "description": _cut(description, MAX_DESCRIPTION)}
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


def rollback_state(status: Status) -> DeployState:
    """A redeploy's last status: ``success`` only when the rollback criteria passed
    (``restored``); ``failure`` when the steps failed; ``error`` when it is unverified."""
    return {
        Status.RESTORED: DeployState.SUCCESS,
        Status.FAILED: DeployState.FAILURE,
    }.get(status, DeployState.ERROR)


@dataclass(frozen=True)
class Deployment:
    id: int
    sha: str
    # made by applygate (its payload has an ``applygate`` object): the commit it names is the
    # one whose steps ran. Others are not: GitHub Actions records a job that names an
    # ``environment:`` as a deployment of the workflow's commit, which need not be what applied.
    by_applygate: bool
    creator: str = ""  # the login that created it (GitHub sets it: it cannot be written)


# Who records deployments when no run of this one has (``applygate rollback`` creates nothing
# before it searches): the workflow token's identity.
WORKFLOW_IDENTITY = "github-actions[bot]"
INACTIVE = "inactive"  # GitHub's status of a successful deployment a later success replaced
MAX_SEARCHED = 30  # applygate deployments whose statuses are read before giving up
MAX_LISTED = 300  # deployments of any kind looked at (three pages) before giving up


def last_successful(
    deployments: Iterable[Deployment],
    states: Callable[[int], Sequence[str]],
    *,
    replaces: str,
    trusted: str,
) -> str | None:
    """The commit of the newest deployment that went well, for a redeploy to return to; None
    when there is none among the newest ``MAX_SEARCHED`` candidates, or the newest ``MAX_LISTED``
    deployments (then set rollback-sha).

    A candidate is applygate's (its payload), created by ``trusted`` (the identity this run
    records deployments as: a payload anyone with ``deployments: write`` can forge, its creator
    they cannot), and of a commit other than ``replaces`` (returning to the failed commit would
    change nothing). It went well when its newest status (``states``, newest first) is
    ``success``, or ``inactive`` after a ``success``: GitHub makes a successful deployment
    inactive when a later one to the environment succeeds, which may be another tool's."""
    searched = 0
    for deployment in islice(deployments, MAX_LISTED):  # a long history is not read to its end
        if not deployment.by_applygate or deployment.sha == replaces:
            continue
        if deployment.creator.lower() != trusted.lower():
            continue
        if _went_well(states(deployment.id)):
            return deployment.sha
        searched += 1
        if searched >= MAX_SEARCHED:
            return None
    return None


def _went_well(states: Sequence[str]) -> bool:
    """``states`` newest first: success now, or success until it was made inactive (its
    newest status other than ``inactive`` is ``success``)."""
    settled = [state for state in states if state != INACTIVE]
    return bool(settled) and settled[0] == DeployState.SUCCESS


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
