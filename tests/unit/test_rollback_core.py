"""The rollback's pure decisions: what a push answer means, and whether a revert verifies."""

from __future__ import annotations

from dataclasses import replace

import pytest

from applygate.core.classify import ErrorType
from applygate.core.restore import Mode, Restore, status_line
from applygate.core.restore import outputs as restore_outputs
from applygate.core.rollback import (
    ABSENT,
    Push,
    RevertFacts,
    RollbackResult,
    read_push,
    revert_problems,
    status_text,
)
from applygate.inputs.registry import OUTPUTS

REJECT = "!\tHEAD:refs/heads/main\t[rejected] ({})\nDone"


@pytest.mark.parametrize(
    ("code", "output", "expected"),
    [
        (0, "*\tHEAD:refs/heads/main\t[new branch]\nDone", Push.PUSHED),
        (0, " \tabc:refs/heads/main\t1111..2222\nDone", Push.PUSHED),
        (1, REJECT.format("fetch first"), Push.MOVED),
        (1, REJECT.format("non-fast-forward"), Push.MOVED),
        (
            1,
            "!\tHEAD:refs/heads/main\t[remote rejected] (failed to update ref)\n"
            "remote: error: cannot lock ref 'refs/heads/main': is at 1 but expected 2",
            Push.MOVED,
        ),
        (1, "!\tHEAD:refs/heads/main\t[remote rejected] (pre-receive hook declined)", Push.REFUSED),
        (128, "fatal: unable to access: The requested URL returned error: 403", Push.REFUSED),
    ],
)
def test_read_push(code: int, output: str, expected: Push) -> None:
    assert read_push(code, output) is expected


A, B, C, D = ("a" * 40, "b" * 40, "c" * 40, "d" * 40)
GOOD = RevertFacts(
    remote_tip="r" * 40,
    revert="r" * 40,
    base="s" * 40,
    reverted="s" * 40,
    reverted_changes={"main.tf": (A, B), "new.tf": (ABSENT, C)},
    revert_changes={"main.tf": (B, A), "new.tf": (C, ABSENT)},
    base_blobs={"main.tf": B, "new.tf": C},
    revert_tree="t" * 40,
    parent_tree="t" * 40,
)


@pytest.mark.parametrize(
    ("facts", "problem"),
    [
        (replace(GOOD, remote_tip="x" * 40), "the remote branch tip is xxxxxxxxxxxx"),
        (replace(GOOD, remote_tip=None), "the remote branch tip is no branch"),
        (replace(GOOD, revert_tree="u" * 40), "tree is not the tree before"),
        (replace(GOOD, revert_changes={}), "the revert changes nothing"),
        (
            replace(GOOD, revert_changes={**GOOD.revert_changes, "other.tf": (A, D)}),
            "changes other.tf, which the reverted commit did not touch",
        ),
        (
            replace(GOOD, revert_changes={"main.tf": (B, D), "new.tf": (C, ABSENT)}),
            "main.tf is not back as it was",
        ),
        (replace(GOOD, revert_changes={"main.tf": (B, A)}), "new.tf is not back as it was"),
    ],
)
def test_a_revert_that_does_not_undo_the_commit_fails(facts: RevertFacts, problem: str) -> None:
    assert any(problem in found for found in revert_problems(facts)), revert_problems(facts)


def test_an_exact_revert_verifies() -> None:
    assert revert_problems(GOOD) == []


def test_a_revert_replayed_on_a_moved_branch_verifies_without_the_tree_rule() -> None:
    """Another commit changed other.tf and main.tf meanwhile: only new.tf can go back exactly."""
    moved = replace(
        GOOD,
        base="m" * 40,
        base_blobs={"main.tf": D, "new.tf": C},
        revert_changes={"main.tf": (D, A), "new.tf": (C, ABSENT)},
        revert_tree="u" * 40,
    )
    assert revert_problems(moved) == []


def test_status_and_outputs() -> None:
    done = RollbackResult(
        reverted=True, sha=A, revert_sha=B, remote="origin", branch="main", replayed=True
    )
    assert status_text(done) == (
        f"reverted {A[:12]} with {B[:12]} pushed to origin/main "
        "(the revert checked on the remote, replayed once on the moved branch)"
    )
    failed = RollbackResult(
        reverted=False,
        sha=A,
        error_type=ErrorType.STATE_CONFLICT,
        reason="the revert conflicts",
        local="local repository restored (main)",
    )
    assert status_text(failed) == (
        "rollback failed: State conflict: the revert conflicts; local repository restored (main)"
    )
    found = Restore(mode=Mode.GIT_REVERT, done=False, action=status_text(failed))
    words = status_line(found)
    assert set(restore_outputs(found, words)) == {
        s.name for s in OUTPUTS if "rollback" in s.commands
    }
