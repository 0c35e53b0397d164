"""The approve command with a fake GitHubPort: which facts it asks for, and when."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from applygate.adapters.github import PullInfo
from applygate.adapters.runner import Runner
from applygate.commands import approve
from applygate.context import RunContext
from applygate.core.activity import Pushes
from applygate.core.approval import Push, Source, Submission
from applygate.core.classify import ErrorType
from applygate.core.policy import NO_PERMISSION, Author, PermissionFact
from applygate.errors import ApiError, UsageError
from applygate.event import EventContext
from applygate.inputs.approve import ApproveInputs
from applygate.inputs.registry import read_raw

OP = "terraform apply prod/vpc"
SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
NEW = "1111111111111111111111111111111111111111"
PUSHED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
PULL = PullInfo(7, SHA, "new-topic", "octo/hello", "octo/hello", Author("octocat"), "open")


def comment(login: str, body: str) -> Submission:
    return Submission(
        source=Source.PR_COMMENT,
        ref=f"comment by {login}",
        author=Author(login),
        body=body,
        created_at=PUSHED + timedelta(minutes=1),
    )


@dataclass
class FakeGitHub:
    pull: PullInfo = PULL
    heads: list[str] = field(default_factory=list)
    push: Push | None = field(default_factory=lambda: Push(PUSHED, "pusher"))
    pushers: tuple[str, ...] = ("pusher",)
    comments: list[Submission] = field(default_factory=list)
    review_list: list[Submission] = field(default_factory=list)
    approvals: list[Submission] = field(default_factory=list)
    started: datetime = PUSHED + timedelta(hours=1)
    permissions: dict[str, PermissionFact] = field(default_factory=dict)
    teams: dict[tuple[str, str, str], bool] = field(default_factory=dict)
    fail: dict[str, ApiError] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def _call(self, name: str) -> None:
        self.calls.append(name)
        if name in self.fail:
            raise self.fail[name]

    def get_pull(self, number: int) -> PullInfo:
        self._call("get_pull")
        if self.heads:
            head = self.heads.pop(0)
            return PullInfo(number, head, *self._rest())
        return self.pull

    def _rest(self) -> tuple[str, str | None, str, Author | None, str]:
        p = self.pull
        return (p.head_ref, p.head_repo, p.base_repo, p.author, p.state)

    def find_push(self, branch: str, sha: str, *, since_creation: bool = True) -> Pushes:
        self._call("find_push")
        return Pushes(self.push, self.pushers)

    def issue_comments(self, number: int, since: datetime | None) -> list[Submission]:
        self._call("issue_comments")
        assert since == (self.push.timestamp if self.push else None)
        return self.comments

    def reviews(self, number: int) -> list[Submission]:
        self._call("reviews")
        return self.review_list

    def environment_approvals(self, run_id: str) -> list[Submission]:
        self._call("environment_approvals")
        return self.approvals

    def run_started_at(self, run_id: str) -> datetime:
        self._call("run_started_at")
        return self.started

    def permission(self, login: str) -> PermissionFact:
        self._call(f"permission:{login}")
        return self.permissions.get(login, NO_PERMISSION)

    def is_team_member(self, org: str, slug: str, login: str) -> bool:
        self._call(f"team:{org}/{slug}:{login}")
        return self.teams.get((org, slug, login), False)


def run(
    gh: FakeGitHub,
    env: dict[str, str] | None = None,
    event: EventContext | None = None,
    ctx: RunContext | None = None,
) -> tuple[int, str]:
    environ = {"INPUT_OPERATION": OP, "INPUT_TOKEN": "ghs_secret", **(env or {})}
    inputs = ApproveInputs.from_raw(read_raw({}, environ), environ)
    context = ctx or RunContext(repository="octo/hello", run_id="42", sha="f" * 40)
    stream = io.StringIO()
    pr_event = EventContext("issue_comment", 7) if event is None else event
    code = approve.decide_and_report(inputs, context, pr_event, lambda: gh, Runner(stream=stream))
    return code, stream.getvalue()


WRITE = PermissionFact("write", "write")


def test_approved_reads_each_fact_once_and_rereads_the_head() -> None:
    gh = FakeGitHub(
        comments=[comment("alice", f"User approved: {OP}")], permissions={"alice": WRITE}
    )
    code, out = run(gh)
    assert code == 0
    assert gh.calls == [
        "get_pull",
        "find_push",
        "issue_comments",
        "reviews",
        "permission:alice",
        "get_pull",
    ]
    assert "::add-mask::ghs_secret" in out
    assert out.count("ghs_secret") == 1


def test_no_permission_lookup_for_lines_that_cannot_count() -> None:
    gh = FakeGitHub(
        comments=[
            comment("alice", f"> User approved: {OP}"),
            comment("octocat", f"User approved: {OP}"),
            comment("bob", "User approved: terraform apply prod"),
            comment("carol", "LGTM"),
        ]
    )
    code, _ = run(gh)
    assert code == 1
    assert not [call for call in gh.calls if call.startswith("permission")]


def test_each_person_is_looked_up_once() -> None:
    gh = FakeGitHub(
        comments=[comment("alice", f"User approved: {OP}")] * 3
        + [comment("alice", f"User denied: {OP}")],
        permissions={"alice": WRITE},
    )
    code, _ = run(gh)
    assert code == 1
    assert gh.calls.count("permission:alice") == 1


def test_unlisted_people_cost_no_request() -> None:
    gh = FakeGitHub(comments=[comment("mallory", f"User approved: {OP}")])
    code, _ = run(gh, {"INPUT_APPROVERS": "alice"})
    assert code == 1
    assert "permission:mallory" not in gh.calls


def test_team_membership_is_checked_after_permission() -> None:
    gh = FakeGitHub(
        comments=[comment("bob", f"User approved: {OP}")],
        permissions={"bob": WRITE},
        teams={("acme", "sre", "bob"): True},
    )
    code, _ = run(gh, {"INPUT_APPROVERS": "alice, acme/sre"})
    assert code == 0
    assert gh.calls[-3:] == ["permission:bob", "team:acme/sre:bob", "get_pull"]


def test_fork_is_blocked_before_reading_anything_else() -> None:
    fork = PullInfo(7, SHA, "patch-1", "mallory/hello", "octo/hello", Author("mallory"), "open")
    gh = FakeGitHub(pull=fork)
    code, out = run(gh)
    assert code == 1
    assert gh.calls == ["get_pull"]
    assert "fork" in out


@pytest.mark.parametrize("state", ["closed", ""])
def test_a_pull_request_that_is_not_open_is_blocked_before_reading_anything_else(
    state: str,
) -> None:
    closed = PullInfo(7, SHA, "new-topic", "octo/hello", "octo/hello", Author("octocat"), state)
    gh = FakeGitHub(
        pull=closed,
        comments=[comment("alice", f"User approved: {OP}")],
        permissions={"alice": WRITE},
    )
    code, out = run(gh)
    assert code == 1
    assert gh.calls == ["get_pull"]
    assert "pull request #7 is " + (state or "in an unknown state") in out


@pytest.mark.parametrize(("pin", "expected"), [(SHA, 0), (SHA[:7], 1)])
def test_fork_allowed_has_no_push_so_only_fully_pinned_comments_count(
    pin: str, expected: int
) -> None:
    fork = PullInfo(7, SHA, "patch-1", "mallory/hello", "octo/hello", Author("mallory"), "open")
    gh = FakeGitHub(
        pull=fork,
        push=None,
        comments=[comment("alice", f"User approved: {OP} @{pin}")],
        permissions={"alice": WRITE},
    )
    code, _ = run(gh, {"INPUT_ALLOW-FORKS": "true"})
    assert code == expected
    assert "find_push" not in gh.calls


def test_sha_input_that_is_not_the_head_blocks_at_once() -> None:
    gh = FakeGitHub()
    code, out = run(gh, {"INPUT_SHA": NEW})
    assert code == 1
    assert gh.calls == ["get_pull"]
    assert "head-moved" in out


def test_head_moving_while_deciding_blocks() -> None:
    gh = FakeGitHub(
        heads=[SHA, NEW],
        comments=[comment("alice", f"User approved: {OP}")],
        permissions={"alice": WRITE},
    )
    code, out = run(gh)
    assert code == 1
    assert "head-moved" in out


@pytest.mark.parametrize(
    ("failing", "error_type"),
    [
        ("get_pull", ErrorType.TRANSIENT),
        ("find_push", ErrorType.PERMISSION),
        ("issue_comments", ErrorType.TRANSIENT),
        ("reviews", ErrorType.VALIDATION),
        ("permission:alice", ErrorType.TRANSIENT),
    ],
)
def test_api_failure_blocks_with_its_class(failing: str, error_type: ErrorType) -> None:
    gh = FakeGitHub(
        comments=[comment("alice", f"User approved: {OP}")],
        permissions={"alice": WRITE},
        fail={failing: ApiError(failing, error_type, "boom", 502)},
    )
    code, out = run(gh)
    assert code == 1
    assert f"{error_type}: {failing} failed" in out


def test_comment_on_a_plain_issue_blocks_without_any_request() -> None:
    gh = FakeGitHub()
    code, out = run(gh, event=EventContext("issue_comment", None, on_plain_issue=True))
    assert code == 1
    assert gh.calls == []
    assert "not-a-pull-request" in out


def test_environment_source_on_push_binds_to_the_runs_commit() -> None:
    ctx = RunContext(repository="octo/hello", run_id="42", sha=SHA, triggering_actor="octocat")
    approval = Submission(
        source=Source.ENVIRONMENT,
        ref="run 42",
        author=Author("alice"),
        body=f"User approved: {OP}",
        state="approved",
    )
    gh = FakeGitHub(approvals=[approval], permissions={"alice": WRITE})
    code, _ = run(gh, event=EventContext("push"), ctx=ctx)
    assert code == 0
    assert gh.calls == ["environment_approvals", "permission:alice"]
    other = RunContext(repository="octo/hello", run_id="42", sha=SHA)
    code, out = run(
        FakeGitHub(approvals=[approval]), {"INPUT_SHA": NEW}, EventContext("push"), other
    )
    assert code == 1
    assert "unbound" in out


def test_environment_source_in_a_pull_request_needs_the_push_before_the_run() -> None:
    approval = Submission(
        source=Source.ENVIRONMENT,
        ref="run 42",
        author=Author("alice"),
        body=f"User approved: {OP}",
        state="approved",
    )
    gh = FakeGitHub(approvals=[approval], permissions={"alice": WRITE})
    assert run(gh, {"INPUT_SOURCES": "environment"})[0] == 0
    late = FakeGitHub(approvals=[approval], permissions={"alice": WRITE}, started=PUSHED)
    assert run(late, {"INPUT_SOURCES": "environment"})[0] == 1


@pytest.mark.parametrize(
    ("env", "event", "ctx", "says"),
    [
        (
            {"INPUT_SOURCES": "pr-comment"},
            EventContext("push"),
            RunContext(sha=SHA),
            "pull request",
        ),
        ({}, EventContext("push"), RunContext(sha=SHA), "GITHUB_RUN_ID"),
        (
            {"INPUT_SOURCES": "pr-review"},
            EventContext("workflow_dispatch"),
            RunContext(run_id="1"),
            "pull request",
        ),
        ({}, EventContext("workflow_dispatch"), RunContext(run_id="1"), "no commit"),
    ],
)
def test_configurations_that_cannot_work_are_usage_errors(
    env: dict[str, str], event: EventContext, ctx: RunContext, says: str
) -> None:
    with pytest.raises(UsageError, match=says):
        run(FakeGitHub(), env, event, ctx)


def test_pull_request_workflows_get_a_warning() -> None:
    gh = FakeGitHub(
        comments=[comment("alice", f"User approved: {OP}")], permissions={"alice": WRITE}
    )
    ctx = RunContext(repository="octo/hello", run_id="42", event_name="pull_request")
    _, out = run(gh, event=EventContext("pull_request", 7), ctx=ctx)
    assert "::warning title=applygate::gating in a pull_request workflow is unsafe" in out


@pytest.mark.parametrize(
    ("setting", "code", "decision", "generic", "warned"),
    [("flag", 0, "approved", "true", True), ("reject", 1, "blocked", "false", False)],
)
def test_a_generic_scope_is_flagged_with_a_warning_or_rejected(
    tmp_path: Path, setting: str, code: int, decision: str, generic: str, warned: bool
) -> None:
    gh = FakeGitHub(comments=[comment("alice", "User approved: the changes.")])
    gh.permissions["alice"] = WRITE
    environ = {"INPUT_OPERATION": OP, "INPUT_GENERIC-SCOPE": setting}
    inputs = ApproveInputs.from_raw(read_raw({}, environ), environ)
    stream, outputs = io.StringIO(), tmp_path / "out"
    runner = Runner(output_path=str(outputs), stream=stream)
    ctx = RunContext(repository="octo/hello", run_id="42")
    assert (
        approve.decide_and_report(inputs, ctx, EventContext("issue_comment", 7), lambda: gh, runner)
        == code
    )
    written = outputs.read_text()
    assert f"decision={decision}\n" in written
    assert f"generic-scope={generic}\n" in written
    warning = "::warning::approved with a generic scope: it does not name the operation"
    assert (warning in stream.getvalue()) is warned


@pytest.mark.parametrize("attempt", ["2", ""])
def test_environment_approvals_of_a_rerun_pull_request_run_are_not_bound(attempt: str) -> None:
    # Attack: the head moves after the environment was approved, then the run is re-run. The
    # re-run's clock starts after the new push, but the approval history (timeless) still holds
    # the first attempt's approval of the old head: it must not approve the new one.
    approval = Submission(
        source=Source.ENVIRONMENT,
        ref="run 42",
        author=Author("alice"),
        body=f"User approved: {OP}",
        state="approved",
    )
    gh = FakeGitHub(approvals=[approval], permissions={"alice": WRITE})
    ctx = RunContext(repository="octo/hello", run_id="42", sha="f" * 40, run_attempt=attempt)
    code, out = run(gh, {"INPUT_SOURCES": "environment"}, ctx=ctx)
    assert code == 1
    assert "unbound" in out
    assert "run_started_at" not in gh.calls
