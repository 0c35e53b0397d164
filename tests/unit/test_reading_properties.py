"""Properties of the token reader (core/reading.py): what must never happen, over generated bodies.

- A valid approval line wrapped in any element GitHub's sanitizer keeps, or in any Markdown
  container, alone or nested, wherever it stands in the comment, never counts; ``scan`` never
  raises. (Speed is measured by benchmarks/token_scan.py, not timed here.)
- A plain approval paragraph among plain paragraphs, with CRLF endings, trailing spaces or
  several paragraphs, always counts.
- A canonical denial a reader sees (list item, table cell, heading, emphasis, an open
  ``<details>``, a summary, an element the sanitizer drops) always counts; one a reader does not
  take as the person's words (code, quote, collapsed details, struck through, HTML comment) never.

Which raw-HTML wrappers hide the paragraph after them is decided by the HTML5 tree-construction
rules ("in body" insertion mode, html.spec.whatwg.org §13.2.6.4.7) and cmark-gfm's HTML-block
rules, written out below as plain data, not by the reader under test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from applygate.core import github_render
from applygate.core.github_render import TOO_LARGE, elements, render, to_html, without_comments
from applygate.core.nesting import nesting
from applygate.core.reading import scan
from applygate.core.sanitizer import ALLOWED
from applygate.core.source_bounds import (
    MAX_DELIMITER_RUNS,
    MAX_DEPTH,
    MAX_ELEMENTS,
    delimiter_runs,
    list_items,
    most_list_items,
    table_cells,
    too_deep,
)
from applygate.core.token import Kind, ScannedLine, Token, normalize_scope

OP = "terraform apply prod/vpc"
APPROVAL = f"User approved: {OP}"
DENIAL = f"User denied: {OP}"

PROPERTIES = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def approvals(body: str) -> list[ScannedLine]:
    return [s for s in scan(body) if s.token is not None and s.token.kind is Kind.APPROVAL]


def denials(body: str) -> list[ScannedLine]:
    return [s for s in scan(body) if s.token is not None and s.token.kind is Kind.DENIAL]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- What HTML5 does with a raw element left open before the token's paragraph ---------------

# Void elements: nothing goes inside them.
VOID = _words("area base br col embed hr img input link meta param source track wbr")
# Start tags "in body" ignores outside a table (html and body are merged into the page's).
IGNORED = _words("caption col colgroup frame head tbody td tfoot th thead tr html body")
# cmark-gfm's tagfilter writes their "<" as "&lt;": they are shown as text, not elements.
TAGFILTER = _words("title textarea style xmp iframe noembed noframes script plaintext")
# Start tags that close an open <p> and open an element the next paragraph goes into: opened in
# the middle of a paragraph, they still wrap what follows. (<p> and <hr> close it, wrap nothing.)
CLOSES_P = _words(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure "
    "footer header hgroup main menu nav ol search section summary ul h1 h2 h3 h4 h5 h6 pre "
    "listing li dd dt table"
)
# Formatting elements: closed with their paragraph, then rebuilt around the next paragraph
# ("reconstruct the active formatting elements").
FORMATTING = _words("a b big code em font i nobr s small strike strong tt u")
# cmark-gfm's HTML blocks of kinds 1 and 6: such a tag starts an HTML block even when its
# attributes run over two lines (any other tag must be complete on its line: kind 7).
BLOCK_START = _words(
    "pre script style textarea address article aside base basefont blockquote body caption "
    "center col colgroup dd details dialog dir div dl dt fieldset figcaption figure footer form "
    "frame frameset h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link main menu "
    "menuitem nav noframes ol optgroup option p param search section summary table tbody td "
    "tfoot th thead title tr track ul"
)
# Elements the sanitizer removes (their text stays): the reader still takes them as containers.
DROPPED = ("font", "center", "u", "foo", "x-note", "noscript")
TAGS = sorted(ALLOWED | set(DROPPED))


def wraps_at_document_level(tag: str) -> bool:
    """An element opened as an HTML block, with the token's paragraph after it.

    (<table> is in: the paragraph is moved before the table, "foster parenting", and the reader
    refuses it as written inside the table: reading._unplace_fostered.)"""
    return tag not in VOID | IGNORED | TAGFILTER | {"p"}


def wraps_from_a_paragraph(tag: str) -> bool:
    """An element opened in the middle of a paragraph, with the token's paragraph after it."""
    return tag in CLOSES_P | FORMATTING


