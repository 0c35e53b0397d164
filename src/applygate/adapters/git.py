"""The git repository applygate works in: facts about HEAD, the tree and the remote, as it is now.

Every git call here is non-interactive (no terminal prompt, no askpass, ssh in batch mode), never
reads a pager, and trusts the workspace through ``safe.directory`` passed in the environment
(``GIT_CONFIG_COUNT``/``GIT_CONFIG_KEY_n``/``GIT_CONFIG_VALUE_n``): a Docker action's workspace is
owned by another uid, and the user's global config is never edited.

Nothing here writes to the working tree. Fetches write objects, ``.git/shallow`` (deepening a
shallow clone) and private refs under ``refs/applygate/fetched``, deleted again afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from applygate.adapters.git_hidden import hidden_changes, locally_excluded
from applygate.adapters.git_redirect import REDIRECTING_VARIABLES
from applygate.adapters.process import noninteractive_env
from applygate.core.gitfacts import Ancestry, Head
from applygate.errors import UsageError

# Depths tried, one after the other, to find a commit in a shallow clone's remote history.
DEEPEN_STEPS = (10, 100, 1000)
NETWORK_TIMEOUT = 120.0
LOCAL_TIMEOUT = 30.0
PRIVATE_REF = "refs/applygate/fetched"
# A graft file that never exists: .git/info/grafts (deprecated, still read) is not consulted.
NO_GRAFTS = "/nonexistent/applygate-no-grafts"


class GitError(Exception):
    """A git operation that failed; the message names the operation and what git said."""

    def __init__(self, operation: str, detail: str):
        self.operation = operation
        self.detail = detail
        super().__init__(f"{operation}: {detail}")


class GitPort(Protocol):
    def head(self) -> Head: ...
    def dirty_paths(self) -> tuple[str, ...]: ...
    def changed_tracked(self) -> tuple[str, ...]: ...
    def remote_tip(self, remote: str, branch: str) -> str | None: ...
    def reachable(self, remote: str, ancestor: str, descendant: str) -> Ancestry: ...


def git_environment(base: Mapping[str, str], trusted: Sequence[str]) -> dict[str, str]:
    """``base`` plus non-interactive settings and ``safe.directory`` for each trusted path.

    Existing ``GIT_CONFIG_COUNT`` entries are kept: ours are appended after them. Variables that
    point git elsewhere are dropped, and replace refs, grafts and an fsmonitor (which could answer
    "nothing changed") are switched off: they could make an unpushed commit look pushed or a
    changed tree look clean.
    """
    env = noninteractive_env(base)  # the same CI=true, TF_INPUT=0, ... as every command
    for name in REDIRECTING_VARIABLES:
        env.pop(name, None)
    given = env.get("GIT_CONFIG_COUNT", "").strip() or "0"
    if not (given.isascii() and given.isdigit()):
        raise UsageError(f"GIT_CONFIG_COUNT: {given!r} is not a number (git refuses it too)")
    count = int(given)
    settings = [("safe.directory", path) for path in trusted]
    settings += [("gc.auto", "0"), ("maintenance.auto", "false"), ("core.pager", "cat")]
    settings += [("core.fsmonitor", "false")]
    for offset, (key, value) in enumerate(settings):
        env[f"GIT_CONFIG_KEY_{count + offset}"] = key
        env[f"GIT_CONFIG_VALUE_{count + offset}"] = value
    env["GIT_CONFIG_COUNT"] = str(count + len(settings))
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GCM_INTERACTIVE="never",
        GIT_ASKPASS="",
        SSH_ASKPASS="",
        LC_ALL="C",
        GIT_NO_REPLACE_OBJECTS="1",
        GIT_GRAFT_FILE=NO_GRAFTS,
    )
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    return env


def trusted_paths(workspace: Path) -> list[str]:
    """The workspace and the repository that contains it (which may be a parent directory)."""
    found = [str(workspace)]
    for candidate in (workspace, *workspace.parents):
        if (candidate / ".git").exists():
            if candidate != workspace:
                found.append(str(candidate))
            break
    return found


class GitRepo:
    """``GitPort`` through GitPython's command runner (``git.cmd.Git``), one repository."""

    def __init__(self, workspace: str | os.PathLike[str], environ: Mapping[str, str]):
        self.workspace = Path(workspace).resolve()
        self.env = git_environment(environ, trusted_paths(self.workspace))

    # --- the port ------------------------------------------------------------------------------

    def head(self) -> Head:
        self.require_repository()
        code, sha, _ = self.run("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        if code != 0:
            raise GitError("read HEAD", self._why_no_head())
        branch_code, ref, _ = self.run("symbolic-ref", "--quiet", "HEAD")
        body = self.check("read the HEAD commit", "cat-file", "commit", sha)
        parents = tuple(line.split()[1] for line in body.splitlines() if line.startswith("parent "))
        # HEAD can be made to point at a tag (symbolic-ref HEAD refs/tags/v1): that is no branch
        on_branch = branch_code == 0 and ref.startswith("refs/heads/")
        branch = ref.removeprefix("refs/heads/") if on_branch else None
        return Head(sha=sha, branch=branch, parents=parents)

    def changed_tracked(self) -> tuple[str, ...]:
        """Tracked files whose content (staged or not) differs from HEAD."""
        self.require_repository()
        out = self.check(
            "compare the tracked files with HEAD", "diff", "--name-only", "-z", "HEAD", strip=False
        )
        return tuple(path for path in out.split("\0") if path)

    def dirty_paths(self) -> tuple[str, ...]:
        """Staged, unstaged and untracked paths, and changes hidden from git status
        (git_hidden.py); files the commit's .gitignore files ignore are not listed."""
        self.require_repository()
        out = self.check(
            "read the working tree status",
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--ignore-submodules=none",  # .gitmodules' ignore = all must not hide a dirty one
            strip=False,
        )
        entries = out.split("\0")
        paths: list[str] = []
        index = 0
        while index < len(entries):
            entry = entries[index]
            index += 1
            if len(entry) < 4:
                continue
            paths.append(entry[3:])
            if entry[0] in "RC":  # a rename or copy: the next entry is its source path
                index += 1
        hidden = [p for p in (*locally_excluded(self), *hidden_changes(self)) if p not in paths]
        return (*paths, *dict.fromkeys(hidden))

    def remote_tip(self, remote: str, branch: str) -> str | None:
        """The branch's tip on the remote right now, or None when the remote has no such branch."""
        self.require_remote(remote)
        ref = f"refs/heads/{branch}"
        out = self.check(
            f"list {ref} on {remote}", "ls-remote", remote, ref, timeout=NETWORK_TIMEOUT
        )
        for line in out.splitlines():
            sha, _, name = line.partition("\t")
            if name == ref:
                return sha
        return None

    def reachable(self, remote: str, ancestor: str, descendant: str) -> Ancestry:
        """Is commit ``ancestor`` in the history of commit ``descendant`` (both as on ``remote``)?

        Answered locally when possible. Otherwise a full clone fetches both commits; a shallow
        clone fetches ``descendant`` only as deep as needed (``DEEPEN_STEPS``), so a depth-1
        checkout never downloads the whole history.
        """
        if ancestor == descendant or self.is_ancestor(ancestor, descendant):
            return Ancestry(found=True, complete=True)
        if not self.is_shallow():
            missing = [sha for sha in (descendant, ancestor) if not self.has_commit(sha)]
            self.fetch(remote, missing, depth=None)  # an unpushed commit is never asked for
            return Ancestry(found=self.is_ancestor(ancestor, descendant), complete=True)
        for depth in DEEPEN_STEPS:
            self.fetch(remote, [descendant], depth=depth)
            if self.is_ancestor(ancestor, descendant):
                return Ancestry(found=True, complete=True)
            if self.history_complete(descendant):  # all of it is here: "no" is certain
                return Ancestry(found=False, complete=True)
        return Ancestry(found=False, complete=False, searched=DEEPEN_STEPS[-1])

    # --- small reusable steps --------------------------------------------------------------------

    def _why_no_head(self) -> str:
        """An unborn branch (nothing committed yet), or a HEAD naming a commit that is not
        there (objects lost or a clone cut short): they need different fixes."""
        code, sha, _ = self.run("rev-parse", "--verify", "--quiet", "HEAD")
        if code != 0:
            return "the repository has no commits yet"
        return f"HEAD is {sha[:12]}, but that commit cannot be read: the repository is damaged"

    def require_repository(self) -> None:
        if not self.workspace.is_dir():
            raise GitError("open the repository", f"{self.workspace} is not a directory")
        code, _, err = self.run("rev-parse", "--git-dir")
        if code != 0:
            raise GitError("open the repository", _first_line(err, "not a git repository"))
        code, top, err = self.run("rev-parse", "--show-toplevel")
        if code != 0:
            raise GitError("open the repository", _first_line(err, "no work tree"))
        if not self.workspace.is_relative_to(Path(top).resolve()):
            # core.worktree set elsewhere: status would describe another directory's files
            raise GitError(
                "open the repository", f"its work tree is {top}, not the workspace {self.workspace}"
            )

    def require_remote(self, remote: str) -> None:
        code, _, _ = self.run("remote", "get-url", remote)
        if code != 0:
            raise GitError("find the remote", f"no remote named {remote!r}")

    def is_shallow(self) -> bool:
        return self.check("check for a shallow clone", "rev-parse", "--is-shallow-repository") == (
            "true"
        )

    def has_commit(self, sha: str) -> bool:
        return self.run("cat-file", "-e", f"{sha}^{{commit}}")[0] == 0

    def history_complete(self, commit: str) -> bool:
        """True when no shallow boundary cuts ``commit``'s history (it goes back to the root)."""
        path = self.check("find the shallow file", "rev-parse", "--git-path", "shallow")
        try:
            boundary = set((self.workspace / path).read_text().split())
        except FileNotFoundError:
            return True
        history = self.check(f"list the history of {commit[:12]}", "rev-list", commit)
        return not boundary.intersection(history.split())

    def is_ancestor(self, ancestor: str, descendant: str) -> bool:
        code, _, err = self.run("merge-base", "--is-ancestor", ancestor, descendant)
        if code in (0, 1):
            return code == 0
        # A commit missing from a shallow history is "not found (yet)", not an error.
        if "not a valid commit" in err.lower() or "no such commit" in err.lower():
            return False
        raise GitError(f"compare {ancestor[:12]} with {descendant[:12]}", _first_line(err, ""))

    def fetch(self, remote: str, commits: Sequence[str], depth: int | None) -> None:
        """Fetch commits (by sha) and their history (``depth`` deep in a shallow clone), each into
        a private ref that is deleted again. No tags, no submodules, no FETCH_HEAD."""
        if not commits:
            return
        refs = [f"{PRIVATE_REF}/{n}" for n in range(len(commits))]
        args = ["fetch", "--quiet", "--no-tags", "--no-recurse-submodules", "--no-write-fetch-head"]
        if depth is not None:
            args.append(f"--depth={depth}")
        args += [remote, *(f"+{sha}:{ref}" for sha, ref in zip(commits, refs, strict=True))]
        try:
            shown = ", ".join(sha[:12] for sha in commits)
            self.check(f"fetch {shown} from {remote}", *args, timeout=NETWORK_TIMEOUT)
        finally:
            for ref in refs:
                self.run("update-ref", "-d", ref)

    def check(
        self, operation: str, *args: str, timeout: float = LOCAL_TIMEOUT, strip: bool = True
    ) -> str:
        """Run git; its stdout, or a GitError naming ``operation`` with git's first error line."""
        code, out, err = self.run(*args, timeout=timeout, strip=strip)
        if code != 0:
            raise GitError(operation, _first_line(err, f"git exited with {code}"))
        return out

    def run(
        self, *args: str, timeout: float = LOCAL_TIMEOUT, strip: bool = True
    ) -> tuple[int, str, str]:
        """Run ``git <args>`` in the workspace: exit code, stdout, stderr. Never raises for git's
        own failures; raises GitError when git cannot be started at all."""
        try:
            import git  # GitPython: imported only when a git command runs (it runs git version)

            code, out, err = git.cmd.Git(str(self.workspace)).execute(
                ["git", *args],
                with_extended_output=True,
                with_exceptions=False,
                kill_after_timeout=timeout,
                env=self.env,
                strip_newline_in_stdout=strip,
            )
        except (ImportError, OSError) as error:  # no git: GitPython fails at import
            detail = _first_line(str(error), "git not found")
            raise GitError(f"run git {args[0]}", f"git is not installed ({detail})") from None
        except Exception as error:  # GitCommandNotFound and friends, without importing them
            raise GitError(f"run git {args[0]}", _first_line(str(error), "git failed")) from None
        return int(code), str(out), str(err)


def _first_line(text: str, default: str) -> str:
    for line in text.splitlines():
        cleaned = line.strip().removeprefix("fatal: ").removeprefix("error: ")
        if cleaned:
            return cleaned
    return default
