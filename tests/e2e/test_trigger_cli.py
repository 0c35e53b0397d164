"""Issue 19, item 1: a trigger decides only for itself. The installed ``applygate approve``,
started by a comment or a review against a loopback GitHub: the run decides only when the
triggering submission is itself a counted approval or a blocking denial; anything else is
``skipped`` (exit 0, nothing published on the commit, the apply job does not run) and its author
gets a reply saying why."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from tests.support.cli import invoke
from tests.support.fake_github import FakeGitHub, json_of
from tests.support.github_payloads import comment, permission, pull, push, review

REPO = "octocat/Hello-World"
R = f"/repos/{REPO}"
OP = "terraform apply prod/vpc"
HEAD = pull(7)["head"]["sha"]
NUMBER = 7
PUSHED = "2026-11-20T12:00:00Z"
OLD_APPROVAL = "2026-11-21T10:00:00Z"  # alice approved on 21 Nov ...
NOW = "2026-12-05T09:00:00Z"  # ... and on 5 Dec a comment triggers the gate again
TRIGGER = 900
TOKEN = "ghs_trigger_secret"
PEOPLE = {
    "alice": ("write", "write"),
    "bob": ("write", "maintain"),
    "mallory": ("read", "read"),  # no access beyond reading: may comment, may not approve
}


def serve(
    api: FakeGitHub,
    comments: list[dict[str, Any]],
    reviews: list[dict[str, Any]] | None = None,
) -> None:
    api.add("GET", f"{R}/pulls/{NUMBER}", pull(NUMBER))
    api.add("GET", f"{R}/activity", [push(HEAD, PUSHED, "octocat")])
    api.add_pages(
        f"{R}/issues/{NUMBER}/comments",
        comments,
        lambda item, query: "since" not in query or item["updated_at"] > query["since"],
    )
    api.add("GET", f"{R}/pulls/{NUMBER}/reviews", reviews or [])
    api.add_review_edits()
    for login, (level, role) in PEOPLE.items():
        api.add("GET", f"{R}/collaborators/{login}/permission", permission(login, level, role))
    api.add("POST", f"{R}/statuses/{HEAD}", json_of("repos-create-commit-status.json"), 201)
    api.add("POST", f"{R}/issues/{NUMBER}/comments", json_of("issues-create-comment.json"), 201)
    api.add(
        "POST",
        f"{R}/issues/comments/{TRIGGER}/reactions",
        json_of("reactions-create-for-issue-comment.json"),
        201,
    )


def comment_event(tmp_path: Path, item: dict[str, Any], action: str = "created") -> Path:
    """GitHub's issue_comment example, carrying ``item`` (as listed) on pull request 7."""
    payload = json_of(f"events/issue_comment.{action}.json")
    payload["issue"]["number"] = NUMBER
    payload["issue"]["pull_request"] = {"url": f"https://api.github.com{R}/pulls/{NUMBER}"}
    payload["comment"] = {**payload["comment"], **item}
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    return path


def review_event(tmp_path: Path, item: dict[str, Any]) -> Path:
    """GitHub's pull_request_review example, carrying ``item`` (as listed) on pull request 7."""
    payload = json_of("events/pull_request_review.submitted.json")
    payload["pull_request"]["number"] = NUMBER
    payload["review"] = {**payload["review"], **item}
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    return path


def approve(
    tmp_path: Path, api: FakeGitHub, event: Path, name: str = "issue_comment", **inputs: str
) -> tuple[int, str, dict[str, str]]:
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "GITHUB_ACTIONS": "true",
        "GITHUB_API_URL": api.url,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_RUN_ID": "42",
        "GITHUB_SHA": "f" * 40,
        "GITHUB_EVENT_NAME": name,
        "GITHUB_EVENT_PATH": str(event),
        "INPUT_COMMAND": "approve",
        "INPUT_OPERATION": OP,
        "INPUT_TOKEN": TOKEN,
        "APPLYGATE_API_RETRY_SECONDS": "0",
        "APPLYGATE_WRITE_INTERVAL_SECONDS": "0",
        **{f"INPUT_{key.upper().replace('_', '-')}": value for key, value in inputs.items()},
    }
    done, outputs, _ = invoke([], environ, tmp_path / "github", timeout=30)
    return done.returncode, done.stdout + done.stderr, outputs


