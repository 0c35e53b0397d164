"""``applygate fingerprint -- <dry-run command>``: run the dry-run and record its plan fingerprint.

Run it in the plan job; pass the ``plan-fingerprint`` output to ``preflight`` in the apply job,
which re-runs the same dry-run and blocks if the fingerprint changed. The command comes after
``--`` or from the ``dry-run`` input (the action passes no arguments).
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import Path

from applygate.adapters.process import ProcessResult, run_shell
from applygate.adapters.runner import Runner
from applygate.commands.preflight_inputs import env_names, ignores, warn_unredacted
from applygate.context import RunContext
from applygate.core.classify import ended
from applygate.core.durations import format_duration
from applygate.core.fingerprint import EMPTY, PlanHasher, PlanOutcome, plan_outcome
from applygate.core.redact import Redactor
from applygate.core.status import trim_output
from applygate.errors import UsageError
from applygate.inputs import duration, token


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
    command = command_line(raw, args)
    patterns = ignores(raw)
    secret = token(raw, environ)
    redact = Redactor.of([secret, *(environ.get(name, "") for name in env_names(raw, "mask"))])
    ctx = RunContext.from_environ(environ)
    runner = Runner.of(ctx)
    warn_unredacted(runner, env_names(raw, "mask"), environ)
    runner.mask(secret)
    timeout = duration(raw, "command-timeout", "30m")
    cwd = str(Path(ctx.workspace or ".").resolve())
    plan = PlanHasher(patterns)  # stdout is hashed as it arrives, not kept
    result = run_shell(
        command,
        cwd=cwd,
        env=environ,
        timeout=timeout,
        redact=redact,
        on_line=lambda _stream, line: runner.print(line),
        on_stdout=plan.add,
    )
    outcome = plan_outcome(None if result.timed_out else result.exit_code)
    if outcome is PlanOutcome.ERROR or result.outlived:
        runner.annotate(
            "error",
            f"the dry-run {_how(result, timeout)}: no fingerprint\n" + trim_output(result.output),
            "applygate fingerprint",
        )
        return 1
    value = plan.hexdigest()
    if value == EMPTY:  # it would match every other empty output, whatever the plan
        runner.annotate(
            "error",
            "the dry-run printed nothing on stdout that is not noise: no fingerprint (a plan "
            "printed on stderr, or ignore regexes that match every line?)",
            "applygate fingerprint",
        )
        return 1
    runner.print(f"plan-fingerprint: {value} ({outcome}, exit {result.exit_code})")
    runner.set_outputs({"plan-fingerprint": value})
    runner.add_summary(f"## applygate fingerprint\n\nPlan ({outcome}): `{value}`\n")
    return 0


def _how(result: ProcessResult, timeout: float) -> str:
    """How a dry-run that gives no fingerprint ended, for the annotation."""
    if result.timed_out:
        return f"was killed after {format_duration(timeout)} (input command-timeout)"
    if result.outlived:
        return "left a process running outside its process group (its output may be cut short)"
    return ended(result.exit_code)
