"""The facts the checklist judges, as the shell gathers them: plain values, no verdicts.

A fact that could not be gathered arrives as ``Failure(reason)`` and fails its check (fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass

from applygate.core.gitfacts import Ancestry


@dataclass(frozen=True)
class Failure:
    """A fact that could not be gathered, and why."""

    reason: str


@dataclass(frozen=True)
class BranchFacts:
    """A remote branch compared with a commit (``tip`` None: the branch is not on the remote)."""

    remote: str
    branch: str
    source: str  # where the branch name came from, for the report
    tip: str | None
    ancestry: Ancestry | None


@dataclass(frozen=True)
class CommandFacts:
    """A command applygate ran: its exit code (None: killed) and combined output tail (the
    dry-run's stdout is fingerprinted as it streams, never kept)."""

    exit_code: int | None
    tail: str