@dataclass(frozen=True)
class Wrapper:
    """One way of writing the token inside something: lines in, lines out; whether the approval
    can count inside it (``hides``: never) and whether a denial inside it is shown as the
    person's words (``shows_denial``; None: not used for denials)."""

    name: str
    wrap: Callable[[list[str]], list[str]]
    hides: bool = True
    shows_denial: bool | None = None


def _template(text: str) -> Callable[[list[str]], list[str]]:
    """Lines written where ``{}`` stands in ``text``."""
    before, after = text.split("{}")
    return lambda lines: (before + "\n".join(lines) + after).split("\n")


def _prefix(first: str, rest: str) -> Callable[[list[str]], list[str]]:
    return lambda lines: [first + lines[0]] + [rest + s if s else s for s in lines[1:]]


def _fence(mark: str, info: str = "", closed: bool = True) -> Callable[[list[str]], list[str]]:
    def wrap(lines: list[str]) -> list[str]:
        longest = max((len(s) - len(s.lstrip(mark)) for s in lines), default=0)
        fence = mark * max(3, longest + 1)  # longer than any fence inside
        return [fence + info, *lines, *([fence] if closed else [])]

    return wrap


def _code(indent: str) -> Callable[[list[str]], list[str]]:
    """An indented code block after a paragraph (at the start of a list item, indented text
    would be the item's paragraph: the marker takes up to four spaces after it)."""
    return lambda lines: ["Output:", "", *(indent + s if s else s for s in lines)]


# The shapes of a raw element: {tag} its name, {} the token's lines; and where the tag
# is opened: as an HTML block, inside a paragraph, or (attributes over two lines) as an HTML
# block only when the tag starts a block of kind 1 or 6.
RAW_SHAPES = [
    ("own line", "<{tag}>\n\n{}\n\n</{tag}>", "block"),
    ("upper case", "<{TAG}>\n\n{}\n\n</{TAG}>", "block"),
    ("unclosed", "<{tag}>\n\n{}", "block"),
    ("attributes", '<{tag} class="run" title="previous run">\n\n{}\n\n</{tag}>', "block"),
    ("split attributes", '<{tag} class="run"\n  title="previous run">\n\n{}\n\n</{tag}>', "split"),
    ("mid-line", "Previous run: <{tag}> (collapsed)\n\n{}\n\n</{tag}>", "paragraph"),
    ("end of a text line", "Previous run: <{tag}>\n\n{}", "paragraph"),
]


def _raw(tag: str, shape: str, text: str, opened: str) -> Wrapper:
    as_block = opened == "block" or (opened == "split" and tag in BLOCK_START)
    hides = wraps_at_document_level(tag) if as_block else wraps_from_a_paragraph(tag)
    template = text.replace("{tag}", tag).replace("{TAG}", tag.upper())
    return Wrapper(f"<{tag}> {shape}", _template(template), hides)


RAW = [_raw(tag, *shape) for tag in TAGS for shape in RAW_SHAPES]
RAW_HIDING = [w for w in RAW if w.hides]

_SUMMARY = "<summary>Run</summary>\n\n"
# Markdown containers and a few raw elements, around every line of what they wrap:
# name, how, whether a denial inside is shown as the person's words.
BLOCKS = [
    Wrapper(name, wrap, shows_denial=shows)
    for name, wrap, shows in [
        ("block quote", _prefix("> ", "> "), False),
        ("nested quote", _prefix("> > ", "> > "), False),
        ("list item", _prefix("- ", "  "), True),
        ("ordered item", _prefix("1. ", "   "), True),
        ("task item", _prefix("- [ ] ", "      "), True),
        ("done task item", _prefix("* [x] ", "      "), True),
        ("backtick fence", _fence("`"), False),
        ("tilde fence with info", _fence("~", "text"), False),
        ("unclosed fence", _fence("`", closed=False), False),
        ("indented code", _code("    "), False),
        ("tab-indented code", _code("\t\t"), False),
        ("HTML comment", _template("<!--\n{}\n-->"), False),
        ("HTML comment, blank lines", _template("<!--\n\n{}\n\n-->"), False),
        ("unclosed HTML comment", _template("<!-- old run:\n\n{}"), False),
        ("collapsed details", _template(f"<details>\n{_SUMMARY}{{}}\n\n</details>"), False),
        ("open details", _template(f"<details open>\n{_SUMMARY}{{}}\n\n</details>"), True),
        ("summary", _template("<details>\n<summary>\n\n{}\n\n</summary>\n</details>"), True),
        ("struck <del>", _template("<del>\n\n{}\n\n</del>"), False),
        ("struck <s>", _template("<s>\n\n{}\n\n</s>"), False),
        ("raw <div>", _template("<div>\n\n{}\n\n</div>"), True),
        ("raw <blockquote>", _template("<blockquote>\n\n{}\n\n</blockquote>"), False),
        ("dropped <font>", _template("<font>\n\n{}\n\n</font>"), True),
        ("dropped <center>", _template("<center>\n\n{}\n\n</center>"), True),
        ("footnote", lambda lines: ["x[^1]", "", "[^1]: y", *_code("    ")(lines)[1:]], None),
        ("raw table, fostered", _template("<table>\n\n{}\n\n</table>"), None),
        ("raw table cell", _template("<table><tr><td>\n\n{}\n\n</td></tr></table>"), True),
    ]
]  # fmt: skip

