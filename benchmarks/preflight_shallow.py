"""How much a preflight `pushed` check fetches in a depth-1 checkout, against the history length.

    .venv/bin/python benchmarks/preflight_shallow.py

Builds a bare remote with N commits (git fast-import), clones it with --depth 1 (what
actions/checkout does), then times GitRepo.reachable for three cases: HEAD is the remote tip;
the remote moved 3 commits ahead; HEAD is a local commit that was never pushed (the worst case:
it deepens 10, 100, then 1000 commits, or stops early once the whole history is local). It counts
the commits the clone holds afterwards. A full `git fetch --unshallow` is the comparison.
Results: preflight_shallow.md.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

from applygate.adapters.git import GitRepo

ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "b",
    "GIT_AUTHOR_EMAIL": "b@example.com",
    "GIT_COMMITTER_NAME": "b",
    "GIT_COMMITTER_EMAIL": "b@example.com",
}


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> str:
    done = subprocess.run(
        ["git", *args],  # noqa: S607 - git from PATH
        cwd=cwd,
        env=ENV,
        input=stdin,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode().strip()


def history(commits: int) -> bytes:
    """A fast-import stream: each commit rewrites one 4 KiB file and adds a small one."""
    out = []
    for n in range(commits):
        body = (f"line {n}\n" * 400).encode()
        out.append(
            b"commit refs/heads/main\n"
            + f"committer b <b@example.com> {1_700_000_000 + n} +0000\n".encode()
            + f"data {len(str(n))}\n{n}\n".encode()
            + f"M 644 inline big.txt\ndata {len(body)}\n".encode()
            + body
            + f"\nM 644 inline files/{n}.txt\ndata 2\nx\n\n".encode()
        )
    return b"".join(out)


def measure(root: Path, commits: int) -> list[str]:
    bare = root / f"remote-{commits}.git"
    git(root, "init", "-q", "--bare", "-b", "main", str(bare))
    git(bare, "fast-import", "--quiet", stdin=history(commits))
    rows = []
    for case in ("tip", "moved ahead", "never pushed", "fetch --unshallow"):
        clone = root / f"clone-{commits}-{case.replace(' ', '-')}"
        git(root, "clone", "-q", "--depth=1", f"file://{bare}", str(clone))
        head = git(clone, "rev-parse", "HEAD")
        if case == "moved ahead":
            pusher = root / f"pusher-{commits}"
            git(root, "clone", "-q", "--depth=1", f"file://{bare}", str(pusher))
            for n in range(3):
                git(pusher, "commit", "-q", "--allow-empty", "-m", f"ahead {n}")
            git(pusher, "push", "-q", "origin", "HEAD:main")
        if case == "never pushed":
            git(clone, "commit", "-q", "--allow-empty", "-m", "local")
            head = git(clone, "rev-parse", "HEAD")
        repo = GitRepo(clone, ENV)
        started = time.perf_counter()
        if case == "fetch --unshallow":
            git(clone, "fetch", "-q", "--unshallow")
            verdict = "-"
        else:
            tip = repo.remote_tip("origin", "main")
            assert tip is not None
            verdict = str(repo.reachable("origin", head, tip).found).lower()
        elapsed = time.perf_counter() - started
        held = git(clone, "rev-list", "--count", "--all")
        rows.append(f"| {commits} | {case} | {verdict} | {held} | {elapsed * 1000:.0f} ms |")
        if case == "moved ahead":
            git(bare, "update-ref", "refs/heads/main", head)  # put the remote back
    return rows


def main() -> None:
    print("| history | case | pushed | commits in clone after | time |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for commits in (100, 2000, 10000):
            for row in measure(Path(tmp), commits):
                print(row, flush=True)


if __name__ == "__main__":
    main()
