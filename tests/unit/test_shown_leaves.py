"""The walk's leaf path (a Markdown block holding one text node read without walking into it)
changes nothing: ``shown.read`` equals a reference reader that walks every element, over the
spec's examples with denials written into them, and over generated bodies of leaves in every
container. Every field of the reading is compared: plain lines, denials and their lines,
containers, paragraphs, tables and comments.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborNode
from tests.support.spec_examples import Example, load

from applygate.core import github_render, shown
from applygate.core.line_index import split_lines
from applygate.core.reading import scan
from applygate.core.reasons import Reason
from applygate.core.shown_page import Shown

LOADED = load()
EXAMPLES = [] if isinstance(LOADED, str) else LOADED


class _EveryElement(shown._Reader):  # the reference the leaf path is held to
    """The reader without its leaf path: every block walked by ``_element``."""

    def _leaf(
        self,
        node: LexborNode,
        only: LexborNode,
        tag: str,
        where: shown._Where,
        lines: tuple[int, int],
    ) -> None:
        self._element(node, tag, where, lines)


def _readings(body: str) -> list[tuple[Shown, Shown]]:
    """The fast and the reference reading of a body, every way ``scan`` may ask for them."""
    rendered = github_render.render(body)
    if isinstance(rendered, Reason):
        return []
    asked = [n for n, _ in enumerate(split_lines(body), start=1)]
    token_lines = sorted({s.number for s in scan(body)})
    found = []
    for lines in (None, asked, token_lines):
        for every_table in (False, True):
            ordered: Sequence[int] | None = None if lines is None else sorted(set(lines))
            fast = shown.read(rendered.first, lines, every_table=every_table)
            reference = _EveryElement(ordered, every_table, False, None).read(rendered.first)
            found.append((fast, reference))
    return found


def _same(body: str) -> None:
    for fast, reference in _readings(body):
        assert fast == reference, body  # every field, the denials with their lines


def _denied(markdown: str) -> str:
    """An example with a denial written into its words (in cells, headings, items, code …)."""
    return markdown.replace("foo", "User denied: foo").replace("bar", "User denied:\tbar")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e.number}")
def test_the_leaf_path_reads_each_spec_example_as_every_element_would(example: Example) -> None:
    _same(example.markdown)
    _same(_denied(example.markdown))


LEAF_LINES = [
    "# User denied: x",
    "## User approved: x",
    "- User denied: x",
    "1. User approved: x",
    "- [ ] User denied: x",
    "> User denied: x",
    "| User denied: x | b |",
    "|---|---|",
    "| a | User denied: y |",
    "User denied: z",
    "User approved: x",
    "    User denied: indented",
    "```",
    "~~User denied: x~~",
    "<details>",
    "</details>",
    "<details open>",
    "<summary>User denied: s</summary>",
    "<div>",
    "</div>",
    "<table>",
    "</table>",
    "<del>",
    "</del>",
    "<!-- User denied: c -->",
    "Heading",
    "===",
    "  - nested User denied: n",
    # raw HTML may write its own source positions: a block of any name, anywhere
    '<details data-sourcepos="1:1-1:9">User denied: f</details>',
    '<summary data-sourcepos="2:1-2:9">User denied: g</summary>',
    'a <foo data-sourcepos="1:1-1:1">User denied: q</foo> b',
    "",
    "",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LEAF_LINES), min_size=1, max_size=14))
def test_the_leaf_path_reads_generated_bodies_as_every_element_would(lines: list[str]) -> None:
    _same("\n".join(lines))


def test_the_reference_sees_what_the_leaf_path_must_not_lose() -> None:
    """The comparison can fail: a leaf in a table cell, a heading and a list item each give a
    denial on its own line and a container, in both readers."""
    body = "| h |\n|---|\n| User denied: a |\n\n# User denied: b\n\n- User denied: c"
    readings = _readings(body)
    assert readings
    for fast, _ in readings:
        assert [(d.line, d.text) for d in fast.denials] == [
            (3, "User denied: a"),
            (5, "User denied: b"),
            (7, "User denied: c"),
        ]
        assert any(first <= 5 <= last for first, last, _ in fast.containers)
