"""Expectations against observations: what passes, and what each mismatch says."""

from __future__ import annotations

from typing import Any

import pytest

from applygate.core.criteria import HttpCheck, RunCheck
from applygate.core.expect import Observation, brief, lookup, mismatches, same

RUN_CASES: list[tuple[str, RunCheck, Observation, tuple[str, ...]]] = [
    ("exit 0", RunCheck("x"), Observation(exit_code=0), ()),
    ("exit 1", RunCheck("x"), Observation(exit_code=1), ("expected exit code 0, got 1",)),
    ("expected 3", RunCheck("x", exit_code=3), Observation(exit_code=3), ()),
    (
        "contains",
        RunCheck("x", stdout_contains="vpc-"),
        Observation(exit_code=0, text="id vpc-1\n"),
        (),
    ),
    (
        "contains in stderr only",
        RunCheck("x", stdout_contains="vpc-"),
        Observation(exit_code=0, text="", output="vpc-1\n"),
        ("expected stdout to contain 'vpc-', it does not",),
    ),
    (
        "matches",
        RunCheck("x", stdout_matches=r'"State": "avail\w+"'),
        Observation(exit_code=0, text='{"State": "available"}'),
        (),
    ),
    (
        "every mismatch",
        RunCheck("x", stdout_contains="a", stdout_matches="b+"),
        Observation(exit_code=2, text="c"),
        (
            "expected exit code 0, got 2",
            "expected stdout to contain 'a', it does not",
            "expected stdout to match 'b+', it does not",
        ),
    ),
    (
        "long stdout: found in its beginning",
        RunCheck("x", stdout_contains="vpc-1"),
        Observation(exit_code=0, text="id vpc-1 ...", text_tail="... end", text_dropped=10**9),
        (),
    ),
    (
        "long stdout: found in its end",
        RunCheck("x", stdout_contains="end"),
        Observation(exit_code=0, text="id vpc-1 ...", text_tail="... end", text_dropped=10**9),
        (),
    ),
    (
        "long stdout: only across the gap",
        RunCheck("x", stdout_contains="... ..."),
        Observation(exit_code=0, text="id vpc-1 ...", text_tail=" ... end", text_dropped=5),
        (
            "expected stdout to contain '... ...', it does not (only its first 12 and last 8"
            " characters were kept, not the 5 between them)",
        ),
    ),
    (
        "long stdout: a regex is not tried, even one that would match",
        RunCheck("x", stdout_matches=r"\Aid(?!.*ERROR)"),
        Observation(exit_code=0, text="id vpc-1 ...", text_tail="... end", text_dropped=1234567),
        (
            "expected stdout to match '\\\\Aid(?!.*ERROR)', it could not be checked: only its first"
            " 12 and last 7 characters were kept, not the 1,234,567 between them, and a regex"
            " needs all of it (print less, e.g. through grep)",
        ),
    ),
    (
        "timed out",
        RunCheck("x"),
        Observation(timed_out=True, timeout=2.0),
        ("expected an answer within 2s, got none: timed out",),
    ),
    (
        "not run",
        RunCheck("x"),
        Observation(error="FileNotFoundError: bash"),
        ("expected exit code 0, got none: FileNotFoundError: bash",),
    ),
]


@pytest.mark.parametrize(
    ("check", "seen", "want"), [c[1:] for c in RUN_CASES], ids=[c[0] for c in RUN_CASES]
)
def test_run_expectations(check: RunCheck, seen: Observation, want: tuple[str, ...]) -> None:
    assert mismatches(check, seen) == want


URL = "http://h/"
BODY = '{"status": "green", "n": 1, "ok": true, "items": [{"name": "db"}], "o": {"a": [1]}}'
HTTP_CASES: list[tuple[str, HttpCheck, Observation, tuple[str, ...]]] = [
    ("2xx by default", HttpCheck(URL), Observation(status=204), ()),
    (
        "3xx is not 2xx",
        HttpCheck(URL),
        Observation(status=302),
        ("expected a 2xx status, got 302",),
    ),
    ("exact status", HttpCheck(URL, status=404), Observation(status=404), ()),
    (
        "wrong status",
        HttpCheck(URL, status=200),
        Observation(status=503),
        ("expected status 200, got 503",),
    ),
    (
        "no answer",
        HttpCheck(URL),
        Observation(error="connection refused"),
        ("expected an HTTP answer, got none: connection refused",),
    ),
    ("body", HttpCheck(URL, body_contains="ok"), Observation(status=200, text="all ok"), ()),
    (
        "body missing",
        HttpCheck(URL, body_contains="ok"),
        Observation(status=200, text="bad"),
        ("expected the body to contain 'ok', it does not",),
    ),
    (
        "json paths",
        HttpCheck(
            URL,
            json=(
                ("$.status", "green"),
                ("n", 1.0),
                ("$.ok", True),
                ("items.0.name", "db"),
                ("o", {"a": [1]}),
            ),
        ),
        Observation(status=200, text=BODY),
        (),
    ),
    (
        "json differences",
        HttpCheck(
            URL, json=(("$.status", "red"), ("$.n", True), ("$.ok", 1), ("$.items.1.name", "x"))
        ),
        Observation(status=200, text=BODY),
        (
            'expected $.status = "red", got "green"',
            "expected $.n = true, got 1",
            "expected $.ok = 1, got true",
            'expected $.items.1.name = "x", got nothing there',
        ),
    ),
    (
        "not json",
        HttpCheck(URL, json=(("a", 1),)),
        Observation(status=200, text="<html>"),
        ("expected a JSON body, got one that is not JSON",),
    ),
]


@pytest.mark.parametrize(
    ("check", "seen", "want"), [c[1:] for c in HTTP_CASES], ids=[c[0] for c in HTTP_CASES]
)
def test_http_expectations(check: HttpCheck, seen: Observation, want: tuple[str, ...]) -> None:
    assert mismatches(check, seen) == want


@pytest.mark.parametrize(
    ("got", "want", "equal"),
    [
        (1, 1.0, True),
        (True, 1, False),
        (0, False, False),
        ("1", 1, False),
        ([1, {"a": None}], [1, {"a": None}], True),
        ({"a": 1}, {"a": 1, "b": 2}, False),
    ],
)
def test_json_equality(got: Any, want: Any, equal: bool) -> None:
    assert same(got, want) is equal


def test_lookup_through_lists_and_maps() -> None:
    document = {"a": [{"b": 5}]}
    assert lookup(document, "$.a.0.b") == 5
    assert lookup(document, "a.0") == {"b": 5}
    assert lookup(document, "a.b") is not None and lookup(document, "a.b") != 5
    assert lookup(document, "a.1.b") is lookup(document, "x")
    assert lookup(document, "a.²") is lookup(document, "x")  # a digit to isdigit, not to int


@pytest.mark.parametrize(
    ("seen", "text"),
    [
        (Observation(exit_code=1), "exit 1"),
        (Observation(status=503), "HTTP 503"),
        (Observation(timed_out=True), "timed out"),
        (Observation(error="connection refused"), "no answer"),
    ],
)
def test_brief(seen: Observation, text: str) -> None:
    assert brief(seen) == text
