"""The installed ``applygate approve`` deciding against a loopback GitHub, as a runner starts it:
runner variables, an event file written from GitHub's examples, ``INPUT_*`` names with their
hyphens, and real GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files. (Answering a comment that triggered
the run, with reactions and a result comment, is test_pr_comment_surfaces.py.)"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.support.cli import invoke
from tests.support.fake_github import FakeGitHub, Request, Response, json_of
from tests.support.github_payloads import (
    NOT_FOUND,
    comment,
    env_approval,
    permission,
    pull,
    push,
    review,
)

REPO = "octo-org/octo-repo"  # the repository of GitHub's workflow_dispatch example
R = f"/repos/{REPO}"
OP = "terraform apply prod/vpc"
HEAD = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
OLD = "c3d0be41ecbe669545ee3e94d31ed9a4bc91ee3c"
PUSHED = "2026-11-01T12:00:00Z"
LATER = "2026-11-01T12:30:00Z"
TOKEN = "ghs_e2e_secret_token"


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str


def dispatch_event(tmp_path: Path) -> Path:
    """GitHub's workflow_dispatch example, as the runner writes it to GITHUB_EVENT_PATH."""
    path = tmp_path / "event.json"
    path.write_text(json.dumps(json_of("events/workflow_dispatch.json")))
    return path


def approve(
    tmp_path: Path,
    api: FakeGitHub,
    inputs: dict[str, str],
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> Result:
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "GITHUB_ACTIONS": "true",
        "GITHUB_API_URL": api.url,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_RUN_ID": "30433642",
        "GITHUB_RUN_ATTEMPT": "1",
        "GITHUB_ACTOR": "Codertocat",
        "GITHUB_TRIGGERING_ACTOR": "Codertocat",
        "GITHUB_SHA": HEAD,
        "GITHUB_EVENT_NAME": "workflow_dispatch",
        "GITHUB_EVENT_PATH": str(dispatch_event(tmp_path)),
        "INPUT_COMMAND": "approve",
        "INPUT_OPERATION": OP,
        "INPUT_TOKEN": TOKEN,
        "INPUT_PUBLISH": "none",  # publishing has its own end-to-end tests
        "APPLYGATE_API_RETRY_SECONDS": "0",
        **{f"INPUT_{name.upper()}": value for name, value in inputs.items()},
        **(env or {}),
    }
    done, outputs, summary = invoke(args, environ, tmp_path / "github", timeout=30)
    result = Result(done.returncode, done.stdout, done.stderr, outputs, summary)
    everything = done.stdout + done.stderr + "\n".join(outputs.values()) + result.summary
    assert TOKEN not in everything.replace(f"::add-mask::{TOKEN}", "")
    return result


def since_push(item: dict[str, Any], query: dict[str, str]) -> bool:
    """GitHub's ``since``: comments *updated* after the time."""
    return "since" not in query or item["updated_at"] > query["since"]


def serve_pull(
    api: FakeGitHub,
    comments: list[dict[str, Any]],
    reviews: list[dict[str, Any]] | None = None,
    people: dict[str, tuple[str, str]] | None = None,
) -> None:
    """Pull request 7 (GitHub's example: head 6dcb09b5 on new-topic, by octocat), pushed at
    PUSHED by ``pusher``; ``people`` maps a login to its (permission, role_name)."""
    api.add("GET", f"{R}/pulls/7", pull(7))
    api.add("GET", f"{R}/activity", [push(HEAD, PUSHED, "pusher")])
    api.add_pages(f"{R}/issues/7/comments", comments, since_push)
    api.add("GET", f"{R}/pulls/7/reviews", reviews or [])
    api.add_review_edits()
    for login, (level, role) in (people or {}).items():
        api.add("GET", f"{R}/collaborators/{login}/permission", permission(login, level, role))


def gets(api: FakeGitHub) -> list[str]:
    return [r.path.removeprefix(R) for r in api.requests if r.method == "GET"]


