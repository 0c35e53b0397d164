"""Every apply recorded as a GitHub deployment: the installed command against the loopback
stand-in API, real repositories, a state file as the live system (tests/support/live_system.py).

The deployment is of the approved commit, to ``environment``, with no required contexts and no
auto-merge, its payload naming the operation, approve's evidence, the plan fingerprint and the
run; its statuses go in_progress -> success only when verified, else failure; ``publish: none``
writes nothing; ``redeploy`` without ``rollback-sha`` returns to the environment's last
successful deployment, read from the API, and is itself recorded as a deployment of that commit
(success only when restored), so GitHub shows the environment on the good commit again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.test_execute_cli import REPO, published
from tests.e2e.test_preflight_cli import applygate
from tests.support.cli import cancelled
from tests.support.fake_github import FakeGitHub, Response, json_of
from tests.support.live_system import APPLY, HEALTHY, System, as_inputs, run_on

DEPLOYMENTS = f"/repos/{REPO}/deployments"
NEW_ID = 5  # the deployment this run creates; GitHub's example (id 1) is the earlier, good one
REDEPLOY_ID = 6  # the deployment a redeploy creates, after NEW_ID
RUN_URL = f"https://github.com/{REPO}/actions/runs/7"


def stand_in(
    api: FakeGitHub, system: System, earlier: str = "success", creator: str = "octocat"
) -> None:
    """The API a run meets: its own deployment created by octocat (GitHub's example answer),
    the earlier good one made by applygate as ``creator`` (execute trusts who it records as,
    ``applygate rollback`` github-actions[bot])."""
    api.add(
        "POST",
        f"/repos/{REPO}/statuses/{system.bad}",
        json_of("repos-create-commit-status.json"),
        201,
    )
    created = {**json_of("repos-create-deployment.json"), "id": NEW_ID, "sha": system.bad}
    again = {**created, "id": REDEPLOY_ID, "sha": system.good}
    api.add_sequence("POST", DEPLOYMENTS, [Response(201, created), Response(201, again)])
    status = json_of("repos-create-deployment-status.json")
    api.add("POST", f"{DEPLOYMENTS}/{NEW_ID}/statuses", status, 201)
    api.add("POST", f"{DEPLOYMENTS}/{REDEPLOY_ID}/statuses", status, 201)
    good = {
        **json_of("repos-list-deployments.json")[0],
        "sha": system.good,
        "payload": {"applygate": {"operation": "op"}},  # applygate made it
    }
    good["creator"] = {**good["creator"], "login": creator}
    api.add("GET", DEPLOYMENTS, [{**created}, good])
    listed = json_of("repos-list-deployment-statuses.json")[0]
    api.add("GET", f"{DEPLOYMENTS}/1/statuses", [{**listed, "state": earlier}])


def run(
    api: FakeGitHub, system: System, tmp_path: Path, **inputs: str
) -> tuple[int, dict[str, str], str]:
    env = {
        **published(api, system.bad, "execute"),
        "INPUT_STEPS": APPLY.format(live=system.live),
        "INPUT_CRITERIA": ".github/applygate/verify.yml",
        "INPUT_ENVIRONMENT": "production",
        "RUNNER_TEMP": str(tmp_path),
        **as_inputs(**inputs),
    }
    return run_on(system, env)


def rollback_env(api: FakeGitHub, system: System, tmp_path: Path) -> dict[str, str]:
    """The runner's environment for `applygate rollback --rollback redeploy` of HEAD (the bad
    commit) to production's last good deployment, proved by the rollback criteria."""
    env = {
        **published(api, system.bad, "rollback"),
        "INPUT_ROLLBACK": "redeploy",
        "INPUT_STEPS": APPLY.format(live=system.live),
        "INPUT_ROLLBACK-CRITERIA": ".github/applygate/verify.yml",
        "INPUT_ENVIRONMENT": "production",
        "RUNNER_TEMP": str(tmp_path),
    }
    del env["INPUT_SHA"]  # the commit it replaces: HEAD, the bad one
    return env


def one_approval(sha: str, ref: str) -> list[dict[str, str]]:
    """approve's evidence of one counted pull-request comment by octocat, bound to ``sha``."""
    return [{"source": "pr-comment", "login": "octocat", "ref": ref, "sha": sha}]


def bodies(api: FakeGitHub, path: str) -> list[Any]:
    return [request.body for request in api.sent("POST", path)]


