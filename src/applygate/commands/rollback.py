"""``applygate rollback``: ``git revert`` the applied commit, push it to the branch, verify it.

The GitOps system (Flux, Argo CD, a CI pipeline) then reconciles the reverted state. Exit 0 when
the revert is on the remote branch and verified, 1 otherwise (with the reason and what became of
the local checkout).
"""

from __future__ import annotations

from collections.abc import Mapping

from applygate.adapters.git import GitError
from applygate.adapters.git_write import GitWriter
from applygate.adapters.runner import Runner
from applygate.context import RunContext
from applygate.core.markdown import cell
from applygate.core.publish import State
from applygate.core.redact import Redactor
from applygate.core.rollback import RollbackResult, outputs, status_text
from applygate.errors import UsageError
from applygate.event import EventContext
from applygate.flows import publication
from applygate.flows.revert import perform, redacted
from applygate.inputs.preflight import warn_unredacted
from applygate.inputs.rollback import RollbackInputs
from applygate.workspace import Workspace


def main(raw: Mapping[str, str], environ: Mapping[str, str], args: list[str]) -> int:
    from applygate.event import load_event

    if args:
        raise UsageError(f"rollback takes no command after '--' (got {' '.join(args)!r})")
    inputs = RollbackInputs.from_raw(raw, environ)
    ctx = RunContext.from_environ(environ)
    publishing = publication.settings("rollback", raw, environ)
    event = load_event(ctx.event_name, ctx.event_path) if ctx.event_name else None
    runner = Runner.of(ctx)
    warn_unredacted(runner, inputs.mask, environ)
    workspace = Workspace.of(ctx, environ)
    git = GitWriter(workspace.path, environ, inputs.identity)
    return run(inputs, ctx, event, git, runner, Redactor.of(inputs.secrets(environ)), publishing)


def run(
    inputs: RollbackInputs,
    ctx: RunContext,
    event: EventContext | None,
    git: GitWriter,
    runner: Runner,
    redact: Redactor,
    publishing: publication.Settings | None = None,
) -> int:
    for secret in dict.fromkeys((inputs.token, *redact.secrets)):
        runner.mask(secret)
    published = None
    if publishing is not None:
        # The commit to revert: the sha input, else HEAD, marked pending before any git write.
        published = publication.start(publishing, ctx, runner, sha=inputs.sha or _head_sha(git))
    result = redacted(perform(inputs, ctx, event, git), redact)
    code = publish(result, runner)
    if published is not None:
        state = State.SUCCESS if result.reverted else State.FAILURE
        summary = render_summary(result)
        publication.finish(published, state, status_text(result), summary, result.sha or None)
    return code


def _head_sha(git: GitWriter) -> str | None:
    """HEAD's commit, or None when git cannot say (perform then reports why)."""
    try:
        return git.head().sha
    except GitError:
        return None


def publish(result: RollbackResult, runner: Runner) -> int:
    if not result.reverted:
        runner.annotate("error", status_text(result), "applygate rollback: blocked")
    runner.print(f"applygate rollback: {status_text(result)}")
    if result.local:
        runner.print(f"local checkout: {result.local}")
    runner.set_outputs(outputs(result))
    runner.add_summary(render_summary(result))
    return 0 if result.reverted else 1


def render_summary(result: RollbackResult) -> str:
    verdict = "reverted" if result.reverted else "blocked"
    rows = [
        ("Commit reverted", result.sha[:12] or "-"),
        ("Revert commit", result.revert_sha[:12] or "-"),
        ("Pushed to", f"{result.remote}/{result.branch}" if result.branch else "-"),
        ("Replayed on a moved branch", "yes" if result.replayed else "no"),
        ("Local checkout", result.local or "-"),
    ]
    if not result.reverted:
        rows.append((str(result.error_type), result.reason))
    table = "\n".join(f"| {name} | {cell(text)} |" for name, text in rows)
    return f"## applygate rollback: {verdict}\n\n| | |\n|---|---|\n{table}\n"
