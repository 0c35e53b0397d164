"""Reports of a decision: action outputs, the Markdown job summary and the console text."""

from __future__ import annotations

from applygate.core import evidence
from applygate.core.approval import Decision, LineVerdict, Status
from applygate.core.markdown import cell, code_cell

_MAX_QUOTE = 80


def outputs(decision: Decision) -> dict[str, str]:
    return {
        "decision": "approved" if decision.approved else "blocked",
        "sha": decision.sha,
        "pr-number": str(decision.pr_number or ""),
        "approvers": ",".join(decision.approvers),
        "scope": decision.scope,
        "generic-scope": "true" if decision.generic_scope else "false",
        "reasons": "\n".join(str(reason) for reason in decision.reasons),
        "approval-evidence": evidence.render(evidence.of_decision(decision)),
    }


def quote_line(text: str) -> str:
    """A token-like line made safe to show: invisible characters made visible, length bounded."""
    shown = "".join(ch if ch.isprintable() else f"<U+{ord(ch):04X}>" for ch in text.strip())
    return shown if len(shown) <= _MAX_QUOTE else shown[: _MAX_QUOTE - 1] + "…"


def verdict_text(verdict: LineVerdict) -> str:
    if verdict.status is Status.COUNTED:
        return "counted" + (" (generic scope)" if verdict.generic else "")
    if verdict.status is Status.DENIED:
        return "denial: blocks"
    if verdict.reason is None:
        return "not counted"
    return f"not counted ({verdict.reason.code}): {verdict.reason.message}"


def render_summary(decision: Decision) -> str:
    verdict = "✅ approved" if decision.approved else "⛔ blocked"
    rows = [
        f"## applygate approve: {verdict}",
        "",
        "| | |",
        "|---|---|",
        f"| Decision | {verdict} |",
        f"| Operation | `{code_cell(decision.operation)}` |",
        f"| Commit | `{decision.sha}` |",
    ]
    if decision.pr_number:
        rows.append(f"| Pull request | #{decision.pr_number} |")
    rows.append(f"| Approvers | {cell(', '.join(decision.approvers)) or '—'} |")
    if decision.scope:
        generic = " (generic)" if decision.generic_scope else ""
        rows.append(f"| Scope | `{code_cell(decision.scope)}`{generic} |")
    if decision.reasons:
        rows += ["", "### Why it is blocked", "", "| Code | Reason |", "|---|---|"]
        rows += [f"| `{r.code}` | {cell(r.message)} |" for r in decision.reasons]
    if decision.warnings:
        rows += ["", "### Warnings", "", "| Code | Warning |", "|---|---|"]
        rows += [f"| `{r.code}` | {cell(r.message)} |" for r in decision.warnings]
    if decision.lines:
        rows += [
            "",
            "### Token-like lines",
            "",
            "| Source | Author | Line | Verdict |",
            "|---|---|---|---|",
        ]
        rows += [
            f"| {cell(v.source.value)} ({cell(v.ref)}) | {cell(v.author or 'deleted user')} "
            f"| `{code_cell(quote_line(v.text))}` | {cell(verdict_text(v))} |"
            for v in decision.lines
        ]
    return "\n".join(rows) + "\n"


def render_console(decision: Decision) -> str:
    head = "approved" if decision.approved else "blocked"
    lines = [
        f"applygate approve: {head}: '{decision.operation}' at {decision.sha or '(no commit)'}"
    ]
    if decision.approvers:
        lines.append(f"  approvers: {', '.join(decision.approvers)}")
    lines += [f"  blocked because {r}" for r in decision.reasons]
    for v in decision.lines:
        who = v.author or "deleted user"
        lines.append(f"  - {v.source.value} by {who}: {quote_line(v.text)!r}: {verdict_text(v)}")
    return "\n".join(lines)


def describe(decision: Decision) -> str:
    """One line for a commit status: the decision and who, or the first reason."""
    if decision.approved:
        who = ", ".join(decision.approvers) or "nobody"
        return f"approved by {who}: {decision.operation}"
    first = decision.reasons[0].message if decision.reasons else "blocked"
    more = f" (+{len(decision.reasons) - 1} more)" if len(decision.reasons) > 1 else ""
    return f"blocked: {first}{more}"


def skipped_outputs() -> dict[str, str]:
    """Outputs of a run that decided nothing: ``decision=skipped``, everything else empty."""
    empty = dict.fromkeys(("sha", "pr-number", "approvers", "scope", "reasons"), "")
    return {"decision": "skipped", **empty, "generic-scope": "false", "approval-evidence": "[]"}


def render_skipped(why: str) -> str:
    return f"## applygate approve: skipped\n\nNothing was decided: {cell(why)}.\n"
