"""Real git repositories for tests: bare remotes, clones (shallow ones too), commits and pushes.

Every git command runs with the user's and the system's config switched off and a fixed author, so
the machine's git setup never leaks in. ``repos`` (the fixture) also puts that environment in
``os.environ`` so code under test and ``applygate`` subprocesses see the same.
Reused by the rollback tests: ``Repos`` has one small method per thing a test needs to set up.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Committer",
    "GIT_COMMITTER_EMAIL": "committer@example.com",
    "GIT_TERMINAL_PROMPT": "0",
}
OTHER_UID = 12345
TEMPLATE_COMMITS = 3


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` (check=True); its stdout without the final newline."""
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed in {cwd}: {done.stderr}")
    return done.stdout.rstrip("\n")


@dataclass
class Repos:
    root: Path
    template: Path | None = None  # a seeded() remote and clone made once per session, copied

    def bare(self, name: str = "remote.git") -> Path:
        path = self.root / name
        git(self.root, "init", "--quiet", "--bare", "--initial-branch=main", str(path))
        return path

    def url(self, bare: Path) -> str:
        """A file:// URL: git treats it like a network remote (shallow clones work)."""
        return f"file://{bare}"

    def seeded(self, commits: int = 3, name: str = "seed") -> tuple[Path, Path]:
        """A bare remote with ``commits`` commits on main, and the full clone that pushed them."""
        if self.template is not None and commits == TEMPLATE_COMMITS:
            bare, work = self.root / "remote.git", self.root / name
            shutil.copytree(self.template / "remote.git", bare, symlinks=True)
            shutil.copytree(self.template / "seed", work, symlinks=True)
            git(work, "remote", "set-url", "origin", self.url(bare))
            return bare, work
        bare = self.bare()
        work = self.clone(bare, name)
        for number in range(commits):
            self.commit(work, f"commit {number}", {"file.txt": f"{number}\n"})
        self.push(work, "HEAD:main")
        return bare, work

    def clone(
        self, bare: Path, name: str, depth: int | None = None, branch: str | None = None
    ) -> Path:
        args = ["clone", "--quiet"]
        if depth is not None:
            args.append(f"--depth={depth}")
        if branch is not None:
            args += ["--branch", branch]
        git(self.root, *args, self.url(bare), name)
        return self.root / name

    def empty(self, name: str = "empty") -> Path:
        path = self.root / name
        git(self.root, "init", "--quiet", "--initial-branch=main", str(path))
        return path

    def commit(self, repo: Path, message: str, files: dict[str, str] | None = None) -> str:
        """Write ``files``, commit them (or an empty commit), return the new sha."""
        for name, text in (files or {}).items():
            path = repo / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            git(repo, "add", name)
        git(repo, "commit", "--quiet", "--allow-empty", "-m", message)
        return self.head(repo)

    def push(self, repo: Path, refspec: str, remote: str = "origin") -> None:
        git(repo, "push", "--quiet", remote, refspec)

    def head(self, repo: Path) -> str:
        return git(repo, "rev-parse", "HEAD")

    def merge_ref(self, work: Path, feature: str, number: int = 1) -> str:
        """Push what GitHub makes for a pull request: the head as refs/pull/N/head and a merge
        of it into main as refs/pull/N/merge (parents: main's tip, then the head).

        Returns the merge commit."""
        git(work, "checkout", "--quiet", "--detach", "origin/main")
        git(work, "merge", "--quiet", "--no-ff", "-m", f"Merge {feature} into main", feature)
        merge = self.head(work)
        self.push(work, f"{feature}:refs/pull/{number}/head")
        self.push(work, f"{merge}:refs/pull/{number}/merge")
        return merge

    def checkout_merge_ref(self, bare: Path, name: str, number: int = 1) -> Path:
        """What actions/checkout does for a pull_request event: a depth-1 detached checkout of
        refs/pull/N/merge."""
        path = self.root / name
        git(self.root, "init", "--quiet", str(path))
        git(path, "remote", "add", "origin", self.url(bare))
        ref = f"refs/remotes/pull/{number}/merge"
        git(path, "fetch", "--quiet", "--depth=1", "origin", f"+refs/pull/{number}/merge:{ref}")
        git(path, "checkout", "--quiet", "--detach", ref)
        return path

    def give_away(self, path: Path, uid: int = OTHER_UID) -> None:
        """Make ``path`` owned by another user, as a Docker action's workspace is."""
        for dirpath, dirnames, filenames in os.walk(path):
            os.chown(dirpath, uid, uid)
            for name in (*dirnames, *filenames):
                os.lchown(os.path.join(dirpath, name), uid, uid)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded remote and clone per session: copying it is faster than building it."""
    root = tmp_path_factory.mktemp("template")
    saved = {name: os.environ.get(name) for name in GIT_ENV}
    os.environ.update(GIT_ENV)
    try:
        Repos(root).seeded(TEMPLATE_COMMITS)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return root


@pytest.fixture
def repos(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeded_template: Path) -> Repos:
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_CONFIG_COUNT", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "repos"
    root.mkdir()
    return Repos(root, seeded_template)


@pytest.fixture
def root_only() -> None:
    if os.geteuid() != 0:
        pytest.skip("changing a repository's owner needs root")
