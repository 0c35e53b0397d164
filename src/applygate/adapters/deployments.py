"""GitHub deployments: create one, move its status, and read an environment's deployments and
the states of a deployment's statuses. Translates, never decides (core/deployment.py does);
every request goes through the transport (auth, retries of transient failures, errors as
``ApiError``), so it works against GitHub Enterprise Server through ``GITHUB_API_URL`` as every
other call does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice
from typing import Any

from applygate.adapters.github_transport import PER_PAGE, GitHubTransport, shape_error
from applygate.core.deployment import Deployment
from applygate.core.subject import is_full_sha
from applygate.event import author_of


class GitHubDeployments:
    def __init__(self, client: GitHubTransport, repository: str) -> None:
        self._client = client
        self._repo = repository

    def create(self, body: dict[str, Any]) -> tuple[int, str]:
        """The new deployment's id and its creator's login. Not retried blindly: a retry after a
        lost answer could create a second deployment. GitHub's 202 (a merge message, no
        deployment) is an error."""
        operation = f"create a deployment to {body.get('environment')}"
        data = self._client.send(operation, "POST", f"/repos/{self._repo}/deployments", body, False)
        return _positive_id(operation, data), _creator(data)

    def set_status(self, deployment_id: int, body: dict[str, Any]) -> None:
        path = f"/repos/{self._repo}/deployments/{deployment_id}/statuses"
        operation = f"set deployment {deployment_id} to {body.get('state')}"
        self._client.send(operation, "POST", path, body)

    def listed(self, environment: str) -> Iterator[Deployment]:
        """The environment's deployments, newest first, as GitHub lists them."""
        operation = f"list the deployments to {environment}"
        path = f"/repos/{self._repo}/deployments"
        for item in self._client.items(operation, path, {"environment": environment}):
            sha = item.get("sha")
            if not (isinstance(sha, str) and is_full_sha(sha)):
                raise shape_error(operation, TypeError("a deployment without a full sha"))
            number, ours = _positive_id(operation, item), _by_applygate(item.get("payload"))
            yield Deployment(number, sha, ours, _creator(item))

    def states(self, deployment_id: int) -> list[str]:
        """The states of the deployment's statuses, newest first (GitHub's first page: a
        deployment applygate made has a handful)."""
        operation = f"read the statuses of deployment {deployment_id}"
        path = f"/repos/{self._repo}/deployments/{deployment_id}/statuses"
        first_page = islice(self._client.items(operation, path), PER_PAGE)  # one request
        found = [item.get("state") for item in first_page]
        if not all(isinstance(state, str) for state in found):
            raise shape_error(operation, TypeError("a status without a state"))
        return [str(state) for state in found]


def _by_applygate(payload: Any) -> bool:
    """The payload applygate wrote: an object with an ``applygate`` object. GitHub returns it
    as it was sent, an object, or a string when a string was sent (then JSON text, perhaps)."""
    if isinstance(payload, str):
        try:
            payload = json.loads(payload)
        except ValueError:
            return False
    return isinstance(payload, dict) and isinstance(payload.get("applygate"), dict)


def _creator(data: Any) -> str:
    """The creator's login; empty when GitHub names none (a deleted account): never trusted."""
    author = author_of(data.get("creator")) if isinstance(data, dict) else None
    return author.login if author is not None else ""


def _positive_id(operation: str, data: Any) -> int:
    value = data.get("id") if isinstance(data, dict) else None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise shape_error(operation, TypeError("no deployment id in the answer"))
