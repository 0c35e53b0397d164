"""A checklist result as the console report, the job summary, annotations and outputs: strings."""

from __future__ import annotations

from applygate.core.checklist_result import ChecklistResult, Verdict
from applygate.core.markdown import cell
from applygate.core.status import PlanStatus, status_line

MARKS = {Verdict.PASSED: "ok  ", Verdict.FAILED: "FAIL", Verdict.SKIPPED: "skip"}
ICONS = {Verdict.PASSED: "✅", Verdict.FAILED: "❌", Verdict.SKIPPED: "⏭️"}


def plan_status(result: ChecklistResult) -> PlanStatus:
    return PlanStatus.READY if result.ready else PlanStatus.BLOCKED


def outputs(result: ChecklistResult) -> dict[str, str]:
    return {"ready": "true" if result.ready else "false", "plan-status": plan_status(result)}


def describe(result: ChecklistResult) -> str:
    """One line for a commit status: how many checks passed, or which failed and the first why."""
    if result.ready:
        passed = sum(check.verdict is Verdict.PASSED for check in result.checks)
        return f"ready: {passed} of {len(result.checks)} checks passed"
    first = result.failed[0]
    more = f" (+{len(result.failed) - 1} more)" if len(result.failed) > 1 else ""
    return f"blocked: {first.name}: {first.found}{more}"


def error_annotations(result: ChecklistResult) -> list[tuple[str, str]]:
    """(title, message) of an error annotation per failed check."""
    return [
        (f"applygate preflight: {check.name}", f"{check.found}. Fix: {check.fix}")
        for check in result.failed
    ]


def tally(result: ChecklistResult) -> str:
    """What the checks came to, skipped ones counted apart: ``2 passed, 6 skipped, 0 failed``."""
    count = dict.fromkeys(Verdict, 0)
    for check in result.checks:
        count[check.verdict] += 1
    order = (Verdict.PASSED, Verdict.SKIPPED, Verdict.FAILED)
    return ", ".join(f"{count[verdict]} {verdict}" for verdict in order)


def render_console(result: ChecklistResult, status: bool = True, *, local: bool = False) -> str:
    """The console report; ``status=False`` leaves out the PLAN_STATUS line (execute prints the
    run's own when the checklist blocks it). ``local``: for a person at a terminal, the headline
    says how many passed, were skipped and failed; the Actions log keeps ``N checks, F failed``."""
    width = max(len(check.name) for check in result.checks)
    failed = len(result.failed)
    counted = tally(result) if local else f"{len(result.checks)} checks, {failed} failed"
    lines = [f"applygate preflight: {counted}"]
    lines.append(git_line(result.commit, result.pushed_to))
    for check in result.checks:
        lines.append(f"  {MARKS[check.verdict]} {check.name.ljust(width)}  {check.found}")
        if check.fix and check.verdict is Verdict.FAILED:
            lines.append(f"       {' ' * width}  fix: {check.fix}")
    if status:
        lines.append(status_line(plan_status(result)))
    return "\n".join(lines)


def render_summary(result: ChecklistResult) -> str:
    verdict = "ready" if result.ready else "blocked"
    lines = [
        f"## applygate preflight: {verdict}",
        "",
        git_line(result.commit, result.pushed_to, markdown=True),
        "",
        "| Check | Result | What was found | How to fix |",
        "|---|---|---|---|",
    ]
    for check in result.checks:
        fix = check.fix if check.verdict is Verdict.FAILED else ""
        lines.append(
            f"| {check.name} | {ICONS[check.verdict]} {check.verdict} | {cell(check.found)} "
            f"| {cell(fix)} |"
        )
    lines += ["", f"`{status_line(plan_status(result))}`", ""]
    return "\n".join(lines)


def git_line(commit: str, pushed_to: str, *, markdown: bool = False) -> str:
    """Which commit, and where it was proven pushed: the first thing a reader of a report asks."""
    label, quote = ("**Git**", "`") if markdown else ("Git", "")
    if not commit:
        return f"{label}: HEAD unknown"
    where = f", pushed to {quote}{pushed_to}{quote}" if pushed_to else ", not proven pushed"
    return f"{label}: commit {quote}{commit}{quote}{where}"
