"""Guarded execution as plain data: one record per step and attempt, what to do after each
attempt, and the plan status the whole run ends in.

The shell runs the commands and sleeps; this module decides. A step that fails is classified with
the one rule table (core/classify.py): a Transient failure is retried after a backoff that doubles
each time, anything else stops the run, and the later steps are reported as not run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from applygate.core.classify import ErrorType, classify_output, is_recoverable
from applygate.core.restore import Restore
from applygate.core.status import PlanStatus
from applygate.core.verification import VerifyResult, status_summary
from applygate.core.verification import error_report as verify_error


@dataclass(frozen=True, kw_only=True)
class Attempt:
    """One run of a step. ``error_type`` is None when it succeeded."""

    exit_code: int | None  # None: killed for taking too long
    duration: float
    timed_out: bool = False
    error_type: ErrorType | None = None
    why: str = ""
    output_tail: str = ""  # the end of its output, redacted

    @property
    def ok(self) -> bool:
        return self.error_type is None


OUTLIVED = (
    "a process it started left its process group and is still running (it holds the step's "
    "output open): the step has not finished, so what it changed cannot be judged"
)


def judge_attempt(
    exit_code: int | None,
    timed_out: bool,
    duration: float,
    output: str,
    tail: str,
    outlived: bool = False,
) -> Attempt:
    """An attempt's record, classified when it failed (from its status and all it printed).
    A step that left a process running behind it failed, whatever its exit code, and is not
    retried: running it again would start a second one."""
    if outlived and not timed_out:
        return Attempt(
            exit_code=exit_code,
            duration=duration,
            error_type=ErrorType.STATE_CONFLICT,
            why=OUTLIVED,
            output_tail=tail,
        )
    if exit_code == 0 and not timed_out:
        return Attempt(exit_code=0, duration=duration, output_tail=tail)
    found = classify_output(output, exit_code=exit_code, timed_out=timed_out)
    return Attempt(
        exit_code=None if timed_out else exit_code,
        duration=duration,
        timed_out=timed_out,
        error_type=found.error_type,
        why=found.why,
        output_tail=tail,
    )


class StepState(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_RUN = "not run"


@dataclass(frozen=True)
class StepRecord:
    number: int  # 1-based, as people count steps
    command: str  # redacted
    attempts: tuple[Attempt, ...] = ()

    @property
    def state(self) -> StepState:
        if not self.attempts:
            return StepState.NOT_RUN
        return StepState.PASSED if self.attempts[-1].ok else StepState.FAILED

    @property
    def last(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None


# No single wait is longer than this, however many retries were asked for.
MAX_RETRY_WAIT = 600.0


def retry_waits(retries: int, interval: float) -> tuple[float, ...]:
    """The wait before each retry: ``interval``, then doubled each time (10s, 20s, 40s, ...), at
    most ``MAX_RETRY_WAIT`` each."""
    return tuple(min(interval * 2 ** min(n, 64), MAX_RETRY_WAIT) for n in range(retries))


class Next(StrEnum):
    CONTINUE = "continue"  # it succeeded: on to the next step
    RETRY = "retry"  # a transient failure with retries left: wait, run it again
    STOP = "stop"  # a failure that retrying cannot fix, or no retries left


@dataclass(frozen=True)
class Action:
    next: Next
    wait: float = 0.0


def after_attempt(attempts: Sequence[Attempt], waits: Sequence[float]) -> Action:
    """What to do after the latest of a step's ``attempts`` (``waits`` from ``retry_waits``)."""
    latest = attempts[-1]
    if latest.ok:
        return Action(Next.CONTINUE)
    retried = len(attempts) - 1
    if latest.error_type is not None and is_recoverable(latest.error_type) and retried < len(waits):
        return Action(Next.RETRY, waits[retried])
    return Action(Next.STOP)


class VerificationState(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    UNAVAILABLE = "unavailable"  # could not verify: never counts as passed


@dataclass(frozen=True, kw_only=True)
class Verification:
    """What verification after the steps found (or why it could not run)."""

    state: VerificationState
    summary: str
    error_type: ErrorType = ErrorType.VALIDATION
    message: str = ""  # the failing evidence, redacted
    report: str = ""  # path of verify's JSON report


def from_verify_result(result: VerifyResult, report: str) -> Verification:
    """What ``applygate verify`` found, for execute: the first failed criterion's error."""
    summary = status_summary(result)
    if result.passed:
        return Verification(state=VerificationState.PASSED, summary=summary, report=report)
    failed = next(r for r in result.results if not r.passed) if result.results else None
    if failed is None:
        return Verification(state=VerificationState.FAILED, summary=summary, report=report)
    found = verify_error(failed, result.rollback_status)
    return Verification(
        state=VerificationState.FAILED,
        summary=summary,
        error_type=found.error_type,
        message=found.message,
        report=report,
    )


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """Everything an execute run found, from the checklist to the rollback."""

    preflight_ready: bool
    preflight_failed: tuple[str, ...] = ()  # "check: what was found", for the report
    steps: tuple[StepRecord, ...] = ()
    verification: Verification | None = None  # None: no criteria given
    rollback_status: str = "not attempted"  # the words: the report's Rollback Status line
    restore: Restore | None = None  # the rollback that ran, if one did
    commit: str = ""  # HEAD when the checklist ran
    pushed_to: str = ""  # where the checklist found it pushed ("origin/main"), else ""
    deployment_id: str = ""  # the GitHub deployment recording this apply, if one was made

    @property
    def applied(self) -> bool:
        """Every step ran and succeeded."""
        ran = self.preflight_ready and bool(self.steps)
        return ran and all(step.state is StepState.PASSED for step in self.steps)

    @property
    def failed_step(self) -> StepRecord | None:
        return next((s for s in self.steps if s.state is StepState.FAILED), None)

    @property
    def any_step_ran(self) -> bool:
        return any(step.attempts for step in self.steps)


def plan_status(outcome: Outcome) -> PlanStatus:
    """COMPLETE only after verification passed; APPLIED when verification is still owed."""
    if not outcome.applied:
        return PlanStatus.BLOCKED
    if outcome.verification is None:
        return PlanStatus.APPLIED
    if outcome.verification.state is VerificationState.PASSED:
        return PlanStatus.COMPLETE
    return PlanStatus.BLOCKED


def wants_rollback(outcome: Outcome) -> bool:
    """Roll back when the run is blocked after at least one step ran (changed live state)."""
    return outcome.any_step_ran and plan_status(outcome) is PlanStatus.BLOCKED


def rollback_owed(outcome: Outcome, reverted: str) -> str:
    """The Rollback Status when no rollback was run: what may need undoing, and how."""
    ran = [step.number for step in outcome.steps if step.attempts]
    if not ran:
        return "nothing to roll back: no step ran"
    shown = ", ".join(str(number) for number in ran)
    return (
        f"not attempted (rollback: none): step(s) {shown} ran and may have changed live state; "
        f"to undo, revert {reverted[:12] or 'the applied commit'} "
        "(applygate rollback), or set rollback: git-revert, redeploy or steps"
    )
