"""Execution decisions and reports over plain data: attempts, retries, plan status, outputs."""

from __future__ import annotations

import pytest

from applygate.core.classify import ErrorType
from applygate.core.execution import (
    Action,
    Attempt,
    Next,
    Outcome,
    StepRecord,
    StepState,
    Verification,
    VerificationState,
    after_attempt,
    judge_attempt,
    plan_status,
    retry_waits,
    rollback_owed,
    wants_rollback,
)
from applygate.core.execution_report import (
    error_report,
    outputs,
    render_console,
    render_summary,
    report_json,
)
from applygate.core.status import PlanStatus
from applygate.inputs.registry import OUTPUTS

OK = Attempt(exit_code=0, duration=0.5)
TRANSIENT = Attempt(exit_code=1, duration=1.0, error_type=ErrorType.TRANSIENT, why="a timeout")
DENIED = Attempt(exit_code=1, duration=1.0, error_type=ErrorType.PERMISSION, why="HTTP 401/403")


@pytest.mark.parametrize(
    ("retries", "interval", "expected"),
    [
        (0, 10.0, ()),
        (2, 10.0, (10.0, 20.0)),
        (4, 0.5, (0.5, 1.0, 2.0, 4.0)),
        (8, 10.0, (10.0, 20.0, 40.0, 80.0, 160.0, 320.0, 600.0, 600.0)),
        (2, 3600.0, (600.0, 600.0)),
    ],
)
def test_retry_waits_double(retries: int, interval: float, expected: tuple[float, ...]) -> None:
    assert retry_waits(retries, interval) == expected


@pytest.mark.parametrize(
    ("attempts", "waits", "expected"),
    [
        ([OK], (10.0,), Action(Next.CONTINUE)),
        ([TRANSIENT], (10.0, 20.0), Action(Next.RETRY, 10.0)),
        ([TRANSIENT, TRANSIENT], (10.0, 20.0), Action(Next.RETRY, 20.0)),
        ([TRANSIENT, TRANSIENT, TRANSIENT], (10.0, 20.0), Action(Next.STOP)),
        ([TRANSIENT, OK], (10.0, 20.0), Action(Next.CONTINUE)),
        ([TRANSIENT], (), Action(Next.STOP)),
        ([DENIED], (10.0, 20.0), Action(Next.STOP)),
        ([TRANSIENT, DENIED], (10.0, 20.0), Action(Next.STOP)),
    ],
)
def test_after_attempt(attempts: list[Attempt], waits: tuple[float, ...], expected: Action) -> None:
    assert after_attempt(attempts, waits) == expected


@pytest.mark.parametrize(
    ("exit_code", "timed_out", "output", "error_type"),
    [
        (0, False, "Error: but it exited 0", None),
        (1, False, "Error acquiring the state lock", ErrorType.STATE_CONFLICT),
        (None, True, "", ErrorType.TRANSIENT),
        (127, False, "bash: terraform: command not found", ErrorType.VALIDATION),
        (1, False, "An error occurred (AccessDenied)", ErrorType.PERMISSION),
    ],
)
def test_judge_attempt(
    exit_code: int | None, timed_out: bool, output: str, error_type: ErrorType | None
) -> None:
    attempt = judge_attempt(exit_code, timed_out, 1.5, output, output[-10:])
    assert attempt.error_type is error_type
    assert attempt.ok is (error_type is None)
    assert attempt.output_tail == output[-10:]


def steps(*attempts: tuple[Attempt, ...]) -> tuple[StepRecord, ...]:
    return tuple(StepRecord(n, f"cmd {n}", a) for n, a in enumerate(attempts, 1))


PASSED = Verification(state=VerificationState.PASSED, summary="3 of 3 criteria passed")
FAILED = Verification(state=VerificationState.FAILED, summary="1 of 3 failed", message="HTTP 500")
CASES = [
    (Outcome(preflight_ready=False, steps=steps(())), PlanStatus.BLOCKED, False),
    (Outcome(preflight_ready=True, steps=steps((OK,), (OK,))), PlanStatus.APPLIED, False),
    (Outcome(preflight_ready=True, steps=steps((OK,)), verification=PASSED), "COMPLETE", False),
    (Outcome(preflight_ready=True, steps=steps((OK,)), verification=FAILED), "BLOCKED", True),
    (Outcome(preflight_ready=True, steps=steps((OK,), (DENIED,), ())), PlanStatus.BLOCKED, True),
    (Outcome(preflight_ready=True, steps=()), PlanStatus.BLOCKED, False),
]


@pytest.mark.parametrize(("outcome", "status", "rollback"), CASES)
def test_plan_status_and_rollback(outcome: Outcome, status: str, rollback: bool) -> None:
    assert plan_status(outcome) == status
    assert wants_rollback(outcome) is rollback


def test_complete_is_only_ever_claimed_after_verification_passed() -> None:
    for outcome, _, _ in CASES:
        complete = plan_status(outcome) is PlanStatus.COMPLETE
        assert complete == (outcome.verification == PASSED and outcome.applied)


