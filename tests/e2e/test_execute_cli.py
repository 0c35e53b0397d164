"""The installed ``applygate`` command: execute and rollback as a workflow step runs them, against
real repositories with bare remotes over file:// and a loopback stand-in for the GitHub API."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.e2e.test_preflight_cli import TOKEN, actions_env, applygate
from tests.git.conftest import Repos, git
from tests.support.cli import APPLYGATE, cancelled
from tests.support.fake_github import FakeGitHub, json_of

REPO = "octo/infra"


def published(api: FakeGitHub, sha: str, command: str) -> dict[str, str]:
    """The runner's environment for ``command`` on ``sha``, publishing to the stand-in."""
    return {
        **actions_env(sha),
        "INPUT_COMMAND": command,
        "GITHUB_API_URL": api.url,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_RUN_ID": "7",
        "APPLYGATE_WRITE_INTERVAL_SECONDS": "0",
    }


def status_lines(stdout: str) -> list[str]:
    return [
        line.removeprefix("PLAN_STATUS: ") for line in stdout.splitlines() if "PLAN_STATUS" in line
    ]


def applied(repos: Repos) -> tuple[Path, Path, str]:
    bare, work = repos.seeded()
    sha = repos.commit(work, "apply prod/vpc", {"vpc.tf": "cidr = 10.0.0.0/16\n"})
    repos.push(work, "HEAD:main")
    return bare, work, sha


def test_execute_applies_each_step_and_owes_verification(repos: Repos, tmp_path: Path) -> None:
    _, work, sha = applied(repos)
    env = {
        **actions_env(sha),
        "INPUT_COMMAND": "execute",
        "INPUT_STEPS": f"echo planning \\\n  --twice\ntouch {tmp_path}/applied",
        "INPUT_PUBLISH": "none",
        "RUNNER_TEMP": str(tmp_path),
    }
    done, outputs, summary = applygate([], work, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "applied").exists()
    assert outputs["applied"] == "true"
    assert outputs["plan-status"] == "APPLIED"
    assert "::group::step 1/2: echo planning   --twice" in done.stdout
    assert "planning --twice" in done.stdout
    assert done.stdout.rstrip().endswith("PLAN_STATUS: APPLIED")
    report = json.loads(Path(outputs["report"]).read_text())
    assert Path(outputs["report"]).parent == tmp_path
    assert git(work, "status", "--porcelain", "--untracked-files=all") == ""  # nothing written
    assert [s["status"] for s in report["steps"]] == ["passed", "passed"]
    assert "## applygate execute: APPLIED" in summary
    assert f"**Git**: commit `{sha}`, pushed to `origin/main`" in summary  # before any step ran
    assert (report["commit"], report["pushed_to"]) == (sha, "origin/main")


