"""The execute log of docs/execute.md is what the installed command prints for that run today: a
terraform apply that fails on the state lock, in a checkout of the approved commit, rolled back
by a revert."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tests.e2e.test_preflight_cli import actions_env, applygate
from tests.git.conftest import Repos, git

PAGE = (Path(__file__).resolve().parents[2] / "docs" / "execute.md").read_text()
STEP = "terraform -chdir=infra apply -auto-approve -input=false"
LOCKED = "│ Error: Error acquiring the state lock"


def sample() -> str:
    for text in re.findall(r"```text\n(.*?)```", PAGE, re.S):
        if text.startswith(f"::group::step 1/1: {STEP}\n"):
            return str(text)
    raise AssertionError("docs/execute.md has no execute log sample")


def normalised(log: str) -> str:
    """Commits and durations vary from run to run; everything else must be the same."""
    log = re.sub(r"\b[0-9a-f]{40}\b", "<sha>", log)
    log = re.sub(r"\b[0-9a-f]{12}\b", "<short>", log)
    return re.sub(r"\(\d+(?:\.\d+)?(?:ms|s)\)", "(<time>)", log)


def test_the_readme_execute_log_is_what_execute_prints(repos: Repos, tmp_path: Path) -> None:
    bare, work = repos.seeded()
    sha = repos.commit(work, "prod/vpc", {"infra/main.tf": 'resource "aws_vpc" "prod" {}\n'})
    repos.push(work, "HEAD:main")
    git(work, "checkout", "--quiet", "--detach", sha)  # actions/checkout with ref: <sha>
    tools = tmp_path / "bin"
    tools.mkdir()
    terraform = tools / "terraform"
    terraform.write_text(f"#!/bin/bash\necho '{LOCKED}' >&2\nexit 1\n")
    terraform.chmod(0o755)
    args = [
        "execute",
        "--sha",
        sha,
        "--branch",
        "main",
        "--steps",
        STEP,
        "--rollback",
        "git-revert",
    ]
    env = {
        **actions_env(sha),
        "INPUT_PUBLISH": "none",
        "RUNNER_TEMP": str(tmp_path),
        "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
    }
    done, outputs, _ = applygate(args, work, env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert outputs["rollback-status"] == "unverified"
    assert outputs["rollback-detail"].startswith(f"unverified (git-revert: reverted {sha[:12]}")
    assert git(bare, "rev-parse", "main") != sha  # the revert is on the remote
    log = done.stdout[done.stdout.index(f"::group::step 1/1: {STEP}") :]
    assert normalised(log) == normalised(sample())
