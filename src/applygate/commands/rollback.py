"""``applygate rollback``: ``git revert`` the applied commit, push it to the branch, verify it.

The GitOps system (Flux, Argo CD, a CI pipeline) then reconciles the reverted state. Exit 0 when
the revert is on the remote branch and verified, 1 otherwise (with the reason and what became of
the local checkout).
"""

from __future__ import annotations

from applygate.adapters.git import GitError
from applygate.adapters.git_write import GitWriter
from applygate.adapters.runner import Runner
from applygate.context import RunContext
from applygate.core.markdown import cell
from applygate.core.publish import State
from applygate.core.redact import Redactor
from applygate.core.rollback import RollbackResult, outputs, status_text
from applygate.core.subject import CommitSource
from applygate.event import EventContext
from applygate.flows import publication
from applygate.flows.revert import perform, redacted
from applygate.flows.subject import first_known
from applygate.inputs.preflight import warn_unredacted
from applygate.inputs.publishing import Settings
from applygate.inputs.rollback import RollbackInputs
from applygate.job import Job


def run(inputs: RollbackInputs, job: Job) -> int:
    warn_unredacted(job.runner, inputs.mask, job.environ)
    git = GitWriter(job.workspace.path, job.environ, inputs.identity)
    redact = Redactor.of(inputs.secrets(job.environ))
    settings = job.settings()
    return revert_and_report(
        inputs, job.ctx, job.event(), git, job.runner, redact, settings, job.publisher
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
) -> int:
    for secret in dict.fromkeys((inputs.token, *redact.secrets)):
        runner.mask(secret)
    published = None
    if publishing is not None:
        # The commit to revert: the sha input, else HEAD, marked pending before any git write.
        readers = {
            CommitSource.SHA_INPUT: lambda: _full(git, inputs.sha),
            CommitSource.HEAD: lambda: _head_sha(git),
        }
        sha = first_known("rollback", ctx.event_name, readers)
        published = publication.start(publishing, ctx, runner, writer, sha=sha)
    result = redacted(perform(inputs, ctx, event, git), redact)
    code = publish(result, runner)
    if published is not None:
        state = State.SUCCESS if result.reverted else State.FAILURE
        summary = render_summary(result)
        publication.finish(published, state, status_text(result), summary, result.sha or None)
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


def publish(result: RollbackResult, runner: Runner) -> int:
    if not result.reverted:
        title = "applygate rollback: blocked"
        runner.annotate("error", status_text(result), title, reported=True)
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
