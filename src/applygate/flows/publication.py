"""Publishing a command's result on its commit (commit status or check run) for branch protection.

Every command uses it the same way, with what its job holds (job.py)::

    sha = subject_commit("verify", job, inputs.sha)  # the one rule: flows/subject.py
    published = publication.start(job.settings(), job.ctx, job.runner, job.publisher, sha=sha)
    publication.finish(published, State.SUCCESS, "3 of 3 criteria passed", summary_markdown)

The settings (inputs/publishing.py) hold the publications a run leaves pending, which the CLI
ends as errors if the command dies.

``finish`` takes ``sha=`` when the commit became known only while working. Publishing never
changes a result: a refused write (say a 403 for a missing ``statuses: write``) is one warning
naming the permission, and later writes of that publication are not attempted; a write that fails
otherwise (a 502, no answer) is a warning and the result is still written. Without a token,
a repository or a commit (a local run) nothing is published, with one info line.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from applygate.adapters.publish import GitHubPublisher, PublishPort
from applygate.adapters.runner import Runner
from applygate.context import RunContext
from applygate.core.publish import (
    CONCLUSIONS,
    MAX_TITLE,
    Mode,
    State,
    Target,
    clip,
    description,
    output_text,
    permission_hint,
    run_url,
)
from applygate.errors import ApiError
from applygate.inputs.publishing import Settings, Unfinished, ended

Connect = Callable[[], PublishPort]


@dataclass
class Publication:
    settings: Settings
    runner: Runner
    connect: Connect | None  # None: nothing is published (mode none, no token, no repository)
    target_url: str = ""
    sha: str = ""
    check_run_id: int = 0
    refused: bool = False

    @property
    def active(self) -> bool:
        """Whether anything will be published (a mode, a token, a repository, no refusal)."""
        return self.connect is not None and not self.refused

    def abandon(self, why: str) -> None:
        """The command died with this publication pending: it ends as an error saying why."""
        command = self.settings.command
        finish(self, State.ERROR, f"{command}: {why}", f"applygate {command}: {why}")


def connector(settings: Settings, ctx: RunContext) -> Connect:
    """The real GitHub writer, built on first use and then reused."""

    @functools.cache
    def connect() -> PublishPort:
        from applygate.adapters.github import PyGithubClient

        client = PyGithubClient.connect(settings.token, ctx.api_url, ctx.repository, settings.retry)
        return GitHubPublisher(client, ctx.repository, settings.write_interval)

    return connect


def start(
    settings: Settings,
    ctx: RunContext,
    runner: Runner,
    connect: Connect | None = None,
    sha: str | None = None,
) -> Publication:
    """Prepare the publication and, when the commit is known, mark it pending."""
    publication = Publication(
        settings, runner, None, run_url(ctx.server_url, ctx.repository, ctx.run_id)
    )
    if settings.mode is Mode.NONE:
        return publication
    missing = "no token" if not settings.token else "" if ctx.repository else "no repository"
    if missing:
        runner.print(f"applygate: not publishing {settings.context}: {missing} (a local run?)")
        return publication
    publication.connect = connect or connector(settings, ctx)
    if sha:
        _begin(publication, sha)
    return publication


def finish(
    publication: Publication,
    state: State,
    summary: str,
    report: str = "",
    sha: str | None = None,
    conclusion: str = "",
) -> None:
    """Publish the result: the final status, or the completed check run with the report.

    ``state`` is never ``pending`` (a required check left pending blocks a merge for ever);
    ``conclusion`` overrides the check run's conclusion (``neutral`` for no verdict)."""
    if state is State.PENDING:
        raise ValueError("a final result cannot be pending")
    ended(publication.settings.pending, publication)
    if publication.connect is None or publication.refused:
        return
    if sha and not publication.sha:
        publication.sha = sha
    if not publication.sha:
        name = publication.settings.context
        publication.runner.print(f"applygate: not publishing {name}: no commit to publish on")
        return
    target = _target(publication)
    if publication.settings.mode is Mode.COMMIT_STATUS:
        _attempt(
            publication,
            "status",
            lambda port: port.create_status(target, state, description(summary)),
        )
        return
    output = {
        "title": clip(description(summary), MAX_TITLE),
        "summary": output_text(report or summary),
    }
    conclusion = conclusion or CONCLUSIONS.get(state, "failure")
    if publication.check_run_id:
        run_id = publication.check_run_id
        _attempt(
            publication, "check", lambda port: port.complete_check_run(run_id, conclusion, output)
        )
    else:
        _attempt(
            publication,
            "check",
            lambda port: port.create_check_run(target, "completed", output, conclusion),
        )


def begin(publication: Publication, sha: str) -> None:
    """Mark ``sha`` pending once the commit becomes known (say from the pull request's head);
    nothing when it is already marked, publishing is off, or a write was refused."""
    if publication.connect is None or publication.refused or publication.sha:
        return
    _begin(publication, sha)


def _begin(publication: Publication, sha: str) -> None:
    publication.sha = sha
    target = _target(publication)
    if publication.settings.mode is Mode.COMMIT_STATUS:
        text = description(f"{publication.settings.command}: running")
        _attempt(
            publication, "status", lambda port: port.create_status(target, State.PENDING, text)
        )
    else:
        created = _attempt(
            publication, "check", lambda port: port.create_check_run(target, "in_progress", None)
        )
        publication.check_run_id = created if isinstance(created, int) else 0
    if not publication.refused:
        publication.settings.pending.append(publication)


def abandon(pending: list[Unfinished], why: str) -> None:
    """End every publication and deployment still open as an error saying ``why``."""
    for unfinished in list(pending):
        unfinished.abandon(why)


def _target(publication: Publication) -> Target:
    return Target(publication.sha, publication.settings.context, publication.target_url)


def _attempt(publication: Publication, kind: str, write: Callable[[PublishPort], object]) -> object:
    assert publication.connect is not None  # noqa: S101 - callers check
    try:
        return write(publication.connect())
    except ApiError as error:
        # a refusal (no permission, no such commit) would be refused again: stop writing. A
        # failure that retries could not mend (a 502, a timeout) must not keep the result from
        # being written: a pending status left behind would hold a required check for ever
        publication.refused = error.status in REFUSALS
        warn_refused(publication.runner, kind, publication.settings.context, error)
    except Exception as error:  # publishing never changes the result, whatever went wrong
        publication.refused = True
        what = f"{publication.settings.context} ({type(error).__name__}: {error})"
        message = f"could not publish {what}; the result is unchanged"
        publication.runner.annotate("warning", message, "applygate")
    return None


# Answers that mean the write is not allowed or has nothing to write on: asking again is useless.
REFUSALS = frozenset({401, 403, 404, 422})


def warn_refused(runner: Runner, kind: str, what: str, error: ApiError) -> None:
    """One warning for a write that failed: what, why, and for a refusal the permission that
    would allow it."""
    code = f"HTTP {error.status}" if error.status is not None else "no answer"
    hint = ""
    if error.status in REFUSALS:
        need = permission_hint(kind, error.accepted_permissions)
        hint = f" If the token lacks it, give the job 'permissions: {need}'."
    runner.annotate(
        "warning",
        f"could not {error.operation} ({code}: {error.detail}).{hint} The result is unchanged.",
        f"applygate: {what} not published",
    )
