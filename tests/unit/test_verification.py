"""Verification results as data: plan status, outputs, progress lines, classified error reports,
the JSON report and the rendered reports."""

from __future__ import annotations

import json

import pytest

from applygate.core.classify import ErrorType
from applygate.core.criteria import Criterion, HttpCheck, RunCheck
from applygate.core.expect import Observation, mismatches
from applygate.core.status import PlanStatus
from applygate.core.verification import (
    Attempt,
    CriterionResult,
    Subject,
    VerifyResult,
    error_report,
    outputs,
    progress_line,
    report_data,
    status_summary,
)
from applygate.core.verification_report import render_console, render_summary

SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
SUBJECT = Subject("verify.yml", SHA, "main")
RUN = Criterion("vpc exists", RunCheck("aws ec2 describe-vpcs"), retries=10, interval=30.0)
WEB = Criterion("api healthy", HttpCheck("http://h/", status=200), retries=2, interval=0.5)


def attempt(criterion: Criterion, number: int, seen: Observation, start: float = 0.0) -> Attempt:
    return Attempt(
        number=number,
        start=start,
        duration=0.25,
        observation=seen,
        mismatches=mismatches(criterion.check, seen),
    )


def result(criterion: Criterion, *seen: Observation) -> CriterionResult:
    return CriterionResult(
        criterion, tuple(attempt(criterion, n + 1, s, n * 1.0) for n, s in enumerate(seen))
    )


PASS = result(RUN, Observation(exit_code=1, output="no vpc"), Observation(exit_code=0))
FAIL = result(WEB, *[Observation(status=503, text="down", output="down")] * 3)


def test_all_passed_is_complete_and_any_failure_blocks() -> None:
    assert VerifyResult(SUBJECT, (PASS,)).plan_status is PlanStatus.COMPLETE
    both = VerifyResult(SUBJECT, (PASS, FAIL))
    assert both.plan_status is PlanStatus.BLOCKED
    assert (both.passed_names, both.failed_names) == (("vpc exists",), ("api healthy",))


def test_no_criteria_and_no_attempts_prove_nothing() -> None:
    assert not VerifyResult(SUBJECT, ()).passed
    assert not VerifyResult(SUBJECT, (CriterionResult(RUN, ()),)).passed


def test_outputs_and_status_summary() -> None:
    both = VerifyResult(SUBJECT, (PASS, FAIL))
    assert outputs(both, "/tmp/r.json") == {
        "plan-status": "BLOCKED",
        "passed": "vpc exists",
        "failed": "api healthy",
        "report": "/tmp/r.json",
    }
    assert status_summary(both) == "verify: 1 of 2 criteria failed: api healthy"
    assert status_summary(VerifyResult(SUBJECT, (PASS,))) == "verify: 1 of 1 criteria passed"


def test_progress_lines() -> None:
    failed = attempt(RUN, 3, Observation(exit_code=1))
    # The form, exactly.
    assert progress_line(RUN, failed, 30.0) == (
        "vpc exists: attempt 3/11 failed (exit 1); retrying in 30s"
    )
    assert progress_line(RUN, failed, None) == "vpc exists: attempt 3/11 failed (exit 1); giving up"
    ok = attempt(WEB, 1, Observation(status=200))
    assert progress_line(WEB, ok, None) == "api healthy: attempt 1/3 passed (HTTP 200)"
    assert progress_line(WEB, attempt(WEB, 2, Observation(status=503)), 0.5) == (
        "api healthy: attempt 2/3 failed (HTTP 503); retrying in 500ms"
    )


WANTS_VPC = Criterion("vpc", RunCheck("x", stdout_contains="vpc-"), retries=1)
WANTS_GREEN = Criterion("api", HttpCheck("http://h/", json=(("$.status", "green"),)), retries=1)


@pytest.mark.parametrize(
    ("criterion", "seen", "line"),
    [
        (
            WANTS_VPC,
            Observation(exit_code=0, text="none"),
            "vpc: attempt 1/2 failed (exit 0: expected stdout to contain 'vpc-', it does not); "
            "retrying in 5s",
        ),
        (
            WANTS_GREEN,
            Observation(status=200, text='{"status": "red"}'),
            'api: attempt 1/2 failed (HTTP 200: expected $.status = "green", got "red"); '
            "retrying in 5s",
        ),
        (
            WEB,
            Observation(error="connection refused"),
            "api healthy: attempt 1/3 failed (no answer: expected an HTTP answer, got none: "
            "connection refused); retrying in 5s",
        ),
        (
            RUN,
            Observation(timed_out=True, timeout=2.0),
            "vpc exists: attempt 1/11 failed (timed out); retrying in 5s",
        ),
    ],
)
def test_progress_line_says_why_when_the_code_does_not(
    criterion: Criterion, seen: Observation, line: str
) -> None:
    assert progress_line(criterion, attempt(criterion, 1, seen), 5.0) == line