# Markdown and raw HTML around the token's line alone, applied first.
LINE = [
    Wrapper(name, _template(text), shows_denial=shows)
    for name, text, shows in [
        ("heading", "# {}", True),
        ("closed heading", "### {} ###", True),
        ("setext heading", "{}\n---", True),
        ("setext heading =", "{}\n=", True),
        ("table cell", "| run | verdict |\n|---|---|\n| 12 | {} |", True),
        ("row after a table", "| run |\n|---|\n{}", True),
        ("emphasis", "*{}*", True),
        ("underscore emphasis", "_{}_", True),
        ("strong", "**{}**", True),
        ("strong emphasis", "***{}***", True),
        ("strike", "~~{}~~", False),
        ("single-tilde strike", "~{}~", False),
        ("link", "[{}](https://example.com/run/12)", True),
        ("reference link", "[{}][run]\n\n[run]: https://example.com", None),
        ("image", "![{}](https://example.com/a.png)", None),
        ("code span", "`{}`", False),
        ("double code span", "`` {} ``", False),
        ("inline comment", "<!-- {} -->", False),
        ("raw <del> in line", "<del>{}</del>", False),
        ("raw <sub> in line", "<sub>{}</sub>", True),
        ("raw <span> in line", '<span title="x">{}</span>', True),
        ("raw <kbd> in line", "<kbd>{}</kbd>", True),
        ("lazy quote", "> Alice wrote:\n{}", False),
        # a denial on a later line: see test_a_denial_on_a_later_line_of_what_shows_it_counts
        ("lazy list item", "- a note\n{}", None),
        ("emphasis over lines", "*Earlier:\n{}*", None),
        # the line itself carries no markup: only the tree says it is inside some
        ("emphasis around lines", "*Earlier:\n{}\nlater.*", None),
        ("strong around lines", "**Earlier:\n{}\nlater.**", None),
        ("strike around lines", "~~Earlier:\n{}\nlater.~~", None),
        ("code span around lines", "`Earlier:\n{}\nlater.`", None),
        ("link around lines", "[Earlier:\n{}\nlater.](https://e.com)", None),
        ("raw <b> around lines", "<b>Earlier:\n{}\nlater.</b>", None),
        ("raw <span> around lines", "<span>Earlier:\n{}\nlater.</span>", None),
        ("raw <del> around lines", "<del>Earlier:\n{}\nlater.</del>", None),
        ("raw <sup> around lines", "<sup>Earlier:\n{}\nlater.</sup>", None),
    ]
]  # fmt: skip

_MARKDOWN = frozenset(w.name for w in BLOCKS)
_RAW_NAMES = frozenset(w.name for w in RAW)
# One-line wrappers that leave the line a line of text: a task box may stand before them.
_TEXT_LINES = frozenset(
    (
        *("emphasis", "underscore emphasis", "strong", "strong emphasis", "strike", "link"),
        *("image", "single-tilde strike", "code span", "double code span", "inline comment"),
        *("raw <del> in line", "raw <sub> in line", "raw <span> in line", "raw <kbd> in line"),
    )
)
# cmark-gfm's task list takes "[ ]" as a box only in an item that starts its line
# ("> - [ ] x" and "- - [ ] x" show "[ ] x"): no marker may be put before one.
_FIRST_LINE_MARKERS = frozenset(("block quote", "nested quote", "list item", "ordered item"))


