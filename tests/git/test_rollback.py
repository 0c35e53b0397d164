"""The rollback against real repositories and bare remotes over file://: revert, push, verify,
replay on a moved branch, and nothing half-done left behind when it cannot finish."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.git.conftest import Repos, git

from applygate.adapters.git import GitError
from applygate.adapters.git_write import GitWriter
from applygate.core.classify import ErrorType
from applygate.flows.revert import roll_back

IDENTITY = ("Rollback Bot", "rollback@example.com")


def writer(path: Path) -> GitWriter:
    return GitWriter(path, dict(os.environ), IDENTITY)


def tree(repo: Path, rev: str) -> str:
    return git(repo, "rev-parse", f"{rev}^{{tree}}")


def remote_tip(bare: Path, branch: str = "main") -> str:
    return git(bare, "rev-parse", f"refs/heads/{branch}")


def snapshot(repo: Path) -> tuple[str, str, str, str]:
    """HEAD, the branch checked out, the tree in the index and what status says."""
    branch = git(repo, "rev-parse", "--abbrev-ref", "HEAD")
    status = git(repo, "status", "--porcelain", "--untracked-files=all")
    return git(repo, "rev-parse", "HEAD"), branch, git(repo, "write-tree"), status


def applied(repos: Repos) -> tuple[Path, Path, str]:
    """A remote whose main ends with a commit that changes two files, and the clone that made it."""
    bare, work = repos.seeded()
    sha = repos.commit(work, "apply prod/vpc", {"file.txt": "applied\n", "new.tf": "vpc\n"})
    repos.push(work, "HEAD:main")
    return bare, work, sha


def test_reverts_a_normal_commit_and_verifies_it_on_the_remote(repos: Repos) -> None:
    bare, work, sha = applied(repos)
    result = roll_back(writer(work), None, "origin", "main")
    assert result.reverted, result
    assert result.sha == sha
    assert remote_tip(bare) == result.revert_sha
    assert tree(work, result.revert_sha) == tree(work, f"{sha}^")
    assert git(work, "log", "-1", "--format=%an <%ae>|%cn|%s", result.revert_sha) == (
        'Rollback Bot <rollback@example.com>|Rollback Bot|Revert "apply prod/vpc"'
    )
    assert snapshot(work)[:2] == (result.revert_sha, "main")
    assert not result.replayed


def test_reverts_a_merge_commit_against_its_first_parent(repos: Repos) -> None:
    bare, work = repos.seeded()
    git(work, "checkout", "--quiet", "-b", "feature")
    repos.commit(work, "feature work", {"feature.txt": "on\n"})
    git(work, "checkout", "--quiet", "main")
    repos.commit(work, "main moves on", {"other.txt": "x\n"})
    git(work, "merge", "--quiet", "--no-ff", "-m", "Merge feature", "feature")
    merge = repos.head(work)
    repos.push(work, "main")
    result = roll_back(writer(work), merge, "origin", "main")
    assert result.reverted, result
    assert remote_tip(bare) == result.revert_sha
    assert tree(work, result.revert_sha) == tree(work, f"{merge}^1")
    assert not (work / "feature.txt").exists()
    assert (work / "other.txt").exists()


def test_a_depth_1_detached_checkout_of_the_commit_is_enough(repos: Repos) -> None:
    bare, _, sha = applied(repos)
    work = repos.clone(bare, "ci", depth=1)
    git(work, "checkout", "--quiet", "--detach", sha)
    result = roll_back(writer(work), sha, "origin", "main")
    assert result.reverted, result
    assert remote_tip(bare) == result.revert_sha
    assert tree(work, result.revert_sha) == tree(repos.root / "seed", f"{sha}^")
    assert result.local.startswith("HEAD detached at")


def race_hook(repos: Repos, bare: Path, work: Path, times: str) -> Path:
    """A pre-push hook in ``work``: another clone pushes to the branch just before our push
    reaches the remote (once, or every time), as a concurrent job would."""
    other = repos.clone(bare, "other")
    marker = repos.root / "raced"
    once = f'[ -e "{marker}" ] && exit 0\n' if times == "once" else ""
    hook = work / ".git" / "hooks" / "pre-push"
    hook.write_text(
        "#!/bin/sh\n"
        "unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE\n"
        f"{once}"
        f'cd "{other}" && git pull --quiet --rebase origin main && '
        'echo "$$" >> concurrent.txt && git add concurrent.txt && '
        "git commit --quiet -m concurrent && git push --quiet origin HEAD:main && "
        f'touch "{marker}"\n'
    )
    hook.chmod(0o755)
    return other


def test_a_push_racing_a_concurrent_one_is_replayed_once_on_the_new_tip(repos: Repos) -> None:
    bare, work, sha = applied(repos)
    other = race_hook(repos, bare, work, "once")
    result = roll_back(writer(work), None, "origin", "main")
    assert result.reverted, result
    assert result.replayed
    concurrent = git(other, "rev-parse", "HEAD")
    assert remote_tip(bare) == result.revert_sha
    assert git(work, "rev-parse", f"{result.revert_sha}^") == concurrent
    shown = git(work, "show", f"{result.revert_sha}:file.txt")
    assert shown == git(work, "show", f"{sha}^:file.txt")
    names = git(work, "ls-tree", "--name-only", result.revert_sha).split()
    assert "concurrent.txt" in names  # the other job's change survives
    assert "new.tf" not in names


def test_a_branch_that_keeps_moving_blocks_and_restores_the_checkout(repos: Repos) -> None:
    _, work, _ = applied(repos)
    bare = repos.root / "remote.git"
    race_hook(repos, bare, work, "always")
    before = snapshot(work)
    result = roll_back(writer(work), None, "origin", "main")
    assert not result.reverted
    assert result.error_type is ErrorType.STATE_CONFLICT
    assert "moved again" in result.reason
    assert snapshot(work) == before
    assert "restored" in result.local
    log = git(bare, "log", "--format=%s", "main")
    assert "Revert" not in log


def test_a_conflicting_revert_blocks_and_leaves_everything_as_it_was(repos: Repos) -> None:
    bare, work = repos.seeded()
    old = repos.commit(work, "set value", {"file.txt": "first\n"})
    repos.commit(work, "change it again", {"file.txt": "second\n"})
    repos.push(work, "HEAD:main")
    tip = remote_tip(bare)
    before = snapshot(work)
    result = roll_back(writer(work), old, "origin", "main")
    assert not result.reverted
    assert result.error_type is ErrorType.STATE_CONFLICT
    assert "conflict" in result.reason
    assert "file.txt" in result.reason  # names what conflicts, not git's hints
    assert "hint:" not in result.reason
    assert snapshot(work) == before
    assert not (work / ".git" / "REVERT_HEAD").exists()
    assert remote_tip(bare) == tip
    assert result.revert_sha == ""


def test_a_dirty_tree_is_refused_before_anything_changes(repos: Repos) -> None:
    bare, work, _ = applied(repos)
    (work / "tfplan").write_text("binary plan")
    before, tip = snapshot(work), remote_tip(bare)
    result = roll_back(writer(work), None, "origin", "main")
    assert not result.reverted
    assert "tfplan" in result.reason
    assert "refusing" in result.reason
    assert snapshot(work) == before
    assert remote_tip(bare) == tip


def test_a_commit_not_on_the_branch_is_not_reverted(repos: Repos) -> None:
    bare, work = repos.seeded()
    git(work, "checkout", "--quiet", "-b", "elsewhere")
    stray = repos.commit(work, "never pushed to main", {"stray.txt": "x\n"})
    tip = remote_tip(bare)
    result = roll_back(writer(work), stray, "origin", "main")
    assert not result.reverted
    assert result.error_type is ErrorType.VALIDATION
    assert "not in the history of origin/main" in result.reason
    assert remote_tip(bare) == tip
    assert snapshot(work)[:2] == (stray, "elsewhere")


def test_a_refused_push_is_classified_and_the_checkout_restored(repos: Repos) -> None:
    bare, work, _ = applied(repos)
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'remote: permission denied to push to main' >&2\nexit 1\n")
    hook.chmod(0o755)
    before = snapshot(work)
    result = roll_back(writer(work), None, "origin", "main")
    assert not result.reverted
    assert result.error_type is ErrorType.PERMISSION
    assert "refused" in result.reason
    assert snapshot(work) == before


def test_a_commit_older_than_a_shallow_checkout_is_fetched_to_be_reverted(repos: Repos) -> None:
    bare, seed = repos.seeded()
    old = repos.commit(seed, "apply", {"vpc.tf": "x\n"})
    repos.commit(seed, "unrelated", {"docs.md": "y\n"})
    repos.push(seed, "HEAD:main")
    work = repos.clone(bare, "ci", depth=1)
    result = roll_back(writer(work), old, "origin", "main")
    assert result.reverted, result
    names = git(work, "ls-tree", "--name-only", result.revert_sha).split()
    assert "vpc.tf" not in names
    assert "docs.md" in names


def test_head_pointing_at_a_tag_is_no_branch_to_move(repos: Repos) -> None:
    """``symbolic-ref HEAD refs/tags/v1``: the tag's short name is not a branch; settling the
    checkout must not create a branch named like the tag."""
    bare, work, sha = applied(repos)
    git(work, "tag", "v1")
    git(work, "symbolic-ref", "HEAD", "refs/tags/v1")
    assert writer(work).head().branch is None
    result = roll_back(writer(work), sha, "origin", "main")
    assert result.reverted, result
    assert remote_tip(bare) == result.revert_sha
    assert "refs/heads/v1" not in git(work, "for-each-ref", "--format=%(refname)")
    assert git(work, "rev-parse", "refs/tags/v1") == sha


def test_rolling_back_twice_says_the_commit_is_already_undone(repos: Repos) -> None:
    bare, work, sha = applied(repos)
    assert roll_back(writer(work), sha, "origin", "main").reverted
    tip, before = remote_tip(bare), snapshot(work)
    again = roll_back(writer(work), sha, "origin", "main")
    assert not again.reverted
    assert "already reverted" in again.reason
    assert (remote_tip(bare), snapshot(work)) == (tip, before)


def test_a_push_url_elsewhere_is_caught_by_verifying_the_remote(repos: Repos) -> None:
    """The push lands in another repository (remote.origin.pushurl): ls-remote on the remote
    still shows the old tip, so the revert is not called done."""
    bare, work, sha = applied(repos)
    other = repos.root / "other.git"
    git(repos.root, "clone", "--quiet", "--bare", str(bare), str(other))
    git(work, "remote", "set-url", "--push", "origin", repos.url(other))
    before = snapshot(work)
    result = roll_back(writer(work), sha, "origin", "main")
    assert not result.reverted
    assert "the remote branch tip is" in result.reason
    assert remote_tip(bare) == sha
    assert snapshot(work) == before


class PushExplodes(GitWriter):
    """A writer whose push fails in a way no one planned for (not a GitError)."""

    def push(self, remote: str, sha: str, branch: str) -> tuple[int, str]:
        raise RuntimeError("the network stack exploded")


def test_an_unexpected_failure_mid_rollback_still_restores_the_checkout(repos: Repos) -> None:
    bare, work, sha = applied(repos)
    before = snapshot(work)
    with pytest.raises(RuntimeError, match="exploded"):
        roll_back(PushExplodes(work, dict(os.environ), IDENTITY), sha, "origin", "main")
    assert snapshot(work) == before
    assert remote_tip(bare) == sha


def test_an_empty_commit_has_nothing_to_revert_and_nothing_is_pushed(repos: Repos) -> None:
    bare, work = repos.seeded()
    empty = repos.commit(work, "trigger the deploy")  # --allow-empty: changes no file
    repos.push(work, "HEAD:main")
    before = snapshot(work)
    result = roll_back(writer(work), empty, "origin", "main")
    assert not result.reverted
    assert "changes no file" in result.reason
    assert (remote_tip(bare), snapshot(work)) == (empty, before)


def test_a_push_that_landed_although_git_said_it_failed_is_verified_and_reported_pushed(
    repos: Repos,
) -> None:
    """The remote took the revert, then the client lost the answer (here killed by the remote's
    post-receive hook; in life a timeout or a dropped connection): the revert is on the branch,
    so it is verified there, never reported as refused with no revert-sha."""
    bare, work, sha = applied(repos)
    hook = bare / "hooks" / "post-receive"
    # post-receive runs after the ref moved; its parent is receive-pack, whose parent is the push
    hook.write_text('#!/bin/sh\nkill -9 "$(ps -o ppid= -p "$PPID" | tr -d " ")"\n')
    hook.chmod(0o755)
    result = roll_back(writer(work), sha, "origin", "main")
    assert result.reverted, result
    assert remote_tip(bare) == result.revert_sha
    assert snapshot(work)[:2] == (result.revert_sha, "main")


class TipUnreadableAfterPush(GitWriter):
    """ls-remote answers before the push and fails after it (the network went away)."""

    pushed = False

    def push(self, remote: str, sha: str, branch: str) -> tuple[int, str]:
        answer = super().push(remote, sha, branch)
        self.pushed = True
        return answer

    def remote_tip(self, remote: str, branch: str) -> str | None:
        if self.pushed:
            raise GitError(f"list refs/heads/{branch} on {remote}", "Could not resolve host")
        return super().remote_tip(remote, branch)


def test_a_pushed_revert_that_cannot_be_verified_still_says_it_was_pushed(repos: Repos) -> None:
    bare, work, sha = applied(repos)
    before = snapshot(work)
    result = roll_back(
        TipUnreadableAfterPush(work, dict(os.environ), IDENTITY), sha, "origin", "main"
    )
    assert not result.reverted
    assert result.revert_sha == remote_tip(bare)  # it is there: the status must say so
    assert result.error_type is ErrorType.TRANSIENT
    assert result.reason.startswith("the revert was pushed but could not be verified")
    assert snapshot(work) == before


def test_a_branch_checked_out_other_than_the_one_pushed_is_left_where_it_was(repos: Repos) -> None:
    bare, work, sha = applied(repos)
    git(work, "checkout", "-q", "-b", "other", f"{sha}^")
    result = roll_back(writer(work), sha, "origin", "main")
    assert result.reverted, result
    assert remote_tip(bare) == result.revert_sha
    assert git(work, "rev-parse", "other") == git(work, "rev-parse", f"{sha}^")
    assert snapshot(work)[1] == "other"
    assert result.local == "local repository restored (other)"


def test_a_second_run_on_head_does_not_revert_the_revert(repos: Repos) -> None:
    """With the default sha (HEAD), a rerun after a rollback would apply the change again."""
    bare, work, sha = applied(repos)
    first = roll_back(writer(work), None, "origin", "main")
    assert first.reverted, first
    before = snapshot(work)
    again = roll_back(writer(work), None, "origin", "main")
    assert not again.reverted
    assert again.error_type is ErrorType.VALIDATION
    assert f"itself the revert of {sha[:12]}" in again.reason
    assert f"give its sha ({first.revert_sha})" in again.reason
    assert remote_tip(bare) == first.revert_sha  # nothing pushed
    assert snapshot(work) == before
    on_purpose = roll_back(writer(work), first.revert_sha, "origin", "main")  # named: allowed
    assert on_purpose.reverted, on_purpose
    assert tree(work, on_purpose.revert_sha) == tree(work, sha)


def test_an_abbreviated_sha_is_resolved_in_the_clone(repos: Repos) -> None:
    from applygate.context import RunContext
    from applygate.flows.revert import perform
    from applygate.inputs.rollback import RollbackInputs, parse_revision

    bare, work, sha = applied(repos)
    short = parse_revision(sha[:9].upper())
    assert short == sha[:9]
    result = perform(
        RollbackInputs(token="", sha=short, branch="main"), RunContext(), None, writer(work)
    )
    assert result.reverted, result
    assert result.sha == sha
    unknown = perform(
        RollbackInputs(token="", sha="0123456789", branch="main"), RunContext(), None, writer(work)
    )
    assert not unknown.reverted
    assert "not a commit in this checkout" in unknown.reason
    assert remote_tip(bare) == result.revert_sha
