"""Statuses and check runs shaped within GitHub's limits, over plain data."""

from __future__ import annotations

import pytest

from applygate.core.publish import (
    MAX_DESCRIPTION,
    MAX_OUTPUT,
    PAUSE_SECONDS,
    UNSPACED_WRITES,
    clip,
    context_name,
    description,
    output_text,
    permission_hint,
    run_url,
    write_pause,
)


def test_context_defaults_to_the_command() -> None:
    assert context_name("verify", "") == "applygate/verify"
    assert context_name("verify", "  ") == "applygate/verify"
    assert context_name("verify", "deploy/prod ") == "deploy/prod"


def test_run_url() -> None:
    assert run_url("https://github.com/", "o/r", "42") == "https://github.com/o/r/actions/runs/42"
    assert run_url("https://ghe.example", "o/r", "") == ""
    assert run_url("https://github.com", "", "42") == ""


@pytest.mark.parametrize("length", [0, 1, 139, 140, 141, 1000])
def test_description_is_one_line_of_at_most_140(length: int) -> None:
    text = description("x" * length)
    assert len(text) == min(length, MAX_DESCRIPTION)
    assert text.endswith("…") == (length > MAX_DESCRIPTION)


def test_description_joins_lines() -> None:
    assert description("a\n b\r\n\tc ") == "a b c"


def test_output_is_cut_to_the_limit_with_a_note() -> None:
    assert output_text("short") == "short"
    exact = "y" * MAX_OUTPUT
    assert output_text(exact) == exact
    cut = output_text("z" * (MAX_OUTPUT + 1))
    assert len(cut) == MAX_OUTPUT
    assert cut.endswith("the job summary has the whole report)")


def test_clip() -> None:
    assert clip("abcdef", 4) == "abc…"
    assert clip("abcd", 4) == "abcd"


@pytest.mark.parametrize(
    ("kind", "header", "expected"),
    [
        ("status", "statuses=write", "statuses: write"),
        ("status", "", "statuses: write"),
        ("check", "", "checks: write"),
        ("comment", "issues=write; pull_requests=write", "issues: write or pull-requests: write"),
        ("reaction", "", "pull-requests: write"),
        ("other", "", "write access"),
    ],
)
def test_permission_hint(kind: str, header: str, expected: str) -> None:
    assert permission_hint(kind, header) == expected


@pytest.mark.parametrize(
    ("made", "interval", "pause"),
    [
        (0, 0.0, 0.0),  # the first write never waits
        (0, 2.0, 0.0),
        (1, 0.0, 0.0),  # a run's handful of writes go back to back by default
        (4, 0.0, 0.0),
        (UNSPACED_WRITES - 1, 0.0, 0.0),
        (UNSPACED_WRITES, 0.0, PAUSE_SECONDS),  # many writes: GitHub's second between each
        (UNSPACED_WRITES + 50, 0.0, PAUSE_SECONDS),
        (1, 1.0, 1.0),  # a set interval spaces every write, as before
        (1, 0.25, 0.25),
        (UNSPACED_WRITES, 0.25, 0.25),
    ],
)
def test_write_pause(made: int, interval: float, pause: float) -> None:
    assert write_pause(made, interval) == pause


def test_many_writes_stay_under_githubs_content_creation_limit() -> None:
    """In any minute of back-to-back writes, a run makes fewer than GitHub's ~80."""
    elapsed, made = 0.0, 0
    while elapsed < 60.0 and made < 1000:
        elapsed += write_pause(made, 0.0)
        made += 1
    assert made <= 70 < 80
