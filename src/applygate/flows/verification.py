"""Verification right after execute's steps, in this process (flows/criteria_run.py).

The criteria file is loaded when execute starts (a broken file is exit 2 before anything runs);
the criteria run only after every step succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from applygate.adapters.runner import Runner
from applygate.core import verification_report
from applygate.core.execution import Verification, from_verify_result
from applygate.core.redact import Redactor
from applygate.core.verification import VerifySettings
from applygate.flows.criteria_run import load, real_probe, save_report, verify
from applygate.workspace import Workspace

if TYPE_CHECKING:
    from applygate.context import RunContext
    from applygate.event import EventContext
    from applygate.inputs.execute import ExecuteInputs

# Runs the criteria (loaded already) and says what they found.
Verifier = Callable[[], Verification]
ROLLBACK_NOTE = "decided after verification: see the applygate execute report"


def verifier(
    criteria: str,
    workspace: Workspace,
    runner: Runner,
    redact: Redactor,
    settings: VerifySettings,
    name: str = "criteria",
) -> Verifier:
    """Load ``criteria`` (relative to the workspace) now; verify when called."""
    loaded = load(workspace.path / criteria, criteria, name)
    probe = real_probe(str(workspace.path), workspace.environ, redact)

    def run() -> Verification:
        runner.group(f"applygate execute: verification ({criteria})")
        outcome = verify(loaded, settings, probe, runner.print, redact=redact)
        runner.end_group()
        runner.print(verification_report.render_console(outcome.result, status=False))
        path = save_report(outcome, runner, workspace.environ)
        return from_verify_result(outcome.result, path)

    return run


def for_execute(
    inputs: ExecuteInputs,
    ctx: RunContext,
    event: EventContext | None,
    workspace: Workspace,
    runner: Runner,
    subject: str | None,
    criteria: str,
    name: str = "criteria",
) -> Verifier:
    """``applygate verify`` in execute's process, on the applied commit: ``criteria`` after the
    steps, or (``name`` rollback-criteria) after a rollback."""
    branch = (event.head_ref if event else None) or ctx.head_ref or ctx.ref_name
    settings = VerifySettings(
        max_parallel=inputs.max_parallel,
        rollback_status=ROLLBACK_NOTE,
        sha=subject or "",
        branch=inputs.preflight.branch or branch,
    )
    redact = Redactor.of(inputs.preflight.secrets(workspace.environ))
    return verifier(criteria, workspace, runner, redact, settings, name)
