"""An execute run as strings and plain data: the error report, outputs, the JSON report, the
console lines and the job summary."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from applygate.core.checklist_report import git_line
from applygate.core.classify import ErrorType
from applygate.core.durations import format_duration
from applygate.core.execution import (
    Attempt,
    Outcome,
    StepRecord,
    StepState,
    VerificationState,
    plan_status,
)
from applygate.core.markdown import cell, code_cell
from applygate.core.restore import outputs as restore_outputs
from applygate.core.status import (
    ErrorReport,
    PlanStatus,
    render_error_markdown,
    render_error_text,
    status_line,
)

VERIFICATION_OWED = (
    "verification is still owed: no criteria were given, so COMPLETE is not claimed "
    "(run applygate verify, or give execute the criteria input)"
)
ICONS = {StepState.PASSED: "✅", StepState.FAILED: "❌", StepState.NOT_RUN: "⏭️"}


def step_title(step: StepRecord, total: int, attempt: int) -> str:
    again = f" (attempt {attempt})" if attempt > 1 else ""
    return f"step {step.number}/{total}{again}: {step.command}"


def retry_line(step: StepRecord, attempt: Attempt, wait: float, retries: int) -> str:
    done = len(step.attempts) - 1
    return (
        f"step {step.number} failed ({attempt.error_type}: {attempt.why}); "
        f"retry {done + 1} of {retries} in {format_duration(wait)}"
    )


def error_report(outcome: Outcome) -> ErrorReport | None:
    """The protocol's four fields for a blocked run, or None when nothing failed."""
    if not outcome.preflight_ready:
        return ErrorReport(
            error_type=ErrorType.VALIDATION,
            message="\n".join(outcome.preflight_failed),
            root_cause="the pre-execution checklist failed, so no step ran",
            rollback_status="nothing to roll back: no step ran",
        )
    step = outcome.failed_step
    last = step.last if step is not None else None
    if step is not None and last is not None and last.error_type is not None:
        tries = f" after {len(step.attempts)} attempts" if len(step.attempts) > 1 else ""
        ended = "timed out" if last.timed_out else f"exited {last.exit_code}"
        later = len(outcome.steps) - step.number
        return ErrorReport(
            error_type=last.error_type,
            message=last.output_tail,
            root_cause=f"step {step.number} ({step.command}) {ended}{tries}: {last.why}"
            + (f"; {later} later step(s) not run" if later else ""),
            rollback_status=outcome.rollback_status,
        )
    check = outcome.verification
    if check is not None and check.state is not VerificationState.PASSED:
        return ErrorReport(
            error_type=check.error_type,
            message=check.message,
            root_cause=f"every step succeeded, but verification {check.state}: {check.summary}",
            rollback_status=outcome.rollback_status,
        )
    return None


def outputs(outcome: Outcome, report_path: str) -> dict[str, str]:
    failed = outcome.failed_step
    report = error_report(outcome)
    return {
        "applied": "true" if outcome.applied else "false",
        "plan-status": plan_status(outcome),
        "failed-step": f"{failed.number}: {failed.command}" if failed else "",
        "error-type": report.error_type if report else "",
        **restore_outputs(outcome.restore, outcome.rollback_status),
        "deployment-id": outcome.deployment_id,
        "report": report_path,
    }


def _attempt_json(number: int, attempt: Attempt) -> dict[str, Any]:
    return {
        "attempt": number,
        "exit_code": attempt.exit_code,
        "timed_out": attempt.timed_out,
        "duration_seconds": round(attempt.duration, 3),
        "error_type": attempt.error_type,
        "why": attempt.why or None,
    }