# --- approved ----------------------------------------------------------------------------------


def test_two_approvals_across_three_pages_and_a_review(tmp_path: Path) -> None:
    stale = [comment(n, "alice", f"User approved: {OP}", "2026-10-30T10:00:00Z") for n in range(5)]
    chatter = [comment(100 + n, f"dev{n % 7}", "LGTM", LATER) for n in range(250)]
    chatter[20] = comment(120, "mallory", f"> User approved: {OP}", LATER)  # a quote
    chatter[130] = comment(230, "alice", f"User approved: {OP}", LATER)  # page 2
    chatter[245] = comment(345, "alice", f"User approved:   {OP}", LATER)  # page 3, again
    approval = review(9, "bob", "APPROVED", HEAD, f"User approved: {OP}", LATER)
    with FakeGitHub() as api:
        serve_pull(
            api,
            stale + chatter,
            [approval],
            {"alice": ("write", "write"), "bob": ("write", "maintain")},
        )
        result = approve(tmp_path, api, {"pr-number": "7", "min-approvals": "2"})
        listed = api.sent("GET", f"{R}/issues/7/comments")
    assert result.code == 0, result.stdout + result.stderr
    assert result.outputs == {
        "decision": "approved",
        "sha": HEAD,
        "pr-number": "7",
        "approvers": "alice,bob",
        "scope": OP,
        "generic-scope": "false",
        "reasons": "",
        "approval-evidence": json.dumps(
            [
                {
                    "source": "pr-comment",
                    "login": "alice",
                    "ref": "https://github.com/octocat/Hello-World/pull/1347#issuecomment-230",
                    "sha": HEAD,
                },
                {
                    "source": "pr-review",
                    "login": "bob",
                    "ref": "https://github.com/octocat/Hello-World/pull/12#pullrequestreview-9",
                    "sha": HEAD,
                },
            ],
            separators=(",", ":"),
        ),
    }
    assert [r.query.get("page") for r in listed] == [None, "2", "3"]
    assert {(r.query["per_page"], r.query["since"]) for r in listed} == {("100", PUSHED)}
    assert gets(api) == (
        [
            "/pulls/7",
            "/activity",
            "/issues/7/comments",
            "/issues/7/comments",
            "/issues/7/comments",
            "/pulls/7/reviews",
            "/collaborators/alice/permission",  # alice approved twice: looked up once
            "/collaborators/bob/permission",
            "/pulls/7",  # the head, re-read after deciding
        ]
    )
    assert api.unmatched == []
    assert result.summary.startswith("## applygate approve: ✅ approved")
    assert "| Approvers | alice, bob |" in result.summary
    assert "| mallory | `> User approved: terraform apply prod/vpc` | not counted (quoted)" in (
        result.summary
    )
    assert "not counted (duplicate): alice is already counted once" in result.summary
    assert f"::add-mask::{TOKEN}" in result.stdout


def test_environment_approval_of_the_run(tmp_path: Path) -> None:
    approvals = [
        env_approval("Codertocat", "approved", f"User approved: {OP} @{HEAD}"),  # re-ran it
        env_approval("alice", "approved", f"User approved: {OP} @{HEAD}", "production"),
        # a re-run: only a token pinned with the full sha counts (issue 19, item 5)
        env_approval("bob", "approved", f"User approved: {OP} @{HEAD}", "production"),
    ]
    admin = ("admin", "admin")
    # A re-run: alice started the run (GITHUB_ACTOR), Codertocat re-ran it (the triggering
    # actor): neither may approve it, on this attempt or any other.
    env = {
        "GITHUB_ACTOR": "alice",
        "GITHUB_TRIGGERING_ACTOR": "Codertocat",
        "GITHUB_RUN_ATTEMPT": "2",
    }
    with FakeGitHub() as api:
        api.add("GET", f"{R}/actions/runs/30433642/approvals", approvals)
        api.add("GET", f"{R}/collaborators/bob/permission", permission("bob", *admin))
        result = approve(tmp_path, api, {"sources": "environment"}, env)
    assert result.code == 0, result.stdout
    assert (result.outputs["decision"], result.outputs["sha"]) == ("approved", HEAD)
    assert result.outputs["approvers"] == "bob"
    assert "not counted (self-approval): Codertocat triggered this run" in result.summary
    assert "not counted (self-approval): alice started this run" in result.summary
    assert gets(api) == ["/actions/runs/30433642/approvals", "/collaborators/bob/permission"]
    assert api.sent("GET", f"{R}/actions/runs/30433642/approvals")[0].query["per_page"] == "100"


