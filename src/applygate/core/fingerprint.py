"""The plan fingerprint: SHA-256 over a dry-run's stdout with the noise taken out.

Noise is what changes between two runs of the same plan: ANSI colours and cursor codes, trailing
whitespace, blank lines, carriage-return progress redraws, and lines matching the ignore regexes
(Terraform's refresh, read and timing lines by default; user regexes add to them). The lines that
say what the plan does (``Plan: ...``, ``# x will be destroyed``, ``No changes.``) are never
ignored, and an output with nothing left proves nothing (``EMPTY``).

PlanHasher computes the same value as the dry-run's lines arrive, without keeping its stdout.
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
# Longer lines (after their last carriage return) are hashed as they came, not normalised.
LONG_LINE = 8 * 1024 * 1024


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
    kept = (_normal(raw, ignores) for raw in text.split("\n"))
    return "".join(f"{line}\n" for line in kept if line)


def _normal(raw: str, ignores: Sequence[re.Pattern[str]]) -> str:
    """One line as the fingerprint sees it (its last redraw); empty when it is noise."""
    return _judged(_last_redraw(raw), ignores)


def _judged(line: str, ignores: Sequence[re.Pattern[str]]) -> str:
    if PROTECTED.match(line) or (line and not any(p.search(line) for p in ignores)):
        return line
    return ""


def _last_redraw(raw: str) -> str:
    """What is left of a line redrawn with carriage returns: its last part that is not blank
    (a line ending in CR, as in CR CR LF output, keeps its text), colours taken out."""
    if "\r" not in raw:
        return _shown(raw)
    parts = [_shown(part) for part in raw.split("\r")]
    return next((part for part in reversed(parts) if part.strip()), "")


def _shown(part: str) -> str:
    return (_ANSI.sub("", part) if "\x1b" in part else part).rstrip()


# The fingerprint of an output with nothing left after normalising: it would match any other.
EMPTY = hashlib.sha256(b"").hexdigest()


def fingerprint(text: str, ignores: Sequence[re.Pattern[str]]) -> str:
    """64 hex digits: SHA-256 of the normalised text."""
    return hashlib.sha256(normalise(text, ignores).encode("utf-8")).hexdigest()


class PlanHasher:
    """fingerprint() of a stdout given a piece at a time, as run_shell reads it (each line without
    its newline, a line longer than the read limit in pieces): the same value, the text not kept.

    A line whose last redraw (the text after its last carriage return) is longer than
    ``long_line`` cannot be normalised without keeping it: it is hashed as it came instead, so
    any change in it still changes the fingerprint."""

    def __init__(self, ignores: Sequence[re.Pattern[str]], long_line: int = LONG_LINE) -> None:
        self._ignores = tuple(ignores)
        self._long_line = long_line
        self._digest = hashlib.sha256()
        self._line: list[str] = []  # this line since its last carriage return
        self._size = 0
        self._long: hashlib._Hash | None = None  # this line's digest, once it is too long
        self._previous = ""  # the line's last part that is not blank, before a carriage return
        self._previous_long = False
        self._kept: list[str] = []  # normalised lines not hashed yet

    def add(self, text: str, ends_line: bool = True) -> None:
        if ends_line and not self._size and not self._previous and len(text) <= self._long_line:
            self._keep(_normal(text, self._ignores))  # a whole line: the usual case
            return
        for index, part in enumerate(text.split("\r")):
            if index:  # a carriage return: what follows draws over this part, unless it is blank
                current = self._current()
                if current.strip():
                    self._previous, self._previous_long = current, self._long is not None
                self._line, self._size, self._long = [], 0, None
            self._append(part)
        if ends_line:
            self._end_line()

    def _append(self, text: str) -> None:
        self._size += len(text)
        if self._long is not None:
            self._long.update(text.encode("utf-8"))
        elif self._size > self._long_line:
            self._long = hashlib.sha256("".join([*self._line, text]).encode("utf-8"))
            self._line = []
        else:
            self._line.append(text)

    def _current(self) -> str:
        """This part of the line as the fingerprint sees it; a too long one by its digest."""
        if self._long is not None:
            return f"(a line of {self._size} characters, sha256 {self._long.hexdigest()})"
        return _shown("".join(self._line))

    def _end_line(self) -> None:
        long = self._long is not None
        current = self._current()
        if not current.strip():  # a line ending in carriage returns keeps its earlier text
            current, long = self._previous, self._previous_long
        line = current if long else _judged(current, self._ignores)  # a digest is never noise
        self._line, self._size, self._long, self._previous = [], 0, None, ""
        self._keep(line)

    def _keep(self, line: str) -> None:
        if line:
            self._kept.append(line)
            if len(self._kept) >= 1024:  # hashed a thousand lines at a time
                self._flush()

    def _flush(self) -> None:
        self._digest.update("".join(f"{line}\n" for line in self._kept).encode())
        self._kept = []

    def hexdigest(self) -> str:
        """The fingerprint of the lines ended so far."""
        self._flush()
        return self._digest.hexdigest()


def parse_fingerprint(text: str) -> str | None:
    """A recorded fingerprint (64 hex digits, optionally ``sha256:``-prefixed), or None."""
    match = _FINGERPRINT.fullmatch(text.strip().lower())
    return match.group(1) if match else None
