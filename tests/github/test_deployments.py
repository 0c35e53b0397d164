"""Deployments under ``responses``: what is sent to create one and move its status, and how the
last successful one is read; the answers are GitHub's own REST examples."""

from __future__ import annotations

import json
from typing import Any

import pytest
import responses
from tests.support.fake_github import json_of

from applygate.adapters.deployments import GitHubDeployments
from applygate.adapters.github import PyGithubClient
from applygate.adapters.retry import RetryPolicy
from applygate.core.deployment import (
    DeployState,
    Record,
    create_body,
    last_successful,
    status_body,
)
from applygate.errors import ApiError

BASE = "https://api.github.com"
API = f"{BASE}:443"
REPO = "octo/hello"
SHA = "a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d"  # the sha of GitHub's example deployment
RUN = "https://github.com/octo/hello/actions/runs/42"
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
    record = Record(operation="terraform apply prod/vpc", run_url=RUN, plan_fingerprint="f" * 64)
    deployment_id = port.create(create_body(SHA, "production", record))
    assert deployment_id == 1
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


def test_the_last_successful_deployment_of_the_environment(api: responses.RequestsMock) -> None:
    listed = json_of("repos-list-deployments.json")
    failed = {**listed[0], "id": 2, "sha": "b" * 40}  # newer, and failed: skipped
    api.get(
        f"{API}/repos/{REPO}/deployments",
        json=[failed, *listed],
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
    assert last_successful(port.listed("production"), port.latest_state) == SHA


def test_no_successful_deployment_is_none(api: responses.RequestsMock) -> None:
    api.get(f"{API}/repos/{REPO}/deployments", json=json_of("repos-list-deployments.json"))
    api.get(f"{API}/repos/{REPO}/deployments/1/statuses", json=[])
    port = deployments()
    assert last_successful(port.listed("production"), port.latest_state) is None


def test_a_deployment_without_a_full_sha_is_a_shape_error(api: responses.RequestsMock) -> None:
    broken = [{**json_of("repos-list-deployments.json")[0], "sha": "main"}]
    api.get(f"{API}/repos/{REPO}/deployments", json=broken)
    with pytest.raises(ApiError, match="unexpected response shape"):
        list(deployments().listed("production"))
