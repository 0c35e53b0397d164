"""Every way the GitHub API can fail, under ``responses``: the adapter retries what is worth
retrying within its budget, and the approve gate, run over the real adapter, fails closed with a
reason that names the error's class, the operation and the HTTP status."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
import requests
import responses
from tests.support.api_mock import API, BASE, REPO, Clock, R, client
from tests.support.fake_github import json_of
from tests.support.github_payloads import NOT_FOUND, comment, permission, pull, push

from applygate import cli
from applygate.adapters.retry import RetryPolicy
from applygate.adapters.runner import Runner
from applygate.commands import approve
from applygate.context import RunContext
from applygate.core.classify import ErrorType
from applygate.errors import ApiError
from applygate.event import EventContext
from applygate.inputs.approve import ApproveInputs
from applygate.inputs.registry import read_raw

OP = "terraform apply prod/vpc"
HEAD = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
PULL = f"{R}/pulls/7"
DOCS = "https://docs.github.com/rest/overview/resources-in-the-rest-api"
NOW = 1_700_000_000  # the Clock fixture's epoch

BAD_CREDENTIALS = {
    "message": "Bad credentials",
    "documentation_url": "https://docs.github.com/rest",
}
NOT_ACCESSIBLE = {
    "message": "Resource not accessible by integration",
    "documentation_url": "https://docs.github.com/rest/pulls/pulls#get-a-pull-request",
}
PRIMARY = {  # GitHub's documented example body
    "message": "API rate limit exceeded for xxx.xxx.xxx.xxx. (But here's the good news: "
    "Authenticated requests get a higher rate limit. "
    "Check out the documentation for more details.)",
    "documentation_url": f"{DOCS}#rate-limiting",
}
SECONDARY = {
    "message": "You have exceeded a secondary rate limit and have been temporarily blocked from "
    "content creation. Please retry your request again later.",
    "documentation_url": f"{DOCS}#secondary-rate-limits",
}
SERVER_ERROR = {"message": "Server Error"}


def limits(remaining: int, reset: int) -> dict[str, str]:
    return {
        "x-ratelimit-limit": "1000",
        "x-ratelimit-remaining": str(remaining),
        "x-ratelimit-used": str(1000 - remaining),
        "x-ratelimit-reset": str(reset),
        "x-ratelimit-resource": "core",
    }


def gate(
    clock: Clock, env: dict[str, str] | None = None, retry: RetryPolicy | None = None
) -> tuple[int, str]:
    """``applygate approve`` for pull request 7 over the real adapter; exit code and console."""
    environ = {"INPUT_OPERATION": OP, "INPUT_TOKEN": "ghs_secret", **(env or {})}
    inputs = ApproveInputs.from_raw(read_raw({}, environ), environ)
    ctx = RunContext(repository=REPO, run_id="42", sha="f" * 40)
    stream = io.StringIO()
    gh = client(clock, retry)
    code = approve.decide_and_report(
        inputs, ctx, EventContext("issue_comment", 7), lambda: gh, Runner(stream=stream)
    )
    return code, stream.getvalue()


def blocked_reason(out: str) -> str:
    """The reasons of a blocked decision, from its error annotation."""
    line = next(x for x in out.splitlines() if x.startswith("::error title=applygate%3A blocked::"))
    return line.split("::", 2)[2]


# --- one answer for the first request (the pull request): its class, and how often it is asked


def _answer(status: int, body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return {"status": status, "json": body, "headers": headers or {}}


CASES = [
    ("401", _answer(401, BAD_CREDENTIALS), ErrorType.PERMISSION, 1, [], "HTTP 401"),
    (
        "403 without rate-limit headers",
        _answer(403, NOT_ACCESSIBLE, {"X-Accepted-GitHub-Permissions": "pull_requests=read"}),
        ErrorType.PERMISSION,
        1,
        [],
        "HTTP 403): Resource not accessible by integration",
    ),
    (
        "403 primary rate limit resetting in an hour",
        _answer(403, PRIMARY, limits(0, NOW + 3600)),
        ErrorType.TRANSIENT,
        1,  # not worth waiting an hour: give up at once
        [],
        "HTTP 403): API rate limit exceeded",
    ),
    (
        "429 primary rate limit resetting in an hour",
        _answer(429, PRIMARY, limits(0, NOW + 3600)),
        ErrorType.TRANSIENT,
        1,
        [],
        "HTTP 429",
    ),
    (
        "403 secondary rate limit without retry-after",
        _answer(403, SECONDARY),
        ErrorType.TRANSIENT,
        1,
        [],
        "secondary rate limit",
    ),
    (
        "403 secondary rate limit with retry-after, for good",
        _answer(403, SECONDARY, {"retry-after": "20"}),
        ErrorType.TRANSIENT,
        4,  # 3 waits of 20 s fill the minute a rate limit may take
        [20.0, 20.0, 20.0],
        "secondary rate limit",
    ),
    (
        "429 without headers",
        _answer(429, {"message": "Too Many Requests"}),
        ErrorType.TRANSIENT,
        5,
        [1, 2, 4, 8],
        "HTTP 429): Too Many Requests",
    ),
    ("404", _answer(404, NOT_FOUND), ErrorType.VALIDATION, 1, [], "HTTP 404): Not Found"),
    (
        "422",
        _answer(422, json_of("recorded.error-422-validation-failed.json")["response"]),
        ErrorType.VALIDATION,
        1,
        [],
        "HTTP 422): Validation Failed",
    ),
    ("500", _answer(500, SERVER_ERROR), ErrorType.TRANSIENT, 5, [1, 2, 4, 8], "HTTP 500"),
    ("502", _answer(502, None), ErrorType.TRANSIENT, 5, [1, 2, 4, 8], "HTTP 502"),
    ("503", _answer(503, SERVER_ERROR), ErrorType.TRANSIENT, 5, [1, 2, 4, 8], "HTTP 503"),
    (
        "connection refused",
        {"body": requests.ConnectionError("Connection refused")},
        ErrorType.TRANSIENT,
        5,
        [1, 2, 4, 8],
        "(Transient): ConnectionError: Connection refused",
    ),
    (
        "read timeout",
        {"body": requests.ReadTimeout("Read timed out. (read timeout=15)")},
        ErrorType.TRANSIENT,
        5,
        [1, 2, 4, 8],
        "ReadTimeout: Read timed out",
    ),
    (
        "truncated JSON",
        {"status": 200, "body": '{"number": 7, "head": {"sha": "6dcb09b5'},
        ErrorType.TRANSIENT,  # a cut-off answer may come whole next time
        5,
        [1, 2, 4, 8],
        "(Transient): the answer is not valid JSON (JSONDecodeError: Unterminated string",
    ),
    (
        "an HTML page instead of JSON",
        {"status": 200, "body": "<html><body>Unicorn!</body></html>"},
        ErrorType.VALIDATION,
        1,
        [],
        "(Validation): the answer is not JSON (text/plain: '<html><body>Unicorn!</body></html>')",
    ),
    (
        "JSON of the wrong shape",
        _answer(200, {**pull(7), "head": None}),
        ErrorType.VALIDATION,
        1,
        [],
        "(Validation): unexpected response shape (AttributeError:",
    ),
]


@pytest.mark.parametrize(
    ("answer", "error_type", "requests_made", "sleeps", "says"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_every_failure_blocks_with_its_class(
    api: responses.RequestsMock,
    clock: Clock,
    answer: dict[str, Any],
    error_type: ErrorType,
    requests_made: int,
    sleeps: list[float],
    says: str,
) -> None:
    api.get(PULL, **answer)
    code, out = gate(clock)
    assert code == 1
    reason = blocked_reason(out)
    assert reason.startswith(f"{error_type}: read pull request #7 failed ({error_type}")
    assert says in reason
    assert len(api.calls) == requests_made
    assert clock.slept == sleeps
    assert sum(sleeps) <= 60  # 30 s budget; a rate limit that resets soon may take a minute
    assert "ghs_secret" not in out.replace("::add-mask::ghs_secret", "")


# --- answers that recover, and failures later in the decision ---------------------------------


def serve_approval(api: responses.RequestsMock) -> None:
    """Everything after the first read of the pull request, for an approval by alice."""
    api.get(f"{R}/activity", json=[push(HEAD, "2026-11-01T12:00:00Z", "pusher")])
    api.get(
        f"{R}/issues/7/comments",
        json=[comment(1, "alice", f"User approved: {OP}", "2026-11-01T12:05:00Z")],
    )
    api.get(f"{R}/pulls/7/reviews", json=[])
    api.get(f"{R}/collaborators/alice/permission", json=permission("alice", "write", "write"))


@pytest.mark.parametrize(
    ("first", "sleeps"),
    [
        (_answer(502, None), [1.0]),
        ({"body": requests.ConnectionError("Connection reset by peer")}, [1.0]),
        (_answer(403, SECONDARY, {"retry-after": "7"}), [7.0]),
        (_answer(403, PRIMARY, limits(0, NOW + 10)), [11.0]),  # until the reset, and a second
    ],
    ids=["502", "connection reset", "secondary rate limit", "primary rate limit resetting soon"],
)
def test_transient_failure_that_recovers_is_approved(
    api: responses.RequestsMock, clock: Clock, first: dict[str, Any], sleeps: list[float]
) -> None:
    api.get(PULL, **first)
    api.get(PULL, json=pull(7))  # the retry, and the re-read of the head at the end
    serve_approval(api)
    code, out = gate(clock)
    assert code == 0, out
    assert clock.slept == sleeps


def test_a_failing_second_page_never_approves_on_the_first(
    api: responses.RequestsMock, clock: Clock
) -> None:
    url = f"{R}/issues/7/comments"
    api.get(PULL, json=pull(7))
    api.get(f"{R}/activity", json=[push(HEAD, "2026-11-01T12:00:00Z", "pusher")])
    approval = comment(1, "alice", f"User approved: {OP}", "2026-11-01T12:05:00Z")
    next_page = "https://api.github.com/repos/octocat/Hello-World/issues/7/comments?page=2"
    api.get(url, json=[approval], headers={"Link": f'<{next_page}>; rel="next"'})
    api.get(f"{url}?page=2", json=SERVER_ERROR, status=500)
    code, out = gate(clock)
    assert code == 1
    assert blocked_reason(out).startswith("Transient: list comments of #7 failed")
    assert len(api.calls) == 2 + 1 + 5


def test_a_failing_permission_lookup_blocks_rather_than_meaning_no_permission(
    api: responses.RequestsMock, clock: Clock
) -> None:
    api.get(PULL, json=pull(7))
    api.get(f"{R}/activity", json=[push(HEAD, "2026-11-01T12:00:00Z", "pusher")])
    api.get(
        f"{R}/issues/7/comments",
        json=[comment(1, "alice", f"User approved: {OP}", "2026-11-01T12:05:00Z")],
    )
    api.get(f"{R}/pulls/7/reviews", json=[])
    api.get(f"{R}/collaborators/alice/permission", json=BAD_CREDENTIALS, status=401)
    code, out = gate(clock)
    assert code == 1
    assert blocked_reason(out) == (
        "Permission: read the permission of alice failed (Permission, HTTP 401): Bad credentials"
    )


def test_a_team_the_token_cannot_read_blocks(api: responses.RequestsMock, clock: Clock) -> None:
    serve_approval(api)
    api.get(PULL, json=pull(7))
    api.get(
        f"{API}/orgs/acme/teams/sre/memberships/alice",
        json={"message": "Resource not accessible by integration"},
        status=403,
        headers={"X-Accepted-GitHub-Permissions": "members=read"},
    )
    code, out = gate(clock, {"INPUT_APPROVERS": "acme/sre"})
    assert code == 1
    assert blocked_reason(out).startswith("Permission: read alice's membership of acme/sre failed")


def test_the_activity_endpoints_422_blocks(api: responses.RequestsMock, clock: Clock) -> None:
    api.get(PULL, json=pull(7))
    body = {"message": "Validation Failed", "errors": [], "documentation_url": DOCS}
    api.get(f"{R}/activity", json=body, status=422)
    code, out = gate(clock)
    assert code == 1
    assert blocked_reason(out).startswith(
        "Validation: read the push history of new-topic failed (Validation, HTTP 422)"
    )


# --- the retry budget ----------------------------------------------------------------------------


def test_slow_answers_count_against_the_budget(api: responses.RequestsMock, clock: Clock) -> None:
    """An API that hangs until the 15 s timeout: the budget is time spent, not only sleeps."""
    started: list[float] = []

    def hang(request: Any) -> tuple[int, dict[str, str], str]:
        started.append(clock.now - NOW)
        clock.now += 15
        raise requests.ReadTimeout("Read timed out. (read timeout=15)")

    api.add_callback(responses.GET, PULL, callback=hang)
    code, out = gate(clock)
    assert code == 1
    assert "ReadTimeout" in blocked_reason(out)
    # 15 s waiting + 1 s backoff; then 31 s spent + 2 s backoff would start a third after 30 s
    assert started == [0, 16]
    assert clock.now - NOW == 31


def test_a_shorter_budget_keeps_the_retries_sooner(
    api: responses.RequestsMock, clock: Clock
) -> None:
    api.get(PULL, json=SERVER_ERROR, status=502)
    code, _ = gate(clock, retry=RetryPolicy.within(3.0))
    assert code == 1
    assert clock.slept == pytest.approx([0.1, 0.2, 0.4, 0.8])
    assert len(api.calls) == 5


def test_the_budget_comes_from_the_environment(api: responses.RequestsMock) -> None:
    """APPLYGATE_API_RETRY_SECONDS=0: give up at the first transient failure (fast tests)."""
    api.get(PULL, json=SERVER_ERROR, status=502)
    environ = {
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_API_URL": BASE,
        "GITHUB_SHA": "f" * 40,
        "INPUT_OPERATION": OP,
        "INPUT_TOKEN": "ghs_secret",
        "INPUT_PR-NUMBER": "7",
        "INPUT_PUBLISH": "none",
        "APPLYGATE_API_RETRY_SECONDS": "0",
    }
    assert cli.main(["approve"], environ) == 1
    assert len(api.calls) == 1


def test_writes_that_must_not_repeat_are_tried_once(
    api: responses.RequestsMock, clock: Clock
) -> None:
    api.post(f"{R}/issues/7/comments", json=SERVER_ERROR, status=502)
    with pytest.raises(ApiError) as caught:
        client(clock).send("comment", "POST", f"/repos/{REPO}/issues/7/comments", {}, retry=False)
    assert caught.value.error_type is ErrorType.TRANSIENT
    assert clock.slept == []


def test_a_next_page_on_another_host_is_not_followed(
    api: responses.RequestsMock, clock: Clock
) -> None:
    """The token goes with every request: a Link elsewhere blocks instead of being followed."""
    api.get(PULL, json=pull(7))
    api.get(f"{R}/activity", json=[push(HEAD, "2026-11-01T12:00:00Z", "pusher")])
    elsewhere = f"https://api.github.com.evil.example/repos/{REPO}/issues/7/comments?page=2"
    api.get(
        f"{R}/issues/7/comments",
        json=[comment(1, "alice", f"User approved: {OP}", "2026-11-01T12:05:00Z")],
        headers={"Link": f'<{elsewhere}>; rel="next"'},
    )
    code, out = gate(clock)
    assert code == 1
    assert blocked_reason(out) == (
        "Validation: list comments of #7 failed (Validation): "
        f"the next page '{elsewhere}' is not under {BASE}"
    )
    assert len(api.calls) == 3


def test_a_listing_whose_pages_loop_blocks_instead_of_hanging(
    api: responses.RequestsMock, clock: Clock
) -> None:
    """A next link back to a page already read would page forever: the gate blocks."""
    api.get(PULL, json=pull(7))
    api.get(f"{R}/activity", json=[push(HEAD, "2026-11-01T12:00:00Z", "pusher")])
    page2 = f"{BASE}/repos/{REPO}/issues/7/comments?per_page=100&page=2"
    approval = [comment(1, "alice", f"User approved: {OP}", "2026-11-01T12:05:00Z")]
    api.get(f"{R}/issues/7/comments", json=approval, headers={"Link": f'<{page2}>; rel="next"'})
    code, out = gate(clock)
    assert code == 1
    assert blocked_reason(out) == (
        "Validation: list comments of #7 failed (Validation): "
        f"the next page '{page2}' was already read: the listing loops"
    )
    assert len(api.calls) == 4  # the pull request, the push, page 1, page 2 (which names itself)


def test_the_budget_is_for_the_whole_decision_not_each_request(
    api: responses.RequestsMock, clock: Clock
) -> None:
    """A slow failure of the first read spends 2 s of a 3 s budget: the next flaky read gets
    what is left, not 3 s of its own."""
    calls = iter([True, False, False])

    def slow_then_fine(request: Any) -> tuple[int, dict[str, str], str]:
        if next(calls):
            clock.now += 2  # 2 s until the 502 comes
            return 502, {}, '{"message": "Server Error"}'
        return 200, {"Content-Type": "application/json"}, json.dumps(pull(7))

    api.add_callback(responses.GET, PULL, callback=slow_then_fine)
    for _ in range(4):  # the first attempt and three retries: no fifth
        api.get(f"{R}/activity", json=SERVER_ERROR, status=502)
    code, out = gate(clock, retry=RetryPolicy.within(3.0))
    assert code == 1
    assert blocked_reason(out).startswith("Transient: read the push history of new-topic failed")
    # 2 s + 0.1 s for the pull request; then 0.1, 0.2, 0.4 (2.8 s) and 0.8 more would pass 3 s.
    # A budget per request would have waited 0.1, 0.2, 0.4 and 0.8 on the second read.
    assert clock.slept == pytest.approx([0.1, 0.1, 0.2, 0.4])
