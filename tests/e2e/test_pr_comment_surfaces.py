"""The installed ``applygate`` answering a pull-request comment against a loopback GitHub: which
requests it makes, in what order, and that its result comment is updated in place on a rerun."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from tests.support.cli import APPLYGATE
from tests.support.fake_github import FakeGitHub, Request, Response, json_of

EVENTS = Path(__file__).resolve().parents[1] / "fixtures" / "events"
REPO = "octocat/Hello-World"
OP = "terraform apply prod/vpc"
PULL = json_of("pulls-get.json")
HEAD = PULL["head"]["sha"]
NUMBER = 7
TRIGGER_ID = 492700400
R = f"/repos/{REPO}"


def user(login: str) -> dict[str, Any]:
    return {"login": login, "id": 1, "type": "User"}


class Thread:
    """The pull request's comments: listed, created and updated like GitHub does."""

    def __init__(self, api: FakeGitHub, comments: list[dict[str, Any]]) -> None:
        self.comments = comments
        self.next_id = 9001
        api.route("GET", f"{R}/issues/{NUMBER}/comments", self.list)
        api.route("POST", f"{R}/issues/{NUMBER}/comments", self.create)
        api.route("PATCH", f"{R}/issues/comments/9001", self.update)

    def list(self, request: Request) -> Response:
        since = request.query.get("since")
        kept = [c for c in self.comments if since is None or c["updated_at"] > since]
        return Response(200, kept)

    def create(self, request: Request) -> Response:
        stamp = "2026-11-01T13:00:00Z"
        made = {
            "id": self.next_id,
            "html_url": f"https://github.com/{REPO}/pull/{NUMBER}#issuecomment-{self.next_id}",
            "user": {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"},
            "body": request.body["body"],
            "created_at": stamp,
            "updated_at": stamp,
        }
        self.next_id += 1
        self.comments.append(made)
        return Response(201, made)

    def update(self, request: Request) -> Response:
        found = next(c for c in self.comments if c["id"] == 9001)
        found["body"] = request.body["body"]
        found["updated_at"] = "2026-11-01T14:00:00Z"
        return Response(200, found)


def serve(api: FakeGitHub, body: str) -> Thread:
    pull = {**PULL, "number": NUMBER}
    api.add("GET", f"{R}/pulls/{NUMBER}", pull)
    push = {
        "after": HEAD,
        "ref": f"refs/heads/{PULL['head']['ref']}",
        "timestamp": "2026-11-01T12:00:00Z",
        "actor": user("pusher"),
    }
    api.add("GET", f"{R}/activity", [push])
    api.add("GET", f"{R}/pulls/{NUMBER}/reviews", [])
    api.add(
        "GET",
        f"{R}/collaborators/alice/permission",
        json_of("repos-get-collaborator-permission-level.json"),
    )
    api.add("POST", f"{R}/statuses/{HEAD}", json_of("repos-create-commit-status.json"), 201)
    api.add(
        "POST",
        f"{R}/issues/comments/{TRIGGER_ID}/reactions",
        json_of("reactions-create-for-issue-comment.json"),
        201,
    )
    trigger = {
        "id": TRIGGER_ID,
        "html_url": f"https://github.com/{REPO}/pull/{NUMBER}#issuecomment-{TRIGGER_ID}",
        "user": user("alice"),
        "body": body,
        "created_at": "2026-11-01T12:30:00Z",
        "updated_at": "2026-11-01T12:30:00Z",
    }
    return Thread(api, [trigger])


def event_file(tmp_path: Path, body: str, login: str = "alice") -> Path:
    payload = json.loads((EVENTS / "issue_comment.created.json").read_text())
    payload["issue"]["number"] = NUMBER
    payload["issue"]["pull_request"] = {"url": f"https://api.github.com{R}/pulls/{NUMBER}"}
    payload["comment"].update(id=TRIGGER_ID, body=body, user=user(login))
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    return path


def run(tmp_path: Path, api_url: str, body: str) -> tuple[int, str, str]:
    outputs = tmp_path / "outputs"
    outputs.write_text("")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "GITHUB_ACTIONS": "true",
        "GITHUB_API_URL": api_url,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_RUN_ID": "42",
        "GITHUB_SHA": "f" * 40,
        "GITHUB_EVENT_NAME": "issue_comment",
        "GITHUB_EVENT_PATH": str(event_file(tmp_path, body)),
        "GITHUB_OUTPUT": str(outputs),
        "INPUT_COMMAND": "approve",
        "INPUT_OPERATION": OP,
        "INPUT_TOKEN": "ghs_e2e_secret",
        "APPLYGATE_API_RETRY_SECONDS": "0",
        "APPLYGATE_WRITE_INTERVAL_SECONDS": "0",
    }
    done = subprocess.run([APPLYGATE], capture_output=True, text=True, env=env, timeout=30)
    return done.returncode, done.stdout, outputs.read_text()


