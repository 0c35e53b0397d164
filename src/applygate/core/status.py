"""The protocol's plan states and its error report, shared by preflight, verify and execute."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from applygate.core.classify import ErrorType
from applygate.core.markdown import cell

MAX_MESSAGE_LINES = 40
MAX_MESSAGE_CHARS = 4000


class PlanStatus(StrEnum):
    READY = "READY"  # the checklist passed: execution may start
    FIXING = "FIXING"  # a recoverable failure is being retried
    BLOCKED = "BLOCKED"  # stopped: a person must act
    APPLIED = "APPLIED"  # every step succeeded, verification still owed: not COMPLETE
    COMPLETE = "COMPLETE"  # applied and verified: only ever after verification passed


def status_line(status: PlanStatus) -> str:
    """The line that ends every report, for people and for log scrapers."""
    return f"PLAN_STATUS: {status}"


@dataclass(frozen=True, kw_only=True)
class ErrorReport:
    error_type: ErrorType
    message: str  # the exact failing output, trimmed (already redacted)
    root_cause: str
    rollback_status: str = "not attempted"


def trim_output(text: str) -> str:
    """The end of a command's output, where errors are: at most 40 lines and 4,000 characters."""
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    kept = "\n".join(lines[-MAX_MESSAGE_LINES:])
    cut = len(lines) > MAX_MESSAGE_LINES or len(kept) > MAX_MESSAGE_CHARS
    kept = kept[-MAX_MESSAGE_CHARS:]
    return "…\n" + kept if cut else kept


def render_error_text(report: ErrorReport) -> str:
    """The protocol's four fields, as plain text for the log."""
    message = report.message or "(no output)"
    indented = "\n".join(f"  {line}" for line in message.splitlines())
    return (
        f"Error Type: {report.error_type}\n"
        f"Error Message:\n{indented}\n"
        f"Root Cause: {report.root_cause}\n"
        f"Rollback Status: {report.rollback_status}"
    )


def render_error_markdown(report: ErrorReport) -> str:
    """The same four fields for a job summary; the message in a fence that it cannot close."""
    return (
        "| | |\n|---|---|\n"
        f"| Error Type | {report.error_type} |\n"
        f"| Root Cause | {cell(report.root_cause)} |\n"
        f"| Rollback Status | {cell(report.rollback_status)} |\n\n"
        f"**Error Message**\n\n{fenced(report.message or '(no output)')}"
    )


def fenced(text: str) -> str:
    """``text`` in a Markdown code fence that it cannot close (a longer fence than any inside)."""
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}text\n{text}\n{fence}\n"
