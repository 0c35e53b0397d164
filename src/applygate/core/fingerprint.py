"""The plan fingerprint: SHA-256 over a dry-run's stdout with the noise taken out.

Noise is what changes between two runs of the same plan: ANSI colours and cursor codes, trailing
whitespace, blank lines, carriage-return progress redraws, and lines matching the ignore regexes
(Terraform's refresh, read and timing lines by default; user regexes add to them). The lines that
say what the plan does (``Plan: ...``, ``# x will be destroyed``, ``No changes.``) are never
ignored, and an output with nothing left proves nothing (``EMPTY``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum

# A resource address at the start of a line, or after a one-word-per-space prefix (Terragrunt's
# "[prod/vpc] " or "terraform: "), never after indentation: plan lines and heredoc contents are
# indented, and an attribute that merely quotes these words must not be taken for noise.
_AT = r"^(?:\S.*(?<=\S) )?\S+: "
_ID = r"(?: \[[^\]]*\])?$"
# Lines that differ from run to run without the plan changing (Terraform and OpenTofu wording),
# matched as whole lines.
DEFAULT_IGNORE: tuple[str, ...] = (
    _AT + r"Refreshing state\.\.\." + _ID,
    _AT + r"Reading\.\.\.$",
    _AT + r"Read complete after \S+" + _ID,
    _AT + r"Still [a-z]+\.\.\. \[\S+ elapsed\]$",
    _AT + r"(Creation|Modifications|Destruction) complete after \S+" + _ID,
    r"^(Acquiring|Releasing) state lock\. This may take a few moments\.\.\.$",
)
# Lines that say what the plan does: no ignore regex, however broad, takes them out.
PROTECTED = re.compile(
    r"^\s*(?:Plan: \d+ to |No changes\.|# \S.* (?:will|must) be |Changes to Outputs:)"
)
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_FINGERPRINT = re.compile(r"(?:sha256:)?([0-9a-f]{64})")


class IgnoreError(ValueError):
    """An ignore regex that does not compile; the message shows it and why."""


class PlanOutcome(StrEnum):
    """Terraform's ``-detailed-exitcode``: 0 no changes, 2 changes, anything else an error."""

    NO_CHANGES = "no changes"
    CHANGES = "changes"
    ERROR = "error"


def plan_outcome(exit_code: int | None) -> PlanOutcome:
    if exit_code == 0:
        return PlanOutcome.NO_CHANGES
    if exit_code == 2:  # Terraform: "changes present"
        return PlanOutcome.CHANGES
    return PlanOutcome.ERROR


def compile_ignores(extra: Iterable[str] = ()) -> tuple[re.Pattern[str], ...]:
    """The default ignore regexes plus ``extra``; an invalid one raises IgnoreError."""
    compiled = [re.compile(pattern) for pattern in DEFAULT_IGNORE]
    for pattern in extra:
        try:
            compiled.append(re.compile(pattern))
        except re.error as error:
            raise IgnoreError(f"{pattern!r} is not a valid regex ({error})") from None
    return tuple(compiled)


def normalise(text: str, ignores: Sequence[re.Pattern[str]]) -> str:
    kept: list[str] = []
    for raw in text.split("\n"):
        line = _last_redraw(raw)
        if PROTECTED.match(line) or (line and not any(p.search(line) for p in ignores)):
            kept.append(line)
    return "".join(f"{line}\n" for line in kept)


def _last_redraw(raw: str) -> str:
    """What is left of a line redrawn with carriage returns: its last part that is not blank
    (a line ending in CR, as in CR CR LF output, keeps its text), colours taken out."""
    parts = [_ANSI.sub("", part).rstrip() for part in raw.split("\r")]
    return next((part for part in reversed(parts) if part.strip()), "")


# The fingerprint of an output with nothing left after normalising: it would match any other.
EMPTY = hashlib.sha256(b"").hexdigest()


def fingerprint(text: str, ignores: Sequence[re.Pattern[str]]) -> str:
    """64 hex digits: SHA-256 of the normalised text."""
    return hashlib.sha256(normalise(text, ignores).encode("utf-8")).hexdigest()


def parse_fingerprint(text: str) -> str | None:
    """A recorded fingerprint (64 hex digits, optionally ``sha256:``-prefixed), or None."""
    match = _FINGERPRINT.fullmatch(text.strip().lower())
    return match.group(1) if match else None
