"""A stand-in live system for the rollback and deployment tests: a state file that the apply steps
change, a real repository and bare remote with a good commit and a bad (approved) one. The fixture
``system`` is registered in tests/e2e/conftest.py."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from tests.git.conftest import Repos, git
from tests.support.cli import invoke

APPLY = "cp config.txt {live}"
# steps that leave the live system healthy whatever commit they run on
HEALTHY = "echo 'version good' > {live}"


def criteria(live: Path) -> str:
    return (
        "version: 1\n"
        "criteria:\n"
        "  - name: live system runs the good version\n"
        f"    run: cat {live}\n"
        "    retries: 1\n"
        "    interval: 100ms\n"
        "    expect: {exit-code: 0, stdout-contains: good}\n"
    )


@dataclass
class System:
    bare: Path
    work: Path
    good: str  # the last commit that applied well
    bad: str  # the approved commit, whose apply breaks the live system
    live: Path

    def checkout(self) -> tuple[str, str, str, str]:
        """HEAD, its branch, git status and the worktrees: what must not change."""
        return (
            git(self.work, "rev-parse", "HEAD"),
            git(self.work, "branch", "--show-current"),
            git(self.work, "status", "--porcelain", "--untracked-files=all", "--ignored"),
            git(self.work, "worktree", "list", "--porcelain"),
        )


def make_system(repos: Repos, tmp_path: Path) -> System:
    bare, work = repos.seeded()
    live = tmp_path / "live"
    files = {".github/applygate/verify.yml": criteria(live), "config.txt": "version good\n"}
    good = repos.commit(work, "deploy good", files)
    bad = repos.commit(work, "deploy bad", {"config.txt": "version bad\n"})
    repos.push(work, "HEAD:main")
    live.write_text("version good\n")  # what the good commit's apply left
    return System(bare, work, good, bad, live)


def as_inputs(**inputs: str) -> dict[str, str]:
    """``rollback_sha="x"`` as the runner sets it: ``INPUT_ROLLBACK-SHA``."""
    return {f"INPUT_{name.upper().replace('_', '-')}": value for name, value in inputs.items()}


def run_on(system: System, env: Mapping[str, str]) -> tuple[int, dict[str, str], str]:
    """The installed command in the system's checkout, as the runner runs a step (``env`` on top
    of this process's own, less its GITHUB_* and INPUT_*): exit code, outputs and stdout. A
    traceback is a failure of the test whatever the exit code."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    full = {**inherited, "GITHUB_WORKSPACE": str(system.work), **env}
    done, outputs, _ = invoke([], full, system.work, cwd=system.work)
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done.returncode, outputs, done.stdout
