"""The GitHub adapter's reads under ``responses``: what it asks GitHub (paths, ``per_page=100``,
``since``, Link-header paging, one lookup per person) and what it makes of GitHub's answers."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import responses
from tests.support.api_mock import API, REPO, Clock, R, client, path, query
from tests.support.fake_github import json_of
from tests.support.github_payloads import (
    NOT_FOUND,
    comment,
    env_approval,
    membership,
    permission,
    pull,
    push,
    review,
)

from applygate.adapters.github import PullInfo, PyGithubClient
from applygate.core.activity import Pushes
from applygate.core.approval import Push, Source
from applygate.core.policy import NO_PERMISSION, Author, PermissionFact
from applygate.errors import ApiError

HEAD = "6dcb09b5b57875f334f61aebed695e2e4193db5e"  # the head of GitHub's pulls-get example
PUSHED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def link(url: str, query_text: str) -> dict[str, str]:
    """GitHub's Link header: absolute URLs without the port, the whole query repeated."""
    plain = url.replace(API, "https://api.github.com")
    return {"Link": f'<{plain}?{query_text}>; rel="next", <{plain}?{query_text}>; rel="last"'}


def test_comments_follow_link_headers_100_a_page_since_the_push(
    api: responses.RequestsMock, clock: Clock
) -> None:
    url = f"{R}/issues/7/comments"
    since = "since=2026-11-01T12%3A00%3A00Z"
    stamp = "2026-11-01T12:05:00Z"
    items = [comment(n, "alice", f"comment {n}", stamp) for n in range(1, 206)]
    api.get(
        f"{url}?per_page=100&{since}",
        json=items[:100],
        headers=link(url, f"per_page=100&{since}&page=2"),
    )
    api.get(
        f"{url}?per_page=100&{since}&page=2",
        json=items[100:200],
        headers=link(url, f"per_page=100&{since}&page=3"),
    )
    api.get(f"{url}?per_page=100&{since}&page=3", json=items[200:])  # no Link: the last page
    gh = client(clock)
    found = gh.issue_comments(7, PUSHED)
    assert [s.body for s in found] == [f"comment {n}" for n in range(1, 206)]
    assert [query(call)["per_page"] for call in api.calls] == ["100"] * 3
    assert [query(call).get("page") for call in api.calls] == [None, "2", "3"]
    assert {query(call)["since"] for call in api.calls} == {"2026-11-01T12:00:00Z"}
    assert gh.requests == 3


def test_comment_fields_edits_and_deleted_accounts(
    api: responses.RequestsMock, clock: Clock
) -> None:
    api.get(
        f"{R}/issues/7/comments?per_page=100",
        json=[
            comment(1, "alice", "User approved: x", "2026-11-01T12:05:00Z"),
            comment(2, "bob", "User approved: x", "2026-11-01T12:06:00Z", "2026-11-01T12:07:00Z"),
            {**comment(3, None, "User approved: x", "2026-11-01T12:08:00Z"), "body": None},
        ],
    )
    first, edited, ghost = client(clock).issue_comments(7, None)
    assert first.source is Source.PR_COMMENT
    assert first.ref == "https://github.com/octocat/Hello-World/pull/1347#issuecomment-1"
    assert first.author == Author("alice")
    assert first.created_at == datetime(2026, 11, 1, 12, 5, tzinfo=UTC)
    assert not first.edited
    assert edited.edited  # updated_at != created_at: its history is not auditable
    assert ghost.author is None
    assert ghost.body == ""
    assert "since" not in query(api.calls[0])  # no push time known: read them all


def test_githubs_example_comment_reads_as_unedited(
    api: responses.RequestsMock, clock: Clock
) -> None:
    api.get(f"{R}/issues/1347/comments", json=json_of("issues-list-comments.json"))
    (only,) = client(clock).issue_comments(1347, None)
    assert (only.author, only.body, only.edited) == (Author("octocat"), "Me too", False)


