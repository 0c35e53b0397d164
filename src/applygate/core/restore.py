"""A rollback's verdict as plain data: which mode ran, whether its action was done, and whether
the rollback criteria proved the live system restored afterwards.

``restored`` is claimed only when the rollback criteria ran after the action and passed. A revert
that reached the remote, or undo steps that exited 0, without passing criteria are ``unverified``:
git or the steps did their part, nobody saw the system come back.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Mode(StrEnum):
    NONE = "none"
    GIT_REVERT = "git-revert"  # revert and push to the branch a reconciler watches
    REDEPLOY = "redeploy"  # the apply steps again on the last good commit, in a clean worktree
    STEPS = "steps"  # the user's own undo commands


class Status(StrEnum):
    RESTORED = "restored"  # the action was done and the rollback criteria passed
    UNVERIFIED = "unverified"  # the action was done; criteria absent or failing
    FAILED = "failed"  # the action itself failed
    NONE = "none"  # no rollback ran


class Check(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    ABSENT = "absent"  # no rollback criteria (none given, no verification criteria either)


@dataclass(frozen=True, kw_only=True)
class Restore:
    mode: Mode
    done: bool  # the action succeeded (revert pushed and verified, steps exited 0)
    check: Check = Check.ABSENT
    action: str = ""  # what the action did or why it failed, in words
    criteria: str = ""  # what the rollback criteria found
    sha: str = ""  # what the system was returned to (a commit), when one is known
    revert_sha: str = ""
    reverted: str = ""  # git-revert: the commit reverted (what a published status is about)


def status(restore: Restore) -> Status:
    if not restore.done:
        return Status.FAILED
    return Status.RESTORED if restore.check is Check.PASSED else Status.UNVERIFIED


_NEXT = {
    Mode.GIT_REVERT: "fix what stopped the revert and run applygate rollback again, or revert "
    "the commit by hand and push it; then run applygate verify",
    Mode.REDEPLOY: "redeploy the last good commit by hand, then run applygate verify",
    Mode.STEPS: "undo the change by hand, then run applygate verify",
}
_RECONCILE = (
    "check that the reconciler applied the revert (or apply it by hand), then run applygate "
    "verify with the rollback criteria"
)


def next_step(restore: Restore) -> str:
    """The exact next step when the system is not known to be restored; empty when it is."""
    state = status(restore)
    if state is Status.RESTORED:
        return ""
    if state is Status.FAILED:
        return _NEXT[restore.mode]
    if restore.check is Check.ABSENT:
        return (
            "set rollback-criteria (or criteria) so the rollback can be proved, and run "
            "applygate verify with them now"
        )
    if restore.mode is Mode.GIT_REVERT:
        return _RECONCILE
    return "the system did not come back: " + _NEXT[restore.mode]


def status_line(restore: Restore) -> str:
    """The Rollback Status of the error report, in words, with the next step when not restored."""
    state = status(restore)
    what = f"{restore.mode}: {restore.action}" if restore.action else str(restore.mode)
    if state is Status.FAILED:
        return f"rollback failed ({what}); next: {next_step(restore)}"
    proof = {
        Check.PASSED: f"the rollback criteria passed ({restore.criteria})",
        Check.FAILED: f"but the rollback criteria failed ({restore.criteria})",
        Check.ABSENT: "but no rollback criteria ran",
    }[restore.check]
    if state is Status.RESTORED:
        return f"restored ({what}); {proof}"
    return f"unverified ({what}) {proof}; next: {next_step(restore)}"


def outputs(restore: Restore | None, detail: str) -> dict[str, str]:
    """rollback-status (one word), rollback-detail (the words), rollback-sha, revert-sha."""
    if restore is None:
        return {
            "rollback-status": Status.NONE,
            "rollback-detail": detail,
            "rollback-sha": "",
            "revert-sha": "",
        }
    return {
        "rollback-status": status(restore),
        "rollback-detail": detail,
        "rollback-sha": restore.sha,
        "revert-sha": restore.revert_sha,
    }
