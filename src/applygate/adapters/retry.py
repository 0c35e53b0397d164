"""How long the GitHub client keeps trying: one time budget for every request of a command."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from applygate.context import env_seconds
from applygate.errors import UsageError


@dataclass(frozen=True)
class RetryPolicy:
    """How long to keep trying: the failed attempts and the waits between them take at most
    ``budget`` seconds in all, over every request of a command (answers that are slow to come,
    or time out, count as well as the sleeps)."""

    budget: float = 30.0
    first_backoff: float = 1.0
    max_attempts: int = 6
    rate_limit_max_wait: float = 60.0
    request_timeout: int = 15  # seconds one request may wait for its answer (PyGithub's default)

    @classmethod
    def within(cls, budget: float, request_timeout: int = 15) -> RetryPolicy:
        """The default schedule scaled to ``budget``: as many retries, sooner or later (a
        shortened budget still rides out a blip; rate-limit waits follow GitHub's clock)."""
        default = cls()
        return cls(
            budget=budget,
            first_backoff=default.first_backoff * budget / default.budget,
            request_timeout=request_timeout,
        )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> RetryPolicy:
        """``APPLYGATE_API_RETRY_SECONDS`` (the budget, default 30) and
        ``APPLYGATE_API_TIMEOUT_SECONDS`` (one request's wait for an answer, default 15): the
        same for every request a command makes, reads and writes alike."""
        budget = env_seconds(environ, "APPLYGATE_API_RETRY_SECONDS", 30.0)
        timeout = env_seconds(environ, "APPLYGATE_API_TIMEOUT_SECONDS", 15.0)
        if timeout < 1:  # PyGithub takes whole seconds
            raise UsageError(f"APPLYGATE_API_TIMEOUT_SECONDS: {timeout:g} is less than 1")
        for name, value in (("RETRY", budget), ("TIMEOUT", timeout)):
            if value > MAX_WAIT:  # a job has hours at most; sockets refuse absurd timeouts
                raise UsageError(f"APPLYGATE_API_{name}_SECONDS: {value:g} is more than an hour")
        return cls.within(budget, math.ceil(timeout))


MAX_WAIT = 3600.0