def one(check: RunCheck | HttpCheck, seen: Observation) -> CriterionResult:
    return result(Criterion("c", check), seen)


CMD, URL = RunCheck("x"), HttpCheck("http://h/")
CLASSES = [
    ("timeout", one(CMD, Observation(timed_out=True, timeout=1.0)), ErrorType.TRANSIENT),
    ("exit 1 silent", one(CMD, Observation(exit_code=1)), ErrorType.VALIDATION),
    (
        "not found",
        one(CMD, Observation(exit_code=127, output="nope: command not found")),
        ErrorType.VALIDATION,
    ),
    (
        "denied",
        one(CMD, Observation(exit_code=1, output="AccessDenied: access denied")),
        ErrorType.PERMISSION,
    ),
    (
        "lock",
        one(CMD, Observation(exit_code=1, output="Error acquiring the state lock")),
        ErrorType.STATE_CONFLICT,
    ),
    (
        "network",
        one(CMD, Observation(exit_code=7, output="curl: (7) connection refused")),
        ErrorType.TRANSIENT,
    ),
    (
        "wrong stdout",
        one(RunCheck("x", stdout_contains="y"), Observation(exit_code=0, text="n", output="n")),
        ErrorType.VALIDATION,
    ),
    ("http 503", one(URL, Observation(status=503)), ErrorType.TRANSIENT),
    ("http 429", one(URL, Observation(status=429)), ErrorType.TRANSIENT),
    ("http 403", one(URL, Observation(status=403)), ErrorType.PERMISSION),
    ("http 401", one(URL, Observation(status=401)), ErrorType.PERMISSION),
    ("http 409", one(URL, Observation(status=409)), ErrorType.STATE_CONFLICT),
    ("http 404", one(URL, Observation(status=404)), ErrorType.VALIDATION),
    ("refused", one(URL, Observation(error="connection refused")), ErrorType.TRANSIENT),
    ("http timeout", one(URL, Observation(timed_out=True)), ErrorType.TRANSIENT),
]


@pytest.mark.parametrize(("failed", "kind"), [c[1:] for c in CLASSES], ids=[c[0] for c in CLASSES])
def test_error_type_of_each_failure(failed: CriterionResult, kind: ErrorType) -> None:
    assert not failed.passed
    assert error_report(failed, "not attempted").error_type is kind


def test_error_report_fields() -> None:
    report = error_report(FAIL, "reverted abc123")
    assert report.message == "down"
    assert report.root_cause == (
        "expected status 200, got 503 (after 3 attempts in 2.2s; HTTP 503)"
    )
    assert report.rollback_status == "reverted abc123"


def test_json_report_has_every_attempt() -> None:
    data = report_data(VerifyResult(SUBJECT, (PASS, FAIL), "not attempted"), "2026-01-01T00:00:00")
    json.dumps(data)  # serializable
    assert data["plan-status"] == "BLOCKED"
    assert (data["sha"], data["branch"], data["criteria-file"]) == (SHA, "main", "verify.yml")
    first, second = data["criteria"]
    assert [a["matched"] for a in first["attempts"]] == [False, True]
    assert first["attempts"][0] == {
        "number": 1,
        "start": 0.0,
        "duration": 0.25,
        "exit-code": 1,
        "status": None,
        "timed-out": False,
        "error": None,
        "matched": False,
        "mismatches": ["expected exit code 0, got 1"],
        "output": "no vpc",
    }
    assert first["error"] is None
    assert [a["status"] for a in second["attempts"]] == [503, 503, 503]
    assert second["error"]["error-type"] == "Transient"


def test_success_report() -> None:
    done = VerifyResult(SUBJECT, (PASS,))
    console = render_console(done)
    assert console.splitlines()[0] == "## Verification Complete ✅"
    assert f"Git: {SHA} on main; criteria from verify.yml" in console
    assert "  ok   vpc exists  attempts 2/11, 1.2s" in console
    assert console.endswith("Verification: All criteria passed ✅\nPLAN_STATUS: COMPLETE")
    summary = render_summary(done)
    assert "| vpc exists | ✅ passed | 2/11 | 1.2s |" in summary
    assert summary.rstrip().endswith("`PLAN_STATUS: COMPLETE`")


def test_error_report_rendering() -> None:
    blocked = VerifyResult(SUBJECT, (PASS, FAIL), "not attempted")
    console = render_console(blocked)
    assert console.splitlines()[0] == "## Verification failed ❌ (1 of 2 criteria)"
    assert "### api healthy\nError Type: Transient\nError Message:\n  down\nRoot Cause:" in console
    assert "Rollback Status: not attempted" in console
    assert console.endswith("PLAN_STATUS: BLOCKED")
    summary = render_summary(blocked)
    assert "| api healthy | ❌ failed | 3/3 | 2.2s |" in summary
    assert "| Error Type | Transient |" in summary
    assert summary.rstrip().endswith("`PLAN_STATUS: BLOCKED`")
