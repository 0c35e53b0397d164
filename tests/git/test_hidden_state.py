"""Git state that ``git status`` or ``merge-base`` can be told not to see: flags on the index,
submodule settings, replace refs and grafts, variables pointing git elsewhere. The clean and pushed
facts must describe the workspace's real files and commits."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.git.conftest import Repos, git

from applygate.adapters.git import GitError, GitRepo


def adapter(path: Path, env: dict[str, str] | None = None) -> GitRepo:
    import os

    return GitRepo(path, {**os.environ, **(env or {})})


@pytest.mark.parametrize("flag", ["--assume-unchanged", "--skip-worktree"])
def test_a_changed_file_flagged_away_from_status_is_dirty(repos: Repos, flag: str) -> None:
    _, work = repos.seeded()
    (work / "file.txt").write_text("not what was approved\n")
    git(work, "update-index", flag, "file.txt")
    assert git(work, "status", "--porcelain") == ""  # what git status alone says
    assert adapter(work).dirty_paths() == ("file.txt",)


def test_a_flagged_file_that_is_unchanged_is_clean(repos: Repos) -> None:
    _, work = repos.seeded()
    git(work, "update-index", "--assume-unchanged", "file.txt")
    assert adapter(work).dirty_paths() == ()


def test_a_flagged_file_deleted_without_a_sparse_checkout_is_dirty(repos: Repos) -> None:
    _, work = repos.seeded()
    git(work, "update-index", "--skip-worktree", "file.txt")
    (work / "file.txt").unlink()
    assert adapter(work).dirty_paths() == ("file.txt",)


def test_a_sparse_checkout_leaving_files_out_is_clean(repos: Repos) -> None:
    bare, work = repos.seeded()
    repos.commit(work, "two dirs", {"app/main.tf": "a\n", "docs/readme.md": "d\n"})
    repos.push(work, "HEAD:main")
    sparse = repos.clone(bare, "sparse")
    git(sparse, "sparse-checkout", "set", "app")
    assert not (sparse / "docs").exists()
    assert adapter(sparse).dirty_paths() == ()
    (sparse / "docs").mkdir()
    (sparse / "docs" / "readme.md").write_text("put back, changed\n")
    assert adapter(sparse).dirty_paths() == ("docs/readme.md",)


def test_a_dirty_submodule_is_dirty_even_when_gitmodules_says_ignore_all(repos: Repos) -> None:
    bare, work = repos.seeded()
    url = repos.url(bare)
    git(work, "-c", "protocol.file.allow=always", "submodule", "add", "--quiet", url, "sub")
    git(work, "config", "-f", ".gitmodules", "submodule.sub.ignore", "all")
    git(work, "add", ".gitmodules")
    git(work, "commit", "--quiet", "-m", "submodule")
    (work / "sub" / "file.txt").write_text("changed inside the submodule\n")
    assert git(work, "status", "--porcelain") == ""
    assert adapter(work).dirty_paths() == ("sub",)


def test_a_work_tree_variable_pointing_at_a_clean_copy_is_ignored(repos: Repos) -> None:
    bare, work = repos.seeded()
    clean = repos.clone(bare, "clean")
    (work / "file.txt").write_text("changed\n")
    assert adapter(work, {"GIT_WORK_TREE": str(clean)}).dirty_paths() == ("file.txt",)


def test_a_work_tree_configured_elsewhere_is_an_error(repos: Repos) -> None:
    bare, work = repos.seeded()
    clean = repos.clone(bare, "clean")
    (work / "file.txt").write_text("changed\n")
    git(work, "config", "core.worktree", str(clean))
    with pytest.raises(GitError, match="not the workspace"):
        adapter(work).dirty_paths()


@pytest.mark.parametrize("how", ["replace", "graft"])
def test_history_rewritten_locally_does_not_make_an_unpushed_commit_pushed(
    repos: Repos, how: str
) -> None:
    _, work = repos.seeded()
    tip = repos.head(work)
    unpushed = repos.commit(work, "never pushed")
    # make the remote's tip claim the unpushed commit as its parent, in this clone only
    if how == "replace":
        git(work, "replace", "--graft", tip, unpushed)
    else:
        (work / ".git" / "info" / "grafts").write_text(f"{tip} {unpushed}\n")
    git(work, "merge-base", "--is-ancestor", unpushed, tip)  # plain git is fooled
    repo = adapter(work)
    assert repo.remote_tip("origin", "main") == tip
    assert not repo.reachable("origin", unpushed, tip).found


@pytest.mark.parametrize("where", ["info/exclude", "core.excludesFile"])
def test_a_file_ignored_only_by_this_machines_rules_is_dirty(
    repos: Repos, tmp_path: Path, where: str
) -> None:
    """`prod_override.tf` changes what terraform applies; only the approved commit's .gitignore
    may say a file does not count."""
    _, work = repos.seeded()
    repos.commit(work, "ignore", {".gitignore": ".terraform/\n"})
    (work / ".terraform").mkdir()
    (work / ".terraform" / "cache").write_text("ignored by the commit\n")
    (work / "prod_override.tf").write_text('resource "x" "y" {}\n')
    if where == "info/exclude":
        (work / ".git" / "info" / "exclude").write_text("*_override.tf\n")
    else:
        (tmp_path / "excludes").write_text("*_override.tf\n")
        git(work, "config", "core.excludesFile", str(tmp_path / "excludes"))
    assert git(work, "status", "--porcelain") == ""
    assert adapter(work).dirty_paths() == ("prod_override.tf",)
