"""HTTP answers -> the protocol's error classes, and how long a rate limit is worth waiting."""

from __future__ import annotations

import pytest

from applygate.core.classify import ErrorType, classify_http, rate_limit_wait

NOW = 1_700_000_000.0
SECONDARY = (
    "You have exceeded a secondary rate limit and have been temporarily blocked "
    "from content creation."
)
PRIMARY = "API rate limit exceeded for 1.2.3.4."


@pytest.mark.parametrize(
    ("status", "headers", "message", "expected"),
    [
        (500, {}, "", ErrorType.TRANSIENT),
        (502, {}, "", ErrorType.TRANSIENT),
        (503, {}, "", ErrorType.TRANSIENT),
        (429, {}, "", ErrorType.TRANSIENT),
        (403, {"Retry-After": "3"}, SECONDARY, ErrorType.TRANSIENT),
        (403, {"x-ratelimit-remaining": "0"}, PRIMARY, ErrorType.TRANSIENT),
        (403, {}, SECONDARY, ErrorType.TRANSIENT),
        (
            403,
            {"x-ratelimit-remaining": "42"},
            "Resource not accessible by integration",
            ErrorType.PERMISSION,
        ),
        (401, {}, "Bad credentials", ErrorType.PERMISSION),
        (404, {}, "Not Found", ErrorType.VALIDATION),
        (422, {}, "Validation Failed", ErrorType.VALIDATION),
        (409, {}, "Conflict", ErrorType.STATE_CONFLICT),
    ],
)
def test_classify_http(
    status: int, headers: dict[str, str], message: str, expected: ErrorType
) -> None:
    assert classify_http(status, headers, message) is expected


@pytest.mark.parametrize(
    ("status", "headers", "message", "wait"),
    [
        (403, {"retry-after": "3"}, SECONDARY, 3.0),
        (429, {"Retry-After": "10"}, "", 10.0),
        (403, {"retry-after": "120"}, SECONDARY, None),
        (
            403,
            {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 20)},
            PRIMARY,
            21.0,
        ),
        (
            403,
            {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 3600)},
            PRIMARY,
            None,
        ),
        (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) - 5)}, PRIMARY, 1.0),
        (403, {"x-ratelimit-remaining": "0"}, PRIMARY, None),
        (403, {}, SECONDARY, None),
        (403, {"retry-after": "soon"}, SECONDARY, None),
        (403, {"retry-after": "nan"}, SECONDARY, None),  # no number: not worth waiting on
        (403, {"retry-after": "inf"}, SECONDARY, None),
        (429, {"retry-after": "-1"}, "", 0.0),  # in the past: try again now
        (500, {"retry-after": "1"}, "", None),
        (401, {}, "Bad credentials", None),
    ],
)
def test_rate_limit_wait(
    status: int, headers: dict[str, str], message: str, wait: float | None
) -> None:
    assert rate_limit_wait(status, headers, message, NOW, 60.0) == wait