def _fits(block: Wrapper, lines: list[str], used: list[Wrapper]) -> bool:
    if "comment" in block.name:  # a "-->" inside would end the comment
        return not any("-->" in s for s in lines)
    if "task item" in block.name:  # what follows the box is text: "- [ ] # x" shows "# x"
        return all(w.name in _TEXT_LINES for w in used)
    if block.name in _FIRST_LINE_MARKERS:
        return not any("task item" in w.name for w in used)
    return True


WORDS = ("Looks", "good", "the", "plan", "was", "reviewed", "thanks", "ship", "it", "LGTM", "ok")
PROSE = (
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join).map(lambda s: s + ".")
)
PARAGRAPHS = st.lists(PROSE, max_size=3)


def _body(before: list[str], lines: list[str], after: list[str], crlf: bool) -> str:
    body = "\n\n".join([*before, "\n".join(lines), *after])
    return body.replace("\n", "\r\n") if crlf else body


@st.composite
def wrapped(
    draw: st.DrawFn, line: str, outer: list[Wrapper], inner: list[Wrapper]
) -> tuple[str, list[str]]:
    """A body in which ``line`` sits inside up to one one-line wrapper and up to three block
    wrappers (nested; at least one wrapper in all), between plain paragraphs; and the wrappers'
    names, innermost first. Markdown and raw HTML blocks are drawn equally often (the raw shapes
    outnumber the others thirty to one)."""
    blocks = {w.name: w for w in outer}
    groups = [sorted(n for n in blocks if n in group) for group in (_MARKDOWN, _RAW_NAMES)]
    block_names = st.sampled_from([g for g in groups if g]).flatmap(st.sampled_from)
    lines = [" " * draw(st.integers(0, 3)) + line + draw(st.sampled_from(["", " ", "  ", "\t"]))]
    used: list[Wrapper] = []
    if draw(st.booleans()):
        one = {w.name: w for w in inner}[draw(st.sampled_from(sorted(w.name for w in inner)))]
        lines = one.wrap([lines[0].strip()])
        used.append(one)
    for _ in range(draw(st.integers(0 if used else 1, 3))):
        block = blocks[draw(block_names)]
        if _fits(block, lines, used):
            lines = block.wrap(lines)
            used.append(block)
    assume(used)  # only when a lone task item was drawn after another wrapper: rare
    body = _body(draw(PARAGRAPHS), lines, draw(PARAGRAPHS), crlf=draw(st.booleans()))
    return body, [w.name for w in used]


# --- A wrapped approval ----------------------------------------------------------------------


@PROPERTIES
@given(wrapped(APPROVAL, BLOCKS + RAW_HIDING, LINE))
def test_a_wrapped_approval_never_counts(case: tuple[str, list[str]]) -> None:
    body, used = case
    assert approvals(body) == [], used


@PROPERTIES
@given(wrapped(APPROVAL, BLOCKS + RAW, LINE))
def test_scan_never_raises_and_reports_each_token_line_once(case: tuple[str, list[str]]) -> None:
    body, _ = case
    scanned = scan(body)
    numbers = [s.number for s in scanned]
    assert numbers == sorted(set(numbers))
    assert all((s.token is None) != (s.rejection is None) for s in scanned)


# Each wrapper alone (every element in every shape), without hypothesis' sampling.
@pytest.mark.parametrize("wrapper", RAW_HIDING + BLOCKS + LINE, ids=lambda w: w.name)
def test_each_wrapper_alone_hides_the_approval(wrapper: Wrapper) -> None:
    assert approvals("\n".join(wrapper.wrap([APPROVAL]))) == []


# The elements HTML5 closes before the next paragraph: the approval is shown as a plain
# paragraph, so it counts (this checks the rules written out above as much as the reader).
@pytest.mark.parametrize("wrapper", [w for w in RAW if not w.hides], ids=lambda w: w.name)
def test_an_element_closed_before_the_paragraph_does_not_hide_it(wrapper: Wrapper) -> None:
    found = approvals("\n".join(wrapper.wrap([APPROVAL])))
    assert [s.token for s in found] == [Token(Kind.APPROVAL, OP)]


