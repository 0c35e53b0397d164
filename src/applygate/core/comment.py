"""The pull-request comment experience: which comments deserve work, and what applygate answers.

``triage`` reads only the triggering comment (from the event payload): most comments on a pull
request are conversation, and answering them must cost no API request. The replies quote
people's lines only inside code spans, table cells and fenced blocks, so that a reply can never
be read as an approval itself (``scan`` of any reply finds no token).

Pure: strings and dataclasses in, strings out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

from applygate.core import crowded, element_reasons, github_render, reading
from applygate.core.approval import Decision, LineVerdict, Status
from applygate.core.report import quote_line, verdict_text
from applygate.core.token import PREFIXES, Kind, ScannedLine

# Rejections that mean the line was not written as the person's own words (quoted, code, a link,
# a comment...) or was not read at all: deliberate or unreadable, not a failed attempt at a token
# (no near-miss help is answered). Their codes are compared, taken from one reason each (so a
# renamed code follows): "html-block" stands for every reason of that code (raw HTML, <details>,
# a forged position, a removed element).
_CONTEXT_CODES = frozenset(
    reason.code
    for reason in (
        element_reasons.HTML_COMMENT,
        reading.NOT_SHOWN,
        element_reasons.CODE_BLOCK,
        element_reasons.INLINE_CODE,
        element_reasons.LINK,
        element_reasons.IMAGE,
        element_reasons.FOOTNOTE,
        element_reasons.STRUCK,
        element_reasons.QUOTED,
        github_render.TOO_DEEP,
        crowded.CROWDED,
        github_render.TOO_LARGE,
    )
)
# Every comment applygate writes starts with its hidden marker.
_MARKER_PREFIX = "<!-- applygate:"


class CommentKind(StrEnum):
    BOT = "bot"  # written by a bot (applygate's own replies included): never work
    NO_AUTHOR = "no-author"  # the author's account is gone: nobody to authorize, never work
    OWN = "own"  # applygate's reply posted with a person's token (a PAT): never work either
    CHAT = "chat"  # conversation: nothing reads like a token
    QUOTED = "quoted"  # token-like lines only inside quotes, code or HTML comments
    NEAR_MISS = "near-miss"  # reads like a token but is not canonical: help, do not decide
    CANONICAL = "canonical"  # at least one canonical token: decide


@dataclass(frozen=True)
class Triage:
    kind: CommentKind
    near_misses: tuple[ScannedLine, ...] = ()

    @property
    def decides(self) -> bool:
        return self.kind is CommentKind.CANONICAL

    @property
    def why(self) -> str:
        return {
            CommentKind.BOT: "the comment was written by a bot",
            CommentKind.NO_AUTHOR: (
                "the comment has no author (a deleted account): it cannot approve"
            ),
            CommentKind.OWN: "the comment is applygate's own reply",
            CommentKind.CHAT: "the comment has no line that reads like an approval or denial",
            CommentKind.QUOTED: "the comment's token-like lines are quoted or code, not approvals",
            CommentKind.NEAR_MISS: "the comment reads like an approval but is not canonical",
            CommentKind.CANONICAL: "the comment carries a token",
        }[self.kind]


def triage(body: str, by_bot: bool, *, author_known: bool = True) -> Triage:
    """Whether a triggering comment deserves a decision, from its body and author alone."""
    if not author_known:
        return Triage(CommentKind.NO_AUTHOR)
    if by_bot:
        return Triage(CommentKind.BOT)
    if body.startswith(_MARKER_PREFIX):  # its replies quote near misses: answering them would loop
        return Triage(CommentKind.OWN)
    lines = reading.scan(body)  # nothing for a body the cheap test finds no token word in
    if not lines:  # chat, or it mentions the words but no line reads like a token or is shown
        return Triage(CommentKind.CHAT)
    if any(line.token is not None for line in lines):
        return Triage(CommentKind.CANONICAL)
    misses = tuple(
        line
        for line in lines
        if line.rejection is not None and line.rejection.code not in _CONTEXT_CODES
    )
    return Triage(CommentKind.NEAR_MISS, misses) if misses else Triage(CommentKind.QUOTED)


def marker(command: str, key: str) -> str:
    """The hidden line that finds applygate's one comment for ``key`` (e.g. the operation)."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
    return f"{_MARKER_PREFIX}{command}:{digest} -->"


