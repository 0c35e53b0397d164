"""Issue 19 (approval integrity), items 2 to 6, through the installed ``applygate approve``
against a loopback GitHub: each attack of the issue is decided safely, and the legitimate path
beside it is still approved. (Item 1, a trigger decides only for itself: test_trigger_cli.py.)"""

from __future__ import annotations

import json
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
from tests.support.fake_github import FakeGitHub, json_of
from tests.support.github_payloads import comment, env_approval, permission, pull, push, review

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


# --- item 4: the push time only from the branch's newest activity entry ------------------------

OTHER = "1" * 40


@pytest.mark.parametrize(
    ("body", "approved"),
    [
        (f"User approved: {OP}", False),  # the attack: it approved OTHER, the head at the time
        (f"User approved: {OP} @{HEAD}", True),  # the push is unknown: a full pin still binds
    ],
)
def test_a_lagging_feed_leaves_the_push_unknown(tmp_path: Path, body: str, approved: bool) -> None:
    """12:00 HEAD pushed; 12:10 OTHER pushed (the newest entry listed); 12:20 alice approves,
    with OTHER the head; the force-push back to HEAD is not listed yet."""
    activity = [
        push(OTHER, "2026-11-01T12:10:00Z", "pusher"),
        push(HEAD, "2026-11-01T12:00:00Z", "pusher"),
    ]
    with FakeGitHub() as api:
        serve_pull(api, [comment(1, "alice", body, "2026-11-01T12:20:00Z")], [], WRITERS)
        api.add("GET", f"{R}/activity", activity)
        result = approve(tmp_path, api, {"pr-number": "7"})
        listed = api.sent("GET", f"{R}/issues/7/comments")
    assert result.outputs["decision"] == ("approved" if approved else "blocked"), result.stdout
    assert "since" not in listed[0].query  # an unknown push filters nothing out
    if not approved:
        assert "the push that made 6dcb09b5b578 the head was not found" in result.summary


def test_the_newest_entry_binds(tmp_path: Path) -> None:
    activity = [
        push(HEAD, PUSHED, "pusher"),
        push(OTHER, "2026-11-01T11:00:00Z", "pusher"),
        push(HEAD, "2026-11-01T10:00:00Z", "pusher"),  # HEAD was the head before, too
    ]
    early = comment(1, "alice", f"User approved: {OP}", "2026-11-01T10:30:00Z")
    with FakeGitHub() as api:
        serve_pull(api, [early, comment(2, "bob", f"User approved: {OP}", LATER)], [], WRITERS)
        api.add("GET", f"{R}/activity", activity)
        result = approve(tmp_path, api, {"pr-number": "7", "min-approvals": "2"})
    assert result.outputs["decision"] == "blocked", result.stdout  # alice approved an old push
    assert "1 of 2 required approvals" in result.outputs["reasons"]


# --- item 6: everyone who pushed the change is excluded ----------------------------------------


def pushed_by_erin_then_a_bot(api: FakeGitHub) -> None:
    api.add(
        "GET",
        f"{R}/activity",
        [
            push(HEAD, PUSHED, "format-bot[bot]", kind="Bot"),  # the formatter pushed the head
            push(OTHER, "2026-11-01T11:00:00Z", "erin"),  # erin pushed the change
            push(OLD, "2026-11-01T10:00:00Z", "erin", activity="branch_creation"),
            push(OLD, "2026-10-01T10:00:00Z", "alice"),  # an earlier branch of the same name
        ],
    )


@pytest.mark.parametrize(
    ("approver", "inputs", "approved"),
    [
        ("erin", {}, False),  # the attack: her own change, laundered through the bot's push
        ("erin", {"allow-self-approval": "true"}, True),  # the policy still overrides
        ("alice", {}, True),  # the bot's push excludes the bot, not the approver
    ],
)
def test_every_pusher_of_the_change_is_excluded(
    tmp_path: Path, approver: str, inputs: dict[str, str], approved: bool
) -> None:
    people = {**WRITERS, "erin": ("write", "write")}
    with FakeGitHub() as api:
        serve_pull(api, [comment(1, approver, f"User approved: {OP}", LATER)], [], people)
        pushed_by_erin_then_a_bot(api)
        result = approve(tmp_path, api, {"pr-number": "7", **inputs})
        assert api.count("GET", f"{R}/activity") == 1  # the activity already read: no more
    assert result.outputs["decision"] == ("approved" if approved else "blocked"), result.stdout
    if not approved:
        assert "erin pushed to the pull request's branch" in result.summary