def test_a_verified_apply_is_a_successful_deployment(system: System, tmp_path: Path) -> None:
    system.live.write_text("")
    steps = HEALTHY.format(live=system.live)  # this apply leaves the system healthy
    with FakeGitHub() as api:
        stand_in(api, system)
        code, outputs, log = run(api, system, tmp_path, steps=steps)
    assert code == 0, log
    assert outputs["plan-status"] == "COMPLETE"
    assert outputs["deployment-id"] == str(NEW_ID)
    [created] = bodies(api, DEPLOYMENTS)
    assert created["ref"] == system.bad  # the approved commit
    assert created["environment"] == "production"
    assert created["required_contexts"] == []
    assert created["auto_merge"] is False
    # no operation given: the steps' text; no evidence given: an explicit empty list
    assert created["payload"] == {
        "applygate": {"operation": steps, "approval": [], "plan_fingerprint": "", "run": RUN_URL}
    }
    states = [body["state"] for body in bodies(api, f"{DEPLOYMENTS}/{NEW_ID}/statuses")]
    assert states == ["in_progress", "success"]
    assert {body["log_url"] for body in bodies(api, f"{DEPLOYMENTS}/{NEW_ID}/statuses")} == {
        f"https://github.com/{REPO}/actions/runs/7"
    }


def test_the_payload_names_the_operation_and_approves_evidence(
    system: System, tmp_path: Path
) -> None:
    system.live.write_text("")
    steps = HEALTHY.format(live=system.live)
    evidence = one_approval(system.bad, f"https://github.com/{REPO}/pull/12#issuecomment-1")
    with FakeGitHub() as api:
        stand_in(api, system)
        code, _, log = run(
            api,
            system,
            tmp_path,
            steps=steps,
            operation="echo good > live",
            approval_evidence=json.dumps(evidence, separators=(",", ":")),
        )
    assert code == 0, log
    [created] = bodies(api, DEPLOYMENTS)
    assert created["payload"] == {
        "applygate": {
            "operation": "echo good > live",
            "approval": evidence,
            "plan_fingerprint": "",
            "run": RUN_URL,
        }
    }
    assert created["description"] == "applygate: echo good > live"


def test_evidence_bound_to_another_commit_stops_before_any_step(
    system: System, tmp_path: Path
) -> None:
    """approve's evidence names the commit it bound; another commit about to be applied means
    the approval was for something else: blocked, no step, no deployment."""
    system.live.write_text("version good\n")
    evidence = one_approval(system.good, "r")
    with FakeGitHub() as api:
        stand_in(api, system)
        code, outputs, log = run(
            api, system, tmp_path, approval_evidence=json.dumps(evidence, separators=(",", ":"))
        )
    assert code == 1, log
    assert "approval-evidence: the approvals are bound to" in log
    assert outputs["plan-status"] == "BLOCKED"
    assert system.live.read_text() == "version good\n"  # no step ran
    assert bodies(api, DEPLOYMENTS) == []


def test_a_failed_verification_is_a_failed_deployment(system: System, tmp_path: Path) -> None:
    with FakeGitHub() as api:
        stand_in(api, system)
        code, _, _ = run(api, system, tmp_path)
    assert code == 1
    states = [body["state"] for body in bodies(api, f"{DEPLOYMENTS}/{NEW_ID}/statuses")]
    assert states == ["in_progress", "failure"]


def test_redeploy_returns_to_the_last_successful_deployment(system: System, tmp_path: Path) -> None:
    before = system.checkout()
    with FakeGitHub() as api:
        stand_in(api, system)
        code, outputs, log = run(api, system, tmp_path, rollback="redeploy")
    assert code == 1, log
    assert outputs["rollback-status"] == "restored", outputs["rollback-detail"]
    assert outputs["rollback-sha"] == system.good
    assert system.live.read_text() == "version good\n"
    assert system.checkout() == before
    listing = api.sent("GET", DEPLOYMENTS)
    assert listing and listing[0].query.get("environment") == "production"
    # two deployments: the failed apply of bad, then the redeploy of good that replaces it
    failed, redeploy = bodies(api, DEPLOYMENTS)
    assert (failed["ref"], redeploy["ref"]) == (system.bad, system.good)
    assert redeploy["environment"] == "production"
    assert redeploy["required_contexts"] == []
    assert redeploy["auto_merge"] is False
    assert redeploy["payload"] == {
        "applygate": {
            "operation": APPLY.format(live=system.live),
            "rollback": {"mode": "redeploy", "replaces": system.bad},
            "run": RUN_URL,
        }
    }
    states = [body["state"] for body in bodies(api, f"{DEPLOYMENTS}/{NEW_ID}/statuses")]
    assert states == ["in_progress", "failure"]
    again = bodies(api, f"{DEPLOYMENTS}/{REDEPLOY_ID}/statuses")
    assert [body["state"] for body in again] == ["in_progress", "success"]
    assert again[-1]["auto_inactive"] is True
    assert {body["log_url"] for body in again} == {RUN_URL}
    # the failed apply's record ends before the redeploy's starts, as it happened
    writes = [(r.path, r.body.get("state")) for r in api.requests if r.method == "POST"]
    ended = writes.index((f"{DEPLOYMENTS}/{NEW_ID}/statuses", "failure"))
    created = [n for n, write in enumerate(writes) if write == (DEPLOYMENTS, None)]
    assert len(created) == 2
    assert created[0] < ended < created[1]


