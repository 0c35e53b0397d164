"""What is kept of a long output: the report shows the same, the classification finds the same.

The realistic outputs here are long terraform, kubectl and gcloud runs with the error early, late
or both; small limits stand in for the real ones (thousands of lines, not gigabytes).
"""

from __future__ import annotations

import re

import pytest

from applygate.core.classify import OUTPUT_RULES, ErrorType, Rule, classify_output
from applygate.core.status import trim_output
from applygate.core.tail import OutputTail, first_matches, gap_line


def kept(lines: list[str], max_lines: int = 1000, max_chars: int = 256 * 1024) -> str:
    tail = OutputTail(max_lines=max_lines, max_chars=max_chars)
    for line in lines:
        tail.add(line)
    return tail.text()


def whole(lines: list[str]) -> str:
    return "".join(f"{line}\n" for line in lines)


def apply_progress(count: int) -> list[str]:
    return [f"aws_instance.web[{n}]: Still creating... [{n % 60}0s elapsed]" for n in range(count)]


def kubectl_configured(count: int) -> list[str]:
    return [f"deployment.apps/service-{n} configured" for n in range(count)]


LOCK = [
    "Acquiring state lock. This may take a few moments...",
    "╷",
    "│ Error: Error acquiring the state lock",
    "│ Lock Info:",
    "│   ID:        8f2c1a4e-0000-4000-8000-000000000000",
    "╵",
]
THROTTLED = [
    "╷",
    "│ Error: creating EC2 Instance: RequestLimitExceeded: Request limit exceeded.",
    "│ \tstatus code: 503, request id: 5f1e2d3c",
    "╵",
]
FORBIDDEN = [
    'Error from server (Forbidden): error when applying patch: secrets "db" is forbidden: '
    'User "ci" cannot patch resource "secrets" in API group "" in the namespace "prod"',
]
EXISTS = ["│ Error: creating S3 Bucket (logs): BucketAlreadyOwnedByYou: already exists"]
GCLOUD = [
    "ERROR: (gcloud.run.deploy) PERMISSION_DENIED: Permission 'run.services.update' denied",
]
INVALID = ["│ Error: Invalid value for variable", '│   on main.tf line 3: var.region = "mars"']

REALISTIC = {
    "terraform: lock early, long apply": LOCK + apply_progress(1200),
    "terraform: throttled late": apply_progress(1200) + THROTTLED,
    "terraform: exists early, throttled late": EXISTS + apply_progress(1200) + THROTTLED,
    "terraform: throttled early, invalid late": THROTTLED + apply_progress(1200) + INVALID,
    "terraform: invalid, no rule": apply_progress(1200) + INVALID,
    "kubectl: forbidden early, thousands configured": FORBIDDEN + kubectl_configured(1500),
    "kubectl: configured, forbidden late": kubectl_configured(1500) + FORBIDDEN,
    "kubectl: forbidden early and conflict late": FORBIDDEN
    + kubectl_configured(1500)
    + ['Error from server (Conflict): Operation cannot be fulfilled on deployments "web"'],
    "gcloud: denied early, long log": GCLOUD + [f"Deploying revision {n}" for n in range(3000)],
    "gcloud: both": GCLOUD + [f"log line {n}" for n in range(1200)] + ["ERROR: i/o timeout"],
}


@pytest.mark.parametrize("name", REALISTIC)
@pytest.mark.parametrize("limit", [45, 500])
def test_classification_and_report_are_those_of_the_whole_output(name: str, limit: int) -> None:
    lines = REALISTIC[name]
    text = kept(lines, max_lines=limit, max_chars=limit * 80)
    assert len(text) < len(whole(lines))  # something was left out
    assert classify_output(text, exit_code=1) == classify_output(whole(lines), exit_code=1)
    assert trim_output(text) == trim_output(whole(lines))


def test_an_early_error_is_kept_in_place_with_the_gaps_counted() -> None:
    lines = ["start", *LOCK[2:4], *apply_progress(100)]
    text = kept(lines, max_lines=45)
    first_kept = 103 - 45
    # the first line each rule matches: the error line (the first lock rule) and the Lock Info
    # line (the second)
    assert text.splitlines()[:5] == [
        gap_line(1, 6),
        "│ Error: Error acquiring the state lock",
        "│ Lock Info:",
        gap_line(first_kept - 3, sum(len(line) + 1 for line in lines[3:first_kept])),
        lines[first_kept],
    ]
    assert text.endswith(whole(lines[-45:]))


