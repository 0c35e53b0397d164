"""Which commit a command's result belongs to: the one rule for every command and trigger.

The commit a result is published on, checked out, verified or reverted is the first of these that
is known, in the order the command and the trigger give:

- the ``sha`` input: what the person said (approve's ``sha`` output, passed on);
- the pull request's head as the API reads it (approve, which reads the pull request);
- the event's pull-request head (``pull_request*`` events: GITHUB_SHA and a default checkout are
  a merge commit that branch protection never looks at);
- the checked-out commit, HEAD (commands that work in a checkout);
- GITHUB_SHA, except where it is not the subject's: an ``issue_comment`` run's is the default
  branch's tip, a ``pull_request*`` run's the merge commit, and no run's is a pull request's that
  approve gates by number.

rollback acts on what is checked out: the ``sha`` input, else HEAD.

Pure: names in, an order out; values in, the commit and where it came from out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum

# A commit id in full: 40 hex digits (SHA-1) or 64 (SHA-256), lower case as git and GitHub write it
_FULL_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def is_full_sha(text: str) -> bool:
    return _FULL_SHA.fullmatch(text) is not None


# Events whose GITHUB_SHA is a merge commit and whose payload names the pull request's head.
PULL_REQUEST_EVENTS = frozenset(
    {"pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"}
)
# Events whose GITHUB_SHA is the default branch's tip, whatever the pull request's head is.
DEFAULT_BRANCH_EVENTS = frozenset({"issue_comment"})
# Commands that work in a checkout, so HEAD is a commit they can name.
IN_A_CHECKOUT = frozenset({"preflight", "fingerprint", "verify", "execute", "rollback"})


class CommitSource(StrEnum):
    SHA_INPUT = "input sha"
    PR_HEAD = "the pull request's head"
    EVENT_HEAD = "the event's pull request head"
    HEAD = "the checked-out HEAD"
    GITHUB_SHA = "GITHUB_SHA"


def order(command: str, event_name: str, *, pull_request: bool = False) -> tuple[CommitSource, ...]:
    """The sources that may name ``command``'s commit under ``event_name`` ("" for a run
    outside a workflow), first to last. ``pull_request``: a pull request is what is gated
    (approve with one), so the run's own GITHUB_SHA is no commit of it."""
    if command == "rollback":
        return (CommitSource.SHA_INPUT, CommitSource.HEAD)
    found = [CommitSource.SHA_INPUT]
    if command == "approve":
        found.append(CommitSource.PR_HEAD)
    if event_name in PULL_REQUEST_EVENTS:
        found.append(CommitSource.EVENT_HEAD)
    if command in IN_A_CHECKOUT:
        found.append(CommitSource.HEAD)
    if not pull_request and event_name not in PULL_REQUEST_EVENTS | DEFAULT_BRANCH_EVENTS:
        found.append(CommitSource.GITHUB_SHA)
    return tuple(found)


def choose(
    sources: tuple[CommitSource, ...], known: Mapping[CommitSource, str | None]
) -> tuple[str, CommitSource] | None:
    """The first source in ``sources`` that names a commit, with the commit (lower-case)."""
    for source in sources:
        value = known.get(source)
        if value:
            return value.lower(), source
    return None