def alices_old_approval() -> dict[str, Any]:
    return comment(800, "alice", f"User approved: {OP}", OLD_APPROVAL)


def statuses(api: FakeGitHub) -> list[str]:
    return [r.body["state"] for r in api.sent("POST", f"{R}/statuses/{HEAD}")]


def replies(api: FakeGitHub) -> list[str]:
    return [str(r.body["body"]) for r in api.sent("POST", f"{R}/issues/{NUMBER}/comments")]


# --- the attack: anyone who can comment re-runs an approved apply ---------------------------------


@pytest.mark.parametrize(
    ("login", "body", "why"),
    [
        ("mallory", f"User approved: {OP}", "mallory has read"),  # an outsider's token
        ("mallory", "User denied: something unrelated", "names 'something unrelated'"),
        ("alice", "User approved: terraform apply prod/dns", "names 'terraform apply prod/dns'"),
        ("octocat", f"User approved: {OP}", "octocat opened the pull request"),  # self-approval
        ("bob", f"User approved: {OP} @c3d0be4", "pinned to c3d0be4"),  # another commit
    ],
)
def test_a_comment_that_does_not_count_decides_nothing(
    tmp_path: Path, login: str, body: str, why: str
) -> None:
    trigger = comment(TRIGGER, login, body, NOW)
    with FakeGitHub() as api:
        serve(api, [alices_old_approval(), trigger])
        code, out, outputs = approve(tmp_path, api, comment_event(tmp_path, trigger))
        assert code == 1, out  # decided nothing: never exit 0
        assert outputs["decision"] == "skipped"  # the plan and apply jobs do not run
        assert statuses(api) == []  # the head's applygate/approve is not theirs to reset
        (reply,) = replies(api)
        assert "<!-- applygate:undecided:" in reply
        assert why in reply
        assert "one comment authorizes one run" in reply
        reactions = api.sent("POST", f"{R}/issues/comments/{TRIGGER}/reactions")
        assert [r.body["content"] for r in reactions] == ["eyes", "confused"]
        assert api.unmatched == []
    assert "trigger-not-counted" not in outputs.get("reasons", "")
    assert "one comment authorizes one run" in out


def test_an_edited_comment_decides_nothing(tmp_path: Path) -> None:
    """An approval edited into a comment later (issue_comment edited) is not an approval."""
    trigger = comment(TRIGGER, "bob", f"User approved: {OP}", NOW, "2026-12-05T09:05:00Z")
    with FakeGitHub() as api:
        serve(api, [alices_old_approval(), trigger])
        code, out, outputs = approve(tmp_path, api, comment_event(tmp_path, trigger, "edited"))
    assert (code, outputs["decision"]) == (1, "skipped"), out
    assert "the comment was edited" in out


def test_a_deleted_comment_decides_nothing(tmp_path: Path) -> None:
    trigger = comment(TRIGGER, "bob", f"User approved: {OP}", NOW)
    with FakeGitHub() as api:
        serve(api, [alices_old_approval()])  # the trigger is gone by the time it is read
        code, out, outputs = approve(tmp_path, api, comment_event(tmp_path, trigger))
    assert (code, outputs["decision"]) == (1, "skipped"), out
    assert "trigger-not-found" in out


# --- the legitimate paths ----------------------------------------------------------------------


def test_the_trigger_is_the_completing_approval(tmp_path: Path) -> None:
    """min-approvals 2: alice's earlier approval counts, bob's comment completes it."""
    trigger = comment(TRIGGER, "bob", f"User approved: {OP}", NOW)
    with FakeGitHub() as api:
        serve(api, [alices_old_approval(), trigger])
        code, out, outputs = approve(
            tmp_path, api, comment_event(tmp_path, trigger), min_approvals="2"
        )
        assert statuses(api) == ["success"]  # published once the trigger proved to decide
        assert api.unmatched == []
    assert code == 0, out
    assert outputs["decision"] == "approved"
    assert outputs["approvers"] == "alice,bob"


