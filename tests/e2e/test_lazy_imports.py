"""`applygate --version` (and a usage error) start without the heavy libraries.

Cold start is paid by every job that runs the action; PyGithub (with requests and cryptography),
GitPython and PyYAML are imported only by the commands that use them. Speed itself is measured in
benchmarks/container.md, not asserted here.
"""

from __future__ import annotations

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


def imported(*args: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """Top-level packages the installed console script imports, and how it ended."""
    argv = [sys.executable, "-X", "importtime", str(APPLYGATE), *args]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
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
