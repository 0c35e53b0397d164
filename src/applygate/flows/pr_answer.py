"""approve's answers on a pull request when a comment triggered it.

- ``triage``: from the event payload alone (no API request), whether the comment deserves a
  decision. Conversation, quotes and bots are skipped; a near miss gets one helpful reply.
- ``started``: an ``eyes`` reaction on the comment.
- ``finished``: applygate's one result comment for the operation on the pull request's head,
  found by its hidden marker among the comments the decision read since the head's push (no read
  of its own) and updated in place; then ``rocket`` (approved) or ``-1`` (blocked).

Every write is best effort: a refused one is a warning that names the permission, never a
change of the decision or the exit code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from applygate.adapters.publish import PublishPort
from applygate.adapters.runner import Runner
from applygate.core.approval import Decision, Submission
from applygate.core.comment import (
    CommentKind,
    marker,
    render_near_miss,
    render_result,
    render_undecided,
    result_marker,
    triage,
)
from applygate.core.trigger import Undecided
from applygate.errors import ApiError
from applygate.event import EventContext, TriggerComment
from applygate.flows.publication import warn_refused


class Answer:
    def __init__(
        self,
        event: EventContext | None,
        operation: str,
        runner: Runner,
        writer: Callable[[], PublishPort] | None,
    ) -> None:
        self._event = event
        self._comment: TriggerComment | None = event.comment if event is not None else None
        self._operation = operation
        self._runner = runner
        self._writer = writer

    def triage(self) -> str | None:
        """Why there is nothing to decide (the run is skipped), or None to decide."""
        comment = self._comment
        if comment is None:
            return None
        author = comment.author
        by_bot = author is not None and (author.is_bot or author.login.casefold().endswith("[bot]"))
        found = triage(comment.body, by_bot, author_known=author is not None)
        if found.decides:
            return None
        number = self._event.pr_number if self._event is not None else None
        if found.kind is CommentKind.NEAR_MISS and number is not None:
            body = render_near_miss(found.near_misses, self._operation, comment.id)
            self._upsert(number, marker("near-miss", str(comment.id)), body)
        return found.why

    def undecided(self, nothing: Undecided, why: str) -> None:
        """The comment decided nothing (core/trigger.py): say why to the person who wrote it,
        in a reply of its own; the result comment of the operation is left as it was."""
        if self._comment is None or self._event is None or self._event.pr_number is None:
            return
        comment_id = self._comment.id
        body = render_undecided(nothing.lines, why, self._operation, comment_id)
        self._upsert(self._event.pr_number, marker("undecided", str(comment_id)), body)
        self._react("confused")

    def started(self) -> None:
        if self._comment is not None:
            self._react("eyes")

    def finished(
        self, decision: Decision, run_link: str, comments: Sequence[Submission] | None = None
    ) -> None:
        """``comments``: the pull request's comments the decision read (since the head's push),
        None when it read none: then the result comment is looked for from the first page."""
        if self._comment is None:
            return
        number = decision.pr_number
        if number is not None:
            mark = result_marker(decision.operation, decision.sha)
            self._upsert(number, mark, render_result(decision, mark, run_link), comments)
        self._react("rocket" if decision.approved else "-1")

    def _react(self, content: str) -> None:
        assert self._comment is not None  # noqa: S101 - callers check
        comment_id = self._comment.id
        self._write("reaction", lambda port: port.add_reaction(comment_id, content))

    def _upsert(
        self, number: int, mark: str, body: str, read: Sequence[Submission] | None = None
    ) -> None:
        def write(port: PublishPort) -> None:
            if read is None:
                found = port.find_comment(number, mark)
            else:
                found = port.pick_comment(read, mark)
            if found is None:
                port.create_comment(number, body)
            else:
                port.update_comment(found, body)

        self._write("comment", write)

    def _write(self, kind: str, write: Callable[[PublishPort], None]) -> None:
        if self._writer is None:
            return
        try:
            write(self._writer())
        except ApiError as error:
            warn_refused(self._runner, kind, f"the {kind}", error)
        except Exception as error:  # an answer never changes the decision
            self._runner.annotate(
                "warning",
                f"could not write the {kind} ({type(error).__name__}: {error})",
                "applygate",
            )