# --- Work, counted rather than timed -----------------------------------------------------------
# The reader's work grows with the page cmark-gfm makes (parse and walk visit each node of it):
# a body's page must stay within a fixed multiple of the body. benchmarks/token_scan.py times
# the same shapes at the comment limit.

AMPLIFICATION = 64
SIZE = 16_384


def _filled(unit: str, head: str = "") -> str:
    return head + unit * ((SIZE - len(head)) // len(unit)) + "\n\n" + APPROVAL


def _table(columns: int) -> str:
    return _filled("| x |\n", "|" + " a |" * columns + "\n|" + "---|" * columns + "\n")


WORK = [
    ("one-line paragraphs", _filled("x\n\n")),
    ("hard breaks", _filled("x\n")),
    ("list items", _filled("- x\n")),
    ("nested list items", _filled("- " * 100 + "x\n")),
    ("table, 2 columns", _table(2)),
    ("raw <div> 250 deep", _filled("x\n\n", "<div>" * 250 + "\n\n")),
    ("rebuilt <b> x 250", _filled("x\n\n", "".join(f"<b title={i}>" for i in range(250)))),
    ("emphasis runs", _filled("*a **b ***c _d __e ")),
    ("token lines", _filled(APPROVAL + "\n")),
]


@pytest.mark.parametrize("body", [b for _, b in WORK], ids=[n for n, _ in WORK])
def test_a_body_s_page_is_a_bounded_multiple_of_it(body: str) -> None:
    assert len(to_html(body)) <= AMPLIFICATION * len(body)


# FINDING (issue 14 review): cmark-gfm pads every table row to the header's width, so a wide
# header over many short rows makes a page hundreds of times the body (at the comment limit,
# 65 KB of Markdown makes 20 MB of HTML and takes 2.7 s to read; see benchmarks/token_scan.md).
def test_a_wide_table_s_page_is_not_read_and_fails_closed() -> None:
    """cmark-gfm's page is out of bounds here; the reader refuses to read it: no approval
    counts, and a denial still does (read from its line)."""
    body = _table(100) + f"\n\n{APPROVAL}\n\n{DENIAL}\n"
    assert len(to_html(body)) > AMPLIFICATION * len(body)
    assert render(body) == TOO_LARGE
    lines = scan(body)
    assert not any(s.token is not None and s.token.kind is Kind.APPROVAL for s in lines)
    assert [s.token for s in lines if s.kind is Kind.DENIAL] == [Token(Kind.DENIAL, OP)]


# The bound on a page's elements (github_render.MAX_ELEMENTS): the lines of a paste, each shown
# after a line break, are a page of one element per line.


def _paste(lines: int, tail: str) -> str:
    return "\n".join(f"step {i} ok" for i in range(lines)) + "\n\n" + tail


def _lines_for(elements: int) -> int:
    """How many lines of a paste make a page of ``elements`` (a paragraph for the paste, one for
    the token, a line break for every line of the paste but its last)."""
    return elements - 1


def test_a_page_of_as_many_elements_as_the_bound_is_read() -> None:
    body = _paste(_lines_for(MAX_ELEMENTS), APPROVAL)
    assert elements(to_html(body)) == MAX_ELEMENTS
    assert [s.token for s in approvals(body)] == [Token(Kind.APPROVAL, OP)]


def test_a_page_of_one_element_more_fails_closed_and_a_denial_still_counts() -> None:
    body = _paste(_lines_for(MAX_ELEMENTS), f"{APPROVAL}\n\n{DENIAL}")  # a paragraph more
    assert elements(to_html(body)) == MAX_ELEMENTS + 1
    assert render(body) == TOO_LARGE
    lines = scan(body)
    assert [s.rejection for s in lines if s.kind is Kind.APPROVAL] == [TOO_LARGE]
    assert [s.token for s in lines if s.kind is Kind.DENIAL] == [Token(Kind.DENIAL, OP)]


# The list items a body's markers open are counted before it is rendered
# (github_render.list_items): 65 KB of "- - - … x" lines would take cmark-gfm 30 ms to write.

FILLER = "plain words " * 700  # makes a body long enough to be counted (over 8,000 characters)


@pytest.mark.parametrize(
    ("body", "items"),
    [
        ("- x\n" * 100, 0),  # too short to hold more than the bound: not counted
        (FILLER, 0),
        (FILLER + "\n" + "- x\n" * 10, 10),
        (FILLER + "\n" + "1. x\n2) y\n+ z\n* w\n\t- tab\n", 5),
        (FILLER + "\n" + "- - - x\n", 3),  # stacked: a list in a list in a list
        (FILLER + "\n" + "- " * 150 + "x\n", 100),  # cmark-gfm nests lists 100 deep at most
        (FILLER + "\n" + "-x\n+\n1.x\n", 0),  # no marker at a line's start
        (FILLER + "\n" + "> - x\n> > 1. y\n> - > - z\n", 4),  # behind quote marks too
    ],
)
def test_the_list_items_a_body_opens(body: str, items: int) -> None:
    assert list_items(body) == items <= most_list_items(body)


MARKER_PIECES = ["-", "+", "*", "1.", "2)", "123456789.", " ", "\t", ">", "x", "- ", "-\t", "1)\t"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.sampled_from(MARKER_PIECES), max_size=8), max_size=40))
def test_markers_ends_bound_the_list_items(lines: list[list[str]]) -> None:
    """render counts list items only where their markers' ends may make more than the bound."""
    body = FILLER + "\n" + "\n".join(map("".join, lines))
    assert list_items(body) <= most_list_items(body)


