"""Every apply recorded as a GitHub deployment of the approved commit to ``environment``, and
every redeploy as a deployment of the commit it returns to.

Made only when the run publishes (``publish`` is not ``none``), has a token and a repository, and
``environment`` is set. The apply's deployment is created, ``in_progress``, once the checklist
passed and before the first step: one that cannot be created stops the run before anything
changes (the record is what later rollbacks read). A redeploy's is created as its steps start;
one that cannot be created is a warning and the redeploy goes on: the live system matters more
than the record. Last statuses are core/deployment.py's; one that cannot be written is a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from applygate.adapters.deployments import GitHubDeployments
from applygate.adapters.github_transport import GitHubTransport
from applygate.adapters.runner import Runner
from applygate.context import RunContext
from applygate.core.deployment import (
    WORKFLOW_IDENTITY,
    DeployState,
    Record,
    RollbackRecord,
    create_body,
    last_successful,
    rollback_state,
    status_body,
)
from applygate.core.publish import Mode, run_url
from applygate.core.restore import Restore, status, status_line
from applygate.errors import ApiError, UsageError
from applygate.inputs.publishing import Settings, Unfinished, ended


@dataclass
class Deployer:
    connect: Callable[[], GitHubTransport]
    repository: str
    environment: str
    log_url: str
    runner: Runner
    id: int | None = None
    creator: str = ""  # who this run records deployments as (GitHub's answer to the create)
    # the run's unfinished records (Settings.pending): a job cancelled or crashed mid-apply ends
    # this deployment as an error (cli.py) instead of leaving it in_progress for ever; a
    # deployment created and no longer there has had its last status (it is sent once: execute
    # ends it before a rollback)
    pending: list[Unfinished] = field(default_factory=list, repr=False)

    def _port(self) -> GitHubDeployments:
        return GitHubDeployments(self.connect(), self.repository)

    def start(
        self, sha: str, record: Record | RollbackRecord, what: str = "apply"
    ) -> tuple[str, ...]:
        """Create the deployment of ``sha`` and mark it in_progress; why not, if it failed."""
        try:
            port = self._port()
            self.id, self.creator = port.create(create_body(sha, self.environment, record))
            doing = status_body(DeployState.IN_PROGRESS, f"{what}ing", self.log_url)
            self.pending.append(self)
            port.set_status(self.id, doing)
        except ApiError as error:
            return (f"deployment: cannot record the {what} in {self.environment}: {error}",)
        return ()

    def finish(self, state: DeployState, description: str) -> None:
        """The last status, once; nothing when the deployment was never created."""
        if self.id is None or all(unfinished is not self for unfinished in self.pending):
            return
        ended(self.pending, self)
        try:
            self._port().set_status(self.id, status_body(state, description, self.log_url))
        except ApiError as error:
            what = f"deployment {self.id} could not be set to {state} ({error}); the result stands"
            self.runner.annotate("warning", what, "applygate: deployment")

    def abandon(self, why: str) -> None:
        """The run died while this deployment was open: an error, saying why."""
        self.finish(DeployState.ERROR, why)

    def last_good(self, replaces: str) -> str | None:
        """The commit of the environment's last deployment that went well, other than
        ``replaces``, among those this run's identity recorded (``WORKFLOW_IDENTITY`` when this run
        has recorded none); ApiError when unread."""
        port = self._port()
        trusted = self.creator or WORKFLOW_IDENTITY
        listed = port.listed(self.environment)
        return last_successful(listed, port.states, replaces=replaces, trusted=trusted)

    def for_redeploy(self, operation: str, replaces: str) -> Redeploy:
        """The recorder of a redeploy: a deployment of its own (never this one's id)."""
        return Redeploy(replace(self, id=None), operation, replaces)


@dataclass
class Redeploy:
    """A redeploy recorded as a deployment of the commit it returns to: ``in_progress`` as its
    steps start, then core/deployment.py's ``rollback_state`` once the rollback criteria ran."""

    deployer: Deployer
    operation: str
    replaces: str  # the failed commit whose deployment this one replaces

    def last_good(self) -> str | None:
        """The environment's last good commit other than the one this redeploy replaces."""
        return self.deployer.last_good(self.replaces)

    def start(self, sha: str) -> None:
        deployer = self.deployer
        record = RollbackRecord(
            operation=self.operation, run_url=deployer.log_url, replaces=self.replaces
        )
        for why in deployer.start(sha, record, "redeploy"):
            message = f"{why}; the redeploy goes on (its record incomplete or missing)"
            deployer.runner.annotate("warning", message, "applygate: deployment")

    def finish(self, found: Restore) -> None:
        """The last status (nothing when the deployment was never created)."""
        self.deployer.finish(rollback_state(status(found)), status_line(found))


def deployer(
    settings: Settings | None,
    ctx: RunContext,
    environment: str | None,
    runner: Runner,
    connect: Callable[[], GitHubTransport],
) -> Deployer | None:
    """The run's deployer, or None when nothing is to be recorded (said once when it would have
    been but cannot)."""
    if settings is None or environment is None:
        return None
    if settings.mode is Mode.NONE:
        runner.print(f"applygate: no deployment to {environment}: publish is none")
        return None
    if not (settings.token and ctx.repository):
        runner.print(f"applygate: no deployment to {environment}: no token or repository")
        return None
    log_url = run_url(ctx.server_url, ctx.repository, ctx.run_id)
    return Deployer(connect, ctx.repository, environment, log_url, runner, pending=settings.pending)


def check_redeploy_source(
    redeploys: bool, rollback_sha: str | None, deploy: Deployer | None
) -> None:
    """A redeploy returns to ``rollback-sha``, or to the last good deployment read through the
    deployer: with neither it has nowhere to go (a usage error, before anything runs)."""
    if redeploys and rollback_sha is None and deploy is None:
        why = "needs rollback-sha, or environment with publishing on to read the last good commit"
        raise UsageError(f"rollback: redeploy {why}")