def test_a_redeploy_not_restored_is_an_error_deployment(system: System, tmp_path: Path) -> None:
    """The redeploy's steps succeed but the rollback criteria fail: unverified, ``error``."""
    criteria = tmp_path / "never.yml"
    criteria.write_text(
        "version: 1\ncriteria:\n  - name: never\n    run: 'false'\n    retries: 0\n"
    )
    with FakeGitHub() as api:
        stand_in(api, system)
        code, outputs, log = run(
            api, system, tmp_path, rollback="redeploy", rollback_criteria=str(criteria)
        )
    assert code == 1, log
    assert outputs["rollback-status"] == "unverified", outputs["rollback-detail"]
    again = bodies(api, f"{DEPLOYMENTS}/{REDEPLOY_ID}/statuses")
    assert [body["state"] for body in again] == ["in_progress", "error"]


def test_a_failed_redeploy_is_a_failed_deployment(system: System, tmp_path: Path) -> None:
    with FakeGitHub() as api:
        stand_in(api, system)
        code, outputs, log = run(
            api, system, tmp_path, rollback="redeploy", steps=f"cp missing.txt {system.live}"
        )
    assert code == 1, log
    assert outputs["rollback-status"] == "failed", outputs["rollback-detail"]
    again = bodies(api, f"{DEPLOYMENTS}/{REDEPLOY_ID}/statuses")
    assert [body["state"] for body in again] == ["in_progress", "failure"]


def test_a_redeploy_that_cannot_be_recorded_still_restores(system: System, tmp_path: Path) -> None:
    refused = Response(403, {"message": "Resource not accessible by integration"})
    with FakeGitHub() as api:
        stand_in(api, system)
        created = {**json_of("repos-create-deployment.json"), "id": NEW_ID, "sha": system.bad}
        api.add_sequence("POST", DEPLOYMENTS, [Response(201, created), refused])
        code, outputs, log = run(api, system, tmp_path, rollback="redeploy")
    assert code == 1, log
    assert outputs["rollback-status"] == "restored", outputs["rollback-detail"]
    assert system.live.read_text() == "version good\n"
    assert "cannot record the redeploy in production" in log
    assert "the redeploy goes on (its record incomplete or missing)" in log
    assert api.sent("POST", f"{DEPLOYMENTS}/{REDEPLOY_ID}/statuses") == []


def test_no_successful_deployment_means_a_failed_redeploy(system: System, tmp_path: Path) -> None:
    with FakeGitHub() as api:
        stand_in(api, system, earlier="failure")
        code, outputs, _ = run(api, system, tmp_path, rollback="redeploy")
    assert code == 1
    assert outputs["rollback-status"] == "failed"
    assert "no successful deployment" in outputs["rollback-detail"]


def test_publish_none_writes_nothing(system: System, tmp_path: Path) -> None:
    with FakeGitHub() as api:
        stand_in(api, system)
        code, outputs, log = run(
            api, system, tmp_path, publish="none", rollback_sha=system.good, rollback="redeploy"
        )
    assert code == 1
    assert api.requests == []
    assert "no deployment to production: publish is none" in log  # said, not silently skipped
    assert outputs["deployment-id"] == ""
    assert outputs["rollback-status"] == "restored"


def test_a_deployment_that_cannot_be_created_stops_the_apply(
    system: System, tmp_path: Path
) -> None:
    refused = {"message": "Resource not accessible by integration"}
    with FakeGitHub() as api:
        stand_in(api, system)
        api.route("POST", DEPLOYMENTS, lambda _request: Response(403, refused))
        code, outputs, log = run(api, system, tmp_path)
    assert code == 1
    assert outputs["applied"] == "false"
    assert system.live.read_text() == "version good\n"  # no step ran
    assert "deployment: cannot record the apply in production" in log


