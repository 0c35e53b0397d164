"""The GitHub writer under ``responses``: exactly what each write sends, and how refusals look."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import responses
from tests.support.fake_github import json_of

from applygate.adapters.github import PyGithubClient
from applygate.adapters.publish import GitHubPublisher
from applygate.adapters.retry import RetryPolicy
from applygate.core.approval import Source, Submission
from applygate.core.classify import ErrorType
from applygate.core.publish import PAUSE_SECONDS, UNSPACED_WRITES, Target
from applygate.errors import ApiError
from applygate.event import author_of

BASE = "https://api.github.com"
API = f"{BASE}:443"  # PyGithub spells the port out in the URLs it requests
REPO = "octo/hello"
SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
TARGET = Target(SHA, "applygate/approve", "https://github.com/octo/hello/actions/runs/42")


@pytest.fixture
def api() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def publisher(
    interval: float = 0.0, clock: Clock | None = None, attempts: int = 1
) -> GitHubPublisher:
    retry = RetryPolicy(budget=0.0, max_attempts=attempts)
    client = PyGithubClient.connect("ghs_secret", BASE, REPO, retry)
    time = clock or Clock()
    return GitHubPublisher(client, REPO, interval, sleep=time.sleep, clock=time)


def sent(api: responses.RequestsMock, index: int = -1) -> Any:
    body = api.calls[index].request.body
    return json.loads(body if isinstance(body, str | bytes) else b"{}")


def test_commit_status_body(api: responses.RequestsMock) -> None:
    api.post(
        f"{API}/repos/{REPO}/statuses/{SHA}",
        json=json_of("repos-create-commit-status.json"),
        status=201,
    )
    publisher().create_status(TARGET, "pending", "approve: running")
    assert sent(api) == {
        "state": "pending",
        "context": "applygate/approve",
        "description": "approve: running",
        "target_url": "https://github.com/octo/hello/actions/runs/42",
    }
    assert api.calls[0].request.headers["Authorization"] == "token ghs_secret"


def test_check_run_create_then_complete(api: responses.RequestsMock) -> None:
    api.post(
        f"{API}/repos/{REPO}/check-runs", json=json_of("checks-create.in-progress.json"), status=201
    )
    api.patch(f"{API}/repos/{REPO}/check-runs/4", json=json_of("checks-update.json"))
    port = publisher()
    run_id = port.create_check_run(TARGET, "in_progress", None)
    assert run_id == 4
    assert sent(api, 0) == {
        "name": "applygate/approve",
        "head_sha": SHA,
        "status": "in_progress",
        "details_url": TARGET.target_url,
    }
    output = {"title": "approved", "summary": "## report"}
    port.complete_check_run(run_id, "success", output)
    assert sent(api, 1) == {"status": "completed", "conclusion": "success", "output": output}


def test_reaction(api: responses.RequestsMock) -> None:
    url = f"{API}/repos/{REPO}/issues/comments/1/reactions"
    api.post(url, json=json_of("reactions-create-for-issue-comment.json"), status=201)
    api.post(url, json=json_of("reactions-create-for-issue-comment.json"), status=200)  # exists
    port = publisher()
    port.add_reaction(1, "eyes")
    port.add_reaction(1, "eyes")
    assert [sent(api, i) for i in range(2)] == [{"content": "eyes"}] * 2


def comments(*bodies: str) -> list[dict[str, Any]]:
    template = json_of("issues-list-comments.json")[0]
    return [{**template, "id": 100 + i, "body": body} for i, body in enumerate(bodies)]


MARK = "<!-- applygate:approve:abc -->"


def test_sticky_comment_is_found_by_its_marker_across_pages(api: responses.RequestsMock) -> None:
    api.get(f"{API}/user", json={"login": "octocat", "type": "User"})  # a personal token's user
    url = f"{API}/repos/{REPO}/issues/7/comments"
    link = f"{BASE}/repos/{REPO}/issues/7/comments?per_page=100&page=2"  # as GitHub writes it
    api.get(url, json=comments("hi", f"quoting {MARK}"), headers={"Link": f'<{link}>; rel="next"'})
    api.get(
        f"{url}?per_page=100&page=2",
        json=comments("x", "y", f"{MARK}\n#### applygate approve: blocked"),
    )
    assert publisher().find_comment(7, MARK) == 102


BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
MALLORY = {"login": "mallory", "id": 666, "type": "User"}


def test_a_planted_marker_comment_is_skipped_for_the_bot_written_one(
    api: responses.RequestsMock,
) -> None:
    listed = comments(f"{MARK}\nplanted", f"{MARK}\n#### applygate approve: blocked")
    listed[0]["user"], listed[1]["user"] = MALLORY, BOT
    api.get(f"{API}/user", status=403, json={"message": "Resource not accessible by integration"})
    api.get(f"{API}/repos/{REPO}/issues/7/comments", json=listed)
    assert publisher().find_comment(7, MARK) == 101  # not mallory's planted one


def test_a_bot_written_marker_comment_needs_no_question_of_who_we_are(
    api: responses.RequestsMock,
) -> None:
    listed = comments("hi", f"{MARK}\n#### applygate approve: blocked")
    listed[1]["user"] = BOT
    api.get(f"{API}/repos/{REPO}/issues/7/comments", json=listed)
    assert publisher().find_comment(7, MARK) == 101
    assert len(api.calls) == 1


@pytest.mark.parametrize(
    ("status", "answer"),
    [
        (403, {"message": "Resource not accessible by integration"}),  # an installation token
        (200, {"login": "octocat", "type": "User"}),  # a personal token of someone else
    ],
)
def test_a_marker_comment_by_someone_else_is_never_adopted(
    api: responses.RequestsMock, status: int, answer: dict[str, Any]
) -> None:
    listed = comments(f"{MARK}\nplanted")
    listed[0]["user"] = MALLORY
    api.get(f"{API}/repos/{REPO}/issues/7/comments", json=listed)
    api.get(f"{API}/user", status=status, json=answer)
    assert publisher().find_comment(7, MARK) is None  # so applygate writes a comment of its own


def test_sticky_comment_absent(api: responses.RequestsMock) -> None:
    api.get(f"{API}/repos/{REPO}/issues/7/comments", json=comments("hi"))
    assert publisher().find_comment(7, MARK) is None


def test_comment_create_and_update(api: responses.RequestsMock) -> None:
    api.post(
        f"{API}/repos/{REPO}/issues/7/comments",
        json=json_of("issues-create-comment.json"),
        status=201,
    )
    api.patch(f"{API}/repos/{REPO}/issues/comments/1", json=json_of("issues-update-comment.json"))
    port = publisher()
    assert port.create_comment(7, f"{MARK}\nbody") == 1
    port.update_comment(1, f"{MARK}\nnew body")
    assert sent(api, 0) == {"body": f"{MARK}\nbody"}
    assert sent(api, 1) == {"body": f"{MARK}\nnew body"}


def test_refusal_names_the_permission_from_the_header(api: responses.RequestsMock) -> None:
    api.post(
        f"{API}/repos/{REPO}/statuses/{SHA}",
        json={"message": "Resource not accessible by integration"},
        status=403,
        headers={"X-Accepted-GitHub-Permissions": "statuses=write"},
    )
    with pytest.raises(ApiError) as caught:
        publisher().create_status(TARGET, "success", "ok")
    assert caught.value.status == 403
    assert caught.value.accepted_permissions == "statuses=write"
    assert caught.value.error_type is ErrorType.PERMISSION


def test_transient_write_is_retried_but_a_comment_is_never_posted_twice(
    api: responses.RequestsMock,
) -> None:
    status_url = f"{API}/repos/{REPO}/statuses/{SHA}"
    api.post(status_url, json={"message": "Server Error"}, status=502)
    api.post(status_url, json=json_of("repos-create-commit-status.json"), status=201)
    comment_url = f"{API}/repos/{REPO}/issues/7/comments"
    api.post(comment_url, json={"message": "Server Error"}, status=502)
    retry = RetryPolicy(budget=10.0, first_backoff=0.0, max_attempts=3)
    clock = Clock()
    client = PyGithubClient(
        PyGithubClient.connect("t", BASE, REPO)._requester, REPO, retry, sleep=clock.sleep
    )
    port = GitHubPublisher(client, REPO, 0.0, sleep=clock.sleep, clock=clock)
    port.create_status(TARGET, "success", "ok")
    with pytest.raises(ApiError):
        port.create_comment(7, "body")
    assert [c.request.method for c in api.calls] == ["POST"] * 3


def test_writes_are_serial_and_spaced(api: responses.RequestsMock) -> None:
    url = f"{API}/repos/{REPO}/issues/comments/1/reactions"
    api.post(url, json=json_of("reactions-create-for-issue-comment.json"), status=201)
    api.post(url, json=json_of("reactions-create-for-issue-comment.json"), status=201)
    clock = Clock()
    port = publisher(interval=1.0, clock=clock)
    port.add_reaction(1, "eyes")
    assert clock.slept == []  # the first write does not wait
    clock.now += 0.25
    port.add_reaction(1, "rocket")
    assert clock.slept == [0.75]


def test_by_default_a_runs_handful_of_writes_goes_back_to_back(
    api: responses.RequestsMock,
) -> None:
    url = f"{API}/repos/{REPO}/issues/comments/1/reactions"
    for _ in range(UNSPACED_WRITES + 2):
        api.post(url, json=json_of("reactions-create-for-issue-comment.json"), status=201)
    clock = Clock()
    port = publisher(clock=clock)  # APPLYGATE_WRITE_INTERVAL_SECONDS unset: 0
    for _ in range(UNSPACED_WRITES):
        port.add_reaction(1, "eyes")
    assert clock.slept == []
    port.add_reaction(1, "eyes")  # the eleventh: a run making many writes pauses GitHub's second
    clock.now += 0.25
    port.add_reaction(1, "eyes")
    assert clock.slept == [PAUSE_SECONDS, 0.75]


def read(*items: tuple[int, dict[str, Any] | None, str]) -> list[Submission]:
    """Comments as the decision read them (adapters/github.py issue_comments)."""
    return [
        Submission(
            source=Source.PR_COMMENT, ref=f"comment {i}", author=author_of(user), body=body, id=i
        )
        for i, user, body in items
    ]


def test_the_result_comment_is_picked_from_the_comments_read_with_no_request(
    api: responses.RequestsMock,
) -> None:
    listed = read((1, MALLORY, "hi"), (2, BOT, f"{MARK}\nblocked"), (3, BOT, f"{MARK}\nlater"))
    assert publisher().pick_comment(listed, MARK) == 2  # the oldest, as find_comment
    assert publisher().pick_comment(read((1, BOT, "<!-- applygate:approve:abd -->")), MARK) is None
    assert len(api.calls) == 0


@pytest.mark.parametrize(
    ("status", "answer", "found"),
    [
        (403, {"message": "Resource not accessible by integration"}, None),  # an App's token
        (200, {"login": "octocat", "type": "User"}, None),  # someone else's personal token
        (200, {"login": "mallory", "type": "User"}, 1),  # mallory's own token wrote it
    ],
)
def test_a_marker_comment_read_is_ours_only_by_the_rules_of_find_comment(
    api: responses.RequestsMock, status: int, answer: dict[str, Any], found: int | None
) -> None:
    api.get(f"{API}/user", status=status, json=answer)
    port = publisher()
    listed = read((1, MALLORY, f"{MARK}\nplanted"), (2, None, f"{MARK}\nghost"))
    assert port.pick_comment(listed, MARK) == found
    assert port.pick_comment(listed, MARK) == found
    assert len(api.calls) == 1  # the token's user is asked once
