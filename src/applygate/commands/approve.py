"""``applygate approve``: is this operation approved, by whom, for which commit?

Gathers facts through the GitHub adapter, hands them to the pure core, and reports. Every API
failure that survives the adapter's retries blocks the decision with the error's class as reason.

Triggered by a pull-request comment, it first reads the comment from the event payload alone:
conversation, bots and quotes are ``skipped`` without a single API request, and a near miss gets
one helpful reply instead of a decision (flows/pr_answer.py). What it decides is
published on the commit (flows/publication.py) and answered on the comment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from applygate.adapters.github import GitHubPort
from applygate.adapters.publish import PublishPort
from applygate.adapters.runner import Runner
from applygate.context import RunContext
from applygate.core import report
from applygate.core.approval import (
    Binding,
    Decision,
    Source,
    Submission,
    authorize_needed,
    block,
    blocked,
    decide,
    screen,
)
from applygate.core.publish import State, run_url
from applygate.core.reasons import Reason
from applygate.core.redact import Redactor
from applygate.core.subject import CommitSource
from applygate.core.trigger import (
    PR_SOURCES,
    Trigger,
    Undecided,
    started_by_anyone,
    undecided,
)
from applygate.errors import ApiError, UsageError
from applygate.event import UNTRUSTED_WORKFLOW_EVENTS, EventContext
from applygate.flows import approval_facts, pr_answer, publication
from applygate.flows.subject import first_known
from applygate.inputs.approve import ApproveInputs
from applygate.inputs.publishing import Settings
from applygate.job import Job


@dataclass(frozen=True)
class Plan:
    """What this run will read: the pull request (if any) and the approval sources."""

    pr_number: int | None
    sources: tuple[Source, ...]


def plan(inputs: ApproveInputs, ctx: RunContext, event: EventContext | None) -> Plan:
    pr_number = inputs.pr_number or (event.pr_number if event else None)
    if inputs.sources is not None:
        sources = inputs.sources
    else:
        sources = PR_SOURCES if pr_number else (Source.ENVIRONMENT,)
    if pr_number is None and any(source in PR_SOURCES for source in sources):
        raise UsageError(
            "input sources: pr-comment and pr-review need a pull request (set pr-number)"
        )
    if Source.ENVIRONMENT in sources and not ctx.run_id:
        raise UsageError(
            "input sources: environment needs GITHUB_RUN_ID (run it inside a workflow)"
        )
    if pr_number is None and not (inputs.sha or ctx.sha):
        raise UsageError("no commit to bind to: set input sha or GITHUB_SHA, or pr-number")
    return Plan(pr_number, sources)


def run(inputs: ApproveInputs, job: Job) -> int:
    """Decide with the job's adapters: one GitHub client reads and writes, one retry budget."""
    job.ctx.require_repository()
    settings = job.settings()
    return decide_and_report(
        inputs, job.ctx, job.event(), job.github, job.runner, settings, job.publisher
    )


def decide_and_report(
    inputs: ApproveInputs,
    ctx: RunContext,
    event: EventContext | None,
    connect: Callable[[], GitHubPort],
    runner: Runner,
    publishing: Settings | None = None,
    writer: Callable[[], PublishPort] | None = None,
) -> int:
    """Decide and report. Without ``publishing``/``writer`` nothing is written to GitHub."""
    runner.mask(inputs.token)
    answer = pr_answer.Answer(event, inputs.policy.operation, runner, writer)
    skipped = answer.triage()
    if skipped is not None:
        return report_skipped(skipped, runner)
    warnings = _warnings(ctx, inputs)
    for warning in warnings:
        runner.annotate("warning", warning.message, "applygate")
    gate_plan = None
    if event is None or not event.on_plain_issue or inputs.pr_number is not None:
        gate_plan = plan(inputs, ctx, event)
    answer.started()
    # a comment or review that started the run publishes nothing on the commit until it has
    # proved to decide (anyone may comment: the head's status is not theirs to reset)
    trigger = event.trigger if event is not None else None
    published = None
    if publishing is not None:
        gated_pr = gate_plan is None or gate_plan.pr_number is not None
        known = _before_the_pull_request(inputs, ctx, gated_pr)
        known = "" if trigger is not None else known
        published = publication.start(publishing, ctx, runner, writer, known or None)
    read: list[Submission] | None = None  # the comments the decision read, for the answer
    if gate_plan is None:
        reason = Reason("not-a-pull-request", "the comment is on an issue, not a pull request")
        decision = blocked(inputs.policy, Binding(sha=inputs.sha or ""), reason)
    else:

        def head_known(sha: str) -> None:
            if published is not None and trigger is None:
                publication.begin(published, sha)

        def comments_read(comments: list[Submission]) -> None:
            nonlocal read
            read = comments

        reads = Reads(head_known, comments_read)
        decided = _decide(inputs, ctx, gate_plan, connect(), warnings, reads, trigger)
        if isinstance(decided, Undecided):
            why = Redactor.of([inputs.token])(str(decided.reason))
            answer.undecided(decided, why)
            # decided nothing, though a token was there: exit 1, so that a script gating on the
            # exit code (approve && apply) never applies; the outputs say skipped
            return report_skipped(why, runner, code=1)
        decision = decided
    decision = _redacted(decision, Redactor.of([inputs.token]))
    code = publish(decision, runner)
    if published is not None:
        summary = report.render_summary(decision)
        publication.finish(
            published, _state(decision), report.describe(decision), summary, decision.sha
        )
    answer.finished(decision, run_url(ctx.server_url, ctx.repository, ctx.run_id), read)
    return code


