"""``execute`` in-process with real bash steps and real repositories (bare remotes over file://):
the checklist first, steps one at a time, classification, retries, verification, rollback.

Only the sleep between retries is replaced (its waits are recorded), and the verifier where a
test needs verification to pass or fail.
"""

from __future__ import annotations

import base64
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from tests.git.conftest import Repos, git
from tests.support.outputs import parse_outputs

from applygate.adapters.git_write import GitWriter
from applygate.adapters.runner import Runner
from applygate.commands.execute import Tools, apply
from applygate.context import RunContext
from applygate.core.binding import Source
from applygate.core.evidence import Evidence
from applygate.core.execution import Verification, VerificationState
from applygate.errors import UsageError
from applygate.flows.verification import Verifier
from applygate.inputs.execute import ExecuteInputs
from applygate.workspace import Workspace

TOKEN = "ghs_executeTestToken42"


@dataclass
class Run:
    code: int
    log: str
    outputs: dict[str, str]
    report: dict[str, Any]
    summary: str
    sleeps: list[float] = field(default_factory=list)


def execute(
    work: Path,
    steps: str,
    env: dict[str, str] | None = None,
    verifier: Verifier | None = None,
    **raw: str,
) -> Run:
    environ = {**os.environ, "RUNNER_TEMP": str(work.parent), **(env or {})}
    workspace = Workspace(work, environ)
    raw_inputs = {"steps": steps, "branch": "main", "token": TOKEN, "retry-interval": "1s", **raw}
    inputs = ExecuteInputs.from_raw(raw_inputs, environ, workspace)
    out_file, summary_file = work.parent / "out", work.parent / "summary"
    out_file.write_text("")
    summary_file.write_text("")
    stream = io.StringIO()
    runner = Runner(str(out_file), str(summary_file), stream)
    sleeps: list[float] = []
    git = GitWriter(work, environ, inputs.identity)
    tools = Tools(git, lambda _stream, line: runner.print(line), sleeps.append, verifier)
    code = apply(inputs, RunContext(), None, workspace, runner, tools)
    outputs = parse_outputs(out_file.read_text())
    report = json.loads(Path(outputs["report"]).read_text())
    return Run(code, stream.getvalue(), outputs, report, summary_file.read_text(), sleeps)


@pytest.fixture
def work(repos: Repos) -> Path:
    """A clean clone whose HEAD is the tip of main on its remote."""
    _, work = repos.seeded()
    return work


def test_steps_that_pass_are_applied_but_not_claimed_complete(work: Path, tmp_path: Path) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    steps = "\n".join(f"echo step {n} && touch {marks}/{n}" for n in (1, 2, 3))
    done = execute(work, steps)
    assert done.code == 0, done.log
    assert sorted(p.name for p in marks.iterdir()) == ["1", "2", "3"]
    assert done.outputs["applied"] == "true"
    assert done.outputs["plan-status"] == "APPLIED"
    assert done.outputs["failed-step"] == ""
    assert "verification is still owed" in done.log
    assert "PLAN_STATUS: COMPLETE" not in done.log
    assert done.log.rstrip().endswith("PLAN_STATUS: APPLIED")
    assert f"::group::step 2/3: echo step 2 && touch {marks}/2" in done.log
    assert "\nstep 2\n::endgroup::" in done.log  # live output inside its group
    steps_json = done.report["steps"]
    assert [s["status"] for s in steps_json] == ["passed"] * 3
    assert [s["attempts"][0]["exit_code"] for s in steps_json] == [0, 0, 0]
    assert all(s["attempts"][0]["duration_seconds"] >= 0 for s in steps_json)


def test_a_failing_middle_step_stops_the_run(work: Path, tmp_path: Path) -> None:
    steps = (
        f"touch {tmp_path}/first\n"
        "echo 'Error: Unsupported argument \"colour\"' >&2; exit 3\n"
        f"touch {tmp_path}/third"
    )
    done = execute(work, steps)
    assert done.code == 1
    assert (tmp_path / "first").exists()
    assert not (tmp_path / "third").exists()
    assert done.outputs["applied"] == "false"
    assert done.outputs["plan-status"] == "BLOCKED"
    assert done.outputs["error-type"] == "Validation"
    assert done.outputs["failed-step"].startswith("2: echo 'Error: Unsupported argument")
    assert [s["status"] for s in done.report["steps"]] == ["passed", "failed", "not run"]
    assert done.report["steps"][1]["attempts"][0]["exit_code"] == 3
    assert done.report["steps"][2]["attempts"] == []
    assert "not run  3." in done.log
    assert "Error Type: Validation" in done.log
    assert 'Error: Unsupported argument "colour"' in done.log
    assert "Rollback Status: not attempted (rollback: none): step(s) 1, 2 ran" in done.log
    head = git(work, "rev-parse", "HEAD")
    assert f"to undo, revert {head[:12]} (applygate rollback" in done.log  # no sha input given
    assert done.sleeps == []
    assert done.log.rstrip().endswith("PLAN_STATUS: BLOCKED")


