"""What ``git status`` can be told not to show, for the clean check: files flagged away from it in
the index, and untracked files that only this machine's exclude rules hide.

Reads only: nothing is written to the index, the objects or the work tree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol


class Runs(Protocol):
    """The part of ``GitRepo`` these need: git's output, or a GitError naming the operation."""

    def check(self, operation: str, *args: str, timeout: float = ..., strip: bool = ...) -> str: ...

    def run(self, *args: str, timeout: float = ..., strip: bool = ...) -> tuple[int, str, str]: ...


def locally_excluded(git: Runs) -> list[str]:
    """Untracked files that only .git/info/exclude or core.excludesFile ignore: those are this
    machine's rules, not the approved commit's .gitignore files."""
    out = git.check(
        "list untracked files",
        "ls-files",
        "-z",
        "--others",
        "--exclude-per-directory=.gitignore",
        "--full-name",
        ":/",
        strip=False,
    )
    return [path for path in out.split("\0") if path]


def hidden_changes(git: Runs) -> list[str]:
    """Files that differ from the index while git status is told not to look at them
    (``update-index --assume-unchanged`` or ``--skip-worktree``). A sparse checkout's absent files
    are not changes; a flagged file that is present must match the index."""
    top = Path(git.check("find the work tree", "rev-parse", "--show-toplevel"))
    out = git.check("list the index", "ls-files", "-v", "-z", "--full-name", ":/", strip=False)
    flagged = [e[2:] for e in out.split("\0") if e[:1].islower() or e[:1] == "S"]
    if not flagged:
        return []
    sparse = git.run("config", "--bool", "core.sparseCheckout")[1] == "true"
    changed = [path for path in flagged if not (top / path).exists() and not sparse]
    present = [path for path in flagged if (top / path).exists()]
    if not present:
        return changed
    specs = [f":(top,literal){path}" for path in present]
    staged = git.check(
        "list the index", "ls-files", "-s", "-z", "--full-name", "--", *specs, strip=False
    )
    blobs = {e.partition("\t")[2]: e.split()[1] for e in staged.split("\0") if e}
    files = [str(top / path) for path in present]
    hashes = git.check("hash the work tree", "hash-object", "--", *files).split()
    return changed + [
        path for path, blob in zip(present, hashes, strict=True) if blobs.get(path) != blob
    ]
