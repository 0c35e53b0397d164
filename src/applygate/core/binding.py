"""What binds a token to the gated commit, and who may not approve it.

``unbound`` says why a token in a comment, review or environment approval is not bound to the
commit (written before its push, made on another commit, edited, dismissed, pinned too loosely);
``self_approval`` why its author may not approve (they opened, started or pushed the change).
Pure: plain data in, a ``Reason`` or None out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from applygate.core.policy import Author
from applygate.core.reasons import Reason
from applygate.core.token import Kind, Token

FULL_SHA = 40  # hex digits of a full commit id (SHA-1)


class Source(StrEnum):
    PR_COMMENT = "pr-comment"
    PR_REVIEW = "pr-review"
    ENVIRONMENT = "environment"


@dataclass(frozen=True, kw_only=True)
class Submission:
    """One body that may carry tokens, with what binds it in time and to a commit."""

    source: Source
    ref: str
    author: Author | None
    body: str
    created_at: datetime | None = None
    edited: bool = False
    state: str | None = None
    commit_id: str | None = None
    id: int | None = None  # GitHub's id of the comment or review (finds the run's trigger)


@dataclass(frozen=True)
class Push:
    """The push that made the gated SHA the head of its branch."""

    timestamp: datetime
    actor: str | None


@dataclass(frozen=True, kw_only=True)
class Binding:
    """What ties approvals to the gated commit."""

    sha: str
    pr_number: int | None = None
    push: Push | None = None
    pr_author: str | None = None
    # who pushed the change (from the activity): for a pull request everyone who pushed to its
    # branch since it left the base; on a branch, everyone who pushed the gated commit there
    pushers: tuple[str, ...] = ()
    triggering_actor: str | None = None
    run_actor: str | None = None  # GITHUB_ACTOR: who started the run (a re-run keeps it)
    environment_bound: bool = False
    rerun: bool = False  # GITHUB_RUN_ATTEMPT is not 1: earlier attempts' approvals are listed too


def unbound(sub: Submission, token: Token, binding: Binding) -> Reason | None:
    """Why this token is not bound to the gated commit, if it is not."""
    denial = token.kind is Kind.DENIAL
    pinned = token.pin is not None
    if sub.source is Source.PR_COMMENT:
        if sub.edited and not denial:
            return Reason("edited", "the comment was edited: its history cannot be audited")
        if binding.push is None:
            if denial:
                return None
            if pinned:
                return _full_pin(token, binding, "the push that made it the head was not found")
            return Reason(
                "unbound",
                f"the push that made {binding.sha[:12]} the head was not found: only tokens pinned "
                f"with ' @{binding.sha}' count",
            )
        if denial and sub.created_at is None:  # when it was written is unknown: it counts
            return None
        if not _after_push(sub, binding):
            return Reason(
                "stale",
                f"written before {binding.sha[:12]} was pushed "
                f"({binding.push.timestamp.isoformat()}): it approved an earlier head",
            )
        return None
    if sub.source is Source.PR_REVIEW:
        state = (sub.state or "").upper()
        # a dismissed review's approval is withdrawn; its denial is not (anyone with write
        # access, the pull request's author included, may dismiss a review)
        if state == "DISMISSED" and not denial:
            return Reason("review-dismissed", "the review was dismissed")
        if sub.edited and not denial:  # anyone with write access may edit anyone's review
            return Reason("edited", "the review was edited: its history cannot be audited")
        if not denial and state not in ("APPROVED", "COMMENTED"):
            return Reason("review-state", f"a review in state {state} does not approve")
        if denial and (binding.push is None or _after_push(sub, binding)):
            # begun on an older head, submitted after this one: it still stops it; and when the
            # push is unknown, so is "older": every denial counts (fail closed)
            return None
        if sub.commit_id is None:
            if pinned:
                return _full_pin(token, binding, "the review's commit no longer exists")
            return Reason(
                "unbound",
                f"the review's commit no longer exists: only tokens pinned with ' @{binding.sha}' "
                "count",
            )
        if sub.commit_id.lower() != binding.sha.lower():
            return Reason(
                "review-other-commit",
                f"the review was made on {sub.commit_id[:12]}, not {binding.sha[:12]}",
            )
        return None
    if sub.state != "approved" and not denial:
        return Reason("environment-state", f"the deployment review is {sub.state}, not approved")
    if denial:  # a denial in this run's deployment review stops it, bound or not
        return None
    if binding.environment_bound:
        return None
    why = "this run's environment approvals are not bound to it"
    if binding.rerun:
        why = (
            "this is a re-run, and an approval given for an earlier attempt cannot be told apart "
            "from one given for this attempt"
        )
    if pinned:
        return _full_pin(token, binding, why)
    return Reason("unbound", f"{why} ({binding.sha[:12]}): pin the token with ' @{binding.sha}'")


def _full_pin(token: Token, binding: Binding, why: str) -> Reason | None:
    """Where the pin is all that binds an approval to the commit, only the full sha does: a
    commit sharing a short pin's first 28 bits takes a minute to grind."""
    pin = token.pin or ""
    if len(pin) == FULL_SHA:
        return None
    return Reason(
        "short-pin",
        f"pinned to @{pin}, but {why}: only the pin binds the approval to the commit, and a "
        f"short pin can be forged: pin the full sha, ' @{binding.sha}'",
    )


def _after_push(sub: Submission, binding: Binding) -> bool:
    push, written = binding.push, sub.created_at
    return push is not None and written is not None and written > push.timestamp


def self_approval(sub: Submission, binding: Binding) -> Reason | None:
    assert sub.author is not None  # noqa: S101 - callers check
    key = sub.author.key
    if sub.source is Source.ENVIRONMENT:  # and, for a pull request, the rules below as well
        actor = binding.triggering_actor
        if actor is not None and key == actor.casefold():
            return Reason("self-approval", f"{sub.author.login} triggered this run")
        # GITHUB_ACTOR started the run (on a push, the pusher), even when another re-ran it
        if binding.run_actor is not None and key == binding.run_actor.casefold():
            return Reason("self-approval", f"{sub.author.login} started this run")
    if binding.pr_author is not None and key == binding.pr_author.casefold():
        return Reason("self-approval", f"{sub.author.login} opened the pull request")
    if binding.push is not None and binding.push.actor and key == binding.push.actor.casefold():
        return Reason("self-approval", f"{sub.author.login} pushed {binding.sha[:12]}")
    if key in {pusher.casefold() for pusher in binding.pushers}:
        where = "to the pull request's branch" if binding.pr_number else binding.sha[:12]
        return Reason("self-approval", f"{sub.author.login} pushed {where}")
    return None
