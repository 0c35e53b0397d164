"""Failure classes of the protocol and the rules that assign them to API answers.

Transient failures are worth retrying; the others are not: a Permission error needs a token or a
role, a Validation error needs different input, a State conflict needs a person.
"""

from __future__ import annotations

import math
import re
import signal
from collections.abc import Mapping
from dataclasses import dataclass
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
    """A header's number of seconds; None for what is none (``nan``, ``inf``, text). A negative
    one is no wait at all."""
    try:
        value = float(text)
    except ValueError:
        return None
    return max(value, 0.0) if math.isfinite(value) else None


@dataclass(frozen=True)
class Rule:
    """Output matching ``pattern`` (case-insensitive) is an error of class ``error_type``.

    Every match contains one of ``needles`` (lower case): a quick test that lets a long output be
    searched for the rule without running the regex over all of it (core/tail.py; a rule without
    needles is searched with its regex alone, much slower)."""

    error_type: ErrorType
    pattern: re.Pattern[str]
    why: str
    needles: tuple[str, ...] = ()


def _status(code: str) -> str:
    """An HTTP status in output (``HTTP 503``, ``status code: 503``, git's and curl's ``The
    requested URL returned error: 403``, Google's ``googleapi: Error 503``), never a bare
    number: ``Plan: 503 to add`` is not a server error. Reason phrases have rules of their own."""
    return (
        rf"(?:http(?:/[\d.]+)?|status(?: ?code)?|statuscode|(?<!exit )code|returned error"
        rf"|googleapi: error)"
        rf"[\s:=]*{code}\b"
    )


_STATUS_NEEDLES = ("http", "status", "code", "returned error", "googleapi: error")
_RATE_LIMITED = (
    r"rate limit(?:ed|s? exceeded)|exceeded (?:a |the |your )?(?:\w+ )?rate limit"
    r"|ratelimitexceeded"
)


def _rule(error_type: ErrorType, pattern: str, why: str, needles: tuple[str, ...] = ()) -> Rule:
    return Rule(error_type, re.compile(pattern, re.IGNORECASE), why, needles)


