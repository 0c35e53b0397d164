"""A branch's repository activity (pushes, force pushes, creation, deletion) -> what binds.

``read_pushes`` takes the entries GitHub lists for one branch, newest first, and answers two
questions without another request:

- **the push of the gated commit**: taken only from the branch's newest entry, and only when that
  entry made the gated commit the head. When the feed lags (the newest entry made another commit
  the head, the force-push back is not listed yet), an older push of the same commit must not
  stand in for it: the push is then unknown, and the rules for an unknown push apply.
- **who pushed the change**: the actor of every entry since the branch was last created (it left
  the base), not only the head's pusher: a bot's push on top must not launder its author's
  approval of their own change.

Pure: plain data in, plain data out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from applygate.core.binding import Push

CREATION = "branch_creation"


@dataclass(frozen=True)
class Activity:
    """One entry of ``GET /repos/{owner}/{repo}/activity`` (the schema's field names)."""

    ref: str  # refs/heads/<branch>
    after: str
    timestamp: datetime | None  # None: missing or unreadable
    actor: str | None  # None: a deleted account
    kind: str = "push"  # activity_type


@dataclass(frozen=True)
class Pushes:
    """``head``: the push that made the gated commit the head (None: unknown). ``pushers``:
    everyone who pushed to the branch since it left the base."""

    head: Push | None
    pushers: tuple[str, ...] = ()
    of_commit: tuple[str, ...] = ()  # who pushed the gated commit itself, in any entry listed


def read_pushes(entries: Sequence[Activity], ref: str, sha: str) -> Pushes:
    """``entries`` as listed (newest first, possibly not all of the branch's history)."""
    mine = [entry for entry in entries if entry.ref == ref]  # a stray branch never binds
    pushed = [e for e in mine if e.after.lower() == sha.lower() and e.actor is not None]
    return Pushes(_head(mine, sha), _pushers(mine), _logins(pushed))


def started(entries: Sequence[Activity], ref: str) -> bool:
    """Whether the branch's (latest) creation is among ``entries``: no older page is needed."""
    return any(entry.ref == ref and entry.kind == CREATION for entry in entries)


def _head(mine: list[Activity], sha: str) -> Push | None:
    stamps = [entry.timestamp for entry in mine]
    if not mine or None in stamps:  # which entry is the newest is unknown
        return None
    newest = max(stamp for stamp in stamps if stamp is not None)
    last = [entry for entry in mine if entry.timestamp == newest]
    if len(last) != 1 or last[0].after.lower() != sha.lower():
        return None  # the newest entry made another commit the head (or two tie): unknown
    return Push(newest, last[0].actor)


def _pushers(mine: list[Activity]) -> tuple[str, ...]:
    since = mine
    if all(entry.timestamp is not None for entry in mine):
        created = [e.timestamp for e in mine if e.kind == CREATION and e.timestamp is not None]
        if created:  # a branch deleted and created again: its earlier life is another change
            since = [e for e in mine if e.timestamp is not None and e.timestamp >= max(created)]
    return _logins(since)


def _logins(entries: Sequence[Activity]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(e.actor for e in entries if e.actor is not None))
