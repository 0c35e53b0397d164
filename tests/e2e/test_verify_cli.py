"""The installed ``applygate verify`` as a workflow step runs it: real commands, a real loopback
HTTP server for the criteria, the GitHub API stand-in for the commit status branch protection
requires, real GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files and the JSON report."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from tests.support.cli import APPLYGATE, invoke
from tests.support.fake_github import FakeGitHub, json_of
from tests.support.http_site import Site

TOKEN = "ghs_e2eVerifyToken123"
MASKED = "hunter2-db-password"
REPO = "octo/hello"
SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
STATUSES = f"/repos/{REPO}/statuses/{SHA}"


def applygate(
    work: Path, env: dict[str, str], *args: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, str], str, dict[str, Any] | None]:
    """Run verify; its result, outputs, job summary and JSON report."""
    full = {
        **os.environ,
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(work),
        "GITHUB_REF_NAME": "main",
        "RUNNER_TEMP": str(work / "runner-temp"),
        "INPUT_COMMAND": "verify",
        "INPUT_TOKEN": TOKEN,
        "INPUT_PUBLISH": "none",
        **env,
    }
    done, outputs, summary = invoke(args, full, work / "run", cwd=work)
    report = Path(outputs["report"]) if "report" in outputs else None
    data = json.loads(report.read_text()) if report is not None else None
    return done, outputs, summary, data


def write_criteria(work: Path, body: str) -> None:
    folder = work / ".github" / "applygate"
    folder.mkdir(parents=True)
    (folder / "verify.yml").write_text(f"version: 1\ncriteria:\n{body}")


def github(api: FakeGitHub) -> dict[str, str]:
    api.add("POST", STATUSES, json_of("repos-create-commit-status.json"), 201)
    return {
        "GITHUB_API_URL": api.url,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_RUN_ID": "42",
        "INPUT_SHA": SHA,
        "INPUT_PUBLISH": "commit-status",
        "APPLYGATE_WRITE_INTERVAL_SECONDS": "0",
    }


def test_all_pass_complete_and_published(tmp_path: Path) -> None:
    counter = tmp_path / "count"
    eventually = (
        f"n=$(( $(cat {counter} 2>/dev/null || echo 0) + 1 )); echo $n > {counter}; [ $n -ge 3 ]"
    )
    with Site() as site, FakeGitHub() as api:
        site.answer("/healthz", (200, '{"status": "green"}'))
        write_criteria(
            tmp_path,
            f"  - {{name: rolled out, run: '{eventually}', retries: 4, interval: 10ms}}\n"
            f"  - name: api healthy\n    http: {{url: '{site.url}/healthz'}}\n"
            "    expect: {status: 200, json: {$.status: green}}\n",
        )
        done, outputs, summary, report = applygate(tmp_path, github(api))
    assert done.returncode == 0, done.stdout + done.stderr
    assert outputs["plan-status"] == "COMPLETE"
    assert outputs["passed"] == "rolled out,api healthy"
    assert outputs["failed"] == ""
    assert done.stdout.rstrip().endswith(
        "Verification: All criteria passed ✅\nPLAN_STATUS: COMPLETE"
    )
    assert "rolled out: attempt 2/5 failed (exit 1); retrying in 10ms\n" in done.stdout
    assert "rolled out: attempt 3/5 passed (exit 0)\n" in done.stdout
    assert f"Git: `{SHA}` on `main`" in summary
    assert "| rolled out | ✅ passed | 3/5 |" in summary
    assert report is not None
    assert [len(c["attempts"]) for c in report["criteria"]] == [3, 1]
    assert report["sha"] == SHA
    states = [(r.body["state"], r.body["context"]) for r in api.sent("POST", STATUSES)]
    assert states == [("pending", "applygate/verify"), ("success", "applygate/verify")]
    assert api.sent("POST", STATUSES)[1].body["description"] == "verify: 2 of 2 criteria passed"


def test_a_failure_blocks_with_the_error_report_and_a_failed_status(tmp_path: Path) -> None:
    write_criteria(
        tmp_path,
        "  - {name: locked, run: 'echo Error acquiring the state lock >&2; exit 1'}\n"
        "  - {name: fine, run: 'true'}\n",
    )
    with FakeGitHub() as api:
        env = {**github(api), "INPUT_ROLLBACK-STATUS": "reverted in abc1234"}
        done, outputs, summary, report = applygate(tmp_path, env)
    assert done.returncode == 1
    assert outputs["plan-status"] == "BLOCKED"
    assert (outputs["passed"], outputs["failed"]) == ("fine", "locked")
    assert "Error Type: State conflict" in done.stdout
    assert "Rollback Status: reverted in abc1234" in done.stdout
    assert done.stdout.rstrip().endswith("PLAN_STATUS: BLOCKED")
    assert "| Error Type | State conflict |" in summary
    assert report is not None and report["criteria"][0]["error"]["error-type"] == "State conflict"
    final = api.sent("POST", STATUSES)[-1].body
    assert (final["state"], final["description"]) == (
        "failure",
        "verify: 1 of 2 criteria failed: locked",
    )


def test_an_invalid_criteria_file_is_exit_2_naming_file_criterion_and_key(tmp_path: Path) -> None:
    write_criteria(tmp_path, "  - {name: a, run: 'true', interval: soon}\n")
    done, outputs, _, _ = applygate(tmp_path, {})
    assert done.returncode == 2
    assert done.stderr == (
        "applygate: error: .github/applygate/verify.yml: criterion 1 ('a'): key \"interval\": "
        "'soon' is not a duration (500ms, 30s, 2m, 1h; at most 168h)\n"
    )
    assert outputs == {}


def test_a_missing_criteria_file_is_exit_2(tmp_path: Path) -> None:
    done, _, _, _ = applygate(tmp_path, {}, "--criteria", "nope.yml")
    assert done.returncode == 2
    assert "input criteria: nope.yml cannot be read" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_token_and_masked_variables_never_reach_the_output(tmp_path: Path) -> None:
    write_criteria(
        tmp_path,
        "  - {name: leaky, run: 'echo \"$INPUT_TOKEN $DB_PASSWORD\"; exit 1'}\n",
    )
    env = {"DB_PASSWORD": MASKED, "INPUT_MASK": "DB_PASSWORD"}
    done, _, summary, report = applygate(tmp_path, env)
    assert done.returncode == 1
    assert f"::add-mask::{TOKEN}" in done.stdout
    assert f"::add-mask::{MASKED}" in done.stdout
    shown = done.stdout.replace(f"::add-mask::{TOKEN}", "").replace(f"::add-mask::{MASKED}", "")
    everything = shown + done.stderr + summary + json.dumps(report)
    assert "*** ***" in everything
    assert TOKEN not in everything
    assert MASKED not in everything


def test_a_secret_spelled_in_json_escapes_is_redacted_from_the_mismatch(tmp_path: Path) -> None:
    """The raw body holds no secret to redact; comparing the decoded value would spell it out."""
    escaped = "".join(f"\\u{ord(ch):04x}" for ch in MASKED)
    with Site() as site:
        site.answer("/config", (200, f'{{"password": "{escaped}", "ok": false}}'))
        write_criteria(
            tmp_path,
            f"  - name: config\n    http: {{url: '{site.url}/config'}}\n"
            "    expect: {json: {$.password: expected, $.ok: true}}\n",
        )
        env = {"DB_PASSWORD": MASKED, "INPUT_MASK": "DB_PASSWORD"}
        done, outputs, summary, report = applygate(tmp_path, env)
    assert done.returncode == 1
    assert outputs["failed"] == "config"
    shown = done.stdout.replace(f"::add-mask::{MASKED}", "")
    everything = shown + done.stderr + summary + json.dumps(report)
    assert 'expected $.password = "expected", got "***"' in shown
    assert "expected $.ok = true, got false" in shown
    assert MASKED not in everything


def test_a_secret_with_escaped_slashes_in_a_body_is_redacted_everywhere(tmp_path: Path) -> None:
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    with Site() as site:
        body = '{"key": "' + secret.replace("/", "\\/") + '", "ok": false}'
        site.answer("/config", (500, body))
        write_criteria(tmp_path, f"  - name: config\n    http: {{url: '{site.url}/config'}}\n")
        done, _, summary, report = applygate(tmp_path, {"AWS_KEY": secret, "INPUT_MASK": "AWS_KEY"})
    assert done.returncode == 1
    shown = done.stdout.replace(f"::add-mask::{secret}", "")
    everything = shown + done.stderr + summary + json.dumps(report)
    assert '"key": "***"' in shown  # the Error Message shows the body, redacted
    assert secret.replace("/", "\\/") not in everything
    assert secret not in everything


def test_progress_lines_are_live_while_other_criteria_still_run(tmp_path: Path) -> None:
    # "gate" passes only once the test has read "first"'s progress line from the pipe: if lines
    # were held back until the end (a buffered stdout), gate would spend its retries and fail.
    write_criteria(
        tmp_path,
        "  - {name: first, run: 'true'}\n"
        "  - {name: gate, run: 'test -f go', retries: 100, interval: 50ms}\n",
    )
    # A pipe, as the runner reads it, and no PYTHONUNBUFFERED: the CLI must flush by itself.
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
        "GITHUB_WORKSPACE": str(tmp_path),
        "RUNNER_TEMP": str(tmp_path),
        "INPUT_PUBLISH": "none",
    }
    argv = [APPLYGATE, "verify", "--max-parallel", "2"]
    with subprocess.Popen(
        argv, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True
    ) as proc:
        assert proc.stdout is not None
        seen = []
        for line in proc.stdout:
            seen.append(line.rstrip("\n"))
            if line.startswith("first: attempt 1/1 passed"):
                (tmp_path / "go").touch()
                break
        rest = proc.stdout.read()
        code = proc.wait(timeout=30)
    assert "first: attempt 1/1 passed (exit 0)" in seen
    assert code == 0, "\n".join(seen) + rest
    assert "gate: attempt " in rest


def test_a_long_stdout_is_checked_from_both_ends_and_never_passes_by_truncation(
    tmp_path: Path,
) -> None:
    # 8.4 MB of stdout: a little more than the 8 MiB kept (its first and last 4 MiB)
    # (not yes | head: yes dies of SIGPIPE, and under pipefail and -e that ends the command)
    printing = "echo FIRST; head -c 4200000 /dev/zero | tr '\\\\0' a; echo MIDDLE; "
    printing += "head -c 4200000 /dev/zero | tr '\\\\0' b; echo LAST"
    write_criteria(
        tmp_path,
        f'  - {{name: last, run: "{printing}", expect: {{stdout-contains: LAST}}}}\n'
        f'  - {{name: middle, run: "{printing}", expect: {{stdout-contains: MIDDLE}}}}\n'
        f'  - {{name: regex, run: "{printing}", expect: {{stdout-matches: "LAST$"}}}}\n',
    )
    done, outputs, _, report = applygate(tmp_path, {})
    assert done.returncode == 1, done.stderr
    assert (outputs["passed"], outputs["failed"]) == ("last", "middle,regex")
    assert (
        "middle: attempt 1/1 failed (exit 0: expected stdout to contain 'MIDDLE', it does not"
        " (only its first 4,194,304 and last 4,194,304 characters were kept, not the 11,410"
        " between them)); giving up\n" in done.stdout
    )
    assert "expected stdout to match 'LAST$', it could not be checked" in done.stdout
    assert report is not None
    assert len(json.dumps(report)) < 100_000  # the reports stay small too


@pytest.mark.parametrize(
    ("event_name", "warns"), [("pull_request", True), ("pull_request_target", False)]
)
def test_verify_in_a_pull_request_workflow_warns_that_it_proves_nothing(
    tmp_path: Path, event_name: str, warns: bool
) -> None:
    """pull_request runs the pull request's own workflow and criteria; pull_request_target the
    base branch's."""
    write_criteria(tmp_path, "  - {name: ok, run: 'true'}\n")
    event = tmp_path / "event.json"
    event.write_text(json.dumps(json_of("events/pull_request.opened.json")))
    env = {"GITHUB_EVENT_NAME": event_name, "GITHUB_EVENT_PATH": str(event)}
    done, outputs, _, _ = applygate(tmp_path, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert outputs["plan-status"] == "COMPLETE"  # a warning, not a verdict
    warning = f"::warning title=applygate verify%3A untrusted workflow::verify in a {event_name}"
    assert (warning in done.stdout) is warns
    assert ("untrusted workflow" in done.stdout) is warns
