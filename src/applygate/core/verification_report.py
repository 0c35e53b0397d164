"""A verification result as the console report and the job summary: strings from data.

Success is the protocol's completion report; a failure lists every criterion, then the error report
(Error Type, Error Message, Root Cause, Rollback Status) of each one that failed. Both end with the
PLAN_STATUS line.
"""

from __future__ import annotations

from applygate.core.durations import format_duration
from applygate.core.markdown import cell
from applygate.core.status import render_error_markdown, render_error_text, status_line
from applygate.core.verification import CriterionResult, Subject, VerifyResult, error_report


def render_console(result: VerifyResult, status: bool = True) -> str:
    """The console report; ``status=False`` leaves out the PLAN_STATUS line (execute ends with
    the run's own)."""
    width = max((len(r.criterion.name) for r in result.results), default=0)
    total, failed = len(result.results), len(result.failed_names)
    if result.passed:
        lines = ["## Verification Complete ✅", _git_line(result.subject)]
    else:
        lines = [
            f"## Verification failed ❌ ({failed} of {total} criteria)",
            _git_line(result.subject),
        ]
    for one in result.results:
        mark = "ok  " if one.passed else "FAIL"
        lines.append(f"  {mark} {one.criterion.name.ljust(width)}  {_attempts(one)}")
    for one in result.results:
        if not one.passed:
            report = render_error_text(error_report(one, result.rollback_status))
            lines += ["", f"### {one.criterion.name}", report]
    lines += ["", _verdict(result)]
    if status:
        lines.append(status_line(result.plan_status))
    return "\n".join(lines)


def render_summary(result: VerifyResult) -> str:
    if result.passed:
        title = "## Verification Complete ✅"
    else:
        title = f"## Verification failed ❌ ({len(result.failed_names)} of {len(result.results)})"
    lines = [
        title,
        "",
        _git_line(result.subject, code=True),
        "",
        "| Criterion | Result | Attempts | Duration |",
        "|---|---|---|---|",
    ]
    for one in result.results:
        icon = "✅ passed" if one.passed else "❌ failed"
        lines.append(
            f"| {cell(one.criterion.name)} | {icon} | {len(one.attempts)}/"
            f"{one.criterion.attempts} | {format_duration(one.duration)} |"
        )
    for one in result.results:
        if not one.passed:
            report = render_error_markdown(error_report(one, result.rollback_status))
            lines += ["", f"### ❌ {cell(one.criterion.name)}", "", report.rstrip("\n")]
    lines += ["", _verdict(result), "", f"`{status_line(result.plan_status)}`", ""]
    return "\n".join(lines)


def _git_line(subject: Subject, code: bool = False) -> str:
    tick = "`" if code else ""
    sha = f"{tick}{subject.sha}{tick}" if subject.sha else "(commit unknown)"
    branch = f" on {tick}{subject.branch}{tick}" if subject.branch else ""
    return f"Git: {sha}{branch}; criteria from {tick}{subject.source}{tick}"


def _verdict(result: VerifyResult) -> str:
    if result.passed:
        return "Verification: All criteria passed ✅"
    names = ", ".join(result.failed_names)
    return f"Verification: {len(result.failed_names)} failed ({names}): not complete ❌"


def _attempts(result: CriterionResult) -> str:
    count = len(result.attempts)
    text = f"attempt{'s' if count != 1 else ''} {count}/{result.criterion.attempts}"
    return f"{text}, {format_duration(result.duration)}"
