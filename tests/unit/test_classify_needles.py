"""Each rule's needles are sound: every match of its regex contains one of them.

A long output is searched for a rule only around its needles (core/tail.py), so a needle that a
match can do without would hide that rule's lines. The regexes are read with the standard
library's own parser (private, so only here, in a test): a sequence is covered when one of its
literal runs contains a needle, or one of its parts is covered; an alternation when every branch
is; a repeat when it must occur at least once and its body is covered.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from applygate.core.classify import OUTPUT_RULES, Rule

_parser: Any = pytest.importorskip("re._parser")
_constants: Any = pytest.importorskip("re._constants")
REPEATS = {_constants.MAX_REPEAT, _constants.MIN_REPEAT}
REPEATS |= {getattr(_constants, "POSSESSIVE_REPEAT", _constants.MAX_REPEAT)}


def covered(items: Any, needles: tuple[str, ...]) -> bool:
    """Does every match of the parsed ``items`` contain one of ``needles``?"""
    run = ""
    for op, arg in items:
        if op is _constants.LITERAL:
            run += chr(arg).lower()
            if any(needle in run for needle in needles):
                return True
            continue
        run = ""
        if _part_covered(op, arg, needles):
            return True
    return False


def _part_covered(op: Any, arg: Any, needles: tuple[str, ...]) -> bool:
    if op is _constants.SUBPATTERN:
        return covered(arg[-1], needles)
    if op is _constants.BRANCH:
        return all(covered(branch, needles) for branch in arg[1])
    if op in REPEATS:
        low, _high, body = arg
        return low >= 1 and covered(body, needles)
    return False


def sound(rule: Rule, needles: tuple[str, ...]) -> bool:
    return covered(_parser.parse(rule.pattern.pattern, rule.pattern.flags), needles)


@pytest.mark.parametrize("rule", OUTPUT_RULES, ids=lambda r: r.pattern.pattern[:40])
def test_every_match_of_a_rule_contains_one_of_its_needles(rule: Rule) -> None:
    assert rule.needles, "a rule without needles could not be searched for"
    assert all(needle == needle.lower() for needle in rule.needles)
    assert sound(rule, rule.needles)


@pytest.mark.parametrize("rule", OUTPUT_RULES, ids=lambda r: r.pattern.pattern[:40])
def test_the_check_fails_when_a_needle_is_missing(rule: Rule) -> None:
    # Every needle is needed by some branch: without any one of them the rule is not covered.
    for missing in rule.needles:
        assert not sound(rule, tuple(n for n in rule.needles if n != missing)), missing


@pytest.mark.parametrize(
    ("pattern", "needles", "expected"),
    [
        (r"abc|def", ("abc", "def"), True),
        (r"abc|def", ("abc",), False),
        (r"x(?:abc)+y", ("abc",), True),
        (r"x(?:abc)*y", ("abc",), False),
        (r"time?out", ("timeout",), False),
        (r"access ?denied", ("denied",), True),
    ],
)
def test_the_coverage_check_itself(pattern: str, needles: tuple[str, ...], expected: bool) -> None:
    rule = Rule(OUTPUT_RULES[0].error_type, re.compile(pattern, re.IGNORECASE), "", needles)
    assert sound(rule, needles) is expected
