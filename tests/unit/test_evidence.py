"""The approval evidence approve writes and execute reads back, as tables over plain data."""

from __future__ import annotations

import json
import re

import pytest

from applygate.core.approval import Decision, LineVerdict, Source, Status
from applygate.core.evidence import (
    MAX_ENTRIES,
    Evidence,
    EvidenceError,
    as_payload,
    of_decision,
    parse,
    render,
    unbound,
)
from applygate.core.reasons import Reason
from applygate.core.report import outputs, skipped_outputs
from applygate.core.token import Kind

SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
URL = "https://github.com/octo/hello/pull/7#issuecomment-1"


def line(author: str | None, status: Status, source: Source = Source.PR_COMMENT) -> LineVerdict:
    return LineVerdict(
        source=source,
        ref=f"{URL}-{author}",
        author=author,
        line=1,
        text="User approved: terraform apply prod/vpc",
        kind=Kind.APPROVAL,
        status=status,
        reason=None if status is Status.COUNTED else Reason("duplicate", "counted once"),
    )


def decision(*lines: LineVerdict) -> Decision:
    return Decision(approved=True, operation="op", sha=SHA, pr_number=7, lines=lines)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ((), ()),
        (
            (line("alice", Status.COUNTED),),
            (Evidence(source=Source.PR_COMMENT, login="alice", ref=f"{URL}-alice", sha=SHA),),
        ),
        # only counted lines: an ignored or denied line, a deleted user's line, are no evidence
        ((line("bob", Status.IGNORED), line(None, Status.COUNTED)), ()),
        (
            (
                line("alice", Status.COUNTED, Source.PR_REVIEW),
                line("alice", Status.IGNORED),
                line("carol", Status.COUNTED, Source.ENVIRONMENT),
            ),
            (
                Evidence(source=Source.PR_REVIEW, login="alice", ref=f"{URL}-alice", sha=SHA),
                Evidence(source=Source.ENVIRONMENT, login="carol", ref=f"{URL}-carol", sha=SHA),
            ),
        ),
    ],
)
def test_one_entry_per_counted_approval(
    lines: tuple[LineVerdict, ...], expected: tuple[Evidence, ...]
) -> None:
    assert of_decision(decision(*lines)) == expected


def test_the_output_is_compact_json_that_parses_back() -> None:
    found = of_decision(decision(line("alice", Status.COUNTED), line("bob", Status.COUNTED)))
    text = outputs(decision(line("alice", Status.COUNTED), line("bob", Status.COUNTED)))
    written = text["approval-evidence"]
    assert " " not in written and "\n" not in written
    assert json.loads(written)[0] == {
        "source": "pr-comment",
        "login": "alice",
        "ref": f"{URL}-alice",
        "sha": SHA,
    }
    assert parse(written) == found
    assert as_payload(found) == json.loads(render(found))


def test_a_skipped_decision_has_no_evidence() -> None:
    assert skipped_outputs()["approval-evidence"] == "[]"


GOOD = {"source": "pr-review", "login": "alice", "ref": URL, "sha": SHA}


@pytest.mark.parametrize("text", ["", "  ", "[]", "\n[]\n"])
def test_no_evidence(text: str) -> None:
    assert parse(text) == ()


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("[{", "not JSON"),
        ("{}", "a JSON list of approvals is expected, not dict"),
        ('"alice"', "a JSON list of approvals is expected, not str"),
        ("[1]", "entry 1: an object with exactly source, login, ref, sha"),
        ([{**GOOD, "extra": "x"}], "entry 1: an object with exactly"),
        ([{k: v for k, v in GOOD.items() if k != "sha"}], "entry 1: an object with exactly"),
        ([GOOD, {**GOOD, "login": 7}], "entry 2: every field is a string"),
        ([{**GOOD, "source": "slack"}], "entry 1: source is not one of pr-comment"),
        ([{**GOOD, "login": "al ice"}], "entry 1: login is not a GitHub login"),
        ([{**GOOD, "ref": "a\nb"}], "entry 1: ref is not one printable line"),
        ([{**GOOD, "ref": "x" * 257}], "entry 1: ref is not one printable line"),
        ([{**GOOD, "sha": SHA[:12]}], "entry 1: sha is not a full commit sha"),
        ([{**GOOD, "sha": SHA.upper()}], "is not a full commit sha"),
        ([GOOD] * (MAX_ENTRIES + 1), f"26 entries: at most {MAX_ENTRIES}"),
    ],
)
def test_anything_else_is_refused_with_the_reason(value: object, why: str) -> None:
    text = value if isinstance(value, str) else json.dumps(value)
    with pytest.raises(EvidenceError, match=re.escape(why)):
        parse(text)


def test_the_most_evidence_accepted() -> None:
    assert len(parse(json.dumps([GOOD] * MAX_ENTRIES))) == MAX_ENTRIES


A, B = "a" * 40, "b" * 40


@pytest.mark.parametrize(
    ("shas", "stops"),
    [
        ((), False),  # no evidence: nothing to compare
        ((A,), False),
        ((A, A), False),
        ((B,), True),  # bound to another commit: the approval was for something else
        ((A, B), True),  # one entry is enough to stop
    ],
)
def test_evidence_bound_to_another_commit_stops_the_run(shas: tuple[str, ...], stops: bool) -> None:
    entries = [Evidence(source=Source.PR_COMMENT, login="alice", ref="r", sha=s) for s in shas]
    why = unbound(entries, A)
    assert bool(why) is stops
    if stops:
        assert why == (
            f"approval-evidence: the approvals are bound to {B[:12]}, not to the commit applied, "
            f"{A[:12]}: pass approve's sha and evidence from the same run",
        )
