"""Preflight verdicts over facts gathered by the adapters: one Check per item, all of them judged.

The facts are ``checklist_facts``'s; a fact that could not be gathered arrives as
``Failure(reason)`` and fails its check (fail closed). What a check and the result are is
``checklist_result``'s.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from applygate.core.checklist_facts import BranchFacts, CommandFacts, Failure
from applygate.core.checklist_result import (
    Check,
    ChecklistResult,
    Verdict,
    failed,
    passed,
    skipped,
)
from applygate.core.classify import ended
from applygate.core.fingerprint import EMPTY, PlanOutcome, plan_outcome
from applygate.core.gitfacts import Head
from applygate.core.noninteractive import Finding

MAX_PATHS = 20
_MERGE_REF = re.compile(r"refs/pull/(\d+)/merge")


def finish(checks: Sequence[Check], commit: str = "", pushed_to: str = "") -> ChecklistResult:
    """The result; a checklist where every check was skipped fails rather than passing empty."""
    if not any(check.verdict is Verdict.PASSED for check in checks) and not any(
        check.verdict is Verdict.FAILED for check in checks
    ):
        nothing = Check(
            "checklist",
            Verdict.FAILED,
            "every check was skipped or turned off: nothing was checked",
            "enable at least one check (require-clean, require-pushed, sha, dry-run, ...)",
        )
        checks = [*checks, nothing]
    return ChecklistResult(tuple(checks), commit, pushed_to)


def pushed_place(head: Head | Failure, facts: BranchFacts | Failure | None) -> str:
    """``remote/branch`` when the commit is proven to be on it, else ""."""
    if isinstance(head, Failure) or not isinstance(facts, BranchFacts):
        return ""
    found = facts.tip is not None and facts.ancestry is not None and facts.ancestry.found
    return f"{facts.remote}/{facts.branch}" if found else ""


def clean_check(
    required: bool,
    dirty: tuple[str, ...] | Failure,
    changed_by_dry_run: tuple[str, ...] | Failure = (),
) -> Check:
    """``dirty`` before anything ran; ``changed_by_dry_run``: tracked files that differ from
    HEAD after the dry-run (terraform init rewriting .terraform.lock.hcl, say), which would make
    the apply use a tree nobody approved."""
    if not required:
        return skipped("clean", "require-clean is false")
    if isinstance(dirty, Failure):
        return failed("clean", dirty.reason, "run applygate in a git checkout of the commit")
    if isinstance(changed_by_dry_run, Failure):
        return failed(
            "clean", changed_by_dry_run.reason, "run applygate in a git checkout of the commit"
        )
    if not dirty and changed_by_dry_run:
        listed = ", ".join(changed_by_dry_run[:MAX_PATHS])
        beyond = len(changed_by_dry_run) - MAX_PATHS
        return failed(
            "clean",
            f"the dry-run changed {len(changed_by_dry_run)} tracked file(s): {listed}"
            + (f" and {beyond} more" if beyond > 0 else ""),
            "commit what the dry-run rewrites (e.g. the lock file after terraform init), or "
            "keep it from writing (terraform init -lockfile=readonly)",
        )
    if not dirty:
        return passed("clean", "no staged, unstaged or untracked files")
    shown = ", ".join(dirty[:MAX_PATHS])
    more = f" and {len(dirty) - MAX_PATHS} more" if len(dirty) > MAX_PATHS else ""
    return failed(
        "clean",
        f"{len(dirty)} changed or untracked path(s): {shown}{more}",
        "commit and push these changes (or add generated files to .gitignore), or remove them "
        "before this step",
    )


def pushed_check(
    required: bool, head: Head | Failure, facts: BranchFacts | Failure, ref: str = ""
) -> Check:
    """``ref`` is GITHUB_REF: a pull request's merge ref is never pushed, and pushing is then
    the wrong advice."""
    name = "pushed"
    if not required:
        return skipped(name, "require-pushed is false")
    if isinstance(head, Failure):
        return failed(name, head.reason, _fix_for(head.reason))
    if isinstance(facts, Failure):
        return failed(name, facts.reason, _fix_for(facts.reason))
    where = f"{facts.remote}/{facts.branch} ({facts.source})"
    if facts.tip is None:
        return failed(
            name,
            f"branch {where} does not exist on the remote",
            f"push the commit: git push {facts.remote} HEAD:{facts.branch} (or set input branch)",
        )
    if facts.ancestry is not None and facts.ancestry.found:
        if facts.tip != head.sha:  # an old run (a re-run, a queued one) would undo what followed
            behind = f"is on {where} but is no longer its tip ({facts.tip[:12]})"
            return failed(
                name, f"{head.sha[:12]} {behind}: applying it would roll back", _ROLL_BACK
            )
        return passed(name, f"{head.sha[:12]} is the tip of {where}")
    merge = _MERGE_REF.fullmatch(ref)
    if merge and len(head.parents) > 1:
        return failed(
            name,
            f"{head.sha[:12]} is GitHub's merge commit of refs/pull/{merge.group(1)}/merge, which "
            f"is never on {where}",
            "check out the approved commit, not the merge ref: actions/checkout with "
            "ref: ${{ needs.<gate job>.outputs.sha }}",
        )
    return failed(name, _not_reached(head.sha, where, facts), _push_fix(facts))


_ROLL_BACK = "apply the tip; to roll back on purpose use applygate rollback, not a re-run"


def _not_reached(sha: str, where: str, facts: BranchFacts) -> str:
    tip = (facts.tip or "")[:12]
    if facts.ancestry is not None and not facts.ancestry.complete:
        return (
            f"{sha[:12]} is not within the last {facts.ancestry.searched} commits of {where} "
            f"(tip {tip})"
        )
    return f"{sha[:12]} is not on {where} (tip {tip}): it was never pushed there"


def _push_fix(facts: BranchFacts) -> str:
    if facts.ancestry is not None and not facts.ancestry.complete:
        return "check out with more history (actions/checkout fetch-depth: 0) or push the commit"
    return (
        f"push the commit (git push {facts.remote} HEAD:{facts.branch}) and apply what was "
        "pushed, or set input branch to the branch that holds it"
    )


def _fix_for(reason: str) -> str:
    if "no branch" in reason:
        return "set input branch to the branch the approved commit was pushed to"
    if "no remote" in reason:
        return "set input remote to a configured remote (git remote -v)"
    return "run applygate in a git checkout of the approved commit, with its remote configured"


def binding_check(expected: str | None, in_actions: bool, head: Head | Failure, ref: str) -> Check:
    name = "approved-sha"
    if expected is None:
        if in_actions:
            return failed(
                name,
                "no sha input: nothing binds this apply to an approval",
                "pass the approved commit: sha: ${{ needs.<gate job>.outputs.sha }} "
                "(the sha output of applygate approve)",
            )
        return skipped(name, "no sha input (not in GitHub Actions)")
    if isinstance(head, Failure):
        return failed(name, head.reason, _fix_for(head.reason))
    if head.sha == expected:
        return passed(name, f"HEAD is the approved commit {expected[:12]}")
    checkout = f"check out the approved commit: actions/checkout with ref: {expected}"
    merge = _MERGE_REF.fullmatch(ref)
    if len(head.parents) > 1 and (merge or expected in head.parents):
        what = f"refs/pull/{merge.group(1)}/merge" if merge else "a merge commit"
        return failed(
            name,
            f"HEAD {head.sha[:12]} is the pull request's merge commit ({what}) of the approved "
            f"commit {expected[:12]} with its base: nobody approved that merge",
            checkout,
        )
    return failed(
        name, f"HEAD is {head.sha[:12]}, but the approval is for {expected[:12]}", checkout
    )


def up_to_date_check(
    required: bool, head: Head | Failure, facts: BranchFacts | Failure | None
) -> Check:
    name = "up-to-date"
    if not required:
        return skipped(name, "require-up-to-date is false")
    if isinstance(head, Failure):
        return failed(name, head.reason, _fix_for(head.reason))
    if isinstance(facts, Failure):
        return failed(name, facts.reason, _fix_for(facts.reason))
    if facts is None:
        return failed(
            name,
            "no base branch: the event names none and input base-branch is empty",
            "set input base-branch",
        )
    where = f"{facts.remote}/{facts.branch} ({facts.source})"
    if facts.tip is None:
        return failed(name, f"base branch {where} does not exist", "set input base-branch")
    if facts.ancestry is not None and facts.ancestry.found:
        return passed(name, f"HEAD contains the tip {facts.tip[:12]} of {where}")
    depth = ""
    if facts.ancestry is not None and not facts.ancestry.complete:
        depth = f" within its last {facts.ancestry.searched} commits"
    return failed(
        name,
        f"HEAD {head.sha[:12]} does not contain the tip {facts.tip[:12]} of {where}{depth}",
        f"merge or rebase onto {facts.branch}, push, and get the new head approved",
    )


def noninteractive_check(steps: Sequence[str], findings: Sequence[Finding]) -> Check:
    name = "non-interactive"
    if not steps:
        return skipped(name, "no steps input")
    if not findings:
        return passed(name, f"{len(steps)} step(s): none needs an answer to a prompt")
    return failed(
        name,
        "; ".join(finding.message for finding in findings),
        "add the non-interactive flags shown (a prompt in CI waits until the job times out)",
    )


def drift_check(
    expected: str | None, run: CommandFacts | Failure | None, actual: str | None
) -> Check:
    """``run`` is the dry-run (None: no dry-run input); ``actual`` its fingerprint."""
    name = "no-drift"
    if run is None or expected is None:
        return skipped(name, "no dry-run input")
    if isinstance(run, Failure):
        return failed(name, f"the dry-run could not run: {run.reason}", "fix the dry-run command")
    if plan_outcome(run.exit_code) is PlanOutcome.ERROR:
        code = ended(run.exit_code)
        return failed(
            name,
            f"the dry-run {code} (an error, not a plan): {_last_line(run.tail)}",
            "fix what the dry-run reports, then plan and approve again",
        )
    outcome = plan_outcome(run.exit_code)
    if actual == EMPTY:
        return failed(
            name,
            f"the dry-run ({outcome}) printed nothing on stdout that is not noise: a fingerprint "
            "of nothing matches any plan",
            "make the dry-run print its plan on stdout (not stderr), then plan and approve again",
        )
    if actual == expected:
        return passed(name, f"the plan ({outcome}) is the one approved: {expected[:12]}")
    return failed(
        name,
        f"the plan drifted: the dry-run now gives fingerprint {(actual or '')[:12]} ({outcome}), "
        f"the approved plan was {expected[:12]}",
        "review the new plan and get it approved (re-run applygate fingerprint in the plan job)",
    )


def credentials_check(names: Sequence[str], missing: Sequence[str]) -> Check:
    name = "credentials"
    if not names:
        return skipped(name, "no credentials input")
    if not missing:
        return passed(name, f"set and non-empty: {', '.join(names)}")
    return failed(
        name,
        f"missing or empty: {', '.join(missing)}",
        "pass them to this step (env: ... from secrets, or an auth action before it)",
    )


def credentials_command_check(command: str, run: CommandFacts | Failure | None) -> Check:
    name = "credentials-check"
    if run is None:
        return skipped(name, "no credentials-check input")
    if isinstance(run, Failure):
        return failed(name, f"{command!r} could not run: {run.reason}", "fix the command")
    if run.exit_code == 0:
        return passed(name, f"{command!r} exited 0")
    code = ended(run.exit_code)
    return failed(
        name,
        f"{command!r} {code}: {_last_line(run.tail)}",
        "make the credentials available to this step (check the secret, role or login action)",
    )


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"
