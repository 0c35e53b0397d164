"""Deciding whether an operation is approved, over plain data.

Two pure phases around the only lookups that cost API requests:

1. ``screen`` reads every submission (comment, review, environment approval), keeps the token-like
   lines, and settles each one that can be settled without knowing who may approve: Markdown
   context, suspicious characters, edits, staleness, the commit a review was made on, scope, pins,
   bots and self-approval. What is left needs an authorization; ``Screening.authors`` names whose.
2. ``decide`` takes those authorizations and reaches the decision with a reason for everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from applygate.core.binding import Binding as Binding
from applygate.core.binding import Push as Push
from applygate.core.binding import Source as Source
from applygate.core.binding import Submission as Submission
from applygate.core.binding import self_approval, unbound
from applygate.core.policy import Author, Authorization, GenericScope, Policy
from applygate.core.reading import scan
from applygate.core.reasons import Reason
from applygate.core.token import Kind, ScannedLine, ScopeMatch, Token, match_scope


class Status(StrEnum):
    COUNTED = "counted"
    DENIED = "denied"
    IGNORED = "ignored"
    PENDING = "pending"


@dataclass(frozen=True, kw_only=True)
class LineVerdict:
    source: Source
    ref: str
    author: str | None
    line: int
    text: str
    kind: Kind
    status: Status
    reason: Reason | None = None
    generic: bool = False
    scope: str | None = None


@dataclass(frozen=True)
class Screening:
    verdicts: tuple[LineVerdict, ...]
    authors: Mapping[str, Author]
    rejections: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Decision:
    approved: bool
    operation: str
    sha: str
    pr_number: int | None
    approvers: tuple[str, ...] = ()
    scope: str = ""
    generic_scope: bool = False
    reasons: tuple[Reason, ...] = ()
    warnings: tuple[Reason, ...] = ()
    lines: tuple[LineVerdict, ...] = ()

    @property
    def not_counted(self) -> tuple[LineVerdict, ...]:
        return tuple(v for v in self.lines if v.status is Status.IGNORED)


def screen(submissions: Iterable[Submission], policy: Policy, binding: Binding) -> Screening:
    verdicts: list[LineVerdict] = []
    authors: dict[str, Author] = {}
    rejections: list[str] = []
    for sub in submissions:
        if sub.source is Source.ENVIRONMENT and sub.state == "rejected":
            rejections.append(sub.author.login if sub.author else "a deleted user")
        for scanned in scan(sub.body):
            verdict = _screen_line(sub, scanned, policy, binding)
            verdicts.append(verdict)
            if verdict.status is Status.PENDING and sub.author is not None:
                authors.setdefault(sub.author.key, sub.author)
    return Screening(tuple(verdicts), authors, tuple(rejections))


# author_association values of people who are neither owners, members nor collaborators.
OUTSIDERS = frozenset({"NONE", "CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR", "FIRST_TIMER", "MANNEQUIN"})


def authorize_needed(
    screening: Screening,
    policy: Policy,
    resolve: Callable[[Author], Authorization],
    first: str | None = None,
) -> dict[str, Authorization]:
    """The authorizations the decision depends on, asked of ``resolve`` (a lookup) in order:
    every author of a denial that could count, the author ``first`` (the run's trigger: whether
    it counts decides whether anything is decided), then authors of approvals only until
    ``min-approvals`` of them are authorized (owners, members and collaborators first). Further
    approvals change nothing, so their authors' permissions are never looked up: a pull request
    where many people wrote a token costs no more than the approvals it needs."""
    denying = {
        v.author.casefold()
        for v in screening.verdicts
        if v.status is Status.PENDING and v.kind is Kind.DENIAL and v.author is not None
    }
    approving = {
        v.author.casefold()
        for v in screening.verdicts
        if v.status is Status.PENDING and v.kind is Kind.APPROVAL and v.author is not None
    }
    found: dict[str, Authorization] = {}
    for key in (k for k in screening.authors if k in denying):
        found[key] = resolve(screening.authors[key])
    if first is not None and first in screening.authors and first not in found:
        found[first] = resolve(screening.authors[first])
    allowed = sum(1 for key, auth in found.items() if auth.allowed and key in approving)
    others = [k for k in screening.authors if k not in found]
    # people GitHub says have no tie to the repository (author_association NONE, CONTRIBUTOR, ...)
    # are asked about last: they rarely have write access, and a crowd of them writing a token
    # before the approvers would otherwise cost a lookup each
    others.sort(key=lambda k: screening.authors[k].association in OUTSIDERS)
    for key in others:
        if allowed >= policy.min_approvals:
            break
        found[key] = resolve(screening.authors[key])
        allowed += found[key].allowed
    return found


def decide(
    screening: Screening,
    authorizations: Mapping[str, Authorization],
    policy: Policy,
    binding: Binding,
    warnings: Sequence[Reason] = (),
) -> Decision:
    settled: list[LineVerdict] = []
    counted: dict[str, LineVerdict] = {}
    denied_by: dict[str, str] = {}
    for verdict in screening.verdicts:
        if verdict.status is Status.PENDING:
            verdict = _settle(verdict, authorizations, counted)
            if verdict.status is Status.COUNTED and verdict.author is not None:
                counted.setdefault(verdict.author.casefold(), verdict)
        if verdict.status is Status.DENIED and verdict.author is not None:
            denied_by.setdefault(verdict.author.casefold(), verdict.author)
        settled.append(verdict)
    if len(counted) >= policy.min_approvals:  # an approval never looked up: it was not needed
        settled = [_not_needed(v, policy) for v in settled]

    reasons: list[Reason] = []
    for login in screening.rejections:
        reasons.append(Reason("environment-rejected", f"{login} rejected the deployment review"))
    for login in denied_by.values():
        reasons.append(Reason("denied", f"{login} denied this operation"))
    if len(counted) < policy.min_approvals:
        reasons.append(
            Reason(
                "insufficient-approvals",
                f"{len(counted)} of {policy.min_approvals} required approvals from distinct "
                f"authorized people for '{policy.operation}' at {binding.sha[:12]}",
            )
        )
    generic = any(v.generic for v in counted.values())
    all_warnings = list(warnings)
    if generic:
        all_warnings.append(
            Reason(
                "generic-scope", "approved with a generic scope that does not name the operation"
            )
        )
    exact = [v.scope for v in counted.values() if not v.generic and v.scope]
    scope = exact[0] if exact else next((v.scope or "" for v in counted.values()), "")
    return Decision(
        approved=not reasons,
        operation=policy.operation,
        sha=binding.sha,
        pr_number=binding.pr_number,
        approvers=tuple(v.author or "" for v in counted.values()),
        scope=scope,
        generic_scope=generic,
        reasons=tuple(reasons),
        warnings=tuple(all_warnings),
        lines=tuple(settled),
    )


def blocked(policy: Policy, binding: Binding, reason: Reason, *more: Reason) -> Decision:
    """A decision reached before any approval was read: blocked, with the reason."""
    return Decision(
        approved=False,
        operation=policy.operation,
        sha=binding.sha,
        pr_number=binding.pr_number,
        reasons=(reason, *more),
    )


def block(decision: Decision, reason: Reason) -> Decision:
    """The same decision, blocked for one more reason (e.g. the head moved while deciding)."""
    return replace(decision, approved=False, reasons=(*decision.reasons, reason))


def _not_needed(verdict: LineVerdict, policy: Policy) -> LineVerdict:
    if verdict.reason is None or verdict.reason.code != "unverified":
        return verdict
    why = f"not looked up: {policy.min_approvals} required approval(s) already counted"
    return replace(verdict, reason=Reason("not-needed", why))


def _settle(
    verdict: LineVerdict, authorizations: Mapping[str, Authorization], counted: Mapping[str, object]
) -> LineVerdict:
    assert verdict.author is not None  # noqa: S101 - screen() only leaves authored lines pending
    auth = authorizations.get(verdict.author.casefold())
    if auth is None:
        reason = Reason("unverified", f"could not establish whether {verdict.author} may approve")
        return replace(verdict, status=Status.IGNORED, reason=reason)
    if verdict.kind is Kind.DENIAL:
        if auth.allowed:
            return replace(verdict, status=Status.DENIED)
        assert auth.reason is not None  # noqa: S101 - a refusal always carries its reason
        why = Reason("denial-not-entitled", f"denial does not count: {auth.reason.message}")
        return replace(verdict, status=Status.IGNORED, reason=why)
    if not auth.allowed:
        return replace(verdict, status=Status.IGNORED, reason=auth.reason)
    if verdict.author.casefold() in counted:
        reason = Reason("duplicate", f"{verdict.author} is already counted once")
        return replace(verdict, status=Status.IGNORED, reason=reason)
    return replace(verdict, status=Status.COUNTED)


def _screen_line(
    sub: Submission, scanned: ScannedLine, policy: Policy, binding: Binding
) -> LineVerdict:
    verdict = LineVerdict(
        source=sub.source,
        ref=sub.ref,
        author=sub.author.login if sub.author else None,
        line=scanned.number,
        text=scanned.text,
        kind=scanned.kind,
        status=Status.PENDING,
    )
    token = scanned.token
    if token is None:
        return replace(verdict, status=Status.IGNORED, reason=scanned.rejection)
    verdict = replace(verdict, scope=token.scope)
    why = unbound(sub, token, binding) or _scope_problem(token, policy, binding)
    if why is None and sub.author is None:
        why = Reason("deleted-user", "the author's account no longer exists")
    if why is not None:
        return replace(verdict, status=Status.IGNORED, reason=why)
    generic = match_scope(token, policy.operation, binding.sha) is ScopeMatch.GENERIC
    verdict = replace(verdict, generic=generic)
    assert sub.author is not None  # noqa: S101 - checked just above
    if token.kind is Kind.DENIAL:
        if binding.pr_author is not None and sub.author.key == binding.pr_author.casefold():
            return replace(verdict, status=Status.DENIED)
        return verdict
    self_reason = self_approval(sub, binding)
    if self_reason is not None and not policy.allow_self_approval:
        return replace(verdict, status=Status.IGNORED, reason=self_reason)
    return verdict


def _scope_problem(token: Token, policy: Policy, binding: Binding) -> Reason | None:
    match = match_scope(token, policy.operation, binding.sha)
    if match is ScopeMatch.PIN_MISMATCH:
        return Reason(
            "pin-mismatch", f"pinned to {token.pin}, but the commit is {binding.sha[:12]}"
        )
    if match is ScopeMatch.MISMATCH:
        return Reason(
            "scope-mismatch",
            f"names '{token.scope}', not exactly the operation '{policy.operation}'",
        )
    if (
        match is ScopeMatch.GENERIC
        and token.kind is Kind.APPROVAL
        and policy.generic_scope is GenericScope.REJECT
    ):
        return Reason("generic-rejected", f"generic scope '{token.scope}' is rejected by policy")
    return None
