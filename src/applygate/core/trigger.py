"""A trigger decides only for itself: one comment (or review) authorizes one run.

When a pull-request comment or review starts the run, the approvals already on the pull request
must not be re-used by whoever writes the next comment: anyone who can comment could otherwise
re-run an approved apply, long after it was applied and other changes followed. So the decision
stands only when the triggering submission is itself an approval that counts (an authorized
person, canonical, bound to the commit) or a denial that blocks. Anything else decides nothing;
``min-approvals`` still counts every valid approval, the trigger just has to be one of them.

Pure: the decision's line verdicts in, a ``Reason`` (why nothing was decided) or None out.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from applygate.core.approval import Decision, LineVerdict, Status
from applygate.core.binding import Source, Submission
from applygate.core.reasons import Reason

PR_SOURCES = (Source.PR_COMMENT, Source.PR_REVIEW)
ONE_RUN = (
    "one comment authorizes one run: approvals already given are not re-used by a later "
    "comment; to apply again, an authorized person writes a new approval"
)


# Events only someone with write access can start: a run of theirs may rest on approvals already
# on the pull request (re-applying by dispatch, say). Any other event that is not itself a comment
# or review (pull_request_target's reopened, workflow_run, ...) a pull request's author or an
# outsider can cause: approvals already given are not re-used for it.
STARTED_BY_WRITERS = frozenset(
    {"push", "workflow_dispatch", "schedule", "repository_dispatch", "merge_group", "deployment"}
)


# Events whose run a comment or review starts: the trigger rule (undecided) governs them.
SUBMISSION_EVENTS = frozenset(
    {"issue_comment", "pull_request_review", "pull_request_review_comment"}
)


@dataclass(frozen=True)
class Undecided:
    """The run decides nothing: why, and the trigger's own lines (to show its author)."""

    reason: Reason
    lines: tuple[LineVerdict, ...] = ()


@dataclass(frozen=True)
class Trigger:
    """The submission that started this run: ``source`` None for one that is never an approval
    source (a review comment on a line of the diff)."""

    source: Source | None
    id: int
    what: str  # "comment", "review", "review comment": for the report
    author: str | None = None  # login, when the event names one

    @property
    def author_key(self) -> str | None:
        return self.author.casefold() if self.author is not None else None


def trigger_lines(
    decision: Decision, submissions: Iterable[Submission], trigger: Trigger
) -> tuple[LineVerdict, ...] | None:
    """The trigger's own line verdicts; None when it is not among the submissions read."""
    found = next(
        (s for s in submissions if s.source is trigger.source and s.id == trigger.id), None
    )
    if found is None:
        return None
    return tuple(v for v in decision.lines if v.source is found.source and v.ref == found.ref)


def undecided(
    decision: Decision,
    submissions: Iterable[Submission],
    trigger: Trigger,
    sources: Collection[Source],
) -> Undecided | None:
    """Why the trigger decides nothing, or None when it is itself a counted approval or a
    blocking denial (and the decision stands). ``sources`` are those read: when no comment or
    review is among them (environment approvals only, which belong to this run), the trigger is
    only what started the run."""
    if not any(source in sources for source in PR_SOURCES):
        return None
    if trigger.source is None or trigger.source not in sources:
        return _undecided(
            "trigger-not-a-source",
            f"the {trigger.what} that triggered this run is not one of the approval sources read: "
            f"{ONE_RUN}",
        )
    lines = trigger_lines(decision, submissions, trigger)
    if lines is None:
        return _undecided(
            "trigger-not-found",
            f"the {trigger.what} that triggered this run was not read with the pull request's "
            f"{trigger.what}s (deleted, or written before {decision.sha[:12]} was pushed): "
            f"{ONE_RUN}",
        )
    if any(_decides(line) for line in lines):
        return None
    why = "; ".join(_why(line) for line in lines) or "it carries no token"
    reason = Reason(
        "trigger-not-counted",
        f"the {trigger.what} that triggered this run is neither an approval that counts nor a "
        f"denial that blocks ({why}): {ONE_RUN}",
    )
    return Undecided(reason, lines)


def _undecided(code: str, message: str) -> Undecided:
    return Undecided(Reason(code, message))


def _decides(line: LineVerdict) -> bool:
    if line.status in (Status.COUNTED, Status.DENIED):
        return True
    # the same person's approval counted once already (an earlier line): this one counts too
    return line.reason is not None and line.reason.code == "duplicate"


def _why(line: LineVerdict) -> str:
    return line.reason.message if line.reason is not None else line.status.value


def started_by_anyone(event_name: str, sources: Collection[Source]) -> Undecided | None:
    """Why a run that no comment or review started decides nothing, or None when it may: its
    event is one only a writer can start (or it runs outside a workflow), or it reads no
    comment or review."""
    if not any(source in sources for source in PR_SOURCES):
        return None
    if not event_name or event_name in STARTED_BY_WRITERS | SUBMISSION_EVENTS:
        return None  # (a comment's or review's own run is the trigger rule's: undecided())
    return _undecided(
        "trigger-not-an-approval",
        f"this run was started by a {event_name} event, which someone without write access can "
        f"cause (a pull request's author reopening it, say): {ONE_RUN}",
    )
