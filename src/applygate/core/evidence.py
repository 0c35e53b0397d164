"""The approval evidence, as plain data: one entry per counted approval, in a compact machine
form that ``approve`` writes (output ``approval-evidence``) and ``execute`` reads back (input
``approval-evidence``) to name in the deployment it records.

An entry is ``{"source", "login", "ref", "sha"}``: where the approval was read (pr-comment,
pr-review, environment), who gave it, the comment or review URL (or what GitHub let us name:
``comment 12``, ``run 7 environment production``) and the commit it was bound to. The text is
checked as strictly as it is written: anything else (not JSON, another shape, a field too long
for a deployment's payload) is an ``EvidenceError`` saying what, never echoing a value (the
error is printed before any secret is masked, and a value may be one).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace

from applygate.core.approval import Decision, Status
from applygate.core.binding import Source
from applygate.core.policy import LOGIN
from applygate.core.subject import is_full_sha

MAX_ENTRIES = 25  # more approvals than any policy asks for; keeps the deployment payload small
MAX_REF = 256  # a comment or review URL is well under it
FIELDS = ("source", "login", "ref", "sha")


class EvidenceError(ValueError):
    """The evidence text is not what ``approve`` writes; the message says why."""


@dataclass(frozen=True, kw_only=True)
class Evidence:
    source: Source
    login: str
    ref: str  # the comment or review URL, or GitHub's name for it
    sha: str  # the commit the approval was bound to


def of_decision(decision: Decision) -> tuple[Evidence, ...]:
    """One entry per counted approval (the lines whose authors are the decision's approvers)."""
    return tuple(
        Evidence(source=line.source, login=line.author, ref=line.ref, sha=decision.sha)
        for line in decision.lines
        if line.status is Status.COUNTED and line.author is not None
    )


def render(evidence: Iterable[Evidence]) -> str:
    """The compact JSON list (no spaces): one action output line."""
    return json.dumps(as_payload(evidence), separators=(",", ":"), ensure_ascii=False)


def as_payload(evidence: Iterable[Evidence]) -> list[dict[str, str]]:
    """Each entry as the JSON object it is written as (the deployment's payload holds these)."""
    return [{**asdict(entry), "source": str(entry.source)} for entry in evidence]


def parse(text: str) -> tuple[Evidence, ...]:
    """The evidence ``render`` wrote; empty text is no evidence (an empty tuple)."""
    if not text.strip():
        return ()
    try:
        loaded = json.loads(text)
    except ValueError as error:
        raise EvidenceError(f"not JSON ({error})") from None
    if not isinstance(loaded, list):
        raise EvidenceError(f"a JSON list of approvals is expected, not {type(loaded).__name__}")
    if len(loaded) > MAX_ENTRIES:
        raise EvidenceError(f"{len(loaded)} entries: at most {MAX_ENTRIES}")
    return tuple(_entry(number, item) for number, item in enumerate(loaded, 1))


def _entry(number: int, item: object) -> Evidence:
    where = f"entry {number}"
    if not isinstance(item, dict) or set(item) != set(FIELDS):
        raise EvidenceError(f"{where}: an object with exactly {', '.join(FIELDS)} is expected")
    values = {name: item[name] for name in FIELDS}
    if not all(isinstance(value, str) for value in values.values()):
        raise EvidenceError(f"{where}: every field is a string")
    source, login, ref, sha = (str(values[name]) for name in FIELDS)
    if source not in {str(known) for known in Source}:
        raise EvidenceError(f"{where}: source is not one of {_sources()}")
    if not LOGIN.fullmatch(login):
        raise EvidenceError(f"{where}: login is not a GitHub login")
    if len(ref) > MAX_REF or not ref.isprintable():
        raise EvidenceError(f"{where}: ref is not one printable line of at most {MAX_REF}")
    if not is_full_sha(sha):
        raise EvidenceError(f"{where}: sha is not a full commit sha")
    return Evidence(source=Source(source), login=login, ref=ref, sha=sha)


def redacted(evidence: Iterable[Evidence], redact: Callable[[str], str]) -> tuple[Evidence, ...]:
    """The evidence with secrets taken out of its free text (a ``ref`` is any printable line):
    the deployment's payload is readable by anyone who can read the repository."""
    return tuple(replace(entry, ref=redact(entry.ref)) for entry in evidence)


def unbound(evidence: Iterable[Evidence], commit: str) -> tuple[str, ...]:
    """Why the run must not go on: evidence bound to a commit other than the one the checklist
    proved is about to be applied (the approval was for something else, or the workflow passes
    one job's evidence and another's sha). Empty when it all names ``commit``."""
    other = sorted({entry.sha for entry in evidence if entry.sha != commit})
    if not other:
        return ()
    named = ", ".join(sha[:12] for sha in other)
    return (
        f"approval-evidence: the approvals are bound to {named}, not to the commit applied, "
        f"{commit[:12]}: pass approve's sha and evidence from the same run",
    )


def _sources() -> str:
    return ", ".join(str(source) for source in Source)