def test_reviews_states_commits_and_paging(api: responses.RequestsMock, clock: Clock) -> None:
    url = f"{R}/pulls/7/reviews"
    at = "2026-11-01T12:10:00Z"
    api.get(
        f"{url}?per_page=100",
        json=[review(n, "bob", "COMMENTED", HEAD.upper(), "hm", at) for n in range(100)],
        headers=link(url, "per_page=100&page=2"),
    )
    api.get(
        f"{url}?per_page=100&page=2",
        json=[
            review(100, "alice", "approved", HEAD, "User approved: x", at),
            review(101, "carol", "APPROVED", None, "User approved: x", at),  # commit gone
        ],
    )
    edits = api.post(
        f"{API}/graphql",
        json={
            "data": {
                "nodes": [
                    {"id": "PRR_review100", "lastEditedAt": None},
                    {"id": "PRR_review101", "lastEditedAt": "2026-11-01T12:20:00Z"},
                ]
            }
        },
    )
    found = client(clock).reviews(7)
    assert len(found) == 102
    assert found[0].commit_id == HEAD  # lower-cased to compare with the head
    assert not any(r.edited for r in found[:100])  # 'hm' reads like no token: nobody asked
    alice, carol = found[-2:]
    assert (alice.edited, carol.edited) == (False, True)
    asked = json.loads(edits.calls[0].request.body)["variables"]["ids"]
    assert asked == ["PRR_review100", "PRR_review101"]
    assert (alice.source, alice.state, alice.author) == (
        Source.PR_REVIEW,
        "APPROVED",
        Author("alice"),
    )
    assert alice.created_at == datetime(2026, 11, 1, 12, 10, tzinfo=UTC)
    assert carol.commit_id is None
    assert [query(call)["per_page"] for call in api.calls[:2]] == ["100", "100"]


def test_githubs_example_review(api: responses.RequestsMock, clock: Clock) -> None:
    api.get(f"{R}/pulls/12/reviews", json=json_of("pulls-list-reviews.json"))
    (only,) = client(clock).reviews(12)
    example = json_of("pulls-list-reviews.json")[0]
    assert (only.state, only.commit_id) == ("APPROVED", example["commit_id"])


def test_environment_approvals_of_the_run(api: responses.RequestsMock, clock: Clock) -> None:
    api.get(
        f"{R}/actions/runs/42/approvals?per_page=100",
        json=[
            *json_of("actions-get-reviews-for-run.json"),
            env_approval("alice", "approved", "User approved: x", "production"),
            env_approval("bob", "rejected", "no", "production"),
        ],
    )
    example, alice, bob = client(clock).environment_approvals("42")
    assert (example.author, example.body, example.state) == (
        Author("octocat"),
        "Ship it!",
        "approved",
    )
    assert example.ref == "run 42 environment staging"
    assert example.source is Source.ENVIRONMENT
    assert (alice.ref, alice.state) == ("run 42 environment production", "approved")
    assert bob.state == "rejected"


def test_run_started_at(api: responses.RequestsMock, clock: Clock) -> None:
    api.get(f"{R}/actions/runs/30433642", json=json_of("actions-get-workflow-run.json"))
    started = client(clock).run_started_at("30433642")
    assert started == datetime(2020, 1, 22, 19, 33, 8, tzinfo=UTC)


def test_pull_request(api: responses.RequestsMock, clock: Clock) -> None:
    api.get(f"{R}/pulls/1347", json=json_of("pulls-get.json"))
    assert client(clock).get_pull(1347) == PullInfo(
        number=1347,
        head_sha=HEAD,
        head_ref="new-topic",
        head_repo="octocat/Hello-World",
        base_repo="octocat/Hello-World",
        author=Author("octocat"),
        state="open",
    )


def test_pull_request_from_a_deleted_fork(api: responses.RequestsMock, clock: Clock) -> None:
    body = pull(7)
    body["head"]["repo"] = None
    api.get(f"{R}/pulls/7", json=body)
    assert client(clock).get_pull(7).head_repo is None


