"""The publishing helper every command calls: pending, then the result; refusals only warn."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
import responses
from tests.support.api_mock import API

from applygate.adapters.runner import Runner
from applygate.context import RunContext
from applygate.core.approval import Submission
from applygate.core.classify import ErrorType
from applygate.core.publish import MAX_OUTPUT, State, Target
from applygate.errors import ApiError, UsageError
from applygate.flows import publication
from applygate.inputs.publishing import Settings
from applygate.inputs.publishing import settings as make_settings

SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
CTX = RunContext(repository="octo/hello", run_id="42", server_url="https://github.com")
RUN = "https://github.com/octo/hello/actions/runs/42"


@dataclass
class FakePort:
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    fail: ApiError | None = None

    def _call(self, *call: Any) -> None:
        self.calls.append(call)
        if self.fail is not None:
            raise self.fail

    def create_status(self, target: Target, state: str, description: str) -> None:
        self._call("status", target, state, description)

    def create_check_run(
        self, target: Target, status: str, output: dict[str, str] | None, conclusion: str = ""
    ) -> int:
        self._call("check", target, status, output, conclusion)
        return 9

    def complete_check_run(
        self, check_run_id: int, conclusion: str, output: dict[str, str]
    ) -> None:
        self._call("complete", check_run_id, conclusion, output)

    def add_reaction(self, comment_id: int, content: str) -> None:
        self._call("reaction", comment_id, content)

    def find_comment(self, number: int, mark: str) -> int | None:
        self._call("find", number, mark)
        return None

    def pick_comment(self, comments: Sequence[Submission], mark: str) -> int | None:
        self._call("pick", len(comments), mark)
        return None

    def create_comment(self, number: int, body: str) -> int:
        self._call("create", number, body)
        return 1

    def update_comment(self, comment_id: int, body: str) -> None:
        self._call("update", comment_id, body)


def settings(**raw: str) -> Settings:
    return make_settings("verify", {"token": "ghs_x", **raw}, {})


def test_commit_status_pending_then_result() -> None:
    port, stream = FakePort(), io.StringIO()
    pub = publication.start(settings(), CTX, Runner(stream=stream), lambda: port, SHA)
    publication.finish(pub, State.FAILURE, "verify: 1 of 3 criteria failed: " + "x" * 200, "## r")
    target = Target(SHA, "applygate/verify", RUN)
    assert port.calls[0] == ("status", target, State.PENDING, "verify: running")
    kind, _, state, text = port.calls[1]
    assert (kind, state, len(text)) == ("status", State.FAILURE, 140)
    assert text.endswith("…")
    assert stream.getvalue() == ""


def test_check_run_in_progress_then_completed_with_the_report_cut() -> None:
    port = FakePort()
    pub = publication.start(
        settings(publish="check-run", **{"status-context": "deploy/prod"}),
        CTX,
        Runner(stream=io.StringIO()),
        lambda: port,
        SHA,
    )
    publication.finish(pub, State.ERROR, "verify could not run", "r" * (MAX_OUTPUT + 10))
    target = Target(SHA, "deploy/prod", RUN)
    assert port.calls[0] == ("check", target, "in_progress", None, "")
    kind, run_id, conclusion, output = port.calls[1]
    assert (kind, run_id, conclusion) == ("complete", 9, "failure")
    assert output["title"] == "verify could not run"
    assert len(output["summary"]) == MAX_OUTPUT


def test_a_result_with_no_verdict_concludes_the_check_run_neutral() -> None:
    port = FakePort()
    runner = Runner(stream=io.StringIO())
    pub = publication.start(settings(publish="check-run"), CTX, runner, lambda: port, SHA)
    publication.finish(pub, State.SUCCESS, "applied; verification still owed", conclusion="neutral")
    assert port.calls[1][:3] == ("complete", 9, "neutral")


def test_a_final_result_is_never_pending() -> None:
    port = FakePort()
    pub = publication.start(settings(), CTX, Runner(stream=io.StringIO()), lambda: port, SHA)
    with pytest.raises(ValueError, match="pending"):
        publication.finish(pub, State.PENDING, "still running?")
    assert port.calls == [
        ("status", Target(SHA, "applygate/verify", RUN), State.PENDING, "verify: running")
    ]


def test_commit_learned_late_publishes_only_the_result() -> None:
    port = FakePort()
    pub = publication.start(
        settings(publish="check-run"), CTX, Runner(stream=io.StringIO()), lambda: port
    )
    assert port.calls == []
    publication.finish(pub, State.SUCCESS, "ok", "## ok", sha=SHA)
    assert port.calls == [
        (
            "check",
            Target(SHA, "applygate/verify", RUN),
            "completed",
            {"title": "ok", "summary": "## ok"},
            "success",
        )
    ]


def test_publish_none_writes_nothing_and_says_nothing() -> None:
    stream = io.StringIO()
    pub = publication.start(
        settings(publish="none"), CTX, Runner(stream=stream), lambda: FakePort(), SHA
    )
    publication.finish(pub, State.SUCCESS, "ok")
    assert pub.connect is None
    assert stream.getvalue() == ""


@pytest.mark.parametrize(
    ("token", "ctx", "why"),
    [("", CTX, "no token"), ("ghs_x", RunContext(), "no repository")],
)
def test_local_run_skips_with_one_info_line(token: str, ctx: RunContext, why: str) -> None:
    port, stream = FakePort(), io.StringIO()
    pub = publication.start(
        make_settings("verify", {"token": token}, {}),
        ctx,
        Runner(stream=stream),
        lambda: port,
        SHA,
    )
    publication.finish(pub, State.SUCCESS, "ok")
    assert port.calls == []
    assert (
        stream.getvalue() == f"applygate: not publishing applygate/verify: {why} (a local run?)\n"
    )


def test_no_commit_at_all_is_one_info_line() -> None:
    port, stream = FakePort(), io.StringIO()
    pub = publication.start(settings(), CTX, Runner(stream=stream), lambda: port)
    publication.finish(pub, State.SUCCESS, "ok")
    assert port.calls == []
    assert "no commit to publish on" in stream.getvalue()


def test_a_refusal_warns_once_naming_the_permission() -> None:
    refused = ApiError(
        "publish the commit status applygate/verify", ErrorType.PERMISSION,
        "Resource not accessible by integration", 403, "statuses=write",
    )  # fmt: skip
    port, stream = FakePort(fail=refused), io.StringIO()
    pub = publication.start(settings(), CTX, Runner(stream=stream), lambda: port, SHA)
    publication.finish(pub, State.SUCCESS, "ok")
    assert len(port.calls) == 1  # the result is not attempted after a refusal
    out = stream.getvalue()
    assert out.count("::warning") == 1
    assert "permissions: statuses: write" in out
    assert "HTTP 403" in out


@dataclass
class FlakyPort(FakePort):
    """The pending write fails as retries could not mend; the result's write works."""

    def create_status(self, target: Target, state: str, description: str) -> None:
        self.calls.append(("status", target, state, description))
        if state == State.PENDING:
            raise ApiError("publish the commit status", ErrorType.TRANSIENT, "Bad Gateway", 502)