def test_the_pusher_of_the_commit_never_approves_its_deployment(tmp_path: Path) -> None:
    """On a branch without a pull request, the push that made the commit the head is read from
    the repository activity: its actor may not approve, whoever dispatched or re-ran the run."""
    approvals = [
        env_approval("pusher", "approved", f"User approved: {OP}", "production"),
        env_approval("bob", "approved", f"User approved: {OP}", "production"),
    ]
    env = {"GITHUB_REF": "refs/heads/main", "GITHUB_ACTOR": "alice"}
    with FakeGitHub() as api:
        api.add("GET", f"{R}/activity", [push(HEAD, LATER, "pusher", branch="main")])
        api.add("GET", f"{R}/actions/runs/30433642/approvals", approvals)
        api.add("GET", f"{R}/collaborators/bob/permission", permission("bob", "write", "write"))
        result = approve(tmp_path, api, {"sources": "environment", "min-approvals": "2"}, env)
        (activity,) = api.sent("GET", f"{R}/activity")
    assert result.code == 1, result.stdout
    assert f"not counted (self-approval): pusher pushed {HEAD[:12]}" in result.summary
    assert "1 of 2 required approvals" in result.summary
    assert activity.query["ref"] == "refs/heads/main"


def test_team_approvers(tmp_path: Path) -> None:
    team = "/orgs/octo-org/teams/deployers/memberships"
    with FakeGitHub() as api:
        serve_pull(
            api,
            [
                comment(1, "bob", f"User approved: {OP}", LATER),
                comment(2, "carol", f"User approved: {OP}", LATER),
                comment(3, "bob", f"User approved: {OP}", LATER),
            ],
            people={"bob": ("write", "write"), "carol": ("admin", "admin")},
        )
        api.add("GET", f"{team}/bob", json_of("teams-get-membership-for-user-in-org.json"))
        api.add("GET", f"{team}/carol", NOT_FOUND, 404)  # "if user has no team membership"
        result = approve(tmp_path, api, {"pr-number": "7", "approvers": "octo-org/deployers"})
        asked = [r.path for r in api.requests if r.path.startswith("/orgs/")]
        people = [r.path for r in api.requests if "/permission" in r.path]
        two = approve(
            tmp_path,
            api,
            {"pr-number": "7", "approvers": "octo-org/deployers", "min-approvals": "2"},
        )
        asked_for_two = [r.path for r in api.requests if r.path.startswith("/orgs/")][len(asked) :]
    assert result.code == 0, result.stdout
    assert result.outputs["approvers"] == "bob"
    # one approval was required and bob's counted: carol's would change nothing, so no lookup
    assert asked == [f"{team}/bob"]
    assert people == [f"{R}/collaborators/bob/permission"]
    assert "| carol |" in result.summary
    assert "not counted (not-needed)" in result.summary
    # with two required, carol is looked up (once), and a 404 is no membership
    assert two.code == 1, two.stdout
    assert asked_for_two == [f"{team}/bob", f"{team}/carol"]
    assert "not counted (not-an-approver)" in two.summary
    assert "1 of 2 required approvals" in two.summary


