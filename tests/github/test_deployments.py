"""Deployments under ``responses``: what is sent to create one and move its status, and how the
last successful one is read; the answers are GitHub's own REST examples."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
import responses
from tests.support.fake_github import json_of

from applygate.adapters.deployments import GitHubDeployments
from applygate.adapters.github import PyGithubClient
from applygate.adapters.retry import RetryPolicy
from applygate.adapters.runner import Runner
from applygate.core.binding import Source
from applygate.core.deployment import (
    DeployState,
    Record,
    create_body,
    last_successful,
    status_body,
)
from applygate.core.evidence import Evidence
from applygate.core.restore import Check, Mode, Restore
from applygate.errors import ApiError
from applygate.flows.deployment import Deployer

BASE = "https://api.github.com"
API = f"{BASE}:443"
REPO = "octo/hello"
SHA = "a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d"  # the sha of GitHub's example deployment
RUN = "https://github.com/octo/hello/actions/runs/42"
ME = "octocat"  # the creator of GitHub's example deployments
FAILED = "b" * 40  # the commit whose apply failed, which a redeploy of SHA replaces
REVIEW = "https://github.com/octo/hello/pull/12#pullrequestreview-80"
# The request fields GitHub's REST description documents (repos/create-deployment and
# repos/create-deployment-status): nothing else may be sent.
DEPLOYMENT_FIELDS = {
    "ref", "task", "auto_merge", "required_contexts", "payload", "environment", "description",
    "transient_environment", "production_environment",
}  # fmt: skip
STATUS_FIELDS = {
    "state", "target_url", "log_url", "description", "environment", "environment_url",
    "auto_inactive",
}  # fmt: skip
STATES = {"error", "failure", "inactive", "in_progress", "queued", "pending", "success"}


def deployments() -> GitHubDeployments:
    retry = RetryPolicy(budget=0.0, max_attempts=1)
    return GitHubDeployments(PyGithubClient.connect("ghs_secret", BASE, REPO, retry), REPO)


def sent(api: responses.RequestsMock, index: int) -> Any:
    body = api.calls[index].request.body
    return json.loads(body if isinstance(body, str | bytes) else b"{}")


def test_create_then_in_progress_then_success(api: responses.RequestsMock) -> None:
    api.post(
        f"{API}/repos/{REPO}/deployments", json=json_of("repos-create-deployment.json"), status=201
    )
    statuses = f"{API}/repos/{REPO}/deployments/1/statuses"
    answer = json_of("repos-create-deployment-status.json")
    api.post(statuses, json=answer, status=201)
    api.post(statuses, json=answer, status=201)
    port = deployments()
    evidence = (Evidence(source=Source.PR_REVIEW, login="octocat", ref=REVIEW, sha=SHA),)
    record = Record(
        operation="terraform apply prod/vpc",
        run_url=RUN,
        plan_fingerprint="f" * 64,
        evidence=evidence,
    )
    deployment_id, creator = port.create(create_body(SHA, "production", record))
    assert (deployment_id, creator) == (1, "octocat")  # GitHub's example's creator
    port.set_status(deployment_id, status_body(DeployState.IN_PROGRESS, "applying", RUN))
    port.set_status(deployment_id, status_body(DeployState.SUCCESS, "applied and verified", RUN))
    created, started, done = (sent(api, n) for n in range(3))
    assert set(created) <= DEPLOYMENT_FIELDS
    assert set(json_of("repos-create-deployment.request.json")) <= DEPLOYMENT_FIELDS
    assert created["ref"] == SHA
    assert created["environment"] == "production"
    assert created["required_contexts"] == []
    assert created["auto_merge"] is False
    assert created["payload"]["applygate"] == {
        "operation": "terraform apply prod/vpc",
        "approval": [{"source": "pr-review", "login": "octocat", "ref": REVIEW, "sha": SHA}],
        "plan_fingerprint": "f" * 64,
        "run": RUN,
    }
    for body in (started, done):
        assert set(body) <= STATUS_FIELDS
        assert body["state"] in STATES
        assert body["log_url"] == RUN
    assert set(json_of("repos-create-deployment-status.request.json")) <= STATUS_FIELDS
    assert [started["state"], done["state"]] == ["in_progress", "success"]
    assert done["auto_inactive"] is True


def test_a_202_without_a_deployment_is_an_error(api: responses.RequestsMock) -> None:
    api.post(f"{API}/repos/{REPO}/deployments", json={"message": "Auto-merged"}, status=202)
    record = Record(operation="op", run_url=RUN)
    with pytest.raises(ApiError, match="no deployment id"):
        deployments().create(create_body(SHA, "production", record))


def ours() -> list[dict[str, Any]]:
    """GitHub's example listing, its deployment made by applygate (the payload it writes)."""
    listed = json_of("repos-list-deployments.json")
    return [{**item, "payload": {"applygate": {"operation": "op"}}} for item in listed]


