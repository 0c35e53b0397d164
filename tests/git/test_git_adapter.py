"""The git adapter against real repositories, bare remotes and shallow clones."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from tests.git.conftest import Repos, git

from applygate.adapters.git import GitError, GitRepo, git_environment
from applygate.core.gitfacts import Ancestry


def adapter(path: Path) -> GitRepo:
    return GitRepo(path, dict(os.environ))


def test_head_on_a_branch_and_detached(repos: Repos) -> None:
    _, work = repos.seeded()
    head = adapter(work).head()
    assert head.sha == repos.head(work)
    assert head.branch == "main"
    assert len(head.parents) == 1
    git(work, "checkout", "--quiet", "--detach")
    assert adapter(work).head().branch is None


@pytest.mark.parametrize(
    ("kind", "message"),
    [("empty", "no commits yet"), ("plain", "not a git repository"), ("missing", "not a dir")],
)
def test_no_head_is_a_git_error_naming_why(repos: Repos, kind: str, message: str) -> None:
    path = repos.root / kind
    if kind == "empty":
        repos.empty(kind)
    elif kind == "plain":
        path.mkdir()
    with pytest.raises(GitError, match=message):
        adapter(path).head()


def test_dirty_paths_lists_staged_unstaged_untracked_but_not_ignored(repos: Repos) -> None:
    _, work = repos.seeded()
    repos.commit(work, "ignore", {".gitignore": "*.log\n.terraform/\n", "old.txt": "x\n"})
    assert adapter(work).dirty_paths() == ()
    (work / "debug.log").write_text("ignored\n")
    (work / ".terraform").mkdir()
    (work / ".terraform" / "providers").write_text("ignored\n")
    assert adapter(work).dirty_paths() == ()
    (work / "file.txt").write_text("changed\n")
    (work / "new dir").mkdir()
    (work / "new dir" / "untracked.tf").write_text("new\n")
    (work / "staged.txt").write_text("staged\n")
    git(work, "add", "staged.txt")
    git(work, "mv", "old.txt", "renamed.txt")
    assert sorted(adapter(work).dirty_paths()) == [
        "file.txt",
        "new dir/untracked.tf",
        "renamed.txt",
        "staged.txt",
    ]


def test_remote_tip_is_read_from_the_remote_now_not_a_stale_tracking_ref(repos: Repos) -> None:
    bare, work = repos.seeded()
    other = repos.clone(bare, "other")
    moved = repos.commit(other, "moved")
    repos.push(other, "HEAD:main")
    assert git(work, "rev-parse", "origin/main") != moved  # the tracking ref is stale
    assert adapter(work).remote_tip("origin", "main") == moved
    assert adapter(work).remote_tip("origin", "no-such-branch") is None


def test_remote_tip_matches_the_branch_exactly(repos: Repos) -> None:
    _, work = repos.seeded()
    repos.push(work, "HEAD:refs/heads/feature/main")
    assert adapter(work).remote_tip("origin", "main") == repos.head(work)
    assert adapter(work).remote_tip("origin", "feature") is None


def test_no_remote_is_a_git_error(repos: Repos) -> None:
    work = repos.empty("local")
    repos.commit(work, "one")
    with pytest.raises(GitError, match="no remote named 'origin'"):
        adapter(work).remote_tip("origin", "main")


def test_reachable_in_a_full_clone(repos: Repos) -> None:
    bare, work = repos.seeded()
    pushed = repos.head(work)
    other = repos.clone(bare, "other")
    tip = repos.commit(other, "ahead")
    repos.push(other, "HEAD:main")
    git_repo = adapter(work)
    assert git_repo.reachable("origin", pushed, tip) == Ancestry(found=True, complete=True)
    local = repos.commit(work, "not pushed")
    assert git_repo.reachable("origin", local, tip) == Ancestry(found=False, complete=True)
    assert git(work, "rev-parse", "--is-shallow-repository") == "false"


def test_full_clone_with_an_unpushed_head_and_an_unknown_remote_tip(
    repos: Repos, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Protocol v0 refuses to send what it did not advertise: never ask for the unpushed commit.
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "protocol.version")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "0")
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work")
    local = repos.commit(work, "not pushed")
    other = repos.clone(bare, "other")
    tip = repos.commit(other, "ahead")
    repos.push(other, "HEAD:main")
    result = adapter(work).reachable("origin", local, tip)
    assert result == Ancestry(found=False, complete=True)


def test_shallow_clone_finds_its_commit_behind_a_moved_tip_without_all_history(
    repos: Repos,
) -> None:
    bare, seed = repos.seeded(commits=15)
    shallow = repos.clone(bare, "shallow", depth=1)
    head = repos.head(shallow)
    for number in range(3):
        repos.commit(seed, f"after {number}")
    repos.push(seed, "HEAD:main")
    tip = repos.head(seed)
    result = adapter(shallow).reachable("origin", head, tip)
    assert result == Ancestry(found=True, complete=True)
    assert git(shallow, "rev-parse", "--is-shallow-repository") == "true"
    fetched = int(git(shallow, "rev-list", "--count", "--all"))
    assert fetched < 15, f"fetched {fetched} of 18 commits"
    assert not git(shallow, "for-each-ref", "refs/applygate"), "private refs left behind"
    assert git(shallow, "status", "--porcelain") == ""


def test_shallow_clone_with_an_unpushed_commit_is_not_reachable(repos: Repos) -> None:
    bare, _ = repos.seeded(commits=5)
    shallow = repos.clone(bare, "shallow", depth=1)
    local = repos.commit(shallow, "not pushed")
    tip = adapter(shallow).remote_tip("origin", "main")
    assert tip is not None
    assert adapter(shallow).reachable("origin", local, tip) == Ancestry(found=False, complete=True)


def test_shallow_search_is_bounded(repos: Repos, monkeypatch: pytest.MonkeyPatch) -> None:
    import applygate.adapters.git as git_adapter

    monkeypatch.setattr(git_adapter, "DEEPEN_STEPS", (2, 4))
    bare, seed = repos.seeded(commits=3)
    shallow = repos.clone(bare, "shallow", depth=1)
    head = repos.head(shallow)
    for number in range(6):
        repos.commit(seed, f"after {number}")
    repos.push(seed, "HEAD:main")
    result = adapter(shallow).reachable("origin", head, repos.head(seed))
    assert result == Ancestry(found=False, complete=False, searched=4)


def test_shallow_clone_deepens_head_to_find_the_base_tip(repos: Repos) -> None:
    bare, seed = repos.seeded(commits=3)
    base_tip = repos.head(seed)
    git(seed, "checkout", "--quiet", "-b", "feature")
    for number in range(4):
        repos.commit(seed, f"feature {number}")
    repos.push(seed, "feature")
    shallow = repos.clone(bare, "shallow", depth=1, branch="feature")
    head = repos.head(shallow)
    assert adapter(shallow).reachable("origin", base_tip, head).found
    git(seed, "checkout", "--quiet", "main")
    moved = repos.commit(seed, "main moved")
    repos.push(seed, "main")
    assert not adapter(shallow).reachable("origin", moved, head).found


def test_merge_ref_checkout_shows_both_parents_even_when_shallow(repos: Repos) -> None:
    bare, seed = repos.seeded()
    main_tip = repos.head(seed)
    git(seed, "checkout", "--quiet", "-b", "feature")
    feature = repos.commit(seed, "feature work", {"feature.txt": "x\n"})
    repos.push(seed, "feature")
    merge = repos.merge_ref(seed, "feature")
    checkout = repos.checkout_merge_ref(bare, "pr")
    head = adapter(checkout).head()
    assert head.sha == merge
    assert head.parents == (main_tip, feature)
    assert head.branch is None


@pytest.mark.usefixtures("root_only")
def test_a_repository_owned_by_another_uid_still_works(repos: Repos) -> None:
    _, work = repos.seeded()
    (work / "untracked.txt").write_text("x\n")
    repos.give_away(work)
    plain = subprocess.run(["git", "status"], cwd=work, capture_output=True, text=True, check=False)
    assert plain.returncode != 0
    assert "dubious ownership" in plain.stderr
    git_repo = adapter(work)
    assert git_repo.head().sha
    assert git_repo.dirty_paths() == ("untracked.txt",)
    assert git_repo.remote_tip("origin", "main") == git_repo.head().sha


def test_git_environment_appends_to_existing_config_and_never_prompts() -> None:
    env = git_environment(
        {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "user.name", "GIT_CONFIG_VALUE_0": "x"},
        ["/github/workspace"],
    )
    assert env["GIT_CONFIG_KEY_0"] == "user.name"
    assert env["GIT_CONFIG_KEY_1"] == "safe.directory"
    assert env["GIT_CONFIG_VALUE_1"] == "/github/workspace"
    assert int(env["GIT_CONFIG_COUNT"]) > 2
    assert env["GIT_TERMINAL_PROMPT"] == "0"
    assert env["CI"] == "true"
    assert "BatchMode=yes" in env["GIT_SSH_COMMAND"]
