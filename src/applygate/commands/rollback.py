"""``applygate rollback``: return the live system to a good state, and prove it.

``rollback: git-revert`` (the default) reverts the applied commit on its branch and pushes it for
the GitOps system (Flux, Argo CD, a CI pipeline) to reconcile; ``redeploy`` runs ``steps`` again
on ``rollback-sha`` in a separate worktree; ``steps`` runs ``rollback-steps``. Then the
``rollback-criteria`` run (flows/restore.py). Exit 0 only when they passed (``restored``), 1
otherwise, with the reason, the next step and what became of the local checkout. With
``environment``, a redeploy is recorded as a deployment of the commit it returns to.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace

from applygate.adapters.git import GitError
from applygate.adapters.git_write import GitWriter
from applygate.adapters.runner import Runner
from applygate.context import RunContext
from applygate.core.deployment import operation_named
from applygate.core.markdown import cell
from applygate.core.publish import State
from applygate.core.redact import Redactor
from applygate.core.restore import Mode, Restore, Status, outputs, status, status_line
from applygate.core.subject import CommitSource
from applygate.event import EventContext
from applygate.flows import deployment, publication, restore
from applygate.flows.checklist import shell
from applygate.flows.steps import StepRunner
from applygate.flows.subject import first_known
from applygate.flows.verification import Verifier
from applygate.inputs.preflight import warn_unredacted
from applygate.inputs.publishing import Settings
from applygate.inputs.rollback import RollbackInputs
from applygate.job import Job


def run(inputs: RollbackInputs, job: Job) -> int:
    warn_unredacted(job.runner, inputs.mask, job.environ)
    git = GitWriter(job.workspace.path, job.environ, inputs.identity, job.ctx.in_actions)
    redact = Redactor.of(inputs.secrets(job.environ))
    settings = job.settings()
    check = None
    if inputs.rollback_criteria is not None:  # loaded now: a broken file is exit 2 at once
        check = _verifier(inputs.rollback_criteria, job, redact)
    # a redeploy returns to the environment's last good deployment (without rollback-sha) and
    # is recorded as one; no other mode records anything
    redeploys = inputs.rollback is Mode.REDEPLOY
    deploy = None
    if redeploys:
        connect = lambda: job.client  # noqa: E731 - built on first use
        deploy = deployment.deployer(settings, job.ctx, inputs.environment, job.runner, connect)
    deployment.check_redeploy_source(redeploys, inputs.rollback_sha, deploy)
    return revert_and_report(
        inputs,
        job.ctx,
        job.event(),
        git,
        job.runner,
        redact,
        settings,
        job.publisher,
        check,
        job.environ,
        deploy,
    )


def _verifier(criteria: str, job: Job, redact: Redactor) -> Verifier:
    from applygate.core.verification import VerifySettings
    from applygate.flows import verification

    settings = VerifySettings(rollback_status="this is the rollback's own check")
    return verification.verifier(
        criteria, job.workspace, job.runner, redact, settings, "rollback-criteria"
    )


def revert_and_report(
    inputs: RollbackInputs,
    ctx: RunContext,
    event: EventContext | None,
    git: GitWriter,
    runner: Runner,
    redact: Redactor,
    publishing: Settings | None = None,
    writer: publication.Connect | None = None,
    check: Verifier | None = None,
    environ: Mapping[str, str] | None = None,
    deploy: deployment.Deployer | None = None,
) -> int:
    for secret in dict.fromkeys((inputs.token, *redact.secrets)):
        runner.mask(secret)
    published, sha = None, None
    if publishing is not None or deploy is not None:
        # The commit to revert: the sha input, else HEAD, marked pending before any git write,
        # and the one a redeploy's record replaces (it must never return to it).
        readers = {
            CommitSource.SHA_INPUT: lambda: _full(git, inputs.sha),
            CommitSource.HEAD: lambda: _head_sha(git),
        }
        sha = first_known("rollback", ctx.event_name, readers)
    if publishing is not None:
        published = publication.start(publishing, ctx, runner, writer, sha=sha)
    record = None  # a redeploy recorded as a deployment of its own, replacing the reverted commit
    if deploy is not None:
        named = redact(operation_named(inputs.operation, inputs.steps))
        record = deploy.for_redeploy(named, sha or "")
    env = dict(os.environ if environ is None else environ)
    echo = shell(lambda _stream, line: runner.print(line))
    steps = StepRunner(echo, lambda _seconds: None, runner, redact, str(git.workspace), env, ())
    plan = restore.Plan(
        mode=inputs.rollback,
        revert=inputs,
        undo=inputs.rollback_steps,
        apply=inputs.steps,
        good=inputs.rollback_sha,
        check=check,
        record=record,
    )
    elsewhere = lambda cwd: replace(steps, cwd=cwd)  # noqa: E731 - the same shell, another cwd
    found = restore.restore(plan, ctx, event, git, elsewhere, runner, redact, env)
    code = publish(found, runner)
    if published is not None:
        state = State.SUCCESS if status(found) is Status.RESTORED else State.FAILURE
        summary = render_summary(found)
        publication.finish(published, state, status_line(found), summary, found.reverted or None)
    return code


def _full(git: GitWriter, sha: str | None) -> str | None:
    """The sha input in full (an abbreviated one as this clone resolves it; as given when it
    cannot: the status is then refused with a warning, never put on another commit)."""
    if sha is None or len(sha) >= 40:
        return sha
    try:
        return git.commit_of(sha).sha
    except GitError:
        return sha


def _head_sha(git: GitWriter) -> str | None:
    """HEAD's commit, or None when git cannot say (perform then reports why)."""
    try:
        return git.head().sha
    except GitError:
        return None


def publish(found: Restore, runner: Runner) -> int:
    line = status_line(found)
    if status(found) is not Status.RESTORED:
        title = f"applygate rollback: {status(found)}"
        runner.annotate("error", line, title, reported=True)
    runner.print(f"applygate rollback: {line}")
    runner.set_outputs(outputs(found, line))
    runner.add_summary(render_summary(found))
    return 0 if status(found) is Status.RESTORED else 1


def render_summary(found: Restore) -> str:
    rows = [
        ("Mode", str(found.mode)),
        ("Rollback status", str(status(found))),
        ("What was done", found.action or "-"),
        ("Rollback criteria", found.criteria or "none ran"),
        ("Returned to", found.sha[:12] or "-"),
        ("Revert commit", found.revert_sha[:12] or "-"),
    ]
    table = "\n".join(f"| {name} | {cell(text)} |" for name, text in rows)
    return f"## applygate rollback: {status(found)}\n\n| | |\n|---|---|\n{table}\n"
