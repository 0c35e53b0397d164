"""The installed ``applygate`` command: preflight and fingerprint as a workflow step runs them."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.git.conftest import Repos
from tests.support.cli import invoke
from tests.support.fake_github import FakeGitHub, json_of
from tests.support.outputs import parse_outputs

TOKEN = "ghs_e2eSecretToken123"
PLAN = """\
aws_vpc.main: Refreshing state... [id=vpc-{n}]
aws_vpc.main: Still reading... [{n}s elapsed]
  # aws_subnet.a will be created
Plan: {add} to add, 0 to change, 0 to destroy.
"""


def applygate(
    args: list[str], cwd: Path, env: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], dict[str, str], str]:
    """Run the installed command as the runner would; its result, outputs and job summary."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    return invoke(args, {**inherited, "GITHUB_WORKSPACE": str(cwd), **env}, cwd, cwd=cwd)


def actions_env(sha: str) -> dict[str, str]:
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REF": "refs/heads/main",
        "GITHUB_REF_NAME": "main",
        "INPUT_SHA": sha,
        "INPUT_TOKEN": TOKEN,
    }


def test_preflight_passes_in_a_depth_1_checkout(repos: Repos) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    env = {
        **actions_env(repos.head(work)),
        "INPUT_COMMAND": "preflight",
        "INPUT_STEPS": "terraform apply -auto-approve tfplan\nkubectl apply -f k8s/",
        "INPUT_CREDENTIALS": "CLOUD_TOKEN",
        "CLOUD_TOKEN": "value",
    }
    done, outputs, summary = applygate([], work, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert outputs == {"ready": "true", "plan-status": "READY"}
    assert done.stdout.rstrip().endswith("PLAN_STATUS: READY")
    assert "::error" not in done.stdout
    assert "## applygate preflight: ready" in summary
    sha = repos.head(work)
    assert f"Git: commit {sha}, pushed to origin/main\n" in done.stdout
    assert f"**Git**: commit `{sha}`, pushed to `origin/main`" in summary
    assert f"::add-mask::{TOKEN}" in done.stdout
    assert git_status(work) == ""


def test_preflight_fails_listing_every_failed_check(repos: Repos) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    approved = repos.head(work)
    repos.commit(work, "not pushed")
    (work / "stray.tf").write_text("x\n")
    env = {
        **actions_env(approved),
        "INPUT_CREDENTIALS": "CLOUD_TOKEN",
        "INPUT_STEPS": "gcloud run deploy api",
    }
    done, outputs, summary = applygate(["preflight"], work, env)
    assert done.returncode == 1
    assert outputs == {"ready": "false", "plan-status": "BLOCKED"}
    failed = ["clean", "pushed", "approved-sha", "credentials", "non-interactive"]
    for name in failed:
        assert f"::error title=applygate preflight%3A {name}::" in done.stdout
        assert f"| {name} | ❌ failed |" in summary
    assert "stray.tf" in summary
    assert f"Git: commit {repos.head(work)}, not proven pushed\n" in done.stdout
    assert done.stdout.rstrip().endswith("PLAN_STATUS: BLOCKED")
    assert "Traceback" not in done.stderr


def plan_script(path: Path, n: int, add: int = 1) -> str:
    (path / "plan.txt").write_text(PLAN.format(n=n, add=add))
    return f"printf '\\033[32m'; cat {path / 'plan.txt'}; echo 'token {TOKEN}'; exit 2"


def test_fingerprint_then_preflight_no_drift_with_noise_and_drift_when_changed(
    repos: Repos, tmp_path: Path
) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    env = actions_env(repos.head(work))
    command = plan_script(tmp_path, 1)
    done, outputs, summary = applygate(["fingerprint", "--", command], work, env)
    assert done.returncode == 0, done.stderr
    recorded = outputs["plan-fingerprint"]
    assert len(recorded) == 64
    assert f"plan-fingerprint: {recorded} (changes, exit 2)" in done.stdout
    assert "Plan: 1 to add" in done.stdout
    assert TOKEN not in done.stdout.replace(f"::add-mask::{TOKEN}", "")
    assert recorded in summary

    check = {**env, "INPUT_PLAN-FINGERPRINT": recorded}
    check["INPUT_DRY-RUN"] = plan_script(tmp_path, 42)  # other ids and timings: noise
    done, outputs, _ = applygate(["preflight"], work, check)
    assert done.returncode == 0, done.stdout
    assert outputs["ready"] == "true"

    check["INPUT_DRY-RUN"] = plan_script(tmp_path, 42, add=2)
    done, outputs, summary = applygate(["preflight"], work, check)
    assert done.returncode == 1
    assert "the plan drifted" in summary
    assert "Plan: 2 to add" in done.stdout  # the new plan is in the log, to review
    assert f"token {TOKEN}" not in done.stdout
    assert "token ***" in done.stdout
    assert "::error title=applygate preflight%3A no-drift::" in done.stdout


def test_fingerprint_of_a_failing_dry_run_exits_1_without_a_fingerprint(repos: Repos) -> None:
    work = repos.empty("work")
    done, outputs, _ = applygate(
        ["fingerprint", "--", "sh", "-c", "echo 'Error: no credentials' >&2; exit 1"], work, {}
    )
    assert done.returncode == 1
    assert outputs == {}
    # a local run: one plain line on stderr, the dry-run's output not repeated after it
    assert (
        done.stderr == "error: applygate fingerprint: the dry-run exited with 1: no fingerprint\n"
    )
    assert done.stdout.count("Error: no credentials") == 1


def test_fingerprint_of_a_plan_printed_on_stderr_is_refused(repos: Repos) -> None:
    """A fingerprint of an empty stdout would match every later plan that also prints there."""
    work = repos.empty("work")
    plan = "echo 'Plan: 1 to add, 0 to change, 1 to destroy.' >&2; exit 2"
    done, outputs, _ = applygate(["fingerprint", "--", plan], work, {})
    assert done.returncode == 1
    assert outputs == {}
    assert "printed nothing on stdout" in done.stderr


def test_a_config_error_exits_2_with_one_line(repos: Repos) -> None:
    work = repos.empty("work")
    done, _, _ = applygate(["preflight", "--fingerprint-ignore", "(x"], work, {})
    assert done.returncode == 2
    assert done.stderr.startswith("applygate: error: invalid input fingerprint-ignore")
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.usefixtures("root_only")
def test_a_workspace_owned_by_another_uid_passes(repos: Repos) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    sha = repos.head(work)
    repos.give_away(work)
    done, outputs, _ = applygate(["preflight"], work, actions_env(sha))
    assert done.returncode == 0, done.stdout
    assert outputs["ready"] == "true"


def git_status(path: Path) -> str:
    return subprocess.run(
        ["git", "status", "--porcelain"], cwd=path, capture_output=True, text=True, check=True
    ).stdout


def test_fingerprint_as_the_action_runs_it_reads_the_dry_run_input(repos: Repos) -> None:
    work = repos.empty("work")
    env = {"INPUT_COMMAND": "fingerprint", "INPUT_DRY-RUN": "echo 'No changes.'; exit 0"}
    done, outputs, _ = applygate([], work, env)
    assert done.returncode == 0, done.stderr
    assert "(no changes, exit 0)" in done.stdout
    assert outputs["plan-fingerprint"] == hashlib.sha256(b"No changes.\n").hexdigest()


def test_without_git_the_checks_fail_instead_of_crashing(repos: Repos) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    done, outputs, _ = applygate(["preflight"], work, {"PATH": str(work / "no-bin")})
    assert done.returncode == 1
    assert outputs["ready"] == "false"
    assert "git is not installed" in done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(("dirty", "code", "state"), [(False, 0, "success"), (True, 1, "failure")])
def test_preflight_publishes_its_status_on_the_approved_commit(
    repos: Repos, dirty: bool, code: int, state: str
) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    sha = repos.head(work)
    if dirty:
        (work / "stray.tf").write_text("x\n")
    statuses = f"/repos/octo/infra/statuses/{sha}"
    with FakeGitHub() as api:
        api.add("POST", statuses, json_of("repos-create-commit-status.json"), 201)
        env = {
            **actions_env(sha),
            "GITHUB_REPOSITORY": "octo/infra",
            "GITHUB_API_URL": api.url,
            "GITHUB_RUN_ID": "42",
            "APPLYGATE_WRITE_INTERVAL_SECONDS": "0",
        }
        done, outputs, _ = applygate(["preflight"], work, env)
    assert done.returncode == code, done.stdout
    assert outputs["ready"] == str(not dirty).lower()
    sent = [request.body for request in api.sent("POST", statuses)]
    assert [body["state"] for body in sent] == ["pending", state]
    assert {body["context"] for body in sent} == {"applygate/preflight"}
    assert sent[1]["target_url"].endswith("/octo/infra/actions/runs/42")
    assert sent[1]["description"].startswith("ready: " if not dirty else "blocked: clean:")
    assert api.count() == 2


def test_a_hanging_dry_run_is_killed_at_command_timeout(repos: Repos, tmp_path: Path) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    child = tmp_path / "child.pid"
    hang = f"sleep 60 & echo $! > {child}; wait"
    env = {
        **actions_env(repos.head(work)),
        "INPUT_DRY-RUN": hang,
        "INPUT_PLAN-FINGERPRINT": "0" * 64,
        "INPUT_COMMAND-TIMEOUT": "500ms",
    }
    done, outputs, summary = applygate(["preflight"], work, env)
    assert done.returncode == 1
    assert outputs["ready"] == "false"
    assert "killed after 500ms (input command-timeout)" in summary
    assert not running(int(child.read_text()))  # the dry-run's child was killed too

    done, outputs, _ = applygate(
        ["fingerprint", "--command-timeout", "500ms", "--", hang], work, {}
    )
    assert done.returncode == 1
    assert "error: applygate fingerprint: the dry-run was killed after 500ms" in done.stderr
    assert outputs == {}


def test_a_bad_command_timeout_is_a_usage_error(repos: Repos) -> None:
    work = repos.empty("work")
    done, _, _ = applygate(["preflight", "--command-timeout", "soon"], work, {})
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "applygate: error: invalid input command-timeout: 'soon' is not a duration like 90s, "
        "10m or 1h (at most 168h)"
    )


