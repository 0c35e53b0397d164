"""A cancelled job: the signal reaches the running command, and the run ends blocked."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from tests.support.cli import cancelled


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_the_signal_is_passed_to_the_running_command(tmp_path: Path, sig: signal.Signals) -> None:
    ready, got = tmp_path / "ready", tmp_path / "got"
    script = (
        f"trap 'echo stopped cleanly > {got}; exit 143' TERM INT; touch {ready}; sleep 30 & wait"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    code, stdout, stderr = cancelled(["fingerprint", "--", script], env, tmp_path, ready, sig)
    assert got.read_text() == "stopped cleanly\n"  # the command itself got the signal
    assert code == 1
    assert "the dry-run exited with 143" in stderr  # a local run: the error line is on stderr
    assert not [line for line in stdout.splitlines() if line.startswith("::")]
    assert "Traceback" not in stderr