def test_flags_win_over_inputs(tmp_path: Path) -> None:
    with FakeGitHub() as api:
        serve_pull(
            api,
            [comment(1, "alice", f"User approved: {OP}", LATER)],
            people={"alice": ("write", "write")},
        )
        result = approve(
            tmp_path,
            api,
            {"pr-number": "7", "min-approvals": "2"},
            args=("approve", "--min-approvals", "1"),
        )
    assert result.code == 0, result.stdout
    assert result.outputs["decision"] == "approved"


# --- blocked -------------------------------------------------------------------------------------

BLOCKED = [
    (
        "another operation",
        [comment(1, "alice", "User approved: terraform apply prod", LATER)],
        [],
        {},
        "insufficient-approvals",
        ["not counted (scope-mismatch): names 'terraform apply prod', not exactly"],
        [],
    ),
    (
        "an approval of an older commit",
        [comment(1, "alice", f"User approved: {OP} @{OLD[:12]}", LATER)],
        [review(2, "alice", "APPROVED", OLD, f"User approved: {OP}", LATER)],
        {},
        "insufficient-approvals",
        [
            f"not counted (pin-mismatch): pinned to {OLD[:12]}, but the commit is {HEAD[:12]}",
            "not counted (review-other-commit): the review was made on c3d0be41ecbe",
        ],
        [],
    ),
    (
        "an old comment edited after the push",  # since returns it: it was updated after
        [comment(1, "alice", f"User approved: {OP}", "2026-10-30T10:00:00Z", LATER)],
        [],
        {"alice": ("write", "write")},
        "insufficient-approvals",
        ["not counted (edited)"],
        [],
    ),
    (
        "people without write permission",
        [
            comment(1, "mallory", f"User approved: {OP}", LATER),  # not a collaborator: 404
            comment(2, "carol", f"User approved: {OP}", LATER),
        ],
        [],
        {"carol": ("read", "triage")},
        "insufficient-approvals",
        [
            "not counted (insufficient-permission): mallory has none permission",
            "not counted (insufficient-permission): carol has triage permission",
        ],
        ["mallory", "carol"],
    ),
    (
        "the pull request's author",
        [comment(1, "octocat", f"User approved: {OP}", LATER)],
        [],
        {"octocat": ("admin", "admin")},
        "insufficient-approvals",
        ["not counted (self-approval): octocat opened the pull request"],
        [],  # no lookup for a line that cannot count
    ),
    (
        "a denial",
        [
            comment(1, "alice", f"User approved: {OP}", LATER),
            comment(2, "bob", f"User denied: {OP}", LATER),
        ],
        [],
        {"alice": ("write", "write"), "bob": ("write", "write")},
        "denied",
        ["| bob | `User denied: terraform apply prod/vpc` | denial: blocks |"],
        ["alice", "bob"],
    ),
]


@pytest.mark.parametrize(
    ("comments", "reviews", "people", "code", "verdicts", "looked_up"),
    [case[1:] for case in BLOCKED],
    ids=[case[0] for case in BLOCKED],
)
def test_blocked(
    tmp_path: Path,
    comments: list[dict[str, Any]],
    reviews: list[dict[str, Any]],
    people: dict[str, tuple[str, str]],
    code: str,
    verdicts: list[str],
    looked_up: list[str],
) -> None:
    with FakeGitHub() as api:
        serve_pull(api, comments, reviews, people)
        api.add("GET", f"{R}/collaborators/mallory/permission", NOT_FOUND, 404)
        result = approve(tmp_path, api, {"pr-number": "7"})
        asked = [r.path.split("/")[-2] for r in api.requests if "/collaborators/" in r.path]
    assert result.code == 1, result.stdout
    assert result.outputs["decision"] == "blocked"
    assert (result.outputs["sha"], result.outputs["pr-number"]) == (HEAD, "7")
    assert result.outputs["reasons"].startswith(f"{code}: ")
    assert "::error title=applygate%3A blocked::" in result.stdout
    assert "## applygate approve: ⛔ blocked" in result.summary
    for verdict in verdicts:  # every token-like line that did not count, and why
        assert verdict in result.summary
    assert sorted(asked) == sorted(looked_up)


