"""Failure classes of the protocol and the rules that assign them to API answers.

Transient failures are worth retrying; the others are not: a Permission error needs a token or a
role, a Validation error needs different input, a State conflict needs a person.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class ErrorType(StrEnum):
    TRANSIENT = "Transient"
    VALIDATION = "Validation"
    PERMISSION = "Permission"
    STATE_CONFLICT = "State conflict"


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return str(value)
    return None


def is_rate_limited(status: int, headers: Mapping[str, str], message: str) -> bool:
    if status not in (403, 429):
        return False
    text = message.lower()
    return (
        _header(headers, "retry-after") is not None
        or _header(headers, "x-ratelimit-remaining") == "0"
        or "rate limit" in text
    )


def classify_http(status: int, headers: Mapping[str, str], message: str) -> ErrorType:
    """The protocol's class of an HTTP error answer from the GitHub API."""
    if status >= 500 or status == 429 or is_rate_limited(status, headers, message):
        return ErrorType.TRANSIENT
    if status in (401, 403):
        return ErrorType.PERMISSION
    if status == 409:
        return ErrorType.STATE_CONFLICT
    return ErrorType.VALIDATION


def rate_limit_wait(
    status: int, headers: Mapping[str, str], message: str, now: float, max_wait: float
) -> float | None:
    """Seconds to wait before retrying a rate-limited answer, or None when not worth waiting.

    A secondary limit says ``Retry-After``; a primary limit says when it resets
    (``x-ratelimit-reset``, epoch seconds). Waits longer than ``max_wait`` are not taken.
    """
    if not is_rate_limited(status, headers, message):
        return None
    retry_after = _header(headers, "retry-after")
    if retry_after is not None:
        wait = _number(retry_after)
    elif _header(headers, "x-ratelimit-remaining") == "0":
        reset = _number(_header(headers, "x-ratelimit-reset") or "")
        wait = None if reset is None else max(reset - now, 0.0) + 1.0
    else:
        wait = None
    if wait is None or wait > max_wait:
        return None
    return wait


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None
