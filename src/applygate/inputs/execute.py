"""The typed, validated inputs of ``applygate execute``: preflight's, and how to run the steps,
verify and roll back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from applygate.core.evidence import Evidence, EvidenceError, parse
from applygate.core.restore import Mode
from applygate.errors import UsageError
from applygate.inputs.fields import (
    duration,
    environment_name,
    non_negative_int,
    operation,
    positive_int,
)
from applygate.inputs.preflight import PreflightInputs
from applygate.inputs.rollback import identity, rollback_fields
from applygate.workspace import Workspace

MAX_RETRIES = 100


@dataclass(frozen=True, kw_only=True)
class ExecuteInputs:
    preflight: PreflightInputs
    retries: int = 2
    retry_interval: float = 10.0
    step_timeout: float | None = None  # seconds one attempt may run; None: no limit
    rollback: Mode = Mode.NONE
    rollback_steps: tuple[str, ...] = ()  # rollback: steps
    rollback_sha: str | None = None  # rollback: redeploy (the last good commit)
    rollback_criteria: str | None = None  # default: criteria
    criteria: str | None = None
    max_parallel: int = 4
    identity: tuple[str, str] | None = None  # None: git's own, else the bot in Actions
    environment: str | None = None  # record the apply as a deployment to it
    operation: str = ""  # what the deployment names; "": the steps' text
    approval_evidence: tuple[Evidence, ...] = ()  # approve's, named in the deployment

    @classmethod
    def from_raw(
        cls, raw: Mapping[str, str], environ: Mapping[str, str], workspace: Workspace
    ) -> ExecuteInputs:
        preflight = PreflightInputs.from_raw(raw, environ, workspace.path)
        if not preflight.steps:
            raise UsageError("input steps is required: the commands to run, one per line")
        retries = non_negative_int(raw, "retries", 2)
        if retries > MAX_RETRIES:
            raise UsageError(f"invalid input retries: {retries} is more than {MAX_RETRIES}")
        retry_interval = duration(raw, "retry-interval", "10s")
        step_timeout = duration(raw, "step-timeout", "") if raw.get("step-timeout") else None
        environment = environment_name(raw)
        return cls(
            preflight=preflight,
            retries=retries,
            retry_interval=retry_interval,
            step_timeout=step_timeout,
            **rollback_fields(raw, Mode.NONE, environment),
            environment=environment,
            criteria=raw.get("criteria", "").strip() or None,
            max_parallel=positive_int(raw, "max-parallel", 4),
            identity=identity(raw),
            operation=operation(raw),
            approval_evidence=approval_evidence(raw, environment),
        )


def approval_evidence(raw: Mapping[str, str], environment: str | None) -> tuple[Evidence, ...]:
    """approve's ``approval-evidence`` output, checked: read only with ``environment`` (the
    deployment is what names it)."""
    text = raw.get("approval-evidence", "")
    try:
        found = parse(text)
    except EvidenceError as error:
        raise UsageError(f"invalid input approval-evidence: {error}") from None
    if found and environment is None:
        raise UsageError(
            "input approval-evidence is only read with environment (the deployment names it)"
        )
    return found
