"""``applygate execute``: the checklist, then each approved step, then verification (or rollback).

1. The whole ``preflight`` checklist runs first, in this process, with the same inputs: any failure
   and no step runs.
2. The steps run one at a time (flows/steps.py); a failure is classified, transient ones are
   retried, anything else stops the run.
3. All steps succeeded: with ``criteria`` the result is verified and the run ends COMPLETE or
   BLOCKED; without, it ends APPLIED: verification is still owed and COMPLETE is never claimed.
4. Blocked after a step ran: the ``rollback`` mode runs (flows/restore.py) and the result goes
   into Rollback Status.

With ``environment``, the apply is a GitHub deployment naming the operation, the approval
evidence, the plan fingerprint and the run; a redeploy is one of the commit it returns to
(flows/deployment.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from applygate.adapters import report_file
from applygate.adapters.git import GitError
from applygate.adapters.git_write import GitWriter
from applygate.adapters.process import LineCallback, check_cancelled, pause
from applygate.adapters.runner import Runner
from applygate.context import RunContext
from applygate.core import checklist_report
from applygate.core.deployment import Record, final_state, operation_named
from applygate.core.evidence import redacted, unbound
from applygate.core.execution import (
    Outcome,
    StepRecord,
    plan_status,
    retry_waits,
    rollback_owed,
    wants_rollback,
)
from applygate.core.execution_report import (
    VERIFICATION_OWED,
    error_report,
    outputs,
    render_console,
    render_summary,
    report_json,
)
from applygate.core.publish import NEUTRAL, State
from applygate.core.redact import Redactor
from applygate.core.restore import Mode, status_line
from applygate.core.status import PlanStatus
from applygate.core.subject import CommitSource
from applygate.event import EventContext, untrusted_workflow_warning
from applygate.flows import deployment, publication, restore
from applygate.flows.checklist import run_checklist, shell
from applygate.flows.steps import Sleep, StepRunner
from applygate.flows.subject import first_known, subject_commit
from applygate.flows.verification import Verifier, for_execute
from applygate.inputs.execute import ExecuteInputs
from applygate.inputs.preflight import warn_unredacted
from applygate.inputs.publishing import Settings
from applygate.job import Job
from applygate.workspace import Workspace

VERIFICATION_UNAVAILABLE = (
    "verification is not available in this build of applygate: the criteria cannot be checked, "
    "so nothing was run (remove criteria to apply without verifying, and verify separately)"
)


@dataclass(frozen=True)
class Tools:
    """Everything execute does to the world, replaceable in tests."""

    git: GitWriter
    echo: LineCallback  # each line a command prints, redacted, as it arrives
    sleep: Sleep
    verifier: Verifier | None  # None: verification is not available
    rollback_check: Verifier | None = None  # rollback-criteria; None: the verifier's criteria
    deploy: deployment.Deployer | None = None  # records the apply as a GitHub deployment


def run(inputs: ExecuteInputs, job: Job) -> int:
    ctx, runner, workspace, environ = job.ctx, job.runner, job.workspace, job.environ
    event = job.event()
    subject = subject_commit("execute", job, inputs.preflight.sha)
    untrusted = untrusted_workflow_warning(ctx.event_name, "execute")
    if untrusted is not None:
        runner.annotate("warning", untrusted, "applygate execute: untrusted workflow")
    warn_unredacted(runner, inputs.preflight.mask, environ, inputs.preflight.credentials)
    git = GitWriter(workspace.path, environ, inputs.identity, ctx.in_actions)
    check = after = None
    if inputs.criteria is not None:  # loaded now: a broken file stops everything before it runs
        check = for_execute(inputs, ctx, event, workspace, runner, subject, inputs.criteria)
    if inputs.rollback_criteria is not None:
        criteria, name = inputs.rollback_criteria, "rollback-criteria"
        after = for_execute(inputs, ctx, event, workspace, runner, subject, criteria, name)
    settings = job.settings()
    deploy = deployment.deployer(settings, ctx, inputs.environment, runner, lambda: job.client)
    deployment.check_redeploy_source(inputs.rollback is Mode.REDEPLOY, inputs.rollback_sha, deploy)
    tools = Tools(git, lambda _stream, line: runner.print(line), pause, check, after, deploy)
    return apply(inputs, ctx, event, workspace, runner, tools, settings, job.publisher, subject)


def apply(
    inputs: ExecuteInputs,
    ctx: RunContext,
    event: EventContext | None,
    workspace: Workspace,
    runner: Runner,
    tools: Tools,
    publishing: Settings | None = None,
    writer: publication.Connect | None = None,
    subject: str | None = None,
) -> int:
    """Run and report, publishing on ``subject`` (default: what the rule names without reading
    HEAD: the sha input, the event's pull-request head, GITHUB_SHA)."""
    redact = Redactor.of(inputs.preflight.secrets(workspace.environ))
    for secret in dict.fromkeys((inputs.preflight.token, *redact.secrets)):
        runner.mask(secret)
    published = None
    sha = subject or first_known(
        "execute",
        ctx.event_name,
        {
            CommitSource.SHA_INPUT: lambda: inputs.preflight.sha,
            CommitSource.EVENT_HEAD: lambda: event.head_sha if event else None,
            CommitSource.GITHUB_SHA: lambda: ctx.sha,
        },
    )
    if publishing is not None:
        published = publication.start(publishing, ctx, runner, writer, sha=sha)
    outcome = execute(inputs, ctx, event, workspace, runner, tools, redact)
    path = report_file.save("execute", report_json(outcome), workspace.environ, runner)
    code = publish(outcome, path, runner)
    _end_deployment(tools, outcome)
    if published is not None:
        state, conclusion = RESULTS.get(plan_status(outcome), (State.FAILURE, ""))
        summary = render_summary(outcome)
        publication.finish(published, state, _describe(outcome), summary, conclusion=conclusion)
    return code


# APPLIED is no verdict: the steps succeeded, verification is still owed. The run is over, so
# the status must not stay pending (a required check would wait for ever): a commit status says
# success with "verification still owed" in its description; a check run concludes neutral.
RESULTS: dict[PlanStatus, tuple[State, str]] = {
    PlanStatus.COMPLETE: (State.SUCCESS, ""),
    PlanStatus.APPLIED: (State.SUCCESS, NEUTRAL),
}


def execute(
    inputs: ExecuteInputs,
    ctx: RunContext,
    event: EventContext | None,
    workspace: Workspace,
    runner: Runner,
    tools: Tools,
    redact: Redactor,
) -> Outcome:
    """Checklist, steps, verification, rollback: the whole run as an Outcome (no report yet)."""
    steps = tuple(StepRecord(n, redact(s)) for n, s in enumerate(inputs.preflight.steps, 1))
    runner.group("applygate execute: the pre-execution checklist")
    checking = shell(tools.echo, inputs.preflight.command_timeout)
    checklist = run_checklist(inputs.preflight, ctx, event, tools.git, workspace, checking)
    runner.end_group()
    # READY is a transition worth a line; a blocked checklist ends the run, whose line comes last
    local = not runner.actions
    runner.print(checklist_report.render_console(checklist, status=checklist.ready, local=local))
    for title, message in checklist_report.error_annotations(checklist):
        runner.annotate("error", message, title, reported=True)
    if not checklist.ready:
        runner.add_summary(checklist_report.render_summary(checklist))
    failed = tuple(f"{check.name}: {check.found}" for check in checklist.failed)
    failed += _head_moved(tools.git, checklist.commit) if checklist.ready else ()
    failed += unbound(inputs.approval_evidence, checklist.commit) if checklist.ready else ()
    if inputs.criteria is not None and tools.verifier is None:
        failed += (f"verification: {VERIFICATION_UNAVAILABLE}",)
    if not failed and tools.deploy is not None:  # in_progress as the steps start
        record = Record(
            operation=_operation(inputs, redact),
            run_url=tools.deploy.log_url,
            plan_fingerprint=inputs.preflight.plan_fingerprint or "",
            evidence=redacted(inputs.approval_evidence, redact),
        )
        failed += tools.deploy.start(checklist.commit, record)
    if failed:
        return Outcome(
            preflight_ready=False,
            preflight_failed=failed,
            steps=steps,
            rollback_status="nothing to roll back: no step ran",
            commit=checklist.commit,
            pushed_to=checklist.pushed_to,
        )
    waits = retry_waits(inputs.retries, inputs.retry_interval)
    cwd = str(workspace.path)
    run = shell(tools.echo, inputs.step_timeout, "step-timeout")
    stepper = StepRunner(run, tools.sleep, runner, redact, cwd, workspace.environ, waits)
    outcome = Outcome(
        deployment_id=str(tools.deploy.id) if tools.deploy and tools.deploy.id else "",
        preflight_ready=True,
        steps=stepper.run_all(inputs.preflight.steps),
        commit=checklist.commit,
        pushed_to=checklist.pushed_to,
    )
    check_cancelled()  # a cancelled job starts nothing more: no verification, no rollback
    if outcome.applied and inputs.criteria is not None and tools.verifier is not None:
        outcome = replace(outcome, verification=tools.verifier())
    if not wants_rollback(outcome):
        return outcome
    check_cancelled()
    _end_deployment(tools, outcome)  # the failed apply's record ends before any redeploy starts
    elsewhere = lambda cwd: replace(stepper, cwd=cwd)  # noqa: E731 - the same shell, another cwd
    return _roll_back(
        inputs, ctx, event, outcome, tools, runner, redact, elsewhere, workspace.environ
    )


def _head_moved(git: GitWriter, commit: str) -> tuple[str, ...]:
    """The checklist read git before running the dry-run and credentials-check: the steps must
    apply the commit it checked, not one those commands checked out."""
    try:
        now = git.head().sha
    except GitError as error:
        return (f"approved-sha: HEAD cannot be read after the checklist: {error}",)
    if now == commit:
        return ()
    return (
        f"approved-sha: HEAD moved during the checklist (the dry-run or credentials-check "
        f"changed it) from {commit[:12]} to {now[:12]}: no step runs",
    )


def _operation(inputs: ExecuteInputs, redact: Redactor) -> str:
    """What the apply's deployment and a redeploy name: the operation, else the steps, redacted."""
    return redact(operation_named(inputs.operation, inputs.preflight.steps))


def _roll_back(
    inputs: ExecuteInputs,
    ctx: RunContext,
    event: EventContext | None,
    outcome: Outcome,
    tools: Tools,
    runner: Runner,
    redact: Redactor,
    steps: restore.Steps,
    environ: Mapping[str, str],
) -> Outcome:
    if inputs.rollback is Mode.NONE:
        # the commit the checklist proved pushed is the one applied (it equals sha when given)
        readers = {
            CommitSource.SHA_INPUT: lambda: inputs.preflight.sha,
            CommitSource.HEAD: lambda: outcome.commit or None,
        }
        head = first_known("rollback", ctx.event_name, readers) or ""
        return replace(outcome, rollback_status=rollback_owed(outcome, head))
    record = None
    if tools.deploy is not None and inputs.rollback is Mode.REDEPLOY:  # a redeploy is recorded
        record = tools.deploy.for_redeploy(_operation(inputs, redact), outcome.commit)
    check = tools.rollback_check or tools.verifier
    plan = restore.plan(inputs, outcome, check, record)
    found = restore.restore(plan, ctx, event, tools.git, steps, runner, redact, environ)
    return replace(outcome, rollback_status=status_line(found), restore=found)


def publish(outcome: Outcome, report_path: str, runner: Runner) -> int:
    status = plan_status(outcome)
    report = error_report(outcome)
    if report is not None:
        title = f"applygate execute: {report.error_type}"
        runner.annotate("error", report.root_cause, title, reported=True)
    elif status is PlanStatus.APPLIED:
        title = "applygate execute: not verified"
        runner.annotate("warning", VERIFICATION_OWED, title, reported=True)
    runner.print(render_console(outcome, local=not runner.actions))
    runner.set_outputs(outputs(outcome, report_path))
    runner.add_summary(render_summary(outcome))
    return 1 if status is PlanStatus.BLOCKED else 0


def _end_deployment(tools: Tools, outcome: Outcome) -> None:
    if tools.deploy is not None:
        state = final_state(plan_status(outcome), outcome.any_step_ran)
        tools.deploy.finish(state, _describe(outcome))


def _describe(outcome: Outcome) -> str:
    report = error_report(outcome)
    if report is not None:
        return f"blocked: {report.error_type}: {report.root_cause}"
    if plan_status(outcome) is PlanStatus.APPLIED:
        return "applied; verification still owed"
    return "applied and verified"
