"""``applygate rollback``: ``git revert`` the applied commit, push it to the branch, verify it.

The GitOps system (Flux, Argo CD, a CI pipeline) then reconciles the reverted state. Exit 0 when
the revert is on the remote branch and verified, 1 otherwise (with the reason and what became of
the local checkout).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from applygate.adapters.git import GitError
from applygate.adapters.git_write import GitWriter
from applygate.adapters.runner import Runner
from applygate.commands import _publishing
from applygate.commands._revert import roll_back
from applygate.commands.preflight import Workspace, head_branch
from applygate.context import RunContext
from applygate.core.classify import ErrorType
from applygate.core.markdown import cell
from applygate.core.publish import State
from applygate.core.redact import Redactor
from applygate.core.rollback import RollbackResult, outputs, status_text
from applygate.errors import UsageError
from applygate.event import EventContext
from applygate.inputs.fields import parse_sha, token, value
from applygate.inputs.preflight import env_names, git_name, warn_unredacted

DEFAULT_NAME = "github-actions[bot]"
DEFAULT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"


@dataclass(frozen=True, kw_only=True)
class RollbackInputs:
    token: str = field(repr=False)
    sha: str | None = None
    remote: str = "origin"
    branch: str | None = None
    identity: tuple[str, str] = (DEFAULT_NAME, DEFAULT_EMAIL)
    mask: tuple[str, ...] = ()

    @classmethod
    def from_raw(cls, raw: Mapping[str, str], environ: Mapping[str, str]) -> RollbackInputs:
        return cls(
            token=token(raw, environ),
            sha=parse_sha(raw.get("sha", "")),
            remote=git_name(raw, "remote", "origin") or "origin",
            branch=git_name(raw, "branch", ""),
            identity=identity(raw),
            mask=env_names(raw, "mask"),
        )

    def secrets(self, environ: Mapping[str, str]) -> list[str]:
        names = ("GITHUB_TOKEN", *self.mask)  # the token input does not replace it in git's env
        return [self.token, *(environ.get(name, "") for name in names)]


def identity(raw: Mapping[str, str]) -> tuple[str, str]:
    """The revert's author and committer: one line each, an email without angle brackets."""
    name = value(raw, "git-user-name", DEFAULT_NAME)
    email = value(raw, "git-user-email", DEFAULT_EMAIL)
    for input_name, text in (("git-user-name", name), ("git-user-email", email)):
        if any(char in text for char in "\n\r<>\0"):
            raise UsageError(f"invalid input {input_name}: {text!r} cannot be used in a commit")
    if "@" not in email:
        raise UsageError(f"invalid input git-user-email: {email!r} is not an email address")
    return name, email


def main(raw: Mapping[str, str], environ: Mapping[str, str], args: list[str]) -> int:
    from applygate.event import load_event

    if args:
        raise UsageError(f"rollback takes no command after '--' (got {' '.join(args)!r})")
    inputs = RollbackInputs.from_raw(raw, environ)
    ctx = RunContext.from_environ(environ)
    publishing = _publishing.settings("rollback", raw, environ)
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
    publishing: _publishing.Settings | None = None,
) -> int:
    for secret in dict.fromkeys((inputs.token, *redact.secrets)):
        runner.mask(secret)
    publication = None
    if publishing is not None:
        # The commit to revert: the sha input, else HEAD, marked pending before any git write.
        publication = _publishing.start(publishing, ctx, runner, sha=inputs.sha or _head_sha(git))
    result = redacted(perform(inputs, ctx, event, git), redact)
    code = publish(result, runner)
    if publication is not None:
        state = State.SUCCESS if result.reverted else State.FAILURE
        summary = render_summary(result)
        _publishing.finish(publication, state, status_text(result), summary, result.sha or None)
    return code


def _head_sha(git: GitWriter) -> str | None:
    """HEAD's commit, or None when git cannot say (perform then reports why)."""
    try:
        return git.head().sha
    except GitError:
        return None


def perform(
    inputs: RollbackInputs, ctx: RunContext, event: EventContext | None, git: GitWriter
) -> RollbackResult:
    """Find the branch, then roll back (execute calls this too)."""
    try:
        head = git.head()
    except GitError as error:
        return RollbackResult(reverted=False, error_type=ErrorType.VALIDATION, reason=str(error))
    chosen = head_branch(inputs, ctx, event, head)
    if chosen is None:
        reason = "no branch to push the revert to: set input branch (HEAD is detached)"
        return RollbackResult(
            reverted=False, sha=head.sha, error_type=ErrorType.VALIDATION, reason=reason
        )
    return roll_back(git, inputs.sha, inputs.remote, chosen[0])


def redacted(result: RollbackResult, redact: Redactor) -> RollbackResult:
    """Secrets out of git's words (a remote URL can carry a token)."""
    return replace(result, reason=redact(result.reason), local=redact(result.local))


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