def result_marker(operation: str, sha: str) -> str:
    """The hidden line of applygate's one result comment for ``operation`` on the head ``sha``.

    One comment per head: it is written after the head was pushed, so a rerun on the same head
    finds it among the comments the decision read since that push, with no read of its own."""
    return marker("approve", operation).removesuffix(" -->") + f":{sha or 'unknown'} -->"


def render_near_miss(misses: tuple[ScannedLine, ...], operation: str, comment_id: int) -> str:
    """The one helpful reply to a comment that tried to approve and missed the grammar."""
    rows = [
        marker("near-miss", str(comment_id)),
        "#### applygate: this looks like an approval but is not canonical",
        "",
        "Nothing was decided. The line(s) below were not read as tokens:",
        "",
        "| Line | Why |",
        "|---|---|",
    ]
    rows += [
        f"| `{_code(quote_line(m.text))}` | {_text(m.rejection.message if m.rejection else '')} |"
        for m in misses
    ]
    kinds = dict.fromkeys(m.kind for m in misses)
    rows += ["", "Write exactly this, on a line of its own, in a new comment:", "", "```text"]
    rows += [f"{PREFIXES[kind]} {operation}" for kind in kinds]
    rows += ["```"]
    return "\n".join(rows) + "\n"


def render_undecided(
    lines: tuple[LineVerdict, ...], why: str, operation: str, comment_id: int
) -> str:
    """The reply to a comment that triggered a run and decided nothing (core/trigger.py)."""
    rows = [
        marker("undecided", str(comment_id)),
        "#### applygate: this comment decides nothing",
        "",
        f"Nothing was decided and nothing will be applied: {_text(why)}.",
    ]
    if lines:
        rows += ["", "| Line | Why |", "|---|---|"]
        rows += [f"| `{_code(quote_line(v.text))}` | {_text(verdict_text(v))} |" for v in lines]
    rows += ["", "An authorized reviewer approves with this line on its own in a new comment:", ""]
    rows += ["```text", f"{PREFIXES[Kind.APPROVAL]} {operation}", "```"]
    return "\n".join(rows) + "\n"


def render_result(decision: Decision, mark: str, run_link: str) -> str:
    """applygate's one result comment for an operation on a pull request's head (updated in
    place)."""
    verdict = "✅ approved" if decision.approved else "⛔ blocked"
    rows = [
        mark,
        f"#### applygate approve: {verdict}",
        "",
        "| | |",
        "|---|---|",
        f"| Operation | `{_code(decision.operation)}` |",
        f"| Commit | `{decision.sha or 'unknown'}` |",
        f"| Approvers | {_text(', '.join(decision.approvers)) or '—'} |",
    ]
    if decision.scope:
        generic = " (generic)" if decision.generic_scope else ""
        rows.append(f"| Scope | `{_code(decision.scope)}`{generic} |")
    if run_link:
        rows.append(f"| Run | [details]({run_link}) |")
    if decision.reasons:
        rows += ["", "| Blocked because | |", "|---|---|"]
        rows += [f"| `{r.code}` | {_text(r.message)} |" for r in decision.reasons]
    ignored = [v for v in decision.lines if v.status is not Status.COUNTED]
    if ignored:
        rows += ["", "| Did not count | Line | Why |", "|---|---|---|"]
        rows += [
            f"| {_text(v.author or 'deleted user')} ({_text(v.source.value)}) "
            f"| `{_code(quote_line(v.text))}` | {_text(verdict_text(v))} |"
            for v in ignored
        ]
    if not decision.approved:
        rows += ["", "To approve, a reviewer writes this line on its own in a new comment:", ""]
        rows += ["```text", f"{PREFIXES[Kind.APPROVAL]} {decision.operation}", "```"]
    return "\n".join(rows) + "\n"


def _code(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ").replace("|", "\\|").replace("`", "'")


def _text(text: str) -> str:
    return _code(text).replace("<", "&lt;").replace(">", "&gt;")
