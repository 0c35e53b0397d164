"""``rollback`` as a command: inputs, the branch it pushes to, and what it reports."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
import responses
from tests.git.conftest import Repos, git

from applygate.adapters.git_write import GitWriter
from applygate.adapters.runner import Runner
from applygate.commands.rollback import revert_and_report
from applygate.context import RunContext
from applygate.core.execution import Verification, VerificationState
from applygate.core.redact import Redactor
from applygate.errors import UsageError
from applygate.flows.verification import Verifier
from applygate.inputs.publishing import settings as publish_settings
from applygate.inputs.rollback import RollbackInputs


def criteria_that(state: VerificationState) -> Verifier:
    """Rollback criteria that find ``state`` (a fake: the real ones run in tests/e2e)."""
    return lambda: Verification(state=state, summary=f"rollback criteria {state}")


def rollback(
    work: Path, ctx: RunContext, check: Verifier | None = None, **raw: str
) -> tuple[int, str, str]:
    environ = dict(os.environ)
    inputs = RollbackInputs.from_raw(raw, environ)
    stream = io.StringIO()
    out = work.parent / "out"
    out.write_text("")
    runner = Runner(str(out), "", stream)
    git_writer = GitWriter(work, environ, inputs.identity)
    redact = Redactor.of(inputs.secrets(environ))
    code = revert_and_report(inputs, ctx, None, git_writer, runner, redact, check=check)
    return code, stream.getvalue(), out.read_text()


def test_a_detached_head_without_a_branch_is_not_guessed(repos: Repos) -> None:
    bare, work = repos.seeded()
    git(work, "checkout", "--quiet", "--detach", "HEAD")
    tip = git(bare, "rev-parse", "main")
    code, log, outputs = rollback(work, RunContext())
    assert code == 1
    assert "no branch to push the revert to: set input branch" in log
    assert git(bare, "rev-parse", "main") == tip
    assert "revert-sha=\n" in outputs


def test_the_branch_comes_from_the_run_when_not_given(repos: Repos) -> None:
    bare, work = repos.seeded()
    git(work, "checkout", "--quiet", "--detach", "HEAD")
    ctx = RunContext(ref="refs/heads/main", ref_name="main")
    passing = criteria_that(VerificationState.PASSED)
    code, log, outputs = rollback(work, ctx, passing, **{"git-user-name": "Ops"})
    assert code == 0, log
    tip = git(bare, "rev-parse", "main")
    assert f"revert-sha={tip}\n" in outputs
    assert f"rollback-sha={tip}\n" in outputs
    assert "rollback-status=restored\n" in outputs
    assert git(bare, "log", "-1", "--format=%an <%ae>", "main") == (
        "Ops <41898282+github-actions[bot]@users.noreply.github.com>"
    )


@pytest.mark.parametrize("check", [None, criteria_that(VerificationState.FAILED)])
def test_a_pushed_revert_without_passing_criteria_is_unverified_and_exit_1(
    repos: Repos, check: Verifier | None
) -> None:
    bare, work = repos.seeded()
    code, log, outputs = rollback(work, RunContext(), check, branch="main")
    assert code == 1
    assert git(bare, "log", "-1", "--format=%s", "main").startswith('Revert "')
    assert "rollback-status=unverified\n" in outputs
    assert "next: " in log
    assert "restored" not in outputs


def test_a_token_in_the_remote_url_never_reaches_the_log(repos: Repos) -> None:
    _, work = repos.seeded()
    secret = "ghp_inTheRemoteUrl1234"
    git(work, "remote", "set-url", "origin", f"https://x-access-token:{secret}@127.0.0.1:9/o/r")
    code, log, outputs = rollback(work, RunContext(), branch="main", token=secret)
    assert code == 1
    assert secret not in log.replace(f"::add-mask::{secret}", "")
    assert secret not in outputs


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"sha": "abc"}, "invalid input sha"),
        ({"branch": "--force"}, "invalid input branch"),
        ({"remote": "a b"}, "invalid input remote"),
        ({"git-user-email": "<x@y>"}, "invalid input git-user-email"),
        ({"mask": "NOT VALID"}, "invalid input mask"),
        ({"rollback": "none"}, "none rolls nothing back"),
        ({"rollback": "redeploy", "rollback-sha": "a" * 40}, "input steps is required"),
        ({"rollback": "steps"}, "input rollback-steps is required"),
        ({"steps": "make apply"}, "input steps is only read with rollback: redeploy"),
    ],
)
def test_bad_inputs_are_usage_errors(raw: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        RollbackInputs.from_raw(raw, {})


@pytest.mark.parametrize(
    ("given", "operation"),
    [("", ""), ("  terraform\n apply  prod/vpc", "terraform apply prod/vpc")],
)
def test_operation_is_one_line(given: str, operation: str) -> None:
    """What a redeploy's deployment names; empty: the steps' text (core/deployment.py)."""
    raw = {"rollback": "redeploy", "rollback-sha": "a" * 40, "steps": "make", "operation": given}
    assert RollbackInputs.from_raw(raw, {}).operation == operation


def test_the_result_is_published_on_the_reverted_commit(repos: Repos) -> None:
    _, work = repos.seeded()
    head = git(work, "rev-parse", "HEAD")
    ctx = RunContext(repository="octo/hello", run_id="42", api_url="https://api.github.com")
    raw = {"branch": "main", "sha": head, "token": "ghs_secret"}
    environ = {"APPLYGATE_WRITE_INTERVAL_SECONDS": "0"}
    inputs = RollbackInputs.from_raw(raw, dict(os.environ))
    stream = io.StringIO()
    runner = Runner("", "", stream)
    writer = GitWriter(work, dict(os.environ), inputs.identity)
    with responses.RequestsMock() as api:
        url = f"https://api.github.com:443/repos/octo/hello/statuses/{head}"
        api.post(url, json={"id": 1}, status=201)
        settings = publish_settings("rollback", raw, environ)
        passing = criteria_that(VerificationState.PASSED)
        code = revert_and_report(
            inputs, ctx, None, writer, runner, Redactor.of(()), settings, check=passing
        )
        sent = [json.loads(call.request.body or b"{}") for call in api.calls]
    assert code == 0, stream.getvalue()
    assert [(body["state"], body["context"]) for body in sent] == [
        ("pending", "applygate/rollback"),
        ("success", "applygate/rollback"),
    ]
    assert sent[1]["target_url"] == "https://github.com/octo/hello/actions/runs/42"
