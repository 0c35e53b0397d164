"""Fail closed, a gate that errs: git failing, commands failing badly, the GitHub API failing. The
installed ``applygate`` as the runner starts it, against real repositories with bare remotes over
file:// and a loopback GitHub.

Each case must end blocked: exit 1 (never 0), an error annotation that names the problem, no
traceback, no "internal error" (an unforeseen failure is blocked too, but that is not a clear
reason), the token nowhere; preflight and execute end with ``PLAN_STATUS: BLOCKED``, and execute
runs no step after its checklist failed.

Only cases not covered elsewhere are here: the checklist's git situations in-process are in
tests/git/test_preflight_checklist.py, the rollback's in tests/git/test_rollback.py, each API
answer's class for one request in tests/github/test_client_errors.py, a persistent 500, a 401 and
an hour-long rate limit end to end in tests/e2e/test_approve_cli.py. Every API answer on every
endpoint approve reads is in test_every_api_failure_on_every_endpoint_blocks (in-process, the same
CLI entry point, for speed). The subprocess cases run concurrently.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from tests.git.conftest import GIT_ENV, Repos, git
from tests.support.cli import APPLYGATE
from tests.support.fake_github import FakeGitHub, Request, Response
from tests.support.github_payloads import (
    comment,
    env_approval,
    membership,
    permission,
    pull,
    push,
    review,
)
from tests.support.outputs import parse_outputs

from applygate import cli
from applygate.inputs.registry import inputs_of

TOKEN = "ghs_failClosedBlockedToken7"
OP = "terraform apply prod/vpc"
HEAD = "6dcb09b5b57875f334f61aebed695e2e4193db5e"  # pull request 7's head in GitHub's example
LATER = "2026-11-01T12:30:00Z"


# --- git: each situation a function making the workspace (and what it needs) ------------------


@dataclass(frozen=True)
class Workspace:
    path: Path
    sha: str  # the applied commit: the sha input
    env: Mapping[str, str] = field(default_factory=dict)


Setup = Callable[[Repos], Workspace]


def applied(repos: Repos) -> tuple[Path, Path, str]:
    bare, work = repos.seeded()
    sha = repos.commit(work, "apply prod/vpc", {"vpc.tf": "cidr = 10.0.0.0/16\n"})
    repos.push(work, "HEAD:main")
    return bare, work, sha


def no_repository(repos: Repos) -> Workspace:
    path = repos.root / "plain"
    path.mkdir()
    return Workspace(path, HEAD)


def garbage_head(repos: Repos) -> Workspace:
    _, work, sha = applied(repos)
    (work / ".git" / "HEAD").write_text("garbage\n")
    return Workspace(work, sha)


def objects_lost(repos: Repos) -> Workspace:
    _, work, sha = applied(repos)
    shutil.rmtree(work / ".git" / "objects")
    (work / ".git" / "objects").mkdir()
    return Workspace(work, sha)


def remote_gone(repos: Repos) -> Workspace:
    _, work, sha = applied(repos)
    git(work, "remote", "set-url", "origin", str(repos.root / "deleted.git"))
    return Workspace(work, sha)


def remote_refuses(repos: Repos) -> Workspace:
    bare, work, sha = applied(repos)
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'main is protected' >&2\nexit 1\n")
    hook.chmod(0o755)
    return Workspace(work, sha)


def detached(repos: Repos) -> Workspace:
    _, work, sha = applied(repos)
    git(work, "checkout", "--quiet", "--detach")
    return Workspace(work, sha, {"GITHUB_REF": "", "GITHUB_REF_NAME": ""})


def shallow_unpushed(repos: Repos) -> Workspace:
    bare, _, _ = applied(repos)
    work = repos.clone(bare, "shallow", depth=1)
    sha = repos.commit(work, "not pushed")
    return Workspace(work, sha)


def no_git(repos: Repos) -> Workspace:
    _, work, sha = applied(repos)
    return Workspace(work, sha, {"PATH": str(work / "no-bin")})


@dataclass(frozen=True)
class GitCase:
    id: str
    setup: Setup
    argv: tuple[str, ...]
    says: str  # in an error annotation


GIT_CASES = [
    GitCase("no repository", no_repository, ("rollback",), "not a git repository"),
    GitCase("HEAD is garbage", garbage_head, ("preflight",), "not a git repository"),
    GitCase("HEAD is garbage", garbage_head, ("execute",), "not a git repository"),
    GitCase("HEAD's objects lost", objects_lost, ("preflight",), "the repository is damaged"),
    GitCase("HEAD's objects lost", objects_lost, ("rollback",), "the repository is damaged"),
    GitCase("remote does not exist", remote_gone, ("preflight",), "does not appear to be a git"),
    GitCase("remote does not exist", remote_gone, ("execute",), "does not appear to be a git"),
    GitCase("remote does not exist", remote_gone, ("rollback",), "does not appear to be a git"),
    GitCase("remote refuses the push", remote_refuses, ("rollback",), "the push was refused"),
    GitCase(
        "remote refuses the revert after a failed step",
        remote_refuses,
        ("execute", "--steps", "exit 3", "--rollback", "git-revert"),
        "rollback failed: Validation: the push was refused",
    ),
    GitCase("detached HEAD, no branch", detached, ("rollback",), "no branch to push the revert"),
    GitCase("detached HEAD, no branch", detached, ("execute",), "no branch to check"),
    GitCase(
        "shallow clone, HEAD not pushed",
        shallow_unpushed,
        ("execute",),
        "it was never pushed there",
    ),
    GitCase("git not installed", no_git, ("rollback",), "git is not installed"),
    GitCase("git not installed", no_git, ("execute",), "git is not installed"),
]


# --- commands that fail badly ------------------------------------------------------------------

GARBAGE = "head -c 4096 /dev/urandom; printf '\\0\\033[31m\\r'"


@dataclass(frozen=True)
class ProcessCase:
    id: str
    argv: tuple[str, ...]
    says: str


PROCESS_CASES = [
    ProcessCase(
        "dry-run not found",
        ("fingerprint", "--", "terraform-not-installed plan"),
        "the dry-run exited with 127",
    ),
    ProcessCase(
        "dry-run killed by a signal", ("fingerprint", "--", "kill -KILL $$"), "killed by SIGKILL"
    ),
    ProcessCase(
        "dry-run prints binary garbage and fails",
        ("fingerprint", "--", f"{GARBAGE}; exit 1"),
        "the dry-run exited with 1",
    ),
    ProcessCase(
        "dry-run closes its output early and fails",
        ("fingerprint", "--", "exec >&- 2>&-; sleep 0.1; exit 1"),
        "the dry-run exited with 1",
    ),
    ProcessCase(
        "credentials-check killed by a signal",
        ("preflight", "--credentials-check", "kill -SEGV $$"),
        "was killed by SIGSEGV",
    ),
    ProcessCase(
        "step killed by a signal", ("execute", "--steps", "kill -KILL $$"), "killed by SIGKILL"
    ),
    ProcessCase(
        "step not found",
        ("execute", "--steps", "terraform-not-installed apply"),
        "exited 127: the command could not be run",
    ),
    ProcessCase(
        "step prints binary garbage and fails",
        ("execute", "--steps", f"{GARBAGE}; exit 1"),
        "exited 1: no rule names it",
    ),
    ProcessCase(
        "criterion killed by a signal",
        ("verify", "--criteria", "killed.yml"),
        "1 of 1 criteria failed: killed",
    ),
]
KILLED_CRITERIA = "version: 1\ncriteria:\n  - name: killed\n    run: kill -KILL $$\n"


# --- the API failing, end to end: what the in-process matrix below cannot show ------------------


def closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@dataclass(frozen=True)
class ApiCase:
    id: str
    endpoint: str  # a key of endpoints()
    answer: Response | None  # None: the request hangs past the timeout
    says: str


API_CASES = [
    ApiCase(
        "an HTML page instead of JSON",
        "pull",
        Response(502, raw=b"<html><body><h1>502 Bad Gateway</h1></body></html>"),
        "read pull request #7 failed (Transient, HTTP 502)",
    ),
    ApiCase(
        "a 200 that is not JSON",
        "comments",
        Response(200, raw=b"<html>Unicorn!</html>"),
        "list comments of #7 failed (Validation): the answer is not JSON (text/html; "
        "charset=utf-8: '<html>Unicorn!</html>'): is GITHUB_API_URL the API's address?",
    ),
    ApiCase("no answer within the timeout", "reviews", None, "Read timed out"),
    ApiCase("connection refused", "pull", Response(), "(Transient): ConnectionError"),
]
REPO = "octo-org/octo-repo"
R = f"/repos/{REPO}"


def endpoints() -> dict[str, tuple[str, str, Any]]:
    """Everything approve reads when it decides on pull request 7 from comments, reviews and the
    run's environment approvals, approvers a team: (method, path, GitHub's answer)."""
    token = f"User approved: {OP}"
    return {
        "pull": ("GET", f"{R}/pulls/7", pull(7)),
        "activity": ("GET", f"{R}/activity", [push(HEAD, "2026-11-01T12:00:00Z", "pusher")]),
        "run": (
            "GET",
            f"{R}/actions/runs/99",
            {"id": 99, "run_started_at": "2026-11-01T12:10:00Z"},
        ),
        "comments": ("GET", f"{R}/issues/7/comments", [comment(1, "alice", token, LATER)]),
        "reviews": (
            "GET",
            f"{R}/pulls/7/reviews",
            [review(2, "alice", "APPROVED", HEAD, token, LATER)],
        ),
        "approvals": (
            "GET",
            f"{R}/actions/runs/99/approvals",
            [env_approval("alice", "approved", token)],
        ),
        "review edits": (
            "POST",
            "/graphql",
            {"data": {"nodes": [{"id": "PRR_review2", "lastEditedAt": None}]}},
        ),
        "permission": (
            "GET",
            f"{R}/collaborators/alice/permission",
            permission("alice", "write", "write"),
        ),
        "team": ("GET", "/orgs/octo-org/teams/deployers/memberships/alice", membership()),
    }


def serve(api: FakeGitHub, broken: str | None, answer: Callable[[Request], Response]) -> None:
    for name, (method, path, body) in endpoints().items():
        if name == broken:
            api.route(method, path, answer)
        else:
            api.add(method, path, body)


def approve_env(api_url: str, outputs: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_API_URL": api_url,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_RUN_ID": "99",
        "GITHUB_RUN_ATTEMPT": "1",  # a first attempt: only then does the run's start bind
        "GITHUB_SHA": HEAD,
        "INPUT_OPERATION": OP,
        "INPUT_TOKEN": TOKEN,
        "INPUT_PUBLISH": "none",
        "INPUT_PR-NUMBER": "7",
        "INPUT_SOURCES": "pr-comment,pr-review,environment",
        "INPUT_APPROVERS": "octo-org/deployers",
        "APPLYGATE_API_RETRY_SECONDS": "0",
        "APPLYGATE_API_TIMEOUT_SECONDS": "1",
    }


# --- running the cases -------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    marker_made: bool


def launch(argv: list[str], env: dict[str, str], cwd: Path, case_dir: Path) -> Result:
    done = subprocess.run(
        argv,
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    outputs = case_dir / "outputs"
    return Result(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
        parse_outputs(outputs.read_text()) if outputs.exists() else {},
        (case_dir / "ran").exists(),
    )


def runner_env(case_dir: Path, work: Path, sha: str, command: str) -> dict[str, str]:
    """The runner's environment for ``command``: a step that would leave a marker and no retries,
    where the command takes them (another command's input is refused)."""
    (case_dir / "outputs").write_text("")
    own = {f"INPUT_{spec.name.upper()}" for spec in inputs_of(command)}
    if command == "rollback":  # rollback reads steps only to redeploy: not these cases
        own.discard("INPUT_STEPS")
    inputs = {
        "INPUT_STEPS": f"touch {case_dir / 'ran'}",
        "INPUT_RETRIES": "0",
    }
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))},
        **GIT_ENV,
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(work),
        "GITHUB_OUTPUT": str(case_dir / "outputs"),
        "GITHUB_REF": "refs/heads/main",
        "GITHUB_REF_NAME": "main",
        "RUNNER_TEMP": str(case_dir),
        "INPUT_SHA": sha,
        "INPUT_TOKEN": TOKEN,
        "INPUT_PUBLISH": "none",
        **{name: text for name, text in inputs.items() if name in own},
    }