def test_a_failure_that_is_no_refusal_still_lets_the_result_be_written() -> None:
    """Had the pending write landed with its answer lost, stopping here would leave a pending
    status for ever."""
    port, stream = FlakyPort(), io.StringIO()
    pub = publication.start(settings(), CTX, Runner(stream=stream), lambda: port, SHA)
    publication.finish(pub, State.SUCCESS, "ok")
    assert [call[2] for call in port.calls] == [State.PENDING, State.SUCCESS]
    out = stream.getvalue()
    assert out.count("::warning") == 1
    assert "HTTP 502" in out
    assert "permissions:" not in out  # a 502 is no missing permission


def test_an_unexpected_failure_is_a_warning_too() -> None:
    def broken() -> FakePort:
        raise RuntimeError("boom")

    stream = io.StringIO()
    pub = publication.start(settings(), CTX, Runner(stream=stream), broken, SHA)
    publication.finish(pub, State.SUCCESS, "ok")
    assert stream.getvalue().count("::warning") == 1


def test_invalid_publish_input_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="invalid input publish: 'status'"):
        settings(publish="status")


def test_real_writer_403_under_responses_only_warns() -> None:
    ctx = RunContext(repository="octo/hello", run_id="42", api_url="https://api.github.com")
    stream = io.StringIO()
    url = f"https://api.github.com:443/repos/octo/hello/statuses/{SHA}"
    with responses.RequestsMock() as api:
        api.post(
            url,
            json={"message": "Resource not accessible by integration"},
            status=403,
            headers={"X-Accepted-GitHub-Permissions": "statuses=write"},
        )
        pub = publication.start(settings(), ctx, Runner(stream=stream), sha=SHA)
        publication.finish(pub, State.SUCCESS, "ok")
        assert len(api.calls) == 1
    assert "permissions: statuses: write" in stream.getvalue()


