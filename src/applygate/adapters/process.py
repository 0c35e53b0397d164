"""Running the commands applygate is given (dry-runs, checks, steps, criteria), safely.

Every command runs with ``bash -o pipefail -c`` (a failure inside a pipeline such as
``apply | tee log`` is the command's failure, as with GitHub's ``shell: bash``), stdin from
/dev/null, a non-interactive environment, in its own process group (so a timeout kills the whole
tree, not just the shell), and its output is redacted line by line before anyone sees it: the
caller's callback, the captured text, the report.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import IO

from applygate.core.redact import Redactor

# What makes the usual tools fail instead of waiting for an answer nobody will type.
NONINTERACTIVE_ENV: Mapping[str, str] = {
    "CI": "true",
    "TF_INPUT": "0",
    "TF_IN_AUTOMATION": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "GCM_INTERACTIVE": "never",
    "DEBIAN_FRONTEND": "noninteractive",
    "CLOUDSDK_CORE_DISABLE_PROMPTS": "1",
    "PULUMI_SKIP_CONFIRMATIONS": "true",
    "AWS_PAGER": "",
    "PAGER": "cat",
    "GIT_PAGER": "cat",
}
KILL_GRACE_SECONDS = 2.0
# How long the output may take to end once the command's process group is gone; still open after
# that, it is held by a process that left the group (``outlived``).
OUTPUT_DRAIN_SECONDS = 1.0
PAUSE_SLICE_SECONDS = 0.1  # how soon a waiting retry notices a cancellation

# The process groups of the commands running now, so that a cancellation reaches them.
_running: set[int] = set()
_running_lock = threading.RLock()  # re-entrant: the signal handler may interrupt its holder
_cancelled: list[signal.Signals] = []


class Cancelled(KeyboardInterrupt):
    """The job was cancelled: no new command may start."""

    def __init__(self, sig: signal.Signals) -> None:
        super().__init__(sig.name)
        self.signal = sig


def cancel(sig: signal.Signals) -> None:
    """Pass ``sig`` to every running command's process group, and start no command after it.

    Called from the signal handler (cli.py): the commands (say a terraform apply) get the
    interrupt themselves and can stop cleanly, releasing their locks."""
    if not _cancelled:
        _cancelled.append(sig)
    with _running_lock:
        groups = list(_running)
    for group in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, sig)


def check_cancelled() -> None:
    """Raise Cancelled once the job was cancelled: for work that starts no command through here
    (git, a rollback) but must not begin after a cancellation either."""
    if _cancelled:
        raise Cancelled(_cancelled[0])


def pause(seconds: float) -> None:
    """Sleep ``seconds`` (a retry's backoff), but raise Cancelled as soon as the job is cancelled:
    a signal handler that returns does not cut a ``time.sleep`` short."""
    deadline = time.monotonic() + seconds
    while True:
        check_cancelled()
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, PAUSE_SLICE_SECONDS))


# stream name ("stdout" or "stderr") and one redacted line, without its newline
LineCallback = Callable[[str, str], None]


@dataclass(frozen=True, kw_only=True)
class ProcessResult:
    command: str
    exit_code: int | None  # None when it was killed for taking too long
    stdout: str
    stderr: str
    output: str  # stdout and stderr interleaved as they arrived
    duration: float
    timed_out: bool = False
    # A process it started left its process group (setsid) and still holds its output open: it is
    # still running, so the command is not over even though its shell exited.
    outlived: bool = False

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out and not self.outlived


def noninteractive_env(base: Mapping[str, str]) -> dict[str, str]:
    return {**base, **NONINTERACTIVE_ENV}


def run_shell(
    command: str,
    *,
    cwd: str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    redact: Redactor | None = None,
    on_line: LineCallback | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> ProcessResult:
    """Run ``command`` with bash; never raises for the command's own failure.

    ``env`` is the whole environment of the command (the non-interactive variables are added);
    an OSError starting bash itself is raised to the caller.
    """
    check_cancelled()
    scrub = redact or Redactor()
    started = clock()
    with _running_lock:
        proc = _start(command, cwd, env)
        _running.add(proc.pid)
        if _cancelled:  # the signal came while it was starting
            _kill_group(proc, _cancelled[0])
    try:
        return _finish(proc, command, timeout, scrub, on_line, clock, started)
    finally:
        with _running_lock:
            _running.discard(proc.pid)


def _start(command: str, cwd: str | None, env: Mapping[str, str] | None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - running the user's command is the point
        ["bash", "-o", "pipefail", "-c", command],  # noqa: S607 - bash from PATH
        cwd=cwd,
        env=noninteractive_env(os.environ if env is None else env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _finish(
    proc: subprocess.Popen[bytes],
    command: str,
    timeout: float | None,
    scrub: Redactor,
    on_line: LineCallback | None,
    clock: Callable[[], float],
    started: float,
) -> ProcessResult:
    collected: dict[str, list[str]] = {"stdout": [], "stderr": []}
    merged: list[str] = []
    lock = threading.Lock()

    def pump(name: str, pipe: IO[bytes]) -> None:
        for raw in iter(pipe.readline, b""):
            line = scrub(raw.decode("utf-8", errors="backslashreplace").rstrip("\r\n"))
            with lock:
                collected[name].append(line)
                merged.append(line)
                if on_line is not None:
                    on_line(name, line)
        pipe.close()

    assert proc.stdout is not None  # noqa: S101 - PIPE was asked for
    assert proc.stderr is not None  # noqa: S101 - PIPE was asked for
    readers = [
        threading.Thread(target=pump, args=("stdout", proc.stdout), daemon=True),
        threading.Thread(target=pump, args=("stderr", proc.stderr), daemon=True),
    ]
    for reader in readers:
        reader.start()
    timed_out = False
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(proc, signal.SIGTERM)
        try:
            proc.wait(timeout=KILL_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            _kill_group(proc, signal.SIGKILL)
            proc.wait()
    # Whatever the command left running in its group would hold the pipes open: end it too.
    _kill_group(proc, signal.SIGKILL)
    deadline = time.monotonic() + OUTPUT_DRAIN_SECONDS
    for reader in readers:
        reader.join(timeout=max(deadline - time.monotonic(), 0.0))
    outlived = any(reader.is_alive() for reader in readers)
    duration = clock() - started
    with lock:
        return ProcessResult(
            command=scrub(command),
            exit_code=None if timed_out else proc.returncode,
            stdout=_text(collected["stdout"]),
            stderr=_text(collected["stderr"]),
            output=_text(merged),
            duration=duration,
            timed_out=timed_out,
            outlived=outlived,
        )


def _kill_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone already
        os.killpg(proc.pid, sig)


def _text(lines: list[str]) -> str:
    return "".join(f"{line}\n" for line in lines)