def run_git_case(case: GitCase, case_dir: Path, template: Path) -> Result:
    repos = Repos(case_dir / "repos", template)
    repos.root.mkdir(parents=True)
    workspace = case.setup(repos)
    env = {**runner_env(case_dir, workspace.path, workspace.sha, case.argv[0]), **workspace.env}
    return launch([APPLYGATE, *case.argv], env, case_dir, case_dir)


def run_process_case(case: ProcessCase, case_dir: Path, template: Path) -> Result:
    """In a clean checkout of a pushed commit (holding the criteria), so only the command fails."""
    repos = Repos(case_dir / "repos", template)
    repos.root.mkdir(parents=True)
    _, work = repos.seeded()
    sha = repos.commit(work, "criteria", {"killed.yml": KILLED_CRITERIA})
    repos.push(work, "HEAD:main")
    env = runner_env(case_dir, work, sha, case.argv[0])
    return launch([APPLYGATE, *case.argv], env, work, case_dir)


def run_api_case(case: ApiCase, case_dir: Path, _template: Path) -> Result:
    case_dir.mkdir(parents=True)
    (case_dir / "outputs").write_text("")
    release = threading.Event()

    def hang(_request: Request) -> Response:
        release.wait(10)
        return Response(200, [])

    with FakeGitHub() as api:
        answer = case.answer
        serve(api, case.endpoint, hang if answer is None else lambda _request: answer)
        url = closed_port() if case.id == "connection refused" else api.url
        try:
            return launch(
                [APPLYGATE, "approve"], approve_env(url, case_dir / "outputs"), case_dir, case_dir
            )
        finally:
            release.set()


