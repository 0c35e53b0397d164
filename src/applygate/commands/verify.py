"""``applygate verify``: run the verification criteria; only their passing proves the desired state.

Every criterion runs (concurrently, ``max-parallel`` at once), each with its own retries, interval
and timeout; one progress line per attempt. All pass: the completion report and
``PLAN_STATUS: COMPLETE``, exit 0. Any fails: an error report per failed criterion and
``PLAN_STATUS: BLOCKED``, exit 1. A bad criteria file: exit 2 naming the file, criterion and key.

In-process use (``execute`` verifies right after applying)::

    criteria = verify.load(workspace / name, name)         # CriteriaFile; UsageError if invalid
    probe = verify.real_probe(str(workspace), environ, redactor)
    settings = verify.VerifySettings(max_parallel=4, rollback_status="not attempted",
                                     sha=sha, branch=branch)
    outcome = verify.verify(criteria, settings, probe, runner.print)   # VerifyOutcome, no output
    report = verify.save_report(outcome, runner, environ)  # the JSON report's path
    code = verify.publish(outcome, runner, report)  # reports, outputs: 0/1

``outcome.passed``, ``outcome.result`` (core.verification.VerifyResult: per-criterion attempts,
``plan_status``, ``passed_names``, ``failed_names``) and ``outcome.report()`` (the JSON report)
are data; ``core.verification.error_report(result, rollback_status)`` gives a failure's
ErrorReport. ``run(...)`` does the same and also publishes the commit status or check run.
"""

from __future__ import annotations

from collections.abc import Mapping

from applygate.adapters.runner import Runner
from applygate.context import RunContext
from applygate.core import verification_report
from applygate.core.criteria import CriteriaFile
from applygate.core.publish import State
from applygate.core.redact import Redactor
from applygate.core.verification import VerifySettings, outputs, status_summary
from applygate.event import EventContext, untrusted_workflow_warning
from applygate.flows import publication
from applygate.flows.criteria_run import (
    Clock,
    Probe,
    VerifyOutcome,
    load,
    real_probe,
    save_report,
    verify,
)
from applygate.flows.subject import subject_commit
from applygate.inputs.preflight import warn_unredacted
from applygate.inputs.verify import VerifyInputs
from applygate.job import Job


def run(inputs: VerifyInputs, job: Job) -> int:
    ctx, runner, environ = job.ctx, job.runner, job.environ
    workspace = job.workspace.path
    criteria = load(workspace / inputs.criteria, inputs.criteria)
    event = job.event()
    untrusted = untrusted_workflow_warning(ctx.event_name, "verify")
    if untrusted is not None:
        runner.annotate("warning", untrusted, "applygate verify: untrusted workflow")
    warn_unredacted(runner, inputs.mask, environ)
    redact = inputs.redactor(environ)
    for secret in (inputs.token, *(environ.get(name, "") for name in inputs.mask)):
        runner.mask(secret)
    probe = real_probe(str(workspace), environ, redact)
    sha = subject_commit("verify", job, inputs.settings.sha or None)
    published = publication.start(job.settings(), ctx, runner, job.publisher, sha=sha)
    settings = _settings(inputs, ctx, event, sha or "")
    return verify_and_report(criteria, settings, probe, runner, published, environ, redact=redact)


def verify_and_report(
    criteria: CriteriaFile,
    settings: VerifySettings,
    probe: Probe,
    runner: Runner,
    published: publication.Publication | None,
    environ: Mapping[str, str],
    clock: Clock | None = None,
    redact: Redactor | None = None,
) -> int:
    """Verify, report, publish the result on the commit; the exit code."""
    runner.print(f"applygate verify: {len(criteria.criteria)} criteria from {criteria.source}")
    outcome = verify(criteria, settings, probe, runner.print, clock, redact)
    code = publish(outcome, runner, save_report(outcome, runner, environ))
    if published is not None:
        state = State.SUCCESS if outcome.passed else State.FAILURE
        summary = verification_report.render_summary(outcome.result)
        publication.finish(published, state, status_summary(outcome.result), summary)
    return code


def publish(outcome: VerifyOutcome, runner: Runner, report: str) -> int:
    """The reports (console, job summary), the outputs (``report``: the JSON report's path, from
    ``save_report``) and annotations; the exit code."""
    result = outcome.result
    if not result.passed:
        runner.annotate(
            "error",
            status_summary(result) + ": not complete",
            "applygate verify: blocked",
            reported=True,
        )
    runner.print(verification_report.render_console(result))
    runner.set_outputs(outputs(result, report))
    runner.add_summary(verification_report.render_summary(result))
    return 0 if result.passed else 1


def _settings(
    inputs: VerifyInputs, ctx: RunContext, event: EventContext | None, sha: str
) -> VerifySettings:
    branch = (event.head_ref if event else None) or ctx.head_ref or ctx.ref_name
    return VerifySettings(
        max_parallel=inputs.settings.max_parallel,
        rollback_status=inputs.settings.rollback_status,
        sha=sha,
        branch=branch,
    )
