"""The rollback modes against a stand-in live system: a state file the apply steps change.

A real repository and bare remote; the approved commit's apply copies its ``config.txt`` into the
live state file, which the criteria then read. The good commit applied ``good``; the approved one
applies ``bad`` and fails verification. ``redeploy`` and ``steps`` bring the system back and say
``restored``; ``git-revert`` with no reconciler says ``unverified`` and exit 1, never
``restored``. Redeploying never touches the workspace, and a rollback that fails leaves the checkout
as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.e2e.test_preflight_cli import actions_env
from tests.git.conftest import git
from tests.support.live_system import APPLY, System, as_inputs, run_on


def run(system: System, tmp_path: Path, **inputs: str) -> tuple[int, dict[str, str], str]:
    env = {
        **actions_env(system.bad),
        "INPUT_COMMAND": "execute",
        "INPUT_STEPS": APPLY.format(live=system.live),
        "INPUT_CRITERIA": ".github/applygate/verify.yml",
        "INPUT_PUBLISH": "none",
        "RUNNER_TEMP": str(tmp_path),
        **as_inputs(**inputs),
    }
    return run_on(system, env)


def test_redeploy_restores_from_a_separate_worktree(system: System, tmp_path: Path) -> None:
    before = system.checkout()
    code, outputs, log = run(system, tmp_path, rollback="redeploy", rollback_sha=system.good)
    assert code == 1, log  # the apply failed: blocked, whatever the rollback did
    assert outputs["plan-status"] == "BLOCKED"
    assert system.live.read_text() == "version good\n"
    assert outputs["rollback-status"] == "restored", outputs["rollback-detail"]
    assert outputs["rollback-sha"] == system.good
    assert outputs["revert-sha"] == ""
    assert outputs["rollback-detail"].startswith(
        f"restored (redeploy: redeploy of {system.good[:12]}"
    )
    assert "Rollback Status: restored (redeploy" in log
    # the workspace was never touched, nothing was pushed, no worktree is left behind
    assert system.checkout() == before
    assert (system.work / "config.txt").read_text() == "version bad\n"
    assert git(system.bare, "rev-parse", "main") == system.bad
    assert not list(tmp_path.glob("applygate-redeploy-*"))
    report = json.loads(Path(outputs["report"]).read_text())
    assert report["rollback"] == {"status": "restored", "sha": system.good, "revert-sha": ""}


def test_redeploy_accepts_an_abbreviated_good_sha(system: System, tmp_path: Path) -> None:
    code, outputs, _ = run(system, tmp_path, rollback="redeploy", rollback_sha=system.good[:10])
    assert code == 1
    assert outputs["rollback-status"] == "restored"
    assert outputs["rollback-sha"] == system.good


def test_steps_restore(system: System, tmp_path: Path) -> None:
    undo = f"echo 'version good' > {system.live}"
    before = system.checkout()
    code, outputs, log = run(system, tmp_path, rollback="steps", rollback_steps=undo)
    assert code == 1
    assert system.live.read_text() == "version good\n"
    assert outputs["rollback-status"] == "restored", outputs["rollback-detail"]
    assert outputs["rollback-sha"] == ""
    assert "Rollback Status: restored (steps: undo: 1 step(s) succeeded)" in log
    assert system.checkout() == before


def test_git_revert_without_a_reconciler_is_unverified(system: System, tmp_path: Path) -> None:
    code, outputs, log = run(system, tmp_path, rollback="git-revert")
    assert code == 1
    tip = git(system.bare, "rev-parse", "main")
    assert git(system.bare, "log", "-1", "--format=%s", tip) == 'Revert "deploy bad"'
    assert git(system.bare, "rev-parse", "main^") == system.bad  # a new commit, never forced
    assert system.live.read_text() == "version bad\n"  # nobody applied the revert
    assert outputs["rollback-status"] == "unverified"
    assert "restored" not in outputs["rollback-detail"]
    assert outputs["revert-sha"] == outputs["rollback-sha"] == tip
    assert "but the rollback criteria failed" in outputs["rollback-detail"]
    assert "next: check that the reconciler applied the revert" in log


def test_rollback_criteria_replace_the_verification_criteria(
    system: System, tmp_path: Path
) -> None:
    """A reconciler stand-in: rollback-criteria that apply the branch themselves would be cheating,
    so here they only check what the undo left; a passing check after git-revert is restored."""
    proof = system.work.parent / "proof.yml"
    proof.write_text(
        "version: 1\ncriteria:\n  - name: revert reached the remote\n"
        f"    run: git -C {system.bare} log -1 --format=%s main\n"
        "    expect: {exit-code: 0, stdout-contains: Revert}\n"
    )
    code, outputs, _ = run(system, tmp_path, rollback="git-revert", rollback_criteria=str(proof))
    assert code == 1
    assert outputs["rollback-status"] == "restored", outputs["rollback-detail"]


def test_steps_without_any_criteria_are_unverified(system: System, tmp_path: Path) -> None:
    undo = f"echo 'version good' > {system.live}"
    apply = APPLY.format(live=system.live) + " && exit 1"  # a failed step: no criteria anywhere
    code, outputs, log = run(
        system, tmp_path, steps=apply, criteria="", rollback="steps", rollback_steps=undo
    )
    assert code == 1
    assert system.live.read_text() == "version good\n"  # undone, but nothing proved it
    assert outputs["rollback-status"] == "unverified"
    assert "no rollback criteria ran; next: set rollback-criteria" in log


@pytest.mark.parametrize(
    ("inputs", "says"),
    [
        ({"rollback": "redeploy", "rollback_sha": "0" * 40}, "rollback failed (redeploy:"),
        ({"rollback": "steps", "rollback_steps": "exit 3"}, "rollback failed (steps: undo: step 1"),
    ],
)
def test_a_failed_rollback_leaves_the_checkout_as_it_was(
    system: System, tmp_path: Path, inputs: dict[str, str], says: str
) -> None:
    before = system.checkout()
    code, outputs, _ = run(system, tmp_path, **inputs)
    assert code == 1
    assert outputs["rollback-status"] == "failed"
    assert outputs["rollback-detail"].startswith(says), outputs["rollback-detail"]
    assert "; next: " in outputs["rollback-detail"]
    assert system.live.read_text() == "version bad\n"
    assert system.checkout() == before
    assert git(system.bare, "rev-parse", "main") == system.bad


def test_a_redeploy_whose_steps_fail_removes_its_worktree(system: System, tmp_path: Path) -> None:
    steps = f"cp config.txt {system.live}\ntest -f only-in-the-bad-commit"
    (system.work / "only-in-the-bad-commit").write_text("")
    git(system.work, "add", "only-in-the-bad-commit")
    git(system.work, "commit", "--quiet", "--amend", "--no-edit")
    git(system.work, "push", "--quiet", "--force", "origin", "HEAD:main")
    system.bad = git(system.work, "rev-parse", "HEAD")
    before = system.checkout()
    code, outputs, _ = run(
        system, tmp_path, steps=steps, rollback="redeploy", rollback_sha=system.good
    )
    assert code == 1
    assert outputs["rollback-status"] == "failed"
    assert "step 2 (test -f only-in-the-bad-commit) failed" in outputs["rollback-detail"]
    assert system.checkout() == before
    assert not list(tmp_path.glob("applygate-redeploy-*"))


def rollback_command(system: System, tmp_path: Path, **inputs: str) -> tuple[int, dict[str, str]]:
    env = {
        **actions_env(system.bad),
        "INPUT_COMMAND": "rollback",
        "INPUT_PUBLISH": "none",
        "RUNNER_TEMP": str(tmp_path),
        **as_inputs(**inputs),
    }
    del env["INPUT_SHA"]
    code, outputs, _ = run_on(system, env)
    return code, outputs


@pytest.mark.parametrize("mode", ["redeploy", "steps"])
def test_the_rollback_command_restores_and_exits_0(
    system: System, tmp_path: Path, mode: str
) -> None:
    system.live.write_text("version bad\n")  # a failed apply left it so
    before = system.checkout()
    inputs = {
        "redeploy": {"steps": APPLY.format(live=system.live), "rollback_sha": system.good},
        "steps": {"rollback_steps": f"echo 'version good' > {system.live}"},
    }[mode]
    checks = ".github/applygate/verify.yml"
    code, outputs = rollback_command(
        system, tmp_path, rollback=mode, rollback_criteria=checks, **inputs
    )
    assert code == 0, outputs
    assert outputs["rollback-status"] == "restored"
    assert system.live.read_text() == "version good\n"
    assert outputs["rollback-sha"] == (system.good if mode == "redeploy" else "")
    assert system.checkout() == before
    assert git(system.bare, "rev-parse", "main") == system.bad  # nothing pushed


def test_the_rollback_command_git_revert_without_a_reconciler_exits_1(
    system: System, tmp_path: Path
) -> None:
    system.live.write_text("version bad\n")
    checks = ".github/applygate/verify.yml"
    code, outputs = rollback_command(system, tmp_path, rollback_criteria=checks)
    assert code == 1
    assert outputs["rollback-status"] == "unverified"
    assert git(system.bare, "rev-parse", "main^") == system.bad
    assert system.live.read_text() == "version bad\n"
