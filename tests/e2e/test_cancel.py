"""A cancelled job: the signal reaches the running command, and the run ends blocked."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from tests.support.cli import APPLYGATE


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_the_signal_is_passed_to_the_running_command(tmp_path: Path, sig: signal.Signals) -> None:
    ready, got = tmp_path / "ready", tmp_path / "got"
    script = (
        f"trap 'echo stopped cleanly > {got}; exit 143' TERM INT; touch {ready}; sleep 30 & wait"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    proc = subprocess.Popen(
        [APPLYGATE, "fingerprint", "--", script],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert ready.exists(), "the dry-run never started"
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=20)
    assert got.read_text() == "stopped cleanly\n"  # the command itself got the signal
    assert proc.returncode == 1
    assert "the dry-run exited with 143" in stderr  # a local run: the error line is on stderr
    assert not [line for line in stdout.splitlines() if line.startswith("::")]
    assert "Traceback" not in stderr