def flaky(tmp_path: Path, failures: int, message: str) -> str:
    """A step that fails with ``message`` the first ``failures`` times, then succeeds."""
    count = tmp_path / "count"
    return (
        f"n=$(cat {count} 2>/dev/null || echo 0); echo $((n + 1)) > {count}; "
        f"if [ $n -lt {failures} ]; then echo '{message}' >&2; exit 1; fi; echo recovered"
    )


def test_a_transient_failure_recovers_on_retry(work: Path, tmp_path: Path) -> None:
    step = flaky(tmp_path, 1, "read: connection reset by peer")
    done = execute(work, f"{step}\ntouch {tmp_path}/after")
    assert done.code == 0, done.log
    assert (tmp_path / "after").exists()
    assert done.sleeps == [1.0]
    assert "PLAN_STATUS: FIXING" in done.log
    assert "retry 1 of 2 in 1s" in done.log
    attempts = done.report["steps"][0]["attempts"]
    assert [(a["exit_code"], a["error_type"]) for a in attempts] == [(1, "Transient"), (0, None)]
    assert "::group::step 1/2 (attempt 2):" in done.log


def test_a_transient_failure_that_outlasts_the_retries_blocks(work: Path, tmp_path: Path) -> None:
    step = flaky(tmp_path, 99, "Error: HTTP 503 Service Unavailable")
    done = execute(work, f"{step}\ntouch {tmp_path}/after", retries="3")
    assert done.code == 1
    assert not (tmp_path / "after").exists()
    assert done.sleeps == [1.0, 2.0, 4.0]  # exponential backoff from retry-interval
    assert done.log.count("PLAN_STATUS: FIXING") == 3
    statuses = [line for line in done.log.splitlines() if line.startswith("PLAN_STATUS:")]
    assert [line.split()[-1] for line in statuses] == ["READY", *["FIXING"] * 3, "BLOCKED"]
    assert len(done.report["steps"][0]["attempts"]) == 4
    assert done.outputs["error-type"] == "Transient"
    assert "after 4 attempts" in done.log


def test_a_step_past_step_timeout_is_killed_and_retried(work: Path, tmp_path: Path) -> None:
    hang = f"echo started >> {tmp_path}/starts; sleep 30"
    steps = f"{hang}\ntouch {tmp_path}/after"
    done = execute(work, steps, None, None, **{"step-timeout": "300ms", "retries": "1"})
    assert done.code == 1
    assert (tmp_path / "starts").read_text() == "started\n" * 2  # killed, retried, killed
    assert not (tmp_path / "after").exists()
    assert done.outputs["error-type"] == "Transient"
    assert "killed after 300ms (input step-timeout)" in done.log
    assert [a["exit_code"] for a in done.report["steps"][0]["attempts"]] == [None, None]


@pytest.mark.parametrize(
    ("step", "error_type"),
    [
        ("echo 'Error: Error acquiring the state lock' >&2; exit 1", "State conflict"),
        ("echo 'Error: creating VPC: resource already exists' >&2; exit 1", "State conflict"),
        ("echo ' ! [rejected] main -> main (non-fast-forward)' >&2; exit 1", "State conflict"),
        ("echo 'AccessDenied: User is not authorized' >&2; exit 1", "Permission"),
        ("echo 'error: You must be logged in (Unauthorized)' >&2; exit 1", "Permission"),
        ("echo 'Error: HTTP 403 Forbidden' >&2; exit 1", "Permission"),
        ("echo 'net/http: TLS handshake timeout' >&2; exit 1", "Transient"),
        ("echo 'ThrottlingException: Rate exceeded' >&2; exit 1", "Transient"),
        ("echo 'dial tcp 10.0.0.1:443: connect: connection refused' >&2; exit 1", "Transient"),
        ("echo 'Error: Invalid value for variable' >&2; exit 1", "Validation"),
        ("no-such-command-applygate --flag", "Validation"),
    ],
)
def test_each_failure_is_classified(work: Path, step: str, error_type: str) -> None:
    done = execute(work, step, retries="0")
    assert done.code == 1
    assert done.outputs["error-type"] == error_type
    assert done.report["steps"][0]["attempts"][0]["error_type"] == error_type
    assert f"Error Type: {error_type}" in done.log