def test_push_is_found_by_the_schema_field_names(api: responses.RequestsMock, clock: Clock) -> None:
    api.get(
        f"{R}/activity?ref=refs%2Fheads%2Fnew-topic&per_page=100",
        json=[
            push(HEAD, "2026-11-01T12:00:00Z", "pusher"),  # newest first
            push("1" * 40, "2026-11-01T11:00:00Z", "someone"),
            push(HEAD, "2026-10-30T09:00:00Z", "earlier"),  # the same commit pushed before
        ],
    )
    found = client(clock).find_push("new-topic", HEAD)
    assert found == Pushes(
        Push(PUSHED, "pusher"), ("pusher", "someone", "earlier"), ("pusher", "earlier")
    )


def test_a_lagging_feed_leaves_the_push_unknown(api: responses.RequestsMock, clock: Clock) -> None:
    """Issue 19, item 4: the newest entry made another commit the head (the force-push back is
    not listed yet): the older push of HEAD must not stand in for it."""
    api.get(
        f"{R}/activity?ref=refs%2Fheads%2Fnew-topic&per_page=100",
        json=[
            push("1" * 40, "2026-11-01T13:00:00Z", "someone"),
            push(HEAD, "2026-11-01T12:00:00Z", "pusher"),
        ],
    )
    found = client(clock).find_push("new-topic", HEAD)
    assert found == Pushes(None, ("someone", "pusher"), ("pusher",))


def test_pushers_are_read_back_to_the_branchs_creation(
    api: responses.RequestsMock, clock: Clock
) -> None:
    """Issue 19, item 6: a second page only when the first does not reach the creation."""
    first = [push(HEAD, "2026-11-01T12:00:00Z", "format-bot[bot]", kind="Bot")]
    first += [push("2" * 40, f"2026-11-01T11:{m:02}:00Z", "erin") for m in range(59, 0, -1)]
    second = [
        push("3" * 40, "2026-10-30T10:00:00Z", "frank", activity="branch_creation"),
        push("4" * 40, "2026-10-01T10:00:00Z", "grace"),  # the branch's earlier life
    ]
    query_text = "ref=refs%2Fheads%2Fnew-topic&per_page=100"
    api.get(f"{R}/activity?{query_text}", json=first, headers=link(f"{R}/activity", "after=x"))
    api.get(f"{R}/activity?after=x", json=second, headers=link(f"{R}/activity", "after=y"))
    found = client(clock).find_push("new-topic", HEAD)
    assert found.head == Push(PUSHED, "format-bot[bot]")
    assert found.pushers == ("format-bot[bot]", "erin", "frank")
    assert len(api.calls) == 2  # the creation is on page 2: page 3 is never asked for


def test_githubs_stale_activity_example_finds_no_push(
    api: responses.RequestsMock, clock: Clock
) -> None:
    example = json_of("repos-list-activities.json")  # pushed_at/pusher, not timestamp/actor
    api.get(f"{R}/activity", json=example)
    assert client(clock).find_push("main", example[0]["after"]).head is None


def test_push_not_in_the_activity(api: responses.RequestsMock, clock: Clock) -> None:
    api.get(f"{R}/activity", json=[push("1" * 40, "2026-11-01T13:00:00Z", "someone")])
    assert client(clock).find_push("new-topic", HEAD).head is None


def test_permission_uses_role_name_and_is_read_once_per_person(
    api: responses.RequestsMock, clock: Clock
) -> None:
    api.get(f"{R}/collaborators/alice/permission", json=permission("alice", "write", "maintain"))
    api.get(
        f"{R}/collaborators/octocat/permission",
        json=json_of("repos-get-collaborator-permission-level.json"),
    )
    gh = client(clock)
    for login in ("alice", "octocat", "Alice", "alice", "OctoCat"):
        gh.permission(login)
    assert gh.permission("ALICE") == PermissionFact("write", "maintain")
    assert gh.permission("octocat") == PermissionFact("admin", "admin")
    assert [path(call) for call in api.calls] == [
        f"/repos/{REPO}/collaborators/alice/permission",
        f"/repos/{REPO}/collaborators/octocat/permission",
    ]
    assert gh.requests == 2


def test_a_non_collaborator_has_no_permission_and_is_asked_once(
    api: responses.RequestsMock, clock: Clock
) -> None:
    api.get(f"{R}/collaborators/mallory/permission", json=NOT_FOUND, status=404)
    gh = client(clock)
    assert gh.permission("mallory") == NO_PERMISSION
    assert gh.permission("mallory") == NO_PERMISSION
    assert len(api.calls) == 1


