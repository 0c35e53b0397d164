"""The GitHub REST API, as applygate needs it: a Protocol and its PyGithub implementation.

Translates, never decides. Every method returns core dataclasses; how a request is made, retried,
paged and how its failure becomes an ``ApiError`` is the transport's
(``adapters/github_transport.py``). Each person's permission and team membership is looked up once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from applygate.adapters.github_transport import (
    PER_PAGE,
    GitHubTransport,
    connect_requester,
    shape_error,
)
from applygate.adapters.retry import RetryPolicy
from applygate.core.activity import Activity, Pushes, read_pushes, started
from applygate.core.approval import Source, Submission
from applygate.core.policy import NO_PERMISSION, Author, PermissionFact
from applygate.core.reading import scan
from applygate.errors import ApiError
from applygate.event import author_of

if TYPE_CHECKING:
    from github.Requester import Requester

_REVIEW_EDITS = (
    "query($ids: [ID!]!) { nodes(ids: $ids) { ... on PullRequestReview { id lastEditedAt } } }"
)


@dataclass(frozen=True)
class PullInfo:
    number: int
    head_sha: str
    head_ref: str
    head_repo: str | None
    base_repo: str
    author: Author | None
    state: str


class GitHubPort(Protocol):
    def get_pull(self, number: int) -> PullInfo: ...
    def find_push(self, branch: str, sha: str, *, since_creation: bool = True) -> Pushes: ...
    def issue_comments(self, number: int, since: datetime | None) -> list[Submission]: ...
    def reviews(self, number: int) -> list[Submission]: ...
    def environment_approvals(self, run_id: str) -> list[Submission]: ...
    def run_started_at(self, run_id: str) -> datetime: ...
    def permission(self, login: str) -> PermissionFact: ...
    def is_team_member(self, org: str, slug: str, login: str) -> bool: ...


class PyGithubClient(GitHubTransport):
    """GitHubPort: the reads of ``repository``, over the transport (which the writes share)."""

    def __init__(
        self,
        requester: Requester,
        repository: str,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(requester, retry, sleep, clock)
        self._repo = repository
        self._permissions: dict[str, PermissionFact] = {}
        self._teams: dict[tuple[str, str, str], bool] = {}

    @classmethod
    def connect(
        cls, token: str, api_url: str, repository: str, retry: RetryPolicy | None = None
    ) -> PyGithubClient:
        return cls(connect_requester(token, api_url, retry), repository, retry)

    # --- GitHubPort -------------------------------------------------------------------------

    def get_pull(self, number: int) -> PullInfo:
        data = self.get_object(
            f"read pull request #{number}", f"/repos/{self._repo}/pulls/{number}"
        )
        try:
            head, base = data["head"], data["base"]
            head_repo = head.get("repo")
            return PullInfo(
                number=number,
                head_sha=str(head["sha"]).lower(),
                head_ref=str(head["ref"]),
                head_repo=head_repo.get("full_name") if isinstance(head_repo, dict) else None,
                base_repo=str(base["repo"]["full_name"]),
                author=author_of(data.get("user")),
                state=str(data.get("state", "")),
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise shape_error(f"read pull request #{number}", error) from None

    def find_push(self, branch: str, sha: str, *, since_creation: bool = True) -> Pushes:
        """The push that made ``sha`` the head of ``branch`` (only from its newest activity
        entry) and everyone who pushed to it: since it was created (a pull request's branch:
        one request unless its creation is not on the first page of 100, newest first), or on
        the first page only (``since_creation=False``: a long-lived branch such as main, never
        created in its feed, would otherwise be read whole)."""
        operation = f"read the push history of {branch}"
        ref = f"refs/heads/{branch}"
        entries: list[Activity] = []
        for entry in self.items(operation, f"/repos/{self._repo}/activity", {"ref": ref}):
            actor = author_of(entry.get("actor"))
            entries.append(
                Activity(
                    ref=str(entry.get("ref", "")),
                    after=str(entry.get("after", "")).lower(),
                    timestamp=_timestamp(entry.get("timestamp")),
                    actor=actor.login if actor else None,
                    kind=str(entry.get("activity_type", "")),
                )
            )
            if started(entries[-1:], ref):  # everything newer came before it: stop paging
                break
            if not since_creation and len(entries) >= PER_PAGE:
                break
        return read_pushes(entries, ref, sha)

    def issue_comments(self, number: int, since: datetime | None) -> list[Submission]:
        params: dict[str, Any] = {"per_page": PER_PAGE}
        if since is not None:
            params["since"] = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        path = f"/repos/{self._repo}/issues/{number}/comments"
        found = []
        for item in self.items(f"list comments of #{number}", path, params):
            created, updated = (
                _timestamp(item.get("created_at")),
                _timestamp(item.get("updated_at")),
            )
            found.append(
                Submission(
                    source=Source.PR_COMMENT,
                    ref=str(item.get("html_url") or f"comment {item.get('id')}"),
                    author=author_of(item.get("user"), item.get("author_association")),
                    body=str(item.get("body") or ""),
                    created_at=created,
                    edited=created is None or updated != created,
                    id=_id(item),
                )
            )
        return found

    def reviews(self, number: int) -> list[Submission]:
        path = f"/repos/{self._repo}/pulls/{number}/reviews"
        items = list(self.items(f"list reviews of #{number}", path, {"per_page": PER_PAGE}))
        edited = self._edited_reviews(number, items)
        return [
            Submission(
                source=Source.PR_REVIEW,
                ref=str(item.get("html_url") or f"review {item.get('id')}"),
                author=author_of(item.get("user"), item.get("author_association")),
                body=str(item.get("body") or ""),
                created_at=_timestamp(item.get("submitted_at")),
                state=str(item.get("state") or "").upper(),
                commit_id=str(item["commit_id"]).lower() if item.get("commit_id") else None,
                edited=index in edited,
                id=_id(item),
            )
            for index, item in enumerate(items)
        ]

    def _edited_reviews(self, number: int, items: list[dict[str, Any]]) -> set[int]:
        """Which reviews (by index) were edited: REST does not say (a review has no
        ``updated_at``), and anyone with write access may edit anyone's review. GraphQL's
        ``lastEditedAt`` does; it is asked only about reviews that read like a token, 100 at a time.
        A review it cannot vouch for counts as edited."""
        nodes = {
            i: item.get("node_id")
            for i, item in enumerate(items)
            if scan(str(item.get("body") or ""))
        }
        ids = sorted({node for node in nodes.values() if isinstance(node, str)})
        unedited: set[str] = set()
        for start in range(0, len(ids), PER_PAGE):
            unedited |= self._unedited(number, ids[start : start + PER_PAGE])
        return {i for i, node in nodes.items() if node not in unedited}

    def _unedited(self, number: int, nodes: list[str]) -> set[str]:
        operation = f"read the edit history of reviews of #{number}"
        data = self.graphql(operation, _REVIEW_EDITS, {"ids": nodes})
        found = data.get("nodes")
        return {
            str(node.get("id"))
            for node in (found if isinstance(found, list) else [])
            if isinstance(node, dict) and "lastEditedAt" in node and node["lastEditedAt"] is None
        }

    def environment_approvals(self, run_id: str) -> list[Submission]:
        path = f"/repos/{self._repo}/actions/runs/{run_id}/approvals"
        found = []
        for item in self.items(f"list environment approvals of run {run_id}", path, {}):
            names = [
                e.get("name", "?") for e in item.get("environments") or [] if isinstance(e, dict)
            ]
            found.append(
                Submission(
                    source=Source.ENVIRONMENT,
                    ref=f"run {run_id} environment {', '.join(names) or '?'}",
                    author=author_of(item.get("user")),
                    body=str(item.get("comment") or ""),
                    state=str(item.get("state") or "").lower(),  # 'Rejected' must still block
                )
            )
        return found

    def run_started_at(self, run_id: str) -> datetime:
        operation = f"read workflow run {run_id}"
        data = self.get_object(operation, f"/repos/{self._repo}/actions/runs/{run_id}")
        stamp = _timestamp(data.get("run_started_at")) or _timestamp(data.get("created_at"))
        if stamp is None:
            raise shape_error(operation, KeyError("run_started_at"))
        return stamp

    def permission(self, login: str) -> PermissionFact:
        key = login.casefold()
        if key not in self._permissions:
            operation = f"read the permission of {login}"
            path = f"/repos/{self._repo}/collaborators/{quote(login)}/permission"
            data = self._unless_not_found(operation, path)
            if data is None:
                self._permissions[key] = NO_PERMISSION
            else:
                role = data.get("role_name")
                fact = PermissionFact(
                    str(data.get("permission") or "none"), role if isinstance(role, str) else None
                )
                self._permissions[key] = fact
        return self._permissions[key]

    def is_team_member(self, org: str, slug: str, login: str) -> bool:
        key = (org.casefold(), slug.casefold(), login.casefold())
        if key not in self._teams:
            operation = f"read {login}'s membership of {org}/{slug}"
            path = f"/orgs/{quote(org)}/teams/{quote(slug)}/memberships/{quote(login)}"
            data = self._unless_not_found(operation, path)
            self._teams[key] = data is not None and data.get("state") == "active"
        return self._teams[key]

    def _unless_not_found(self, operation: str, path: str) -> dict[str, Any] | None:
        """The object at ``path``, or None where GitHub answers 404 (no such collaborator or
        membership: an answer, not a failure)."""
        try:
            return self.get_object(operation, path)
        except ApiError as error:
            if error.status != 404:
                raise
            return None


def _id(item: dict[str, Any]) -> int | None:
    found = item.get("id")
    return found if isinstance(found, int) and not isinstance(found, bool) else None


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return None
    # without an offset it cannot be compared (Python raises): unknown, like a malformed one
    return stamp if stamp.tzinfo is not None else None
