"""Where the first character of some Unicode categories stands (core/unicode_categories.py) is
where ``unicodedata`` says, for every code point: the classes built over planes 0, 1 and 14
and the lookup of any other plane's characters one by one."""

from __future__ import annotations

import unicodedata

import pytest

from applygate.core.unicode_categories import first_of

SUSPECTS = frozenset({"Cc", "Cf", "Zl", "Zp", "Zs"})


@pytest.mark.parametrize(
    ("categories", "but"),
    [(SUSPECTS, "\t "), (frozenset({"Cc", "Cf"}), ""), (frozenset({"Lo"}), "")],
)
def test_each_code_point_is_found_as_unicodedata_says(categories: frozenset[str], but: str) -> None:
    wrong = [
        code
        for code in range(0x110000)
        if (first_of(chr(code), categories, but) == 0)
        != (unicodedata.category(chr(code)) in categories and chr(code) not in but)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "end", "at"),
    [
        ("User denied: op", None, -1),
        ("a\u00a0b\x01", None, 1),  # the first of two
        ("ab\tc d", None, -1),  # the tab and the space are not asked for
        ("x\U000e0001y", None, 1),  # plane 14
        ("\U00020000\U000f0000x\u200b", None, 3),  # other planes' characters looked up alone
        ("a\u200bb", 1, -1),  # before ``end`` only
    ],
)
def test_the_first_is_found(text: str, end: int | None, at: int) -> None:
    assert first_of(text, SUSPECTS, "\t ", end) == at
