"""Issue 18 through the installed ``applygate``: a comment-triggered approve publishes in a
handful of requests more than its decision reads, none waiting on another.

The loopback stand-in pages the pull request's comments as GitHub does (``since``, 100 a page),
and keeps the comments applygate writes, so a rerun sees them: the result comment is found among
the comments the decision read (one per head, updated on a rerun), the 👀 reaction comes first
and the decision's reads right after it, 🚀 last, and the writes go back to back."""

from __future__ import annotations

import itertools
import json
import math
import os
from collections import Counter
from pathlib import Path

import pytest
from tests.support.cli import invoke
from tests.support.fake_github import FakeGitHub, json_of
from tests.support.github_payloads import comment, permission, pull, push, user
from tests.support.pr_thread import PrThread

from applygate.core.comment import result_marker

REPO = "octocat/Hello-World"
R = f"/repos/{REPO}"
OP = "terraform apply prod/vpc"
PR = 7
HEAD, NEW_HEAD = pull(PR)["head"]["sha"], "c3d0be41ecbe669545ee3e94d31ed9a4bc91ee3c"
PUSHED, AFTER = "2026-11-01T12:00:00Z", "2026-11-01T12:30:00Z"
TRIGGER_ID = 50_000


def thread(api: FakeGitHub, total: int) -> PrThread:
    """``total`` comments since the push: conversation, then alice's approval (the trigger)."""
    items = [comment(n + 1, f"dev{n % 20}", "LGTM, one nit", AFTER) for n in range(total - 1)]
    items.append(comment(TRIGGER_ID, "alice", f"User approved: {OP}", AFTER))
    return PrThread(api, REPO, PR, items)


def serve(api: FakeGitHub, head: str = HEAD, pushed: str = PUSHED) -> None:
    api.add("GET", f"{R}/pulls/{PR}", pull(PR, head_sha=head))
    api.add("GET", f"{R}/activity", [push(head, pushed, "pusher")])
    api.add("GET", f"{R}/pulls/{PR}/reviews", [])
    api.add("GET", f"{R}/collaborators/alice/permission", permission("alice", "write", "write"))
    status = json_of("repos-create-commit-status.json")
    api.add("POST", f"{R}/statuses/{head}", status, 201)
    reaction = json_of("reactions-create-for-issue-comment.json")
    api.add("POST", f"{R}/issues/comments/{TRIGGER_ID}/reactions", reaction, 201)


def approve(tmp_path: Path, api: FakeGitHub, event: str = "issue_comment") -> dict[str, str]:
    if event == "issue_comment":
        payload = json_of("events/issue_comment.created.json")
        payload["issue"]["number"] = PR
        payload["issue"]["pull_request"] = {"url": f"https://api.github.com{R}/pulls/{PR}"}
        payload["comment"].update(id=TRIGGER_ID, body=f"User approved: {OP}", user=user("alice"))
        extra = {"GITHUB_SHA": "f" * 40}
    else:
        payload = json_of("events/workflow_dispatch.json")
        extra = {"GITHUB_SHA": HEAD, "INPUT_PR-NUMBER": str(PR)}
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "GITHUB_ACTIONS": "true",
        "GITHUB_API_URL": api.url,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_RUN_ID": "42",
        "GITHUB_EVENT_NAME": event,
        "GITHUB_EVENT_PATH": str(path),
        "INPUT_COMMAND": "approve",
        "INPUT_OPERATION": OP,
        "INPUT_TOKEN": "ghs_e2e_secret",
        "APPLYGATE_API_RETRY_SECONDS": "0",
        # APPLYGATE_WRITE_INTERVAL_SECONDS unset: the default pace is under test
        **extra,
    }
    api.requests.clear()
    done, outputs, _ = invoke([], environ, tmp_path / "github", timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr
    assert outputs["decision"] == "approved"
    assert api.unmatched == []
    return outputs


def methods(api: FakeGitHub) -> dict[str, int]:
    return dict(Counter(r.method for r in api.requests))


def writes(api: FakeGitHub) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in api.requests if r.method != "GET"]


