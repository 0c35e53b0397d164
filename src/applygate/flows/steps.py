"""Running execute's steps one at a time: each in a log group, its exit code checked before the
next, transient failures retried after a backoff (``PLAN_STATUS: FIXING`` while it waits).

The decisions are core/execution.py's; this module runs commands, sleeps and prints.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from applygate.adapters.process import ProcessResult
from applygate.adapters.runner import Runner
from applygate.core.execution import Next, StepRecord, after_attempt, judge_attempt
from applygate.core.execution_report import retry_line, step_title
from applygate.core.redact import Redactor
from applygate.core.status import PlanStatus, status_line, trim_output

# (command, cwd, env, redactor) -> result, as flows/checklist.py's shell gives it
Shell = Callable[[str, str, Mapping[str, str], Redactor], ProcessResult]
Sleep = Callable[[float], None]


@dataclass(frozen=True)
class StepRunner:
    shell: Shell  # echoes each output line to the log as it arrives
    sleep: Sleep
    runner: Runner
    redact: Redactor
    cwd: str
    env: Mapping[str, str]
    waits: tuple[float, ...]  # the backoff before each retry

    def run_all(self, steps: Sequence[str]) -> tuple[StepRecord, ...]:
        """Every step's record; after the first one that fails for good, the rest are not run."""
        records = [StepRecord(n, self.redact(step)) for n, step in enumerate(steps, 1)]
        for index, command in enumerate(steps):
            records[index] = self.run_one(records[index], command, len(steps))
            if records[index].attempts[-1].ok:
                continue
            self.runner.print(f"step {index + 1} failed: later steps are not run")
            break
        return tuple(records)

    def run_one(self, record: StepRecord, command: str, total: int) -> StepRecord:
        while True:
            title = step_title(record, total, len(record.attempts) + 1)
            self.runner.group(title)
            result = self.attempt(command)
            self.runner.end_group()
            attempt = judge_attempt(
                result.exit_code,
                result.timed_out,
                result.duration,
                result.output,
                trim_output(result.output),
                result.outlived,
            )
            record = replace(record, attempts=(*record.attempts, attempt))
            action = after_attempt(record.attempts, self.waits)
            if action.next is not Next.RETRY:
                return record
            self.runner.print(status_line(PlanStatus.FIXING))
            self.runner.print(retry_line(record, attempt, action.wait, len(self.waits)))
            self.sleep(action.wait)

    def attempt(self, command: str) -> ProcessResult:
        try:
            return self.shell(command, self.cwd, self.env, self.redact)
        except OSError as error:  # bash itself could not be started
            text = self.redact(f"cannot run the step: {error.strerror or error}")
            self.runner.print(text)
            return ProcessResult(
                command=self.redact(command),
                exit_code=127,
                stdout="",
                stderr=text,
                output=text,
                duration=0.0,
            )
