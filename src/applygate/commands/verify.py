"""``applygate verify``: run the verification criteria; only their passing proves the desired state.

Every criterion runs (concurrently, ``max-parallel`` at once), each with its own retries, interval
and timeout; one progress line per attempt. All pass: the completion report and
``PLAN_STATUS: COMPLETE``, exit 0. Any fails: an error report per failed criterion and
``PLAN_STATUS: BLOCKED``, exit 1. A bad criteria file: exit 2 naming the file, criterion and key.

In-process use (``execute`` verifies right after applying)::

    criteria = verify.load(workspace / name, name)         # CriteriaFile; UsageError if invalid
    probe = verify.real_probe(str(workspace), environ, redactor)
    settings = verify.VerifySettings(max_parallel=4, rollback_status="not attempted",
                                     sha=sha, branch=branch)
    outcome = verify.verify(criteria, settings, probe, runner.print)   # VerifyOutcome, no output
    report = verify.save_report(outcome, runner, environ)  # the JSON report's path
    code = verify.publish(outcome, runner, report)  # reports, outputs: 0/1

``outcome.passed``, ``outcome.result`` (core.verification.VerifyResult: per-criterion attempts,
``plan_status``, ``passed_names``, ``failed_names``) and ``outcome.report()`` (the JSON report)
are data; ``core.verification.error_report(result, rollback_status)`` gives a failure's
ErrorReport. ``run(...)`` does the same and also publishes the commit status or check run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from applygate.adapters import report_file
from applygate.adapters.config_file import read_config
from applygate.adapters.runner import Runner
from applygate.commands import _publishing
from applygate.commands._verifying import Clock, Probe, Progress, real_probe, run_all
from applygate.commands.preflight_inputs import env_names, warn_unredacted
from applygate.context import RunContext
from applygate.core import verification_report
from applygate.core.criteria import CriteriaFile, parse_criteria
from applygate.core.criteria_fields import CriteriaError
from applygate.core.publish import State
from applygate.core.redact import Redactor
from applygate.core.verification import Subject, VerifyResult, outputs, report_data, status_summary
from applygate.errors import UsageError
from applygate.event import EventContext, untrusted_workflow_warning
from applygate.inputs import parse_sha, positive_int, token, value

DEFAULT_CRITERIA = ".github/applygate/verify.yml"


@dataclass(frozen=True, kw_only=True)
class VerifySettings:
    """How to verify, beyond the criteria: concurrency, and what the reports say."""

    max_parallel: int = 4
    rollback_status: str = "not attempted"
    sha: str = ""  # the commit verified, for the reports
    branch: str = ""


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


def load(path: Path, shown: str) -> CriteriaFile:
    """The criteria file at ``path`` (``shown`` names it in messages), or UsageError (exit 2)."""
    text = read_config(path, f"input criteria: {shown}")
    try:
        return parse_criteria(text, shown)
    except CriteriaError as error:
        raise UsageError(str(error)) from None


@dataclass(frozen=True, kw_only=True)
class VerifyInputs:
    token: str = field(repr=False)
    criteria: str
    settings: VerifySettings
    mask: tuple[str, ...] = ()

    @classmethod
    def from_raw(cls, raw: Mapping[str, str], environ: Mapping[str, str]) -> VerifyInputs:
        return cls(
            token=token(raw, environ),
            criteria=value(raw, "criteria", DEFAULT_CRITERIA),
            settings=VerifySettings(
                max_parallel=positive_int(raw, "max-parallel", 4),
                rollback_status=" ".join(value(raw, "rollback-status", "not attempted").split()),
                sha=parse_sha(raw.get("sha", "")) or "",
            ),
            mask=env_names(raw, "mask"),
        )

    def redactor(self, environ: Mapping[str, str]) -> Redactor:
        names = ("GITHUB_TOKEN", *self.mask)  # the token input does not replace it for criteria
        return Redactor.of([self.token, *(environ.get(name, "") for name in names)])


def main(raw: Mapping[str, str], environ: Mapping[str, str], args: list[str]) -> int:
    from applygate.event import load_event

    if args:
        raise UsageError(f"verify takes no command after '--' (got {' '.join(args)!r})")
    inputs = VerifyInputs.from_raw(raw, environ)
    ctx = RunContext.from_environ(environ)
    publishing = _publishing.settings("verify", raw, environ)
    workspace = Path(ctx.workspace or ".").resolve()
    criteria = load(workspace / inputs.criteria, inputs.criteria)
    event = load_event(ctx.event_name, ctx.event_path) if ctx.event_name else None
    runner = Runner.of(ctx)
    untrusted = untrusted_workflow_warning(ctx.event_name, "verify")
    if untrusted is not None:
        runner.annotate("warning", untrusted, "applygate verify: untrusted workflow")
    warn_unredacted(runner, inputs.mask, environ)
    redact = inputs.redactor(environ)
    for secret in (inputs.token, *(environ.get(name, "") for name in inputs.mask)):
        runner.mask(secret)
    probe = real_probe(str(workspace), environ, redact)
    publication = _publishing.start(publishing, ctx, runner, sha=_commit(inputs, ctx, event))
    settings = _settings(inputs, ctx, event)
    return run(criteria, settings, probe, runner, publication, environ, redact=redact)


def run(
    criteria: CriteriaFile,
    settings: VerifySettings,
    probe: Probe,
    runner: Runner,
    publication: _publishing.Publication | None,
    environ: Mapping[str, str],
    clock: Clock | None = None,
    redact: Redactor | None = None,
) -> int:
    """Verify, report, publish the result on the commit; the exit code."""
    runner.print(f"applygate verify: {len(criteria.criteria)} criteria from {criteria.source}")
    outcome = verify(criteria, settings, probe, runner.print, clock, redact)
    code = publish(outcome, runner, save_report(outcome, runner, environ))
    if publication is not None:
        state = State.SUCCESS if outcome.passed else State.FAILURE
        summary = verification_report.render_summary(outcome.result)
        _publishing.finish(publication, state, status_summary(outcome.result), summary)
    return code


def publish(outcome: VerifyOutcome, runner: Runner, report: str) -> int:
    """The reports (console, job summary), the outputs (``report``: the JSON report's path, from
    ``save_report``) and annotations; the exit code."""
    result = outcome.result
    if not result.passed:
        runner.annotate(
            "error",
            status_summary(result) + ": not complete",
            "applygate verify: blocked",
        )
    runner.print(verification_report.render_console(result))
    runner.set_outputs(outputs(result, report))
    runner.add_summary(verification_report.render_summary(result))
    return 0 if result.passed else 1


def save_report(outcome: VerifyOutcome, runner: Runner, environ: Mapping[str, str]) -> str:
    """The JSON report with every attempt, written for the job's later steps; its path."""
    return report_file.save("verify", outcome.report(), environ, runner)


def _commit(inputs: VerifyInputs, ctx: RunContext, event: EventContext | None) -> str | None:
    return _publishing.commit(inputs.settings.sha or None, ctx, event)


def _settings(inputs: VerifyInputs, ctx: RunContext, event: EventContext | None) -> VerifySettings:
    branch = (event.head_ref if event else None) or ctx.head_ref or ctx.ref_name
    sha = _commit(inputs, ctx, event) or ""
    return VerifySettings(
        max_parallel=inputs.settings.max_parallel,
        rollback_status=inputs.settings.rollback_status,
        sha=sha,
        branch=branch,
    )


__all__ = ["Clock", "Probe", "VerifyOutcome", "VerifySettings", "load", "real_probe", "verify"]
