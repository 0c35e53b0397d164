"""Where the first character of some Unicode categories stands, and which distinct ones a text
holds (core/unicode_categories.py), is what ``unicodedata`` says, for every code point: the
classes written for the grammar's suspects and for invisible characters (on the Unicode version
they were written from), and the classes built over planes 0, 1 and 14 with any other plane's
characters looked up one by one."""

from __future__ import annotations

import unicodedata

import pytest

from applygate.core import unicode_categories
from applygate.core.unicode_categories import INVISIBLES, SUSPECTS, every_of, expanding, first_of

EVERY = range(0x110000)


def _expected(categories: frozenset[str], but: str) -> list[int]:
    return [c for c in EVERY if unicodedata.category(chr(c)) in categories and chr(c) not in but]


def test_the_written_classes_are_unicodedata_s() -> None:
    """Fails on a Python whose unicodedata is not the one the classes were written from (then
    first_of and every_of build them: tools/unicode_ranges.py writes them again)."""
    assert (frozenset({"Cc", "Cf", "Zl", "Zp", "Zs"}), "\t ") == SUSPECTS  # the grammar's
    assert (frozenset({"Cc", "Cf"}), "".join(map(chr, range(0x80)))) == INVISIBLES
    assert unicodedata.unidata_version == "14.0.0"
    text = "".join(map(chr, EVERY))
    for asked in (SUSPECTS, INVISIBLES):
        expected = _expected(*asked)
        assert [c for c in EVERY if first_of(chr(c), *asked) == 0] == expected
        assert sorted(map(ord, every_of(text, *asked))) == expected


@pytest.mark.parametrize(
    ("categories", "but"),
    [
        SUSPECTS,
        INVISIBLES,
        (frozenset({"Cc", "Cf"}), ""),
        (frozenset({"Lo"}), ""),
        (frozenset({"Xx"}), ""),
    ],
)
def test_each_code_point_is_found_as_unicodedata_says(
    categories: frozenset[str], but: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built from unicodedata (as on a Python of another Unicode version, for the written)."""
    monkeypatch.setattr(unicode_categories, "unidata_version", "other")
    expected = _expected(categories, but)
    assert [c for c in EVERY if first_of(chr(c), categories, but) == 0] == expected
    assert sorted(map(ord, every_of("".join(map(chr, EVERY)), categories, but))) == expected


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("User denied: op", -1),
        ("a\u00a0b\x01", 1),  # the first of two
        ("ab\tc d", -1),  # the tab and the space are not asked for
        ("x\U000e0001y", 1),  # plane 14
        ("\U00020000\U000f0000x\u200b", 3),
    ],
)
@pytest.mark.parametrize("written", [True, False])
def test_the_first_is_found(
    text: str, at: int, written: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not written:
        monkeypatch.setattr(unicode_categories, "unidata_version", "other")
    assert first_of(text, *SUSPECTS) == at


def test_other_planes_are_looked_up_one_by_one_where_the_class_is_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A character of plane 2 as if it were of a category asked for. (Categories no other test
    asks for: the class built under the patch is cached for the process, by what is asked.)"""
    monkeypatch.setattr(unicode_categories, "unidata_version", "other")
    monkeypatch.setattr(
        unicode_categories, "category", lambda ch: "Lo" if ch < "\U00020000" else "Cf"
    )
    assert first_of("ab\U00020000c", frozenset({"Cf"}), "") == 2
    assert every_of("ab\U00020000c\U00020000", frozenset({"Cf"}), "") == {"\U00020000"}


def test_the_expanding_class_is_unicodedata_s(monkeypatch: pytest.MonkeyPatch) -> None:
    """The characters NFKC writes as more than one, written for Unicode 14.0.0 and found by
    NFKC itself on another version: both as unicodedata says, for every code point."""
    text = [chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c <= 0xDFFF]  # as skeleton
    expected = [ch for ch in text if len(unicodedata.normalize("NFKC", ch)) > 1]
    assert expanding(text) == expected
    monkeypatch.setattr(unicode_categories, "unidata_version", "other")
    assert expanding(text) == expected