def test_a_closed_pull_request_is_blocked_after_one_request(tmp_path: Path) -> None:
    closed = {**pull(7), "state": "closed", "merged": True}  # as GitHub answers once merged
    with FakeGitHub() as api:
        api.add("GET", f"{R}/pulls/7", closed)
        result = approve(tmp_path, api, {"pr-number": "7"})
        assert gets(api) == ["/pulls/7"]
    assert result.code == 1, result.stdout
    assert result.outputs["reasons"].startswith("not-open: pull request #7 is closed")


def test_a_review_edited_to_carry_the_token_does_not_approve(tmp_path: Path) -> None:
    # bob approved the code; the PR's author (write access) edited bob's review to add the token.
    # REST shows bob's APPROVED review of the head, unchanged: only GraphQL knows of the edit.
    reviews = [review(9, "bob", "APPROVED", HEAD, f"LGTM\n\nUser approved: {OP}", LATER)]
    with FakeGitHub() as api:
        serve_pull(api, [], reviews, {"bob": ("write", "write")})
        api.add_review_edits(["PRR_review9"])
        result = approve(tmp_path, api, {"pr-number": "7"})
    assert result.code == 1, result.stdout
    assert result.outputs["decision"] == "blocked"
    assert "the review was edited" in result.summary
    [asked] = api.sent("POST", "/graphql")
    assert asked.body["variables"]["ids"] == ["PRR_review9"]


# --- the API failing -----------------------------------------------------------------------------


def test_a_502_that_recovers(tmp_path: Path) -> None:
    with FakeGitHub() as api:
        serve_pull(
            api,
            [comment(1, "alice", f"User approved: {OP}", LATER)],
            people={"alice": ("write", "write")},
        )
        api.add_sequence(
            "GET",
            f"{R}/issues/7/comments",
            [
                Response(502, {"message": "Server Error"}),
                Response(200, [comment(1, "alice", f"User approved: {OP}", LATER)]),
            ],
        )
        result = approve(tmp_path, api, {"pr-number": "7"}, {"APPLYGATE_API_RETRY_SECONDS": "0.6"})
        assert api.count("GET", f"{R}/issues/7/comments") == 2  # one retry, after 20 ms
    assert result.code == 0, result.stdout
    assert result.outputs["decision"] == "approved"


def test_a_persistent_500_blocks_after_retrying(tmp_path: Path) -> None:
    with FakeGitHub() as api:
        serve_pull(api, [], people={})
        api.add("GET", f"{R}/issues/7/comments", {"message": "Server Error"}, 500)
        result = approve(tmp_path, api, {"pr-number": "7"}, {"APPLYGATE_API_RETRY_SECONDS": "0.6"})
        # backoff 20, 40, 80, 160 ms; the next (320 ms) would pass the 0.6 s budget. Slow answers
        # on a busy machine count against it too, so allow one attempt fewer.
        assert api.count("GET", f"{R}/issues/7/comments") in (4, 5)
        assert api.count("GET", f"{R}/pulls/7/reviews") == 0  # nothing after the failure
    assert result.code == 1
    assert result.outputs["decision"] == "blocked"
    assert result.outputs["reasons"] == (
        "api-transient: Transient: list comments of #7 failed (Transient, HTTP 500): Server Error"
    )
    assert "Traceback" not in result.stderr


def test_bad_credentials_block_without_retrying(tmp_path: Path) -> None:
    with FakeGitHub() as api:
        api.add("GET", f"{R}/pulls/7", {"message": "Bad credentials"}, 401)
        env = {"APPLYGATE_API_RETRY_SECONDS": ""}  # the default 30 s budget: no wait for a 401
        result = approve(tmp_path, api, {"pr-number": "7"}, env)
        assert api.count() == 1
        assert api.requests[0].header("Authorization") == f"token {TOKEN}"
    assert result.code == 1
    assert result.outputs["decision"] == "blocked"
    assert (
        "Permission: read pull request #7 failed (Permission, HTTP 401)"
        in result.outputs["reasons"]
    )


