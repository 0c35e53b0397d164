"""The typed, validated inputs of ``applygate rollback``, and the revert's identity (which
``execute`` uses too)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from applygate.errors import UsageError
from applygate.inputs.fields import parse_sha, token, value
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
    identity: tuple[str, str] = (DEFAULT_NAME, DEFAULT_EMAIL)
    mask: tuple[str, ...] = ()

    @classmethod
    def from_raw(cls, raw: Mapping[str, str], environ: Mapping[str, str]) -> RollbackInputs:
        return cls(
            token=token(raw, environ),
            sha=parse_revision(raw.get("sha", "")),
            remote=git_name(raw, "remote", "origin") or "origin",
            branch=git_name(raw, "branch", ""),
            identity=identity(raw),
            mask=env_names(raw, "mask"),
        )

    def secrets(self, environ: Mapping[str, str]) -> list[str]:
        names = ("GITHUB_TOKEN", *self.mask)  # the token input does not replace it in git's env
        return [self.token, *(environ.get(name, "") for name in names)]


def identity(raw: Mapping[str, str]) -> tuple[str, str]:
    """The revert's author and committer: one line each, an email without angle brackets."""
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