@pytest.mark.parametrize("mode", ["commit-status", "check-run"])
def test_a_command_that_dies_leaves_no_pending_status(mode: str) -> None:
    port = FakePort()
    run_settings = settings(publish=mode)
    pub = publication.start(run_settings, CTX, Runner(), lambda: port, SHA)
    assert run_settings.pending == [pub]  # the run's own list: no process-wide state
    publication.abandon(run_settings.pending, "internal error (RuntimeError: boom): blocked")
    why = "verify: internal error (RuntimeError: boom): blocked"
    if mode == "commit-status":
        assert [(c[0], c[2], c[3]) for c in port.calls] == [
            ("status", State.PENDING, "verify: running"),
            ("status", State.ERROR, why),
        ]
    else:
        assert port.calls[-1][:2] == ("complete", 9)
        assert port.calls[-1][3]["title"] == why
    assert run_settings.pending == []


def test_only_what_is_still_pending_is_abandoned() -> None:
    done, refused = FakePort(), FakePort(fail=ApiError("w", ErrorType.PERMISSION, "no", 403))
    run_settings = settings()
    finished = publication.start(run_settings, CTX, Runner(), lambda: done, SHA)
    publication.finish(finished, State.SUCCESS, "verify: 1 of 1 criteria passed")
    publication.start(run_settings, CTX, Runner(stream=io.StringIO()), lambda: refused, SHA)
    publication.start(run_settings, CTX, Runner(), lambda: FakePort())  # no commit: not pending
    assert run_settings.pending == []
    publication.abandon(run_settings.pending, "cancelled")
    assert len(done.calls) == 2 and len(refused.calls) == 1


def test_the_cli_ends_a_pending_status_as_an_error_when_the_command_crashes(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from applygate import cli
    from applygate.commands import verify

    def crash(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(verify, "verify_and_report", crash)
    (tmp_path / "verify.yml").write_text("version: 1\ncriteria:\n  - {name: a, run: 'true'}\n")
    env = {
        "GITHUB_REPOSITORY": "octo/hello",
        "GITHUB_SHA": SHA,
        "GITHUB_WORKSPACE": str(tmp_path),
        "INPUT_TOKEN": "ghs_crashToken1",
        "INPUT_CRITERIA": "verify.yml",
        "APPLYGATE_WRITE_INTERVAL_SECONDS": "0",
    }
    url = f"{API}/repos/octo/hello/statuses/{SHA}"
    with responses.RequestsMock() as api:
        api.post(url, json={}, status=201)
        assert cli.main(["verify"], env) == 1
        sent = [responses_json(call) for call in api.calls]
    assert [body["state"] for body in sent] == ["pending", "error"]
    assert sent[1]["description"] == "verify: internal error (RuntimeError: boom): blocked"


def responses_json(call: Any) -> dict[str, Any]:
    import json

    loaded: dict[str, Any] = json.loads(call.request.body)
    return loaded
