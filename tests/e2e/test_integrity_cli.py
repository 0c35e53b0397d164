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
    R,
    approve,
    serve_pull,
)
from tests.support.fake_github import FakeGitHub
from tests.support.github_payloads import comment, env_approval, permission, pull, review

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


# --- item 3: where the pin is all that binds, only a full pin counts ---------------------------


def fork_pull(api: FakeGitHub, body: str) -> None:
    serve_pull(api, [comment(1, "alice", body, LATER)], [], WRITERS)
    forked = pull(7)
    forked["head"]["repo"]["full_name"] = "mallory/Hello-World"
    api.add("GET", f"{R}/pulls/7", forked)


@pytest.mark.parametrize(
    ("where", "pin", "approved"),
    [
        ("fork", HEAD[:7], False),  # the attack: an old short pin counts for a ground commit
        ("fork", HEAD[:39], False),
        ("fork", HEAD, True),
        ("push not found", HEAD[:7], False),
        ("push not found", HEAD, True),
    ],
)
def test_a_short_pin_does_not_bind(tmp_path: Path, where: str, pin: str, approved: bool) -> None:
    body = f"User approved: {OP} @{pin}"
    with FakeGitHub() as api:
        if where == "fork":
            fork_pull(api, body)
        else:
            serve_pull(api, [comment(1, "alice", body, LATER)], [], WRITERS)
            api.add("GET", f"{R}/activity", [])  # the push that made HEAD the head is not listed
        result = approve(tmp_path, api, {"pr-number": "7", "allow-forks": "true"})
    assert result.outputs["decision"] == ("approved" if approved else "blocked"), result.stdout
    if not approved:
        assert "short-pin" in result.summary
        assert f"@{HEAD}" in result.stdout  # the full sha to pin instead


@pytest.mark.parametrize(("pin", "approved"), [(OLD[:7], False), (OLD, True)])
def test_an_unbound_environment_approval_needs_a_full_pin(
    tmp_path: Path, pin: str, approved: bool
) -> None:
    """The run is for HEAD; the gated commit (input sha) is OLD: the run does not bind it."""
    with FakeGitHub() as api:
        approvals = [env_approval("alice", "approved", f"User approved: {OP} @{pin}")]
        api.add("GET", f"{R}/actions/runs/30433642/approvals", approvals)
        api.add("GET", f"{R}/collaborators/alice/permission", permission("alice", "write", "write"))
        result = approve(tmp_path, api, {"sources": "environment", "sha": OLD})
    assert result.outputs["decision"] == ("approved" if approved else "blocked"), result.stdout
    assert ("short-pin" in result.summary) is not approved
