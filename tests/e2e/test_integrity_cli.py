"""Issue 19 (approval integrity), items 2 to 6, through the installed ``applygate approve``
against a loopback GitHub: each attack of the issue is decided safely, and the legitimate path
beside it is still approved. (Item 1, a trigger decides only for itself: test_trigger_cli.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.e2e.test_approve_cli import (
    HEAD,
    LATER,
    OLD,
    OP,
    PUSHED,
    approve,
    serve_pull,
)
from tests.support.fake_github import FakeGitHub
from tests.support.github_payloads import comment, review

WRITERS = {"alice": ("write", "write"), "bob": ("write", "maintain")}


# --- item 2: dismissing a review does not remove its denial -------------------------------------


@pytest.mark.parametrize("state", ["CHANGES_REQUESTED", "DISMISSED"])
def test_a_dismissed_denial_still_blocks(tmp_path: Path, state: str) -> None:
    denial = review(9, "bob", state, HEAD, f"User denied: {OP}", LATER)
    with FakeGitHub() as api:
        serve_pull(api, [comment(1, "alice", f"User approved: {OP}", LATER)], [denial], WRITERS)
        result = approve(tmp_path, api, {"pr-number": "7"})
    assert result.code == 1, result.stdout
    assert result.outputs["decision"] == "blocked"
    assert "bob denied this operation" in result.outputs["reasons"]


def test_a_dismissed_approval_does_not_count(tmp_path: Path) -> None:
    dismissed = review(9, "bob", "DISMISSED", HEAD, f"User approved: {OP}", LATER)
    with FakeGitHub() as api:
        serve_pull(api, [comment(1, "alice", f"User approved: {OP}", LATER)], [dismissed], WRITERS)
        result = approve(tmp_path, api, {"pr-number": "7", "min-approvals": "2"})
    assert result.code == 1, result.stdout
    assert "1 of 2 required approvals" in result.outputs["reasons"]
    assert "review-dismissed" in result.summary


def test_a_dismissed_denial_on_an_older_head_does_not_block(tmp_path: Path) -> None:
    """Written on an earlier head before the latest push: it denied that head, as before."""
    denial = review(9, "bob", "DISMISSED", OLD, f"User denied: {OP}", "2026-11-01T11:00:00Z")
    with FakeGitHub() as api:
        serve_pull(api, [comment(1, "alice", f"User approved: {OP}", LATER)], [denial], WRITERS)
        result = approve(tmp_path, api, {"pr-number": "7"})
    assert (result.code, result.outputs["decision"]) == (0, "approved"), result.stdout
    assert PUSHED < LATER
