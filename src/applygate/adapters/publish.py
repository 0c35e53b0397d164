"""GitHub writes: commit statuses, check runs, reactions and applygate's own comments.

Translates, never decides. Writes go through the GitHub adapter's transport (auth, retries of
transient failures, errors as ``ApiError``), one at a time, never concurrently; back to back for
the handful of writes a run makes, and spaced once a run makes many (``core/publish.write_pause``:
GitHub asks for a second between mutating requests when there is "a large number" of them). A
secondary rate limit is answered by the transport's retry after ``Retry-After``. Creating a
comment is never retried blindly: a retry after a lost answer could post it twice.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from applygate.adapters.github_transport import GitHubTransport
from applygate.core.approval import Submission
from applygate.core.policy import Author
from applygate.core.publish import Target, write_pause
from applygate.errors import ApiError
from applygate.event import author_of

_COMMENT_ID = re.compile(r"\d+")


class PublishPort(Protocol):
    def create_status(self, target: Target, state: str, description: str) -> None: ...
    def create_check_run(
        self, target: Target, status: str, output: dict[str, str] | None, conclusion: str = ""
    ) -> int: ...
    def complete_check_run(
        self, check_run_id: int, conclusion: str, output: dict[str, str]
    ) -> None: ...
    def add_reaction(self, comment_id: int, content: str) -> None: ...
    def find_comment(self, number: int, mark: str) -> int | None: ...
    def pick_comment(self, comments: Sequence[Submission], mark: str) -> int | None: ...
    def create_comment(self, number: int, body: str) -> int: ...
    def update_comment(self, comment_id: int, body: str) -> None: ...


class GitHubPublisher:
    """PublishPort over the GitHub transport (the reads' client is one, too)."""

    def __init__(
        self,
        client: GitHubTransport,
        repository: str,
        write_interval: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._repo = repository
        self._interval = write_interval
        self._sleep = sleep
        self._clock = clock
        self._last_write: float | None = None
        self._writes = 0  # made by this run so far
        self._login: list[str | None] = []  # the token's own login, once asked

    def create_status(self, target: Target, state: str, description: str) -> None:
        body = {"state": state, "context": target.context, "description": description}
        if target.target_url:
            body["target_url"] = target.target_url
        path = f"/repos/{self._repo}/statuses/{target.sha}"
        self._write(f"publish the commit status {target.context}", "POST", path, body)

    def create_check_run(
        self, target: Target, status: str, output: dict[str, str] | None, conclusion: str = ""
    ) -> int:
        body: dict[str, Any] = {"name": target.context, "head_sha": target.sha, "status": status}
        if target.target_url:
            body["details_url"] = target.target_url
        if conclusion:
            body["conclusion"] = conclusion
        if output is not None:
            body["output"] = output
        path = f"/repos/{self._repo}/check-runs"
        data = self._write(f"create the check run {target.context}", "POST", path, body)
        return _id(data)

    def complete_check_run(
        self, check_run_id: int, conclusion: str, output: dict[str, str]
    ) -> None:
        body = {"status": "completed", "conclusion": conclusion, "output": output}
        path = f"/repos/{self._repo}/check-runs/{check_run_id}"
        self._write(f"complete check run {check_run_id}", "PATCH", path, body)

    def add_reaction(self, comment_id: int, content: str) -> None:
        path = f"/repos/{self._repo}/issues/comments/{comment_id}/reactions"
        self._write(f"react {content} to comment {comment_id}", "POST", path, {"content": content})

    def find_comment(self, number: int, mark: str) -> int | None:
        """The oldest comment on #number that starts with ``mark`` and that applygate wrote,
        read from the first page on (``pick_comment`` finds it among comments already read).

        Anyone can start a comment with the marker; updating theirs would put applygate's result
        under their name, for them to edit later. So the author must be a bot (the token of
        GitHub Actions or of an App) or the token's own user (a personal token)."""
        path = f"/repos/{self._repo}/issues/{number}/comments"
        operation = f"find applygate's comment on #{number}"
        for item in self._client.items(operation, path):
            body = item.get("body")
            if not (isinstance(body, str) and body.startswith(mark)):
                continue
            if self._ours(author_of(item.get("user"))):
                return _id(item)
        return None

    def pick_comment(self, comments: Sequence[Submission], mark: str) -> int | None:
        """``find_comment`` among ``comments`` read already (oldest first, as GitHub lists
        them), by the same rule of who wrote it: no request unless a person's comment carries
        the marker (then, once, the token's own user)."""
        for found in comments:
            if found.id and found.body.startswith(mark) and self._ours(found.author):
                return found.id
        return None

    def _ours(self, author: Author | None) -> bool:
        """Written by a bot (``type: Bot``; a ``[bot]`` login is an App's, a person's login has
        no brackets) or by the token's own user."""
        if author is None:
            return False
        return author.is_bot or author.login == self._own_login()

    def _own_login(self) -> str | None:
        """The personal token's user; None for installation tokens, which GET /user refuses."""
        if not self._login:
            try:
                data = self._client.get("read the token's own user", "/user")
            except ApiError:
                data = None
            login = data.get("login") if isinstance(data, dict) else None
            self._login.append(login if isinstance(login, str) else None)
        return self._login[0]

    def create_comment(self, number: int, body: str) -> int:
        path = f"/repos/{self._repo}/issues/{number}/comments"
        data = self._write(f"comment on #{number}", "POST", path, {"body": body}, retry=False)
        return _id(data)

    def update_comment(self, comment_id: int, body: str) -> None:
        path = f"/repos/{self._repo}/issues/comments/{comment_id}"
        self._write(f"update comment {comment_id}", "PATCH", path, {"body": body})

    def _write(
        self, operation: str, method: str, path: str, body: dict[str, Any], retry: bool = True
    ) -> Any:
        pause = write_pause(self._writes, self._interval)
        if self._last_write is not None and pause > 0:
            wait = self._last_write + pause - self._clock()
            if wait > 0:
                self._sleep(wait)
        try:
            return self._client.send(operation, method, path, body, retry)
        finally:
            self._last_write = self._clock()
            self._writes += 1


def _id(data: Any) -> int:
    value = data.get("id") if isinstance(data, dict) else None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _COMMENT_ID.fullmatch(value):
        return int(value)
    return 0