# First match wins: a lock or a rejected push is a conflict even when a timeout is mentioned, and a
# denial is a permission problem even when it arrives as a retryable-looking message.
OUTPUT_RULES: tuple[Rule, ...] = (
    _rule(
        ErrorType.STATE_CONFLICT,
        r"error acquiring the state lock",
        "the state is locked",
        ("error acquiring the state lock",),
    ),
    # Terraform's other lock failures, never its routine "Acquiring state lock. This may take a
    # few moments..." and "Releasing state lock..." lines, which every run with a locking
    # backend prints: taking those for a conflict filed every such failure as State conflict.
    _rule(
        ErrorType.STATE_CONFLICT,
        r"error locking state|error unlocking state|error releasing the state"
        r"|failed to unlock state|lock info:|state locked|state is locked",
        "the state is locked",
        (
            "error locking state",
            "error unlocking state",
            "error releasing the state",
            "failed to unlock state",
            "lock info:",
            "state locked",
            "state is locked",
        ),
    ),
    _rule(
        ErrorType.STATE_CONFLICT,
        r"already exists",
        "the resource already exists",
        ("already exists",),
    ),
    _rule(
        ErrorType.STATE_CONFLICT,
        r"non-fast-forward|\[rejected\]|fetch first|updates were rejected",
        "the remote moved: the push was rejected",
        ("non-fast-forward", "[rejected]", "fetch first", "updates were rejected"),
    ),
    _rule(
        ErrorType.STATE_CONFLICT,
        _status("409") + r"|\bconflict\b",
        "a conflicting change",
        (*_STATUS_NEEDLES, "conflict"),
    ),
    # GitHub and others say a rate limit with a 403: waiting helps, a new token does not
    _rule(ErrorType.TRANSIENT, _RATE_LIMITED, "rate limited", ("rate limit", "ratelimitexceeded")),
    _rule(ErrorType.PERMISSION, _status("40[13]"), "HTTP 401/403", _STATUS_NEEDLES),
    _rule(
        ErrorType.PERMISSION,
        r"permission to \S+ denied|protected branch|gh006",
        "the remote refused this account or this branch",
        ("permission to ", "protected branch", "gh006"),
    ),
    _rule(
        ErrorType.PERMISSION,
        r"access ?denied|permission denied|unauthori[sz]ed|forbidden|not authori[sz]ed"
        r"|authorizationfailed|insufficient (?:permission|privilege)s?|invalid credentials"
        r"|could not read username|authentication failed|expiredtoken|token (?:has )?expired",
        "the credentials may not do this",
        (
            "denied",
            "authori",
            "forbidden",
            "insufficient ",
            "invalid credentials",
            "could not read username",
            "authentication failed",
            "expired",
        ),
    ),
    # Timeouts, throttling and rate limits as messages say them, never the bare words: a setting
    # named idle_timeout, throttling_burst_limit or "rate limit" in a validation error is not a
    # reason to run a step again.
    _rule(
        ErrorType.TRANSIENT,
        r"tls handshake timeout|i/o timeout|\btimed ?out\b|deadline exceeded"
        r"|client\.timeout exceeded|\brequest ?timeout\b|gateway time-?out"
        r"|did not complete in \d+(?:\.\d+)? secs",  # GitPython's kill_after_timeout
        "a timeout",
        ("time", "deadline exceeded", "did not complete in "),
    ),
    _rule(
        ErrorType.TRANSIENT,
        _status("429") + r"|too ?many ?requests|rate exceeded|\bthrottl(?:ed|ing)\b"
        r"|throttlingexception|requestlimitexceeded",
        "throttled",
        (*_STATUS_NEEDLES, "many", "rate exceeded", "throttl", "requestlimitexceeded"),
    ),
    _rule(
        ErrorType.TRANSIENT,
        _status(r"5\d\d") + r"|internal server error|service unavailable|bad gateway",
        "a server error",
        (*_STATUS_NEEDLES, "internal server error", "service unavailable", "bad gateway"),
    ),
    _rule(
        ErrorType.TRANSIENT,
        r"connection (?:reset|refused)|broken pipe|temporar(?:y|ily) (?:failure|unavailable)"
        r"|network is unreachable|no route to host|could not resolve host"
        r"|couldn't connect to server|empty reply from server|remote end hung up unexpectedly"
        r"|stream \d+ was not closed cleanly|\bunavailable: ",
        "the network failed",
        (
            "connection ",
            "broken pipe",
            "temporar",
            "network is unreachable",
            "no route to host",
            "could not resolve host",
            "couldn't connect to server",
            "empty reply from server",
            "remote end hung up unexpectedly",
            "not closed cleanly",
            "unavailable: ",
        ),
    ),
)


@dataclass(frozen=True)
class Classification:
    error_type: ErrorType
    why: str


def classify_output(
    output: str,
    *,
    exit_code: int | None = None,
    http_status: int | None = None,
    timed_out: bool = False,
    rules: tuple[Rule, ...] = OUTPUT_RULES,
) -> Classification:
    """The class of a failed command or HTTP check, from its status and what it printed.

    A timeout is Transient; an HTTP status is classified as an API answer; exit codes 126/127
    (not executable, not found) and everything no rule names are Validation errors.
    """
    if timed_out:
        return Classification(ErrorType.TRANSIENT, "it timed out")
    if http_status is not None and http_status >= 400:
        kind = classify_http(http_status, {}, output)
        return Classification(kind, f"HTTP {http_status}")
    killer = signal_name(exit_code)
    if killer is not None:  # not a timeout of ours: someone (the OOM killer?) ended it
        return Classification(ErrorType.VALIDATION, f"it was killed by {killer}")
    if exit_code in (126, 127):
        return Classification(ErrorType.VALIDATION, "the command could not be run")
    for rule in rules:
        if rule.pattern.search(output):
            return Classification(rule.error_type, rule.why)
    return Classification(ErrorType.VALIDATION, "no rule names it: a usage or input error")


def signal_name(exit_code: int | None) -> str | None:
    """The signal that ended a process (Python gives it as a negative exit code), or None."""
    if exit_code is None or exit_code >= 0:
        return None
    try:
        return signal.Signals(-exit_code).name
    except ValueError:
        return f"signal {-exit_code}"


def ended(exit_code: int | None) -> str:
    """How a command ended, for a sentence: ``exited with 3``, ``was killed by SIGKILL``."""
    if exit_code is None:
        return "was killed"
    killer = signal_name(exit_code)
    return f"was killed by {killer}" if killer else f"exited with {exit_code}"


def is_recoverable(error_type: ErrorType) -> bool:
    """Recoverable (retry: FIXING) or not (stop: BLOCKED)."""
    return error_type is ErrorType.TRANSIENT
