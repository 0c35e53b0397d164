"""run_checklist against real repositories, remotes, shallow clones and real dry-run processes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.git.conftest import Repos, git

from applygate.adapters.git import GitRepo
from applygate.context import RunContext
from applygate.core.checklist_result import ChecklistResult, Verdict
from applygate.core.fingerprint import compile_ignores, fingerprint
from applygate.event import EventContext
from applygate.flows.checklist import run_checklist
from applygate.inputs.preflight import PreflightInputs
from applygate.inputs.registry import read_raw
from applygate.workspace import Workspace

NOISY_PLAN = """\
aws_vpc.main: Refreshing state... [id=vpc-{n}]
data.aws_ami.x: Reading...
data.aws_ami.x: Read complete after {n}s [id=ami-1]

Plan: 1 to add, 0 to change, 0 to destroy.
"""


def checklist(
    path: Path,
    inputs: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    event: EventContext | None = None,
) -> ChecklistResult:
    environ = {**os.environ, **(env or {})}
    parsed = PreflightInputs.from_raw(read_raw(inputs or {}, {}), environ, path)
    ctx = RunContext.from_environ(environ)
    return run_checklist(parsed, ctx, event, GitRepo(path, environ), Workspace(path, environ))


def verdicts(result: ChecklistResult) -> dict[str, Verdict]:
    return {check.name: check.verdict for check in result.checks}


def found(result: ChecklistResult, name: str) -> str:
    (check,) = [check for check in result.checks if check.name == name]
    return check.found


def test_a_shallow_checkout_of_the_pushed_tip_is_ready(repos: Repos) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    result = checklist(work, {"sha": repos.head(work)})
    assert result.ready
    assert verdicts(result)["clean"] is Verdict.PASSED
    assert verdicts(result)["pushed"] is Verdict.PASSED
    assert verdicts(result)["approved-sha"] is Verdict.PASSED
    assert verdicts(result)["credentials"] is Verdict.SKIPPED


def test_a_commit_made_and_not_pushed_blocks(repos: Repos) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    local = repos.commit(work, "not pushed")
    result = checklist(work, {"sha": local})
    assert not result.ready
    assert [check.name for check in result.failed] == ["pushed"]
    assert "never pushed" in found(result, "pushed")
    assert local[:12] in found(result, "pushed")


def test_a_commit_the_branch_moved_past_is_refused(repos: Repos) -> None:
    """Issue 19, item 5: re-running an old run would deploy its commit over what followed."""
    bare, seed = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    repos.commit(seed, "someone else's work")
    repos.push(seed, "HEAD:main")
    result = checklist(work, {"sha": repos.head(work)})
    assert [check.name for check in result.failed] == ["pushed"]
    assert "is no longer its tip" in found(result, "pushed")
    (pushed,) = result.failed
    assert "applygate rollback" in pushed.fix


def test_up_to_date_fails_when_the_base_moved(repos: Repos) -> None:
    bare, seed = repos.seeded()
    git(seed, "checkout", "--quiet", "-b", "feature")
    repos.commit(seed, "feature")
    repos.push(seed, "feature")
    work = repos.clone(bare, "work", depth=1, branch="feature")
    inputs = {"require-up-to-date": "true", "base-branch": "main"}
    assert checklist(work, inputs).ready
    git(seed, "checkout", "--quiet", "main")
    repos.commit(seed, "main moved")
    repos.push(seed, "main")
    result = checklist(work, inputs)
    assert [check.name for check in result.failed] == ["up-to-date"]
    assert "does not contain the tip" in found(result, "up-to-date")


def test_dirty_and_untracked_files_block_and_are_listed(repos: Repos) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    assert checklist(work).ready
    (work / "file.txt").write_text("edited\n")
    (work / "notes.md").write_text("new\n")
    # ignored by this clone's own rules only, not by the approved commit's .gitignore: it counts
    (work / ".git" / "info" / "exclude").write_text("*.log\n")
    (work / "local.log").write_text("left behind\n")
    result = checklist(work)
    assert [check.name for check in result.failed] == ["clean"]
    assert "file.txt" in found(result, "clean")
    assert "notes.md" in found(result, "clean")
    assert "local.log" in found(result, "clean")


def test_the_pr_merge_ref_is_recognised(repos: Repos) -> None:
    bare, seed = repos.seeded()
    git(seed, "checkout", "--quiet", "-b", "feature")
    approved = repos.commit(seed, "feature work")
    repos.push(seed, "feature")
    repos.merge_ref(seed, "feature")
    work = repos.checkout_merge_ref(bare, "pr")
    inputs = {"sha": approved, "branch": "feature"}
    by_parent = checklist(work, inputs)
    assert "merge commit" in found(by_parent, "approved-sha")
    by_ref = checklist(work, inputs, {"GITHUB_REF": "refs/pull/1/merge"})
    assert "refs/pull/1/merge" in found(by_ref, "approved-sha")
    (check,) = [c for c in by_ref.failed if c.name == "approved-sha"]
    assert f"ref: {approved}" in check.fix


@pytest.mark.parametrize(
    ("setup", "inputs", "message"),
    [
        ("detached", {}, "no branch to check"),
        ("no-remote", {}, "no remote named 'origin'"),
        ("seeded", {"branch": "nope"}, "origin/nope (input branch) does not exist"),
        ("empty", {}, "no commits yet"),
        ("plain", {}, "not a git repository"),
    ],
)
def test_git_situations_fail_the_pushed_check_clearly(
    repos: Repos, setup: str, inputs: dict[str, str], message: str
) -> None:
    if setup in ("detached", "seeded"):
        _, path = repos.seeded()
        if setup == "detached":
            git(path, "checkout", "--quiet", "--detach")
    elif setup == "no-remote":
        path = repos.empty("local")
        repos.commit(path, "one")
    elif setup == "empty":
        path = repos.empty("empty")
    else:
        path = repos.root / "plain"
        path.mkdir()
    result = checklist(path, inputs)
    assert not result.ready
    assert message in found(result, "pushed")


def test_the_branch_comes_from_the_pull_request_event(repos: Repos) -> None:
    bare, seed = repos.seeded()
    git(seed, "checkout", "--quiet", "-b", "topic")
    repos.push(seed, "topic")
    work = repos.clone(bare, "work", depth=1, branch="topic")
    git(work, "checkout", "--quiet", "--detach")
    event = EventContext("pull_request", 1, head_ref="topic", base_ref="main")
    result = checklist(work, {}, {"GITHUB_REF": "refs/pull/1/merge"}, event)
    assert "origin/topic (the pull request's head branch)" in found(result, "pushed")


def test_a_missing_sha_fails_in_actions_and_is_skipped_locally(repos: Repos) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    assert verdicts(checklist(work))["approved-sha"] is Verdict.SKIPPED
    in_actions = checklist(work, {}, {"GITHUB_ACTIONS": "true", "GITHUB_REF": "refs/heads/main"})
    assert "nothing binds this apply to an approval" in found(in_actions, "approved-sha")
    assert not in_actions.ready


def write_plan(path: Path, n: int, text: str = NOISY_PLAN) -> None:
    (path / "plan.txt").write_text(text.format(n=n))


def plan_command(path: Path) -> str:
    return f"printf '\\033[1m'; cat {path / 'plan.txt'}; printf '\\033[0m  \\n'; exit 2"


def recorded(path: Path) -> str:
    return fingerprint((path / "plan.txt").read_text(), compile_ignores())


def test_no_drift_when_only_noise_changed_and_drift_when_the_plan_did(
    repos: Repos, tmp_path: Path
) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    write_plan(tmp_path, 1)
    inputs = {"dry-run": plan_command(tmp_path), "plan-fingerprint": recorded(tmp_path)}
    write_plan(tmp_path, 7)  # other ids and timings: noise only
    result = checklist(work, inputs)
    assert verdicts(result)["no-drift"] is Verdict.PASSED, result
    write_plan(tmp_path, 7, NOISY_PLAN.replace("1 to add", "2 to add"))
    result = checklist(work, inputs)
    assert [check.name for check in result.failed] == ["no-drift"]
    assert "drifted" in found(result, "no-drift")


def test_a_failing_dry_run_blocks_and_a_dry_run_writing_files_leaves_clean_alone(
    repos: Repos,
) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    inputs = {"dry-run": "echo plan > tfplan; echo 'Error: boom' >&2; exit 1"}
    inputs["plan-fingerprint"] = "0" * 64
    result = checklist(work, inputs)
    assert [check.name for check in result.failed] == ["no-drift"]
    assert "exited with 1" in found(result, "no-drift")
    assert "Error: boom" in found(result, "no-drift")
    assert (work / "tfplan").exists()


def test_credentials_missing_and_check_failing_never_print_values(repos: Repos) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    env = {"CLOUD_KEY": "s3cr3t-value", "EMPTY_ONE": " "}
    inputs = {
        "credentials": "CLOUD_KEY, EMPTY_ONE\nNOT_SET",
        "credentials-check": 'echo "denied for $CLOUD_KEY" >&2; exit 3',
    }
    result = checklist(work, inputs, env)
    assert [check.name for check in result.failed] == ["credentials", "credentials-check"]
    assert found(result, "credentials") == "missing or empty: EMPTY_ONE, NOT_SET"
    assert "exited with 3" in found(result, "credentials-check")
    assert "s3cr3t-value" not in repr(result)
    assert "denied for ***" in found(result, "credentials-check")


def test_steps_are_linted(repos: Repos) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    steps = "terraform init\nterraform apply \\\n  -auto-approve\ngcloud run deploy api"
    result = checklist(work, {"steps": steps})
    assert [check.name for check in result.failed] == ["non-interactive"]
    assert "gcloud run deploy api" in found(result, "non-interactive")
    assert "terraform" not in found(result, "non-interactive")


def test_secrets_in_git_errors_are_redacted(repos: Repos) -> None:
    _, work = repos.seeded()
    git(work, "remote", "set-url", "origin", "file:///nowhere/ghs_secretToken99/repo.git")
    result = checklist(work, {"token": "ghs_secretToken99"})
    assert "/nowhere/***/repo.git" in found(result, "pushed")
    assert "ghs_secretToken99" not in repr(result.checks)


def test_a_dry_run_that_leaves_a_process_holding_its_output_fails_no_drift(
    repos: Repos, tmp_path: Path
) -> None:
    """Its output may be cut short, so its fingerprint proves nothing either way."""
    _, work = repos.seeded()
    dry = "setsid sh -c 'sleep 3; echo Plan: 1 to destroy.' & sleep 0.3; echo 'No changes.'"
    recorded = fingerprint("No changes.\n", compile_ignores())
    result = checklist(work, {"dry-run": dry, "plan-fingerprint": recorded})
    assert verdicts(result)["no-drift"] is Verdict.FAILED
    assert "still running" in found(result, "no-drift")
