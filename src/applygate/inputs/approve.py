"""The typed, validated inputs of ``applygate approve``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from applygate.core.approval import Source
from applygate.core.policy import LOGIN, MIN_PERMISSIONS, Approvers, GenericScope, Policy
from applygate.errors import UsageError
from applygate.inputs.fields import boolean, choice, parse_sha, positive_int, token
from applygate.inputs.fields import operation as operation_input

_TEAM = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True, kw_only=True)
class ApproveInputs:
    token: str = field(repr=False)
    policy: Policy
    sources: tuple[Source, ...] | None
    allow_forks: bool
    pr_number: int | None
    sha: str | None

    @classmethod
    def from_raw(cls, raw: Mapping[str, str], environ: Mapping[str, str]) -> ApproveInputs:
        operation = operation_input(raw)
        if not operation:
            raise UsageError("input operation is required: the exact operation to approve")
        policy = Policy(
            operation=operation,
            min_permission=choice(raw, "min-permission", MIN_PERMISSIONS, "write"),
            min_approvals=positive_int(raw, "min-approvals", 1),
            allow_self_approval=boolean(raw, "allow-self-approval"),
            generic_scope=GenericScope(choice(raw, "generic-scope", tuple(GenericScope), "flag")),
            approvers=_approvers(raw.get("approvers", "")),
        )
        pr = raw.get("pr-number", "").strip()
        return cls(
            token=token(raw, environ),
            policy=policy,
            sources=_sources(raw.get("sources", "")),
            allow_forks=boolean(raw, "allow-forks"),
            pr_number=positive_int(raw, "pr-number", 0) if pr else None,
            sha=parse_sha(raw.get("sha", "")),
        )


def _sources(text: str) -> tuple[Source, ...] | None:
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        return None
    allowed = [source.value for source in Source]
    for name in names:
        if name not in allowed:
            raise UsageError(f"invalid input sources: {name!r} is not one of {', '.join(allowed)}")
    return tuple(dict.fromkeys(Source(name) for name in names))


def _approvers(text: str) -> Approvers:
    logins: set[str] = set()
    teams: list[str] = []
    for entry in re.split(r"[,\n]", text):
        item = entry.strip().removeprefix("@")
        if not item:
            continue
        if "/" in item:
            if not _TEAM.fullmatch(item):
                raise UsageError(f"invalid input approvers: {item!r} is not an org/team-slug")
            teams.append(item.casefold())
        elif LOGIN.fullmatch(item):
            logins.add(item.casefold())
        else:
            raise UsageError(f"invalid input approvers: {item!r} is not a GitHub login")
    return Approvers(frozenset(logins), tuple(dict.fromkeys(teams)))