@pytest.mark.parametrize(
    ("body", "cells"),
    [
        ("no pipe at all\n---\n", 0),
        ("| a | b |\n| - | - |\n| 1 | 2 |\n", (2 + 1) * 2),  # cells and a <tr> a row
        ("| a | b |\n|:-:|--:|\n| 1 | 2 |\n| 3 | 4 |\n\nafter\n", (2 + 1) * 3),  # ends at a blank
        ("a | b\n--- | ---\n1 | 2\n", (2 + 1) * 2),  # no outer pipes
        ("| a |\n|---|\n" + "| x |\n" * 10, (1 + 1) * 11),
        ("| a " * 250 + "|\n" + "|-" * 250 + "|\n" + "|x|\n" * 15_000, 251 * 15_001),  # padded
        ("text | with a pipe\n---\n", 0),  # a heading's underline: no pipe, no table
    ],
)
def test_the_table_cells_a_body_makes(body: str, cells: int) -> None:
    assert table_cells(body) == cells


@pytest.mark.parametrize(
    ("head", "count", "bound"),
    [
        ("- - x\n" * (MAX_ELEMENTS // 2) + "- y", list_items, MAX_ELEMENTS),
        # 65 KB of "*~" took cmark-gfm's inline parser 60-90 ms (source_bounds.delimiter_runs)
        ("*~" * (MAX_DELIMITER_RUNS // 2 + 1), delimiter_runs, MAX_DELIMITER_RUNS),
    ],
)
def test_a_body_counted_too_large_is_not_rendered_and_a_denial_still_counts(
    head: str, count: Callable[[str], int], bound: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = f"{head}\n\n{APPROVAL}\n\n{DENIAL}"
    assert count(body) > bound
    monkeypatch.setattr(github_render, "to_html", _never)
    assert render(body) == TOO_LARGE
    lines = scan(body)
    assert [s.rejection for s in lines if s.kind is Kind.APPROVAL] == [TOO_LARGE]
    assert [s.token for s in lines if s.kind is Kind.DENIAL] == [Token(Kind.DENIAL, OP)]


def test_list_like_lines_of_code_count_up_to_the_bound() -> None:
    """Markers in code open nothing but are counted (the count errs high): a fence of 4,000
    list-like lines is read, one more line is refused (fail closed, documented)."""
    at = f"```\n{'- x' * 1}\n" + "- x\n" * (MAX_ELEMENTS - 1) + f"```\n\n{APPROVAL}"
    assert list_items(at) == MAX_ELEMENTS
    assert [s.token for s in approvals(at)] == [Token(Kind.APPROVAL, OP)]
    over = at.replace("```\n", "```\n- x\n", 1)
    assert list_items(over) == MAX_ELEMENTS + 1
    assert render(over) == TOO_LARGE


def _never(body: str) -> str:
    raise AssertionError("rendered")


# What people paste into a comment of GitHub's 65,536 characters stays well inside the bound.
_PLAN = "".join(
    f'  # aws_subnet.s{i} will be created\n  + resource "aws_subnet" "s{i}" {{\n'
    f'      + cidr_block = "10.0.{i % 250}.0/24"\n    }}\n'
    for i in range(1000)
)[:64_000]
_ROW = "| r{} |" + " v |" * 5 + "\n"
_TABLE = "|" + " h |" * 6 + "\n|" + "---|" * 6 + "\n" + "".join(map(_ROW.format, range(500)))
_DETAILS = "<details><summary>Plan</summary>\n\n```\n{}\n```\n\n</details>"
LEGITIMATE = [
    ("a plan in a fence", f"Plan:\n\n```hcl\n{_PLAN}\n```\n\n{APPROVAL}"),
    ("a plan in <details>", _DETAILS.format(_PLAN) + f"\n\n{APPROVAL}"),
    ("a plan pasted as it is", f"{_PLAN}\n\n{APPROVAL}"),
    ("a 2,000-line paste", _paste(2000, APPROVAL)),
    ("a 500-row table of six columns", f"{_TABLE}\n{APPROVAL}"),
]


@pytest.mark.parametrize("body", [b for _, b in LEGITIMATE], ids=[n for n, _ in LEGITIMATE])
def test_a_big_comment_people_write_is_read(body: str) -> None:
    assert len(body) <= 65_536
    assert [s.token for s in approvals(body)] == [Token(Kind.APPROVAL, OP)]


# --- Legitimate approvals --------------------------------------------------------------------

SCOPE_WORD = st.from_regex(r"[a-z][a-z0-9/.-]{0,11}", fullmatch=True).filter(
    lambda w: not w.startswith("www.")  # an autolink: shown as a link
)
SCOPES = (
    st.lists(SCOPE_WORD, min_size=1, max_size=4)
    .map(" ".join)
    .filter(lambda s: s not in ("it", "this", "all"))
)


@PROPERTIES
@given(
    scope=SCOPES,
    spaces=st.sampled_from([" ", "  ", "   "]),
    indent=st.integers(0, 3),
    trailing=st.sampled_from(["", " ", "  ", "   ", "\t"]),
    before=PARAGRAPHS,
    after=PARAGRAPHS,
    joined_before=st.booleans(),
    joined_after=st.booleans(),
    crlf=st.booleans(),
)
def test_a_plain_approval_paragraph_always_counts(
    scope, spaces, indent, trailing, before, after, joined_before, joined_after, crlf
) -> None:
    """Other paragraphs around it, or lines of its own paragraph (shown with line breaks)."""
    line = " " * indent + f"User approved:{spaces}{scope}" + trailing
    lines = [line]
    if joined_before and before:
        lines.insert(0, before.pop())
    if joined_after and after:
        lines.append(after.pop(0))
    body = _body(before, lines, after, crlf)
    [found] = approvals(body)
    assert found.token == Token(Kind.APPROVAL, normalize_scope(scope))
    assert found.number == body.replace("\r\n", "\n").split("\n").index(line) + 1


@settings(PROPERTIES, max_examples=100)  # five scopes a body: as many scopes as above
@given(st.lists(SCOPES, min_size=2, max_size=5), PARAGRAPHS, st.booleans())
def test_several_approval_paragraphs_each_count(scopes, prose, crlf) -> None:
    body = _body(prose, ["\n\n".join(f"User approved: {s}" for s in scopes)], [], crlf)
    found = [s.token for s in approvals(body)]
    assert found == [Token(Kind.APPROVAL, normalize_scope(s)) for s in scopes]


# --- Denials ---------------------------------------------------------------------------------

SHOWING_BLOCKS = [w for w in BLOCKS if w.shows_denial]
SHOWING_LINES = [w for w in LINE if w.shows_denial]
HIDING = [w for w in BLOCKS + LINE if w.shows_denial is False]


@PROPERTIES
@given(wrapped(DENIAL, SHOWING_BLOCKS, SHOWING_LINES))
def test_a_denial_a_reader_sees_always_counts(case: tuple[str, list[str]]) -> None:
    body, used = case
    assert [s.token for s in denials(body)] == [Token(Kind.DENIAL, OP)], used


@st.composite
def hidden_denial(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A denial inside at least one wrapper that hides it, among any that show it."""
    blocks = [w for w in BLOCKS if w.shows_denial is not None]
    lines = [w for w in LINE if w.shows_denial is not None]
    body, used = draw(wrapped(DENIAL, blocks, lines))
    assume(any(w.name in used for w in HIDING))
    return body, used


@PROPERTIES
@given(hidden_denial())
def test_a_denial_a_reader_does_not_take_as_the_person_s_never_counts(
    case: tuple[str, list[str]],
) -> None:
    body, used = case
    assert denials(body) == [], used


# FINDING (issue 14 review): a denial shown on a later line of a list item, an open <details> or
# emphasis does not count. The text shown after a line break starts with the newline cmark writes
# after "<br />", and denial_text.shown_denials hands it to the grammar unstripped, which refuses
# it as
# a control character (U+000A). The same line as a plain paragraph's counts.
LATER_LINE_DENIALS = [
    ("list item, second line", f"- Earlier:\n  {DENIAL}"),
    ("ordered item, second line", f"1. ok\n   {DENIAL}"),
    ("lazy list item", f"- ok\n{DENIAL}"),
    ("emphasis over lines", f"*Earlier:\n{DENIAL}*"),
    ("strong around lines", f"**Earlier:\n{DENIAL}\nlater.**"),
    ("open details, second line", f"<details open>\n\nEarlier:\n{DENIAL}\n\n</details>"),
    ("raw div, second line", f"<div>\n\nEarlier:\n{DENIAL}\n\n</div>"),
    ("raw paragraph, after <br>", f"<p>Earlier:<br>\n{DENIAL}</p>"),
]


@pytest.mark.parametrize(
    "body", [b for _, b in LATER_LINE_DENIALS], ids=[n for n, _ in LATER_LINE_DENIALS]
)
def test_a_denial_on_a_later_line_of_what_shows_it_counts(body: str) -> None:
    assert [s.token for s in denials(body)] == [Token(Kind.DENIAL, OP)]


# Emphasis delimiters are counted before rendering too (source_bounds.delimiter_runs): 65 KB of
# "*~" took cmark-gfm's inline parser 60-90 ms.


@pytest.mark.parametrize(
    ("body", "runs"),
    [
        ("*_~" * 1_400, 4_200),  # each character a run of its own
        ("**a** " * 1_400, 2_800),  # a run of one character at a time
        ("aws_security_group_rule " * 2_000, 0),  # a word's own underscores open nothing
        ("_a_ " * 2_100, 4_200),  # but these may
        ("x" * 5_000, 0),
        ("*~" * 2_000, 0),  # no more of them than the bound: not counted
    ],
)
def test_the_delimiter_runs_of_a_body(body: str, runs: int) -> None:
    assert delimiter_runs(body) == runs


@pytest.mark.parametrize(
    "words",
    [
        "aws_security_group_rule.allow_https_in " * 1_600,
        "\u0438\u043c\u044f_\u0444\u0430\u0439\u043b\u0430 "
        * 4_100,  # a word's underscores in any script
    ],
)
def test_a_paste_of_code_words_is_rendered(words: str) -> None:
    body = f"{words}\n\n{APPROVAL}"
    assert sum(map(body.count, "*_~")) > MAX_DELIMITER_RUNS
    assert [s.token for s in scan(body)] == [Token(Kind.APPROVAL, OP)]


@pytest.mark.parametrize(
    ("body", "deep"),
    [
        (">" * 257 + " x", True),
        ("> " * 257 + "x", True),
        ("x\n" + "   >" * 257, True),  # three spaces before each mark
        (">" * 256 + " x\n" * 200, False),  # as deep as the bound
        ("    " + ">" * 300, False),  # four spaces: code, no quote (not counted)
        ("> " * 200 + "- " + "> " * 100, False),  # a list item between: counted up to it
        ("- " + ">" * 257, True),  # after a list marker, a footnote's label, with tabs (the
        ("[^1]: " + ">" * 257, True),  # eighth red team: "- " and 65,522 marks took 75 ms)
        (">\t" * 257, True),
    ],
)
def test_a_line_of_more_quote_marks_than_the_depth_is_too_deep(body: str, deep: bool) -> None:
    assert too_deep(body) is deep


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["> ", ">", " >", "   >", "    >", "\t>", "x", "\n", "- "]), max_size=300
    )
)
def test_a_body_too_deep_before_rendering_renders_too_deep(pieces: list[str]) -> None:
    """Refused as too deep before rendering only if its page nests deeper than the bound (or is
    too large to read at all): the marks' count errs low."""
    body = "".join(pieces) + ">" * 200  # (enough marks to reach the bound on some lines)
    if too_deep(body):
        deepest, _ = nesting(without_comments(to_html(body)).lower(), raw=False)
        assert deepest > MAX_DEPTH
