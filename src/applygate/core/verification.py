"""A verification's results as data, and what they say: the plan status, the outputs, the error
report of each failed criterion (classified by the one rule table in core/classify.py), progress
lines and the JSON report. Pure: times are given, never read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from applygate.core.classify import classify_output
from applygate.core.criteria import Criterion, HttpCheck, RunCheck
from applygate.core.durations import format_duration
from applygate.core.expect import Observation, brief
from applygate.core.status import ErrorReport, PlanStatus, trim_output

REPORT_VERSION = 1


@dataclass(frozen=True, kw_only=True)
class Attempt:
    number: int  # 1-based
    start: float  # seconds since the verification started
    duration: float
    observation: Observation
    mismatches: tuple[str, ...]  # empty: every expectation was met

    @property
    def matched(self) -> bool:
        return not self.mismatches


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    attempts: tuple[Attempt, ...]

    @property
    def passed(self) -> bool:
        return bool(self.attempts) and self.attempts[-1].matched

    @property
    def duration(self) -> float:
        """From the first attempt's start to the last one's end (waits included)."""
        if not self.attempts:
            return 0.0
        last = self.attempts[-1]
        return last.start + last.duration - self.attempts[0].start


@dataclass(frozen=True)
class Subject:
    """What was verified: the criteria file, and the commit and branch it is about."""

    source: str
    sha: str = ""
    branch: str = ""


@dataclass(frozen=True)
class VerifyResult:
    subject: Subject
    results: tuple[CriterionResult, ...]
    rollback_status: str = "not attempted"

    @property
    def passed(self) -> bool:
        """Every criterion passed. No criteria prove nothing: that does not pass."""
        return bool(self.results) and all(result.passed for result in self.results)

    @property
    def plan_status(self) -> PlanStatus:
        return PlanStatus.COMPLETE if self.passed else PlanStatus.BLOCKED

    @property
    def passed_names(self) -> tuple[str, ...]:
        return tuple(r.criterion.name for r in self.results if r.passed)

    @property
    def failed_names(self) -> tuple[str, ...]:
        return tuple(r.criterion.name for r in self.results if not r.passed)


def progress_line(criterion: Criterion, attempt: Attempt, retrying_in: float | None) -> str:
    """``vpc exists: attempt 3/11 failed (exit 1); retrying in 30s``. When the exit code or status
    does not say why the attempt failed (it was the expected one, or none came), the first unmet
    expectation follows it: ``(exit 0: expected stdout to contain 'vpc-', it does not)``."""
    head = f"{criterion.name}: attempt {attempt.number}/{criterion.attempts}"
    seen = brief(attempt.observation)
    if attempt.matched:
        return f"{head} passed ({seen})"
    if not _evident(criterion.check, attempt.observation):
        seen = f"{seen}: {attempt.mismatches[0]}"
    then = "giving up" if retrying_in is None else f"retrying in {format_duration(retrying_in)}"
    return f"{head} failed ({seen}); {then}"


def _evident(check: RunCheck | HttpCheck, seen: Observation) -> bool:
    """Does the brief form (``exit 1``, ``HTTP 503``, ``timed out``) alone explain the failure?"""
    if seen.timed_out:
        return True
    if isinstance(check, RunCheck):
        return seen.exit_code is not None and seen.exit_code != check.exit_code
    if seen.status is None:
        return False
    if check.status is None:
        return not 200 <= seen.status < 300
    return seen.status != check.status


def error_report(result: CriterionResult, rollback_status: str) -> ErrorReport:
    """The protocol's four fields for a failed criterion, from its last attempt."""
    last = result.attempts[-1] if result.attempts else None
    if last is None:
        return ErrorReport(
            error_type=classify_output("").error_type,
            message="",
            root_cause="the criterion was never attempted",
            rollback_status=rollback_status,
        )
    seen = last.observation
    shown = seen.output or seen.error
    kind = classify_output(
        shown, exit_code=seen.exit_code, http_status=seen.status, timed_out=seen.timed_out
    )
    count = len(result.attempts)
    tries = f"{count} attempt{'s' if count != 1 else ''} in {format_duration(result.duration)}"
    return ErrorReport(
        error_type=kind.error_type,
        message=trim_output(shown),
        root_cause=f"{'; '.join(last.mismatches)} (after {tries}; {kind.why})",
        rollback_status=rollback_status,
    )


def outputs(result: VerifyResult, report_path: str) -> dict[str, str]:
    return {
        "plan-status": str(result.plan_status),
        "passed": ",".join(result.passed_names),
        "failed": ",".join(result.failed_names),
        "report": report_path,
    }


def status_summary(result: VerifyResult) -> str:
    """One line for the commit status: how many passed, or which failed."""
    total = len(result.results)
    if result.passed:
        return f"verify: {total} of {total} criteria passed"
    failed = result.failed_names
    return f"verify: {len(failed)} of {total} criteria failed: {', '.join(failed)}"


def report_data(result: VerifyResult, started_at: str) -> dict[str, Any]:
    """The JSON report: every attempt of every criterion, and each failure's error report."""
    return {
        "version": REPORT_VERSION,
        "criteria-file": result.subject.source,
        "sha": result.subject.sha,
        "branch": result.subject.branch,
        "started-at": started_at,
        "plan-status": str(result.plan_status),
        "passed": list(result.passed_names),
        "failed": list(result.failed_names),
        "criteria": [_criterion_data(r, result.rollback_status) for r in result.results],
    }


def _criterion_data(result: CriterionResult, rollback_status: str) -> dict[str, Any]:
    failure = None
    if not result.passed:
        report = error_report(result, rollback_status)
        failure = {
            "error-type": str(report.error_type),
            "error-message": report.message,
            "root-cause": report.root_cause,
            "rollback-status": report.rollback_status,
        }
    return {
        "name": result.criterion.name,
        "kind": "http" if isinstance(result.criterion.check, HttpCheck) else "run",
        "passed": result.passed,
        "duration": round(result.duration, 3),
        "attempts": [_attempt_data(attempt) for attempt in result.attempts],
        "error": failure,
    }


def _attempt_data(attempt: Attempt) -> dict[str, Any]:
    seen = attempt.observation
    return {
        "number": attempt.number,
        "start": round(attempt.start, 3),
        "duration": round(attempt.duration, 3),
        "exit-code": seen.exit_code,
        "status": seen.status,
        "timed-out": seen.timed_out,
        "error": seen.error or None,
        "matched": attempt.matched,
        "mismatches": list(attempt.mismatches),
        "output": trim_output(seen.output or seen.error),
    }


@dataclass(frozen=True, kw_only=True)
class VerifySettings:
    """How to verify, beyond the criteria: concurrency, and what the reports say."""

    max_parallel: int = 4
    rollback_status: str = "not attempted"
    sha: str = ""  # the commit verified, for the reports
    branch: str = ""