# --- publishing refused: a warning, and the result it would have published stands ------------


@dataclass(frozen=True)
class PublishCase:
    id: str
    argv: tuple[str, ...]
    answer: Response | None  # to the status write; None: no answer within the timeout
    code: int  # the command's result, the same as without publishing


PUBLISH_CASES = [
    PublishCase(
        "403 to a failed verify",
        ("verify", "--criteria", "killed.yml"),
        Response(
            403,
            {"message": "Resource not accessible by integration"},
            {"X-Accepted-GitHub-Permissions": "statuses=write"},
        ),
        1,
    ),
    PublishCase("no answer to a ready preflight", ("preflight",), None, 0),
    PublishCase("500 to a failed execute", ("execute", "--steps", "exit 3"), Response(500), 1),
]


def run_publish_case(case: PublishCase, case_dir: Path, template: Path) -> Result:
    repos = Repos(case_dir / "repos", template)
    repos.root.mkdir(parents=True)
    _, work = repos.seeded()
    sha = repos.commit(work, "criteria", {"killed.yml": KILLED_CRITERIA})
    repos.push(work, "HEAD:main")
    release = threading.Event()

    def hang(_request: Request) -> Response:
        release.wait(10)
        return Response(201, {})

    with FakeGitHub() as api:
        answer = case.answer
        api.route("POST", f"{R}/statuses/{sha}", hang if answer is None else lambda _: answer)
        env = {
            **runner_env(case_dir, work, sha, case.argv[0]),
            "INPUT_PUBLISH": "commit-status",
            "GITHUB_API_URL": api.url,
            "GITHUB_REPOSITORY": REPO,
            "APPLYGATE_API_RETRY_SECONDS": "0",
            "APPLYGATE_API_TIMEOUT_SECONDS": "1",
            "APPLYGATE_WRITE_INTERVAL_SECONDS": "0",
        }
        try:
            return launch([APPLYGATE, *case.argv], env, work, case_dir)
        finally:
            release.set()


