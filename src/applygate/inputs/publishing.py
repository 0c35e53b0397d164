"""The publishing inputs every command that talks to GitHub shares: where its result is published
(a commit status, a check run, or nothing), under which name, with which token and pace."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from applygate.adapters.retry import RetryPolicy
from applygate.context import env_seconds
from applygate.core.publish import Mode, context_name
from applygate.inputs.fields import choice, token


class Unfinished(Protocol):
    """A publication or deployment a run has started and not yet ended."""

    def abandon(self, why: str) -> None:
        """End it as an error saying ``why``: the command died."""


def ended(pending: list[Unfinished], item: Unfinished) -> None:
    """``item`` is no longer open (its last word was written, or will not be)."""
    pending[:] = [open_one for open_one in pending if open_one is not item]


@dataclass(frozen=True)
class Settings:
    command: str
    mode: Mode
    context: str
    token: str = field(repr=False)
    write_interval: float = 0.0  # 0: back to back, spaced only when a run makes many
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    # this run's publications marked pending and not yet final (flows/publication.py), and its
    # deployments in progress (flows/deployment.py): a required check left pending blocks a merge
    # with no word of why, a deployment left in_progress says something is being applied, so if
    # the command dies, the CLI ends them as errors. One list per run: no process-wide state.
    pending: list[Unfinished] = field(default_factory=list, compare=False, repr=False)


def settings(command: str, raw: Mapping[str, str], environ: Mapping[str, str]) -> Settings:
    """The publishing inputs, validated (a bad value is a usage error, exit 2)."""
    mode = Mode(choice(raw, "publish", tuple(Mode), Mode.COMMIT_STATUS))
    interval = env_seconds(environ, "APPLYGATE_WRITE_INTERVAL_SECONDS", 0.0)
    context = context_name(command, raw.get("status-context", ""))
    retry = RetryPolicy.from_environ(environ)
    return Settings(command, mode, context, token(raw, environ), interval, retry)
