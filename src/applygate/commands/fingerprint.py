"""``applygate fingerprint -- <dry-run command>``: run the dry-run and record its plan fingerprint.

Run it in the plan job; pass the ``plan-fingerprint`` output to ``preflight`` in the apply job,
which re-runs the same dry-run and blocks if the fingerprint changed. The command comes after
``--`` or from the ``dry-run`` input (the action passes no arguments).
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import Path

from applygate.adapters.process import run_shell
from applygate.adapters.runner import Runner
from applygate.commands.preflight_inputs import env_names, ignores
from applygate.context import RunContext
from applygate.core.classify import ended
from applygate.core.durations import format_duration
from applygate.core.fingerprint import PlanHasher, PlanOutcome, plan_outcome
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
    if outcome is PlanOutcome.ERROR:
        how = (
            f"was killed after {format_duration(timeout)} (input command-timeout)"
            if result.timed_out
            else ended(result.exit_code)
        )
        runner.annotate(
            "error",
            f"the dry-run {how}: no fingerprint\n" + trim_output(result.output),
            "applygate fingerprint",
        )
        return 1
    value = plan.hexdigest()
    runner.print(f"plan-fingerprint: {value} ({outcome}, exit {result.exit_code})")
    runner.set_outputs({"plan-fingerprint": value})
    runner.add_summary(f"## applygate fingerprint\n\nPlan ({outcome}): `{value}`\n")
    return 0
