"""What `applygate execute` and `applygate rollback` cost on top of the commands they run.

    .venv/bin/python benchmarks/execute_overhead.py

1. The installed `applygate execute` with 1 and with 50 steps of `true` in a clean clone of a
   bare remote over file:// (the checklist's git calls, including ls-remote, are included).
   Per step, against a bare `bash -c true` started with subprocess.run. Goal: < 20 ms per step.
2. The installed `applygate rollback` of the branch tip: revert, push, ls-remote, verify. Goal:
   < 1 s on a local remote (a real remote adds its round trips).
Results: execute_overhead.md.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

APPLYGATE = str(Path(sys.executable).with_name("applygate"))
ROUNDS = 3
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)  # noqa: S607


def seeded(root: Path) -> Path:
    """A bare remote with two commits on main, and a clean clone at its tip."""
    git(root, "init", "--quiet", "--bare", "--initial-branch=main", "remote.git")
    git(root, "clone", "--quiet", f"file://{root}/remote.git", "work")
    work = root / "work"
    for number in range(2):
        (work / "file.txt").write_text(f"{number}\n")
        git(work, "add", "file.txt")
        git(work, "commit", "--quiet", "-m", f"commit {number}")
    git(work, "push", "--quiet", "origin", "HEAD:main")
    return work


def command(argv: list[str], work: Path) -> float:
    env = {**os.environ, **GIT_ENV, "GITHUB_WORKSPACE": str(work), "RUNNER_TEMP": str(work.parent)}
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=work, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    assert done.returncode == 0, done.stdout + done.stderr
    return elapsed


def execute(steps: int, work: Path) -> float:
    text = "\n".join(["true"] * steps)
    return command([APPLYGATE, "execute", "--steps", text, "--publish", "none"], work)


def bare(count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        subprocess.run(["bash", "-c", "true"], check=True, stdin=subprocess.DEVNULL)  # noqa: S607
    return time.perf_counter() - started


def best(measure: list[float]) -> str:
    return f"{min(measure) * 1000:.0f} ms (median {statistics.median(measure) * 1000:.0f} ms)"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = seeded(Path(folder))
        one = [execute(1, work) for _ in range(ROUNDS)]
        fifty = [execute(50, work) for _ in range(ROUNDS)]
        base = min(bare(50) / 50 for _ in range(ROUNDS)) * 1000
        per_step = (min(fifty) - min(one)) / 49 * 1000
        print(f"execute, 1 step of true: {best(one)}")
        print(f"execute, 50 steps of true: {best(fifty)}")
        print(f"bare bash -c true: {base:.1f} ms; per step: {per_step:.1f} ms")
        print(f"overhead per step: {per_step - base:.1f} ms")
        reverts = [
            command([APPLYGATE, "rollback", "--publish", "none"], work) for _ in range(ROUNDS)
        ]
        print(f"rollback of the tip (revert, push, ls-remote, verify): {best(reverts)}")


if __name__ == "__main__":
    main()
