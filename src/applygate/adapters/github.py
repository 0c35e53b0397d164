"""The GitHub REST API, as applygate needs it: a Protocol and its PyGithub implementation.

Translates, never decides. Every method returns core dataclasses; every failure becomes an
``ApiError`` naming the operation and its protocol class. Transient failures (5xx, connection
errors, rate limits that reset soon) are retried within a bounded time budget; lists are read
with ``per_page=100``; each person's permission and team membership is looked up once.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import SplitResult, quote, urlsplit

from applygate.adapters.retry import RetryPolicy as RetryPolicy
from applygate.core.activity import Activity, Pushes, read_pushes, started
from applygate.core.approval import Source, Submission
from applygate.core.classify import ErrorType, classify_http, is_rate_limited, rate_limit_wait
from applygate.core.policy import NO_PERMISSION, Author, PermissionFact
from applygate.core.reading import body_looks_like_token
from applygate.errors import ApiError
from applygate.event import author_of

if TYPE_CHECKING:
    from github.Requester import Requester

PER_PAGE = 100
_REVIEW_EDITS = (
    "query($ids: [ID!]!) { nodes(ids: $ids) { ... on PullRequestReview { id lastEditedAt } } }"
)
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


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
    def find_push(self, branch: str, sha: str) -> Pushes: ...
    def issue_comments(self, number: int, since: datetime | None) -> list[Submission]: ...
    def reviews(self, number: int) -> list[Submission]: ...
    def environment_approvals(self, run_id: str) -> list[Submission]: ...
    def run_started_at(self, run_id: str) -> datetime: ...
    def permission(self, login: str) -> PermissionFact: ...
    def is_team_member(self, org: str, slug: str, login: str) -> bool: ...


class PyGithubClient:
    """GitHubPort over PyGithub's Requester (auth, base URL, GitHub Enterprise, JSON)."""

    def __init__(
        self,
        requester: Requester,
        repository: str,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._requester = requester
        self._repo = repository
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._permissions: dict[str, PermissionFact] = {}
        self._teams: dict[tuple[str, str, str], bool] = {}
        self._retry_spent = 0.0  # seconds spent on failed attempts and waits, all requests
        self.requests = 0

    @classmethod
    def connect(
        cls, token: str, api_url: str, repository: str, retry: RetryPolicy | None = None
    ) -> PyGithubClient:
        from github import (
            Auth,
            Github,
        )  # imported here: only commands that talk to GitHub pay for it

        client = Github(
            auth=Auth.Token(token) if token else None,
            base_url=api_url.rstrip("/"),
            per_page=PER_PAGE,
            retry=None,
            seconds_between_requests=None,
            seconds_between_writes=None,
            timeout=(retry or RetryPolicy()).request_timeout,
            user_agent="applygate",
        )
        return cls(client.requester, repository, retry)

    # --- GitHubPort -------------------------------------------------------------------------

    def get_pull(self, number: int) -> PullInfo:
        data = self._get_object(
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
            raise _shape_error(f"read pull request #{number}", error) from None

    def find_push(self, branch: str, sha: str) -> Pushes:
        """The push that made ``sha`` the head of ``branch`` (only from its newest activity
        entry) and everyone who pushed to it since it was created. One request unless the
        branch's creation is not on the first page (100 entries, newest first)."""
        operation = f"read the push history of {branch}"
        ref = f"refs/heads/{branch}"
        entries: list[Activity] = []
        for entry in self._paged(operation, f"/repos/{self._repo}/activity", {"ref": ref}):
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
        return read_pushes(entries, ref, sha)

    def issue_comments(self, number: int, since: datetime | None) -> list[Submission]:
        params: dict[str, Any] = {"per_page": PER_PAGE}
        if since is not None:
            params["since"] = since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        path = f"/repos/{self._repo}/issues/{number}/comments"
        found = []
        for item in self._paged(f"list comments of #{number}", path, params):
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
        items = list(self._paged(f"list reviews of #{number}", path, {"per_page": PER_PAGE}))
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
            if body_looks_like_token(str(item.get("body") or ""))
        }
        ids = sorted({node for node in nodes.values() if isinstance(node, str)})
        unedited: set[str] = set()
        for start in range(0, len(ids), PER_PAGE):
            unedited |= self._unedited(number, ids[start : start + PER_PAGE])
        return {i for i, node in nodes.items() if node not in unedited}

    def _unedited(self, number: int, nodes: list[str]) -> set[str]:
        operation = f"read the edit history of reviews of #{number}"
        body = {"query": _REVIEW_EDITS, "variables": {"ids": nodes}}
        _, data = self._request(operation, self._requester.graphql_url, None, "POST", body)
        if isinstance(data, dict) and data.get("errors"):
            detail = _message({"message": str(data["errors"])[:200]})
            raise ApiError(operation, ErrorType.VALIDATION, detail)
        if not isinstance(data, dict) or not isinstance(data.get("data"), dict):
            raise _shape_error(operation, KeyError("data"))
        found = data["data"].get("nodes")
        return {
            str(node.get("id"))
            for node in (found if isinstance(found, list) else [])
            if isinstance(node, dict) and "lastEditedAt" in node and node["lastEditedAt"] is None
        }

    def environment_approvals(self, run_id: str) -> list[Submission]:
        path = f"/repos/{self._repo}/actions/runs/{run_id}/approvals"
        found = []
        for item in self._paged(f"list environment approvals of run {run_id}", path, {}):
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
        data = self._get_object(operation, f"/repos/{self._repo}/actions/runs/{run_id}")
        stamp = _timestamp(data.get("run_started_at")) or _timestamp(data.get("created_at"))
        if stamp is None:
            raise _shape_error(operation, KeyError("run_started_at"))
        return stamp

    def permission(self, login: str) -> PermissionFact:
        key = login.casefold()
        if key not in self._permissions:
            operation = f"read the permission of {login}"
            path = f"/repos/{self._repo}/collaborators/{quote(login)}/permission"
            try:
                data = self._get_object(operation, path)
            except ApiError as error:
                if error.status != 404:
                    raise
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
            try:
                data = self._get_object(operation, path)
            except ApiError as error:
                if error.status != 404:
                    raise
                self._teams[key] = False
            else:
                self._teams[key] = data.get("state") == "active"
        return self._teams[key]

    # --- transport --------------------------------------------------------------------------

    def _get_object(self, operation: str, path: str) -> dict[str, Any]:
        _, data = self._request(operation, path, {})
        if not isinstance(data, dict):
            raise _shape_error(operation, TypeError("not an object"))
        return data

    def _paged(self, operation: str, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        url: str | None = path
        query: dict[str, Any] | None = {"per_page": PER_PAGE, **params}
        seen: set[str] = set()
        while url is not None:
            headers, data = self._request(operation, url, query)
            yield from _objects(operation, data)
            link = _next_link(headers)  # it carries the whole query
            url, query = (self._within_api(operation, link) if link else None), None
            if url is not None and url in seen:  # a listing that never ends would hang the gate
                detail = f"the next page {link!r} was already read: the listing loops"
                raise ApiError(operation, ErrorType.VALIDATION, detail)
            if url is not None:
                seen.add(url)

    def _within_api(self, operation: str, link: str) -> str:
        """A next-page link as a path under the API's base URL. A link elsewhere is not
        followed (the token would go with it): the listing fails as a Validation error."""
        base, target = urlsplit(self._requester.base_url), urlsplit(link)
        prefix = base.path.rstrip("/")
        if _origin(target) != _origin(base) or not target.path.startswith(prefix + "/"):
            detail = f"the next page {link!r} is not under {self._requester.base_url}"
            raise ApiError(operation, ErrorType.VALIDATION, detail)
        path = target.path[len(prefix) :]
        return f"{path}?{target.query}" if target.query else path

    def send(
        self, operation: str, method: str, path: str, body: dict[str, Any], retry: bool = True
    ) -> Any:
        """One write (POST/PATCH) with a JSON body; the answer's JSON. ``retry=False`` for writes
        that must not be repeated blindly (creating a comment twice would duplicate it)."""
        _, data = self._request(operation, path, None, method, body, retry)
        return data

    def get(self, operation: str, path: str) -> Any:
        """One GET; the answer's JSON."""
        _, data = self._request(operation, path, None)
        return data

    def items(self, operation: str, path: str) -> Iterator[dict[str, Any]]:
        """Every object of a listing, page by page (100 a page)."""
        return self._paged(operation, path, {})

    def _request(
        self,
        operation: str,
        url: str,
        params: dict[str, Any] | None,
        method: str = "GET",
        body: dict[str, Any] | None = None,
        retry: bool = True,
    ) -> tuple[dict[str, Any], Any]:
        from github.GithubException import GithubException
        from requests import RequestException

        attempt = 0
        while True:
            attempt += 1
            self.requests += 1
            tried = self._clock()  # the budget counts waiting for answers that failed, too
            try:
                headers, data = self._requester.requestJsonAndCheck(
                    method, url, parameters=params or None, input=body
                )
            except GithubException as error:
                headers = {str(k): str(v) for k, v in (error.headers or {}).items()}
                message = _message(error.data)
                failure = ApiError(
                    operation,
                    classify_http(error.status, headers, message),
                    message,
                    error.status,
                    _header(headers, "x-accepted-github-permissions"),
                )
                wait = rate_limit_wait(
                    error.status, headers, message, self._clock(), self._retry.rate_limit_max_wait
                )
                rate_limited = is_rate_limited(error.status, headers, message)
            except RequestException as error:
                failure = ApiError(operation, ErrorType.TRANSIENT, _describe(error))
                wait, rate_limited = None, False
            except ValueError as error:  # a cut-off body may come whole next time
                detail = f"the answer is not valid JSON ({_describe(error)})"
                failure = ApiError(operation, ErrorType.TRANSIENT, detail)
                wait, rate_limited = None, False
            else:
                _require_json(operation, headers, data)
                return headers, data
            if (
                not retry
                or failure.error_type is not ErrorType.TRANSIENT
                or attempt >= self._retry.max_attempts
            ):
                raise failure
            limit = self._retry.budget
            if wait is not None:  # a rate limit that resets within a minute is worth one wait
                limit = max(limit, self._retry.rate_limit_max_wait)
            elif rate_limited:  # a rate limit that does not reset soon: give up now
                raise failure
            else:
                wait = self._retry.first_backoff * 2 ** (attempt - 1)
            # one budget for the whole command, not for each request: several flaky pages must
            # not add up to minutes
            self._retry_spent += self._clock() - tried
            if self._retry_spent + wait > limit:
                raise failure
            self._sleep(wait)
            self._retry_spent += wait


def _header(headers: dict[str, str], name: str) -> str:
    return next((v for k, v in headers.items() if k.lower() == name), "")


def _origin(url: SplitResult) -> tuple[str, str, int | None]:
    default = {"https": 443, "http": 80}.get(url.scheme)
    return url.scheme, (url.hostname or "").lower(), url.port or default


def _next_link(headers: dict[str, Any]) -> str | None:
    for key, value in headers.items():
        if key.lower() == "link":
            match = _NEXT.search(str(value))
            return match.group(1) if match else None
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


def _message(data: Any) -> str:
    if isinstance(data, dict):
        text = data.get("message") or data.get("data") or ""
        return str(text).strip().splitlines()[0][:200] if str(text).strip() else "no message"
    return "no message"


def _describe(error: Exception) -> str:
    return (
        f"{type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}".rstrip(
            ": "
        )
    )


def _require_json(operation: str, headers: dict[str, Any], data: Any) -> None:
    """PyGithub hands a body that is not JSON over as ``{"data": <text>, "url": <path>}``: an
    HTML page, say, from a GITHUB_API_URL that names the web server instead of its API."""
    wrapped = isinstance(data, dict) and set(data) <= {"data", "url"}
    if not (wrapped and isinstance(data.get("data"), str)):
        return
    kind = _header({str(k): str(v) for k, v in headers.items()}, "content-type") or "no type"
    first = data["data"].strip().splitlines()[0][:80] if data["data"].strip() else ""
    detail = f"the answer is not JSON ({kind}: {first!r}): is GITHUB_API_URL the API's address?"
    raise ApiError(operation, ErrorType.VALIDATION, detail)


def _objects(operation: str, data: Any) -> list[dict[str, Any]]:
    """A listing's items. Anything but a list of objects is a shape error, never skipped: a
    listing read in part could hide a denial or a rejected review."""
    if not isinstance(data, list):
        raise _shape_error(operation, TypeError("not a list"))
    if not all(isinstance(item, dict) for item in data):
        raise _shape_error(operation, TypeError("an item is not an object"))
    return data


def _shape_error(operation: str, error: Exception) -> ApiError:
    return ApiError(
        operation, ErrorType.VALIDATION, f"unexpected response shape ({_describe(error)})"
    )
