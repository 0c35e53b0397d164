"""Event payloads -> context; malformed ones are usage errors naming the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from applygate.core.binding import Source
from applygate.core.policy import Author
from applygate.core.trigger import Trigger
from applygate.errors import UsageError
from applygate.event import load_event, parse_event

EVENTS = Path(__file__).parent.parent / "fixtures" / "events"


def fixture(name: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return payload


def test_issue_comment_on_a_pull_request() -> None:
    payload = fixture("issue_comment.created.json")
    payload["issue"]["pull_request"] = {"url": "https://api.github.com/repos/o/r/pulls/1"}
    ctx = parse_event("issue_comment", payload)
    assert ctx.pr_number == payload["issue"]["number"]
    assert not ctx.on_plain_issue
    assert ctx.comment is not None
    assert ctx.comment.author == Author("Codertocat")


def test_issue_comment_on_a_plain_issue() -> None:
    ctx = parse_event("issue_comment", fixture("issue_comment.created.json"))
    assert ctx.on_plain_issue
    assert ctx.pr_number is None


@pytest.mark.parametrize(
    ("name", "file"),
    [
        ("pull_request", "pull_request.opened.json"),
        ("pull_request_review", "pull_request_review.submitted.json"),
    ],
)
def test_pull_request_events(name: str, file: str) -> None:
    payload = fixture(file)
    assert parse_event(name, payload).pr_number == payload["pull_request"]["number"]


def test_other_events_carry_no_pull_request() -> None:
    assert parse_event("workflow_dispatch", fixture("workflow_dispatch.json")).pr_number is None


@pytest.mark.parametrize(
    ("user", "author"),
    [
        ({"login": "github-actions[bot]", "type": "Bot"}, Author("github-actions[bot]", True)),
        ({"login": "deployer", "type": "Bot"}, Author("deployer", True)),
        ({"login": "renovate[bot]", "type": "User"}, Author("renovate[bot]", True)),
        ({"login": "octocat", "type": "User"}, Author("octocat", False)),
        (None, None),  # a deleted account
    ],
)
def test_comment_author(user: dict[str, str] | None, author: Author | None) -> None:
    payload = fixture("issue_comment.created.json")
    payload["comment"]["user"] = user
    ctx = parse_event("issue_comment", payload)
    assert ctx.comment is not None and ctx.comment.author == author


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"comment": {}}', "'issue' is missing"),
        (
            '{"issue": {"number": "1"}, "comment": {"id": 1}}',
            "'number' is missing or not an integer",
        ),
        ('{"issue": {"number": 1}, "comment": {"id": true}}', "'id' is missing or not an integer"),
        (b"\xff\xfe".decode("latin-1"), "not valid JSON"),
    ],
)
def test_malformed_event_files(tmp_path: Path, content: str, says: str) -> None:
    path = tmp_path / "event.json"
    path.write_text(content, encoding="latin-1")
    with pytest.raises(UsageError) as raised:
        load_event("issue_comment", str(path))
    assert f"event file {path} (GITHUB_EVENT_PATH): " in str(raised.value)
    assert says in str(raised.value)


def test_missing_event_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot be read"):
        load_event("push", str(tmp_path / "absent.json"))
    with pytest.raises(UsageError, match="GITHUB_EVENT_PATH is not set"):
        load_event("push", "")


def test_pull_request_events_carry_head_and_base_branches() -> None:
    payload = fixture("pull_request.opened.json")
    context = parse_event("pull_request", payload)
    assert context.head_ref == payload["pull_request"]["head"]["ref"]
    assert context.base_ref == payload["pull_request"]["base"]["ref"]
    assert parse_event("issue_comment", fixture("issue_comment.created.json")).head_ref is None


def test_pull_request_events_carry_the_head_commit() -> None:
    payload = json.loads((EVENTS / "pull_request.opened.json").read_text())
    head = payload["pull_request"]["head"]["sha"]
    assert parse_event("pull_request", payload).head_sha == head.lower()
    del payload["pull_request"]["head"]
    assert parse_event("pull_request", payload).head_sha is None


# issue 19, item 1: the comment or review that started the run, which alone may decide
@pytest.mark.parametrize(
    ("name", "file", "source", "what"),
    [
        ("issue_comment", "issue_comment.created.json", Source.PR_COMMENT, "comment"),
        ("pull_request_review", "pull_request_review.submitted.json", Source.PR_REVIEW, "review"),
    ],
)
def test_the_trigger_of_the_run(name: str, file: str, source: Source, what: str) -> None:
    payload = fixture(file)
    item = payload["comment"] if name == "issue_comment" else payload["review"]
    trigger = parse_event(name, payload).trigger
    assert trigger == Trigger(source, item["id"], what, item["user"]["login"])


def test_a_review_comment_triggers_but_is_never_an_approval_source() -> None:
    payload = fixture("pull_request_review.submitted.json")
    payload["comment"] = {"id": 5, "user": {"login": "bob"}, "body": "nit"}
    trigger = parse_event("pull_request_review_comment", payload).trigger
    assert trigger == Trigger(None, 5, "review comment", "bob")


def test_a_review_event_without_its_review_is_a_usage_error() -> None:
    payload = fixture("pull_request_review.submitted.json")
    del payload["review"]
    with pytest.raises(UsageError, match="'review' is missing"):
        parse_event("pull_request_review", payload)


def test_events_that_no_comment_or_review_started_have_no_trigger() -> None:
    assert parse_event("pull_request", fixture("pull_request.opened.json")).trigger is None
    assert parse_event("workflow_dispatch", fixture("workflow_dispatch.json")).trigger is None