def test_a_failed_step_reports_the_four_fields_and_what_was_not_run() -> None:
    tail = "Error: AccessDenied"
    denied = Attempt(
        exit_code=1, duration=1, error_type=ErrorType.PERMISSION, why="no", output_tail=tail
    )
    outcome = Outcome(
        preflight_ready=True,
        steps=steps((OK,), (TRANSIENT, denied), ()),
        rollback_status="rolled back",
    )
    report = error_report(outcome)
    assert report is not None
    assert report.error_type is ErrorType.PERMISSION
    assert report.message == tail
    assert (
        report.root_cause == "step 2 (cmd 2) exited 1 after 2 attempts: no; 1 later step(s) not run"
    )
    assert report.rollback_status == "rolled back"
    assert outputs(outcome, "/tmp/r.json") == {
        "applied": "false",
        "plan-status": "BLOCKED",
        "failed-step": "2: cmd 2",
        "error-type": "Permission",
        "rollback-status": "none",  # no rollback ran: its words are the detail
        "rollback-detail": "rolled back",
        "rollback-sha": "",
        "revert-sha": "",
        "deployment-id": "",
        "report": "/tmp/r.json",
    }
    console = render_console(outcome)
    assert "not run  3. cmd 3" in console
    assert console.endswith("PLAN_STATUS: BLOCKED")
    summary = render_summary(outcome)
    assert "| 3. `cmd 3` | ⏭️ not run | 0 |  |" in summary
    assert "| 2. `cmd 2` | ❌ failed | 2 | 1, 1 |" in summary


@pytest.mark.parametrize(
    ("outcome", "local", "in_actions"),
    [
        (
            Outcome(preflight_ready=True, steps=steps((OK,), (DENIED,), ())),
            "3 steps: 1 succeeded, 1 failed, 1 not run",
            "1 of 3 steps succeeded",
        ),
        (
            Outcome(preflight_ready=True, steps=steps((OK,), (OK,))),
            "2 steps: 2 succeeded, 0 failed, 0 not run",
            "2 of 2 steps succeeded",
        ),
        (
            Outcome(preflight_ready=True, steps=steps((TRANSIENT, OK))),
            "1 step: 1 succeeded, 0 failed, 0 not run",
            "1 of 1 steps succeeded",
        ),
        (
            Outcome(preflight_ready=False, steps=steps((), ())),
            "blocked by the pre-execution checklist: no step ran",
            "blocked by the pre-execution checklist: no step ran",
        ),
    ],
)
def test_the_headline_counts_failed_and_not_run_steps_locally(
    outcome: Outcome, local: str, in_actions: str
) -> None:
    assert render_console(outcome, local=True).splitlines()[0] == f"applygate execute: {local}"
    assert render_console(outcome).splitlines()[0] == f"applygate execute: {in_actions}"


def test_execute_writes_exactly_its_declared_outputs() -> None:
    written = outputs(Outcome(preflight_ready=True, steps=steps((OK,))), "r.json")
    assert set(written) == {spec.name for spec in OUTPUTS if "execute" in spec.commands}


def test_the_json_report_has_every_attempt() -> None:
    outcome = Outcome(preflight_ready=True, steps=steps((TRANSIENT, OK), ()))
    report = report_json(outcome)
    assert report["plan_status"] == "BLOCKED"
    first, second = report["steps"]
    assert first["status"] == StepState.PASSED
    assert first["attempts"][0] == {
        "attempt": 1,
        "exit_code": 1,
        "timed_out": False,
        "duration_seconds": 1.0,
        "error_type": "Transient",
        "why": "a timeout",
    }
    assert second == {"number": 2, "command": "cmd 2", "status": "not run", "attempts": []}


def test_a_blocked_checklist_has_nothing_to_roll_back() -> None:
    outcome = Outcome(preflight_ready=False, preflight_failed=("clean: 1 file",), steps=steps(()))
    report = error_report(outcome)
    assert report is not None
    assert report.message == "clean: 1 file"
    assert "no step ran" in report.rollback_status
    assert outputs(outcome, "")["failed-step"] == ""


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        (steps((), ()), "nothing to roll back: no step ran"),
        (steps((OK,), (DENIED,), ()), "step(s) 1, 2 ran and may have changed live state"),
    ],
)
def test_rollback_owed_names_what_ran(records: tuple[StepRecord, ...], expected: str) -> None:
    text = rollback_owed(Outcome(preflight_ready=True, steps=records), "a" * 40)
    assert expected in text


def test_a_step_that_left_a_process_running_failed_and_is_not_retried() -> None:
    attempt = judge_attempt(0, False, 0.3, "started\n", "started", outlived=True)
    assert attempt.error_type is ErrorType.STATE_CONFLICT
    assert "still running" in attempt.why
    assert after_attempt([attempt], (10.0, 20.0)) == Action(Next.STOP)
