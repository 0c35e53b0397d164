"""A rollback in one of its modes, then the rollback criteria: the proof the system came back.

- ``git-revert``: revert and push (flows/revert.py), then the criteria, with their retries, wait
  for the reconciler that applies the branch;
- ``redeploy``: the apply steps again on the last good commit, in a separate clean ``git
  worktree`` of it (the workspace is never touched), then the criteria; with a deployer, recorded
  as a deployment of that commit (flows/deployment.py's ``Redeploy``);
- ``steps``: the user's undo commands in the workspace, then the criteria.

Whatever the mode, the verdict is core/restore.py's: ``restored`` only when the criteria passed.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from applygate.adapters.git import GitError
from applygate.adapters.git_write import GitWriter
from applygate.adapters.runner import Runner
from applygate.context import RunContext
from applygate.core.execution import Outcome, StepRecord, StepState, VerificationState
from applygate.core.redact import Redactor
from applygate.core.restore import Check, Mode, Restore
from applygate.core.rollback import status_text
from applygate.errors import ApiError
from applygate.event import EventContext
from applygate.flows.deployment import Redeploy
from applygate.flows.revert import perform, redacted
from applygate.flows.steps import StepRunner
from applygate.flows.verification import Verifier
from applygate.inputs.execute import ExecuteInputs
from applygate.inputs.rollback import RollbackInputs


@dataclass(frozen=True, kw_only=True)
class Plan:
    mode: Mode
    revert: RollbackInputs  # git-revert: what to revert, where
    undo: tuple[str, ...] = ()  # steps: the undo commands
    apply: tuple[str, ...] = ()  # redeploy: the apply steps
    good: str | None = None  # redeploy: the last good commit
    check: Verifier | None = None  # the rollback criteria, loaded
    # redeploy with a deployer: reads the last good deployment, records the redeploy as one
    record: Redeploy | None = None


# cwd -> a step runner working there (the same shell, timeouts and retries as the apply steps)
Steps = Callable[[str], StepRunner]


def restore(
    plan: Plan,
    ctx: RunContext,
    event: EventContext | None,
    git: GitWriter,
    steps: Steps,
    runner: Runner,
    redact: Redactor,
    environ: Mapping[str, str],
) -> Restore:
    """Run the mode's action; then, when it was done, the rollback criteria."""
    runner.group(f"applygate: rollback ({plan.mode})")
    if plan.mode is Mode.GIT_REVERT:
        found = redacted(perform(plan.revert, ctx, event, git), redact)
        words = status_text(found) + (f"; local checkout: {found.local}" if found.local else "")
        done = Restore(
            mode=plan.mode,
            done=found.reverted,
            action=words,
            sha=found.revert_sha if found.reverted else "",
            revert_sha=found.revert_sha,
            reverted=found.sha,
        )
    elif plan.mode is Mode.STEPS:
        records = steps(str(git.workspace)).run_all(plan.undo)
        done = Restore(mode=plan.mode, done=_passed(records), action=_said(records, "undo"))
    else:
        done = _redeploy(plan, git, steps, environ)
    runner.end_group()
    result = _checked(done, plan.check)
    if plan.record is not None:  # a redeploy recorded as a deployment
        plan.record.finish(result)
    return result


def _checked(done: Restore, check: Verifier | None) -> Restore:
    """When the action was done, the rollback criteria, and the verdict with them."""
    if not done.done or check is None:
        return done
    found_check = check()
    passed = found_check.state is VerificationState.PASSED
    return Restore(
        mode=done.mode,
        done=True,
        check=Check.PASSED if passed else Check.FAILED,
        action=done.action,
        criteria=found_check.summary,
        sha=done.sha,
        revert_sha=done.revert_sha,
        reverted=done.reverted,
    )


def plan(
    inputs: ExecuteInputs,
    outcome: Outcome,
    check: Verifier | None,
    record: Redeploy | None = None,
) -> Plan:
    """What execute rolls back: the commit and branch the checklist proved, its own steps."""
    revert = RollbackInputs(
        token=inputs.preflight.token,
        # the commit the checklist read, not HEAD now: a step may have committed or checked out
        sha=inputs.preflight.sha or outcome.commit or None,
        remote=inputs.preflight.remote,
        # the branch the checklist found the commit on, not the one checked out now
        branch=inputs.preflight.branch or _checked_branch(outcome, inputs.preflight.remote),
        identity=inputs.identity,
    )
    return Plan(
        mode=inputs.rollback,
        revert=revert,
        undo=inputs.rollback_steps,
        apply=inputs.preflight.steps,
        good=inputs.rollback_sha,
        check=check,
        record=record,
    )


def _checked_branch(outcome: Outcome, remote: str) -> str | None:
    """``main`` of the checklist's ``origin/main``; None when it did not check (require-pushed
    false): then the rollback works the branch out as ``applygate rollback`` does."""
    prefix = f"{remote}/"
    return outcome.pushed_to.removeprefix(prefix) if outcome.pushed_to.startswith(prefix) else None


def _redeploy(plan: Plan, git: GitWriter, steps: Steps, environ: Mapping[str, str]) -> Restore:
    wanted = plan.good
    if wanted is None and plan.record is not None:
        try:
            wanted = plan.record.last_good()
        except ApiError as error:
            why = f"the last successful deployment cannot be read: {error}"
            return Restore(mode=plan.mode, done=False, action=why)
    if not wanted:
        why = "no last good commit to redeploy (no successful deployment): set rollback-sha"
        return Restore(mode=plan.mode, done=False, action=why)
    try:
        if not git.has_commit(wanted):
            git.fetch(plan.revert.remote, [wanted], depth=None)
        good = git.commit_of(wanted).sha
    except GitError as error:
        return Restore(mode=plan.mode, done=False, action=f"{wanted[:12]}: {error}")
    where = tempfile.mkdtemp(prefix="applygate-redeploy-", dir=environ.get("RUNNER_TEMP"))
    try:
        git.add_worktree(where, good)
        if plan.record is not None:  # as the steps start; a record refused is a warning
            plan.record.start(good)
        records = steps(where).run_all(plan.apply)
    except GitError as error:
        return Restore(mode=plan.mode, done=False, action=str(error), sha=good)
    finally:
        git.remove_worktree(where)
        shutil.rmtree(where, ignore_errors=True)
    said = _said(records, f"redeploy of {good[:12]} (a separate worktree)")
    return Restore(mode=plan.mode, done=_passed(records), action=said, sha=good)


def _passed(records: tuple[StepRecord, ...]) -> bool:
    return bool(records) and all(r.state is StepState.PASSED for r in records)


def _said(records: tuple[StepRecord, ...], what: str) -> str:
    failed = next((r for r in records if r.state is StepState.FAILED), None)
    if failed is None:
        return f"{what}: {len(records)} step(s) succeeded"
    last = failed.last
    why = f"{last.error_type}: {last.why}" if last is not None else "not run"
    return f"{what}: step {failed.number} ({failed.command}) failed ({why})"
