"""What a checklist says: one Check per item, each passed, failed or skipped, and the result.

The checks themselves are in ``checklist.py``; the facts they judge in ``checklist_facts.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Check:
    name: str
    verdict: Verdict
    found: str
    fix: str = ""


@dataclass(frozen=True)
class ChecklistResult:
    checks: tuple[Check, ...]
    commit: str = ""  # HEAD's full sha, when git could tell
    pushed_to: str = ""  # "origin/main" when the pushed check found the commit there

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.verdict is Verdict.FAILED)

    @property
    def ready(self) -> bool:
        """Ready only when nothing failed and something was actually checked."""
        return not self.failed and any(c.verdict is Verdict.PASSED for c in self.checks)


def passed(name: str, found: str) -> Check:
    return Check(name, Verdict.PASSED, found)


def failed(name: str, found: str, fix: str) -> Check:
    return Check(name, Verdict.FAILED, found, fix)


def skipped(name: str, found: str) -> Check:
    return Check(name, Verdict.SKIPPED, found)