def _redacted(decision: Decision, redact: Redactor) -> Decision:
    """The token out of every reason (an API error body, a proxy's message may quote it)."""
    reasons = tuple(replace(r, message=redact(r.message)) for r in decision.reasons)
    lines = tuple(
        replace(v, reason=replace(v.reason, message=redact(v.reason.message)))
        if v.reason is not None
        else v
        for v in decision.lines
    )
    return replace(decision, reasons=reasons, lines=lines)


def report_skipped(why: str, runner: Runner, code: int = 0) -> int:
    """Nothing to decide: say so, set ``decision=skipped`` (the next job must not run). Exit 0
    when the comment held no token at all (chat, a bot's, a quote: every comment on a pull
    request starts the gate); 1 when the run decided nothing although it was asked to."""
    runner.print(f"applygate approve: skipped: {why}")
    runner.set_outputs(report.skipped_outputs())
    runner.add_summary(report.render_skipped(why))
    return code


def _state(decision: Decision) -> State:
    if decision.approved:
        return State.SUCCESS
    if any(reason.code.startswith("api-") for reason in decision.reasons):
        return State.ERROR
    return State.FAILURE


def publish(decision: Decision, runner: Runner) -> int:
    if decision.generic_scope:
        runner.annotate("warning", "approved with a generic scope: it does not name the operation")
    if not decision.approved:
        runner.annotate(
            "error",
            "; ".join(r.message for r in decision.reasons),
            "applygate: blocked",
            reported=True,
        )
    runner.print(report.render_console(decision))
    runner.set_outputs(report.outputs(decision))
    runner.add_summary(report.render_summary(decision))
    return 0 if decision.approved else 1


def _warnings(ctx: RunContext, inputs: ApproveInputs) -> list[Reason]:
    found = []
    if ctx.event_name in UNTRUSTED_WORKFLOW_EVENTS:
        found.append(
            Reason(
                "untrusted-workflow",
                f"gating in a {ctx.event_name} workflow is unsafe: the pull request controls this "
                "workflow and its inputs. Gate in issue_comment, push or workflow_dispatch "
                "workflows.",
            )
        )
    if ctx.in_actions and not inputs.token:
        found.append(Reason("no-token", "no token: set the token input or GITHUB_TOKEN"))
    return found


@dataclass(frozen=True)
class Reads:
    """Who hears what the decision reads, as it reads it: the pull request's head (to mark it
    pending) and the pull request's comments (the answer finds its result comment among them)."""

    head_known: Callable[[str], None]
    comments_read: Callable[[list[Submission]], None] = lambda _comments: None


def _decide(
    inputs: ApproveInputs,
    ctx: RunContext,
    gate_plan: Plan,
    gh: GitHubPort,
    warnings: list[Reason],
    reads: Reads,
    trigger: Trigger | None = None,
) -> Decision | Undecided:
    """``reads`` hears the head and the comments as soon as they are read. With a ``trigger``
    (the comment or review that started the run), Undecided unless the trigger is itself a
    counted approval or a blocking denial (core/trigger.py)."""
    policy = inputs.policy
    if trigger is None:  # before any request: approvals already given are not re-used for it
        anyone = started_by_anyone(ctx.event_name, gate_plan.sources)
        if anyone is not None:
            return anyone
    # with a pull request, GITHUB_SHA is no commit of it (a comment's run is on the default
    # branch): until the pull request is read, the commit is unknown, and nothing is published
    gated_pr = gate_plan.pr_number is not None
    unread = _before_the_pull_request(inputs, ctx, gated_pr) or ""
    binding = Binding(sha=unread, pr_number=gate_plan.pr_number)
    try:
        pull = gh.get_pull(gate_plan.pr_number) if gate_plan.pr_number else None
        if pull is not None:
            reads.head_known(pull.head_sha)
        early = approval_facts.precondition(inputs, pull)
        if early is not None:
            sha = pull.head_sha if pull else binding.sha
            return blocked(policy, replace(binding, sha=sha), early)
        binding = approval_facts.bind(gh, ctx, gate_plan.sources, pull, binding)
        submissions = approval_facts.gather(
            gh, ctx, gate_plan.pr_number, gate_plan.sources, binding
        )
        if gate_plan.pr_number is not None and Source.PR_COMMENT in gate_plan.sources:
            reads.comments_read([s for s in submissions if s.source is Source.PR_COMMENT])
        screening = screen(submissions, policy, binding)
        first = trigger.author_key if trigger is not None else None
        authorizations = authorize_needed(
            screening, policy, lambda a: approval_facts.resolve(a, policy, gh), first
        )
        decision = decide(screening, authorizations, policy, binding, warnings)
        if trigger is not None:
            nothing = undecided(decision, submissions, trigger, gate_plan.sources)
            if nothing is not None:
                return nothing
        if pull is not None:
            now = gh.get_pull(pull.number).head_sha
            if now != binding.sha:
                decision = block(decision, approval_facts.head_moved(binding.sha, now))
    except ApiError as error:
        code = "api-" + error.error_type.name.lower().replace("_", "-")
        return blocked(policy, binding, Reason(code, f"{error.error_type}: {error}"))
    return decision


def _before_the_pull_request(inputs: ApproveInputs, ctx: RunContext, gated_pr: bool) -> str | None:
    """The commit to bind to before any pull request is read (core/subject.py): the sha input,
    else GITHUB_SHA, which is no commit of a pull request (a comment's run is on the default
    branch): with one, the commit is unknown until its head is read."""
    readers = {CommitSource.SHA_INPUT: lambda: inputs.sha, CommitSource.GITHUB_SHA: lambda: ctx.sha}
    return first_known("approve", ctx.event_name, readers, pull_request=gated_pr)
