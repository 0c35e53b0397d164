"""The subject-commit rule through a real job: HEAD is asked of a real repository, and only when
the rule reaches it (tests/unit/test_subject.py has the rule's whole table)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pytest
from tests.git.conftest import Repos

from applygate.flows.subject import subject_commit
from applygate.job import Job

GITHUB_SHA = "e" * 40
PR_HEAD = "c" * 40


def job(work: Path, tmp_path: Path, event: str, payload: Mapping[str, object]) -> Job:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    environ = {
        "GITHUB_WORKSPACE": str(work),
        "GITHUB_SHA": GITHUB_SHA,
        "GITHUB_EVENT_NAME": event,
        "GITHUB_EVENT_PATH": str(path),
    }
    return Job.of(environ)


PULL = {"pull_request": {"number": 7, "head": {"sha": PR_HEAD, "ref": "f"}, "base": {"ref": "m"}}}
COMMENT = {"issue": {"number": 7, "pull_request": {}}, "comment": {"id": 1, "body": "x"}}


def test_an_issue_comment_runs_commands_publish_on_the_checkout_not_the_default_branch(
    repos: Repos, tmp_path: Path
) -> None:
    _, work = repos.seeded()
    head = repos.head(work)
    run = job(work, tmp_path, "issue_comment", COMMENT)
    for command in ("preflight", "verify", "execute", "fingerprint", "rollback"):
        assert subject_commit(command, run, None) == head, command
    assert subject_commit("verify", run, "a" * 40) == "a" * 40


def test_a_pull_request_run_publishes_on_the_head_not_the_merge(
    repos: Repos, tmp_path: Path
) -> None:
    _, work = repos.seeded()
    run = job(work, tmp_path, "pull_request", PULL)
    assert subject_commit("preflight", run, None) == PR_HEAD
    assert subject_commit("rollback", run, None) == repos.head(work)  # it reverts the checkout


@pytest.mark.parametrize("event", ["push", "workflow_dispatch"])
def test_without_a_repository_a_push_falls_back_to_github_sha(tmp_path: Path, event: str) -> None:
    plain = tmp_path / "not-a-repo"
    plain.mkdir()
    run = job(plain, tmp_path, event, {})
    assert subject_commit("verify", run, None) == GITHUB_SHA
    assert subject_commit("rollback", run, None) is None  # never GITHUB_SHA: it reverts HEAD
