"""The authorization state machine: answers, or names the one fact it still needs."""

from __future__ import annotations

import pytest

from applygate.core.policy import (
    NO_PERMISSION,
    Approvers,
    AuthFacts,
    Author,
    Authorization,
    NeedPermission,
    NeedTeam,
    PermissionFact,
    Policy,
    authorize,
    effective_permission,
)

OP = "terraform apply prod/vpc"
OPEN = Policy(operation=OP)
LISTED = Policy(operation=OP, approvers=Approvers(frozenset({"alice"})))
TEAMS = Policy(operation=OP, approvers=Approvers(frozenset({"alice"}), ("acme/sre", "acme/leads")))
WRITE = PermissionFact("write", "write")


@pytest.mark.parametrize(
    ("fact", "expected"),
    [
        (PermissionFact("admin", "admin"), "admin"),
        (PermissionFact("write", "maintain"), "maintain"),
        (PermissionFact("read", "triage"), "triage"),
        (PermissionFact("write", "custom-deployer"), "write"),
        (PermissionFact("none", None), "none"),
    ],
)
def test_effective_permission(fact: PermissionFact, expected: str) -> None:
    assert effective_permission(fact) == expected


@pytest.mark.parametrize(
    ("min_permission", "fact", "allowed"),
    [
        ("write", WRITE, True),
        ("write", PermissionFact("read", "read"), False),
        ("write", PermissionFact("read", "triage"), False),
        ("write", NO_PERMISSION, False),
        ("maintain", WRITE, False),
        ("maintain", PermissionFact("write", "maintain"), True),
        ("maintain", PermissionFact("admin", "admin"), True),
        ("admin", PermissionFact("write", "maintain"), False),
        ("write", PermissionFact("write", "custom-deployer"), True),
    ],
)
def test_min_permission(min_permission: str, fact: PermissionFact, allowed: bool) -> None:
    policy = Policy(operation=OP, min_permission=min_permission)
    step = authorize(Author("alice"), AuthFacts(permission=fact), policy)
    assert isinstance(step, Authorization)
    assert step.allowed is allowed
    if not allowed:
        assert step.reason is not None and step.reason.code == "insufficient-permission"


def test_asks_for_the_permission_first() -> None:
    assert authorize(Author("alice"), AuthFacts(), OPEN) == NeedPermission("alice")


def test_unlisted_person_is_refused_without_any_lookup() -> None:
    step = authorize(Author("mallory"), AuthFacts(), LISTED)
    assert isinstance(step, Authorization)
    assert not step.allowed
    assert step.reason is not None and step.reason.code == "not-an-approver"


def test_listed_person_still_needs_the_permission() -> None:
    assert authorize(Author("Alice"), AuthFacts(), LISTED) == NeedPermission("Alice")
    step = authorize(Author("Alice"), AuthFacts(permission=PermissionFact("read")), LISTED)
    assert isinstance(step, Authorization) and not step.allowed


def test_teams_are_asked_one_at_a_time_until_one_answers_yes() -> None:
    bob = Author("bob")
    facts = AuthFacts(permission=WRITE)
    assert authorize(bob, facts, TEAMS) == NeedTeam("bob", "acme/sre")
    facts = AuthFacts(permission=WRITE, teams={"acme/sre": False})
    step = authorize(bob, facts, TEAMS)
    assert step == NeedTeam("bob", "acme/leads")
    assert (NeedTeam("bob", "acme/leads").org, NeedTeam("bob", "acme/leads").slug) == (
        "acme",
        "leads",
    )
    yes = authorize(bob, AuthFacts(permission=WRITE, teams={"acme/sre": True}), TEAMS)
    assert yes == Authorization("bob", True, via="member of acme/sre")
    no = authorize(
        bob, AuthFacts(permission=WRITE, teams={"acme/sre": False, "acme/leads": False}), TEAMS
    )
    assert isinstance(no, Authorization) and not no.allowed


def test_no_team_lookup_when_permission_is_insufficient() -> None:
    step = authorize(Author("bob"), AuthFacts(permission=NO_PERMISSION), TEAMS)
    assert isinstance(step, Authorization) and not step.allowed


@pytest.mark.parametrize(
    ("policy", "allowed"),
    [(OPEN, False), (Policy(operation=OP, approvers=Approvers(frozenset({"ci[bot]"}))), True)],
)
def test_bots_count_only_when_listed(policy: Policy, allowed: bool) -> None:
    step = authorize(Author("ci[bot]", is_bot=True), AuthFacts(), policy)
    assert isinstance(step, Authorization)
    assert step.allowed is allowed
