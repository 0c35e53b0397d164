"""A long stdout's beginning and end: true pieces of it, and nothing found across the gap."""

from __future__ import annotations

import pytest

from applygate.core.excerpt import CHUNK, Excerpt, HeadTail


def excerpt(pieces: list[str], head: int, tail: int) -> Excerpt:
    kept = HeadTail(head, tail)
    for piece in pieces:
        kept.add(piece)
    return kept.excerpt()


@pytest.mark.parametrize(
    ("pieces", "head", "tail", "expected"),
    [
        ([], 4, 4, Excerpt("")),
        (["abc\n", "def\n"], 4, 4, Excerpt("abc\ndef\n")),
        (["abcdefgh"], 4, 4, Excerpt("abcdefgh")),
        (["abcdefghi"], 4, 4, Excerpt("abcd", "fghi", 1)),
        (["ab", "cd", "ef", "gh", "ij", "kl"], 3, 2, Excerpt("abc", "kl", 7)),
        (["x" * 10, "y" * 10], 0, 5, Excerpt("", "y" * 5, 15)),
        (["x" * 10], 5, 0, Excerpt("x" * 5, "", 5)),
    ],
)
def test_head_and_tail(pieces: list[str], head: int, tail: int, expected: Excerpt) -> None:
    assert excerpt(pieces, head, tail) == expected


def test_a_long_text_keeps_its_ends_across_chunks() -> None:
    text = "".join(f"line {n}\n" for n in range(100_000))
    pieces = text.splitlines(keepends=True)
    kept = excerpt(pieces, 1000, 3 * CHUNK)
    assert text.startswith(kept.head)
    assert text.endswith(kept.tail)
    assert (len(kept.head), len(kept.tail)) == (1000, 3 * CHUNK)
    assert kept.dropped == len(text) - 1000 - 3 * CHUNK


@pytest.mark.parametrize(
    ("needle", "found"),
    [
        ("BEGIN", True),  # in the head
        ("END", True),  # in the tail
        ("MIDDLE", False),  # only in the part not kept: not found, fails closed
        ("BEGIN....", False),  # runs from the head into the gap
        ("ND", True),
        ("...|...", False),  # printed, but it runs into the gap
        ("BEGIN...|...END", False),  # the head and tail side by side: never printed
    ],
)
def test_contains_never_finds_what_was_not_printed(needle: str, found: bool) -> None:
    text = "BEGIN..." + "." * 20 + "MIDDLE" + "." * 20 + "|...END"
    kept = excerpt([text], 8, 7)
    assert (kept.head, kept.tail) == ("BEGIN...", "|...END")
    assert kept.contains(needle) is found
    assert not found or needle in text


def test_contains_over_a_whole_text() -> None:
    kept = excerpt(["all of it\n"], 100, 100)
    assert kept.contains("of it\n")
    assert not kept.contains("none")
