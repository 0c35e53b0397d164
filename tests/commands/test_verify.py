"""The verify command's glue: inputs, the in-process API with a fake probe, publishing as a check
run, and usage errors through the CLI (exit 2, one line)."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from applygate import cli
from applygate.adapters.runner import Runner
from applygate.commands import verify as cmd
from applygate.context import RunContext
from applygate.core.approval import Submission
from applygate.core.criteria import HttpCheck, RunCheck, parse_criteria
from applygate.core.expect import Observation
from applygate.core.publish import Target
from applygate.core.verification import VerifySettings
from applygate.errors import UsageError
from applygate.flows import publication
from applygate.flows.criteria_run import Clock
from applygate.flows.criteria_run import verify as run_verify
from applygate.inputs.publishing import settings
from applygate.inputs.verify import VerifyInputs

SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
CRITERIA = parse_criteria(
    "version: 1\ncriteria:\n"
    "  - {name: up, run: 'probe up', retries: 2, interval: 1s}\n"
    "  - {name: web, http: {url: 'http://h/'}}\n",
    "verify.yml",
)


@dataclass
class FakeProbe:
    """Answers from a script per command or URL; records each call."""

    answers: dict[str, list[Observation]]
    calls: list[tuple[str, float]] = field(default_factory=list)

    def __call__(self, check: RunCheck | HttpCheck, timeout: float) -> Observation:
        key = check.command if isinstance(check, RunCheck) else check.url
        self.calls.append((key, timeout))
        queue = self.answers[key]
        return queue.pop(0) if len(queue) > 1 else queue[0]


@dataclass
class FakeClock:
    now: float = 100.0
    slept: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        self.now += 0.5
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_in_process_api_retries_with_the_interval_and_reports() -> None:
    probe = FakeProbe(
        {
            "probe up": [Observation(exit_code=1), Observation(exit_code=0)],
            "http://h/": [Observation(status=200)],
        }
    )
    clock = FakeClock()
    lines: list[str] = []
    settings = VerifySettings(max_parallel=1, sha=SHA, branch="main")
    outcome = run_verify(
        CRITERIA, settings, probe, lines.append, Clock(clock.monotonic, clock.sleep)
    )
    assert outcome.passed
    assert probe.calls == [("probe up", 60.0), ("probe up", 60.0), ("http://h/", 60.0)]
    assert clock.slept == [1.0]
    assert lines[0] == "up: attempt 1/3 failed (exit 1); retrying in 1s"
    report = outcome.report()
    assert (report["sha"], report["branch"], report["plan-status"]) == (SHA, "main", "COMPLETE")
    assert report["criteria"][0]["attempts"][1]["start"] == 2.5


def test_a_probe_that_raises_fails_its_criterion_and_not_the_others() -> None:
    def probe(check: RunCheck | HttpCheck, timeout: float) -> Observation:
        if isinstance(check, RunCheck):
            raise FileNotFoundError("bash")
        return Observation(status=200)

    no_wait = Clock(sleep=lambda _s: None)
    outcome = run_verify(CRITERIA, VerifySettings(), probe, clock=no_wait)
    assert outcome.result.failed_names == ("up",)
    assert outcome.result.passed_names == ("web",)
    mismatch = outcome.result.results[0].attempts[0].mismatches[0]
    assert mismatch == "expected exit code 0, got none: FileNotFoundError: bash"


@dataclass
class FakePort:
    calls: list[tuple[Any, ...]] = field(default_factory=list)

    def create_status(self, target: Target, state: str, description: str) -> None:
        self.calls.append(("status", state, description))

    def create_check_run(
        self, target: Target, status: str, output: dict[str, str] | None, conclusion: str = ""
    ) -> int:
        self.calls.append(("check", target.context, status))
        return 7

    def complete_check_run(
        self, check_run_id: int, conclusion: str, output: dict[str, str]
    ) -> None:
        self.calls.append(
            ("complete", check_run_id, conclusion, output["title"], output["summary"])
        )

    def add_reaction(self, comment_id: int, content: str) -> None:
        raise AssertionError("verify does not react")

    def find_comment(self, number: int, mark: str) -> int | None:
        raise AssertionError("verify does not comment")

    def pick_comment(self, comments: Sequence[Submission], mark: str) -> int | None:
        raise AssertionError("verify does not comment")

    def create_comment(self, number: int, body: str) -> int:
        raise AssertionError("verify does not comment")

    def update_comment(self, comment_id: int, body: str) -> None:
        raise AssertionError("verify does not comment")


def test_run_publishes_a_check_run_with_the_report(tmp_path: Path) -> None:
    probe = FakeProbe(
        {"probe up": [Observation(exit_code=2)], "http://h/": [Observation(status=200)]}
    )
    port, stream = FakePort(), io.StringIO()
    runner = Runner(stream=stream)
    ctx = RunContext(repository="octo/hello", run_id="1")
    raw = {"token": "ghs_x", "publish": "check-run", "status-context": "gate/verify"}
    published = publication.start(settings("verify", raw, {}), ctx, runner, lambda: port, SHA)
    code = cmd.verify_and_report(
        CRITERIA,
        VerifySettings(sha=SHA),
        probe,
        runner,
        published,
        {"RUNNER_TEMP": str(tmp_path)},
        Clock(sleep=lambda _s: None),
    )
    assert code == 1
    assert port.calls[0] == ("check", "gate/verify", "in_progress")
    kind, run_id, conclusion, title, summary = port.calls[1]
    assert (kind, run_id, conclusion) == ("complete", 7, "failure")
    assert title == "verify: 1 of 2 criteria failed: up"
    assert "| Error Type | Validation |" in summary
    (written,) = tmp_path.glob("applygate-verify-*.json")
    report = json.loads(written.read_text())
    assert [len(c["attempts"]) for c in report["criteria"]] == [3, 1]
    assert stream.getvalue().rstrip().endswith("PLAN_STATUS: BLOCKED")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"max-parallel": "0"}, "invalid input max-parallel: '0' is not a positive integer"),
        ({"sha": "abc"}, "invalid input sha: 'abc' is not a full commit SHA"),
        ({"mask": "not a name"}, "invalid input mask: 'not a name' is not an environment variable"),
    ],
)
def test_invalid_inputs(raw: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        VerifyInputs.from_raw(raw, {})


def test_inputs_defaults() -> None:
    inputs = VerifyInputs.from_raw({}, {"GITHUB_TOKEN": "ghs_env"})
    assert inputs.criteria == ".github/applygate/verify.yml"
    assert inputs.settings == VerifySettings(max_parallel=4, rollback_status="not attempted")
    assert inputs.token == "ghs_env"
    assert "ghs_env" not in repr(inputs)


def test_cli_usage_errors_are_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {"GITHUB_WORKSPACE": str(tmp_path)}
    assert cli.main(["verify", "--", "extra"], env) == 2
    assert cli.main(["verify", "--criteria", "missing.yml"], env) == 2
    (tmp_path / "bad.yml").write_text("version: 1\ncriteria: []\n")
    assert cli.main(["verify", "--criteria", "bad.yml"], env) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "applygate: error: verify takes no command after '--' (got 'extra')",
        "applygate: error: input criteria: missing.yml cannot be read (No such file or directory)",
        'applygate: error: bad.yml: key "criteria": must be a non-empty list (no criteria proves '
        "nothing)",
    ]