# --- item 5: a re-run never counts an earlier attempt's environment approval -------------------


@pytest.mark.parametrize(
    ("attempt", "token", "approved"),
    [
        ("2", f"User approved: {OP}", False),  # the attack: attempt 1's reviewer counts again
        ("2", f"User approved: {OP} @{HEAD[:12]}", False),
        ("3", f"User approved: {OP} @{HEAD}", True),  # a full pin still binds on a re-run
        ("", f"User approved: {OP}", False),  # the runner did not say: not a first attempt
        ("1", f"User approved: {OP}", True),  # a first attempt's approval
    ],
)
def test_a_rerun_counts_only_fully_pinned_environment_approvals(
    tmp_path: Path, attempt: str, token: str, approved: bool
) -> None:
    with FakeGitHub() as api:
        approvals = [env_approval("bob", "approved", token, "production")]
        api.add("GET", f"{R}/actions/runs/30433642/approvals", approvals)
        api.add("GET", f"{R}/collaborators/bob/permission", permission("bob", "write", "write"))
        # Codertocat re-runs the old run and approves without a token: that never counts
        result = approve(tmp_path, api, {"sources": "environment"}, {"GITHUB_RUN_ATTEMPT": attempt})
    assert result.outputs["decision"] == ("approved" if approved else "blocked"), result.stdout
    if not approved:
        assert "this is a re-run" in result.summary
        assert f"@{HEAD}" in result.summary


def test_the_commits_pusher_is_excluded_when_the_branch_moved_on(tmp_path: Path) -> None:
    """No pull request: main moved past the gated commit, so its push is no longer the newest
    entry (item 4: the push is unknown); whoever pushed the commit still never approves it."""
    approvals = [
        env_approval("erin", "approved", f"User approved: {OP} @{HEAD}", "production"),
        env_approval("bob", "approved", f"User approved: {OP} @{HEAD}", "production"),
    ]
    activity = [
        push(OTHER, "2026-11-01T13:00:00Z", "bob", branch="main"),
        push(HEAD, PUSHED, "erin", branch="main"),
    ]
    env = {"GITHUB_REF": "refs/heads/main", "GITHUB_ACTOR": "alice"}
    with FakeGitHub() as api:
        api.add("GET", f"{R}/activity", activity)
        api.add("GET", f"{R}/actions/runs/30433642/approvals", approvals)
        for login in ("erin", "bob"):
            api.add(
                "GET", f"{R}/collaborators/{login}/permission", permission(login, "write", "write")
            )
        result = approve(tmp_path, api, {"sources": "environment", "min-approvals": "2"}, env)
    assert result.outputs["decision"] == "blocked", result.stdout
    assert f"not counted (self-approval): erin pushed {HEAD[:12]}" in result.summary
    assert "1 of 2 required approvals" in result.summary


@pytest.mark.parametrize("event", ["pull_request_target", "pull_request"])
def test_a_fork_author_reopening_the_pull_request_replays_nothing(
    tmp_path: Path, event: str
) -> None:
    """alice approved mallory's fork pull request with a full pin and it was applied; mallory (no
    access) closes and reopens it. That run is no approval: it decides nothing, reads nothing."""
    payload = json_of("events/pull_request.opened.json")
    payload["action"] = "reopened"
    payload["number"] = payload["pull_request"]["number"] = 7
    path = tmp_path / "reopened.json"  # not event.json: approve() writes a dispatch there
    path.write_text(json.dumps(payload))
    env = {
        "GITHUB_EVENT_NAME": event,
        "GITHUB_EVENT_PATH": str(path),
        "GITHUB_ACTOR": "mallory",
        "GITHUB_TRIGGERING_ACTOR": "mallory",
    }
    with FakeGitHub() as api:
        fork_pull(api, f"User approved: {OP} @{HEAD}")
        result = approve(tmp_path, api, {"allow-forks": "true"}, env=env)
        assert [r for r in api.requests if r.method == "GET"] == []
    assert result.code == 1  # decided nothing: a script gating on the exit code never applies
    assert result.outputs["decision"] == "skipped", result.stdout
    assert f"started by a {event} event" in result.stdout
    # the same approval, the run dispatched by a writer: decided as before
    with FakeGitHub() as api:
        fork_pull(api, f"User approved: {OP} @{HEAD}")
        result = approve(tmp_path, api, {"pr-number": "7", "allow-forks": "true"})
    assert result.outputs["decision"] == "approved", result.stdout
