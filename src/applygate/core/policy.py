"""Who may approve: the policy and the authorization of one person, decided step by step.

``authorize`` is a small pure state machine. Given what is known about a person it either answers
or names the one fact it still needs (a permission, a team membership); the GitHub adapter fetches
exactly that and asks again. No lookup is made that the answer does not depend on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from applygate.core.reasons import Reason

PERMISSION_RANK: Mapping[str, int] = MappingProxyType(
    {"none": 0, "read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}
)
MIN_PERMISSIONS = ("write", "maintain", "admin")
# A GitHub login as GitHub allows one (a GitHub App's bot user ends in "[bot]").
LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?")


class GenericScope(StrEnum):
    FLAG = "flag"
    REJECT = "reject"


@dataclass(frozen=True)
class Author:
    login: str
    is_bot: bool = False
    # GitHub's author_association of the comment or review (OWNER, MEMBER, COLLABORATOR, NONE,
    # ...): a hint for the order of lookups, never a reason to count or refuse ("" unknown)
    association: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        return self.login.casefold()


@dataclass(frozen=True)
class Approvers:
    """The ``approvers`` input: logins (case-folded) and ``org/team-slug`` entries."""

    logins: frozenset[str] = frozenset()
    teams: tuple[str, ...] = ()

    @property
    def restricted(self) -> bool:
        return bool(self.logins or self.teams)


@dataclass(frozen=True, kw_only=True)
class Policy:
    operation: str
    min_permission: str = "write"
    min_approvals: int = 1
    allow_self_approval: bool = False
    generic_scope: GenericScope = GenericScope.FLAG
    approvers: Approvers = field(default_factory=Approvers)


@dataclass(frozen=True)
class PermissionFact:
    """A collaborator permission as GitHub reports it; ``none`` for unknown users and 404s."""

    permission: str
    role_name: str | None = None


NO_PERMISSION = PermissionFact("none", None)


@dataclass(frozen=True)
class AuthFacts:
    permission: PermissionFact | None = None
    teams: Mapping[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class NeedPermission:
    login: str


@dataclass(frozen=True)
class NeedTeam:
    login: str
    team: str

    @property
    def org(self) -> str:
        return self.team.split("/", 1)[0]

    @property
    def slug(self) -> str:
        return self.team.split("/", 1)[1]


@dataclass(frozen=True)
class Authorization:
    login: str
    allowed: bool
    reason: Reason | None = None
    via: str | None = None


def effective_permission(fact: PermissionFact) -> str:
    """The higher of the legacy permission and the role name (which alone says ``maintain``).

    Custom role names are not ranked: their legacy base permission is what counts.
    """
    candidates = [fact.permission, fact.role_name or "none"]
    return max(candidates, key=lambda name: PERMISSION_RANK.get(name, 0))


def authorize(
    author: Author, facts: AuthFacts, policy: Policy
) -> NeedPermission | NeedTeam | Authorization:
    """Whether ``author`` may approve under ``policy``, or the next fact needed to say."""
    login = author.login
    listed = author.key in policy.approvers.logins
    if author.is_bot:
        if listed:
            return Authorization(login, True, via="listed in approvers")
        return Authorization(
            login, False, Reason("bot", f"{login} is a bot not listed in approvers")
        )
    if policy.approvers.restricted and not listed and not policy.approvers.teams:
        return Authorization(login, False, _not_listed(login, policy))
    if facts.permission is None:
        return NeedPermission(login)
    have = effective_permission(facts.permission)
    if PERMISSION_RANK.get(have, 0) < PERMISSION_RANK[policy.min_permission]:
        reason = Reason(
            "insufficient-permission",
            f"{login} has {have} permission; {policy.min_permission} is required",
        )
        return Authorization(login, False, reason)
    if not policy.approvers.restricted:
        return Authorization(login, True, via=f"{have} permission")
    if listed:
        return Authorization(login, True, via="listed in approvers")
    for team in policy.approvers.teams:
        if team not in facts.teams:
            return NeedTeam(login, team)
        if facts.teams[team]:
            return Authorization(login, True, via=f"member of {team}")
    return Authorization(login, False, _not_listed(login, policy))


def _not_listed(login: str, policy: Policy) -> Reason:
    teams = ", ".join(policy.approvers.teams)
    where = f"not listed in approvers nor an active member of {teams}" if teams else "not listed"
    return Reason("not-an-approver", f"{login} is {where}")
