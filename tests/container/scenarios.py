"""What the container test runs: each case is one step of a job, with what it must show.

To add a case, append a ``Case`` to ``CASES``: the command, its inputs (``{sha}`` and ``{api}``
are filled in from the fixture) and the exit code and outputs it must produce. API routes the
command needs go in ``Fixture._routes``, files it needs in the checkout in ``Fixture._checkout``.
A case whose command the image does not know fails: nothing is skipped.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.container import git_commands
from tests.container.action_run import RUNNER_UID, ActionRunner, Result, default_inputs
from tests.support.fake_github import FakeGitHub

from applygate import __version__

REPO = "octo/hello"
OPERATION = "terraform apply prod/vpc"
PUSHED = "2026-11-01T12:00:00Z"
COMMENTED = "2026-11-01T12:05:00Z"
# Committed at the default criteria path; {api} is the loopback stand-in, reached from inside.
CRITERIA = """\
version: 1
criteria:
  - name: git in the image
    run: git --version
    expect: {exit-code: 0, stdout-contains: "git version"}
  - name: api healthy
    http: {url: "{api}/healthz"}
    expect: {status: 200, body-contains: ok, json: {"$.status": ok}}
"""
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "CI",
    "GIT_AUTHOR_EMAIL": "ci@example.com",
    "GIT_COMMITTER_NAME": "CI",
    "GIT_COMMITTER_EMAIL": "ci@example.com",
}


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
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_EVENT_NAME": "workflow_dispatch",
            "GITHUB_SHA": self.sha,
            "GITHUB_REF": "refs/heads/main",
            "GITHUB_REF_NAME": "main",
            "GITHUB_RUN_ID": "42",
            "GITHUB_ACTOR": "octocat",
            "APPLYGATE_WRITE_INTERVAL_SECONDS": "0",
        }

    def fill(self, text: str) -> str:
        return text.replace("{sha}", self.sha).replace("{api}", self.api.url)

    def _checkout(self) -> None:
        git(self.remote.parent, "init", "-q", "--bare", "-b", "main", str(self.remote))
        self.workspace.mkdir()
        git(self.workspace, "init", "-q", "-b", "main")
        (self.workspace / "main.tf").write_text('resource "null_resource" "vpc" {}\n')
        criteria = self.workspace / ".github" / "applygate" / "verify.yml"
        criteria.parent.mkdir(parents=True)
        criteria.write_text(self.fill(CRITERIA))
        git(self.workspace, "add", ".")
        git(self.workspace, "commit", "-q", "-m", "vpc")
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
        push = {
            "after": self.sha,
            "ref": "refs/heads/topic",
            "timestamp": PUSHED,
            "actor": {"login": "octocat"},
        }
        api.add("GET", f"{base}/activity", [push])
        comment = {
            "id": 1,
            "html_url": f"https://github.com/{REPO}/pull/7#issuecomment-1",
            "user": {"login": "alice"},
            "body": f"User approved: {OPERATION}",
            "created_at": COMMENTED,
            "updated_at": COMMENTED,
        }
        api.add_pages(f"{base}/issues/7/comments", [comment])
        api.add_pages(f"{base}/pulls/7/reviews", [])
        permission = {"permission": "write", "role_name": "write", "user": {"login": "alice"}}
        api.add("GET", f"{base}/collaborators/alice/permission", permission)
        api.add("POST", f"{base}/statuses/{self.sha}", {"id": 1, "state": "pending"}, status=201)
        api.add("GET", "/healthz", {"status": "ok"})

    def statuses(self) -> list[str]:
        """The states of the commit statuses posted so far, in order."""
        sent = self.api.sent("POST", f"/repos/{REPO}/statuses/{self.sha}")
        return [str(request.body.get("state")) for request in sent]


Check = Callable[[Result, Fixture], list[str]]


def expect(code: int, **outputs: str) -> Check:
    """Exit ``code``, each output as given (filled in), and a job summary written."""

    def check(result: Result, fixture: Fixture) -> list[str]:
        found = [f"exit code {result.code}, expected {code}"] if result.code != code else []
        for name, wanted in outputs.items():
            value = fixture.fill(wanted)
            if result.outputs.get(name) != value:
                found.append(f"output {name}={result.outputs.get(name)!r}, expected {value!r}")
        if not result.summary.strip():
            found.append("nothing written to GITHUB_STEP_SUMMARY")
        return found

    return check


def last_status(state: str) -> Check:
    def check(_result: Result, fixture: Fixture) -> list[str]:
        posted = fixture.statuses()
        ok = posted and posted[-1] == state
        return [] if ok else [f"commit statuses posted {posted}, expected the last {state!r}"]

    return check


def report_file() -> Check:
    """The ``report`` output names a JSON file that later steps, on the runner, can read."""

    def check(result: Result, _fixture: Fixture) -> list[str]:
        path = Path(result.outputs.get("report", "") or "/nonexistent")
        try:
            json.loads(path.read_text())
        except (OSError, ValueError) as error:
            return [f"output report={str(path)!r} is not a JSON file on the runner: {error}"]
        return []

    return check


def log_line(line: str) -> Check:
    def check(result: Result, _fixture: Fixture) -> list[str]:
        return [] if line in result.stdout.splitlines() else [f"stdout lacks the line {line}"]

    return check


@dataclass(frozen=True)
class Case:
    """One step, run as ``uses: owner/applygate@v0`` (``uses="action"``: action.yml's defaults
    and args) or as ``uses: docker://ghcr.io/owner/applygate:v0`` (``uses="docker"``: only the
    ``with:`` entries, no args)."""

    name: str
    command: str
    inputs: dict[str, str]
    checks: tuple[Check, ...] = field(default_factory=tuple)
    uses: str = "action"

    def check(self, runner: ActionRunner, fixture: Fixture) -> tuple[list[str], float]:
        given = {"command": self.command, "token": "ghs_containertest", **self.inputs}
        given = {name: fixture.fill(value) for name, value in given.items()}
        if self.uses == "action":
            inputs, args = {**default_inputs(), **given}, [self.command]
        else:
            inputs, args = given, []
        before = len(fixture.api.requests)
        result = runner.step(fixture.workspace, inputs, fixture.runner_env(), args)
        problems = [problem for check in self.checks for problem in check(result, fixture)]
        if _leaks("ghs_containertest", result):
            problems.append("the token appears in the log or the summary")
        if problems:
            problems += [f"exit {result.code}", *_tail("stdout", result.stdout)]
            problems += _tail("stderr", result.stderr)
            problems += [f"API: {r.method} {r.path}" for r in fixture.api.requests[before:]]
        return problems, result.seconds


@dataclass(frozen=True)
class GitCase:
    """Every git command applygate runs (tests/container/git_commands.py), inside the image."""

    name: str = "git: every subcommand the adapters run works in the slimmed image"
    command: str = ""  # not an applygate command: runs git directly

    def check(self, runner: ActionRunner, fixture: Fixture) -> tuple[list[str], float]:
        argv = ["python", "-c", git_commands.SCRIPT]
        argv += [json.dumps(git_commands.COMMANDS), fixture.sha]
        start = time.monotonic()
        done = runner.exec(argv, fixture.workspace)
        seconds = time.monotonic() - start
        problems = done.stdout.splitlines()
        if done.returncode != 0:
            problems += [f"exit {done.returncode}", *_tail("stderr", done.stderr)]
        return problems, seconds


LIST_DISTRIBUTIONS = (
    "import importlib.metadata as m; "
    "print('\\n'.join(d.metadata['Name'] + '==' + d.version for d in m.distributions()))"
)


@dataclass(frozen=True)
class LockCase:
    """The image's Python packages are setup/requirements.lock's pins (but the build backend) and
    applygate: what `applygate/applygate/setup` installs on the runner, and no pip."""

    name: str = "packages: exactly the lock's (no setuptools), applygate, and no pip"
    command: str = ""

    def check(self, runner: ActionRunner, fixture: Fixture) -> tuple[list[str], float]:
        start = time.monotonic()
        done = runner.exec(["python", "-c", LIST_DISTRIBUTIONS], fixture.workspace)
        seconds = time.monotonic() - start
        found = {_normal(line) for line in done.stdout.split()}
        wanted = {_normal(pin) for pin in _lock_pins() if not pin.startswith("setuptools==")}
        wanted.add(_normal(f"applygate=={__version__}"))
        problems = [f"in the image, not wanted: {sorted(found - wanted)}"] if found - wanted else []
        problems += (
            [f"wanted, not in the image: {sorted(wanted - found)}"] if wanted - found else []
        )
        return problems, seconds


def _lock_pins() -> list[str]:
    lock = Path(__file__).resolve().parents[2] / "setup" / "requirements.lock"
    lines = lock.read_text().splitlines()
    return [line.split()[0] for line in lines if re.match(r"[A-Za-z0-9._-]+==", line)]


def _normal(pin: str) -> str:
    name, _, version = pin.partition("==")
    return f"{name.lower().replace('_', '-')}=={version}"


def _leaks(secret: str, result: Result) -> bool:
    """The secret anywhere but in the runner's ``::add-mask::`` command that hides it."""
    lines = [*result.stdout.splitlines(), *result.stderr.splitlines(), result.summary]
    return any(secret in line for line in lines if not line.startswith("::add-mask::"))


