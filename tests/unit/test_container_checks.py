"""The container test's own checks (tests/container) can fail: a check that never reports a
problem would let the container test pass whatever the image does. Cheap: no buildah here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

from tests.container.action_run import Result
from tests.container.scenarios import Fixture, _leaks, expect, last_status, log_line, report_file
from tests.support.outputs import parse_outputs

SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"


class StubFixture:
    """What the checks read of a Fixture: placeholders and the commit statuses posted."""

    def __init__(self, statuses: list[str]) -> None:
        self.posted = statuses

    def fill(self, text: str) -> str:
        return text.replace("{sha}", SHA)

    def statuses(self) -> list[str]:
        return self.posted


def fixture(*statuses: str) -> Fixture:
    return cast(Fixture, StubFixture(list(statuses)))


def result(code: int = 0, stdout: str = "", summary: str = "## ok", **outputs: str) -> Result:
    return Result(code, stdout, "", dict(outputs), summary, 0.1)


def test_outputs_are_read_as_the_runner_reads_them() -> None:
    text = "decision=approved\nreport<<ghadelim_1\nline one\nline=two\nghadelim_1\nsha=abc\n"
    assert parse_outputs(text) == {
        "decision": "approved",
        "report": "line one\nline=two",
        "sha": "abc",
    }


def test_expect_reports_each_difference() -> None:
    check = expect(0, decision="approved", sha="{sha}")
    assert check(result(decision="approved", sha=SHA), fixture()) == []
    assert check(result(1, decision="blocked", summary=" "), fixture()) == [
        "exit code 1, expected 0",
        "output decision='blocked', expected 'approved'",
        f"output sha=None, expected '{SHA}'",
        "nothing written to GITHUB_STEP_SUMMARY",
    ]


def test_last_status_log_line_and_report_file_can_fail(tmp_path: Path) -> None:
    assert last_status("success")(result(), fixture("pending", "success")) == []
    assert last_status("success")(result(), fixture("pending", "failure"))
    assert last_status("success")(result(), fixture())
    assert log_line("PLAN_STATUS: READY")(result(stdout="x\nPLAN_STATUS: READY\n"), fixture()) == []
    assert log_line("PLAN_STATUS: READY")(result(stdout="PLAN_STATUS: READY!"), fixture())
    report = tmp_path / "r.json"
    report.write_text(json.dumps({"version": 1}))
    assert report_file()(result(report=str(report)), fixture()) == []
    assert report_file()(result(), fixture())
    report.write_text("not json")
    assert report_file()(result(report=str(report)), fixture())


def test_a_leaked_token_is_seen_outside_add_mask() -> None:
    assert not _leaks("ghs_x", result(stdout="::add-mask::ghs_x\nfine"))
    assert _leaks("ghs_x", result(stdout="token ghs_x"))
    assert _leaks("ghs_x", result(summary="| ghs_x |"))