def test_redeploy_without_a_source_of_the_good_commit_is_a_usage_error(
    system: System, tmp_path: Path
) -> None:
    with FakeGitHub() as api:
        code, outputs, _ = run(api, system, tmp_path, publish="none", rollback="redeploy")
    assert code == 2
    assert (api.requests, outputs) == ([], {})  # refused before anything ran or was written


@pytest.mark.parametrize("name", ["prod\nuction", "a,b", "x" * 256])
def test_a_bad_environment_is_a_usage_error(system: System, tmp_path: Path, name: str) -> None:
    with FakeGitHub() as api:
        code, outputs, _ = run(api, system, tmp_path, environment=name)
    assert code == 2
    assert (api.requests, outputs) == ([], {})  # refused before anything ran or was written


def test_the_rollback_command_redeploys_the_environments_last_good_deployment(
    system: System, tmp_path: Path
) -> None:
    """applygate rollback with environment and no rollback-sha: the last successful deployment
    is read (nothing is written to the deployments), applied in a worktree, and proved."""
    system.live.write_text("version bad\n")  # a failed apply left it so
    before = system.checkout()
    with FakeGitHub() as api:
        stand_in(api, system, creator="github-actions[bot]")
        env = rollback_env(api, system, tmp_path)
        code, outputs, log = run_on(system, env)
    assert code == 0, log
    assert outputs["rollback-status"] == "restored"
    assert outputs["rollback-sha"] == system.good
    assert system.live.read_text() == "version good\n"
    assert system.checkout() == before
    assert api.sent("GET", DEPLOYMENTS)[0].query.get("environment") == "production"
    # the redeploy is recorded: a deployment of the good commit replacing HEAD (the bad one)
    [redeploy] = bodies(api, DEPLOYMENTS)
    assert redeploy["ref"] == system.good
    assert redeploy["payload"]["applygate"]["rollback"] == {
        "mode": "redeploy",
        "replaces": system.bad,
    }
    statuses = bodies(api, f"{DEPLOYMENTS}/{NEW_ID}/statuses")
    assert [body["state"] for body in statuses] == ["in_progress", "success"]


def test_the_rollback_command_with_publish_none_records_nothing(
    system: System, tmp_path: Path
) -> None:
    system.live.write_text("version bad\n")
    with FakeGitHub() as api:
        env = {
            **published(api, system.bad, "rollback"),
            "INPUT_ROLLBACK": "redeploy",
            "INPUT_ROLLBACK-SHA": system.good,
            "INPUT_STEPS": APPLY.format(live=system.live),
            "INPUT_ROLLBACK-CRITERIA": ".github/applygate/verify.yml",
            "INPUT_ENVIRONMENT": "production",
            "INPUT_PUBLISH": "none",
            "RUNNER_TEMP": str(tmp_path),
        }
        code, outputs, log = run_on(system, env)
    assert code == 0, log
    assert outputs["rollback-status"] == "restored"
    assert api.requests == []


def test_the_rollback_command_redeploy_needs_a_source_of_the_good_commit(
    system: System, tmp_path: Path
) -> None:
    with FakeGitHub() as api:
        env = {
            **published(api, system.bad, "rollback"),
            "INPUT_ROLLBACK": "redeploy",
            "INPUT_STEPS": APPLY.format(live=system.live),
            "INPUT_PUBLISH": "none",
            "INPUT_ENVIRONMENT": "production",
        }
        done, _, _ = applygate([], system.work, env)
    assert done.returncode == 2
    assert "needs rollback-sha, or environment with publishing on" in done.stderr


def test_a_cancelled_apply_ends_its_deployment_as_an_error(system: System, tmp_path: Path) -> None:
    """The job is cancelled while a step runs: the deployment does not stay in_progress (GitHub
    would show something being applied for ever); it ends as an error saying why, as the
    commit status does."""
    ready = tmp_path / "ready"
    with FakeGitHub() as api:
        stand_in(api, system)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))},
            "GITHUB_WORKSPACE": str(system.work),
            "GITHUB_OUTPUT": str(tmp_path / "output"),
            **published(api, system.bad, "execute"),
            "INPUT_STEPS": f"touch {ready} && sleep 30",
            "INPUT_ENVIRONMENT": "production",
            "RUNNER_TEMP": str(tmp_path),
        }
        code, stdout, stderr = cancelled([], env, system.work, ready)
        assert code == 1, stdout + stderr
        assert "Traceback" not in stderr
        states = [body["state"] for body in bodies(api, f"{DEPLOYMENTS}/{NEW_ID}/statuses")]
    assert states == ["in_progress", "error"]
