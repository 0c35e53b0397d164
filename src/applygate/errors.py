"""The errors applygate reports to its user, and the exit codes they map to (in cli.py)."""

from __future__ import annotations

from applygate.core.classify import ErrorType


class UsageError(Exception):
    """Bad input or configuration: exit 2 with this one-line message."""


class ApiError(Exception):
    """A GitHub API request that failed for good (after retries for transient failures)."""

    def __init__(
        self,
        operation: str,
        error_type: ErrorType,
        detail: str,
        status: int | None = None,
        accepted_permissions: str = "",
    ):
        self.operation = operation
        # GitHub's X-Accepted-GitHub-Permissions header: what the token lacked (e.g. statuses=write)
        self.accepted_permissions = accepted_permissions
        self.error_type = error_type
        self.detail = detail
        self.status = status
        # no status: no HTTP answer, or one whose body could not be used (the detail says which)
        code = f", HTTP {status}" if status is not None else ""
        super().__init__(f"{operation} failed ({error_type}{code}): {detail}")
