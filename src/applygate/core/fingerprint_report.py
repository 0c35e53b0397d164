"""What ``applygate fingerprint`` found, as the job summary, the status description and the
console line: strings over one plain record."""

from __future__ import annotations

from dataclasses import dataclass

from applygate.core.durations import format_duration
from applygate.core.fingerprint import PlanOutcome
from applygate.core.markdown import cell, code_cell
from applygate.core.status import fenced


@dataclass(frozen=True, kw_only=True)
class FingerprintResult:
    command: str  # the dry-run as run (redacted)
    outcome: PlanOutcome
    exit_code: int | None  # None: killed for taking too long
    duration: float
    value: str = ""  # the fingerprint; empty when there is none
    reason: str = ""  # why there is none
    output: str = ""  # the end of the dry-run's output when there is none (redacted, trimmed)
    sha: str = ""  # the commit the plan was made on, when known
    ignores: int = 0  # user ignore regexes, on top of the defaults

    @property
    def recorded(self) -> bool:
        return bool(self.value)


def describe(result: FingerprintResult) -> str:
    """One line for a commit status or a check run title."""
    if result.recorded:
        return f"plan fingerprint {result.value[:12]} ({result.outcome})"
    return f"no fingerprint: {result.reason}"


def render_console(result: FingerprintResult) -> str:
    exit_code = "none" if result.exit_code is None else str(result.exit_code)
    return f"plan-fingerprint: {result.value} ({result.outcome}, exit {exit_code})"


def render_summary(result: FingerprintResult) -> str:
    """The job summary: a table of what was fingerprinted and the verdict, and when there is no
    fingerprint the reason and the end of the dry-run's output."""
    exit_code = "killed (timeout)" if result.exit_code is None else str(result.exit_code)
    verdict = "recorded" if result.recorded else "none"
    rows = [
        ("Fingerprint", f"`{result.value}`" if result.recorded else "none"),
        ("Plan", cell(str(result.outcome))),
        ("Dry-run", f"`{code_cell(result.command)}`"),
        ("Exit code", exit_code),
        ("Duration", format_duration(result.duration)),
        ("Commit", f"`{result.sha}`" if result.sha else "unknown"),
        ("Ignore regexes", f"defaults + {result.ignores}" if result.ignores else "defaults"),
    ]
    if not result.recorded:
        rows.insert(1, ("Reason", cell(result.reason)))
    table = "\n".join(f"| {name} | {text} |" for name, text in rows)
    parts = [f"## applygate fingerprint: {verdict}\n", "| | |\n|---|---|\n" + table + "\n"]
    if not result.recorded and result.output:
        parts.append(
            "**Error Message** (the end of the dry-run's output)\n\n" + fenced(result.output)
        )
    return "\n".join(parts)
