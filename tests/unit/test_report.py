"""Outputs, summary and console text are strings derived from the decision alone."""

from __future__ import annotations

from applygate.core.approval import Decision, LineVerdict, Source, Status
from applygate.core.reasons import Reason
from applygate.core.report import outputs, quote_line, render_console, render_summary
from applygate.core.token import Kind

SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
LINE = LineVerdict(
    source=Source.PR_COMMENT,
    ref="https://github.com/o/r/pull/7#issuecomment-1",
    author="mallory",
    line=1,
    text="User approved: x | `y`\u200b",
    kind=Kind.APPROVAL,
    status=Status.IGNORED,
    reason=Reason("zero-width", "hidden zero-width character U+200B: not a token"),
)
BLOCKED = Decision(
    approved=False,
    operation="terraform apply prod/vpc",
    sha=SHA,
    pr_number=7,
    reasons=(Reason("insufficient-approvals", "0 of 1"), Reason("denied", "bob denied <this>")),
    lines=(LINE,),
)
APPROVED = Decision(
    approved=True,
    operation="terraform apply prod/vpc",
    sha=SHA,
    pr_number=None,
    approvers=("alice", "bob"),
    scope="the changes",
    generic_scope=True,
)


def test_outputs() -> None:
    assert outputs(APPROVED) == {
        "decision": "approved",
        "sha": SHA,
        "pr-number": "",
        "approvers": "alice,bob",
        "scope": "the changes",
        "generic-scope": "true",
        "reasons": "",
        "approval-evidence": "[]",  # APPROVED holds no counted line
    }
    got = outputs(BLOCKED)
    assert got["decision"] == "blocked"
    assert got["pr-number"] == "7"
    assert got["reasons"] == "insufficient-approvals: 0 of 1\ndenied: bob denied <this>"


def test_summary_lists_every_reason_and_line_safely() -> None:
    text = render_summary(BLOCKED)
    assert "blocked" in text.splitlines()[0]
    assert "| `insufficient-approvals` | 0 of 1 |" in text
    assert "bob denied &lt;this&gt;" in text
    row = next(line for line in text.splitlines() if line.startswith("| pr-comment"))
    assert "<U+200B>" in row
    assert "\u200b" not in text
    assert row.count(" | ") == 3  # the | inside the line is escaped, not a new column


def test_summary_of_an_approval() -> None:
    text = render_summary(APPROVED)
    assert "approved" in text.splitlines()[0]
    assert "| Approvers | alice, bob |" in text
    assert "(generic)" in text


def test_console_names_the_verdict_of_each_line() -> None:
    text = render_console(BLOCKED)
    assert text.startswith("applygate approve: blocked")
    assert "mallory" in text and "zero-width" in text


def test_quote_line_bounds_length_and_shows_invisibles() -> None:
    assert quote_line("a\u202eb") == "a<U+202E>b"
    assert len(quote_line("x" * 500)) == 80


def test_summary_is_tables_with_decision_who_what_commit() -> None:
    text = render_summary(BLOCKED)
    assert "| Decision | ⛔ blocked |" in text
    assert "| Operation | `terraform apply prod/vpc` |" in text
    assert f"| Commit | `{SHA}` |" in text
    assert "| Code | Reason |" in text
    assert not [line for line in text.splitlines() if line.startswith("- ")]  # no bullet walls
    approved = render_summary(APPROVED)
    assert "| Approvers | alice, bob |" in approved
    assert "| Scope | `the changes` (generic) |" in approved
