"""Review of issue 16 (deployments as the record, redeploy to the last good commit): what an
adversarial review found, each a test that failed before its fix.

Run against the installed ``applygate``, the loopback stand-in API, a real repository and bare
remote, and a state file as the live system (as tests/e2e/test_deployments_cli.py does)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.test_deployments_cli import (
    DEPLOYMENTS,
    NEW_ID,
    bodies,
    one_approval,
    rollback_env,
    run,
    stand_in,
)
from tests.e2e.test_execute_cli import published
from tests.e2e.test_preflight_cli import applygate
from tests.git.conftest import git
from tests.support.fake_github import FakeGitHub, json_of
from tests.support.live_system import HEALTHY, System, run_on

from applygate.core.deployment import MAX_SEARCHED, WORKFLOW_IDENTITY

BY_APPLYGATE = {"applygate": {"operation": "op"}}


def deployment(
    number: int, sha: str, payload: Any = None, creator: str = "octocat"
) -> dict[str, Any]:
    """A listed deployment; ``payload`` None: another tool's (GitHub Actions' job record).
    ``creator``: octocat, who creates this run's deployment in GitHub's example answer (the
    identity execute trusts); ``applygate rollback`` creates none first and trusts
    github-actions[bot]."""
    listed = {**json_of("repos-list-deployments.json")[0], "id": number, "sha": sha}
    listed["creator"] = {**listed["creator"], "login": creator}
    return {**listed, "payload": payload if payload is not None else {}}


BOT = WORKFLOW_IDENTITY  # what applygate rollback trusts


def listing(api: FakeGitHub, items: list[dict[str, Any]]) -> None:
    api.add_pages(DEPLOYMENTS, items)  # paged as GitHub pages (per_page, Link next)


def statuses(api: FakeGitHub, number: int, *states: str) -> None:
    """The deployment's statuses, newest first, as GitHub lists them."""
    listed = json_of("repos-list-deployment-statuses.json")[0]
    api.add("GET", f"{DEPLOYMENTS}/{number}/statuses", [{**listed, "state": s} for s in states])


def test_redeploy_does_not_trust_a_forged_applygate_deployment(
    system: System, tmp_path: Path
) -> None:
    # a collaborator pushes an unreviewed branch, then POSTs a deployment of it with
    # payload {"applygate": {}} and a success status (their own PAT is enough)
    git(system.work, "checkout", "-q", "-b", "unreviewed", system.good)
    (system.work / "config.txt").write_text("version good, and something nobody approved\n")
    git(system.work, "commit", "-qam", "unreviewed")
    unreviewed = git(system.work, "rev-parse", "HEAD")
    git(system.work, "push", "-q", "origin", "unreviewed")
    git(system.work, "checkout", "-q", "main")
    git(system.work, "branch", "-q", "-D", "unreviewed")
    git(system.work, "update-ref", "-d", "refs/remotes/origin/unreviewed")
    forged = deployment(9, unreviewed, {"applygate": {}}, "mallory")
    with FakeGitHub() as api:
        stand_in(api, system)
        listing(
            api,
            [
                deployment(NEW_ID, system.bad, BY_APPLYGATE),
                forged,
                deployment(1, system.good, BY_APPLYGATE),
            ],
        )
        statuses(api, 9, "success")
        statuses(api, 1, "success")
        code, outputs, log = run(api, system, tmp_path, rollback="redeploy")
    assert code == 1, log  # the apply failed; the rollback went to the trusted good commit
    assert outputs["rollback-sha"] == system.good, outputs["rollback-detail"]
    assert outputs["rollback-status"] == "restored"
    assert "nobody approved" not in system.live.read_text()


def test_redeploy_finds_a_good_deployment_that_github_made_inactive(
    system: System, tmp_path: Path
) -> None:
    with FakeGitHub() as api:
        stand_in(api, system)
        listing(
            api,
            [
                deployment(NEW_ID, system.bad, BY_APPLYGATE),  # this run's, ended failure
                deployment(3, "3" * 40),  # an Actions job naming the environment: success
                deployment(1, system.good, BY_APPLYGATE),  # made inactive by 3's success
            ],
        )
        statuses(api, 3, "success")
        statuses(api, 1, "inactive", "success")  # GitHub adds inactive only after a success
        code, outputs, log = run(api, system, tmp_path, rollback="redeploy")
    assert code == 1, log
    assert outputs["rollback-status"] == "restored", outputs["rollback-detail"]
    assert outputs["rollback-sha"] == system.good


