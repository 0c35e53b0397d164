"""`applygate --version` (and a usage error) start without the heavy libraries.

Cold start is paid by every job that runs the action; PyGithub (with requests and cryptography),
GitPython and PyYAML are imported only by the commands that use them. Speed itself is measured in
benchmarks/container.md, not asserted here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

APPLYGATE = Path(sys.executable).parent / "applygate"
HEAVY = {"github", "git", "yaml", "requests", "urllib3", "jwt", "nacl", "cryptography"}


def top_level(importtime: str) -> set[str]:
    """The top-level packages named in ``python -X importtime`` output."""
    return {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in importtime.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def imported(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """Top-level packages the installed console script imports, and how it ended."""
    argv = [sys.executable, "-X", "importtime", str(APPLYGATE), *args]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False, cwd=cwd)
    return top_level(done.stderr), done


@pytest.mark.parametrize(
    ("args", "code"),
    [(("--version",), 0), (("no-such-command",), 2), (("approve", "--min-approvals", "x"), 2)],
)
def test_no_heavy_imports(args: tuple[str, ...], code: int) -> None:
    names, done = imported(*args)
    assert done.returncode == code, done.stdout + done.stderr
    assert "applygate" in names  # the importtime listing was read
    assert not names & HEAVY, sorted(names & HEAVY)


def test_the_check_sees_heavy_imports() -> None:
    argv = [sys.executable, "-X", "importtime", "-c", "import github, git, yaml"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=True)
    assert {"github", "git", "yaml"} <= top_level(done.stderr)


def test_python_dash_m_is_the_same_program() -> None:
    from applygate import __version__

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        argv = [sys.executable, "-m", "applygate", *args]
        return subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)

    version = run("--version")
    assert (version.returncode, version.stdout) == (0, f"applygate {__version__}\n")
    unknown = run("deploy")
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("applygate: error: unknown command 'deploy'")


def test_verify_without_publishing_needs_neither_pygithub_nor_gitpython(tmp_path: Path) -> None:
    # verify reads YAML and runs commands: PyGithub is only for publishing a status, GitPython
    # for nothing here.
    (tmp_path / "v.yml").write_text("version: 1\ncriteria:\n  - {name: a, run: 'true'}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    env |= {"GITHUB_WORKSPACE": str(tmp_path), "RUNNER_TEMP": str(tmp_path)}
    argv = ("verify", "--criteria", "v.yml", "--publish", "none")
    names, done = imported(*argv, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PLAN_STATUS: COMPLETE" in done.stdout
    assert "yaml" in names  # the criteria file was read
    assert not names & (HEAVY - {"yaml"}), sorted(names & HEAVY)