CASES: dict[str, tuple[Callable[[Any, Path, Path], Result], Any, str, str]] = {
    **{f"git: {c.argv[0]}: {c.id}": (run_git_case, c, c.argv[0], c.says) for c in GIT_CASES},
    **{f"process: {c.id}": (run_process_case, c, c.argv[0], c.says) for c in PROCESS_CASES},
    **{f"api: {c.id}": (run_api_case, c, "approve", c.says) for c in API_CASES},
}
RUNS = {
    **{name: (run, case) for name, (run, case, _, _) in CASES.items()},
    **{f"publish: {c.id}": (run_publish_case, c) for c in PUBLISH_CASES},
}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> dict[str, Result]:
    """Every case, four at a time: each its own process, in its own directory and repositories
    (copies of the session's seeded remote and clone)."""
    root = tmp_path_factory.mktemp("blocked")
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            name: pool.submit(run, case, root / f"case-{number}", seeded_template)
            for number, (name, (run, case)) in enumerate(RUNS.items())
        }
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("name", list(CASES))
def test_a_gate_that_errs_is_blocked_with_a_clear_reason(
    name: str, results: dict[str, Result]
) -> None:
    _, _, command, says = CASES[name]
    result = results[name]
    assert result.code == 1, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert errors, result.stdout
    # the annotations name the problem (for a failed rollback after a failed step: its output)
    named = [
        *errors,
        result.outputs.get("rollback-detail", result.outputs.get("rollback-status", "")),
    ]
    assert any(says in text for text in named), "\n".join(named)
    everything = result.stdout + result.stderr + json.dumps(result.outputs)
    assert "Traceback" not in everything
    assert "internal error" not in everything
    assert TOKEN not in everything.replace(f"::add-mask::{TOKEN}", "")
    if command in ("preflight", "execute", "verify"):
        assert result.stdout.rstrip().endswith("PLAN_STATUS: BLOCKED")
    if command == "approve":
        assert result.outputs["decision"] == "blocked"
    if command == "execute" and "after a failed step" not in name:
        assert not result.marker_made, "a step ran after the checklist failed"