def test_an_api_answer_that_quotes_the_token_is_redacted(tmp_path: Path) -> None:
    """A proxy or an Enterprise server may echo the token; approve() fails on any leak."""
    with FakeGitHub() as api:
        api.add("GET", f"{R}/pulls/7", {"message": f"Bad credentials: token {TOKEN}"}, 401)
        result = approve(tmp_path, api, {"pr-number": "7"})
    assert result.code == 1
    assert "Bad credentials: token ***" in result.outputs["reasons"]


def test_a_pull_request_that_cannot_be_read_publishes_on_no_commit(tmp_path: Path) -> None:
    """GITHUB_SHA is the default branch's tip here, no commit of the pull request: an error
    status there would mark an unrelated commit."""
    with FakeGitHub() as api:
        api.add("GET", f"{R}/pulls/7", {"message": "Server Error"}, 500)
        env = {"APPLYGATE_WRITE_INTERVAL_SECONDS": "0"}
        result = approve(tmp_path, api, {"pr-number": "7", "publish": "commit-status"}, env)
        posted = [r.path for r in api.requests if r.method == "POST"]
    assert result.code == 1
    assert result.outputs["decision"] == "blocked"
    assert result.outputs["sha"] == ""
    assert posted == []
    assert "not publishing applygate/approve: no commit to publish on" in result.stdout


def test_rate_limit_that_resets_in_an_hour_blocks_at_once(tmp_path: Path) -> None:
    def limited(request: Request) -> Response:
        headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "4102444800"}  # year 2100
        return Response(403, {"message": "API rate limit exceeded for installation."}, headers)

    with FakeGitHub() as api:
        api.route("GET", f"{R}/pulls/7", limited)
        result = approve(tmp_path, api, {"pr-number": "7"}, {"APPLYGATE_API_RETRY_SECONDS": "30"})
        assert api.count() == 1
    assert result.code == 1
    assert "Transient" in result.outputs["reasons"]
    assert "rate limit" in result.outputs["reasons"]


# --- bad input: exit 2, one line, nothing asked of GitHub ---------------------------------------


@pytest.mark.parametrize(
    ("setup", "says"),
    [
        ("malformed", "(GITHUB_EVENT_PATH): not valid JSON"),
        ("missing", "(GITHUB_EVENT_PATH): cannot be read"),
        ("min-approvals", "min-approvals"),
        ("min-permission", "min-permission"),
        (
            "unknown command",
            "unknown command 'deploy': use one of approve, check-comment, preflight",
        ),
        ("misspelt flag", "approve: unknown flag --min-aprovals; approve takes: --operation"),
    ],
)
def test_bad_input_is_a_one_line_usage_error(tmp_path: Path, setup: str, says: str) -> None:
    inputs = {"pr-number": "7"}
    env: dict[str, str] = {}
    if setup == "malformed":
        broken = tmp_path / "broken.json"
        broken.write_text('{"inputs": {}, "ref": "refs/heads/master",')
        env["GITHUB_EVENT_PATH"] = str(broken)
    elif setup == "missing":
        env["GITHUB_EVENT_PATH"] = str(tmp_path / "absent.json")
    elif setup == "min-approvals":
        inputs["min-approvals"] = "two"
    elif setup == "min-permission":
        inputs["min-permission"] = "owner"
    args = {
        "unknown command": ("deploy",),
        "misspelt flag": ("approve", "--min-aprovals", "2"),
    }.get(setup, ())
    with FakeGitHub() as api:
        result = approve(tmp_path, api, inputs, env, args)
        assert api.requests == []
    assert result.code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("applygate: error: ")
    assert says in line
    assert "Traceback" not in result.stdout + result.stderr
    assert result.outputs == {}
