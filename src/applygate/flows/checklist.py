"""The pre-execution checklist, run: gathering git facts, running the credentials check and the
dry-run, and handing every fact to the core (core/checklist.py) for the verdicts.

``preflight`` reports its result; ``execute`` runs it first, in-process, and stops on a failure.
Git facts are gathered before anything runs, so a dry-run that writes files cannot make the tree
look dirty. Prints nothing (a ``Shell`` may echo command output).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Protocol, TypeVar

from applygate.adapters.git import GitError, GitPort
from applygate.adapters.process import LineCallback, PieceCallback, ProcessResult, run_shell
from applygate.context import RunContext
from applygate.core import checklist as cl
from applygate.core.checklist_facts import BranchFacts, CommandFacts, Failure
from applygate.core.checklist_result import ChecklistResult
from applygate.core.durations import format_duration
from applygate.core.fingerprint import PlanHasher
from applygate.core.gitfacts import Head
from applygate.core.noninteractive import lint
from applygate.core.redact import Redactor
from applygate.core.status import trim_output
from applygate.event import EventContext
from applygate.inputs.preflight import PreflightInputs
from applygate.workspace import Workspace

T = TypeVar("T")


class Shell(Protocol):
    """Runs a shell command; ``on_stdout`` is given its stdout as it arrives (run_shell)."""

    def __call__(
        self,
        command: str,
        cwd: str,
        env: Mapping[str, str],
        redact: Redactor,
        on_stdout: PieceCallback | None = None,
    ) -> ProcessResult: ...


def shell(
    echo: LineCallback | None = None,
    timeout: float | None = None,
    setting: str = "command-timeout",
) -> Shell:
    """run_shell, each redacted output line also given to ``echo`` (the log) as it arrives; a
    command still running after ``timeout`` seconds (the input ``setting``) is killed with its
    children."""

    def run(
        command: str,
        cwd: str,
        env: Mapping[str, str],
        redact: Redactor,
        on_stdout: PieceCallback | None = None,
    ) -> ProcessResult:
        result = run_shell(
            command,
            cwd=cwd,
            env=env,
            timeout=timeout,
            redact=redact,
            on_line=echo,
            on_stdout=on_stdout,
        )
        if result.timed_out and timeout is not None:
            note = f"killed after {format_duration(timeout)} (input {setting})"
            return replace(result, output=f"{result.output.rstrip()}\n{note}\n".lstrip())
        return result

    return run


def run_checklist(
    inputs: PreflightInputs,
    ctx: RunContext,
    event: EventContext | None,
    git: GitPort,
    workspace: Workspace,
    run: Shell | None = None,
) -> ChecklistResult:
    """Every check's verdict; prints nothing (``run`` may echo command output)."""
    run = run or shell(timeout=inputs.command_timeout)
    head = gather(git.head)
    dirty = gather(git.dirty_paths) if inputs.require_clean else ()
    pushed = head_branch_facts(inputs, ctx, event, git, head) if inputs.require_pushed else None
    base = base_branch_facts(inputs, ctx, event, git, head) if inputs.require_up_to_date else None
    redact = Redactor.of(inputs.secrets(workspace.environ))
    missing = [name for name in inputs.credentials if not workspace.environ.get(name, "").strip()]
    cred_run = _run(run, inputs.credentials_check, workspace, redact)
    plan = PlanHasher(inputs.ignores)
    dry = _run(run, inputs.dry_run, workspace, redact, plan.add)
    actual = plan.hexdigest() if isinstance(dry, CommandFacts) else None
    rewritten: tuple[str, ...] | Failure = ()
    if inputs.require_clean and inputs.dry_run and dirty == ():
        rewritten = gather(git.changed_tracked)  # only when the tree was clean before it ran
    result = cl.finish(
        [
            cl.clean_check(inputs.require_clean, dirty, rewritten),
            cl.pushed_check(
                inputs.require_pushed, head, pushed or Failure("not gathered"), ctx.ref
            ),
            cl.binding_check(inputs.sha, ctx.in_actions, head, ctx.ref),
            cl.up_to_date_check(inputs.require_up_to_date, head, base),
            cl.drift_check(inputs.plan_fingerprint, dry, actual),
            cl.credentials_check(inputs.credentials, missing),
            cl.credentials_command_check(inputs.credentials_check or "", cred_run),
            cl.noninteractive_check(inputs.steps, lint(inputs.steps, inputs.rules)),
        ],
        commit=head.sha if isinstance(head, Head) else "",
        pushed_to=cl.pushed_place(head, pushed),
    )
    return redacted(result, redact)