@pytest.mark.parametrize("case", PUBLISH_CASES, ids=[c.id for c in PUBLISH_CASES])
def test_a_refused_publication_warns_and_changes_no_result(
    case: PublishCase, results: dict[str, Result]
) -> None:
    result = results[f"publish: {case.id}"]
    assert result.code == case.code, result.stdout + result.stderr
    warnings = [line for line in result.stdout.splitlines() if line.startswith("::warning")]
    failed = [line for line in warnings if "not published::could not" in line]
    refused = case.answer is not None and case.answer.status in (401, 403, 404, 422)
    # a refusal stops the writes at once; a 500 or no answer must not keep the result from
    # being tried (the pending status would stay): both writes fail, each with its warning
    assert len(failed) == (1 if refused else 2), "\n".join(warnings)
    assert all("The result is unchanged." in line for line in failed)
    assert all(("permissions:" in line) is refused for line in failed)
    assert "Traceback" not in result.stdout + result.stderr
    assert TOKEN not in result.stdout.replace(f"::add-mask::{TOKEN}", "")
    status = "BLOCKED" if case.code else "READY"
    statuses = [line for line in result.stdout.splitlines() if line.startswith("PLAN_STATUS:")]
    assert statuses[-1] == f"PLAN_STATUS: {status}"  # the warning of the last write may follow


# --- every API answer on every endpoint approve reads, in-process ----------------------------

