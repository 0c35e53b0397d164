"""The standard rollback, step by step: revert on the remote branch's tip, push, verify.

Used by ``applygate rollback`` and by ``applygate execute`` (``rollback: git-revert``). It never
forces a push. When the push is rejected because the branch moved, the revert is replayed once on
the new tip; a second rejection, a conflict or any git failure blocks, and the checkout is put
back exactly as it was (branch, HEAD and tree).
"""

from __future__ import annotations

from dataclasses import replace

from applygate.adapters.git import GitError
from applygate.adapters.git_write import GitWriter
from applygate.context import RunContext
from applygate.core.classify import ErrorType, classify_output
from applygate.core.gitfacts import Head
from applygate.core.redact import Redactor
from applygate.core.rollback import (
    Push,
    RevertFacts,
    RollbackResult,
    read_push,
    revert_problems,
    reverted_by,
)
from applygate.core.status import trim_output
from applygate.event import EventContext
from applygate.flows.checklist import head_branch
from applygate.inputs.rollback import RollbackInputs

MAX_DIRTY_SHOWN = 5


def roll_back(git: GitWriter, sha: str | None, remote: str, branch: str) -> RollbackResult:
    """Revert ``sha`` (default HEAD) on ``remote``'s ``branch`` and verify it there."""
    result = RollbackResult(reverted=False, remote=remote, branch=branch)
    try:
        start = git.head()
        dirty = git.dirty_paths()
        if sha is not None and not git.has_commit(sha):  # say, older than a shallow checkout
            git.fetch(remote, [sha], depth=2 if git.is_shallow() else None)
        target = git.commit_of(sha or start.sha)
    except GitError as error:
        return replace(result, error_type=ErrorType.VALIDATION, reason=str(error))
    result = replace(result, sha=target.sha)
    if dirty:
        shown = ", ".join(dirty[:MAX_DIRTY_SHOWN]) + (
            ", ..." if len(dirty) > MAX_DIRTY_SHOWN else ""
        )
        reason = (
            f"the working tree has uncommitted or untracked files ({shown}): refusing to revert"
        )
        return replace(
            result, error_type=ErrorType.STATE_CONFLICT, reason=reason, local="untouched"
        )
    if not target.parents:
        reason = f"{target.sha[:12]} is the first commit: there is nothing before it to go back to"
        return replace(result, error_type=ErrorType.VALIDATION, reason=reason, local="untouched")
    if sha is None:  # HEAD by default: a second run must not undo the first run's revert
        try:
            undone = reverted_by(git.message(target.sha))
        except GitError as error:
            return replace(result, error_type=ErrorType.VALIDATION, reason=str(error))
        if undone is not None:
            reason = (
                f"HEAD ({target.sha[:12]}) is itself the revert of {undone[:12]}: reverting it "
                f"would apply {undone[:12]} again. To do that on purpose, give its sha "
                f"({target.sha}) as input sha"
            )
            return replace(
                result, error_type=ErrorType.VALIDATION, reason=reason, local="untouched"
            )
    try:
        result = _revert_and_push(git, target, result, moved_from=None)
    except GitError as error:
        kind = classify_output(str(error)).error_type
        result = replace(result, error_type=kind, reason=str(error))
    except Exception:
        _settle(git, start, result)  # never leave the checkout on a half-made revert
        raise
    return _settle(git, start, result)


def _revert_and_push(
    git: GitWriter, target: Head, result: RollbackResult, moved_from: str | None
) -> RollbackResult:
    remote, branch = result.remote, result.branch
    tip = git.remote_tip(remote, branch)
    if tip is None:
        return _blocked(result, ErrorType.VALIDATION, f"{remote} has no branch {branch}")
    if moved_from is not None and tip == moved_from:
        return _blocked(
            result, ErrorType.STATE_CONFLICT, "the push failed but the branch is where it was"
        )
    if not git.reachable(remote, target.sha, tip).found:
        reason = f"{target.sha[:12]} is not in the history of {remote}/{branch} (at {tip[:12]})"
        return _blocked(result, ErrorType.VALIDATION, reason)
    git.ensure_parents(remote, target, tip)
    git.checkout_detached(tip)
    done, said = git.revert(target.sha, mainline=len(target.parents) > 1)
    if not done:
        return _revert_failed(result, target.sha, tip, said)
    revert = git.head().sha
    problems = revert_problems(_facts(git, target, revert, tip, remote_tip=revert))
    if problems:  # never push a revert that would not verify
        reason = "the revert made here does not verify: " + "; ".join(problems)
        return _blocked(result, ErrorType.STATE_CONFLICT, reason)
    code, said = git.push(remote, revert, branch)
    answer = read_push(code, said)
    if answer is not Push.PUSHED and _landed(git, remote, branch, revert):
        # git gave up waiting (a slow hook, a timeout) after the remote took the push: the
        # revert is there, so it is verified and reported as pushed, never as refused
        return _verify(git, target, replace(result, revert_sha=revert), tip)
    if answer is Push.MOVED and moved_from is None:
        return _revert_and_push(git, target, replace(result, replayed=True), moved_from=tip)
    if answer is Push.MOVED:
        reason = f"the branch moved again while replaying the revert: {_last_lines(said)}"
        return _blocked(result, ErrorType.STATE_CONFLICT, reason)
    if answer is Push.REFUSED:
        reason = f"the push was refused: {_last_lines(said)}"
        return _blocked(result, classify_output(said).error_type, reason)
    return _verify(git, target, replace(result, revert_sha=revert), tip)


