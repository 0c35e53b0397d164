"""``applygate check-comment``'s answer: would this comment's lines count, and why.

Runs the same reading as ``approve`` (core/reading.py) and the same scope and pin rules
(core/token.py) over one body, before anyone posts it. Who wrote it and when cannot be known
from the text: the answer says so instead of guessing.

Pure: strings in, strings out.
"""

from __future__ import annotations

from dataclasses import dataclass

from applygate.core.policy import GenericScope
from applygate.core.reading import scan
from applygate.core.token import Kind, ScannedLine, ScopeMatch, match_scope


@dataclass(frozen=True)
class LineCheck:
    """One token-like line: would it count (as an approval, or as a denial that blocks)?"""

    line: int
    text: str
    kind: Kind
    counts: bool
    why: str


def check_comment(
    body: str, operation: str, sha: str | None, generic: GenericScope = GenericScope.FLAG
) -> list[LineCheck]:
    return [_check(scanned, operation, sha, generic) for scanned in scan(body)]


def approves(checks: list[LineCheck]) -> bool:
    """An approval of the operation counts and no denial of it does."""
    counted = {check.kind for check in checks if check.counts}
    return Kind.APPROVAL in counted and Kind.DENIAL not in counted


def render_check(checks: list[LineCheck], operation: str) -> str:
    rows = [f"operation: {operation}"]
    if not checks:
        rows.append("no line reads like an approval or a denial: nothing would count")
    for check in checks:
        verdict = "counts" if check.counts else "does not count"
        rows.append(f"line {check.line}: {check.kind.value} {verdict}: {check.why}")
        rows.append(f"    {check.text.strip()!r}")
    if approves(checks):
        rows.append(
            "verdict: an approval would count, if its author may approve and is not the pull "
            "request's author or a pusher of it, and it is written after the head was pushed"
        )
    elif any(c.counts for c in checks if c.kind is Kind.DENIAL):
        rows.append("verdict: blocked: a denial of this operation would count")
    else:
        rows.append(
            f"verdict: no approval would count; write on a line of its own: "
            f"User approved: {operation}"
        )
    return "\n".join(rows) + "\n"


def _check(
    scanned: ScannedLine, operation: str, sha: str | None, generic: GenericScope
) -> LineCheck:
    token = scanned.token

    def answer(counts: bool, why: str) -> LineCheck:
        return LineCheck(scanned.number, scanned.text, scanned.kind, counts, why)

    if token is None:
        assert scanned.rejection is not None  # noqa: S101 - a line without token has a reason
        return answer(False, scanned.rejection.message)
    if token.pin is not None and sha is None:
        if token.kind is Kind.DENIAL:  # it may block: failing closed, it does
            return answer(True, f"pinned to {token.pin}: blocks if that is the commit (give --sha)")
        return answer(False, f"pinned to {token.pin}: give --sha <commit> to check the pin")
    match = match_scope(token, operation, sha or "")
    denial = token.kind is Kind.DENIAL
    if match is ScopeMatch.PIN_MISMATCH:
        return answer(False, f"pinned to {token.pin}, not to {sha}")
    if match is ScopeMatch.MISMATCH:
        return answer(False, f"names '{token.scope}', not exactly the operation")
    if match is ScopeMatch.GENERIC:
        if denial or generic is GenericScope.FLAG:
            return answer(True, f"generic scope '{token.scope}': flagged, it names no operation")
        return answer(False, f"generic scope '{token.scope}' is rejected (generic-scope: reject)")
    return answer(
        True, "a denial of the operation: it blocks" if denial else "canonical, plain line"
    )
