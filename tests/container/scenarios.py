"""What the container test runs: each case one step of a job, and what it must show.

``preflight`` and ``verify`` cases run once the image has those commands and are reported as
skipped before; their expectations are those of issues 3 and 4 (``ready=true``,
``plan-status=COMPLETE``).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.container.action_run import RUNNER_UID, ActionRunner, Result
from tests.support.fake_github import FakeGitHub

REPO = "octo/hello"
OPERATION = "terraform apply prod/vpc"
PUSHED = "2026-11-01T12:00:00Z"
COMMENTED = "2026-11-01T12:05:00Z"
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "CI",
    "GIT_AUTHOR_EMAIL": "ci@example.com",
    "GIT_COMMITTER_NAME": "CI",
    "GIT_COMMITTER_EMAIL": "ci@example.com",
}
CRITERIA = """\
version: 1
criteria:
  - name: git in the image
    run: git --version
    expect: {{exit-code: 0, stdout-contains: "git version"}}
  - name: api answers
    http: {{url: "{url}/healthz"}}
    expect: {{status: 200, body-contains: "ok"}}
"""


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)
    return done.stdout.decode().strip()


class Fixture:
    """The API stand-in and a pushed, clean checkout owned by the runner's uid, not root."""

    def __init__(self, scratch: Path) -> None:
        self.api = FakeGitHub()
        self.remote = scratch / "remote.git"
        self.workspace = scratch / "workspace"
        self.sha = ""

    def __enter__(self) -> Fixture:
        self.api.__enter__()
        self._checkout()
        self._routes()
        return self

    def __exit__(self, *exc: object) -> None:
        self.api.__exit__(*exc)

    def mounts(self) -> dict[str, str]:
        # The remote sits at the same path inside, so origin's file:// URL works in both.
        return {str(self.remote): str(self.remote)}

    def runner_env(self) -> dict[str, str]:
        return {
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_API_URL": self.api.url,
            "GITHUB_EVENT_NAME": "workflow_dispatch",
            "GITHUB_SHA": self.sha,
            "GITHUB_REF": "refs/heads/main",
            "GITHUB_REF_NAME": "main",
            "GITHUB_RUN_ID": "42",
            "GITHUB_ACTOR": "octocat",
        }

    def _checkout(self) -> None:
        git(self.remote.parent, "init", "-q", "--bare", "-b", "main", str(self.remote))
        self.workspace.mkdir()
        git(self.workspace, "init", "-q", "-b", "main")
        criteria = self.workspace / ".github" / "applygate" / "verify.yml"
        criteria.parent.mkdir(parents=True)
        criteria.write_text(CRITERIA.format(url=self.api.url))
        git(self.workspace, "add", ".")
        git(self.workspace, "commit", "-q", "-m", "criteria")
        git(self.workspace, "remote", "add", "origin", f"file://{self.remote}")
        git(self.workspace, "push", "-q", "origin", "main")
        self.sha = git(self.workspace, "rev-parse", "HEAD")
        for path in [self.workspace, *self.workspace.rglob("*")]:
            os.chown(path, RUNNER_UID, RUNNER_UID, follow_symlinks=False)

    def _routes(self) -> None:
        api, base = self.api, f"/repos/{REPO}"
        head = {"sha": self.sha, "ref": "topic", "repo": {"full_name": REPO}}
        pull = {"number": 7, "state": "open", "user": {"login": "octocat"}, "head": head}
        api.add("GET", f"{base}/pulls/7", {**pull, "base": {"repo": {"full_name": REPO}}})
        push = {"after": self.sha, "timestamp": PUSHED, "actor": {"login": "octocat"}}
        api.add("GET", f"{base}/activity", [push])
        comment = {
            "id": 1,
            "html_url": "https://github.com/octo/hello/pull/7#issuecomment-1",
            "user": {"login": "alice"},
            "body": f"User approved: {OPERATION}",
            "created_at": COMMENTED,
            "updated_at": COMMENTED,
        }
        api.add_pages(f"{base}/issues/7/comments", [comment])
        api.add_pages(f"{base}/pulls/7/reviews", [])
        permission = {"permission": "write", "role_name": "write", "user": {"login": "alice"}}
        api.add("GET", f"{base}/collaborators/alice/permission", permission)
        api.add("GET", "/healthz", {"status": "ok"})


Check = Callable[[Result, Fixture], list[str]]


@dataclass(frozen=True)
class Case:
    name: str
    command: str
    inputs: dict[str, str]
    expect: Check

    def check(self, runner: ActionRunner, fixture: Fixture) -> tuple[list[str], float]:
        inputs = {"token": "ghs_containertest", **self.inputs}
        if self.command == "preflight":
            inputs["sha"] = fixture.sha
        result = runner.step(self.command, fixture.workspace, inputs, fixture.runner_env())
        problems = self.expect(result, fixture)
        if problems:
            problems += [f"exit {result.code}", *_tail("stdout", result.stdout)]
            problems += _tail("stderr", result.stderr)
        return problems, result.seconds


def _tail(label: str, text: str) -> list[str]:
    return [f"{label}: {line}" for line in text.splitlines()[-15:]]


def expect(code: int, **outputs: str) -> Check:
    def check(result: Result, fixture: Fixture) -> list[str]:
        wanted = {"sha": fixture.sha, **outputs} if "decision" in outputs else outputs
        found = [f"exit code {result.code}, expected {code}"] if result.code != code else []
        for name, value in wanted.items():
            if result.outputs.get(name) != value:
                found.append(f"output {name}={result.outputs.get(name)!r}, expected {value!r}")
        if not result.summary.strip():
            found.append("nothing written to GITHUB_STEP_SUMMARY")
        return found

    return check


def _complete(result: Result, fixture: Fixture) -> list[str]:
    found = expect(0, **{"plan-status": "COMPLETE"})(result, fixture)
    if "PLAN_STATUS: COMPLETE" not in result.stdout:
        found.append("stdout lacks the line PLAN_STATUS: COMPLETE")
    return found


APPROVAL = {"operation": OPERATION, "pr-number": "7"}
CASES = (
    Case(
        "approve: one approval by a writer, min-approvals 1 -> approved",
        "approve",
        {**APPROVAL, "min-approvals": "1"},
        expect(0, decision="approved", approvers="alice", scope=OPERATION),
    ),
    Case(
        "approve: the same with min-approvals 2 (a hyphenated input) -> blocked",
        "approve",
        {**APPROVAL, "min-approvals": "2"},
        expect(1, decision="blocked"),
    ),
    Case(
        "preflight: pushed clean checkout owned by another uid -> ready",
        "preflight",
        {"require-up-to-date": "false"},
        expect(0, ready="true"),
    ),
    Case("verify: the committed criteria pass -> COMPLETE", "verify", {}, _complete),
)
