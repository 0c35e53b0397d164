"""One run's I/O objects: what the composition root (cli.py) builds once and passes to a command.

A command's ``run(inputs, job)`` finds here everything it touches outside itself: the runner's
context and environment, the runner (outputs, summary, annotations), the workspace, the event
payload (read once, when first asked), the publishing settings of the command (``None`` for a
command that never talks to GitHub) with the publications it left pending, and the GitHub client,
made on first use. Nothing here decides anything, and nothing is global: one Job per run.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from applygate.adapters.runner import Runner
from applygate.context import RunContext
from applygate.errors import UsageError
from applygate.event import EventContext
from applygate.inputs.publishing import Settings
from applygate.workspace import Workspace

if TYPE_CHECKING:
    from applygate.adapters.github import GitHubPort, PyGithubClient
    from applygate.adapters.publish import PublishPort


@dataclass
class Job:
    environ: Mapping[str, str]
    ctx: RunContext
    runner: Runner
    workspace: Workspace
    rest: tuple[str, ...] = ()  # the words after "--" (fingerprint's dry-run command)
    publishing: Settings | None = None
    _event: list[EventContext | None] = field(default_factory=list, repr=False)

    @classmethod
    def of(
        cls,
        environ: Mapping[str, str],
        rest: tuple[str, ...] = (),
        publishing: Settings | None = None,
    ) -> Job:
        """The real run: its context from the runner's variables, its files checked first."""
        ctx = RunContext.from_environ(environ)
        return cls(environ, ctx, Runner.of(ctx), Workspace.of(ctx, environ), rest, publishing)

    def event(self) -> EventContext | None:
        """The event payload the runner wrote (None outside a workflow), read once: a missing or
        malformed one is a usage error."""
        if not self._event:
            from applygate.event import load_event

            name = self.ctx.event_name
            self._event.append(load_event(name, self.ctx.event_path) if name else None)
        return self._event[0]

    def settings(self) -> Settings:
        """The publishing settings of a command that talks to GitHub."""
        if self.publishing is None:
            raise UsageError("this command does not publish")  # a wiring error, never input
        return self.publishing

    @functools.cached_property
    def client(self) -> PyGithubClient:
        """The API client (the token and retry budget of the publishing settings), made on
        first use and reused: one retry budget for the whole command."""
        from applygate.adapters.github import PyGithubClient

        settings = self.settings()
        repository = self.ctx.require_repository()
        return PyGithubClient.connect(settings.token, self.ctx.api_url, repository, settings.retry)

    def github(self) -> GitHubPort:
        """The reads of the API (the client above)."""
        return self.client

    def publisher(self) -> PublishPort:
        """The writer of statuses, check runs, comments and reactions, on the same client."""
        return self._publisher

    @functools.cached_property
    def _publisher(self) -> PublishPort:
        from applygate.adapters.publish import GitHubPublisher

        return GitHubPublisher(self.client, self.ctx.repository, self.settings().write_interval)