def test_a_failed_checklist_runs_no_step(work: Path, tmp_path: Path) -> None:
    (work / "stray.tf").write_text("uncommitted\n")
    done = execute(work, f"touch {tmp_path}/one\ntouch {tmp_path}/two")
    assert done.code == 1
    assert not (tmp_path / "one").exists()
    assert not (tmp_path / "two").exists()
    assert done.outputs["plan-status"] == "BLOCKED"
    assert done.outputs["applied"] == "false"
    assert done.report["preflight"]["ready"] is False
    assert [s["status"] for s in done.report["steps"]] == ["not run", "not run"]
    assert "stray.tf" in done.log
    assert "nothing to roll back: no step ran" in done.log
    assert "::group::step" not in done.log
    assert "::error title=applygate preflight%3A clean::" in done.log
    assert "## applygate preflight: blocked" in done.summary
    assert "## applygate execute: BLOCKED" in done.summary
    assert done.log.count("PLAN_STATUS:") == 1  # the run's, last: the checklist adds none
    assert done.log.rstrip().endswith("PLAN_STATUS: BLOCKED")


def test_a_failed_checklist_never_rolls_back_even_with_git_revert(
    work: Path, tmp_path: Path
) -> None:
    head = git(work, "rev-parse", "HEAD")
    env = {"APPLYGATE_TEST_MISSING": ""}
    done = execute(
        work,
        f"touch {tmp_path}/one",
        env,
        rollback="git-revert",
        credentials="APPLYGATE_TEST_MISSING",
    )
    assert done.code == 1
    assert not (tmp_path / "one").exists()
    assert "Rollback Status: nothing to roll back: no step ran" in done.log
    assert git(work, "rev-parse", "HEAD") == head
    assert git(work, "ls-remote", "origin", "refs/heads/main").split()[0] == head


def test_secrets_are_redacted_from_the_log_the_outputs_and_the_report(work: Path) -> None:
    secret = "s3cr3t-database-password"
    step = f'echo "token={TOKEN} password=$DB_PASSWORD" && echo "$DB_PASSWORD" >&2 && exit 1'
    done = execute(work, step, env={"DB_PASSWORD": secret}, mask="DB_PASSWORD", retries="0")
    assert done.code == 1
    assert "token=*** password=***" in done.log
    assert f"::add-mask::{secret}\n" in done.log  # masked for the runner too
    shown = done.log.replace(f"::add-mask::{secret}", "").replace(f"::add-mask::{TOKEN}", "")
    everything = shown + json.dumps(done.report) + json.dumps(done.outputs) + done.summary
    assert secret not in everything
    assert TOKEN not in everything


def test_criteria_without_verification_run_nothing(work: Path, tmp_path: Path) -> None:
    done = execute(work, f"touch {tmp_path}/one", criteria=".github/applygate/verify.yml")
    assert done.code == 1
    assert not (tmp_path / "one").exists()
    assert "verification is not available" in done.log
    assert done.outputs["plan-status"] == "BLOCKED"


def verifier_that(state: VerificationState, calls: list[VerificationState]) -> Verifier:
    def verify() -> Verification:
        calls.append(state)
        return Verification(state=state, summary=f"criteria {state}", message="HTTP 500 on /health")

    return verify


def test_verified_steps_complete(work: Path) -> None:
    calls: list[VerificationState] = []
    verifier = verifier_that(VerificationState.PASSED, calls)
    done = execute(work, "true", verifier=verifier, criteria="verify.yml")
    assert done.code == 0
    assert calls == [VerificationState.PASSED]
    assert done.outputs["plan-status"] == "COMPLETE"
    assert done.log.rstrip().endswith("PLAN_STATUS: COMPLETE")