def test_login_is_quoted_in_the_path(api: responses.RequestsMock, clock: Clock) -> None:
    api.get(
        f"{R}/collaborators/renovate%5Bbot%5D/permission",
        json=permission("renovate[bot]", "write", "write"),
    )
    assert client(clock).permission("renovate[bot]") == PermissionFact("write", "write")


def test_team_membership_active_pending_and_absent_each_asked_once(
    api: responses.RequestsMock, clock: Clock
) -> None:
    team = f"{API}/orgs/acme/teams/sre/memberships"
    api.get(f"{team}/alice", json=json_of("teams-get-membership-for-user-in-org.json"))
    api.get(f"{team}/bob", json=membership(state="pending"))
    api.get(f"{team}/Carol", json=NOT_FOUND, status=404)  # "if user has no team membership"
    gh = client(clock)
    for org, slug in (("acme", "sre"), ("ACME", "SRE")):  # the same team, however spelled
        assert gh.is_team_member(org, slug, "alice")
        assert not gh.is_team_member(org, slug, "bob")  # invited, not yet a member
        assert not gh.is_team_member(org, slug, "Carol")
    assert len(api.calls) == 3


def test_link_header_of_a_middle_page_as_github_writes_it(
    api: responses.RequestsMock, clock: Clock
) -> None:
    url = f"{R}/pulls/7/reviews"
    plain = url.replace(API, "https://api.github.com")
    at = "2026-11-01T12:10:00Z"
    api.get(f"{url}?per_page=100&page=3", json=[review(1, "bob", "APPROVED", HEAD, "x", at)])
    middle = ", ".join(
        [
            f'<{plain}?per_page=100&page=1>; rel="prev"',
            f'<{plain}?per_page=100&page=3>; rel="next"',
            f'<{plain}?per_page=100&page=3>; rel="last"',
            f'<{plain}?per_page=100&page=1>; rel="first"',
        ]
    )
    api.get(f"{url}?per_page=100", json=[], headers={"Link": middle})
    assert len(client(clock).reviews(7)) == 1
    assert [query(call).get("page") for call in api.calls] == [None, "3"]


def test_next_links_with_the_default_port_spelled_out(
    api: responses.RequestsMock, clock: Clock
) -> None:
    url = f"{R}/pulls/7/reviews"
    api.get(f"{url}?per_page=100", json=[], headers={"Link": f'<{url}?page=2>; rel="next"'})
    api.get(f"{url}?page=2", json=[])
    assert client(clock).reviews(7) == []
    assert len(api.calls) == 2


def test_github_enterprise_pages_stay_under_its_api_path(api: responses.RequestsMock) -> None:
    base = "https://ghe.example.com/api/v3"
    url = f"https://ghe.example.com:443/api/v3/repos/{REPO}/issues/7/comments"
    next_page = f"{base}/repos/{REPO}/issues/7/comments?per_page=100&page=2"
    api.get(f"{url}?per_page=100", json=[], headers={"Link": f'<{next_page}>; rel="next"'})
    api.get(f"{url}?per_page=100&page=2", json=[])
    gh = PyGithubClient.connect("ghs_secret", base, REPO)
    assert gh.issue_comments(7, None) == []
    assert [path(call) for call in api.calls] == [f"/api/v3/repos/{REPO}/issues/7/comments"] * 2


def test_since_is_sent_in_utc(api: responses.RequestsMock, clock: Clock) -> None:
    api.get(f"{R}/issues/7/comments?per_page=100&since=2026-11-01T10%3A00%3A00Z", json=[])
    pushed = datetime.fromisoformat("2026-11-01T12:00:00+02:00")
    assert client(clock).issue_comments(7, pushed) == []