def _revert_failed(result: RollbackResult, sha: str, tip: str, said: str) -> RollbackResult:
    if "nothing to commit" in said:
        reason = (
            f"reverting {sha[:12]} on {tip[:12]} changes nothing: the commit changes no file, or "
            "the branch no longer has its changes (already reverted?); nothing was pushed"
        )
        return _blocked(result, ErrorType.VALIDATION, reason)
    conflict = "conflict" in said.lower()
    kind = ErrorType.STATE_CONFLICT if conflict else classify_output(said).error_type
    why = "the revert conflicts with later changes" if conflict else "git revert failed"
    return _blocked(result, kind, f"{why} on {tip[:12]}: {_last_lines(said)}")


def _landed(git: GitWriter, remote: str, branch: str, revert: str) -> bool:
    """Whether the remote branch is at ``revert`` now (False when git cannot say)."""
    try:
        return git.remote_tip(remote, branch) == revert
    except GitError:
        return False


def _verify(git: GitWriter, target: Head, result: RollbackResult, base: str) -> RollbackResult:
    """The revert as it is on the remote now: the branch tip, and what it changed. The revert is
    pushed by now: a git failure here keeps ``revert_sha``, so the status says it was pushed."""
    try:
        remote_tip = git.remote_tip(result.remote, result.branch)
        problems = revert_problems(_facts(git, target, result.revert_sha, base, remote_tip))
    except GitError as error:
        reason = f"the revert was pushed but could not be verified: {error}"
        return _blocked(result, classify_output(str(error)).error_type, reason)
    if problems:
        reason = "the pushed revert does not verify: " + "; ".join(problems)
        return _blocked(result, ErrorType.STATE_CONFLICT, reason)
    return replace(result, reverted=True)


def _facts(
    git: GitWriter, target: Head, revert: str, base: str, remote_tip: str | None
) -> RevertFacts:
    parent = target.parents[0]
    reverted_changes = git.changes(parent, target.sha)
    return RevertFacts(
        remote_tip=remote_tip,
        revert=revert,
        base=base,
        reverted=target.sha,
        reverted_changes=reverted_changes,
        revert_changes=git.changes(base, revert),
        base_blobs=git.blobs(base, reverted_changes),
        revert_tree=git.tree(revert),
        parent_tree=git.tree(parent),
    )


def _settle(git: GitWriter, start: Head, result: RollbackResult) -> RollbackResult:
    """Leave the checkout at the pushed revert (its branch fast-forwarded), or as it was."""
    try:
        if result.reverted:
            if start.branch is None:
                return replace(result, local=f"HEAD detached at {result.revert_sha[:12]}")
            # only the branch that was pushed follows the revert; another one stays as it was
            if start.branch == result.branch and git.is_ancestor(start.sha, result.revert_sha):
                git.move_branch(start.branch, result.revert_sha)
                return replace(result, local=f"{start.branch} at {result.revert_sha[:12]}")
        restored = git.restore(start)
    except GitError as error:
        return replace(result, local=f"the checkout could not be put back ({error})")
    if not restored:
        return replace(result, local="the checkout could not be put back as it was")
    where = start.branch or f"HEAD detached at {start.sha[:12]}"
    return replace(result, local=f"local repository restored ({where})")


def _blocked(result: RollbackResult, kind: ErrorType, reason: str) -> RollbackResult:
    return replace(result, reverted=False, error_type=kind, reason=reason)


def _last_lines(text: str) -> str:
    lines = trim_output(text).splitlines()
    lines = [line for line in lines if line.strip() and not line.startswith("hint:")]
    return " / ".join(lines[-4:]) or "(no output)"


def perform(
    inputs: RollbackInputs, ctx: RunContext, event: EventContext | None, git: GitWriter
) -> RollbackResult:
    """Find the branch, then roll back (flows/restore.py calls this for execute and rollback)."""
    try:
        head = git.head()
    except GitError as error:
        return RollbackResult(reverted=False, error_type=ErrorType.VALIDATION, reason=str(error))
    sha = inputs.sha
    if sha is not None and len(sha) < 40:  # abbreviated: only what this clone knows resolves
        try:
            sha = git.commit_of(sha).sha
        except GitError:
            reason = (
                f"{sha} is not a commit in this checkout, or names more than one: give the full "
                "sha (it is fetched when missing)"
            )
            return RollbackResult(reverted=False, error_type=ErrorType.VALIDATION, reason=reason)
        inputs = replace(inputs, sha=sha)
    chosen = head_branch(inputs, ctx, event, head)
    if chosen is None:
        reason = "no branch to push the revert to: set input branch (HEAD is detached)"
        return RollbackResult(
            reverted=False, sha=head.sha, error_type=ErrorType.VALIDATION, reason=reason
        )
    return roll_back(git, inputs.sha, inputs.remote, chosen[0])


def redacted(result: RollbackResult, redact: Redactor) -> RollbackResult:
    """Secrets out of git's words (a remote URL can carry a token)."""
    return replace(result, reason=redact(result.reason), local=redact(result.local))