def redacted(result: ChecklistResult, redact: Redactor) -> ChecklistResult:
    """Secrets out of every report text (git errors can quote a URL with a token in it)."""
    checks = tuple(replace(c, found=redact(c.found), fix=redact(c.fix)) for c in result.checks)
    return replace(result, checks=checks)


def gather(fact: Callable[[], T]) -> T | Failure:
    """A fact from git, or the failure that stopped it (which then fails its checks)."""
    try:
        return fact()
    except GitError as error:
        return Failure(str(error))


class BranchInput(Protocol):
    """Inputs that may name the branch (preflight's, rollback's)."""

    @property
    def branch(self) -> str | None: ...


def head_branch(
    inputs: BranchInput, ctx: RunContext, event: EventContext | None, head: Head | Failure
) -> tuple[str, str] | None:
    """The branch the commit must be pushed to, and where that name came from."""
    if inputs.branch:
        return inputs.branch, "input branch"
    if event is not None and event.head_ref:
        return event.head_ref, "the pull request's head branch"
    if ctx.head_ref:
        return ctx.head_ref, "GITHUB_HEAD_REF"
    if ctx.ref.startswith("refs/heads/") and ctx.ref_name:
        if event is not None and event.name == "issue_comment":
            return ctx.ref_name, "GITHUB_REF_NAME: this issue_comment run's default branch"
        return ctx.ref_name, "GITHUB_REF_NAME"
    if isinstance(head, Head) and head.branch:
        return head.branch, "the checked-out branch"
    return None


def head_branch_facts(
    inputs: PreflightInputs,
    ctx: RunContext,
    event: EventContext | None,
    git: GitPort,
    head: Head | Failure,
) -> BranchFacts | Failure:
    if isinstance(head, Failure):
        return head
    chosen = head_branch(inputs, ctx, event, head)
    if chosen is None:
        return Failure(
            "no branch to check: HEAD is detached and neither input branch, the event, "
            "GITHUB_HEAD_REF nor GITHUB_REF_NAME names one"
        )
    return gather(
        lambda: branch_facts(git, inputs.remote, *chosen, head.sha, tip_is_ancestor=False)
    )


def base_branch_facts(
    inputs: PreflightInputs,
    ctx: RunContext,
    event: EventContext | None,
    git: GitPort,
    head: Head | Failure,
) -> BranchFacts | Failure | None:
    if isinstance(head, Failure):
        return head
    base = inputs.base_branch or (event.base_ref if event else None) or ctx.base_ref or None
    if base is None:
        return None
    source = "input base-branch" if inputs.base_branch else "the pull request's base branch"
    return gather(lambda: branch_facts(git, inputs.remote, base, source, head.sha, True))


def branch_facts(
    git: GitPort, remote: str, branch: str, source: str, sha: str, tip_is_ancestor: bool
) -> BranchFacts:
    """The branch's tip now, and whether ``sha`` is in its history (or, for the base branch,
    whether its tip is in ``sha``'s history)."""
    tip = git.remote_tip(remote, branch)
    if tip is None:
        return BranchFacts(remote, branch, source, None, None)
    ancestry = (
        git.reachable(remote, tip, sha) if tip_is_ancestor else git.reachable(remote, sha, tip)
    )
    return BranchFacts(remote, branch, source, tip, ancestry)


def _run(
    run: Shell,
    command: str | None,
    workspace: Workspace,
    redact: Redactor,
    on_stdout: PieceCallback | None = None,
) -> CommandFacts | Failure | None:
    if command is None:
        return None
    try:
        result = run(command, str(workspace.path), workspace.environ, redact, on_stdout)
    except OSError as error:
        return Failure(f"{type(error).__name__}: {error.strerror or error}")
    if result.outlived:  # its output may be cut short: nothing to judge it by
        return Failure(
            "a process it started left its process group and is still running, holding its "
            "output open"
        )
    return CommandFacts(
        exit_code=None if result.timed_out else result.exit_code,
        tail=trim_output(result.output),
    )