@pytest.mark.parametrize(
    "lines",
    [
        [],
        ["one"],
        ["", "", "a", "", "b", "", ""],
        ["with\rredraw", "tab\tend   ", "│ unicode ✓"],
        apply_progress(999),
    ],
)
def test_output_within_the_limits_is_kept_whole(lines: list[str]) -> None:
    assert kept(lines) == whole(lines)


LONG = "x" * 3000
REPORT_CASES = {
    "long lines": [f"{n} {LONG}" for n in range(400)],
    "one huge last line": [*apply_progress(50), "y" * 300_000],
    "blank lines at the end": [*apply_progress(2000), *[""] * 5000],
    "blank lines in the middle": [*apply_progress(50), *[""] * 5000, *apply_progress(30)],
    "whitespace lines": [*apply_progress(50), *["   "] * 3000, "last"],
    "carriage returns inside lines": [f"{n}%\r{n + 1}%\r{LONG}" for n in range(300)],
    "few long lines": ["a" * 9000, "b" * 9000, "c" * 9000, "d" * 100] * 30,
}


@pytest.mark.parametrize("name", REPORT_CASES)
def test_the_report_shows_what_it_would_of_the_whole_output(name: str) -> None:
    lines = REPORT_CASES[name]
    text = kept(lines, max_lines=100, max_chars=20_000)
    assert trim_output(text) == trim_output(whole(lines))
    assert len(text) < 400_000


def test_memory_is_bounded_by_the_limits_not_by_the_output() -> None:
    tail = OutputTail(max_lines=100, max_chars=10_000)
    for line in apply_progress(20_000):
        tail.add(line)
        assert len(tail._tail) < 200  # twice the limit at most, before a cut
    assert len(tail.text().splitlines()) <= 100 + len(OUTPUT_RULES) * 2 + 1


def test_flooding_blank_lines_count_in_the_gap() -> None:
    text = kept(["first", *[""] * 500, "last"], max_lines=45)
    assert text.splitlines()[0] == gap_line(457, 6 + 456)
    assert text.endswith("\n" * 44 + "last\n")


@pytest.mark.parametrize("lines", [1, 2, 10, 1_234_567])
@pytest.mark.parametrize("chars", [0, 5, 98_765_432_109])
def test_the_gap_line_names_no_error(lines: int, chars: int) -> None:
    gap = gap_line(lines, chars)
    assert classify_output(gap, exit_code=1) == classify_output("", exit_code=1)
    assert f"{lines:,} line" in gap


@pytest.mark.parametrize(
    ("block", "found"),
    [
        ("ok\nok\n", []),
        ("a\nstatus code:\n409 x\n", ["status code:\n409"]),
        ("Plan: 503 to add\nHTTP 503\n", ["HTTP 503"]),
        ("code 1\nconflict here\nHTTP 409\n", ["conflict"]),
        ("PERMISSION DENIED\n", ["PERMISSION DENIED"]),
        ("\u017ftatus code 429\n", ["\u017ftatus code 429"]),  # IGNORECASE folds the long s
        ("İ/o timeout after İ\n", ["İ/o timeout"]),
        ("Error acquiring the state lock\n", ["Error acquiring the state lock"]),
        ("Lock Info:\n", ["Lock Info:"]),
    ],
)
def test_first_matches_finds_what_the_regexes_find(block: str, found: list[str]) -> None:
    matches = first_matches(block, OUTPUT_RULES)
    assert [m.group(0) for _rule, m in matches] == [
        m.group(0) for rule in OUTPUT_RULES if (m := rule.pattern.search(block)) is not None
    ]
    assert [m.group(0) for _rule, m in matches] == found


def test_rules_after_the_first_that_matched_are_no_longer_looked_for() -> None:
    # a lock (an early rule of the table) wins over anything later: a later 503 is not needed
    text = kept([*LOCK[2:3], *apply_progress(200), *THROTTLED, *apply_progress(200)], 45)
    assert "Error acquiring the state lock" in text
    assert "status code: 503" not in text
    # the other way round both are kept: the lock still wins
    text = kept([*THROTTLED, *apply_progress(200), *LOCK[2:3], *apply_progress(200)], 45)
    assert "status code: 503" in text
    assert "Error acquiring the state lock" in text
    assert classify_output(text, exit_code=1).why == "the state is locked"


def test_a_rule_without_needles_is_searched_with_its_regex_alone() -> None:
    rule = Rule(ErrorType.VALIDATION, re.compile(r"quota \d+", re.IGNORECASE), "quota")
    found = first_matches("ok\nQuota 7 exceeded\n", [rule])
    assert [(r, m.group(0)) for r, m in found] == [(rule, "Quota 7")]
