"""Decisions over plain data: who counts, what binds, what blocks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from applygate.core.approval import (
    Binding,
    Decision,
    Push,
    Source,
    Status,
    Submission,
    authorize_needed,
    block,
    decide,
    screen,
)
from applygate.core.policy import (
    NO_PERMISSION,
    Approvers,
    AuthFacts,
    Author,
    Authorization,
    GenericScope,
    NeedPermission,
    PermissionFact,
    Policy,
    authorize,
)
from applygate.core.reasons import Reason

OP = "terraform apply prod/vpc"
SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
OLD = "ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091"
PUSHED = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
AFTER = PUSHED + timedelta(minutes=5)
BEFORE = PUSHED - timedelta(minutes=5)

ALICE, BOB, CAROL = Author("alice"), Author("bob"), Author("carol")
AUTHOR, PUSHER = Author("octocat"), Author("pusher")
BOT = Author("deploy-bot[bot]", is_bot=True)

BINDING = Binding(
    sha=SHA,
    pr_number=7,
    push=Push(PUSHED, "pusher"),
    pr_author="octocat",
    triggering_actor="runner-person",
)
POLICY = Policy(operation=OP)
WRITERS = (
    "alice",
    "bob",
    "carol",
    "frank",
    "octocat",
    "pusher",
    "runner-person",
    "deploy-bot[bot]",
)


def authorizations(authors: dict[str, Author], policy: Policy) -> dict[str, Authorization]:
    """What the shell would find: everyone in WRITERS has write permission, nobody else any."""
    found = {}
    for key, author in authors.items():
        facts = AuthFacts()
        step = authorize(author, facts, policy)
        while isinstance(step, NeedPermission):
            known = PermissionFact("write", "write") if key in WRITERS else NO_PERMISSION
            step = authorize(author, AuthFacts(permission=known), policy)
        assert isinstance(step, Authorization)
        found[key] = step
    return found


def comment(author: Author | None, body: str, **kw: object) -> Submission:
    fields: dict[str, object] = {"created_at": AFTER, "edited": False}
    fields.update(kw)
    return Submission(source=Source.PR_COMMENT, ref="c", author=author, body=body, **fields)  # type: ignore[arg-type]


def review(
    author: Author,
    body: str,
    state: str = "APPROVED",
    commit: str | None = SHA,
    submitted: datetime | None = None,
) -> Submission:
    return Submission(
        source=Source.PR_REVIEW,
        ref="r",
        author=author,
        body=body,
        state=state,
        commit_id=commit,
        created_at=submitted,
    )


def env(author: Author, body: str, state: str = "approved") -> Submission:
    return Submission(source=Source.ENVIRONMENT, ref="e", author=author, body=body, state=state)


def run(
    subs: list[Submission],
    policy: Policy = POLICY,
    binding: Binding = BINDING,
    authz: dict[str, Authorization] | None = None,
):
    screening = screen(subs, policy, binding)
    found = authorizations(dict(screening.authors), policy) if authz is None else authz
    return decide(screening, found, policy, binding)


def only_reason(decision: Decision) -> str:  # the one line's reason code
    [line] = decision.lines
    return line.reason.code if line.reason else line.status.value


APPROVE = f"User approved: {OP}"

# Each row: one submission whose single token line must not count, and the reason code.
NOT_COUNTED = [
    ("quoted", comment(ALICE, f"> {APPROVE}"), "quoted"),
    ("fenced", comment(ALICE, f"```\n{APPROVE}\n```"), "code-block"),
    ("indented", comment(ALICE, f"    {APPROVE}"), "code-block"),
    ("html comment", comment(ALICE, f"<!-- {APPROVE} -->"), "html-comment"),
    ("edited", comment(ALICE, APPROVE, edited=True), "edited"),
    ("stale", comment(ALICE, APPROVE, created_at=BEFORE), "stale"),
    ("same second as push", comment(ALICE, APPROVE, created_at=PUSHED), "stale"),
    ("homoglyph", comment(ALICE, f"Us\u0435r approved: {OP}"), "homoglyph"),
    ("zero-width", comment(ALICE, f"User approved:\u200b {OP}"), "zero-width"),
    ("bidi", comment(ALICE, f"User approved: {OP}\u202c"), "bidi"),
    ("self: pr author", comment(AUTHOR, APPROVE), "self-approval"),
    ("self: pusher", comment(PUSHER, APPROVE), "self-approval"),
    ("bot", comment(BOT, APPROVE), "bot"),
    ("deleted user", comment(None, APPROVE), "deleted-user"),
    ("scope superset", comment(ALICE, f"User approved: {OP} and prod/db"), "scope-mismatch"),
    ("scope prefix", comment(ALICE, "User approved: terraform apply"), "scope-mismatch"),
    ("pin mismatch", comment(ALICE, f"{APPROVE} @{OLD[:7]}"), "pin-mismatch"),
    ("wrong case", comment(ALICE, f"user approved: {OP}"), "not-canonical"),
    ("review of old commit", review(ALICE, APPROVE, commit=OLD), "review-other-commit"),
    ("review dismissed", review(ALICE, APPROVE, state="DISMISSED"), "review-dismissed"),
    ("review changes requested", review(ALICE, APPROVE, state="CHANGES_REQUESTED"), "review-state"),
    ("review pending", review(ALICE, APPROVE, state="PENDING"), "review-state"),
    ("review gc'd commit", review(ALICE, APPROVE, commit=None), "unbound"),
    ("review self", review(AUTHOR, APPROVE), "self-approval"),
    # someone with write access edited the review to add the token: REST does not show it
    ("review edited", replace(review(ALICE, APPROVE), edited=True), "edited"),
    ("environment pending", env(ALICE, APPROVE, state="pending"), "environment-state"),
    ("environment unbound", env(ALICE, APPROVE), "unbound"),
]


@pytest.mark.parametrize(
    ("sub", "code"), [r[1:] for r in NOT_COUNTED], ids=[r[0] for r in NOT_COUNTED]
)
def test_lines_that_do_not_count(sub: Submission, code: str) -> None:
    decision = run([sub])
    assert not decision.approved
    assert only_reason(decision) == code
    assert [r.code for r in decision.reasons] == ["insufficient-approvals"]


COUNTED = [
    ("comment", comment(ALICE, APPROVE)),
    ("comment with pin", comment(ALICE, f"{APPROVE} @{SHA[:10]}")),
    ("review approved", review(ALICE, APPROVE)),
    ("review commented lowercase", review(ALICE, APPROVE, state="commented")),
    ("review gc'd commit, pinned", review(ALICE, f"{APPROVE} @{SHA}", commit=None)),
]


@pytest.mark.parametrize("sub", [r[1] for r in COUNTED], ids=[r[0] for r in COUNTED])
def test_lines_that_count(sub: Submission) -> None:
    decision = run([sub])
    assert decision.approved, decision.reasons
    assert decision.approvers == ("alice",)
    assert decision.scope == OP
    assert not decision.generic_scope


def test_environment_approval_counts_when_the_run_is_bound_to_the_commit() -> None:
    binding = replace(BINDING, environment_bound=True)
    assert run([env(ALICE, APPROVE)], binding=binding).approved
    assert only_reason(run([env(Author("runner-person"), APPROVE)], binding=binding)) == (
        "self-approval"
    )


def test_environment_approval_pinned_counts_when_the_run_is_not_bound() -> None:
    assert run([env(ALICE, f"{APPROVE} @{SHA}")]).approved


# issue 19, item 3: where the pin is all that binds an approval to the commit, a short pin could
# be forged (a commit sharing 28 bits took 78 s to grind): only the full sha counts there
SHORT, FULL = f"{APPROVE} @{SHA[:7]}", f"{APPROVE} @{SHA}"
NO_PUSH = replace(BINDING, push=None)


@pytest.mark.parametrize(
    ("submission", "binding", "expected"),
    [
        (comment(ALICE, SHORT), NO_PUSH, "short-pin"),  # a fork, or a push not found
        (comment(ALICE, f"{APPROVE} @{SHA[:39]}"), NO_PUSH, "short-pin"),
        (comment(ALICE, f"{APPROVE} @{SHA.upper()}"), NO_PUSH, None),
        (comment(ALICE, FULL), NO_PUSH, None),
        (review(ALICE, SHORT, commit=None), BINDING, "short-pin"),  # its commit is gone
        (review(ALICE, FULL, commit=None), BINDING, None),
        (env(ALICE, SHORT), BINDING, "short-pin"),  # this run is not bound to the commit
        (env(ALICE, FULL), BINDING, None),
        # where something else binds it, a short pin is only one more check
        (comment(ALICE, SHORT), BINDING, None),
        (review(ALICE, SHORT), BINDING, None),
        (env(ALICE, SHORT), replace(BINDING, environment_bound=True), None),
        # and a denial blocks whatever its pin's length
        (comment(BOB, f"User denied: {OP} @{SHA[:7]}"), NO_PUSH, "denied"),
    ],
)
def test_full_pins_where_the_pin_binds(
    submission: Submission, binding: Binding, expected: str | None
) -> None:
    decision = run([submission], binding=binding)
    if expected is None:
        assert decision.approved, decision.reasons
        return
    codes = [r.code for r in decision.reasons] + [
        v.reason.code for v in decision.lines if v.reason is not None
    ]
    assert expected in codes
    if expected == "short-pin":
        (line,) = decision.lines
        assert line.reason is not None
        assert f"@{SHA}" in line.reason.message  # the full sha to use


def test_environment_rejection_blocks_whatever_the_approvals() -> None:
    binding = replace(BINDING, environment_bound=True)
    decision = run([env(ALICE, APPROVE), env(BOB, "not now", state="rejected")], binding=binding)
    assert not decision.approved
    assert [r.code for r in decision.reasons] == ["environment-rejected"]


def test_unknown_push_counts_only_pinned_comments() -> None:
    binding = replace(BINDING, push=None)
    assert only_reason(run([comment(ALICE, APPROVE)], binding=binding)) == "unbound"
    assert run([comment(ALICE, f"{APPROVE} @{SHA}")], binding=binding).approved


def test_self_approval_allowed_by_policy() -> None:
    policy = replace(POLICY, allow_self_approval=True)
    assert run([comment(AUTHOR, APPROVE)], policy=policy).approved


def test_min_approvals_needs_distinct_people() -> None:
    policy = replace(POLICY, min_approvals=2)
    twice = run([comment(ALICE, APPROVE), comment(Author("ALICE"), APPROVE)], policy=policy)
    assert not twice.approved
    assert [v.reason.code for v in twice.not_counted if v.reason] == ["duplicate"]
    both = run([comment(ALICE, APPROVE), review(BOB, APPROVE)], policy=policy)
    assert both.approved
    assert both.approvers == ("alice", "bob")


def test_unauthorized_people_do_not_count() -> None:
    refused = Authorization("alice", False, Reason("insufficient-permission", "alice has read"))
    decision = run([comment(ALICE, APPROVE)], authz={"alice": refused})
    assert not decision.approved
    assert only_reason(decision) == "insufficient-permission"


def test_missing_authorization_never_counts() -> None:
    decision = run([comment(ALICE, APPROVE)], authz={})
    assert only_reason(decision) == "unverified"


def test_screening_asks_only_for_people_it_cannot_settle() -> None:
    subs = [
        comment(ALICE, APPROVE),
        comment(BOB, f"> {APPROVE}"),
        comment(CAROL, "User approved: something else"),
        comment(AUTHOR, APPROVE),
        comment(AUTHOR, f"User denied: {OP}"),
    ]
    screening = screen(subs, POLICY, BINDING)
    assert set(screening.authors) == {"alice"}


@pytest.mark.parametrize(
    ("denial", "blocks"),
    [
        (comment(BOB, f"User denied: {OP}"), True),
        (comment(BOB, "User denied: the changes"), True),
        (comment(BOB, f"User denied: {OP}", edited=True), True),
        (comment(AUTHOR, f"User denied: {OP}"), True),
        (comment(PUSHER, f"User denied: {OP}"), True),
        (review(BOB, f"User denied: {OP}", state="CHANGES_REQUESTED"), True),
        # issue 19: dismissing a review (anyone with write access may) does not remove its denial
        (review(BOB, f"User denied: {OP}", state="DISMISSED"), True),
        (review(BOB, f"User denied: {OP}", state="dismissed"), True),
        (review(BOB, f"User denied: {OP}", commit=OLD), False),
        # a review begun on the old head and submitted after the push: the push must not void it
        (review(BOB, f"User denied: {OP}", "CHANGES_REQUESTED", OLD, AFTER), True),
        (review(BOB, f"User denied: {OP}", "COMMENTED", None, AFTER), True),
        (review(BOB, f"User denied: {OP}", "CHANGES_REQUESTED", OLD, BEFORE), False),
        (review(BOB, f"User denied: {OP}", "DISMISSED", OLD, AFTER), True),
        (review(BOB, f"User denied: {OP}", "DISMISSED", OLD, BEFORE), False),  # an older head's
        (replace(review(BOB, f"User denied: {OP}", "COMMENTED"), edited=True), True),
        (comment(BOB, f"User denied: {OP}", created_at=BEFORE), False),
        (comment(BOB, "User denied: terraform apply prod/db"), False),
        (comment(BOB, f"> User denied: {OP}"), False),
        (comment(BOB, f"Not yet:\n- User denied: {OP}"), True),  # shown as text: it stops it
        (comment(BOB, f"| check | verdict |\n|---|---|\n| plan | User denied: {OP} |"), True),
        (review(BOB, f"**User denied: {OP}**", state="CHANGES_REQUESTED"), True),
        (comment(BOB, f"- User denied: {OP} @{'0' * 7}"), False),  # pinned to another commit
    ],
)
def test_denials(denial: Submission, blocks: bool) -> None:
    decision = run([comment(ALICE, APPROVE), denial])
    assert decision.approved is not blocks
    assert ("denied" in [r.code for r in decision.reasons]) is blocks


def test_denial_from_someone_who_could_not_approve_does_not_block() -> None:
    refused = Authorization("bob", False, Reason("insufficient-permission", "bob has read"))
    decision = run(
        [comment(ALICE, APPROVE), comment(BOB, f"User denied: {OP}")],
        authz={"alice": Authorization("alice", True), "bob": refused},
    )
    assert decision.approved
    assert [v.reason.code for v in decision.not_counted if v.reason] == ["denial-not-entitled"]


def test_denial_with_unknown_push_still_blocks() -> None:
    binding = replace(BINDING, push=None)
    decision = run(
        [comment(ALICE, f"{APPROVE} @{SHA[:7]}"), comment(BOB, f"User denied: {OP}")],
        binding=binding,
    )
    assert not decision.approved


@pytest.mark.parametrize("scope", ["the changes", "everything", "All of it.", "this!"])
def test_generic_scope_is_flagged(scope: str) -> None:
    decision = run([comment(ALICE, f"User approved: {scope}")])
    assert decision.approved
    assert decision.generic_scope
    assert decision.scope == scope
    assert [w.code for w in decision.warnings] == ["generic-scope"]


def test_generic_scope_rejected_by_policy() -> None:
    policy = replace(POLICY, generic_scope=GenericScope.REJECT)
    decision = run([comment(ALICE, "User approved: the changes")], policy=policy)
    assert not decision.approved
    assert only_reason(decision) == "generic-rejected"


def test_exact_scope_wins_over_generic_for_the_scope_output() -> None:
    policy = replace(POLICY, min_approvals=2)
    decision = run(
        [comment(ALICE, "User approved: the changes"), comment(BOB, APPROVE)], policy=policy
    )
    assert decision.scope == OP
    assert decision.generic_scope


def test_listed_bot_counts() -> None:
    policy = replace(POLICY, approvers=Approvers(frozenset({"deploy-bot[bot]"})))
    assert run([comment(BOT, APPROVE)], policy=policy).approved


def test_block_adds_a_reason_to_an_approval() -> None:
    decision = block(run([comment(ALICE, APPROVE)]), Reason("head-moved", "moved"))
    assert not decision.approved
    assert [r.code for r in decision.reasons] == ["head-moved"]


def test_every_not_counted_line_has_a_reason() -> None:
    decision = run([sub for _, sub, _ in NOT_COUNTED])
    assert len(decision.not_counted) == len(NOT_COUNTED)
    assert all(v.reason is not None for v in decision.not_counted)
    assert all(v.status is Status.IGNORED for v in decision.not_counted)


@pytest.mark.parametrize("who", [AUTHOR, PUSHER, Author("Runner-Person")])
def test_environment_approval_of_a_pull_request_is_never_self_approval(who: Author) -> None:
    # A reviewer of the run's environment who opened the pull request, or pushed its head, is
    # approving their own change: the environment source must not let them past the rule.
    binding = replace(BINDING, environment_bound=True)
    assert only_reason(run([env(who, APPROVE)], binding=binding)) == "self-approval"


DAVE, ERIN = Author("dave"), Author("erin")


@pytest.mark.parametrize(
    ("subs", "min_approvals", "looked_up", "approved"),
    [
        # one approval needed, alice's counts: bob's and carol's would change nothing
        (
            [comment(ALICE, APPROVE), comment(BOB, APPROVE), comment(CAROL, APPROVE)],
            1,
            ["alice"],
            True,
        ),
        # two needed: lookups go on until two are authorized (dave has no permission)
        (
            [
                comment(DAVE, APPROVE),
                comment(ALICE, APPROVE),
                comment(BOB, APPROVE),
                comment(CAROL, APPROVE),
            ],
            2,
            ["dave", "alice", "bob"],
            True,
        ),
        # nobody authorized: everyone is looked up, once
        (
            [comment(DAVE, APPROVE), comment(ERIN, APPROVE), comment(DAVE, APPROVE)],
            1,
            ["dave", "erin"],
            False,
        ),
        # a denial's author is always looked up, first, however many approvals came before
        (
            [comment(ALICE, APPROVE), comment(BOB, APPROVE), comment(CAROL, f"User denied: {OP}")],
            1,
            ["carol", "alice"],
            False,
        ),
        # an author who denied and approved is looked up once, for both
        (
            [comment(ALICE, f"User denied: {OP}"), comment(ALICE, APPROVE), comment(BOB, APPROVE)],
            1,
            ["alice"],
            False,
        ),
    ],
)
def test_only_the_lookups_the_decision_depends_on_are_made(
    subs: list[Submission], min_approvals: int, looked_up: list[str], approved: bool
) -> None:
    policy = Policy(operation=OP, min_approvals=min_approvals)
    screening = screen(subs, policy, BINDING)
    asked: list[str] = []

    def resolve(author: Author) -> Authorization:
        asked.append(author.login)
        return authorizations({author.key: author}, policy)[author.key]

    found = authorize_needed(screening, policy, resolve)
    decision = decide(screening, found, policy, BINDING)
    assert asked == looked_up
    assert decision.approved is approved
    skipped = [v for v in decision.lines if v.reason is not None and v.reason.code == "not-needed"]
    assert all(v.author not in looked_up for v in skipped)
    if approved:  # every line not looked up says why, not "could not establish"
        assert not [v for v in decision.lines if v.reason and v.reason.code == "unverified"]


def test_people_with_no_tie_to_the_repository_are_looked_up_last() -> None:
    """A crowd writing a token before the approvers costs nothing once they are found; the
    association only orders lookups: an outsider with write access still counts."""
    crowd = [Author(f"viewer{n}", association="NONE") for n in range(5)]
    subs = [comment(a, APPROVE) for a in crowd]
    subs += [comment(Author("alice", association="MEMBER"), APPROVE)]
    policy = Policy(operation=OP, min_approvals=1)
    screening = screen(subs, policy, BINDING)
    asked: list[str] = []

    def resolve(author: Author) -> Authorization:
        asked.append(author.login)
        return authorizations({author.key: author}, policy)[author.key]

    decision = decide(screening, authorize_needed(screening, policy, resolve), policy, BINDING)
    assert asked == ["alice"]
    assert decision.approved
    assert decision.approvers == ("alice",)
    # with nobody else, the outsiders are asked after all, and one with write access counts
    outsider = Author("bob", association="CONTRIBUTOR")
    screening = screen([comment(outsider, APPROVE)], policy, BINDING)
    assert decide(screening, authorize_needed(screening, policy, resolve), policy, BINDING).approved


UNKNOWN_PUSH = replace(BINDING, push=None)  # a fork, or no activity entry for the head


@pytest.mark.parametrize(
    ("denial", "binding"),
    [
        # the push is unknown, so "begun on an older head" cannot be told apart: it counts
        (review(BOB, f"User denied: {OP}", "CHANGES_REQUESTED", OLD, AFTER), UNKNOWN_PUSH),
        (review(BOB, f"User denied: {OP}", "COMMENTED", None, AFTER), UNKNOWN_PUSH),
        (comment(BOB, f"User denied: {OP}", created_at=BEFORE), UNKNOWN_PUSH),
        (comment(BOB, f"User denied: {OP}", created_at=None), BINDING),  # time unreadable
        # this run's deployment review denies this run's deployment, bound or not
        (env(BOB, f"User denied: {OP}", "approved"), replace(BINDING, environment_bound=False)),
        (env(BOB, f"User denied: {OP}", "rejected"), replace(BINDING, environment_bound=False)),
    ],
)
def test_denials_count_when_what_binds_them_is_unknown(
    denial: Submission, binding: Binding
) -> None:
    pinned = comment(ALICE, f"{APPROVE} @{SHA[:7]}")  # counts without a known push
    decision = run([pinned, denial], binding=binding)
    assert not decision.approved
    assert "denied" in [r.code for r in decision.reasons]


def test_the_runs_starter_never_approves_its_environment_deployment() -> None:
    binding = replace(BINDING, run_actor="alice", environment_bound=True)
    decision = run([env(ALICE, APPROVE, "approved")], binding=binding)
    assert not decision.approved
    assert only_reason(decision) == "self-approval"


# issue 19, item 6: everyone who pushed the change is excluded, not only the head's pusher
FRANK = Author("frank")  # may approve, but pushed the change before a bot pushed the head
PUSHED_BY_FRANK_THEN_A_BOT = replace(
    BINDING, push=Push(PUSHED, "format-bot[bot]"), pushers=("format-bot[bot]", "Frank")
)


@pytest.mark.parametrize(
    ("submission", "policy", "approved"),
    [
        (comment(FRANK, APPROVE), POLICY, False),  # the attack: laundered through a bot's push
        (review(FRANK, APPROVE), POLICY, False),
        (env(FRANK, f"{APPROVE} @{SHA}"), POLICY, False),
        (comment(FRANK, APPROVE), replace(POLICY, allow_self_approval=True), True),
        (comment(ALICE, APPROVE), POLICY, True),  # the bot's push excludes nobody else
    ],
)
def test_every_pusher_of_the_change_is_excluded(
    submission: Submission, policy: Policy, approved: bool
) -> None:
    decision = run([submission], policy, PUSHED_BY_FRANK_THEN_A_BOT, authz=None)
    assert decision.approved is approved
    if not approved:
        (line,) = decision.lines
        assert line.reason == Reason("self-approval", "frank pushed to the pull request's branch")


# issue 19, item 5: on a re-run the approvals listing holds earlier attempts' approvals too
RERUN = replace(BINDING, environment_bound=False, rerun=True)


@pytest.mark.parametrize(
    ("token", "expected"),
    [(APPROVE, "unbound"), (f"{APPROVE} @{SHA[:7]}", "short-pin"), (f"{APPROVE} @{SHA}", None)],
)
def test_a_rerun_counts_only_full_pins(token: str, expected: str | None) -> None:
    decision = run([env(ALICE, token)], binding=RERUN)
    assert decision.approved is (expected is None)
    if expected is not None:
        (line,) = decision.lines
        assert line.reason is not None
        assert line.reason.code == expected
        assert "this is a re-run" in line.reason.message
