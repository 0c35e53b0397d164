"""Running the installed ``applygate`` command as the runner runs a step, for end-to-end tests."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.support.outputs import parse_outputs

# the console script installed next to this interpreter: what a workflow step runs
APPLYGATE = str(Path(sys.executable).with_name("applygate"))


def invoke(
    args: Sequence[str],
    env: Mapping[str, str],
    files: Path,
    cwd: Path | None = None,
    timeout: float = 60,
) -> tuple[subprocess.CompletedProcess[str], dict[str, str], str]:
    """Run ``applygate *args`` with exactly ``env`` plus fresh ``GITHUB_OUTPUT`` and
    ``GITHUB_STEP_SUMMARY`` files named after ``files`` (``env`` may name others); stdin closed.
    The finished process, the outputs as the runner reads them, and the job summary."""
    output, summary = (
        files.with_name(f"{files.name}-output"),
        files.with_name(f"{files.name}-summary"),
    )
    output.write_text("")
    summary.write_text("")
    full = {"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary), **env}
    done = subprocess.run(
        [APPLYGATE, *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    written = Path(full["GITHUB_OUTPUT"]), Path(full["GITHUB_STEP_SUMMARY"])
    outputs = parse_outputs(written[0].read_text()) if written[0].is_file() else {}
    shown = written[1].read_text() if written[1].is_file() else ""
    return done, outputs, shown


def cancelled(
    args: Sequence[str],
    env: Mapping[str, str],
    cwd: Path,
    started: Path,
    sig: signal.Signals = signal.SIGTERM,
    settle: float = 0.0,
) -> tuple[int, str, str]:
    """Run ``applygate *args`` and cancel it as the runner cancels a job: ``sig`` once the file
    ``started`` exists (a step wrote it), ``settle`` seconds later. Exit code, stdout, stderr."""
    with subprocess.Popen(
        [APPLYGATE, *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        deadline = time.monotonic() + 30
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert started.exists(), "the command never started"
        time.sleep(settle)
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=30)
    return proc.returncode, stdout, stderr
