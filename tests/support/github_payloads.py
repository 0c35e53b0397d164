"""GitHub API answers shaped like GitHub's own examples (shared/github-api), with the fields a
test cares about replaced. Each builder starts from the published example, so every other field
(and its type) is GitHub's."""

from __future__ import annotations

import copy
import zlib
from typing import Any

from tests.support.fake_github import json_of

_EXAMPLE_USER = json_of("issues-list-comments.json")[0]["user"]


def _example(name: str, first: bool = False) -> dict[str, Any]:
    """A fresh copy of GitHub's example (its first item when the example is a list)."""
    data = json_of(name)
    item: dict[str, Any] = copy.deepcopy(data[0] if first else data)
    return item


def user(login: str, kind: str = "User") -> dict[str, Any]:
    """A user object as GitHub nests it in comments, reviews and approvals."""
    return {
        **_EXAMPLE_USER,
        "login": login,
        "id": zlib.crc32(login.encode()) % 10**8,
        "url": f"https://api.github.com/users/{login}",
        "html_url": f"https://github.com/{login}",
        "type": kind,
    }


def comment(
    number: int,
    login: str | None,
    body: str,
    created: str,
    updated: str | None = None,
    repo: str = "octocat/Hello-World",
    pr: int = 1347,
) -> dict[str, Any]:
    """An issue comment (issues/list-comments); ``login=None`` is a deleted account."""
    item = _example("issues-list-comments.json", first=True)
    item.update(
        id=number,
        html_url=f"https://github.com/{repo}/pull/{pr}#issuecomment-{number}",
        url=f"https://api.github.com/repos/{repo}/issues/comments/{number}",
        body=body,
        user=None if login is None else user(login),
        created_at=created,
        updated_at=updated or created,
    )
    return item


def review(
    number: int, login: str, state: str, commit_id: str | None, body: str, submitted: str
) -> dict[str, Any]:
    """A pull-request review (pulls/list-reviews)."""
    item = _example("pulls-list-reviews.json", first=True)
    item.update(
        id=number,
        node_id=f"PRR_review{number}",
        user=user(login),
        state=state,
        commit_id=commit_id,
        body=body,
        submitted_at=submitted,
        html_url=f"https://github.com/octocat/Hello-World/pull/12#pullrequestreview-{number}",
    )
    return item


def env_approval(login: str, state: str, text: str, environment: str = "staging") -> dict[str, Any]:
    """One entry of a run's deployment review history (actions/get-reviews-for-run)."""
    item = _example("actions-get-reviews-for-run.json", first=True)
    item.update(user=user(login), state=state, comment=text)
    item["environments"][0]["name"] = environment
    return item


def permission(login: str, level: str, role: str) -> dict[str, Any]:
    """repos/get-collaborator-permission-level: legacy ``permission`` and the real ``role_name``."""
    item = _example("repos-get-collaborator-permission-level.json")
    item.update(permission=level, role_name=role, user=user(login))
    return item


def membership(state: str = "active", role: str = "member") -> dict[str, Any]:
    """teams/get-membership-for-user-in-org."""
    return {**_example("teams-get-membership-for-user-in-org.json"), "state": state, "role": role}


def push(
    after: str,
    timestamp: str,
    actor: str,
    branch: str = "new-topic",
    activity: str = "push",
    kind: str = "User",
) -> dict[str, Any]:
    """A repository activity entry by the schema's field names (GitHub's example uses older
    names: ``pushed_at``, ``push_type``, ``pusher``); ``activity`` is its ``activity_type``,
    ``kind`` the actor's type."""
    item = _example("repos-list-activities.json", first=True)
    for stale in ("pushed_at", "push_type", "pusher"):
        item.pop(stale, None)
    item.update(
        after=after,
        ref=f"refs/heads/{branch}",
        timestamp=timestamp,
        activity_type=activity,
        actor=user(actor, kind),
    )
    return item


def pull(number: int, author: str = "octocat", head_sha: str | None = None) -> dict[str, Any]:
    """pulls/get: GitHub's example (head 6dcb09b5…, branch new-topic, same-repo head)."""
    item = _example("pulls-get.json")
    item["number"] = number
    item["user"] = user(author)
    if head_sha is not None:
        item["head"]["sha"] = head_sha
    return item


NOT_FOUND = {
    "message": "Not Found",
    "documentation_url": "https://docs.github.com/rest",
    "status": "404",
}
