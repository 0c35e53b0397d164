"""Checklist verdicts over plain facts, and the report rendered from them."""

from __future__ import annotations

import pytest

from applygate.core import checklist_report as report
from applygate.core.checklist import (
    binding_check,
    clean_check,
    credentials_check,
    credentials_command_check,
    drift_check,
    finish,
    noninteractive_check,
    pushed_check,
    pushed_place,
    up_to_date_check,
)
from applygate.core.checklist_facts import BranchFacts, CommandFacts, Failure
from applygate.core.checklist_result import (
    Check,
    ChecklistResult,
    Verdict,
    failed,
    passed,
    skipped,
)
from applygate.core.fingerprint import EMPTY
from applygate.core.gitfacts import Ancestry, Head
from applygate.core.noninteractive import lint

A = "a" * 40
B = "b" * 40
C = "c" * 40
FP = "f" * 64
HEAD = Head(A, None, (B,))
MERGE = Head(A, None, (B, C))
OTHER_MERGE = Head(A, None, (B, "d" * 40))  # the approved commit is further back
FOUND = Ancestry(found=True, complete=True)
ABSENT = Ancestry(found=False, complete=True)
SHALLOW = Ancestry(found=False, complete=False, searched=1000)


def branch(tip: str | None = B, ancestry: Ancestry | None = FOUND) -> BranchFacts:
    return BranchFacts("origin", "main", "input branch", tip, ancestry)


