"""What the git adapter reports about a repository: plain values for the core to judge."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Head:
    sha: str
    branch: str | None  # None when HEAD is detached
    parents: tuple[str, ...]  # from the commit object itself, even in a shallow clone


@dataclass(frozen=True)
class Ancestry:
    """Is one commit reachable from another?"""

    found: bool
    complete: bool  # False when "not found" only means "not within the first `searched` commits"
    searched: int | None = None
