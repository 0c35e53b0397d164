"""The checked-out commit, asked of git itself: a light read for commands that otherwise need no
repository (verify, fingerprint), without GitPython."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

from applygate.adapters.git import git_environment
from applygate.core.subject import is_full_sha


def checked_out(path: Path, environ: Mapping[str, str]) -> str | None:
    """HEAD's commit in ``path``, or None where there is no readable repository."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", "HEAD^{commit}"],  # noqa: S607 - git on PATH, as every git command here
            cwd=path,
            env=git_environment(environ, [str(path)]),
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return None
    sha = done.stdout.strip().lower()
    return sha if done.returncode == 0 and is_full_sha(sha) else None
