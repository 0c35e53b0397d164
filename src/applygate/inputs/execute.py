"""The typed, validated inputs of ``applygate execute``: preflight's, and how to run the steps,
verify and roll back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from applygate.core.command_line import split_steps
from applygate.core.restore import Mode
from applygate.errors import UsageError
from applygate.inputs.fields import choice, duration, non_negative_int, positive_int
from applygate.inputs.preflight import PreflightInputs
from applygate.inputs.rollback import DEFAULT_EMAIL, DEFAULT_NAME, identity, parse_revision
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
    identity: tuple[str, str] = (DEFAULT_NAME, DEFAULT_EMAIL)

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
        return cls(
            preflight=preflight,
            retries=retries,
            retry_interval=duration(raw, "retry-interval", "10s"),
            step_timeout=duration(raw, "step-timeout", "") if raw.get("step-timeout") else None,
            **rollback_fields(raw),
            criteria=raw.get("criteria", "").strip() or None,
            max_parallel=positive_int(raw, "max-parallel", 4),
            identity=identity(raw),
        )


def rollback_fields(raw: Mapping[str, str]) -> dict[str, Any]:
    """``rollback`` and what its mode needs (shared with ``applygate rollback``): ``steps`` needs
    rollback-steps, ``redeploy`` rollback-sha; an input another mode would read is refused."""
    mode = Mode(choice(raw, "rollback", tuple(Mode), "none"))
    undo = split_steps(raw.get("rollback-steps", ""))
    good = parse_revision(raw.get("rollback-sha", ""), "rollback-sha")
    if mode is Mode.STEPS and not undo:
        raise UsageError("input rollback-steps is required with rollback: steps")
    if undo and mode is not Mode.STEPS:
        raise UsageError(f"input rollback-steps is only read with rollback: steps (not {mode})")
    if mode is Mode.REDEPLOY and good is None:
        raise UsageError(
            "input rollback-sha is required with rollback: redeploy (the last good commit)"
        )
    if good is not None and mode is not Mode.REDEPLOY:
        raise UsageError(f"input rollback-sha is only read with rollback: redeploy (not {mode})")
    checks = raw.get("rollback-criteria", "").strip() or None
    if checks is not None and mode is Mode.NONE:
        raise UsageError(
            "input rollback-criteria is only read with a rollback mode (rollback: none)"
        )
    return {
        "rollback": mode,
        "rollback_steps": undo,
        "rollback_sha": good,
        "rollback_criteria": checks,
    }
