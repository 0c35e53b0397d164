"""Running verification criteria: every one, at most ``max_parallel`` at once, each with its own
retries, interval and timeout. The attempt results go to the pure core; this module only runs
things, waits and tells the time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from applygate.adapters import report_file
from applygate.adapters.config_file import read_config
from applygate.adapters.process import run_shell
from applygate.adapters.runner import Runner
from applygate.core.criteria import (
    CriteriaFile,
    Criterion,
    HttpCheck,
    RunCheck,
    parse_criteria,
)
from applygate.core.criteria_fields import CriteriaError
from applygate.core.expect import Observation, mismatches
from applygate.core.redact import Redactor
from applygate.core.verification import (
    Attempt,
    CriterionResult,
    Subject,
    VerifyResult,
    VerifySettings,
    progress_line,
    report_data,
)
from applygate.errors import UsageError

# Runs one attempt of a check under a timeout (seconds) and says what it saw. Never raises for the
# check's own failure.
Probe = Callable[[RunCheck | HttpCheck, float], Observation]
# Receives one progress line per attempt (from several threads: the receiver need not lock).
Progress = Callable[[str], None]


def real_probe(cwd: str, environ: Mapping[str, str], redact: Redactor) -> Probe:
    """Commands with run_shell (bash, stdin closed, process-group kill); requests with urllib."""

    def probe(check: RunCheck | HttpCheck, timeout: float) -> Observation:
        if isinstance(check, HttpCheck):
            # urllib brings http.client, email and ssl: only for files with HTTP criteria.
            from applygate.adapters.http_probe import fetch

            return fetch(check, timeout, redact)
        done = run_shell(check.command, cwd=cwd, env=environ, timeout=timeout, redact=redact)
        return Observation(
            exit_code=done.exit_code,
            timed_out=done.timed_out,
            text=done.stdout,
            text_tail=done.stdout_tail,
            text_dropped=done.stdout_dropped,
            output=done.output,
            timeout=timeout,
        )

    return probe


@dataclass(frozen=True)
class Clock:
    """The time sources, replaceable in tests and benchmarks."""

    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


def run_all(
    criteria: CriteriaFile,
    max_parallel: int,
    probe: Probe,
    progress: Progress,
    clock: Clock,
    redact: Redactor | None = None,
) -> tuple[CriterionResult, ...]:
    """Every criterion's attempts, in the file's order, whatever fails. ``redact`` also goes
    over the mismatches: a JSON body can spell a secret in escapes (``\\u0068unter2``) that
    the probe's redaction of the raw body cannot see, and decoding it for a comparison spells
    it out."""
    scrub = redact or Redactor()
    origin = clock.monotonic()
    lock = threading.Lock()

    def tell(line: str) -> None:
        with lock:
            progress(line)

    def one(criterion: Criterion) -> CriterionResult:
        return attempts(criterion, probe, tell, clock, origin, scrub)

    workers = max(1, min(max_parallel, len(criteria.criteria)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="applygate-verify") as pool:
        return tuple(pool.map(one, criteria.criteria))


def attempts(
    criterion: Criterion,
    probe: Probe,
    progress: Progress,
    clock: Clock,
    origin: float,
    redact: Redactor | None = None,
) -> CriterionResult:
    """Attempt until one meets every expectation or the retries are spent."""
    done: list[Attempt] = []
    for number in range(1, criterion.attempts + 1):
        start = clock.monotonic()
        seen = _observe(probe, criterion)
        attempt = Attempt(
            number=number,
            start=start - origin,
            duration=clock.monotonic() - start,
            # what the expectations read (megabytes of stdout, maybe) is not kept once judged
            observation=replace(seen, text="", text_tail=""),
            mismatches=tuple(map(redact or Redactor(), mismatches(criterion.check, seen))),
        )
        done.append(attempt)
        last = attempt.matched or number == criterion.attempts
        progress(progress_line(criterion, attempt, None if last else criterion.interval))
        if last:
            break
        clock.sleep(criterion.interval)
    return CriterionResult(criterion, tuple(done))


def _observe(probe: Probe, criterion: Criterion) -> Observation:
    """The probe's observation; if the probe itself fails (bash missing, say), that attempt
    failed with the reason: fail closed, never crash the other criteria."""
    try:
        return probe(criterion.check, criterion.timeout)
    except Exception as error:
        return Observation(error=f"{type(error).__name__}: {error}", timeout=criterion.timeout)


@dataclass(frozen=True)
class VerifyOutcome:
    result: VerifyResult
    started_at: str  # ISO 8601, UTC

    @property
    def passed(self) -> bool:
        return self.result.passed

    def report(self) -> dict[str, Any]:
        """The JSON report: every attempt of every criterion."""
        return report_data(self.result, self.started_at)


def verify(
    criteria: CriteriaFile,
    settings: VerifySettings,
    probe: Probe,
    progress: Progress = lambda _line: None,
    clock: Clock | None = None,
    redact: Redactor | None = None,
) -> VerifyOutcome:
    """Run every criterion of ``criteria`` and return the results; prints nothing itself.

    ``probe(check, timeout) -> Observation`` runs one attempt (``real_probe(cwd, environ,
    redactor)`` for real commands and requests); ``progress(line)`` receives one line per
    attempt, never two at once. Blocks until every criterion passed or spent its retries.
    """
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    results = run_all(criteria, settings.max_parallel, probe, progress, clock or Clock(), redact)
    subject = Subject(criteria.source, settings.sha, settings.branch)
    return VerifyOutcome(VerifyResult(subject, results, settings.rollback_status), started_at)


def load(path: Path, shown: str, name: str = "criteria") -> CriteriaFile:
    """The criteria file at ``path`` (``shown`` names it in messages), or UsageError (exit 2)."""
    text = read_config(path, f"input {name}: {shown}")
    try:
        return parse_criteria(text, shown)
    except CriteriaError as error:
        raise UsageError(str(error)) from None


def save_report(outcome: VerifyOutcome, runner: Runner, environ: Mapping[str, str]) -> str:
    """The JSON report with every attempt, written for the job's later steps; its path."""
    return report_file.save("verify", outcome.report(), environ, runner)