def report_json(outcome: Outcome) -> dict[str, Any]:
    """Every step with its attempts, exit codes, durations and classification."""
    report = error_report(outcome)
    check = outcome.verification
    return {
        "plan_status": plan_status(outcome),
        "applied": outcome.applied,
        "preflight": {"ready": outcome.preflight_ready, "failed": list(outcome.preflight_failed)},
        "steps": [
            {
                "number": step.number,
                "command": step.command,
                "status": step.state,
                "attempts": [_attempt_json(n, a) for n, a in enumerate(step.attempts, 1)],
            }
            for step in outcome.steps
        ],
        "verification": None
        if check is None
        else {"status": check.state, "summary": check.summary, "report": check.report or None},
        "rollback_status": outcome.rollback_status,
        "rollback": {
            key.removeprefix("rollback-"): found
            for key, found in restore_outputs(outcome.restore, "").items()
            if key != "rollback-detail"
        },
        "commit": outcome.commit or None,
        "pushed_to": outcome.pushed_to or None,
        "error": None
        if report is None
        else {
            "error_type": report.error_type,
            "message": report.message,
            "root_cause": report.root_cause,
            "rollback_status": report.rollback_status,
        },
    }


def _step_line(step: StepRecord) -> str:
    if step.last is None:
        return f"  not run  {step.number}. {step.command}"
    total = sum(a.duration for a in step.attempts)
    tries = f", {len(step.attempts)} attempts" if len(step.attempts) > 1 else ""
    mark = "ok     " if step.state is StepState.PASSED else "FAILED "
    return f"  {mark}  {step.number}. {step.command} ({format_duration(total)}{tries})"


def render_console(outcome: Outcome, *, local: bool = False) -> str:
    """The console report. ``local``: for a person at a terminal, the headline counts the steps
    that succeeded, failed and did not run; the Actions log keeps ``S of N steps succeeded``."""
    status = plan_status(outcome)
    headline = tally(outcome) if local and outcome.preflight_ready else _headline(outcome)
    lines = [
        f"applygate execute: {headline}",
        git_line(outcome.commit, outcome.pushed_to),
    ]
    lines += [_step_line(step) for step in outcome.steps]
    if outcome.verification is not None:
        lines.append(f"verification: {outcome.verification.state}: {outcome.verification.summary}")
    elif status is PlanStatus.APPLIED:
        lines.append(VERIFICATION_OWED)
    report = error_report(outcome)
    if report is not None and local and not outcome.preflight_ready:
        # the checklist's report, just above, lists each failure with its fix: say it once
        failed = len(outcome.preflight_failed)
        report = replace(report, message=f"the {failed} failed check(s) listed above")
    if report is not None:
        lines.append(render_error_text(report))
    lines.append(status_line(status))
    return "\n".join(lines)


def tally(outcome: Outcome) -> str:
    """Every step counted: ``3 steps: 1 succeeded, 1 failed, 1 not run``."""
    count = dict.fromkeys(StepState, 0)
    for step in outcome.steps:
        count[step.state] += 1
    total = len(outcome.steps)
    return (
        f"{total} step{'' if total == 1 else 's'}: {count[StepState.PASSED]} succeeded, "
        f"{count[StepState.FAILED]} failed, {count[StepState.NOT_RUN]} not run"
    )


def _headline(outcome: Outcome) -> str:
    if not outcome.preflight_ready:
        return "blocked by the pre-execution checklist: no step ran"
    passed = sum(step.state is StepState.PASSED for step in outcome.steps)
    return f"{passed} of {len(outcome.steps)} steps succeeded"


def render_summary(outcome: Outcome) -> str:
    status = plan_status(outcome)
    lines = [f"## applygate execute: {status}", "", _headline(outcome), ""]
    lines += [git_line(outcome.commit, outcome.pushed_to, markdown=True), ""]
    if outcome.steps:
        lines += ["| Step | Result | Attempts | Exit codes |", "|---|---|---|---|"]
        for step in outcome.steps:
            codes = ", ".join("timeout" if a.timed_out else str(a.exit_code) for a in step.attempts)
            lines.append(
                f"| {step.number}. `{code_cell(step.command)}` | {ICONS[step.state]} {step.state} "
                f"| {len(step.attempts)} | {codes} |"
            )
        lines.append("")
    if outcome.verification is not None:
        check = outcome.verification
        lines += [f"**Verification**: {check.state}: {cell(check.summary)}", ""]
    elif status is PlanStatus.APPLIED:
        lines += [f"**Verification**: {VERIFICATION_OWED}", ""]
    report = error_report(outcome)
    if report is not None:
        lines += [render_error_markdown(report), ""]
    lines += [f"`{status_line(status)}`", ""]
    return "\n".join(lines)
