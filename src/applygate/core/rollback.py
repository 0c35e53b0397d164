"""The standard rollback as plain data: what a push answer means, whether a pushed revert really
undid the commit, and the Rollback Status line.

A revert is verified against the remote, not against what git said: the branch tip (ls-remote)
must be the revert commit; the revert may change only the paths the reverted commit changed, and
every such path the branch had left as the commit made it must be back as it was before. When the
revert sits directly on the reverted commit that means, exactly, that its tree is the tree of the
reverted commit's (first) parent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from applygate.core.classify import ErrorType

# A path's blob as git names a missing one (added or deleted files).
ABSENT = "0" * 40
# What a push says when the remote branch moved since we looked at it.
_MOVED = re.compile(
    r"\[rejected\].*\((?:fetch first|non-fast-forward|stale info)\)"
    r"|cannot lock ref|failed to update ref",
    re.IGNORECASE,
)


class Push(StrEnum):
    PUSHED = "pushed"
    MOVED = "moved"  # rejected because the branch moved: fetch, replay once
    REFUSED = "refused"  # rejected for another reason (a hook, protection, permission)


def read_push(exit_code: int, output: str) -> Push:
    """The meaning of ``git push --porcelain``'s exit code and output (stdout and stderr)."""
    if exit_code == 0:
        return Push.PUSHED
    return Push.MOVED if _MOVED.search(output) else Push.REFUSED


# path -> (blob before, blob after); ABSENT when the file did not exist on that side
Changes = Mapping[str, tuple[str, str]]


@dataclass(frozen=True, kw_only=True)
class RevertFacts:
    """What git says about a pushed revert, gathered after the push."""

    remote_tip: str | None  # the branch tip on the remote now
    revert: str  # the revert commit
    base: str  # the revert's parent: the branch tip it was made on
    reverted: str  # the commit that was reverted
    reverted_changes: Changes  # reverted's first parent -> reverted
    revert_changes: Changes  # base -> revert
    base_blobs: Mapping[str, str]  # the base's blob of each path of reverted_changes
    revert_tree: str
    parent_tree: str  # the tree of the reverted commit's first parent


def revert_problems(facts: RevertFacts) -> list[str]:
    """Why the pushed revert does not verify; empty when it does."""
    problems: list[str] = []
    if facts.remote_tip != facts.revert:
        found = facts.remote_tip[:12] if facts.remote_tip else "no branch"
        problems.append(f"the remote branch tip is {found}, not the revert {facts.revert[:12]}")
    if facts.base == facts.reverted and facts.revert_tree != facts.parent_tree:
        problems.append("the revert's tree is not the tree before the reverted commit")
    if not facts.revert_changes:
        problems.append("the revert changes nothing")
    for path in sorted(set(facts.revert_changes) - set(facts.reverted_changes)):
        problems.append(f"the revert changes {path}, which the reverted commit did not touch")
    for path, (before, after) in sorted(facts.reverted_changes.items()):
        base = facts.base_blobs.get(path, ABSENT)
        now = facts.revert_changes[path][1] if path in facts.revert_changes else base
        if base == after and now != before:
            problems.append(f"{path} is not back as it was before the reverted commit")
    return problems


@dataclass(frozen=True, kw_only=True)
class RollbackResult:
    reverted: bool  # pushed and verified
    sha: str = ""  # the commit that was (to be) reverted
    revert_sha: str = ""  # the revert commit, once pushed
    remote: str = ""
    branch: str = ""
    replayed: bool = False  # the remote moved once and the revert was replayed on its new tip
    error_type: ErrorType | None = None
    reason: str = ""
    local: str = ""  # what became of the local repository


def status_text(result: RollbackResult) -> str:
    """The Rollback Status of the error report, one line."""
    where = f"{result.remote}/{result.branch}" if result.branch else result.remote
    if result.reverted:
        again = ", replayed once on the moved branch" if result.replayed else ""
        return (
            f"reverted {result.sha[:12]} with {result.revert_sha[:12]} pushed to {where} "
            f"(the revert checked on the remote{again})"
        )
    pushed = f" (revert {result.revert_sha[:12]} was pushed)" if result.revert_sha else ""
    local = f"; {result.local}" if result.local else ""
    return f"rollback failed{pushed}: {result.error_type}: {result.reason}{local}"


_REVERTS = re.compile(r"^This reverts commit ([0-9a-f]{40,64})\.$", re.MULTILINE)


def reverted_by(message: str) -> str | None:
    """The commit a commit message says it reverts (git revert's own line), if any."""
    found = _REVERTS.search(message)
    return found.group(1) if found else None


BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")


def revert_author(
    given: tuple[str, str] | None, configured: bool, in_actions: bool
) -> tuple[str, str] | None:
    """Who authors and commits the revert: the git-user-* inputs when given; else git's own
    identity (its config, GIT_AUTHOR_*/GIT_COMMITTER_* in the environment) when one is set up,
    None; else, in Actions only, the Actions bot. Outside Actions with none set up, None too: git
    then says who it needs, as it would for any commit."""
    if given is not None:
        return given
    if configured or not in_actions:
        return None
    return BOT