def _tail(label: str, text: str) -> list[str]:
    return [f"{label}: {line}" for line in text.splitlines()[-15:]]


APPROVAL = {"operation": OPERATION, "pr-number": "7"}
CASES = (
    Case(
        "approve: one approval by a writer, min-approvals 1 -> approved",
        "approve",
        {**APPROVAL, "min-approvals": "1"},
        (
            expect(0, decision="approved", approvers="alice", scope=OPERATION, sha="{sha}"),
            last_status("success"),
        ),
    ),
    Case(
        "approve: the same with min-approvals 2 (a hyphenated input) -> blocked",
        "approve",
        {**APPROVAL, "min-approvals": "2"},
        (expect(1, decision="blocked", sha="{sha}"), last_status("failure")),
    ),
    Case(
        "preflight: the pushed clean checkout, owned by another uid -> ready",
        "preflight",
        {"sha": "{sha}", "publish": "none"},
        (expect(0, ready="true", **{"plan-status": "READY"}), log_line("PLAN_STATUS: READY")),
    ),
    Case(
        "verify: a command and an HTTP check against the API stand-in -> COMPLETE",
        "verify",
        {"sha": "{sha}"},
        (
            expect(0, **{"plan-status": "COMPLETE", "passed": "git in the image,api healthy"}),
            log_line("PLAN_STATUS: COMPLETE"),
            last_status("success"),
            report_file(),
        ),
    ),
    Case(
        "approve through docker:// (no action.yml defaults, no args) -> approved",
        "approve",
        APPROVAL,
        (expect(0, decision="approved", approvers="alice", sha="{sha}"), last_status("success")),
        uses="docker",
    ),
    Case(
        "preflight through docker:// -> ready",
        "preflight",
        {"sha": "{sha}"},
        (expect(0, ready="true"), last_status("success")),
        uses="docker",
    ),
    GitCase(),
    LockCase(),
)
