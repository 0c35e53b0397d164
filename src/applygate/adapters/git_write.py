"""The git operations of a rollback: revert, push, and putting the checkout back as it was.

Unlike ``GitRepo`` these change the working tree and the remote. Every call is as non-interactive
as ``GitRepo``'s; commits are made as the given identity (through the environment: no git config
is written).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from applygate.adapters.git import NETWORK_TIMEOUT, GitError, GitRepo
from applygate.core.gitfacts import Head
from applygate.core.rollback import ABSENT, Changes, revert_author


class GitWriter(GitRepo):
    def __init__(
        self,
        workspace: str | os.PathLike[str],
        environ: Mapping[str, str],
        identity: tuple[str, str] | None,
        in_actions: bool = False,
    ):
        super().__init__(workspace, environ)
        configured = identity is None and self.configured_identity()
        chosen = revert_author(identity, configured, in_actions)
        if chosen is None:  # git's own identity
            return
        name, email = chosen
        self.env.update(
            GIT_AUTHOR_NAME=name,
            GIT_AUTHOR_EMAIL=email,
            GIT_COMMITTER_NAME=name,
            GIT_COMMITTER_EMAIL=email,
        )

    def configured_identity(self) -> bool:
        """Whether git has a name and an email to commit with, from the environment
        (GIT_AUTHOR_*, GIT_COMMITTER_*, EMAIL) or its config (user.name, user.email)."""

        def known(variables: tuple[str, ...], key: str) -> bool:
            if any(self.env.get(name, "").strip() for name in variables):
                return True
            try:
                code, found, _ = self.run("config", "--get", key)
            except GitError:  # no git at all: the first real git command says so
                return False
            return code == 0 and bool(found.strip())

        name = known(("GIT_AUTHOR_NAME",), "user.name")
        return name and known(("GIT_AUTHOR_EMAIL", "EMAIL"), "user.email")

    def commit_of(self, revision: str) -> Head:
        """The full sha of ``revision`` and its parents (as recorded in the commit itself)."""
        code, sha, _ = self.run("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
        if code != 0:
            raise GitError("find the commit to revert", f"{revision} is not a commit here")
        body = self.check("read the commit to revert", "cat-file", "commit", sha)
        parents = tuple(line.split()[1] for line in body.splitlines() if line.startswith("parent "))
        return Head(sha=sha, branch=None, parents=parents)

    def ensure_parents(self, remote: str, commit: Head, tip: str) -> None:
        """Make ``commit``'s parents and ``tip`` present. In a shallow clone ``commit`` may be a
        boundary, whose parents git pretends not to know: fetch it two deep to move the boundary
        below it (a revert there would otherwise undo the whole tree)."""
        if self.is_shallow():
            self.fetch(remote, [commit.sha], depth=2)
        missing = [sha for sha in (tip, *commit.parents) if not self.has_commit(sha)]
        self.fetch(remote, missing, depth=1 if self.is_shallow() else None)
        if self.shallow_boundary(commit.sha):
            raise GitError(f"read the parents of {commit.sha[:12]}", "the clone is too shallow")

    def shallow_boundary(self, sha: str) -> bool:
        path = self.check("find the shallow file", "rev-parse", "--git-path", "shallow")
        try:
            return sha in (self.workspace / path).read_text().split()
        except FileNotFoundError:
            return False

    def checkout_detached(self, sha: str) -> None:
        self.check(f"check out {sha[:12]}", "checkout", "--quiet", "--detach", sha)

    def message(self, sha: str) -> str:
        """The commit message of ``sha``."""
        return self.check("read the commit message", "log", "-1", "--format=%B", sha)

    def revert(self, sha: str, mainline: bool) -> tuple[bool, str]:
        """``git revert --no-edit [-m 1] sha`` on HEAD: did it commit, and what git said."""
        args = ["revert", "--no-edit", *(["-m", "1"] if mainline else []), sha]
        code, out, err = self.run(*args)
        return code == 0, f"{out}\n{err}".strip()

    def push(self, remote: str, sha: str, branch: str) -> tuple[int, str]:
        """Push ``sha`` to ``branch`` (never forced): exit code and everything git said."""
        code, out, err = self.run(
            "push", "--porcelain", remote, f"{sha}:refs/heads/{branch}", timeout=NETWORK_TIMEOUT
        )
        return code, f"{out}\n{err}".strip()

    def tree(self, commit: str) -> str:
        return self.check(f"read the tree of {commit[:12]}", "rev-parse", f"{commit}^{{tree}}")

    def changes(self, old: str, new: str) -> dict[str, tuple[str, str]]:
        """Each file that differs between two commits: path -> (blob in old, blob in new)."""
        out = self.check(
            f"compare {old[:12]} with {new[:12]}",
            "diff-tree",
            "-r",
            "--no-renames",
            "-z",
            old,
            new,
            strip=False,
        )
        fields = out.split("\0")
        found: dict[str, tuple[str, str]] = {}
        for meta, path in zip(fields[0::2], fields[1::2], strict=False):
            parts = meta.split()
            if len(parts) >= 4:
                found[path] = (parts[2], parts[3])
        return found

    def blobs(self, commit: str, changes: Changes) -> dict[str, str]:
        """The blob of each path of ``changes`` in ``commit`` (ABSENT when it has none)."""
        if not changes:
            return {}
        out = self.check(
            f"list files of {commit[:12]}",
            "ls-tree",
            "-r",
            "-z",
            commit,
            "--",
            *changes,
            strip=False,
        )
        found = dict.fromkeys(changes, ABSENT)
        for entry in filter(None, out.split("\0")):
            meta, _, path = entry.partition("\t")
            if path in found:
                found[path] = meta.split()[2]
        return found

    def restore(self, start: Head) -> bool:
        """Put the checkout back at ``start`` (its branch, or detached at its commit), ending any
        revert in progress. True when HEAD, the branch and a clean tree are as they were."""
        self.run("revert", "--abort")
        target = ["--detach", start.sha] if start.branch is None else [start.branch]
        self.run("checkout", "--quiet", "--force", *target)
        if start.branch is not None:
            self.run("reset", "--quiet", "--hard", start.sha)
        now = self.head()
        return now.sha == start.sha and now.branch == start.branch and not self.dirty_paths()

    def move_branch(self, branch: str, sha: str) -> None:
        """Check out ``branch`` reset to ``sha`` (a fast-forward, checked by the caller)."""
        self.check(f"move {branch} to {sha[:12]}", "checkout", "--quiet", "-B", branch, sha)

    def add_worktree(self, path: str, sha: str) -> None:
        """A separate, clean checkout of ``sha`` at ``path`` (detached); the workspace's files,
        HEAD and index are not touched."""
        self.check(
            f"check out {sha[:12]} in a separate worktree",
            *("worktree", "add", "--quiet", "--detach", "--force", path, sha),
        )

    def remove_worktree(self, path: str) -> None:
        """Remove a worktree ``add_worktree`` made, with whatever the steps left in it."""
        self.run("worktree", "remove", "--force", "--force", path)
        self.run("worktree", "prune")
