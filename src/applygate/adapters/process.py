"""Running the commands applygate is given (dry-runs, checks, steps, criteria), safely.

Every command runs with ``bash -eo pipefail -c`` as GitHub's ``shell: bash`` does (a failed
command ends the script, and a failure inside a pipeline such as ``apply | tee log`` is the
command's failure), stdin from /dev/null, a non-interactive environment, in its own process
group (so a timeout kills the whole tree, not just the shell), and its output is redacted line
by line before anyone sees it: the caller's callback, the captured text, the report.

Memory stays bounded whatever a command prints: each line reaches the callback as it arrives, but
what is kept is bounded (OutputLimits): the output's end and the lines the rule table names
(core/tail.py), the beginning and end of stdout (core/excerpt.py); a line longer than the read
limit is read in pieces (core/lines.py). A caller that needs all of stdout (the fingerprint) is
given it a piece at a time (``on_stdout``).
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

from applygate.core.excerpt import HeadTail
from applygate.core.lines import Batch, LineSplitter
from applygate.core.redact import Redactor
from applygate.core.tail import OutputTail

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
READ_SIZE = 64 * 1024  # a pipe's whole buffer, on Linux
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
# some redacted stdout (a line without its newline, or a piece of a longer one), and whether it
# ends its line
PieceCallback = Callable[[str, bool], None]


@dataclass(frozen=True)
class OutputLimits:
    """How much of a command's output is kept (each in characters, but line_bytes)."""

    line_bytes: int = 1024 * 1024  # read at once at most: a longer line comes in pieces
    tail_lines: int = 1000  # output and stderr: their last lines ...
    tail_chars: int = 256 * 1024  # ... within this (never less than a report shows)
    stdout_head: int = 4 * 1024 * 1024  # stdout: all of it up to head + tail; past that, its
    stdout_tail: int = 4 * 1024 * 1024  # beginning and end


@dataclass(frozen=True, kw_only=True)
class ProcessResult:
    command: str
    exit_code: int | None  # None when it was killed for taking too long
    stdout: str  # all of stdout, or when it was longer than the limits its beginning ...
    stderr: str  # its end (core/tail.py)
    output: str  # stdout and stderr interleaved as they arrived: the end, and what rules name
    duration: float
    timed_out: bool = False
    # A process it started left its process group (setsid) and still holds its output open: it is
    # still running, so the command is not over even though its shell exited.
    outlived: bool = False
    stdout_tail: str = ""  # ... and its end,
    stdout_dropped: int = 0  # with this many characters between them not kept

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
    on_stdout: PieceCallback | None = None,
    limits: OutputLimits | None = None,
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
    kept = _Kept(limits or OutputLimits(), on_line, on_stdout)
    try:
        return _finish(proc, command, timeout, scrub, kept, clock, started)
    finally:
        with _running_lock:
            _running.discard(proc.pid)


def _start(command: str, cwd: str | None, env: Mapping[str, str] | None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - running the user's command is the point
        ["bash", "-e", "-o", "pipefail", "-c", command],  # noqa: S607 - bash from PATH
        cwd=cwd,
        env=noninteractive_env(os.environ if env is None else env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


class _Kept:
    """Where each piece of output goes: the caller's callbacks, and what is kept of it."""

    def __init__(
        self, limits: OutputLimits, on_line: LineCallback | None, on_stdout: PieceCallback | None
    ) -> None:
        self.limits = limits
        self.on_line = on_line
        self.on_stdout = on_stdout
        self.lock = threading.Lock()
        self.output = OutputTail(max_lines=limits.tail_lines, max_chars=limits.tail_chars)
        self.stderr = OutputTail(max_lines=limits.tail_lines, max_chars=limits.tail_chars, rules=())
        self.stdout = HeadTail(limits.stdout_head, limits.stdout_tail)

    def add(self, stream: str, batch: Batch) -> None:
        texts, ends = batch
        if not texts:
            return
        with self.lock:
            if self.on_line is not None:
                for text in texts:
                    self.on_line(stream, text)
            self.output.extend(texts)
            if stream == "stderr":
                self.stderr.extend(texts)
                return
            if all(ends):
                self.stdout.add("\n".join(texts) + "\n")
            else:
                self.stdout.add(
                    "".join(t + "\n" if e else t for t, e in zip(texts, ends, strict=True))
                )
            if self.on_stdout is not None:
                for text, ends_line in zip(texts, ends, strict=True):
                    self.on_stdout(text, ends_line)

    def pump(self, stream: str, pipe: IO[bytes], scrub: Redactor) -> None:
        """Read ``pipe`` to its end, whatever is there at each read (at most READ_SIZE)."""
        lines = LineSplitter(scrub, self.limits.line_bytes)
        while chunk := os.read(pipe.fileno(), READ_SIZE):
            self.add(stream, lines.feed(chunk))
        self.add(stream, lines.finish())
        pipe.close()


def _finish(
    proc: subprocess.Popen[bytes],
    command: str,
    timeout: float | None,
    scrub: Redactor,
    kept: _Kept,
    clock: Callable[[], float],
    started: float,
) -> ProcessResult:
    assert proc.stdout is not None  # noqa: S101 - PIPE was asked for
    assert proc.stderr is not None  # noqa: S101 - PIPE was asked for
    readers = [
        threading.Thread(target=kept.pump, args=("stdout", proc.stdout, scrub), daemon=True),
        threading.Thread(target=kept.pump, args=("stderr", proc.stderr, scrub), daemon=True),
    ]
    for reader in readers:
        reader.start()
    timed_out = _wait(proc, timeout)
    # Whatever the command left running in its group would hold the pipes open: end it too.
    _kill_group(proc, signal.SIGKILL)
    deadline = time.monotonic() + OUTPUT_DRAIN_SECONDS
    for reader in readers:
        reader.join(timeout=max(deadline - time.monotonic(), 0.0))
    outlived = any(reader.is_alive() for reader in readers)
    duration = clock() - started
    with kept.lock:
        stdout = kept.stdout.excerpt()
        return ProcessResult(
            command=scrub(command),
            exit_code=None if timed_out else proc.returncode,
            stdout=stdout.head,
            stdout_tail=stdout.tail,
            stdout_dropped=stdout.dropped,
            stderr=kept.stderr.text(),
            output=kept.output.text(),
            duration=duration,
            timed_out=timed_out,
            outlived=outlived,
        )


def _wait(proc: subprocess.Popen[bytes], timeout: float | None) -> bool:
    """Wait for the command; after ``timeout`` seconds, end its group. Did it time out?"""
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc, signal.SIGTERM)
        try:
            proc.wait(timeout=KILL_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            _kill_group(proc, signal.SIGKILL)
            proc.wait()
        return True
    return False


def _kill_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone already
        os.killpg(proc.pid, sig)