def test_execute_blocks_and_rolls_back_through_the_command_line(
    repos: Repos, tmp_path: Path
) -> None:
    bare, work, sha = applied(repos)
    args = [
        "execute",
        "--steps",
        f"touch {tmp_path}/one\necho 'Error: Error acquiring the state lock' >&2; exit 1\n"
        f"touch {tmp_path}/three",
        "--rollback",
        "git-revert",
        "--git-user-name",
        "Deploy Bot",
        "--git-user-email",
        "deploy@example.com",
    ]
    env = {**actions_env(sha), "INPUT_PUBLISH": "none", "RUNNER_TEMP": str(tmp_path)}
    done, outputs, summary = applygate(args, work, env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert not (tmp_path / "three").exists()
    assert outputs["error-type"] == "State conflict"
    assert outputs["failed-step"].startswith("2: echo 'Error: Error acquiring the state lock'")
    tip = git(bare, "rev-parse", "main")
    assert git(bare, "log", "-1", "--format=%an|%s", tip) == 'Deploy Bot|Revert "apply prod/vpc"'
    assert outputs["rollback-status"] == "unverified"
    assert outputs["rollback-detail"].startswith(f"unverified (git-revert: reverted {sha[:12]}")
    assert outputs["revert-sha"] == tip
    assert "| Rollback Status | unverified (git-revert: reverted" in summary
    assert "::error title=applygate execute%3A State conflict::" in done.stdout


def reconciled(bare: Path, tmp_path: Path) -> str:
    """Rollback criteria for a stand-in reconciler that has applied whatever main holds: they
    pass once main's tip is a revert."""
    path = tmp_path / "rollback-criteria.yml"
    path.write_text(
        "version: 1\ncriteria:\n  - name: the revert is what main holds\n"
        f"    run: git -C {bare} log -1 --format=%s main\n"
        "    expect: {exit-code: 0, stdout-contains: Revert}\n"
    )
    return str(path)


def test_rollback_reverts_publishes_and_sets_its_outputs(repos: Repos, tmp_path: Path) -> None:
    bare, work, sha = applied(repos)
    status_path = f"/repos/{REPO}/statuses/{sha}"
    with FakeGitHub() as api:
        api.add("POST", status_path, json_of("repos-create-commit-status.json"), 201)
        env = published(api, sha, "rollback")
        env["INPUT_ROLLBACK-CRITERIA"] = reconciled(bare, tmp_path)
        # a runner with no git identity set up: the revert is the Actions bot's
        env.update(
            {
                f"GIT_{who}_{what}": ""
                for who in ("AUTHOR", "COMMITTER")
                for what in ("NAME", "EMAIL")
            }
        )
        done, outputs, _ = applygate([], work, env)
    assert done.returncode == 0, done.stdout + done.stderr
    tip = git(bare, "rev-parse", "main")
    assert outputs.pop("rollback-detail").startswith("restored (git-revert: reverted")
    assert outputs == {"rollback-status": "restored", "revert-sha": tip, "rollback-sha": tip}
    assert git(bare, "rev-parse", f"{tip}^{{tree}}") == git(bare, "rev-parse", f"{sha}^^{{tree}}")
    bot = "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
    assert git(bare, "log", "-1", "--format=%an <%ae>|%cn <%ce>", tip) == f"{bot}|{bot}"
    states = [r.body["state"] for r in api.sent("POST", status_path)]
    assert states == ["pending", "success"]
    assert all(r.body["context"] == "applygate/rollback" for r in api.sent("POST", status_path))
    assert TOKEN not in done.stdout.replace(f"::add-mask::{TOKEN}", "")


def test_rollback_without_a_sha_marks_head_pending_before_reverting_it(
    repos: Repos, tmp_path: Path
) -> None:
    bare, work, sha = applied(repos)
    status_path = f"/repos/{REPO}/statuses/{sha}"
    with FakeGitHub() as api:
        api.add("POST", status_path, json_of("repos-create-commit-status.json"), 201)
        env = published(api, sha, "rollback")
        del env["INPUT_SHA"]
        done, outputs, _ = applygate([], work, env)
    assert done.returncode == 1, done.stdout + done.stderr  # no criteria: unverified
    assert outputs["rollback-status"] == "unverified"
    assert outputs["revert-sha"] == git(bare, "rev-parse", "main")
    sent = [(r.body["state"], r.body["description"]) for r in api.sent("POST", status_path)]
    assert [state for state, _ in sent] == ["pending", "failure"]
    assert sent[0][1] == "rollback: running"


def test_rollback_refuses_a_dirty_tree(repos: Repos) -> None:
    bare, work, sha = applied(repos)
    (work / "tfplan").write_text("plan")
    env = {**actions_env(sha), "INPUT_PUBLISH": "none"}
    done, outputs, _ = applygate(["rollback"], work, env)
    assert done.returncode == 1
    assert git(bare, "rev-parse", "main") == sha
    assert outputs["rollback-status"] == "failed"
    assert "refusing to revert" in outputs["rollback-detail"]
    assert outputs["revert-sha"] == ""


def test_execute_without_steps_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [APPLYGATE, "execute"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2
    assert done.stderr == (
        "applygate: error: input steps is required: the commands to run, one per line\n"
    )


def with_criteria(repos: Repos, state: Path) -> tuple[Path, Path, str]:
    """An applied commit that also carries the criteria file: the health file must say ok."""
    bare, work = repos.seeded()
    criteria = (
        "version: 1\n"
        "criteria:\n"
        "  - name: service healthy\n"
        f"    run: cat {state}\n"
        "    expect: {exit-code: 0, stdout-contains: ok}\n"
    )
    files = {".github/applygate/verify.yml": criteria, "vpc.tf": "cidr = 10.0.0.0/16\n"}
    sha = repos.commit(work, "apply prod/vpc", files)
    repos.push(work, "HEAD:main")
    return bare, work, sha


def test_execute_verifies_with_the_criteria_and_completes(repos: Repos, tmp_path: Path) -> None:
    health = tmp_path / "health"
    _, work, sha = with_criteria(repos, health)
    env = {
        **actions_env(sha),
        "INPUT_COMMAND": "execute",
        "INPUT_STEPS": f"echo ok > {health}",
        "INPUT_CRITERIA": ".github/applygate/verify.yml",
        "INPUT_PUBLISH": "none",
        "RUNNER_TEMP": str(tmp_path),
    }
    done, outputs, _ = applygate([], work, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert outputs["plan-status"] == "COMPLETE"
    assert "## Verification Complete ✅" in done.stdout
    assert done.stdout.rstrip().endswith("PLAN_STATUS: COMPLETE")
    # one line per transition, the result last: the embedded verification adds none of its own
    assert status_lines(done.stdout) == ["READY", "COMPLETE"]
    report = json.loads(Path(outputs["report"]).read_text())
    assert report["verification"]["status"] == "passed"
    verify_report = json.loads(Path(report["verification"]["report"]).read_text())
    assert verify_report  # verify's own report, with every attempt of every criterion


def test_failed_criteria_block_and_roll_back(repos: Repos, tmp_path: Path) -> None:
    health = tmp_path / "health"
    bare, work, sha = with_criteria(repos, health)
    env = {
        **actions_env(sha),
        "INPUT_COMMAND": "execute",
        "INPUT_STEPS": f"echo degraded > {health}",
        "INPUT_CRITERIA": ".github/applygate/verify.yml",
        "INPUT_ROLLBACK": "git-revert",
        "INPUT_PUBLISH": "none",
        "RUNNER_TEMP": str(tmp_path),
    }
    done, outputs, _ = applygate([], work, env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert outputs["applied"] == "true"
    assert outputs["plan-status"] == "BLOCKED"
    assert outputs["error-type"] == "Validation"
    assert "verification failed: verify: 1 of 1 criteria failed: service healthy" in done.stdout
    assert git(bare, "log", "-1", "--format=%s", "main") == 'Revert "apply prod/vpc"'
    assert outputs["rollback-status"] == "unverified"  # the same criteria still fail
    assert outputs["rollback-detail"].startswith(f"unverified (git-revert: reverted {sha[:12]}")
    assert done.stdout.rstrip().endswith("PLAN_STATUS: BLOCKED")
    assert status_lines(done.stdout) == ["READY", "BLOCKED"]


def test_a_broken_criteria_file_stops_execute_before_any_step(repos: Repos, tmp_path: Path) -> None:
    _, work = repos.seeded()
    env = {
        **actions_env(repos.head(work)),
        "INPUT_COMMAND": "execute",
        "INPUT_STEPS": f"touch {tmp_path}/ran",
        "INPUT_CRITERIA": "missing.yml",
        "INPUT_PUBLISH": "none",
    }
    done, outputs, _ = applygate([], work, env)
    assert done.returncode == 2
    assert "input criteria: missing.yml cannot be read" in done.stderr
    assert not (tmp_path / "ran").exists()
    assert outputs == {}


def test_execute_ends_its_status_when_verification_is_owed(repos: Repos, tmp_path: Path) -> None:
    """APPLIED is no verdict, but the run is over: pending would hold a required check for ever."""
    _, work, sha = applied(repos)
    status_path = f"/repos/{REPO}/statuses/{sha}"
    with FakeGitHub() as api:
        api.add("POST", status_path, json_of("repos-create-commit-status.json"), 201)
        env = {
            **published(api, sha, "execute"),
            "INPUT_STEPS": "true",
            "RUNNER_TEMP": str(tmp_path),
        }
        done, outputs, _ = applygate([], work, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert outputs["plan-status"] == "APPLIED"
    sent = [(r.body["state"], r.body["description"]) for r in api.sent("POST", status_path)]
    assert sent == [
        ("pending", "execute: running"),
        ("success", "applied; verification still owed"),
    ]
    assert all(r.body["context"] == "applygate/execute" for r in api.sent("POST", status_path))


def test_a_cancelled_execute_starts_nothing_more_not_even_a_rollback(
    repos: Repos, tmp_path: Path
) -> None:
    bare, work, sha = applied(repos)
    ready, got = tmp_path / "ready", tmp_path / "got"
    step = f"trap 'echo stopped > {got}; exit 143' TERM; touch {ready}; sleep 30 & wait"
    env = {
        **os.environ,
        **actions_env(sha),
        "GITHUB_WORKSPACE": str(work),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "RUNNER_TEMP": str(tmp_path),
        "INPUT_PUBLISH": "none",
    }
    argv = ["execute", "--steps", f"{step}\ntouch {tmp_path}/second"]
    argv += ["--rollback", "git-revert", "--retries", "0"]
    code, stdout, _ = cancelled(argv, env, work, ready)
    assert code == 1
    assert got.read_text() == "stopped\n"
    assert not (tmp_path / "second").exists()
    assert git(bare, "rev-parse", "main") == sha  # no revert was started after the cancellation
    assert stdout.rstrip().endswith("PLAN_STATUS: BLOCKED")
    assert "cancelled (SIGTERM)" in stdout


def test_a_cancellation_during_a_retry_backoff_ends_the_wait(repos: Repos, tmp_path: Path) -> None:
    _, work, sha = applied(repos)
    count = tmp_path / "count"
    step = f"echo x >> {count}; echo 'connection reset by peer' >&2; exit 1"
    env = {
        **os.environ,
        **actions_env(sha),
        "GITHUB_WORKSPACE": str(work),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "INPUT_PUBLISH": "none",
    }
    argv = ["execute", "--steps", step, "--retry-interval", "10m"]
    code, stdout, _ = cancelled(argv, env, work, count, settle=0.3)  # into the backoff
    assert code == 1
    assert count.read_text() == "x\n"  # no second attempt
    assert "PLAN_STATUS: FIXING" in stdout
    assert stdout.rstrip().endswith("PLAN_STATUS: BLOCKED")


def test_execute_concludes_its_check_run_neutral_when_verification_is_owed(
    repos: Repos, tmp_path: Path
) -> None:
    _, work, sha = applied(repos)
    with FakeGitHub() as api:
        api.add("POST", f"/repos/{REPO}/check-runs", json_of("checks-create.in-progress.json"), 201)
        api.add("PATCH", f"/repos/{REPO}/check-runs/4", json_of("checks-update.json"), 200)
        env = {
            **published(api, sha, "execute"),
            "INPUT_STEPS": "true",
            "INPUT_PUBLISH": "check-run",
            "RUNNER_TEMP": str(tmp_path),
        }
        done, outputs, _ = applygate([], work, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert outputs["plan-status"] == "APPLIED"
    (created,) = api.sent("POST", f"/repos/{REPO}/check-runs")
    assert (created.body["status"], created.body["head_sha"]) == ("in_progress", sha)
    (completed,) = api.sent("PATCH", f"/repos/{REPO}/check-runs/4")
    assert (completed.body["status"], completed.body["conclusion"]) == ("completed", "neutral")
    assert completed.body["output"]["title"] == "applied; verification still owed"
    assert "PLAN_STATUS" in completed.body["output"]["summary"]


def test_execute_in_a_pull_request_workflow_warns(repos: Repos, tmp_path: Path) -> None:
    _, work, sha = applied(repos)
    event = tmp_path / "event.json"
    event.write_text(json.dumps(json_of("events/pull_request.opened.json")))
    env = {
        **actions_env(sha),
        "INPUT_COMMAND": "execute",
        "INPUT_STEPS": "true",
        "INPUT_PUBLISH": "none",
        "INPUT_BRANCH": "main",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "RUNNER_TEMP": str(tmp_path),
    }
    done, _, _ = applygate([], work, env)
    assert "::warning title=applygate execute%3A untrusted workflow::execute in a pull_request" in (
        done.stdout
    )


def test_github_token_is_redacted_even_when_a_token_input_is_given(
    repos: Repos, tmp_path: Path
) -> None:
    _, work, sha = applied(repos)
    other = "ghs_theJobsOwnGithubToken99"
    env = {
        **actions_env(sha),
        "INPUT_COMMAND": "execute",
        "INPUT_STEPS": 'echo "job token: $GITHUB_TOKEN"; exit 1',
        "INPUT_RETRIES": "0",
        "INPUT_PUBLISH": "none",
        "GITHUB_TOKEN": other,
        "RUNNER_TEMP": str(tmp_path),
    }
    done, outputs, summary = applygate([], work, env)
    assert done.returncode == 1
    report = Path(outputs["report"]).read_text()
    assert "job token: ***" in done.stdout
    assert f"::add-mask::{other}" in done.stdout  # the log masks it too
    shown = done.stdout.replace(f"::add-mask::{other}", "")
    assert other not in shown + done.stderr + summary + report
