"""The fingerprint command's words: status description, console line and job summary."""

from __future__ import annotations

import pytest

from applygate.core.fingerprint import PlanOutcome
from applygate.core.fingerprint_report import (
    FingerprintResult,
    describe,
    render_console,
    render_summary,
)

VALUE = "3f" * 32
RECORDED = FingerprintResult(
    command="terraform plan -detailed-exitcode",
    outcome=PlanOutcome.CHANGES,
    exit_code=2,
    duration=12.3,
    value=VALUE,
    sha="6dcb09b5b57875f334f61aebed695e2e4193db5e",
    ignores=2,
)
FAILED = FingerprintResult(
    command="terraform plan | tee `log`",
    outcome=PlanOutcome.ERROR,
    exit_code=1,
    duration=0.5,
    reason="the dry-run exited with 1",
    output="Error: ``` no credentials",
)
KILLED = FingerprintResult(
    command="terraform plan",
    outcome=PlanOutcome.ERROR,
    exit_code=None,
    duration=60,
    reason="the dry-run was killed after 1m (input command-timeout)",
)


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (RECORDED, f"plan fingerprint {VALUE[:12]} (changes)"),
        (FAILED, "no fingerprint: the dry-run exited with 1"),
        (KILLED, "no fingerprint: the dry-run was killed after 1m (input command-timeout)"),
    ],
)
def test_describe(result: FingerprintResult, expected: str) -> None:
    assert describe(result) == expected


def test_console_line_names_the_value_the_outcome_and_the_exit_code() -> None:
    assert render_console(RECORDED) == f"plan-fingerprint: {VALUE} (changes, exit 2)"


@pytest.mark.parametrize(
    ("result", "present", "absent"),
    [
        (
            RECORDED,
            [
                "## applygate fingerprint: recorded",
                f"| Fingerprint | `{VALUE}` |",
                "| Plan | changes |",
                "| Dry-run | `terraform plan -detailed-exitcode` |",
                "| Exit code | 2 |",
                "| Duration | 12.3s |",
                f"| Commit | `{RECORDED.sha}` |",
                "| Ignore regexes | defaults + 2 |",
            ],
            ["Reason", "Error Message"],
        ),
        (
            FAILED,
            [
                "## applygate fingerprint: none",
                "| Fingerprint | none |",
                "| Reason | the dry-run exited with 1 |",
                "| Dry-run | `terraform plan \\| tee 'log'` |",  # a cell the code span can't break
                "| Commit | unknown |",
                "| Ignore regexes | defaults |",
                "````text\nError: ``` no credentials\n````",  # a fence the output cannot close
            ],
            [],
        ),
        (KILLED, ["| Exit code | killed (timeout) |", "| Reason | the dry-run was killed"], []),
    ],
)
def test_summary(result: FingerprintResult, present: list[str], absent: list[str]) -> None:
    summary = render_summary(result)
    for text in present:
        assert text in summary
    for text in absent:
        assert text not in summary