ANSWERS = {
    "401": (Response(401, {"message": "Bad credentials"}), "(Permission, HTTP 401)"),
    "403": (Response(403, {"message": "Must have admin rights"}), "(Permission, HTTP 403)"),
    "403 rate limit": (
        Response(
            403,
            {"message": "API rate limit exceeded"},
            {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "4102444800"},
        ),
        "(Transient, HTTP 403): API rate limit exceeded",
    ),
    "404": (Response(404, {"message": "Not Found"}), "(Validation, HTTP 404)"),
    "409": (Response(409, {"message": "Conflict"}), "(State conflict, HTTP 409)"),
    "410": (Response(410, {"message": "Gone"}), "(Validation, HTTP 410)"),
    "422": (Response(422, {"message": "Validation Failed"}), "(Validation, HTTP 422)"),
    "500": (Response(500, {"message": "Server Error"}), "(Transient, HTTP 500)"),
    "502": (Response(502, raw=b"<html>Bad Gateway</html>"), "(Transient, HTTP 502)"),
    "503": (Response(503, {"message": "Service Unavailable"}), "(Transient, HTTP 503)"),
    "not JSON": (Response(200, raw=b"<html>Unicorn!</html>"), "the answer is not JSON (text/html"),
    "JSON null": (Response(200, raw=b"null"), "unexpected response shape"),
    "an object without the fields": (Response(200, {"ok": True}), "unexpected response shape"),
    "a list of numbers": (Response(200, [1, 2]), "unexpected response shape"),
    "a string": (Response(200, "ok"), "unexpected response shape"),
}
# A 404 for a person's permission or team membership means "none"/"not a member", and an object
# without the expected fields reads the same: blocked for want of an approver, not by the error.
NO_APPROVER = "0 of 1 required approvals"
SAYS_OTHERWISE = {
    (who, why) for who in ("permission", "team") for why in ("404", "an object without the fields")
}


Outcome = tuple[int, str, str]  # exit code, stdout, stderr


@pytest.fixture(scope="module")
def matrix() -> dict[tuple[str, str], Outcome]:
    """Each endpoint with each answer, one loopback server re-routed for each."""
    with FakeGitHub() as api:
        return {
            (endpoint, name): decide(api, endpoint, answer)
            for endpoint in endpoints()
            for name, (answer, _) in ANSWERS.items()
        }


def decide(api: FakeGitHub, broken: str, answer: Response) -> Outcome:
    """``applygate approve`` through the CLI's entry point, in this process (a subprocess each
    would take half a second: PyGithub's import). Outside Actions: the verdict is in the console
    report, and only there."""
    serve(api, broken, lambda _request: answer)
    env = {**approve_env(api.url, Path(os.devnull)), "GITHUB_ACTIONS": "false"}
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(["approve"], env)
    return code, out.getvalue(), err.getvalue()


def test_the_matrix_scenario_approves_when_nothing_fails() -> None:
    with FakeGitHub() as api:
        code, stdout, _ = decide(api, "none", Response())
    assert code == 0, stdout
    assert "approved: 'terraform apply prod/vpc'" in stdout


@pytest.mark.parametrize("answer", list(ANSWERS))
@pytest.mark.parametrize("endpoint", list(endpoints()))
def test_every_api_failure_on_every_endpoint_blocks(
    endpoint: str,
    answer: str,
    matrix: dict[tuple[str, str], Outcome],
) -> None:
    code, stdout, stderr = matrix[endpoint, answer]
    assert code == 1, stdout + stderr
    assert not [line for line in stdout.splitlines() if line.startswith("::")], stdout
    expected = NO_APPROVER if (endpoint, answer) in SAYS_OTHERWISE else ANSWERS[answer][1]
    assert stdout.count(expected) == 1, stdout  # the reason, once: no annotation repeats it
    assert "blocked: 'terraform apply prod/vpc'" in stdout
    assert "Traceback" not in stdout + stderr
    assert TOKEN not in (stdout + stderr).replace(f"::add-mask::{TOKEN}", "")
    assert stderr == ""