def test_failed_verification_rolls_back_the_applied_commit(repos: Repos) -> None:
    bare, work = repos.seeded()
    sha = repos.commit(work, "apply prod/vpc", {"vpc.tf": "cidr = 10.0.0.0/16\n"})
    repos.push(work, "HEAD:main")
    calls: list[VerificationState] = []
    verifier = verifier_that(VerificationState.FAILED, calls)
    done = execute(
        work, "true", verifier=verifier, criteria="v.yml", rollback="git-revert", sha=sha
    )
    assert done.code == 1
    assert done.outputs["plan-status"] == "BLOCKED"
    assert done.outputs["applied"] == "true"
    tip = git(bare, "rev-parse", "main")
    assert tip != sha
    assert git(bare, "rev-parse", f"{tip}^{{tree}}") == git(bare, "rev-parse", f"{sha}^^{{tree}}")
    # the revert is on the remote, but the criteria (the verification's) still fail: the
    # system is not known to be back, so the rollback is never called restored
    assert done.outputs["rollback-status"] == "unverified"
    assert done.outputs["rollback-sha"] == done.outputs["revert-sha"] == tip
    detail = done.outputs["rollback-detail"]
    assert detail.startswith(f"unverified (git-revert: reverted {sha[:12]} with {tip[:12]}")
    assert "the rollback criteria failed" in detail
    assert "Rollback Status: unverified (git-revert" in done.log


def test_a_failed_step_with_git_revert_rolls_back(repos: Repos, tmp_path: Path) -> None:
    bare, work = repos.seeded()
    sha = repos.commit(work, "apply", {"vpc.tf": "x\n"})
    repos.push(work, "HEAD:main")
    done = execute(work, "exit 1", rollback="git-revert", retries="0")
    assert done.code == 1
    assert git(bare, "log", "-1", "--format=%s", "main") == 'Revert "apply"'
    # outside Actions, git's own identity (here GIT_AUTHOR_* in the environment) authors it
    assert git(bare, "log", "-1", "--format=%an|%cn", "main") == "Test Author|Test Committer"
    assert done.outputs["rollback-status"] == "unverified"  # no criteria: nothing proved it
    assert f"reverted {sha[:12]}" in done.outputs["rollback-detail"]
    assert (
        "no rollback criteria ran; next: set rollback-criteria" in done.outputs["rollback-detail"]
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"steps": ""}, "input steps is required"),
        ({"retries": "-1"}, "invalid input retries"),
        ({"retries": "101"}, "invalid input retries: 101 is more than 100"),
        ({"retry-interval": "soon"}, "invalid input retry-interval"),
        ({"step-timeout": "forever"}, "invalid input step-timeout"),
        ({"rollback": "terraform-destroy"}, "invalid input rollback"),
        ({"git-user-email": "nobody"}, "invalid input git-user-email"),
        ({"git-user-name": "a\nb"}, "invalid input git-user-name"),
        ({"approval-evidence": "yes", "environment": "p"}, "invalid input approval-evidence"),
    ],
)
def test_bad_inputs_are_usage_errors(tmp_path: Path, raw: dict[str, str], message: str) -> None:
    environ: dict[str, str] = {}
    full = {"steps": "true", **raw}
    with pytest.raises(UsageError, match=message):
        ExecuteInputs.from_raw(full, environ, Workspace(tmp_path, environ))


@pytest.mark.parametrize(
    ("raw", "operation", "evidence"),
    [
        ({}, "", ()),  # the deployment then names the steps' text
        ({"operation": "  terraform   apply\nprod/vpc "}, "terraform apply prod/vpc", ()),
        ({"approval-evidence": "[]", "environment": "production"}, "", ()),
        ({"approval-evidence": "[]"}, "", ()),  # no approval: nothing to refuse
        (
            {
                "environment": "production",
                "approval-evidence": '[{"source":"pr-comment","login":"alice",'
                '"ref":"https://x/1","sha":"' + "a" * 40 + '"}]',
            },
            "",
            (Evidence(source=Source.PR_COMMENT, login="alice", ref="https://x/1", sha="a" * 40),),
        ),
    ],
)
def test_operation_and_approval_evidence(
    tmp_path: Path, raw: dict[str, str], operation: str, evidence: tuple[Evidence, ...]
) -> None:
    environ: dict[str, str] = {}
    inputs = ExecuteInputs.from_raw({"steps": "true", **raw}, environ, Workspace(tmp_path, environ))
    assert inputs.operation == operation
    assert inputs.approval_evidence == evidence


def test_rollback_reverts_the_applied_commit_even_when_a_step_moved_head(repos: Repos) -> None:
    """No sha input (a local run): the commit to revert is the one the checklist proved pushed
    and the steps applied, not whatever HEAD a step left behind."""
    bare, work = repos.seeded()
    sha = repos.commit(work, "apply", {"vpc.tf": "x\n"})
    repos.push(work, "HEAD:main")
    step = "git commit --quiet --allow-empty -m 'bookkeeping by the step' && exit 1"
    done = execute(work, step, rollback="git-revert", retries="0")
    assert done.code == 1
    assert f"reverted {sha[:12]}" in done.outputs["rollback-detail"]
    assert git(bare, "log", "-1", "--format=%s", "main") == 'Revert "apply"'