def running(pid: int) -> bool:
    """Alive and not a zombie (an orphan killed in a container may wait for a reaper)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def test_the_fingerprint_covers_stdout_only(repos: Repos) -> None:
    work = repos.empty("work")
    command = ["fingerprint", "--", "sh", "-c", 'echo plan; echo "warning $$" >&2; exit 0']
    done, outputs, _ = applygate(command, work, {})
    assert done.returncode == 0, done.stderr
    assert outputs["plan-fingerprint"] == hashlib.sha256(b"plan\n").hexdigest()


def test_preflight_sees_through_a_checkout_dressed_up_as_clean_and_pushed(repos: Repos) -> None:
    """An unpushed commit grafted under the remote's tip, with an edited file flagged
    --assume-unchanged: plain `git status` and `merge-base` both say all is well."""
    from tests.git.conftest import git

    _, work = repos.seeded()
    tip = repos.head(work)
    unpushed = repos.commit(work, "never pushed", {"main.tf": "destroy everything\n"})
    git(work, "replace", "--graft", tip, unpushed)
    (work / "file.txt").write_text("edited after the approval\n")
    git(work, "update-index", "--assume-unchanged", "file.txt")
    assert git(work, "status", "--porcelain") == ""
    done, outputs, summary = applygate(["preflight"], work, actions_env(unpushed))
    assert done.returncode == 1, done.stdout
    assert outputs["ready"] == "false"
    assert "::error title=applygate preflight%3A clean::" in done.stdout
    assert "::error title=applygate preflight%3A pushed::" in done.stdout
    assert "file.txt" in summary


def test_a_mask_that_redacts_nothing_is_warned_about(repos: Repos) -> None:
    """A misspelt name leaves the real secret unredacted without a word; so does a value too
    short to redact."""
    work = repos.empty("work")
    env = {"INPUT_MASK": "DB_PASWORD\nPIN", "DB_PASSWORD": "s3cr3t-value", "PIN": "123"}
    done, outputs, _ = applygate(["fingerprint", "--", "echo plan"], work, env)
    assert done.returncode == 0, done.stdout
    assert len(outputs["plan-fingerprint"]) == 64
    # a local run: the warnings are plain lines on stderr
    assert "warning: applygate: mask: mask names DB_PASWORD, which is not set" in done.stderr
    assert "warning: applygate: mask: mask: PIN is shorter than 4 characters" in done.stderr
    assert "123" not in done.stdout + done.stderr


def test_a_credential_too_short_to_redact_is_warned_about(repos: Repos) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    env = {
        **actions_env(repos.head(work)),
        "INPUT_COMMAND": "preflight",
        "INPUT_CREDENTIALS": "AWS_REGION_PIN",
        "AWS_REGION_PIN": "42",
    }
    done, outputs, _ = applygate([], work, env)
    assert done.returncode == 0, done.stdout
    assert outputs["ready"] == "true"
    warning = "::warning title=applygate%3A credentials::credentials: AWS_REGION_PIN is shorter"
    assert warning in done.stdout


@pytest.mark.parametrize("entry", ["console script", "python -m applygate"])
def test_git_dir_in_the_environment_cannot_point_the_checks_at_another_repository(
    repos: Repos, entry: str
) -> None:
    """GitPython starts git from the process environment: a GIT_DIR naming a clean, pushed
    repository must not make an unpushed commit in the workspace pass."""
    bare, _ = repos.seeded()
    pushed = repos.clone(bare, "pushed")
    work = repos.clone(bare, "work")
    unpushed = repos.commit(work, "not pushed", {"vpc.tf": "x\n"})
    env = {
        **actions_env(unpushed),
        "INPUT_COMMAND": "preflight",
        "INPUT_STEPS": "kubectl apply -f k8s/",
        "GIT_DIR": str(pushed / ".git"),
        "GIT_WORK_TREE": str(pushed),
        "GIT_INDEX_FILE": str(pushed / ".git" / "index"),
    }
    if entry == "console script":
        done, outputs, _ = applygate([], work, env)
    else:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
        full = {**inherited, "GITHUB_WORKSPACE": str(work), **env}
        output = work.parent / "m-output"
        output.write_text("")
        full["GITHUB_OUTPUT"] = str(output)
        done = subprocess.run(
            [sys.executable, "-m", "applygate"],
            cwd=work,
            env=full,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        outputs = parse_outputs(output.read_text())
    assert done.returncode == 1, done.stdout + done.stderr
    assert outputs["ready"] == "false"
    assert f"commit {unpushed}" in done.stdout
    assert "FAIL pushed" in done.stdout


def test_the_lint_sees_through_redirections_wrappers_and_keywords(repos: Repos) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    steps = [
        "terraform apply 2>&1 | tee apply.log",
        "timeout 30m pulumi up",
        "if az group delete -n rg; then echo gone; fi",
        "terraform apply -auto-approve tfplan > apply.log 2>&1",
    ]
    env = {
        **actions_env(repos.head(work)),
        "INPUT_COMMAND": "preflight",
        "INPUT_STEPS": "\n".join(steps),
    }
    done, outputs, _ = applygate([], work, env)
    assert done.returncode == 1, done.stdout
    assert outputs == {"ready": "false", "plan-status": "BLOCKED"}
    assert "'terraform apply' may prompt (terraform apply): add -auto-approve" in done.stdout
    assert "'pulumi up' may prompt (pulumi up)" in done.stdout
    assert "'az group delete -n rg' may prompt (az delete)" in done.stdout
    (row,) = [line for line in done.stdout.splitlines() if "FAIL non-interactive" in line]
    assert row.count("may prompt") == 3  # the saved plan's apply, redirected, is not one


def test_a_file_name_that_is_not_utf8_is_shown_not_a_crash(repos: Repos) -> None:
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work")
    os.close(os.open(os.fsencode(work) + b"/plan\xff.txt", os.O_CREAT | os.O_WRONLY))
    env = {**actions_env(repos.head(work)), "INPUT_COMMAND": "preflight"}
    done, outputs, summary = applygate([], work, env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "internal error" not in done.stdout + done.stderr
    assert outputs == {"ready": "false", "plan-status": "BLOCKED"}
    assert "FAIL clean" in done.stdout
    assert "plan\\udcff.txt" in done.stdout
    assert "| clean | ❌ failed | 1 changed or untracked path(s): plan\\udcff.txt" in summary


def test_a_dry_run_that_rewrites_a_tracked_file_fails_clean(repos: Repos, tmp_path: Path) -> None:
    """terraform init updating the lock file: the apply would use a tree nobody approved. A plan
    written to an untracked file is what a dry-run is for, and passes."""
    bare, seed = repos.seeded()
    repos.commit(seed, "lock", {".terraform.lock.hcl": "provider v1\n"})
    repos.push(seed, "HEAD:main")
    work = repos.clone(bare, "work")
    plan = "echo 'No changes.'; exit 0"
    base = {**actions_env(repos.head(work)), "INPUT_COMMAND": "preflight"}
    done, outputs, _ = applygate(["fingerprint", "--", plan], work, base)
    recorded = outputs["plan-fingerprint"]
    check = {**base, "INPUT_PLAN-FINGERPRINT": recorded}
    check["INPUT_DRY-RUN"] = f"echo 'provider v2' > .terraform.lock.hcl; {plan}"
    done, outputs, _ = applygate([], work, check)
    assert done.returncode == 1, done.stdout
    assert outputs["ready"] == "false"
    assert "the dry-run changed 1 tracked file(s): .terraform.lock.hcl" in done.stdout
    subprocess.run(["git", "checkout", "--", "."], cwd=work, check=True)
    check["INPUT_DRY-RUN"] = f"echo plan > tfplan; {plan}"  # an untracked plan file
    done, outputs, _ = applygate([], work, check)
    assert done.returncode == 0, done.stdout
    assert outputs["ready"] == "true"


def test_preflight_refuses_a_commit_the_branch_moved_past(repos: Repos) -> None:
    """Issue 19, item 5: a re-run of an old run would deploy its commit over what came after
    (today's tip): the default refuses, and says how to roll back on purpose."""
    bare, seed = repos.seeded()
    work = repos.clone(bare, "work", depth=1)
    old = repos.head(work)
    repos.commit(seed, "the change applied since")
    repos.push(seed, "HEAD:main")
    done, outputs, _ = applygate(["preflight"], work, actions_env(old))
    assert done.returncode == 1, done.stdout
    assert outputs == {"ready": "false", "plan-status": "BLOCKED"}
    assert f"{old[:12]} is on origin/main" in done.stdout
    assert "is no longer its tip" in done.stdout
    assert "applygate rollback" in done.stdout
    tip_clone = repos.clone(bare, "tip", depth=1)  # the tip itself is ready
    done, outputs, _ = applygate(["preflight"], tip_clone, actions_env(repos.head(tip_clone)))
    assert done.returncode == 0, done.stdout
