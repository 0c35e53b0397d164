"""verify() with real processes and a real loopback HTTP server: retries, timeouts, concurrency,
classification and redaction, as ``execute`` will call it in-process."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import pytest
from tests.support.http_site import Site

from applygate.adapters.runner import Runner
from applygate.commands import verify as cmd
from applygate.core.classify import ErrorType
from applygate.core.criteria import CriteriaFile, parse_criteria
from applygate.core.redact import Redactor
from applygate.core.verification import VerifySettings, error_report
from applygate.flows.criteria_run import VerifyOutcome, real_probe, save_report
from applygate.flows.criteria_run import verify as run_verify

FAST = "interval: 10ms"


def criteria(body: str) -> CriteriaFile:
    return parse_criteria(f"version: 1\ncriteria:\n{body}", "verify.yml")


def run(
    body: str, cwd: Path, max_parallel: int = 4, secrets: tuple[str, ...] = ()
) -> tuple[VerifyOutcome, list[str]]:
    lines: list[str] = []
    probe = real_probe(str(cwd), dict(os.environ), Redactor.of(secrets))
    settings = VerifySettings(max_parallel=max_parallel)
    return run_verify(criteria(body), settings, probe, lines.append), lines


def test_pass(tmp_path: Path) -> None:
    outcome, lines = run(
        "  - {name: hello, run: 'echo hello; echo noise >&2', expect: {stdout-contains: hell}}\n",
        tmp_path,
    )
    assert outcome.passed
    (only,) = outcome.result.results
    assert len(only.attempts) == 1
    assert only.attempts[0].observation.exit_code == 0
    assert lines == ["hello: attempt 1/1 passed (exit 0)"]


def test_fail_spends_every_retry(tmp_path: Path) -> None:
    outcome, lines = run(f"  - {{name: broken, run: 'exit 3', retries: 2, {FAST}}}\n", tmp_path)
    assert not outcome.passed
    assert [a.observation.exit_code for a in outcome.result.results[0].attempts] == [3, 3, 3]
    assert lines == [
        "broken: attempt 1/3 failed (exit 3); retrying in 10ms",
        "broken: attempt 2/3 failed (exit 3); retrying in 10ms",
        "broken: attempt 3/3 failed (exit 3); giving up",
    ]


def test_fail_then_pass_on_the_third_attempt(tmp_path: Path) -> None:
    counter = tmp_path / "count"
    script = (
        f"n=$(( $(cat {counter} 2>/dev/null || echo 0) + 1 )); echo $n > {counter}; [ $n -ge 3 ]"
    )
    outcome, lines = run(
        f"  - {{name: eventually, run: '{script}', retries: 5, {FAST}}}\n", tmp_path
    )
    assert outcome.passed
    attempts = outcome.result.results[0].attempts
    assert [a.matched for a in attempts] == [False, False, True]
    assert counter.read_text().strip() == "3"
    assert [line.split(" (")[0] for line in lines] == [
        "eventually: attempt 1/6 failed",
        "eventually: attempt 2/6 failed",
        "eventually: attempt 3/6 passed",
    ]
    assert attempts[1].start >= attempts[0].start + attempts[0].duration + 0.01


def test_timeout_kills_the_child_process_tree(tmp_path: Path) -> None:
    pidfile = tmp_path / "child.pid"
    started = time.monotonic()
    outcome, lines = run(
        f"  - {{name: hangs, run: 'sleep 30 & echo $! > {pidfile}; wait', timeout: 200ms}}\n",
        tmp_path,
    )
    assert time.monotonic() - started < 10
    attempt = outcome.result.results[0].attempts[0]
    assert attempt.observation.timed_out
    assert "timed out" in lines[0]
    child = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not alive(child), "the grandchild survived the timeout"
    report = error_report(outcome.result.results[0], "not attempted")
    assert report.error_type is ErrorType.TRANSIENT


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_every_criterion_runs_when_the_first_fails(tmp_path: Path) -> None:
    body = "  - {name: first, run: 'exit 1'}\n" + "".join(
        f"  - {{name: c{n}, run: 'touch {tmp_path}/ran-{n}'}}\n" for n in range(4)
    )
    outcome, lines = run(body, tmp_path, max_parallel=1)
    assert outcome.result.failed_names == ("first",)
    assert outcome.result.passed_names == ("c0", "c1", "c2", "c3")
    assert sorted(p.name for p in tmp_path.glob("ran-*")) == [f"ran-{n}" for n in range(4)]
    assert len(lines) == 5


def test_concurrency_never_exceeds_max_parallel(tmp_path: Path) -> None:
    running = tmp_path / "running"
    running.mkdir()
    # Each command marks itself running, waits (bounded) for a partner, records how many it saw
    # running at once, then leaves. With max-parallel 2 the most ever seen must be exactly 2.
    script = (
        "touch running/$NAME; i=0; max=0; "
        "while [ $i -lt 40 ]; do f=(running/*); n=${#f[@]}; [ $n -gt $max ] && max=$n; "
        "[ $max -ge 3 ] && break; [ $n -ge 2 ] && [ $i -ge 5 ] && break; "
        "sleep 0.01; i=$((i+1)); done; echo $max > seen-$NAME; rm running/$NAME"
    )
    body = "".join(f"  - {{name: c{n}, run: 'NAME=c{n}; {script}'}}\n" for n in range(6))
    outcome, _ = run(body, tmp_path, max_parallel=2)
    assert outcome.passed
    seen = [int(p.read_text()) for p in tmp_path.glob("seen-*")]
    assert len(seen) == 6
    assert max(seen) == 2


def test_http_criteria_against_a_loopback_server(tmp_path: Path) -> None:
    with Site() as site:
        site.answer("/healthz", (503, "warming up"), (200, '{"status": "green", "n": [1, 2]}'))
        site.answer("/gone", (404, "no such thing"))
        body = (
            f"  - name: healthy\n    http: {{url: '{site.url}/healthz', headers: {{X-Probe: v}}}}\n"
            "    expect: {status: 200, body-contains: green, json: {$.status: green, n.1: 2}}\n"
            f"    retries: 3\n    {FAST}\n"
            f"  - {{name: gone, http: {{url: '{site.url}/gone'}}, expect: {{status: 200}}}}\n"
        )
        outcome, _ = run(body, tmp_path)
    healthy, gone = outcome.result.results
    assert healthy.passed
    assert [a.observation.status for a in healthy.attempts] == [503, 200]
    assert site.hits["/healthz"] == 2
    # Header names arrive as urllib spells them (X-probe): compare them case-insensitively.
    probes = [{k.lower(): v for k, v in h.items()}.get("x-probe") for h in site.headers]
    assert (len(probes), probes.count("v")) == (3, 2)  # both /healthz requests, not /gone
    assert not gone.passed
    assert gone.attempts[0].mismatches == ("expected status 200, got 404",)


def test_http_timeout_and_refused_connection(tmp_path: Path) -> None:
    with Site() as site:
        site.answer("/slow", (200, "late", 2.0))
        body = (
            f"  - {{name: slow, http: {{url: '{site.url}/slow'}}, timeout: 200ms}}\n"
            "  - {name: closed, http: {url: 'http://127.0.0.1:9/x'}}\n"
        )
        outcome, _ = run(body, tmp_path)
    slow, closed = outcome.result.results
    assert slow.attempts[0].observation.timed_out
    assert slow.attempts[0].duration < 1.5
    assert closed.attempts[0].observation.error == "connection refused"
    kinds = [error_report(r, "").error_type for r in outcome.result.results]
    assert kinds == [ErrorType.TRANSIENT, ErrorType.TRANSIENT]


CLASSIFIED = [
    ("state lock", "echo 'Error: Error acquiring the state lock' >&2; exit 1", "State conflict"),
    ("denied", "echo 'AccessDenied: User is not authorized' >&2; exit 254", "Permission"),
    ("network", "echo 'dial tcp: connection refused' >&2; exit 1", "Transient"),
    ("missing tool", "no-such-tool-xyz --version", "Validation"),
    ("wrong output", "echo nothing to see", "Validation"),
]


@pytest.mark.parametrize(
    ("command", "kind"), [c[1:] for c in CLASSIFIED], ids=[c[0] for c in CLASSIFIED]
)
def test_error_type_of_a_real_failure(tmp_path: Path, command: str, kind: str) -> None:
    body = f"  - name: c\n    run: {json.dumps(command)}\n    expect: {{stdout-contains: wanted}}\n"
    outcome, _ = run(body, tmp_path)
    assert error_report(outcome.result.results[0], "").error_type == kind


HTTP_CLASSIFIED = [
    (503, "Transient"),
    (429, "Transient"),
    (403, "Permission"),
    (409, "State conflict"),
    (422, "Validation"),
]


@pytest.mark.parametrize(("status", "kind"), HTTP_CLASSIFIED)
def test_error_type_of_a_real_http_failure(tmp_path: Path, status: int, kind: str) -> None:
    with Site() as site:
        site.answer("/x", (status, "{}"))
        outcome, _ = run(f"  - {{name: w, http: {{url: '{site.url}/x'}}}}\n", tmp_path)
    assert error_report(outcome.result.results[0], "").error_type == kind


def test_secrets_are_redacted_everywhere(tmp_path: Path) -> None:
    token, masked = "ghs_verifyToken123", "s3cr3t-password"
    command = f"echo token={token}; echo pw={masked} >&2; exit 1"
    with Site() as site:
        site.answer("/s", (500, f'{{"leak": "{masked}"}}'))
        body = (
            f"  - name: leaky\n    run: {json.dumps(command)}\n"
            f"  - {{name: web, http: {{url: '{site.url}/s'}}}}\n"
        )
        outcome, lines = run(body, tmp_path, secrets=(token, masked))
    stream = io.StringIO()
    runner = Runner(stream=stream)
    report = Path(save_report(outcome, runner, {"RUNNER_TEMP": str(tmp_path)}))
    assert cmd.publish(outcome, runner, str(report)) == 1
    everything = "\n".join([*lines, stream.getvalue(), report.read_text()])
    assert "token=***" in everything and "pw=***" in everything and '"leak": "***"' in everything
    assert token not in everything
    assert masked not in everything