def test_a_here_document_in_steps_runs_nothing(work: Path, tmp_path: Path) -> None:
    """Split into lines, it would run `cat` with an empty document, then `kind: Namespace`."""
    steps = f"cat > {tmp_path}/ns.yaml <<EOF\nkind: Namespace\nEOF"
    done = execute(work, steps)
    assert done.code == 1
    assert not (tmp_path / "ns.yaml").exists()
    assert "here-document" in done.log


def test_a_secret_a_step_prints_encoded_stays_out_of_the_report(work: Path) -> None:
    """The JSON report and the summary are files: the runner's masking never sees them."""
    secret = "s3cr3t-database-password"
    step = 'printf "admin:%s" "$DB_PASSWORD" | base64 -w0; exit 1'
    done = execute(work, step, env={"DB_PASSWORD": secret}, mask="DB_PASSWORD", retries="0")
    encoded = base64.b64encode(f"admin:{secret}".encode()).decode()
    assert done.code == 1
    files = json.dumps(done.report) + done.summary
    assert encoded[8:-8] not in files
    shown = [line for line in done.log.splitlines() if not line.startswith("::add-mask::")]
    assert encoded[8:-8] not in "\n".join(shown)


def test_a_step_that_leaves_an_apply_running_in_another_session_fails(
    work: Path, tmp_path: Path
) -> None:
    """`setsid terraform apply &`: the shell exits 0 at once while the apply goes on outside the
    step's process group; verification would judge a change still in progress."""
    escaped = f"setsid sh -c 'sleep 3; touch {tmp_path}/late' & sleep 0.3; echo started"
    done = execute(work, f"{escaped}\ntouch {tmp_path}/next", retries="2")
    assert done.code == 1
    assert done.outputs["failed-step"].startswith("1: setsid")
    assert done.outputs["error-type"] == "State conflict"
    assert "still running" in done.log
    assert len(done.report["steps"][0]["attempts"]) == 1  # never started a second time
    assert not (tmp_path / "next").exists()


def test_a_dry_run_that_moves_head_stops_the_run_before_any_step(
    work: Path, tmp_path: Path
) -> None:
    """The checklist reads git before it runs the dry-run; a dry-run that checks out another
    commit would otherwise have the steps apply a commit nobody approved."""
    from applygate.core.fingerprint import compile_ignores, fingerprint

    approved = git(work, "rev-parse", "HEAD")
    dry = "git checkout --quiet --detach HEAD~1 && echo 'No changes.'"
    recorded = fingerprint("No changes.\n", compile_ignores())
    plan = {"dry-run": dry, "plan-fingerprint": recorded}
    done = execute(work, f"touch {tmp_path}/applied", None, None, **plan)
    assert done.code == 1
    assert not (tmp_path / "applied").exists()
    assert "HEAD moved" in done.log
    assert approved[:12] in done.log


def test_rollback_pushes_to_the_branch_the_checklist_checked_not_one_a_step_checked_out(
    repos: Repos,
) -> None:
    """No branch input and no runner variables (a local run): the branch comes from the
    checkout, which a step may have switched."""
    bare, work = repos.seeded()
    sha = repos.commit(work, "apply", {"vpc.tf": "x\n"})
    repos.push(work, "HEAD:main")
    step = "git checkout --quiet -b scratch && git push --quiet origin scratch && exit 1"
    done = execute(work, step, rollback="git-revert", retries="0", branch="")
    assert done.code == 1
    assert f"reverted {sha[:12]}" in done.outputs["rollback-detail"]
    assert git(bare, "log", "-1", "--format=%s", "main") == 'Revert "apply"'
    assert git(bare, "rev-parse", "scratch") == sha  # the step's branch is left alone


def test_a_step_whose_first_command_fails_fails_as_in_github_bash(
    work: Path, tmp_path: Path
) -> None:
    """'terraform init; terraform apply' must not apply after a failed init, nor pass."""
    done = execute(work, f"false; touch {tmp_path}/applied", retries="0")
    assert done.code == 1
    assert not (tmp_path / "applied").exists()
    assert done.outputs["plan-status"] == "BLOCKED"
    assert done.outputs["failed-step"] == f"1: false; touch {tmp_path}/applied"
