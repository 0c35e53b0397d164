"""The red-team table of docs/token.md is a test: every example is run through check-comment's
core and must get the verdict the table gives (counts, blocks, or the reason it does not count)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from applygate.core.comment_check import LineCheck, approves, check_comment
from applygate.core.token import Kind

PAGE = (Path(__file__).resolve().parents[1] / "docs" / "token.md").read_text()
OP = "terraform apply prod/vpc"
# the reason a row names -> words the reported reason must contain
REASONS = {
    "quoted": "block quote",
    "code": "code",
    "markup": "markup",
    "comment": "HTML comment",
    "details": "<details>",
    "div": "<div>",
    "table": "table",
    "struck": "struck",
    "list item": "list item",
    "heading": "heading",
    "not as written": "not shown as written",
    "footnote": "footnote",
    "homoglyph": "look-alike",
    "zero-width": "zero-width",
    "bidi": "bidirectional",
    "unicode space": "not a plain space",
    "not canonical": "not canonical",
    "scope": "not exactly the operation",
}


def rows() -> list[tuple[str, str, str]]:
    table = PAGE.split("| Attempt | Example | Verdict |\n|---|---|---|\n", 1)[1]
    table = table.split("\n\n", 1)[0]
    found = []
    for line in table.splitlines():
        cells = re.fullmatch(r"\| (.+?) \| (`+)(.+?)\2(?: \(.*?\))? \| (.+?) \|", line)
        assert cells is not None, line
        found.append((cells.group(1), _unescape(_code_span(cells.group(3))), cells.group(4)))
    return found


def _code_span(text: str) -> str:
    """A code span's content as CommonMark reads it: one space stripped from each end when
    both ends have one (so that a span may start or end with a backtick)."""
    if len(text) > 2 and text[0] == text[-1] == " " and text.strip(" "):
        return text[1:-1]
    return text


def _unescape(example: str) -> str:
    text = example.replace("\\|", "|").replace("⏎", "\n").replace("␍", "\r").replace("⇥", "\t")
    return re.sub(r"\{U\+([0-9A-F]{4})\}", lambda m: chr(int(m.group(1), 16)), text)


ROWS = rows()


def test_the_table_covers_every_class_of_attempt() -> None:
    assert len(ROWS) >= 30
    verdicts = {verdict.split(":")[0] for _, _, verdict in ROWS}
    assert verdicts == {"counts", "not counted", "blocks", "ignored"}


@pytest.mark.parametrize(("example", "verdict"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_red_team_row(example: str, verdict: str) -> None:
    checks = check_comment(example, OP, None)
    kind, _, reason = verdict.partition(": ")
    if kind == "counts":
        assert approves(checks), checks
    elif kind == "blocks":
        assert _denials(checks) and all(c.counts for c in _denials(checks)), checks
    elif kind == "ignored":
        assert _denials(checks) and not any(c.counts for c in _denials(checks)), checks
    else:
        assert not approves(checks)
        [line] = [c for c in checks if c.kind is Kind.APPROVAL]
        assert not line.counts
        assert REASONS[reason].casefold() in line.why.casefold(), line.why


def _denials(checks: list[LineCheck]) -> list[LineCheck]:
    return [c for c in checks if c.kind is Kind.DENIAL]
