"""The typed, validated inputs of ``applygate rollback``, and the revert's identity (which
``execute`` uses too)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from applygate.core.command_line import split_steps
from applygate.core.restore import Mode
from applygate.errors import UsageError
from applygate.inputs.fields import (
    choice,
    environment_name,
    operation,
    parse_sha,
    token,
    value,
)
from applygate.inputs.preflight import env_names, git_name

_ABBREVIATED = re.compile(r"[0-9a-f]{7,39}")

DEFAULT_NAME = "github-actions[bot]"
DEFAULT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"


@dataclass(frozen=True, kw_only=True)
class RollbackInputs:
    token: str = field(repr=False)
    sha: str | None = None
    remote: str = "origin"
    branch: str | None = None
    identity: tuple[str, str] | None = None  # None: git's own, else the bot in Actions
    mask: tuple[str, ...] = ()
    rollback: Mode = Mode.GIT_REVERT
    rollback_steps: tuple[str, ...] = ()  # rollback: steps
    rollback_sha: str | None = None  # rollback: redeploy
    rollback_criteria: str | None = None
    steps: tuple[str, ...] = ()  # rollback: redeploy, the apply steps
    # rollback: redeploy, where the last good commit is read and the redeploy recorded
    environment: str | None = None
    operation: str = ""  # what a redeploy's deployment names; "": the steps' text

    @classmethod
    def from_raw(cls, raw: Mapping[str, str], environ: Mapping[str, str]) -> RollbackInputs:
        environment = environment_name(raw)
        return cls(
            token=token(raw, environ),
            sha=parse_revision(raw.get("sha", "")),
            remote=git_name(raw, "remote", "origin") or "origin",
            branch=git_name(raw, "branch", ""),
            identity=identity(raw),
            mask=env_names(raw, "mask"),
            environment=environment,
            operation=operation(raw),
            **_modes(raw, environment),
        )

    def secrets(self, environ: Mapping[str, str]) -> list[str]:
        names = ("GITHUB_TOKEN", *self.mask)  # the token input does not replace it in git's env
        return [self.token, *(environ.get(name, "") for name in names)]


def identity(raw: Mapping[str, str]) -> tuple[str, str] | None:
    """The revert's author and committer: one line each, an email without angle brackets; None
    when neither input is given (git's own identity, else the bot in Actions: revert_author)."""
    if not (value(raw, "git-user-name", "") or value(raw, "git-user-email", "")):
        return None
    name = value(raw, "git-user-name", DEFAULT_NAME)
    email = value(raw, "git-user-email", DEFAULT_EMAIL)
    for input_name, text in (("git-user-name", name), ("git-user-email", email)):
        if any(char in text for char in "\n\r<>\0"):
            raise UsageError(f"invalid input {input_name}: {text!r} cannot be used in a commit")
    if "@" not in email:
        raise UsageError(f"invalid input git-user-email: {email!r} is not an email address")
    return name, email


def parse_revision(text: str, name: str = "sha") -> str | None:
    """A full commit sha, or an abbreviated one of 7 or more hex digits (git resolves it in the
    checkout, and refuses one that is ambiguous or unknown there)."""
    cleaned = text.strip().lower()
    if _ABBREVIATED.fullmatch(cleaned):
        return cleaned
    return parse_sha(text, name)


def rollback_fields(
    raw: Mapping[str, str], default: Mode, environment: str | None
) -> dict[str, Any]:
    """``rollback`` and what its mode needs (shared with ``applygate rollback``): ``steps`` needs
    rollback-steps, ``redeploy`` rollback-sha; an input another mode would read is refused."""
    mode = Mode(choice(raw, "rollback", tuple(Mode), default))
    undo = split_steps(raw.get("rollback-steps", ""))
    good = parse_revision(raw.get("rollback-sha", ""), "rollback-sha")
    if mode is Mode.STEPS and not undo:
        raise UsageError("input rollback-steps is required with rollback: steps")
    if undo and mode is not Mode.STEPS:
        raise UsageError(f"input rollback-steps is only read with rollback: steps (not {mode})")
    if mode is Mode.REDEPLOY and good is None and environment is None:
        raise UsageError(
            "input rollback-sha is required with rollback: redeploy (the last good commit), "
            "unless input environment has a successful deployment to read it from"
        )
    if good is not None and mode is not Mode.REDEPLOY:
        raise UsageError(f"input rollback-sha is only read with rollback: redeploy (not {mode})")
    checks = raw.get("rollback-criteria", "").strip() or None
    if checks is not None and mode is Mode.NONE:
        raise UsageError(
            "input rollback-criteria is only read with a rollback mode (rollback: none)"
        )
    return {
        "rollback": mode,
        "rollback_steps": undo,
        "rollback_sha": good,
        "rollback_criteria": checks,
    }


def _modes(raw: Mapping[str, str], environment: str | None) -> dict[str, Any]:
    """``applygate rollback``'s mode (default git-revert; none does nothing, so it is refused)
    and, for redeploy, the apply steps to run again."""
    fields = rollback_fields(raw, Mode.GIT_REVERT, environment)
    if fields["rollback"] is Mode.NONE:
        raise UsageError(
            "invalid input rollback: none rolls nothing back (git-revert, redeploy, steps)"
        )
    steps = split_steps(raw.get("steps", ""))
    if fields["rollback"] is Mode.REDEPLOY and not steps:
        raise UsageError(
            "input steps is required with rollback: redeploy (the apply steps to run again)"
        )
    if steps and fields["rollback"] is not Mode.REDEPLOY:
        raise UsageError(
            f"input steps is only read with rollback: redeploy (not {fields['rollback']})"
        )
    return {**fields, "steps": steps}
