"""Every relative link and anchor in README.md and docs/*.md leads somewhere: the file exists, and
an anchor names a heading of that file as GitHub slugs it (lowercase, spaces to '-', punctuation
dropped but '-' and '_', the second of two equal headings '-1', the third '-2')."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

_FENCE = re.compile(r"^ {0,3}(```+|~~~+)[^\n]*\n.*?^ {0,3}\1[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(([^()\s]+)\)")
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$", re.M)


def prose(markdown: str) -> str:
    """The text without fenced blocks (their '#' lines are no headings, their brackets no links)."""
    return _FENCE.sub("", markdown)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading's text: the rendered text (code spans and link targets
    gone), lowercased, every character but letters, digits, spaces, '-' and '_' dropped, spaces
    made '-'."""
    text = _LINK.sub(r"\1", heading).replace("`", "")
    text = re.sub(r"\*\*|(?<!\w)\*|\*(?!\w)", "", text).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    for _, text in _HEADING.findall(prose(markdown)):
        base = slug(text)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(markdown: str) -> Iterator[str]:
    """The targets of the inline links outside code."""
    text = _CODE_SPAN.sub("", prose(markdown))
    for _, target in _LINK.findall(text):
        yield target


def broken(page: Path) -> list[str]:
    problems = []
    for target in links(page.read_text()):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:: not ours to resolve
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            problems.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked.read_text()):
            problems.append(f"{target}: no such heading in {linked.name}")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_relative_link_and_anchor_resolves(page: Path) -> None:
    assert broken(page) == []


def test_the_docs_pages_are_found() -> None:
    assert len(PAGES) >= 12


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        (
            "Before applying: `preflight` and `fingerprint`",
            "before-applying-preflight-and-fingerprint",
        ),
        ("Where each trigger's workflow comes from", "where-each-triggers-workflow-comes-from"),
        ("Exit codes: 0, 1, 2", "exit-codes-0-1-2"),
        ("`PLAN_STATUS: BLOCKED`", "plan_status-blocked"),
        ("What a [commit status](x.md) can prove", "what-a-commit-status-can-prove"),
        ("**Bold** and *emphasis*", "bold-and-emphasis"),
    ],
)
def test_slug_is_githubs(heading: str, anchor: str) -> None:
    assert slug(heading) == anchor


def test_duplicate_headings_are_numbered() -> None:
    assert anchors("# A\n\n## A\n\n### A\n") == {"a", "a-1", "a-2"}


def test_a_heading_in_a_fence_is_no_heading_and_a_link_in_code_no_link() -> None:
    page = "```yaml\n# not-a-heading\n```\n\n`[x](gone.md)` and [y](#not-a-heading)\n"
    assert anchors(page) == set()
    assert list(links(page)) == ["#not-a-heading"]


def test_a_broken_link_and_a_broken_anchor_are_reported(tmp_path: Path) -> None:
    page = ROOT / "docs" / "token.md"
    sample = tmp_path / "page.md"
    sample.write_text(
        f"# Here\n\n[ok](#here) [gone](missing.md) [file ok]({page}) "
        f"[bad anchor]({page}#no-such-heading) [ok anchor]({page}#red-team-table)\n"
    )
    problems = [p.split(": ")[0] for p in broken(sample)]
    assert problems == ["missing.md", f"{page}#no-such-heading"]
