"""The rollback verdict: restored only when the rollback criteria passed after the action."""

from __future__ import annotations

import pytest

from applygate.core.restore import Check, Mode, Restore, Status, outputs, status, status_line

CASES = [
    # mode, action done, criteria, status
    (Mode.GIT_REVERT, True, Check.PASSED, Status.RESTORED),
    (Mode.GIT_REVERT, True, Check.FAILED, Status.UNVERIFIED),
    (Mode.GIT_REVERT, True, Check.ABSENT, Status.UNVERIFIED),
    (Mode.GIT_REVERT, False, Check.ABSENT, Status.FAILED),
    (Mode.REDEPLOY, True, Check.PASSED, Status.RESTORED),
    (Mode.REDEPLOY, True, Check.FAILED, Status.UNVERIFIED),
    (Mode.REDEPLOY, False, Check.PASSED, Status.FAILED),  # never restored if the action failed
    (Mode.STEPS, True, Check.PASSED, Status.RESTORED),
    (Mode.STEPS, True, Check.ABSENT, Status.UNVERIFIED),
    (Mode.STEPS, False, Check.ABSENT, Status.FAILED),
]


@pytest.mark.parametrize(("mode", "done", "check", "expected"), CASES)
def test_status(mode: Mode, done: bool, check: Check, expected: Status) -> None:
    found = Restore(mode=mode, done=done, check=check, action="did it", criteria="1 of 1 failed")
    assert status(found) is expected
    line = status_line(found)
    assert line.startswith(str(expected) if expected is not Status.FAILED else "rollback failed")
    # the words name the next step exactly when the system is not known to be back
    assert ("; next: " in line) is (expected is not Status.RESTORED)
    assert outputs(found, line)["rollback-status"] == expected


def test_restored_is_never_claimed_without_passing_criteria() -> None:
    for mode in (Mode.GIT_REVERT, Mode.REDEPLOY, Mode.STEPS):
        for done in (True, False):
            for check in Check:
                found = Restore(mode=mode, done=done, check=check)
                restored = status(found) is Status.RESTORED
                assert restored == (done and check is Check.PASSED)


def test_outputs() -> None:
    found = Restore(mode=Mode.REDEPLOY, done=True, check=Check.PASSED, sha="a" * 40)
    assert outputs(found, "words") == {
        "rollback-status": "restored",
        "rollback-detail": "words",
        "rollback-sha": "a" * 40,
        "revert-sha": "",
    }
    assert outputs(None, "not attempted")["rollback-status"] == "none"


def test_next_steps_say_what_to_do() -> None:
    revert = Restore(mode=Mode.GIT_REVERT, done=True, check=Check.FAILED, criteria="1 failed")
    assert "check that the reconciler applied the revert" in status_line(revert)
    failed = Restore(mode=Mode.REDEPLOY, done=False, action="no worktree")
    assert status_line(failed) == (
        "rollback failed (redeploy: no worktree); next: redeploy the last good commit by hand, "
        "then run applygate verify"
    )