def test_the_last_successful_deployment_of_the_environment(api: responses.RequestsMock) -> None:
    listed = ours()
    failed = {**listed[0], "id": 2, "sha": "e" * 40}  # newer, and failed: skipped
    # newer still and successful, but GitHub Actions made it (a job naming the environment):
    # its commit is the workflow's, not what was applied; passed over, its statuses not read
    actions = {**json_of("repos-list-deployments.json")[0], "id": 3, "sha": "c" * 40}
    as_text = {**listed[0], "id": 4, "sha": "d" * 40, "payload": "not json"}
    api.get(
        f"{API}/repos/{REPO}/deployments",
        json=[as_text, actions, failed, *listed],
        match=[
            responses.matchers.query_param_matcher({"environment": "production", "per_page": "100"})
        ],
    )
    statuses = json_of("repos-list-deployment-statuses.json")
    api.get(
        f"{API}/repos/{REPO}/deployments/2/statuses", json=[{**statuses[0], "state": "failure"}]
    )
    api.get(f"{API}/repos/{REPO}/deployments/1/statuses", json=statuses)
    port = deployments()
    found = last_successful(port.listed("production"), port.states, replaces=FAILED, trusted=ME)
    assert found == SHA


def test_no_successful_deployment_is_none(api: responses.RequestsMock) -> None:
    api.get(f"{API}/repos/{REPO}/deployments", json=ours())
    api.get(f"{API}/repos/{REPO}/deployments/1/statuses", json=[])
    port = deployments()
    found = last_successful(port.listed("production"), port.states, replaces=FAILED, trusted=ME)
    assert found is None


def test_a_deployment_without_a_full_sha_is_a_shape_error(api: responses.RequestsMock) -> None:
    broken = [{**json_of("repos-list-deployments.json")[0], "sha": "main"}]
    api.get(f"{API}/repos/{REPO}/deployments", json=broken)
    with pytest.raises(ApiError, match="unexpected response shape"):
        list(deployments().listed("production"))


def deployer(stream: io.StringIO) -> Deployer:
    retry = RetryPolicy(budget=0.0, max_attempts=1)
    connect = lambda: PyGithubClient.connect("ghs_secret", BASE, REPO, retry)  # noqa: E731
    return Deployer(connect, REPO, "production", RUN, Runner(stream=stream))


def redeployed(check: Check, done: bool = True) -> Restore:
    return Restore(mode=Mode.REDEPLOY, done=done, check=check, action="redeploy", sha=SHA)


@pytest.mark.parametrize(
    ("found", "last"),
    [
        (redeployed(Check.PASSED), "success"),  # restored: the rollback criteria passed
        (redeployed(Check.FAILED), "error"),  # unverified
        (redeployed(Check.ABSENT), "error"),  # unverified: no criteria ran
        (redeployed(Check.ABSENT, done=False), "failure"),  # the steps failed
    ],
)
def test_a_redeploy_is_a_deployment_of_the_good_commit(
    api: responses.RequestsMock, found: Restore, last: str
) -> None:
    created = {**json_of("repos-create-deployment.json"), "id": 6}
    api.post(f"{API}/repos/{REPO}/deployments", json=created, status=201)
    statuses = f"{API}/repos/{REPO}/deployments/6/statuses"
    answer = json_of("repos-create-deployment-status.json")
    api.post(statuses, json=answer, status=201)
    api.post(statuses, json=answer, status=201)
    apply = deployer(io.StringIO())
    apply.id = 5  # the failed apply's deployment: the redeploy never writes to it
    record = apply.for_redeploy("terraform apply prod/vpc", FAILED)
    record.start(SHA)
    record.finish(found)
    created_body, started, done = (sent(api, n) for n in range(3))
    assert created_body == {
        "ref": SHA,
        "task": "deploy",
        "environment": "production",
        "auto_merge": False,
        "required_contexts": [],
        "description": f"applygate rollback: redeploy, replacing {FAILED[:12]}",
        "payload": {
            "applygate": {
                "operation": "terraform apply prod/vpc",
                "rollback": {"mode": "redeploy", "replaces": FAILED},
                "run": RUN,
            }
        },
    }
    assert set(created_body) <= DEPLOYMENT_FIELDS
    assert started == {"state": "in_progress", "description": "redeploying", "log_url": RUN}
    assert done["state"] == last
    assert set(done) <= STATUS_FIELDS
    assert done["log_url"] == RUN
    assert done.get("auto_inactive") is (True if last == "success" else None)
    assert apply.id == 5


def test_a_redeploy_that_cannot_be_recorded_warns_and_goes_on(
    api: responses.RequestsMock,
) -> None:
    refused = {"message": "Resource not accessible by integration"}
    api.post(f"{API}/repos/{REPO}/deployments", json=refused, status=403)
    stream = io.StringIO()
    record = deployer(stream).for_redeploy("op", FAILED)
    record.start(SHA)  # no exception: the restore goes on
    record.finish(redeployed(Check.PASSED))  # no deployment: nothing more is sent
    assert len(api.calls) == 1
    warning = "::warning title=applygate%3A deployment::deployment: cannot record the redeploy"
    assert stream.getvalue().startswith(f"{warning} in production: ")
    assert "the redeploy goes on (its record incomplete or missing)" in stream.getvalue()


@pytest.mark.parametrize(
    ("payload", "ours_"),
    [
        ({"applygate": {"operation": "op"}}, True),
        (json.dumps({"applygate": {"operation": "op"}}), True),  # sent as a string of JSON
        ({}, False),  # GitHub Actions' deployment of a job naming the environment
        ("", False),
        ("not json", False),
        ({"applygate": "op"}, False),
        (None, False),
    ],
)
def test_which_deployments_applygate_made(
    api: responses.RequestsMock, payload: Any, ours_: bool
) -> None:
    item = {**json_of("repos-list-deployments.json")[0], "payload": payload}
    api.get(f"{API}/repos/{REPO}/deployments", json=[item])
    [listed] = deployments().listed("production")
    assert listed.by_applygate is ours_