@pytest.mark.parametrize(
    ("check", "verdict", "text"),
    [
        (clean_check(False, ("x",)), Verdict.SKIPPED, "require-clean is false"),
        (clean_check(True, ()), Verdict.PASSED, "no staged"),
        (clean_check(True, ("a.tf", "b.tf")), Verdict.FAILED, "2 changed or untracked path(s)"),
        (clean_check(True, tuple(f"f{n}" for n in range(25))), Verdict.FAILED, "and 5 more"),
        (clean_check(True, Failure("not a git repository")), Verdict.FAILED, "not a git"),
        (
            clean_check(True, (), (".terraform.lock.hcl",)),
            Verdict.FAILED,
            "the dry-run changed 1 tracked file(s): .terraform.lock.hcl",
        ),
        (clean_check(True, (), Failure("git diff failed")), Verdict.FAILED, "git diff failed"),
        (clean_check(False, (), ("a.tf",)), Verdict.SKIPPED, "require-clean is false"),
        (pushed_check(False, HEAD, branch()), Verdict.SKIPPED, "require-pushed is false"),
        (pushed_check(True, HEAD, branch(A)), Verdict.PASSED, "is the tip of origin/main"),
        # issue 19, item 5: on the branch but behind its tip: applying it would roll back
        (pushed_check(True, HEAD, branch()), Verdict.FAILED, "is no longer its tip"),
        (pushed_check(True, HEAD, branch(None, None)), Verdict.FAILED, "does not exist"),
        (pushed_check(True, HEAD, branch(ancestry=ABSENT)), Verdict.FAILED, "never pushed"),
        (pushed_check(True, HEAD, branch(ancestry=SHALLOW)), Verdict.FAILED, "last 1000"),
        (pushed_check(True, Failure("no commits"), branch()), Verdict.FAILED, "no commits"),
        (pushed_check(True, HEAD, Failure("no remote named 'x'")), Verdict.FAILED, "no remote"),
        (
            pushed_check(True, MERGE, branch(ancestry=ABSENT), "refs/pull/7/merge"),
            Verdict.FAILED,
            "merge commit of refs/pull/7/merge, which is never on origin/main",
        ),
        (  # a merge ref named, but HEAD is no merge: the usual advice
            pushed_check(True, HEAD, branch(ancestry=ABSENT), "refs/pull/7/merge"),
            Verdict.FAILED,
            "never pushed",
        ),
        (binding_check(None, False, HEAD, ""), Verdict.SKIPPED, "not in GitHub Actions"),
        (binding_check(None, True, HEAD, ""), Verdict.FAILED, "nothing binds this apply"),
        (binding_check(A, True, HEAD, ""), Verdict.PASSED, "HEAD is the approved commit"),
        (binding_check(C, True, HEAD, ""), Verdict.FAILED, "but the approval is for cccc"),
        (binding_check(C, True, MERGE, ""), Verdict.FAILED, "merge commit (a merge commit)"),
        (binding_check(C, True, OTHER_MERGE, "refs/pull/7/merge"), Verdict.FAILED, "pull/7/merge"),
        (binding_check(C, True, HEAD, "refs/pull/7/merge"), Verdict.FAILED, "approval is for"),
        (binding_check(C, True, Failure("no commits"), ""), Verdict.FAILED, "no commits"),
        (up_to_date_check(False, HEAD, None), Verdict.SKIPPED, "is false"),
        (up_to_date_check(True, HEAD, None), Verdict.FAILED, "no base branch"),
        (up_to_date_check(True, HEAD, branch()), Verdict.PASSED, "HEAD contains the tip"),
        (up_to_date_check(True, HEAD, branch(ancestry=ABSENT)), Verdict.FAILED, "not contain"),
        (up_to_date_check(True, HEAD, branch(ancestry=SHALLOW)), Verdict.FAILED, "last 1000"),
        (up_to_date_check(True, HEAD, branch(None, None)), Verdict.FAILED, "does not exist"),
        (drift_check(None, None, None), Verdict.SKIPPED, "no dry-run"),
        (drift_check(FP, CommandFacts(2, "x"), FP), Verdict.PASSED, "(changes)"),
        (drift_check(FP, CommandFacts(0, "x"), FP), Verdict.PASSED, "(no changes)"),
        (drift_check(EMPTY, CommandFacts(0, "plan\n"), EMPTY), Verdict.FAILED, "nothing on"),
        (drift_check(FP, CommandFacts(2, "y"), "e" * 64), Verdict.FAILED, "drifted"),
        (drift_check(FP, CommandFacts(1, "Error: x\n"), None), Verdict.FAILED, "Error: x"),
        (drift_check(FP, CommandFacts(None, ""), None), Verdict.FAILED, "was killed"),
        (drift_check(FP, Failure("no bash"), None), Verdict.FAILED, "could not run: no bash"),
        (credentials_check((), ()), Verdict.SKIPPED, "no credentials"),
        (credentials_check(("A", "B"), ()), Verdict.PASSED, "A, B"),
        (credentials_check(("A", "B"), ("B",)), Verdict.FAILED, "missing or empty: B"),
        (credentials_command_check("", None), Verdict.SKIPPED, "no credentials-check"),
        (credentials_command_check("x", CommandFacts(0, "")), Verdict.PASSED, "exited 0"),
        (credentials_command_check("x", CommandFacts(1, "no\n")), Verdict.FAILED, "1: no"),
        (credentials_command_check("x", Failure("boom")), Verdict.FAILED, "boom"),
        (noninteractive_check((), ()), Verdict.SKIPPED, "no steps"),
        (noninteractive_check(("kubectl apply",), ()), Verdict.PASSED, "1 step(s)"),
        (
            noninteractive_check(("pulumi up",), lint(["pulumi up"])),
            Verdict.FAILED,
            "add --yes or -y",
        ),
    ],
)
def test_check_verdicts(check: Check, verdict: Verdict, text: str) -> None:
    assert check.verdict is verdict
    assert text in check.found
    assert bool(check.fix) is (verdict is Verdict.FAILED)


def test_all_skipped_is_not_ready() -> None:
    result = finish([clean_check(False, ()), credentials_check((), ())])
    assert not result.ready
    assert result.failed[-1].name == "checklist"


def test_a_failure_anywhere_blocks_and_every_check_is_kept() -> None:
    checks = [clean_check(True, ()), credentials_check(("A",), ("A",)), clean_check(True, ("x",))]
    result = finish(checks)
    assert not result.ready
    assert len(result.checks) == 3
    assert len(result.failed) == 2


def test_report_for_a_blocked_checklist() -> None:
    result = finish([clean_check(True, ("a|b.tf",)), credentials_check(("K",), ())])
    assert report.outputs(result) == {"ready": "false", "plan-status": "BLOCKED"}
    console = report.render_console(result)
    assert console.splitlines()[0] == "applygate preflight: 2 checks, 1 failed"
    assert "FAIL clean" in console
    assert "fix: commit and push" in console
    assert console.endswith("PLAN_STATUS: BLOCKED")
    summary = report.render_summary(result)
    assert "| Check | Result | What was found | How to fix |" in summary
    assert "a\\|b.tf" in summary
    assert "`PLAN_STATUS: BLOCKED`" in summary
    ((title, message),) = report.error_annotations(result)
    assert title == "applygate preflight: clean"
    assert "Fix: commit and push" in message