@pytest.mark.parametrize("total", [10, 250])
def test_requests_by_method_first_run_and_rerun(tmp_path: Path, total: int) -> None:
    pages = math.ceil(total / 100)
    with FakeGitHub() as api:
        serve(api)
        comments = thread(api, total)
        approve(tmp_path, api)
        # the decision's reads (the pull request twice, the push, the comment pages, the
        # reviews, alice's permission); the writes: 👀, the status, the comment, 🚀
        assert methods(api) == {"GET": pages + 5, "POST": 4}
        assert api.count("GET", f"{R}/issues/{PR}/comments") == pages  # read once
        assert len(api.requests) <= pages + 10  # issue 18's bound, all methods
        approve(tmp_path, api)  # a rerun on the same head updates its comment
        assert methods(api) == {"GET": pages + 5, "POST": 3, "PATCH": 1}
        assert api.count("GET", f"{R}/issues/{PR}/comments") == pages
    (mine,) = comments.by_bot()
    assert mine["body"].startswith(result_marker(OP, HEAD))
    assert api.sent("PATCH", f"{R}/issues/comments/{mine['id']}")


def test_eyes_first_then_the_reads_and_rocket_last_writes_back_to_back(tmp_path: Path) -> None:
    reactions = f"{R}/issues/comments/{TRIGGER_ID}/reactions"
    with FakeGitHub() as api:
        serve(api)
        thread(api, 10)
        approve(tmp_path, api)
    asked = [(r.method, r.path) for r in api.requests]
    assert asked[0] == ("POST", reactions)  # 👀, then the decision's reads, nothing between
    assert [r.body["content"] for r in api.sent("POST", reactions)] == ["eyes", "rocket"]
    assert asked[1] == ("GET", f"{R}/pulls/{PR}")
    last_read = max(i for i, (method, _) in enumerate(asked) if method == "GET")
    # no write waits inside the decision: after the 👀 every read comes before any other write
    assert writes(api)[1:] == [
        ("POST", f"{R}/statuses/{HEAD}"),
        ("POST", f"{R}/issues/{PR}/comments"),
        ("POST", reactions),
    ]
    assert asked.index(("POST", f"{R}/statuses/{HEAD}")) == last_read + 1
    # a comment run marks nothing pending (one comment authorizes one run): one final status
    assert [r.body["state"] for r in api.sent("POST", f"{R}/statuses/{HEAD}")] == ["success"]
    # no fixed second between the writes any more (GitHub's second is for a large number)
    times = [r.at for r in api.requests if r.method != "GET"]
    assert max(b - a for a, b in itertools.pairwise(times)) < 0.9


def test_one_result_comment_per_head(tmp_path: Path) -> None:
    with FakeGitHub() as api:
        serve(api)
        comments = thread(api, 10)
        approve(tmp_path, api)
        (first,) = comments.by_bot()
        # a new head is pushed; alice approves again, after that push
        comments.written_at = "2026-11-01T15:00:00Z"
        alice = next(c for c in comments.comments if c["id"] == TRIGGER_ID)
        alice.update(created_at="2026-11-01T14:30:00Z", updated_at="2026-11-01T14:30:00Z")
        serve(api, NEW_HEAD, "2026-11-01T14:00:00Z")
        approve(tmp_path, api)
        assert api.count("GET", f"{R}/issues/{PR}/comments") == 1
        approve(tmp_path, api)  # and a rerun on the new head updates the new head's comment
    old, new = comments.by_bot()
    assert old is first and old["body"].startswith(result_marker(OP, HEAD))
    assert new["body"].startswith(result_marker(OP, NEW_HEAD))
    # each marker names its head (the marker's own code is not its oracle)
    assert old["body"].splitlines()[0].endswith(f":{HEAD} -->")
    assert new["body"].splitlines()[0].endswith(f":{NEW_HEAD} -->")
    assert NEW_HEAD in new["body"] and NEW_HEAD not in old["body"]
    assert api.sent("PATCH", f"{R}/issues/comments/{new['id']}")


def test_a_planted_marker_comment_is_not_adopted(tmp_path: Path) -> None:
    """Anyone can type the marker: mallory's comment with it is read, and left alone."""
    with FakeGitHub() as api:
        serve(api)
        comments = thread(api, 10)
        planted = comment(2, "mallory", f"{result_marker(OP, HEAD)}\nall good", AFTER)
        comments.comments.insert(0, planted)
        api.add("GET", "/user", status=403, body={"message": "Resource not accessible"})
        approve(tmp_path, api)
        assert api.count("POST", f"{R}/issues/{PR}/comments") == 1
        assert api.count("PATCH") == 0
    assert planted["body"].endswith("all good")


def test_a_run_no_comment_started_marks_pending_then_final(tmp_path: Path) -> None:
    with FakeGitHub() as api:
        serve(api)
        thread(api, 10)
        approve(tmp_path, api, event="workflow_dispatch")
    states = [r.body["state"] for r in api.sent("POST", f"{R}/statuses/{HEAD}")]
    assert states == ["pending", "success"]
    assert api.count("POST", f"{R}/issues/{PR}/comments") == 0
