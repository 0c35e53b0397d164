"""approve where users meet it: the comment trigger, reactions, the result comment, the status."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import responses
from tests.commands.test_approve import OP, SHA, WRITE, FakeGitHub, comment
from tests.commands.test_publishing import FakePort

from applygate import cli
from applygate.adapters.runner import Runner
from applygate.commands import approve
from applygate.context import RunContext
from applygate.core.approval import Submission
from applygate.core.classify import ErrorType
from applygate.core.comment import marker, result_marker
from applygate.core.policy import Author
from applygate.errors import ApiError
from applygate.event import EventContext, TriggerComment
from applygate.inputs.approve import ApproveInputs
from applygate.inputs.publishing import settings as publish_settings
from applygate.inputs.registry import read_raw

EVENTS = Path(__file__).resolve().parents[1] / "fixtures" / "events"
CTX = RunContext(repository="octo/hello", run_id="42", sha="f" * 40, event_name="issue_comment")
APPROVE = f"User approved: {OP}"


def trigger(body: str, login: str = "alice", bot: bool = False) -> EventContext:
    return EventContext("issue_comment", 7, comment=TriggerComment(55, body, Author(login, bot)))


class Forbidden:
    """A GitHubPort or writer that fails the test when it is used at all."""

    def __call__(self) -> Any:
        raise AssertionError("an API client was built: the skip must cost no request")


def surfaces_run(
    gh: Any, event: EventContext, port: Any, env: dict[str, str] | None = None
) -> tuple[int, str, Path]:
    environ = {"INPUT_OPERATION": OP, "INPUT_TOKEN": "ghs_secret", **(env or {})}
    raw = read_raw({}, environ)
    inputs = ApproveInputs.from_raw(raw, environ)
    stream = io.StringIO()
    outputs = Path(__import__("tempfile").mkdtemp()) / "out"
    runner = Runner(output_path=str(outputs), stream=stream)
    settings = publish_settings("approve", raw, environ)
    connect = gh if callable(gh) and not isinstance(gh, FakeGitHub) else (lambda: gh)
    code = approve.decide_and_report(inputs, CTX, event, connect, runner, settings, port)
    return code, stream.getvalue(), outputs


@pytest.mark.parametrize(
    "event",
    [
        trigger("Looks good to me, thanks!"),
        trigger(""),
        trigger(f"> {APPROVE}\nwhy did you approve this?"),
        trigger(APPROVE, "github-actions[bot]", bot=True),
        trigger(APPROVE, "renovate[bot]", bot=False),
        EventContext("issue_comment", 7, comment=TriggerComment(55, APPROVE, None)),
    ],
    ids=["chat", "empty", "quoted", "bot", "bot-login", "deleted-user"],
)
def test_comments_without_a_token_are_skipped_without_any_client(event: EventContext) -> None:
    code, out, outputs = surfaces_run(Forbidden(), event, Forbidden())
    assert code == 0
    assert "decision=skipped\n" in outputs.read_text()
    assert "applygate approve: skipped:" in out
    if event.comment is not None and event.comment.author is None:
        assert "skipped: the comment has no author (a deleted account)" in out


def write_event(tmp_path: Path, body: str, user: dict[str, Any]) -> Path:
    payload = json.loads((EVENTS / "issue_comment.created.json").read_text())
    payload = copy.deepcopy(payload)
    payload["issue"]["pull_request"] = {"url": "https://api.github.com/repos/o/r/pulls/1"}
    payload["comment"]["body"] = body
    payload["comment"]["user"] = user
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    return path


@pytest.mark.parametrize(
    ("body", "user"),
    [
        ("LGTM", {"login": "alice", "type": "User"}),
        (APPROVE, {"login": "github-actions[bot]", "type": "Bot"}),
    ],
)
def test_main_makes_zero_requests_when_it_skips(
    tmp_path: Path, body: str, user: dict[str, Any]
) -> None:
    outputs = tmp_path / "out"
    environ = {
        "INPUT_OPERATION": OP,
        "INPUT_TOKEN": "ghs_secret",
        "GITHUB_REPOSITORY": "octo/hello",
        "GITHUB_EVENT_NAME": "issue_comment",
        "GITHUB_EVENT_PATH": str(write_event(tmp_path, body, user)),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_RUN_ID": "42",
        "GITHUB_SHA": "f" * 40,
    }
    with responses.RequestsMock(assert_all_requests_are_fired=False) as api:  # no route: any
        code = cli.main(["approve"], environ)  # any request would fail the run
        assert len(api.calls) == 0
    assert code == 0
    assert "decision=skipped\n" in outputs.read_text()


def test_near_miss_gets_one_reply_and_no_decision() -> None:
    port = FakePort()
    code, _, outputs = surfaces_run(Forbidden(), trigger(f"user approved: {OP}"), lambda: port)
    assert code == 0
    assert "decision=skipped\n" in outputs.read_text()
    assert [call[0] for call in port.calls] == ["find", "create"]
    assert port.calls[0] == ("find", 7, marker("near-miss", "55"))
    reply = str(port.calls[1][2])
    assert "this looks like an approval but is not canonical" in reply
    assert f"```text\n{APPROVE}\n```" in reply


class StickyPort(FakePort):
    def __init__(self, existing: int | None) -> None:
        super().__init__()
        self.existing = existing

    def find_comment(self, number: int, mark: str) -> int | None:
        self._call("find", number, mark)
        return self.existing

    def pick_comment(self, comments: Sequence[Submission], mark: str) -> int | None:
        self._call("pick", len(comments), mark)
        return self.existing


def test_approved_reacts_publishes_and_creates_the_result_comment() -> None:
    gh = FakeGitHub(comments=[comment("alice", APPROVE)], permissions={"alice": WRITE})
    port = StickyPort(existing=None)
    code, _, outputs = surfaces_run(gh, trigger(APPROVE), lambda: port)
    assert code == 0
    assert "decision=approved\n" in outputs.read_text()
    kinds = [call[0] for call in port.calls]
    # the result comment is looked for among the comments the decision read: no read of its own
    assert kinds == ["reaction", "status", "status", "pick", "create", "reaction"]
    assert port.calls[0] == ("reaction", 55, "eyes")
    _, target, state, text = port.calls[1]  # the head, read from the pull request, is pending
    assert (target.sha, target.context, state) == (SHA, "applygate/approve", "pending")
    _, target, state, text = port.calls[2]
    assert (target.sha, target.context, state) == (SHA, "applygate/approve", "success")
    assert text == f"approved by alice: {OP}"
    assert port.calls[3] == ("pick", 1, result_marker(OP, SHA))  # one comment per head
    body = str(port.calls[4][2])
    assert body.startswith(result_marker(OP, SHA)) and "✅ approved" in body
    assert port.calls[5] == ("reaction", 55, "rocket")


def test_rerun_updates_the_result_comment_in_place() -> None:
    gh = FakeGitHub(comments=[comment("mallory", APPROVE)])
    port = StickyPort(existing=1234)
    code, _, _ = surfaces_run(gh, trigger(APPROVE), lambda: port)
    assert code == 1
    kinds = [call[0] for call in port.calls]
    assert kinds == ["reaction", "status", "status", "pick", "update", "reaction"]
    assert [port.calls[1][2], port.calls[2][2]] == ["pending", "failure"]
    assert port.calls[4][1] == 1234
    assert "⛔ blocked" in str(port.calls[4][2])
    assert port.calls[5] == ("reaction", 55, "-1")


@pytest.mark.parametrize(("approver", "expected"), [("alice", 0), ("mallory", 1)])
def test_refused_writes_only_warn_and_keep_the_exit_code(approver: str, expected: int) -> None:
    refused = ApiError("write", ErrorType.PERMISSION, "Resource not accessible by integration", 403)
    gh = FakeGitHub(comments=[comment(approver, APPROVE)], permissions={"alice": WRITE})
    port = FakePort(fail=refused)
    code, out, _ = surfaces_run(gh, trigger(APPROVE), lambda: port)
    assert code == expected
    assert out.count("::warning") == 4  # eyes, status (once: pending), comment, final reaction
    assert "permissions: statuses: write" in out
    assert "permissions: pull-requests: write" in out


def test_publish_none_still_answers_the_comment() -> None:
    gh = FakeGitHub(comments=[comment("alice", APPROVE)], permissions={"alice": WRITE})
    port = StickyPort(existing=None)
    code, _, _ = surfaces_run(gh, trigger(APPROVE), lambda: port, {"INPUT_PUBLISH": "none"})
    assert code == 0
    assert "status" not in [call[0] for call in port.calls]


def test_known_sha_is_pending_while_deciding() -> None:
    gh = FakeGitHub(comments=[comment("alice", APPROVE)], permissions={"alice": WRITE})
    port = StickyPort(existing=None)
    code, _, _ = surfaces_run(gh, trigger(APPROVE), lambda: port, {"INPUT_SHA": SHA})
    assert code == 0
    statuses = [call[2] for call in port.calls if call[0] == "status"]
    assert statuses == ["pending", "success"]


def test_a_head_read_from_the_pull_request_is_pending_once_known() -> None:
    """Nothing in an issue_comment payload names the commit: it is marked pending as soon as the
    pull request is read, then gets its result; a sha input marks it pending at once."""
    gh = FakeGitHub(comments=[comment("alice", APPROVE)], permissions={"alice": WRITE})
    port = StickyPort(existing=None)
    surfaces_run(gh, trigger(APPROVE), lambda: port)
    statuses = [(call[1].sha, call[2]) for call in port.calls if call[0] == "status"]
    assert statuses == [(SHA, "pending"), (SHA, "success")]