OK, SKIP = passed("a", "fine"), skipped("b", "not asked")
FAIL = failed("c", "broken", "mend it")


@pytest.mark.parametrize(
    ("checks", "counted"),
    [
        ((OK, OK, SKIP, SKIP, SKIP, SKIP, SKIP, SKIP), "2 passed, 6 skipped, 0 failed"),
        ((OK, SKIP, FAIL), "1 passed, 1 skipped, 1 failed"),
        ((FAIL, FAIL), "0 passed, 0 skipped, 2 failed"),
        ((OK,), "1 passed, 0 skipped, 0 failed"),
    ],
)
def test_the_tally_counts_skipped_checks_apart(checks: tuple[Check, ...], counted: str) -> None:
    result = ChecklistResult(checks)
    assert report.tally(result) == counted
    local = report.render_console(result, local=True).splitlines()[0]
    assert local == f"applygate preflight: {counted}"
    # the Actions log keeps the line it has always had
    in_actions = report.render_console(result).splitlines()[0]
    assert in_actions == f"applygate preflight: {len(checks)} checks, {len(result.failed)} failed"


def test_report_for_a_ready_checklist() -> None:
    result = finish([clean_check(True, ())])
    assert report.outputs(result) == {"ready": "true", "plan-status": "READY"}
    assert report.render_console(result).endswith("PLAN_STATUS: READY")
    assert report.error_annotations(result) == []


@pytest.mark.parametrize(
    ("checks", "line"),
    [
        ([passed("clean", "."), skipped("dry-run", "-")], "ready: 1 of 2 checks passed"),
        ([failed("pushed", "not on origin/main", "push")], "blocked: pushed: not on origin/main"),
        (
            [failed("clean", "2 paths", "commit"), passed("sha", "ok"), failed("pushed", "x", "")],
            "blocked: clean: 2 paths (+1 more)",
        ),
    ],
)
def test_the_status_line_names_the_first_failure(checks: list[Check], line: str) -> None:
    assert report.describe(finish(checks)) == line


@pytest.mark.parametrize(
    ("head", "facts", "expected"),
    [
        (HEAD, BranchFacts("origin", "main", "input branch", B, FOUND), "origin/main"),
        (HEAD, BranchFacts("upstream", "rel", "input branch", B, FOUND), "upstream/rel"),
        (HEAD, BranchFacts("origin", "main", "input branch", B, ABSENT), ""),
        (HEAD, BranchFacts("origin", "main", "input branch", B, SHALLOW), ""),
        (HEAD, BranchFacts("origin", "main", "input branch", None, None), ""),
        (HEAD, Failure("ls-remote failed"), ""),
        (HEAD, None, ""),  # require-pushed is false: nothing proven
        (Failure("not a git repository"), BranchFacts("o", "m", "s", B, FOUND), ""),
    ],
)
def test_pushed_place_names_the_branch_only_when_the_commit_is_proven_on_it(
    head: Head | Failure, facts: BranchFacts | Failure | None, expected: str
) -> None:
    assert pushed_place(head, facts) == expected


@pytest.mark.parametrize(
    ("commit", "pushed_to", "markdown", "expected"),
    [
        (A, "origin/main", False, f"Git: commit {A}, pushed to origin/main"),
        (A, "", False, f"Git: commit {A}, not proven pushed"),
        ("", "", False, "Git: HEAD unknown"),
        (A, "origin/main", True, f"**Git**: commit `{A}`, pushed to `origin/main`"),
        ("", "", True, "**Git**: HEAD unknown"),
    ],
)
def test_reports_open_with_the_commit_and_where_it_was_pushed(
    commit: str, pushed_to: str, markdown: bool, expected: str
) -> None:
    assert report.git_line(commit, pushed_to, markdown=markdown) == expected
    result = finish([clean_check(True, ())], commit, pushed_to)
    shown = report.render_summary(result) if markdown else report.render_console(result)
    assert expected in shown.splitlines()
