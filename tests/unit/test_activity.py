"""A branch's activity -> the push of the gated commit (item 4) and who pushed (item 6)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from applygate.core.activity import Activity, Pushes, read_pushes, started
from applygate.core.binding import Push

REF = "refs/heads/new-topic"
SHA, OTHER = "a" * 40, "b" * 40


def at(hour: int) -> datetime:
    return datetime(2026, 11, 1, hour, tzinfo=UTC)


def entry(
    after: str, hour: int | None, actor: str | None, kind: str = "push", ref: str = REF
) -> Activity:
    return Activity(ref, after, None if hour is None else at(hour), actor, kind)


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ([entry(SHA, 12, "pusher")], Pushes(Push(at(12), "pusher"), ("pusher",))),
        ([entry(SHA.upper(), 12, "pusher")], Pushes(Push(at(12), "pusher"), ("pusher",))),
        # item 4: the newest entry made another commit the head: the older push does not bind
        ([entry(OTHER, 13, "x"), entry(SHA, 12, "p")], Pushes(None, ("x", "p"))),
        # whatever order the answer came in
        ([entry(SHA, 12, "p"), entry(OTHER, 13, "x")], Pushes(None, ("p", "x"))),
        ([entry(SHA, 10, "p"), entry(SHA, 12, "q")], Pushes(Push(at(12), "q"), ("p", "q"))),
        ([entry(SHA, 12, "p"), entry(OTHER, 12, "x")], Pushes(None, ("p", "x"))),  # a tie
        ([entry(SHA, 12, "p"), entry(OTHER, None, "x")], Pushes(None, ("p", "x"))),  # no time
        ([entry(SHA, 12, "p", kind="force_push")], Pushes(Push(at(12), "p"), ("p",))),
        ([entry("0" * 40, 13, "p", "branch_deletion"), entry(SHA, 12, "p")], Pushes(None, ("p",))),
        ([], Pushes(None)),
        # another branch's entries (the filter is GitHub's) neither bind nor push
        ([entry(SHA, 13, "x", ref="refs/heads/other")], Pushes(None)),
        # item 6: everyone since the branch was (last) created, the head's pusher first
        (
            [
                entry(SHA, 14, "format-bot[bot]"),
                entry(OTHER, 13, "erin"),
                entry(OTHER, 11, "erin", "branch_creation"),
                entry(OTHER, 10, "old-owner"),  # its earlier life, before a deletion
                entry(OTHER, 9, "old-owner", "branch_creation"),
            ],
            Pushes(Push(at(14), "format-bot[bot]"), ("format-bot[bot]", "erin")),
        ),
        ([entry(SHA, 12, None)], Pushes(Push(at(12), None))),  # a deleted account
    ],
)
def test_read_pushes(entries: list[Activity], expected: Pushes) -> None:
    found = read_pushes(entries, REF, SHA)
    assert (found.head, found.pushers) == (expected.head, expected.pushers)


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        # a branch that moved on: the gated commit's push is not the newest, but its pusher is
        # still known, and never approves it
        ([entry(OTHER, 13, "x"), entry(SHA, 12, "erin")], ("erin",)),
        ([entry(SHA, 12, "p"), entry(SHA, 10, "q"), entry(OTHER, 11, "x")], ("p", "q")),
        ([entry(SHA, 12, "p", ref="refs/heads/other")], ()),
        ([entry(SHA, 12, None)], ()),
    ],
)
def test_who_pushed_the_commit_itself(entries: list[Activity], expected: tuple[str, ...]) -> None:
    assert read_pushes(entries, REF, SHA).of_commit == expected


def test_started_only_by_the_branchs_own_creation() -> None:
    assert started([entry(SHA, 12, "p", "branch_creation")], REF)
    assert not started([entry(SHA, 12, "p")], REF)
    assert not started([entry(SHA, 12, "p", "branch_creation", "refs/heads/other")], REF)