def test_timestamps_without_a_timezone_are_unknown_not_a_crash(
    api: responses.RequestsMock, clock: Clock
) -> None:
    # GitHub writes UTC with a Z. A time without an offset cannot be compared with the push
    # time (Python raises): it reads as unknown, so the comment does not count and nothing fails.
    api.get(
        f"{R}/issues/7/comments?per_page=100",
        json=[comment(1, "alice", "User approved: x", "2026-11-01T12:05:00")],
    )
    api.get(f"{R}/activity", json=[push(HEAD, "2026-11-01T12:00:00", "pusher")])
    gh = client(clock)
    [only] = gh.issue_comments(7, None)
    assert only.created_at is None
    assert only.edited
    assert gh.find_push("new-topic", HEAD) == Pushes(None, ("pusher",), ("pusher",))


def test_the_latest_push_of_the_branch_binds_whatever_the_order_of_the_answer(
    api: responses.RequestsMock, clock: Clock
) -> None:
    # An answer oldest first, or one that ignored the ref filter, must not bind the commit to an
    # earlier push (making comments written before the latest push count) or to another branch.
    api.get(
        f"{R}/activity",
        json=[
            push(HEAD, "2026-10-30T09:00:00Z", "earlier"),
            push(HEAD, "2026-11-01T12:00:00Z", "pusher"),
            push(HEAD, "2026-11-02T08:00:00Z", "elsewhere", branch="other"),
            push("1" * 40, "2026-11-01T11:00:00Z", "someone"),
        ],
    )
    found = client(clock).find_push("new-topic", HEAD)
    assert found == Pushes(
        Push(PUSHED, "pusher"), ("earlier", "pusher", "someone"), ("earlier", "pusher")
    )


def test_environment_review_states_are_read_in_any_case(
    api: responses.RequestsMock, clock: Clock
) -> None:
    # The core blocks on state 'rejected': a rejection spelt otherwise must not slip past it.
    api.get(
        f"{R}/actions/runs/42/approvals?per_page=100",
        json=[env_approval("bob", "REJECTED", "no"), env_approval("alice", "Approved", "ok")],
    )
    bob, alice = client(clock).environment_approvals("42")
    assert (bob.state, alice.state) == ("rejected", "approved")


def test_review_edits_are_asked_of_github_enterprise_graphql_and_fail_closed(
    api: responses.RequestsMock, clock: Clock
) -> None:
    # Anyone with write access may edit anyone's review, and REST does not tell: a review that
    # GraphQL cannot vouch for (no answer for it, no node id) reads as edited; errors block.
    ghes = "https://ghe.example.com/api/v3"
    url = f"https://ghe.example.com:443/api/v3/repos/{REPO}/pulls/7/reviews"
    token = "User approved: x"
    ghost = {**review(3, "dave", "APPROVED", HEAD, token, "2026-11-01T12:10:00Z"), "node_id": None}
    api.get(url, json=[review(1, "bob", "APPROVED", HEAD, token, "2026-11-01T12:10:00Z"), ghost])
    api.post("https://ghe.example.com:443/api/graphql", json={"data": {"nodes": [None]}})
    requester = PyGithubClient.connect("ghs_secret", ghes, REPO)._requester
    gh = PyGithubClient(requester, REPO, sleep=clock.sleep, clock=clock)
    assert [r.edited for r in gh.reviews(7)] == [True, True]
    api.replace(
        responses.POST,
        "https://ghe.example.com:443/api/graphql",
        json={"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded"}]},
    )
    with pytest.raises(ApiError, match="edit history"):
        gh.reviews(7)


def test_a_long_lived_branch_is_read_one_page_deep(
    api: responses.RequestsMock, clock: Clock
) -> None:
    """A push or environment run's branch (main, never created in its feed): its newest entry
    and the commit's pushers are on the first page; the feed is not read whole."""
    first = [push(HEAD, "2026-11-01T12:00:00Z", "erin", branch="main")]
    first += [
        push("2" * 40, f"2026-11-01T11:{m % 60:02}:00Z", "frank", branch="main") for m in range(99)
    ]
    query_text = "ref=refs%2Fheads%2Fmain&per_page=100"
    api.get(f"{R}/activity?{query_text}", json=first, headers=link(f"{R}/activity", "after=x"))
    found = client(clock).find_push("main", HEAD, since_creation=False)
    assert found.head == Push(PUSHED, "erin")
    assert found.of_commit == ("erin",)
    assert len(api.calls) == 1