def test_the_rollback_command_does_not_redeploy_the_commit_it_replaces(
    system: System, tmp_path: Path
) -> None:
    system.live.write_text("version bad\n")  # bad verified once, found broken later
    with FakeGitHub() as api:
        stand_in(api, system)
        listing(
            api,
            [
                deployment(2, system.bad, BY_APPLYGATE, BOT),
                deployment(1, system.good, BY_APPLYGATE, BOT),
            ],
        )
        statuses(api, 2, "success")
        statuses(api, 1, "inactive", "success")
        code, outputs, log = run_on(system, rollback_env(api, system, tmp_path))
    assert outputs["rollback-sha"] == system.good, log
    assert code == 0, log


def test_execute_does_not_redeploy_the_commit_that_just_failed(
    system: System, tmp_path: Path
) -> None:
    with FakeGitHub() as api:
        stand_in(api, system)
        listing(
            api,
            [
                deployment(NEW_ID, system.bad, BY_APPLYGATE),
                deployment(2, system.bad, BY_APPLYGATE),
                deployment(1, system.good, BY_APPLYGATE),
            ],
        )
        statuses(api, 2, "success")
        statuses(api, 1, "inactive", "success")
        code, outputs, log = run(api, system, tmp_path, rollback="redeploy")
    assert code == 1, log
    assert outputs["rollback-sha"] == system.good, outputs["rollback-detail"]


def test_finding_the_last_good_deployment_takes_a_bounded_number_of_requests(
    system: System, tmp_path: Path
) -> None:
    """120 failed applygate deployments of other commits before the good one: the statuses of
    the newest 30 are read, no more, and the redeploy finds nothing to return to."""
    with FakeGitHub() as api:
        stand_in(api, system)
        failed = [deployment(2000 + n, f"{n + 1:040x}", BY_APPLYGATE) for n in range(120)]
        listing(
            api,
            [
                deployment(NEW_ID, system.bad, BY_APPLYGATE),
                *failed,
                deployment(1, system.good, BY_APPLYGATE),
            ],
        )
        for n in range(120):
            statuses(api, 2000 + n, "failure")
        statuses(api, 1, "success")
        _, outputs, log = run(api, system, tmp_path, rollback="redeploy")
        read = [r for r in api.requests if r.method == "GET" and r.path.endswith("/statuses")]
    assert outputs["rollback-sha"] == "", log
    assert len(read) == MAX_SEARCHED


def test_a_long_history_of_other_deployments_is_not_read_to_its_end(
    system: System, tmp_path: Path
) -> None:
    """GitHub Actions records every job naming the environment: 400 of those before the good
    one are looked at up to the newest 300 (three pages), their statuses never read."""
    with FakeGitHub() as api:
        stand_in(api, system)
        others = [deployment(3000 + n, f"{n + 1:040x}") for n in range(400)]
        good = deployment(1, system.good, BY_APPLYGATE)  # past the bound: found, it would count
        listing(api, [deployment(NEW_ID, system.bad, BY_APPLYGATE), *others, good])
        statuses(api, 1, "success")
        _, outputs, log = run(api, system, tmp_path, rollback="redeploy")
        pages = [r for r in api.requests if r.method == "GET" and r.path == DEPLOYMENTS]
        read = [r for r in api.requests if r.method == "GET" and r.path.endswith("/statuses")]
    assert outputs["rollback-sha"] == "", log
    assert len(pages) == 3
    assert read == []


def test_secrets_in_the_evidence_do_not_reach_the_payload(
    system: System, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system.live.write_text("")
    monkeypatch.setenv("DB_PASSWORD", "s3cr3t-db-password")
    token = "ghs_e2eEvidenceToken123"
    evidence = one_approval(system.bad, f"https://example.com/?p=s3cr3t-db-password&t={token}")
    with FakeGitHub() as api:
        stand_in(api, system)
        code, _, log = run(
            api,
            system,
            tmp_path,
            steps=HEALTHY.format(live=system.live),
            mask="DB_PASSWORD",
            token=token,
            approval_evidence=json.dumps(evidence),
        )
        [created] = bodies(api, DEPLOYMENTS)
    assert code == 0, log
    sent = json.dumps(created)
    assert "s3cr3t-db-password" not in sent
    assert token not in sent


def test_an_invalid_evidence_error_does_not_print_the_token(system: System) -> None:
    token = "ghs_e2eEvidenceToken123"
    evidence = [{"source": "pr-comment", "login": token, "ref": "r", "sha": system.bad}]
    with FakeGitHub() as api:
        env = {
            **published(api, system.bad, "execute"),
            "INPUT_STEPS": "true",
            "INPUT_ENVIRONMENT": "production",
            "INPUT_TOKEN": token,
            "INPUT_APPROVAL-EVIDENCE": json.dumps(evidence),
        }
        done, outputs, summary = applygate([], system.work, env)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "approval-evidence" in done.stderr
    assert token not in done.stdout + done.stderr + summary + json.dumps(outputs)
    assert api.requests == []
