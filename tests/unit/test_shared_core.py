"""Durations, redaction, the output rule table and the protocol's error report, over plain data."""

from __future__ import annotations

import base64

import pytest

from applygate.core.classify import ErrorType, classify_output, is_recoverable
from applygate.core.durations import format_duration, parse_duration
from applygate.core.redact import Redactor
from applygate.core.status import (
    ErrorReport,
    PlanStatus,
    render_error_markdown,
    render_error_text,
    status_line,
    trim_output,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("500ms", 0.5),
        ("30s", 30.0),
        ("2m", 120.0),
        ("1h", 3600.0),
        ("1.5s", 1.5),
        (" 5s ", 5.0),
        ("168h", 604800.0),
    ],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text",
    # the last ones overflow a sleep or a socket timeout: a crash, not a long wait
    ["", "5", "s", "-1s", "5 s", "5sec", "1d", "1e3s", "5s5", "169h", "99999999999999h"],
)
def test_bad_durations(text: str) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0.85, "850ms"), (12.34, "12.3s"), (30.0, "30s"), (1.04, "1s"), (125, "2m05s")],
)
def test_format_duration(seconds: float, shown: str) -> None:
    assert format_duration(seconds) == shown


def test_redactor_longest_first_and_multiline_secrets() -> None:
    redact = Redactor.of(["abcd", "abcdefgh", "line-one\nline-two", "", "ab"])
    assert redact("x abcdefgh y abcd") == "x *** y ***"
    assert redact("line-two alone") == "*** alone"
    assert redact("ab stays") == "ab stays"
    assert "abcd" not in repr(redact)


@pytest.mark.parametrize("prefix", ["", "u", "us", "user:", "deploy-bot:"])
def test_a_secret_encoded_in_base64_is_redacted_wherever_it_falls(prefix: str) -> None:
    secret = "s3cr3t/database+password"
    encoded = base64.b64encode(f"{prefix}{secret}@host".encode()).decode()
    shown = Redactor.of([secret])(f"Authorization: Basic {encoded}")
    assert "***" in shown
    for variant in (encoded, encoded.replace("+", "-").replace("/", "_")):
        assert variant not in Redactor.of([secret])(variant)
    assert Redactor.of([secret])(base64.b64encode(b"unrelated text here").decode()) == (
        base64.b64encode(b"unrelated text here").decode()
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "fatal: unable to access 'https://x-access-token:ghs_abc123@github.com/o/r.git/'",
            "fatal: unable to access 'https://***@github.com/o/r.git/'",
        ),
        (
            "remote: https://deploy:hunter2@git.example.com:8443/r",
            "remote: https://***@git.example.com:8443/r",
        ),
        ("ssh://git@github.com/o/r and http://u@h", "ssh://***@github.com/o/r and http://***@h"),
        # no user-info: left alone
        ("see https://github.com/o/r/pull/1 or mail ops@example.com", None),
        ("git@github.com:o/r.git", None),
        ("https://example.com/@scope/package", None),
        # a password holding an @, a JSON string's escaped slashes, the URL-encoded form
        ("https://u:p@ss@host/x", "https://***@host/x"),
        ("https:\\/\\/u:pw@h\\/x", "https:\\/\\/***@h\\/x"),
        ("https%3A%2F%2Fu%3Apw%40h%2Fx", "https%3A%2F%2F***%40h%2Fx"),
        ("see https://github.com then me@example.com", None),
    ],
)
def test_the_user_info_of_any_url_is_redacted(text: str, shown: str | None) -> None:
    assert Redactor()(text) == (text if shown is None else shown)


