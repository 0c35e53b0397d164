"""``applygate fingerprint -- <dry-run command>``: run the dry-run and record its plan fingerprint.

Run it in the plan job; pass the ``plan-fingerprint`` output to ``preflight`` in the apply job,
which re-runs the same dry-run and blocks if the fingerprint changed. The command comes after
``--`` or from the ``dry-run`` input (the action passes no arguments).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from applygate.adapters.process import ProcessResult, run_shell
from applygate.adapters.runner import Runner
from applygate.core.classify import ended
from applygate.core.durations import format_duration
from applygate.core.fingerprint import DEFAULT_IGNORE, EMPTY, PlanHasher, PlanOutcome, plan_outcome
from applygate.core.fingerprint_report import (
    FingerprintResult,
    describe,
    render_console,
    render_summary,
)
from applygate.core.publish import State
from applygate.core.redact import Redactor
from applygate.core.status import trim_output
from applygate.flows import publication
from applygate.flows.subject import subject_commit
from applygate.inputs.fingerprint import FingerprintInputs
from applygate.inputs.preflight import warn_unredacted
from applygate.job import Job


def run(inputs: FingerprintInputs, job: Job) -> int:
    ctx, runner, environ = job.ctx, job.runner, job.environ
    job.event()  # a missing or malformed event file is bad input, before anything runs
    redact = inputs.redactor(environ)
    warn_unredacted(runner, inputs.mask, environ)
    runner.mask(inputs.token)
    cwd = job.workspace.path
    published = publication.start(job.settings(), ctx, runner, job.publisher)
    sha = ""
    if published.active:  # the commit is read only when something is published on it
        sha = subject_commit("fingerprint", job, inputs.sha) or ""
        publication.begin(published, sha)
    result = fingerprint(
        inputs.command, inputs.patterns, inputs.timeout, cwd, environ, redact, runner
    )
    extra = len(inputs.patterns) - len(DEFAULT_IGNORE)
    result = replace(result, sha=sha or inputs.sha or "", ignores=extra)
    code = report(result, runner)
    state = State.SUCCESS if result.recorded else State.FAILURE
    publication.finish(published, state, describe(result), render_summary(result))
    return code


def fingerprint(
    command: str,
    patterns: tuple[re.Pattern[str], ...],
    timeout: float,
    cwd: Path,
    environ: Mapping[str, str],
    redact: Redactor,
    runner: Runner,
) -> FingerprintResult:
    """Run the dry-run, its stdout hashed as it arrives (not kept), and say what it gave."""
    plan = PlanHasher(patterns)
    result = run_shell(
        command,
        cwd=str(cwd),
        env=environ,
        timeout=timeout,
        redact=redact,
        on_line=lambda _stream, line: runner.print(line),
        on_stdout=plan.add,
    )
    outcome = plan_outcome(None if result.timed_out else result.exit_code)
    found = FingerprintResult(
        command=redact(command),
        outcome=outcome,
        exit_code=None if result.timed_out else result.exit_code,
        duration=result.duration,
    )
    if outcome is PlanOutcome.ERROR or result.outlived:
        why = f"the dry-run {_how(result, timeout)}"
        return replace(found, reason=why, output=trim_output(result.output))
    value = plan.hexdigest()
    if value == EMPTY:  # it would match every other empty output, whatever the plan
        why = (
            "the dry-run printed nothing on stdout that is not noise (a plan printed on stderr, "
            "or ignore regexes that match every line?)"
        )
        return replace(found, reason=why, output=trim_output(result.output))
    return replace(found, value=value)


def report(result: FingerprintResult, runner: Runner) -> int:
    """The console line or the error annotation, the output, the job summary; the exit code."""
    runner.add_summary(render_summary(result))
    if not result.recorded:
        text = f"{result.reason}: no fingerprint"
        # the dry-run's output was echoed line by line: locally it is not printed again
        runner.annotate("error", text, "applygate fingerprint", shown_above=result.output)
        return 1
    runner.print(render_console(result))
    runner.set_outputs({"plan-fingerprint": result.value})
    return 0


def _how(result: ProcessResult, timeout: float) -> str:
    """How a dry-run that gives no fingerprint ended, for the annotation."""
    if result.timed_out:
        return f"was killed after {format_duration(timeout)} (input command-timeout)"
    if result.outlived:
        return "left a process running outside its process group (its output may be cut short)"
    return ended(result.exit_code)