def test_an_approver_approving_again_decides(tmp_path: Path) -> None:
    """alice's new comment is an approval that counts (she is counted once). The common case
    costs the reads it did before issue 19: no request more."""
    trigger = comment(TRIGGER, "alice", f"User approved: {OP}", NOW)
    with FakeGitHub() as api:
        serve(api, [alices_old_approval(), trigger])
        code, out, outputs = approve(tmp_path, api, comment_event(tmp_path, trigger))
        reads = [r.path.removeprefix(R) for r in api.requests if r.method == "GET"]
    assert (code, outputs["decision"], outputs["approvers"]) == (0, "approved", "alice"), out
    assert reads == [
        f"/pulls/{NUMBER}",
        "/activity",
        f"/issues/{NUMBER}/comments",
        f"/pulls/{NUMBER}/reviews",
        "/collaborators/alice/permission",
        f"/pulls/{NUMBER}",
    ]  # no second read of the comments: the result comment is among those read (issue 18)


def test_the_trigger_is_looked_up_even_when_others_suffice(tmp_path: Path) -> None:
    """bob's approval would be 'not needed' after alice's: as the trigger it is looked up."""
    trigger = comment(TRIGGER, "bob", f"User approved: {OP}", NOW)
    with FakeGitHub() as api:
        serve(api, [alices_old_approval(), trigger])
        code, out, outputs = approve(tmp_path, api, comment_event(tmp_path, trigger))
        looked_up = [r.path for r in api.requests if "/collaborators/" in r.path]
    assert (code, outputs["decision"], outputs["approvers"]) == (0, "approved", "bob"), out
    assert looked_up == [f"{R}/collaborators/bob/permission"]  # alice's is not needed


def test_a_blocking_denial_decides(tmp_path: Path) -> None:
    trigger = comment(TRIGGER, "bob", f"User denied: {OP}", NOW)
    with FakeGitHub() as api:
        serve(api, [alices_old_approval(), trigger])
        code, out, outputs = approve(tmp_path, api, comment_event(tmp_path, trigger))
        assert statuses(api) == ["failure"]
    assert (code, outputs["decision"]) == (1, "blocked"), out
    assert "bob denied this operation" in outputs["reasons"]


# --- reviews and review comments trigger too ---------------------------------------------------


def test_a_review_that_does_not_count_decides_nothing(tmp_path: Path) -> None:
    trigger = review(TRIGGER, "mallory", "APPROVED", HEAD, f"User approved: {OP}", NOW)
    with FakeGitHub() as api:
        serve(api, [alices_old_approval()], [trigger])
        code, out, outputs = approve(
            tmp_path, api, review_event(tmp_path, trigger), "pull_request_review", pr_number="7"
        )
        assert statuses(api) == []
    assert (code, outputs["decision"]) == (1, "skipped"), out
    assert "review that triggered this run" in out


def test_a_review_that_approves_decides(tmp_path: Path) -> None:
    trigger = review(TRIGGER, "bob", "APPROVED", HEAD, f"User approved: {OP}", NOW)
    with FakeGitHub() as api:
        serve(api, [alices_old_approval()], [trigger])
        code, out, outputs = approve(
            tmp_path,
            api,
            review_event(tmp_path, trigger),
            "pull_request_review",
            pr_number="7",
            min_approvals="2",
        )
    assert (code, outputs["decision"], outputs["approvers"]) == (0, "approved", "alice,bob"), out


def test_a_review_comment_never_decides(tmp_path: Path) -> None:
    payload = json_of("events/pull_request_review.submitted.json")
    payload["pull_request"]["number"] = NUMBER
    payload["comment"] = {"id": TRIGGER, "user": {"login": "bob", "type": "User"}, "body": "x"}
    event = tmp_path / "event.json"
    event.write_text(json.dumps(payload))
    with FakeGitHub() as api:
        serve(api, [alices_old_approval()])
        code, out, outputs = approve(
            tmp_path, api, event, "pull_request_review_comment", pr_number="7"
        )
    assert (code, outputs["decision"]) == (1, "skipped"), out
    assert "trigger-not-a-source" in out
