"""``applygate preflight``: is it safe to start applying? Every check runs; all failures are listed.

``run_checklist`` gathers the facts (git, the dry-run, credentials, the steps) and returns the
verdicts without printing anything, so ``execute`` can call it in-process; ``publish`` reports.
Git facts are gathered before anything runs, so a dry-run that writes files cannot make the tree
look dirty.
"""

from __future__ import annotations

from applygate.adapters.runner import Runner
from applygate.core import checklist_report as report
from applygate.core.checklist_result import ChecklistResult
from applygate.core.publish import State
from applygate.flows import publication
from applygate.flows.checklist import run_checklist, shell
from applygate.flows.subject import subject_commit
from applygate.inputs.preflight import PreflightInputs, warn_unredacted
from applygate.job import Job


def run(inputs: PreflightInputs, job: Job) -> int:
    from applygate.adapters.git import GitRepo

    ctx, runner, workspace = job.ctx, job.runner, job.workspace
    event = job.event()
    warn_unredacted(runner, inputs.mask, job.environ, inputs.credentials)
    runner.mask(inputs.token)
    git = GitRepo(workspace.path, job.environ)  # its configuration errors come before publishing
    sha = subject_commit("preflight", job, inputs.sha)
    published = publication.start(job.settings(), ctx, runner, job.publisher, sha=sha)
    runner.group("applygate preflight: git, credentials-check and dry-run")
    echo = shell(lambda _stream, line: runner.print(line), inputs.command_timeout)
    result = run_checklist(inputs, ctx, event, git, workspace, echo)
    runner.end_group()
    code = publish(result, runner)
    state = State.SUCCESS if result.ready else State.FAILURE
    summary = report.render_summary(result)
    publication.finish(published, state, report.describe(result), summary)
    return code


def publish(result: ChecklistResult, runner: Runner) -> int:
    for title, message in report.error_annotations(result):
        runner.annotate("error", message, title, reported=True)
    runner.print(report.render_console(result, local=not runner.actions))
    runner.set_outputs(report.outputs(result))
    runner.add_summary(report.render_summary(result))
    return 0 if result.ready else 1