@pytest.mark.parametrize(
    "escaped",
    [
        '{"s":"wJalrXUtnFEMI\\/K7MDENG\\/bPxRfiCYEXAMPLEKEY"}',  # PHP's and Java's \/
        '{"s":"\\u0077JalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}',
        '{"s":"'
        + "".join(f"\\u{ord(c):04X}" for c in "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
        + '"}',
    ],
)
def test_a_secret_in_any_json_escape_is_redacted(escaped: str) -> None:
    redact = Redactor.of(["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"])
    assert redact(escaped) == '{"s":"***"}'


def test_a_secret_url_encoded_or_json_escaped_is_redacted() -> None:
    secret = 'p@ss/w"rd:42'
    redact = Redactor.of([secret])
    assert (
        redact("https://u:p%40ss%2Fw%22rd%3A42@host/") == "https://***@host/"
    )  # the whole user-info
    assert redact('{"password": "p@ss/w\\"rd:42"}') == '{"password": "***"}'


@pytest.mark.parametrize(
    ("output", "exit_code", "expected"),
    [
        ("Error: Error acquiring the state lock\nLock Info: ...", 1, ErrorType.STATE_CONFLICT),
        ("Error: creating VPC: resource already exists", 1, ErrorType.STATE_CONFLICT),
        (" ! [rejected] main -> main (fetch first)", 1, ErrorType.STATE_CONFLICT),
        ("error: failed to push some refs (non-fast-forward)", 1, ErrorType.STATE_CONFLICT),
        (
            "Error from server (Conflict): Operation cannot be fulfilled",
            1,
            ErrorType.STATE_CONFLICT,
        ),
        ("An error occurred (AccessDenied) when calling", 255, ErrorType.PERMISSION),
        ("open /root/.kube/config: permission denied", 1, ErrorType.PERMISSION),
        ("error: You must be logged in to the server (Unauthorized)", 1, ErrorType.PERMISSION),
        ("HTTP 403: Forbidden", 1, ErrorType.PERMISSION),
        ("status code: 401", 1, ErrorType.PERMISSION),
        ("net/http: TLS handshake timeout", 1, ErrorType.TRANSIENT),
        ("dial tcp 10.0.0.1:443: i/o timeout", 1, ErrorType.TRANSIENT),
        ("read: connection reset by peer", 1, ErrorType.TRANSIENT),
        ("connect: connection refused", 1, ErrorType.TRANSIENT),
        ("ThrottlingException: Rate exceeded", 1, ErrorType.TRANSIENT),
        ("HTTP/1.1 503 Service Unavailable", 1, ErrorType.TRANSIENT),
        ("StatusCode: 429, Too Many Requests", 1, ErrorType.TRANSIENT),
        ("502 Bad Gateway", 1, ErrorType.TRANSIENT),
        ("Error: Invalid value for variable", 1, ErrorType.VALIDATION),
        ("Operation timed out", 1, ErrorType.TRANSIENT),
        ("Error: context deadline exceeded", 1, ErrorType.TRANSIENT),
        (
            "request canceled (Client.Timeout exceeded while awaiting headers)",
            1,
            ErrorType.TRANSIENT,
        ),
        (
            "RequestTimeout: Your socket connection to the server was not read from",
            1,
            ErrorType.TRANSIENT,
        ),
        ("TooManyRequestsException: slow down", 1, ErrorType.TRANSIENT),
        ("API rate limit exceeded for 1.2.3.4.", 1, ErrorType.TRANSIENT),
        ("You have exceeded a secondary rate limit", 1, ErrorType.TRANSIENT),
        # a setting's name in a validation error is no reason to run an apply again
        (
            "Error: expected idle_timeout to be in the range (1 - 4000), got 0",
            1,
            ErrorType.VALIDATION,
        ),
        ('An argument named "timeout" is not expected here.', 1, ErrorType.VALIDATION),
        ("ValidationError: Timeout value must be less than interval", 1, ErrorType.VALIDATION),
        ("Error: expected throttling_rate_limit to be at least (0)", 1, ErrorType.VALIDATION),
        ("Error: invalid value for throttling_burst_limit", 1, ErrorType.VALIDATION),
        ("Error: Invalid rate limit configuration", 1, ErrorType.VALIDATION),
        ("Plan: 503 to add, 0 to change, 0 to destroy.", 1, ErrorType.VALIDATION),
        # terraform's routine lock lines, printed by every run with a locking backend, are no
        # conflict: the failure that follows them decides
        (
            "Acquiring state lock. This may take a few moments...\n"
            "Error: creating EC2 VPC: UnauthorizedOperation: You are not authorized\n"
            "Releasing state lock. This may take a few moments...",
            1,
            ErrorType.PERMISSION,
        ),
        (
            "Acquiring state lock. This may take a few moments...\n"
            "Error: reading S3 Bucket: StatusCode: 503, Service Unavailable",
            1,
            ErrorType.TRANSIENT,
        ),
        (
            "Acquiring state lock. This may take a few moments...\nError: Unsupported argument",
            1,
            ErrorType.VALIDATION,
        ),
        (
            "Error locking state: Error acquiring the state lock: ConditionalCheckFailedException",
            1,
            ErrorType.STATE_CONFLICT,
        ),
        ("Error releasing the state lock\nLock Info:\n  ID: 4a1c", 1, ErrorType.STATE_CONFLICT),
        ("Failed to unlock state: LockID mismatch", 1, ErrorType.STATE_CONFLICT),
        ("unknown flag: --frobnicate", 2, ErrorType.VALIDATION),
        ("bash: terraform: command not found", 127, ErrorType.VALIDATION),
        # git over HTTPS, curl, gcloud and the AWS CLI say their statuses their own way
        (
            "fatal: unable to access 'https://github.com/o/r.git/': "
            "The requested URL returned error: 403",
            128,
            ErrorType.PERMISSION,
        ),
        ("error: RPC failed; The requested URL returned error: 502", 1, ErrorType.TRANSIENT),
        ("curl: (22) The requested URL returned error: 500", 22, ErrorType.TRANSIENT),
        ("remote: Permission to octo/infra.git denied to deploy-bot.", 128, ErrorType.PERMISSION),
        (
            "remote: error: GH006: Protected branch update failed for refs/heads/main.",
            1,
            ErrorType.PERMISSION,
        ),
        ("googleapi: Error 503: The service is currently unavailable.", 1, ErrorType.TRANSIENT),
        ("googleapi: Error 429: Quota exceeded for quota metric", 1, ErrorType.TRANSIENT),
        ("googleapi: Error 403: Required 'compute.instances.create'", 1, ErrorType.PERMISSION),
        ("An error occurred (RequestLimitExceeded) when calling", 255, ErrorType.TRANSIENT),
        ("Error from server: 504 Gateway Timeout", 1, ErrorType.TRANSIENT),
        ("HTTP 403: API rate limit exceeded for installation ID 42.", 1, ErrorType.TRANSIENT),
        (
            "Timeout: the command 'git push --porcelain origin' did not complete in 120 secs.",
            1,
            ErrorType.TRANSIENT,
        ),
        ("Error: googleapi: Error 400: Invalid value for field", 1, ErrorType.VALIDATION),
        (
            "curl: (7) Failed to connect to h port 443: Couldn't connect to server",
            7,
            ErrorType.TRANSIENT,
        ),
        ("curl: (52) Empty reply from server", 52, ErrorType.TRANSIENT),
        ("fatal: the remote end hung up unexpectedly", 128, ErrorType.TRANSIENT),
        (
            "error: RPC failed; curl 92 HTTP/2 stream 5 was not closed cleanly",
            1,
            ErrorType.TRANSIENT,
        ),
        (
            "ERROR: (gcloud.run.deploy) UNAVAILABLE: The service is currently unavailable",
            1,
            ErrorType.TRANSIENT,
        ),
        (
            "An error occurred (ExpiredToken) when calling the GetObject operation",
            254,
            ErrorType.PERMISSION,
        ),
        ("the step failed with exit code 500", 1, ErrorType.VALIDATION),  # no HTTP status
        ("Permission denied, but not runnable", 126, ErrorType.VALIDATION),
    ],
)
def test_output_rule_table(output: str, exit_code: int, expected: ErrorType) -> None:
    assert classify_output(output, exit_code=exit_code).error_type is expected


def test_timeouts_and_http_statuses() -> None:
    assert classify_output("", timed_out=True).error_type is ErrorType.TRANSIENT
    assert classify_output("", http_status=503).error_type is ErrorType.TRANSIENT
    assert classify_output("", http_status=403).error_type is ErrorType.PERMISSION
    assert classify_output("", http_status=409).error_type is ErrorType.STATE_CONFLICT
    assert classify_output("", http_status=404).error_type is ErrorType.VALIDATION
    assert is_recoverable(ErrorType.TRANSIENT)
    assert not any(is_recoverable(t) for t in ErrorType if t is not ErrorType.TRANSIENT)


def test_error_report_has_the_four_fields_and_the_status_line() -> None:
    report = ErrorReport(
        error_type=ErrorType.PERMISSION,
        message="AccessDenied\n```\nnot a fence end",
        root_cause="the role may not create VPCs",
        rollback_status="not attempted",
    )
    text = render_error_text(report)
    assert text.splitlines()[0] == "Error Type: Permission"
    assert "  AccessDenied" in text
    assert "Root Cause: the role may not create VPCs" in text
    assert text.endswith("Rollback Status: not attempted")
    markdown = render_error_markdown(report)
    assert "````text" in markdown  # a fence longer than any in the message
    assert status_line(PlanStatus.BLOCKED) == "PLAN_STATUS: BLOCKED"


def test_trim_output_keeps_the_end() -> None:
    text = "\n".join(f"line {n}" for n in range(100))
    trimmed = trim_output(text)
    assert trimmed.startswith("…\n")
    assert trimmed.endswith("line 99")
    assert "line 59" not in trimmed
    assert trim_output("short  \n") == "short"
