"""``applygate fingerprint -- <dry-run command>``: run the dry-run and record its plan fingerprint.

Run it in the plan job; pass the ``plan-fingerprint`` output to ``preflight`` in the apply job,
which re-runs the same dry-run and blocks if the fingerprint changed. The command comes after
``--`` or from the ``dry-run`` input (the action passes no arguments).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from applygate.adapters.process import ProcessResult, run_shell
from applygate.adapters.runner import Runner
from applygate.context import RunContext
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
from applygate.errors import UsageError
from applygate.flows import publication
from applygate.inputs.fields import duration, parse_sha, token
from applygate.inputs.preflight import env_names, ignores, warn_unredacted


def command_line(raw: Mapping[str, str], args: list[str]) -> str:
    """The dry-run as a shell command: one argument is taken as shell text, several are quoted."""
    given = raw.get("dry-run", "").strip()
    if args and given:
        raise UsageError("give the dry-run command either after '--' or as input dry-run, not both")
    if args:
        return args[0] if len(args) == 1 else shlex.join(args)
    if not given:
        raise UsageError("no dry-run command: use 'applygate fingerprint -- <command>'")
    return given


def main(raw: Mapping[str, str], environ: Mapping[str, str], args: list[str]) -> int:
    from applygate.event import load_event

    command = command_line(raw, args)
    patterns = ignores(raw)
    secret = token(raw, environ)
    names = env_names(raw, "mask")
    redact = Redactor.of([secret, *(environ.get(name, "") for name in ("GITHUB_TOKEN", *names))])
    timeout = duration(raw, "command-timeout", "30m")
    sha_input = parse_sha(raw.get("sha", ""))
    publishing = publication.settings("fingerprint", raw, environ)
    ctx = RunContext.from_environ(environ)
    event = load_event(ctx.event_name, ctx.event_path) if ctx.event_name else None
    runner = Runner.of(ctx)
    warn_unredacted(runner, names, environ)
    runner.mask(secret)
    cwd = Path(ctx.workspace or ".").resolve()
    published = publication.start(publishing, ctx, runner)
    sha = ""
    if published.active:  # the commit is read only when something is published on it
        sha = sha_input or _head(cwd, environ) or publication.commit(None, ctx, event) or ""
        publication.begin(published, sha)
    result = fingerprint(command, patterns, timeout, cwd, environ, redact, runner)
    result = replace(
        result, sha=sha or sha_input or "", ignores=len(patterns) - len(DEFAULT_IGNORE)
    )
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
        runner.annotate("error", f"{text}\n{result.output}".rstrip(), "applygate fingerprint")
        return 1
    runner.print(render_console(result))
    runner.set_outputs({"plan-fingerprint": result.value})
    return 0


def _head(cwd: Path, environ: Mapping[str, str]) -> str | None:
    """The checked-out commit the plan is made on, or None without a readable repository."""
    from applygate.adapters.git import GitError, GitRepo

    try:
        return GitRepo(cwd, environ).head().sha
    except (GitError, UsageError):
        return None


def _how(result: ProcessResult, timeout: float) -> str:
    """How a dry-run that gives no fingerprint ended, for the annotation."""
    if result.timed_out:
        return f"was killed after {format_duration(timeout)} (input command-timeout)"
    if result.outlived:
        return "left a process running outside its process group (its output may be cut short)"
    return ended(result.exit_code)
