"""Every input and output of the action, and the typed, validated inputs of each command.

Inputs come from ``INPUT_<NAME>`` (upper-cased, hyphens kept, exactly as the runner sets them) and
from ``--<name>`` flags; a flag wins. The runner sets every input that ``action.yml`` declares, with
its default, so an empty value means "the default". ``action.yml`` is checked against this registry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from applygate.core.approval import Source
from applygate.core.policy import MIN_PERMISSIONS, Approvers, GenericScope, Policy
from applygate.errors import UsageError

COMMANDS = ("approve",)


@dataclass(frozen=True)
class InputSpec:
    name: str
    description: str
    default: str = ""
    required: bool = False
    flag: bool = True  # secrets have no flag: they never go on a command line


@dataclass(frozen=True)
class OutputSpec:
    name: str
    description: str


INPUTS: tuple[InputSpec, ...] = (
    InputSpec("command", f"What to run: {', '.join(COMMANDS)}.", "approve", flag=False),
    InputSpec(
        "token",
        "GitHub token used to read the pull request, comments, reviews, approvals and permissions. "
        "Falls back to the GITHUB_TOKEN environment variable.",
        "${{ github.token }}",
        flag=False,
    ),
    InputSpec(
        "operation",
        "The exact operation an approval must name, e.g. 'terraform apply prod/vpc'.",
        required=True,
    ),
    InputSpec(
        "sources",
        "Comma list of where approvals are read: pr-comment, pr-review, environment. "
        "Empty: pr-comment and pr-review for pull request events, environment otherwise.",
    ),
    InputSpec(
        "approvers",
        "Comma or newline list of logins and org/team-slug entries allowed to approve. "
        "Empty: anyone with at least min-permission.",
    ),
    InputSpec(
        "min-permission",
        "Least repository permission of an approver: write, maintain or admin.",
        "write",
    ),
    InputSpec("min-approvals", "Distinct authorized people whose approval is required.", "1"),
    InputSpec(
        "allow-self-approval",
        "Let the pull request author, the pusher of the commit and the run's triggering actor "
        "approve.",
        "false",
    ),
    InputSpec(
        "generic-scope",
        "Generic scopes ('the changes', 'everything', ...): flag (count them, with a warning) "
        "or reject.",
        "flag",
    ),
    InputSpec("allow-forks", "Allow approving pull requests whose head is in a fork.", "false"),
    InputSpec(
        "pr-number",
        "Pull request to gate, for events that do not carry one (workflow_dispatch, push, ...).",
    ),
    InputSpec(
        "sha",
        "Commit the approval must be bound to. With a pull request, the decision is blocked unless "
        "this is still its head.",
    ),
)

OUTPUTS: tuple[OutputSpec, ...] = (
    OutputSpec("decision", "approved or blocked."),
    OutputSpec("sha", "The commit the decision is bound to: apply exactly this commit."),
    OutputSpec("pr-number", "The pull request the decision is about, if any."),
    OutputSpec("approvers", "Comma list of the people whose approvals counted."),
    OutputSpec("scope", "The scope that was approved."),
    OutputSpec("generic-scope", "true when a counted approval used a generic scope."),
    OutputSpec("reasons", "Why the decision is blocked, one 'code: message' per line."),
)

INPUT_NAMES = frozenset(spec.name for spec in INPUTS)
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?")
_TEAM = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*")


def read_raw(flags: Mapping[str, str | None], environ: Mapping[str, str]) -> dict[str, str]:
    """Each input's raw text: the flag if given, else ``INPUT_<NAME>``, else empty."""
    raw: dict[str, str] = {}
    for spec in INPUTS:
        flag = flags.get(spec.name)
        raw[spec.name] = flag if flag is not None else environ.get(f"INPUT_{spec.name.upper()}", "")
    return raw


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
        operation = " ".join(raw.get("operation", "").split())
        if not operation:
            raise UsageError("input operation is required: the exact operation to approve")
        policy = Policy(
            operation=operation,
            min_permission=_choice(raw, "min-permission", MIN_PERMISSIONS, "write"),
            min_approvals=_positive_int(raw, "min-approvals", 1),
            allow_self_approval=_boolean(raw, "allow-self-approval"),
            generic_scope=GenericScope(_choice(raw, "generic-scope", tuple(GenericScope), "flag")),
            approvers=_approvers(raw.get("approvers", "")),
        )
        pr = raw.get("pr-number", "").strip()
        return cls(
            token=raw.get("token", "").strip() or environ.get("GITHUB_TOKEN", "").strip(),
            policy=policy,
            sources=_sources(raw.get("sources", "")),
            allow_forks=_boolean(raw, "allow-forks"),
            pr_number=_positive_int(raw, "pr-number", 0) if pr else None,
            sha=_sha(raw.get("sha", "")),
        )


def _value(raw: Mapping[str, str], name: str, default: str) -> str:
    return raw.get(name, "").strip() or default


def _choice(raw: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = _value(raw, name, default)
    if value not in allowed:
        raise UsageError(f"invalid input {name}: {value!r} is not one of {', '.join(allowed)}")
    return value


def _positive_int(raw: Mapping[str, str], name: str, default: int) -> int:
    value = _value(raw, name, str(default))
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"invalid input {name}: {value!r} is not a positive integer")
    return int(value)


def _boolean(raw: Mapping[str, str], name: str) -> bool:
    value = _value(raw, name, "false").lower()
    if value not in ("true", "false"):
        raise UsageError(f"invalid input {name}: {value!r} is not true or false")
    return value == "true"


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
        elif _LOGIN.fullmatch(item):
            logins.add(item.casefold())
        else:
            raise UsageError(f"invalid input approvers: {item!r} is not a GitHub login")
    return Approvers(frozenset(logins), tuple(dict.fromkeys(teams)))


def _sha(text: str) -> str | None:
    value = text.strip().lower()
    if not value:
        return None
    if not _SHA.fullmatch(value):
        raise UsageError(f"invalid input sha: {text.strip()!r} is not a full commit SHA")
    return value
