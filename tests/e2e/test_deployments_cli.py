"""Every apply recorded as a GitHub deployment: the installed command against the loopback
stand-in API, real repositories, a state file as the live system (tests/support/live_system.py).

The deployment is of the approved commit, to ``environment``, with no required contexts and no
auto-merge; its statuses go in_progress -> success only when verified, else failure; ``publish:
none`` writes nothing; ``redeploy`` without ``rollback-sha`` returns to the environment's last
successful deployment, read from the API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.e2e.test_execute_cli import REPO, published
from tests.e2e.test_preflight_cli import applygate
from tests.support.fake_github import FakeGitHub, Response, json_of
from tests.support.live_system import APPLY, System, as_inputs, run_on

DEPLOYMENTS = f"/repos/{REPO}/deployments"
NEW_ID = 5  # the deployment this run creates; GitHub's example (id 1) is the earlier, good one


def stand_in(api: FakeGitHub, system: System, earlier: str = "success") -> None:
    api.add(
        "POST",
        f"/repos/{REPO}/statuses/{system.bad}",
        json_of("repos-create-commit-status.json"),
        201,
    )
    created = {**json_of("repos-create-deployment.json"), "id": NEW_ID, "sha": system.bad}
    api.add("POST", DEPLOYMENTS, created, 201)
    status = json_of("repos-create-deployment-status.json")
    api.add("POST", f"{DEPLOYMENTS}/{NEW_ID}/statuses", status, 201)
    good = {**json_of("repos-list-deployments.json")[0], "sha": system.good}
    api.add("GET", DEPLOYMENTS, [{**created}, good])
    listed = json_of("repos-list-deployment-statuses.json")[0]
    api.add("GET", f"{DEPLOYMENTS}/{NEW_ID}/statuses", [{**listed, "state": "in_progress"}])
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


def bodies(api: FakeGitHub, path: str) -> list[Any]:
    return [request.body for request in api.sent("POST", path)]


def test_a_verified_apply_is_a_successful_deployment(system: System, tmp_path: Path) -> None:
    system.live.write_text("")
    steps = f"echo 'version good' > {system.live}"  # this apply leaves the system healthy
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
    payload = created["payload"]["applygate"]
    assert payload["operation"] == steps
    assert payload["run"] == f"https://github.com/{REPO}/actions/runs/7"
    states = [body["state"] for body in bodies(api, f"{DEPLOYMENTS}/{NEW_ID}/statuses")]
    assert states == ["in_progress", "success"]
    assert {body["log_url"] for body in bodies(api, f"{DEPLOYMENTS}/{NEW_ID}/statuses")} == {
        f"https://github.com/{REPO}/actions/runs/7"
    }


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
        code, outputs, _ = run(
            api, system, tmp_path, publish="none", rollback_sha=system.good, rollback="redeploy"
        )
    assert code == 1
    assert api.requests == []
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
        code, _, _ = run(api, system, tmp_path, publish="none", rollback="redeploy")
    assert code == 2


@pytest.mark.parametrize("name", ["prod\nuction", "a,b", "x" * 256])
def test_a_bad_environment_is_a_usage_error(system: System, tmp_path: Path, name: str) -> None:
    with FakeGitHub() as api:
        code, _, _ = run(api, system, tmp_path, environment=name)
    assert code == 2


def test_the_rollback_command_redeploys_the_environments_last_good_deployment(
    system: System, tmp_path: Path
) -> None:
    """applygate rollback with environment and no rollback-sha: the last successful deployment
    is read (nothing is written to the deployments), applied in a worktree, and proved."""
    system.live.write_text("version bad\n")  # a failed apply left it so
    before = system.checkout()
    with FakeGitHub() as api:
        stand_in(api, system)
        env = {
            **published(api, system.bad, "rollback"),
            "INPUT_ROLLBACK": "redeploy",
            "INPUT_STEPS": APPLY.format(live=system.live),
            "INPUT_ROLLBACK-CRITERIA": ".github/applygate/verify.yml",
            "INPUT_ENVIRONMENT": "production",
            "RUNNER_TEMP": str(tmp_path),
        }
        del env["INPUT_SHA"]
        code, outputs, log = run_on(system, env)
    assert code == 0, log
    assert outputs["rollback-status"] == "restored"
    assert outputs["rollback-sha"] == system.good
    assert system.live.read_text() == "version good\n"
    assert system.checkout() == before
    assert api.sent("POST", DEPLOYMENTS) == []  # read, never written
    assert api.sent("GET", DEPLOYMENTS)[0].query.get("environment") == "production"


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
