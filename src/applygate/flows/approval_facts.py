"""What ``approve`` reads before deciding: what binds approvals to the commit, the submissions
(comments, reviews, environment approvals) that may carry tokens, and who may approve."""

from __future__ import annotations

from dataclasses import replace

from applygate.adapters.github import GitHubPort, PullInfo
from applygate.context import RunContext
from applygate.core.activity import Pushes
from applygate.core.approval import Binding, Source, Submission
from applygate.core.policy import (
    AuthFacts,
    Author,
    Authorization,
    NeedPermission,
    NeedTeam,
    Policy,
    authorize,
)
from applygate.core.reasons import Reason
from applygate.inputs.approve import ApproveInputs


def bind(
    gh: GitHubPort,
    ctx: RunContext,
    sources: tuple[Source, ...],
    pull: PullInfo | None,
    binding: Binding,
) -> Binding:
    """What binds approvals to the commit: its push, the pull request's author, the run's actors."""
    # a re-run keeps the approvals of earlier attempts and the listing does not say which
    # attempt each was given for: on a re-run (or when the runner does not say), none is bound
    rerun = ctx.run_attempt != "1"
    if pull is None:
        bound = bool(ctx.sha) and binding.sha == ctx.sha and not rerun
        # the push that made the commit the branch's head: its pusher never approves it, even
        # when someone else dispatched or re-ran the run
        branch = ctx.ref.removeprefix("refs/heads/") if ctx.ref.startswith("refs/heads/") else ""
        found = branch and binding.sha
        pushes = gh.find_push(branch, binding.sha, since_creation=False) if found else Pushes(None)
        return replace(
            binding,
            push=pushes.head,
            # the head push may be unknown (the branch moved on): whoever pushed the commit
            # still never approves it
            pushers=pushes.of_commit,
            triggering_actor=ctx.triggering_actor or None,
            run_actor=ctx.actor or None,
            environment_bound=bound,
            rerun=rerun,
        )
    same_repo = (
        pull.head_repo is not None and pull.head_repo.casefold() == pull.base_repo.casefold()
    )
    # a fork's pushes are not in this repository's activity: its push is unknown, and only the
    # pull request's author is known to have written it
    pushes = gh.find_push(pull.head_ref, pull.head_sha) if same_repo else Pushes(None)
    push = pushes.head
    env_bound = False
    # A re-run restarts the run's clock but keeps the approvals of earlier attempts (they carry
    # no time): only a first attempt that started after the push binds them to this head.
    if Source.ENVIRONMENT in sources and push is not None and not rerun:
        env_bound = push.timestamp < gh.run_started_at(ctx.run_id)
    return replace(
        binding,
        sha=pull.head_sha,
        push=push,
        pr_author=pull.author.login if pull.author else None,
        pushers=pushes.pushers,
        triggering_actor=ctx.triggering_actor or None,
        run_actor=ctx.actor or None,
        environment_bound=env_bound,
        rerun=rerun,
    )


def gather(
    gh: GitHubPort,
    ctx: RunContext,
    number: int | None,
    sources: tuple[Source, ...],
    binding: Binding,
) -> list[Submission]:
    """Every submission of the sources read."""
    found: list[Submission] = []
    if number is not None and Source.PR_COMMENT in sources:
        found += gh.issue_comments(number, binding.push.timestamp if binding.push else None)
    if number is not None and Source.PR_REVIEW in sources:
        found += gh.reviews(number)
    if Source.ENVIRONMENT in sources:
        found += gh.environment_approvals(ctx.run_id)
    return found


def resolve(author: Author, policy: Policy, gh: GitHubPort) -> Authorization:
    """Ask the core what it needs to know about ``author`` until it can answer."""
    facts = AuthFacts()
    while True:
        step = authorize(author, facts, policy)
        if isinstance(step, Authorization):
            return step
        if isinstance(step, NeedPermission):
            facts = replace(facts, permission=gh.permission(step.login))
        elif isinstance(step, NeedTeam):
            member = gh.is_team_member(step.org, step.slug, step.login)
            facts = replace(facts, teams={**facts.teams, step.team: member})


def precondition(inputs: ApproveInputs, pull: PullInfo | None) -> Reason | None:
    if pull is None:
        return None
    if pull.state.lower() != "open":
        state = pull.state or "in an unknown state"
        return Reason(
            "not-open",
            f"pull request #{pull.number} is {state}: only an open pull request's head can be "
            "approved (reopen it, or gate the commit it was merged as)",
        )
    fork = pull.head_repo is None or pull.head_repo.casefold() != pull.base_repo.casefold()
    if fork and not inputs.allow_forks:
        source = pull.head_repo or "a deleted repository"
        return Reason("fork", f"the head comes from {source}: fork pull requests need allow-forks")
    if inputs.sha is not None and inputs.sha != pull.head_sha:
        return head_moved(inputs.sha, pull.head_sha)
    return None


def head_moved(expected: str, actual: str) -> Reason:
    return Reason(
        "head-moved",
        f"the pull request head is {actual[:12]}, not {expected[:12]}: nobody approved that commit",
    )