def writes(api: FakeGitHub) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in api.requests if r.method != "GET"]


def test_approval_comment_gets_reactions_a_status_and_one_result_comment(tmp_path: Path) -> None:
    with FakeGitHub() as api:
        thread = serve(api, f"User approved: {OP}")
        code, out, outputs = run(tmp_path, api.url, f"User approved: {OP}")
        assert code == 0, out
        assert "decision=approved" in outputs
        reactions = f"{R}/issues/comments/{TRIGGER_ID}/reactions"
        # no pending status first: a comment publishes on the head only once it has proved to
        # decide (issue 19: anyone may comment, and the head's status is not theirs to reset)
        assert writes(api) == [
            ("POST", reactions),
            ("POST", f"{R}/statuses/{HEAD}"),
            ("POST", f"{R}/issues/{NUMBER}/comments"),
            ("POST", reactions),
        ]
        assert [r.body["content"] for r in api.sent("POST", reactions)] == ["eyes", "rocket"]
        (status,) = (r.body for r in api.sent("POST", f"{R}/statuses/{HEAD}"))
        assert status == {
            "state": "success",
            "context": "applygate/approve",
            "description": f"approved by alice: {OP}",
            "target_url": f"https://github.com/{REPO}/actions/runs/42",
        }
        assert api.unmatched == []

        code, out, _ = run(tmp_path, api.url, f"User approved: {OP}")  # a rerun
        assert code == 0, out
        assert api.count("POST", f"{R}/issues/{NUMBER}/comments") == 1
        assert api.count("PATCH", f"{R}/issues/comments/9001") == 1
        mine = [c for c in thread.comments if c["user"]["type"] == "Bot"]
        assert len(mine) == 1
        assert "✅ approved" in mine[0]["body"]
        assert "ghs_e2e_secret" not in out.replace("::add-mask::ghs_e2e_secret", "")


@pytest.mark.parametrize("body", ["LGTM, thanks!", f"> User approved: {OP}"])
def test_conversation_costs_no_request(tmp_path: Path, body: str) -> None:
    with FakeGitHub() as api:
        code, out, outputs = run(tmp_path, api.url, body)
        assert api.requests == []
    assert code == 0, out
    assert "decision=skipped" in outputs


def test_near_miss_gets_one_reply_on_every_rerun(tmp_path: Path) -> None:
    with FakeGitHub() as api:
        thread = serve(api, f"user approved: {OP}")
        for _ in range(2):
            code, _, outputs = run(tmp_path, api.url, f"user approved: {OP}")
            assert code == 0
            assert "decision=skipped" in outputs
        methods = [(r.method, r.path) for r in api.requests]
        assert ("GET", f"{R}/pulls/{NUMBER}") not in methods  # no decision was made
        replies = [c for c in thread.comments if c["user"]["type"] == "Bot"]
        assert len(replies) == 1
        assert f"```text\nUser approved: {OP}\n```" in replies[0]["body"]
