"""How applygate talks to the GitHub API: one request at a time over PyGithub's Requester.

Owns what every call shares and nothing about what it reads: the request and its retries within
one time budget for the whole command (Retry-After and rate limits that reset soon waited out,
the rest given up), listings read page by page (``per_page=100``, following ``Link: rel="next"``
only under the API's own address), and every failure translated to an ``ApiError`` naming the
operation and its protocol class.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import SplitResult, urlsplit

from applygate.adapters.retry import RetryPolicy
from applygate.core.classify import ErrorType, classify_http, is_rate_limited, rate_limit_wait
from applygate.errors import ApiError

if TYPE_CHECKING:
    from github.Requester import Requester

PER_PAGE = 100
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


def connect_requester(token: str, api_url: str, retry: RetryPolicy | None = None) -> Requester:
    """PyGithub's Requester for ``api_url`` (auth, base URL, GitHub Enterprise, JSON), with
    PyGithub's own retries and pauses off: the transport does its own."""
    from github import Auth, Github  # imported here: only commands that talk to GitHub pay for it

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
    return client.requester


@dataclass(frozen=True)
class _Failure:
    """An attempt that failed: the error, the wait a rate limit asks for (None if it names
    none) and whether it was a rate limit."""

    error: ApiError
    wait: float | None = None
    rate_limited: bool = False


class GitHubTransport:
    """Requests, retries, paging and errors, shared by the reads and the writes of a command."""

    def __init__(
        self,
        requester: Requester,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._requester = requester
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._retry_spent = 0.0  # seconds spent on failed attempts and waits, all requests
        self.requests = 0

    def get(self, operation: str, path: str) -> Any:
        """One GET; the answer's JSON."""
        _, data = self._request(operation, path, None)
        return data

    def get_object(self, operation: str, path: str) -> dict[str, Any]:
        """One GET whose answer must be a JSON object."""
        _, data = self._request(operation, path, {})
        if not isinstance(data, dict):
            raise shape_error(operation, TypeError("not an object"))
        return data

    def items(
        self, operation: str, path: str, params: dict[str, Any] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every object of a listing, page by page (100 a page). Anything but a list of objects
        is a shape error, and a listing whose next page was already read fails, never hangs."""
        url: str | None = path
        query: dict[str, Any] | None = {"per_page": PER_PAGE, **(params or {})}
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

    def graphql(self, operation: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """One GraphQL query; its ``data`` object. GraphQL's own ``errors`` are a Validation
        error, as is an answer without ``data``."""
        body = {"query": query, "variables": variables}
        _, data = self._request(operation, self._requester.graphql_url, None, "POST", body)
        if isinstance(data, dict) and data.get("errors"):
            detail = _message({"message": str(data["errors"])[:200]})
            raise ApiError(operation, ErrorType.VALIDATION, detail)
        if not isinstance(data, dict) or not isinstance(data.get("data"), dict):
            raise shape_error(operation, KeyError("data"))
        found: dict[str, Any] = data["data"]
        return found

    def send(
        self, operation: str, method: str, path: str, body: dict[str, Any], retry: bool = True
    ) -> Any:
        """One write (POST/PATCH) with a JSON body; the answer's JSON. ``retry=False`` for writes
        that must not be repeated blindly (creating a comment twice would duplicate it)."""
        _, data = self._request(operation, path, None, method, body, retry)
        return data

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

    def _request(
        self,
        operation: str,
        url: str,
        params: dict[str, Any] | None,
        method: str = "GET",
        body: dict[str, Any] | None = None,
        retry: bool = True,
    ) -> tuple[dict[str, Any], Any]:
        attempt = 0
        while True:
            attempt += 1
            self.requests += 1
            tried = self._clock()  # the budget counts waiting for answers that failed, too
            answer = self._attempt(operation, url, params, method, body)
            if not isinstance(answer, _Failure):
                return answer
            if not retry or attempt >= self._retry.max_attempts:
                raise answer.error
            self._wait_or_raise(answer, attempt, tried)

    def _attempt(
        self,
        operation: str,
        url: str,
        params: dict[str, Any] | None,
        method: str,
        body: dict[str, Any] | None,
    ) -> tuple[dict[str, Any], Any] | _Failure:
        """One request: its headers and JSON, or how it failed."""
        from github.GithubException import GithubException
        from requests import RequestException

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
            return _Failure(failure, wait, is_rate_limited(error.status, headers, message))
        except RequestException as error:
            return _Failure(ApiError(operation, ErrorType.TRANSIENT, _describe(error)))
        except ValueError as error:  # a cut-off body may come whole next time
            detail = f"the answer is not valid JSON ({_describe(error)})"
            return _Failure(ApiError(operation, ErrorType.TRANSIENT, detail))
        _require_json(operation, headers, data)
        return headers, data

    def _wait_or_raise(self, failure: _Failure, attempt: int, tried: float) -> None:
        """Sleep before the next attempt, or raise the failure if it is not worth one: not
        transient, a rate limit that does not reset soon, or past the command's budget."""
        if failure.error.error_type is not ErrorType.TRANSIENT:
            raise failure.error
        limit, wait = self._retry.budget, failure.wait
        if wait is not None:  # a rate limit that resets within a minute is worth one wait
            limit = max(limit, self._retry.rate_limit_max_wait)
        elif failure.rate_limited:  # a rate limit that does not reset soon: give up now
            raise failure.error
        else:
            wait = self._retry.first_backoff * 2 ** (attempt - 1)
        # one budget for the whole command, not for each request: several flaky pages must
        # not add up to minutes
        self._retry_spent += self._clock() - tried
        if self._retry_spent + wait > limit:
            raise failure.error
        self._sleep(wait)
        self._retry_spent += wait


def shape_error(operation: str, error: Exception) -> ApiError:
    """An answer that is JSON but not shaped as GitHub documents it: a Validation error."""
    return ApiError(
        operation, ErrorType.VALIDATION, f"unexpected response shape ({_describe(error)})"
    )


def _describe(error: Exception) -> str:
    return (
        f"{type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}".rstrip(
            ": "
        )
    )


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


def _message(data: Any) -> str:
    if isinstance(data, dict):
        text = data.get("message") or data.get("data") or ""
        return str(text).strip().splitlines()[0][:200] if str(text).strip() else "no message"
    return "no message"


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
        raise shape_error(operation, TypeError("not a list"))
    if not all(isinstance(item, dict) for item in data):
        raise shape_error(operation, TypeError("an item is not an object"))
    return data
