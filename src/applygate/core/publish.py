"""What a command publishes on its commit for branch protection, as plain data within GitHub's
limits: a commit status or a check run, ``pending`` while it runs, then its result.

Pure: the adapter (adapters/publish.py) sends what this module shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# GitHub's limits: a commit status description, and a check run output's summary and text.
MAX_DESCRIPTION = 140
MAX_OUTPUT = 65535
MAX_TITLE = 255  # not documented as a hard limit: kept short so the checks tab stays readable


class Mode(StrEnum):
    COMMIT_STATUS = "commit-status"
    CHECK_RUN = "check-run"
    NONE = "none"


class State(StrEnum):
    """A commit status state; a check run maps it to a conclusion."""

    PENDING = "pending"
    SUCCESS = "success"
    FAILURE = "failure"
    ERROR = "error"


# GitHub's best practices ("Pause between mutative requests"): "If you are making a large number
# of POST, PATCH, PUT, or DELETE requests, wait at least one second between each request. This will
# help you avoid secondary rate limits." A run of applygate makes a handful of writes (a reaction,
# a status or two, a comment): those go out back to back, one at a time. From the eleventh write of
# one run on, each waits that second: then no run makes more than 10 + 60 = 70 writes in a minute,
# under GitHub's secondary limit of about 80 content-creating requests a minute (and 350 of the 900
# points a minute one REST endpoint may cost). docs/github.md says so for users.
UNSPACED_WRITES = 10
PAUSE_SECONDS = 1.0


def write_pause(made: int, interval: float) -> float:
    """How long the next write waits after the previous one, ``made`` writes into the run: a set
    ``interval`` (APPLYGATE_WRITE_INTERVAL_SECONDS) always; by default (0) nothing for the first
    ``UNSPACED_WRITES`` writes, then ``PAUSE_SECONDS``."""
    if made == 0:
        return 0.0
    if interval > 0:
        return interval
    return PAUSE_SECONDS if made >= UNSPACED_WRITES else 0.0


# A check run has no "error" conclusion: a command that could not finish has failed the check.
# ``pending`` is never a final word: a result that is no verdict (applied, verification still
# owed) is a commit status ``success`` whose description says so, and a check run ``neutral``.
CONCLUSIONS: dict[State, str] = {
    State.SUCCESS: "success",
    State.FAILURE: "failure",
    State.ERROR: "failure",
}
NEUTRAL = "neutral"

# The permission each kind of write needs, for the warning when the header does not say.
PERMISSIONS: dict[str, str] = {
    "status": "statuses: write",
    "check": "checks: write",
    "reaction": "pull-requests: write",
    "comment": "pull-requests: write",
}


@dataclass(frozen=True)
class Target:
    """Where to publish: the commit, the context (status) or name (check run), the run's page."""

    sha: str
    context: str
    target_url: str


def context_name(command: str, configured: str) -> str:
    """The status context or check name: the ``status-context`` input, else applygate/<command>."""
    return configured.strip() or f"applygate/{command}"


def run_url(server_url: str, repository: str, run_id: str) -> str:
    """The page of this workflow run, or empty outside a workflow."""
    if not (repository and run_id):
        return ""
    return f"{server_url.rstrip('/')}/{repository}/actions/runs/{run_id}"


def clip(text: str, limit: int) -> str:
    """``text`` on one budget: cut with an ellipsis when longer than ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def description(text: str) -> str:
    """A status description: one line, at most 140 characters."""
    return clip(" ".join(text.split()), MAX_DESCRIPTION)


def output_text(markdown: str) -> str:
    """A check run's output summary: the report, cut to GitHub's limit with a visible note."""
    if len(markdown) <= MAX_OUTPUT:
        return markdown
    note = "\n\n… (cut to GitHub's limit: the job summary has the whole report)"
    return markdown[: MAX_OUTPUT - len(note)] + note


def permission_hint(kind: str, accepted: str) -> str:
    """The permission the token lacked: GitHub's X-Accepted-GitHub-Permissions, else ours.

    The header reads like ``statuses=write`` (several alternatives separated by ``;``).
    """
    named = [
        part.strip().replace("_", "-").replace("=", ": ")
        for part in accepted.split(";")
        if part.strip()
    ]
    return " or ".join(named) if named else PERMISSIONS.get(kind, "write access")
