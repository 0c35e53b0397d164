"""The GitHub Actions runner: outputs, job summary, log groups, annotations and masks.

In Actions (``GITHUB_ACTIONS=true``) groups, annotations and masks are workflow commands, escaped
as the runner expects, and ``GITHUB_OUTPUT`` is required. Outside Actions the output is for a
person at a terminal: no workflow command is printed, a group is one heading line, an annotation
is one plain line on stderr (none when the console report already says it), a mask prints nothing
(redaction still applies to everything relayed), and a note (a report's path) is printed. Outputs
and summary are written only where their files are named; the console report is the same.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TextIO

from applygate.context import RunContext
from applygate.errors import UsageError


def writable(text: str) -> str:
    """``text`` as UTF-8 can carry it: a lone surrogate (a file name that is not UTF-8, as git
    and the OS hand it over) becomes a visible ``\\udcff`` instead of failing the whole write."""
    if text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass
class Runner:
    output_path: str = ""
    summary_path: str = ""
    # sys.stdout as it is when the run starts, not when this module was imported
    stream: TextIO = field(default_factory=lambda: sys.stdout)
    actions: bool = True  # workflow commands for the runner's log; False: plain lines for a person
    # where a local annotation goes (sys.stderr as it is when the run starts)
    errors: TextIO = field(default_factory=lambda: sys.stderr)

    @classmethod
    def of(cls, ctx: RunContext) -> Runner:
        """This run's runner, its files checked before any work: a command must not apply, decide
        or publish and only then find it cannot report (exit 2 comes first, nothing done). In
        Actions the outputs need ``GITHUB_OUTPUT``: without it they would silently be lost."""
        if ctx.in_actions and not ctx.output_path:
            raise UsageError("GITHUB_OUTPUT is not set (in GitHub Actions): no output can be set")
        for path, name in (
            (ctx.output_path, "GITHUB_OUTPUT"),
            (ctx.summary_path, "GITHUB_STEP_SUMMARY"),
        ):
            if path:
                cls._append(path, name, "")
        return cls(ctx.output_path, ctx.summary_path, actions=ctx.in_actions)

    def mask(self, secret: str) -> None:
        """Ask the runner to hide ``secret`` in its log; outside Actions there is no log to ask."""
        if secret and self.actions:
            self.stream.write(writable(f"::add-mask::{escape_data(secret)}\n"))

    def annotate(
        self,
        level: str,
        message: str,
        title: str = "",
        *,
        reported: bool = False,
        shown_above: str = "",
    ) -> None:
        """An error, warning or notice. In Actions it is also shown apart from the log (on the
        run's page), so it carries everything: ``shown_above`` (the end of a command's output,
        already in the log) is appended. Outside Actions it is one line on stderr,
        ``<level>: <title>: <message>``, and nothing at all when ``reported`` (the console
        report says it already: a failure is printed once)."""
        if self.actions:
            text = f"{message}\n{shown_above}".rstrip() if shown_above else message
            props = f" title={escape_property(title)}" if title else ""
            self.stream.write(writable(f"::{level}{props}::{escape_data(text)}\n"))
            return
        if reported:
            return
        self.stream.flush()  # what was printed so far comes first on a shared terminal
        where = f"{title}: " if title else ""
        self.errors.write(writable(f"{level}: {where}{message}") + "\n")
        self.errors.flush()

    def group(self, title: str) -> None:
        """Start a collapsible group of log lines; outside Actions, a heading line."""
        self.print(f"::group::{escape_data(title)}" if self.actions else f"== {title}")

    def end_group(self) -> None:
        if self.actions:
            self.print("::endgroup::")

    def note(self, text: str) -> None:
        """A line for a person at a terminal (``report: <path>``): in Actions the same fact
        reaches the job's later steps another way (an output), so the log stays as it was."""
        if not self.actions:
            self.print(text)

    def print(self, text: str = "") -> None:
        self.stream.write(writable(text) + "\n")
        self.stream.flush()

    def set_outputs(self, outputs: Mapping[str, str]) -> None:
        if not self.output_path:
            return
        lines = []
        for name, value in outputs.items():
            if "\n" in value or "\r" in value:
                delimiter = f"ghadelimiter_{uuid.uuid4()}"
                lines.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
            else:
                lines.append(f"{name}={value}\n")
        self._append(self.output_path, "GITHUB_OUTPUT", "".join(lines))

    def add_summary(self, markdown: str) -> None:
        if self.summary_path:
            self._append(self.summary_path, "GITHUB_STEP_SUMMARY", markdown.rstrip("\n") + "\n")

    @staticmethod
    def _append(path: str, name: str, text: str) -> None:
        try:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(writable(text))
        except OSError as error:
            raise UsageError(f"{name} {path}: cannot be written ({error.strerror})") from None
