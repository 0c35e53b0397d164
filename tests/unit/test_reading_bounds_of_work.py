"""What bounds the reader's work on crafted comments (issue 14's third red team,
benchmarks/speed_redteam.py) changes no verdict: each shortcut equals what it replaces, and each
budget, once spent, leaves every denial counted."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.support.reading import approvals, denials

from applygate.core import github_render, shown, source_bounds
from applygate.core.crowded import MAX_CANDIDATES, MAX_SHOWN_DENIALS
from applygate.core.denial_text import DENIAL_PREFIX, may_make_denial, shown_denials
from applygate.core.element_reasons import HTML_COMMENT
from applygate.core.github_render import (
    MAX_ELEMENTS_READ_TWICE,
    TOO_LARGE,
    elements,
    render,
    to_html,
)
from applygate.core.line_index import SEARCH_BUDGET
from applygate.core.reading import LONE_CR, scan
from applygate.core.reasons import Reason
from applygate.core.shown_page import Shown, ShownLine
from applygate.core.source_bounds import MAX_ELEMENTS, least_elements, most_lines_shown
from applygate.core.token import Kind, Token, parse_line

OP = "terraform apply prod/vpc"
DENIAL = Token(Kind.DENIAL, OP)

# --- shown_denials: only a part that starts with the prefix is read -----------------------------

PIECES = [
    "User denied: ", "User denied:", "User approved: ", "x ", "ok ", " ", "  ", "\t", "\n", "\r\n",
    "|", " | ", "op", "a b", " @6dcb09b", "\u00a0", "\u200b", "é", "user denied: ", "denied:",
    "\u2028", "\x85", "\x1c", "\x0c", "\x07", "\u202e", "Us\u0435r denied: ", "\ufdfa", "e\u0301",
    "|User denied: ", "User denied:\t",
]  # fmt: skip


def _as_defined(text: str) -> tuple[Token, ...]:
    """Every part that holds the prefix read by the grammar (shown_denials before the change)."""
    text = text.strip("\r\n")
    parts = (" ".join(text.split()), text, *text.splitlines(), *text.split("|"))
    found: dict[Token, None] = {}
    for part in dict.fromkeys(p for p in parts if DENIAL_PREFIX in p):
        token = parse_line(0, part, Kind.DENIAL).token
        if token is not None and token.kind is Kind.DENIAL:
            found[token] = None
    return tuple(found)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_shown_denials_reads_the_parts_its_definition_reads(text: str) -> None:
    assert shown_denials(text) == _as_defined(text)


@pytest.mark.parametrize(
    ("text", "scopes"),
    [
        # one line: the text collapsed, and each cell that starts with the prefix (after blanks)
        ("x | User denied: op", ("op",)),
        ("User denied: op|", ("op|", "op")),
        ("User  denied: op | x", ("op | x",)),  # collapsed only: the text is no token
        # a cell with a character the grammar refuses (a no-break space) or a tab after the
        # prefix makes no token, though its collapsed reading would
        ("User denied: op\u00a0| x", ("op | x",)),
        ("User denied:\top|x", ("op|x",)),
        ("User denied: a\tb|", ("a b|", "a b")),  # a tab within the scope: a space
    ],
)
def test_a_line_s_cells_are_read_as_the_grammar_reads_them(
    text: str, scopes: tuple[str, ...]
) -> None:
    expected = tuple(Token(Kind.DENIAL, scope) for scope in scopes)
    assert shown_denials(text) == _as_defined(text) == expected


SEPARATED = [
    *PIECES,
    "\x0b",
    "\x0c",
    "\x1c",
    "\x1e",
    "\x85",
    "\u2028",
    "\u2029",
    "\r",
    "User\ndenied: ",
]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(SEPARATED), max_size=12).map("".join))
def test_a_shown_line_is_kept_for_its_denials_whenever_it_makes_one(text: str) -> None:
    """The walk keeps a shown line only where ``may_make_denial`` says: never one that makes a
    denial."""
    if shown_denials(text):
        assert may_make_denial(text)


@pytest.mark.parametrize(
    ("text", "may"),
    [
        (f"ok User denied: {OP}", False),
        (f"User denied: {OP}", True),
        (f"  User denied: {OP}", True),
        (f"ok\u2028User denied: {OP}", True),  # a line of its own after a separator
        (f"a | User denied: {OP} |", True),  # a cell
        (f"User\n  denied: {OP}", True),  # collapsed
    ],
)
def test_which_shown_lines_may_make_a_denial(text: str, may: bool) -> None:
    assert may_make_denial(text) is may


def test_a_denial_further_into_a_shown_line_is_no_token() -> None:
    assert shown_denials(f"ok User denied: {OP}") == ()
    assert shown_denials(f"ok | User denied: {OP} | x") == (DENIAL,)


# --- Shown.contexts: many lines' containers in one pass ----------------------------------------

SPANS = st.lists(
    st.tuples(st.integers(1, 30), st.integers(0, 8), st.sampled_from(["q", "l", "t"])),
    max_size=12,
).map(lambda spans: [(a, a + n, Reason(code, code)) for a, n, code in spans])


@settings(max_examples=400, deadline=None)
@given(
    SPANS,
    st.lists(st.sampled_from(["a", "b c", "x\0y"]), max_size=3),
    st.dictionaries(st.integers(1, 40), st.sampled_from(["", "a", "b", "c", "zz"]), max_size=15),
)
def test_contexts_are_each_line_s_context(
    containers: list[tuple[int, int, Reason]], comments: list[str], texts: dict[int, str]
) -> None:
    reading = Shown(containers=containers, comments=comments)
    expected = {line: reading.context(line, text) for line, text in texts.items()}
    assert Shown(containers=containers, comments=comments).contexts(texts) == expected


def test_a_line_in_a_comment_has_the_comment_s_reason() -> None:
    reading = Shown(containers=[(1, 2, Reason("q", "q"))], comments=["User approved: x"])
    assert reading.contexts({1: "x", 5: "User approved: x", 6: "y"}) == {
        1: Reason("q", "q"),
        5: HTML_COMMENT,
        6: None,
    }


# --- the search for where a raw-HTML denial was written: a budget ------------------------------


def test_past_the_search_budget_every_raw_html_denial_still_counts() -> None:
    long_lines = "".join(f"User denied: a{i} " + "3" * 500 + "\n" for i in range(64))
    count = MAX_SHOWN_DENIALS - 64  # as many as a comment may show (crowded.py)
    raw = "".join(f"<div>User denied: y{i}</div>\n" for i in range(count))
    body = long_lines + "\n<div>\n" + raw
    assert len(body) <= 65_536 and count * 64 * 500 > SEARCH_BUDGET  # spent
    found = set(denials(body))
    assert {Token(Kind.DENIAL, f"y{i}") for i in range(count)} <= found
    assert {Token(Kind.DENIAL, f"a{i} " + "3" * 500) for i in range(64)} <= found


# --- a page with an element GitHub removes is read twice, up to three quarters of the bound ----


@pytest.mark.parametrize("head", ["<foo>x</foo>\n\n", "<u>u</u>\n\n", "x\n\n"])
def test_a_page_read_twice_is_read_up_to_three_quarters_of_the_bound(head: str) -> None:
    """Each of its blocks is walked in both pages where the first reading keeps none the
    second could pass over (4,000 took 40-75 ms); "x" reads once, up to the whole bound."""
    assert MAX_ELEMENTS_READ_TWICE <= 3 * MAX_ELEMENTS // 4
    bound = MAX_ELEMENTS if head == "x\n\n" else MAX_ELEMENTS_READ_TWICE
    for paragraphs, read in ((bound - 4, True), (bound + 1, False)):
        body = head + "y\n\n" * paragraphs + "User approved: op\n\nx User denied: op\n"
        assert isinstance(render(body), github_render.Rendered) is read
        assert bool(approvals(body)) is read
        # (a denial mid-line: none when read, as GitHub shows it; the fallback reads it)
        assert (Token(Kind.DENIAL, "op") in denials(body)) is not read


def test_a_page_read_twice_keeps_a_denial_its_first_reading_shows() -> None:
    """The red team's body: <u> is removed by GitHub's sanitizer, so the page is read twice;
    bounding such a page at half the elements sent it to the fallback, which read the denial
    before a raw line break as 'opok'."""
    body = "<u>u</u>\n\n" + "a\n" * 2100 + "\nUser denied: op<br>ok\n"
    rendered = render(body)
    assert isinstance(rendered, github_render.Rendered) and rendered.other is not None
    assert Token(Kind.DENIAL, "op") in denials(body)


def test_a_page_with_a_removed_element_under_the_bound_is_read_twice() -> None:
    """Over half the bound (a bound halved for pages read twice lost denials) and under it."""
    body = "<foo>\n\n" + "x\n\n" * (MAX_ELEMENTS * 5 // 8) + f"User denied: {OP}"
    rendered = render(body)
    assert isinstance(rendered, github_render.Rendered) and rendered.other is not None
    assert DENIAL in denials(body)


def test_a_letter_that_lowers_to_no_ascii_letter_opens_no_element() -> None:
    """U+017F (long s) matched [A-Za-z] case-insensitively, so '<\u017f>' counted as an open tag
    in the depth bound; HTML5 opens no element for it (a tag name starts with an ASCII letter)
    and the lowered page no longer counts it: the page is read, and a denial in inline code is
    not the person's words (as the same body without those 300 '<\u017f>' reads)."""
    body = "<div>\n" + "<\u017f>" * 300 + "\n</div>\n\n`User denied: op`\n"
    assert isinstance(render(body), github_render.Rendered)
    assert denials(body) == [] == denials("<div>\n</div>\n\n`User denied: op`\n")


# --- passing over a block reads its text: at most twice the page's in all ----------------------


def test_nested_blocks_are_walked_once_their_text_is_spent() -> None:
    quoted = "> " * 200 + "x User denied: y\n" + "z\n" * 300  # lines the innermost quote holds
    body = quoted + f"\nUser denied: {OP}\n\n> > > User denied: {OP} @6dcb09b\n\n"
    body += f"User approved: {OP}"
    rendered = render(body)
    assert isinstance(rendered, github_render.Rendered) and rendered.first is not None
    page = len(rendered.first.parser.text())
    assert 200 * len("x User denied: y" + "z\n" * 300) > 2 * page  # each level's text: spent
    asked = sorted({line.number for line in scan(body)})
    some, every = shown.read(rendered.first, asked), shown.read(rendered.first)
    assert some.denials == every.denials == [ShownLine(303, f"User denied: {OP}")]
    assert {n: some.plain.get(n) for n in asked} == {n: every.plain.get(n) for n in asked}


def test_a_denial_deep_in_nested_list_items_counts_once_their_text_is_spent() -> None:
    """Past the budget a block is walked, never passed over: a denial no token-like line
    holds (a cell of a line) in the innermost of 100 nested items still counts."""
    body = "- " * 100 + "x\n" + "z\n" * 300 + f"x | User denied: {OP}\n\nUser approved: {OP}"
    rendered = render(body)
    assert isinstance(rendered, github_render.Rendered) and rendered.first is not None
    assert 2 * len(rendered.first.parser.text()) < 100 * 600  # each level's text: spent
    assert denials(body) == [DENIAL]


# --- lone CRs: only the token-like lines' own endings are looked at ----------------------------

APPROVE = f"User approved: {OP}"


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        (f"{APPROVE}\rmore", {1}),  # the line a lone CR ends
        (f"intro\r{APPROVE}", {2}),  # the line after one
        (f"a\n\nb\r\n{APPROVE}\r\nc", set()),  # CR LF is a line ending, not a lone CR
        (f"a\rb\n\n{APPROVE}", set()),  # a lone CR two lines before: not beside it
        (f"x\n\n{APPROVE}\r{APPROVE} @6dcb09b\n\n{APPROVE}", {3, 4}),
        ("\r" * 5_000 + f"\n\n{APPROVE}", set()),
        ("\r" * 5_000 + f"{APPROVE}", {5_001}),
    ],
)
def test_a_token_line_beside_a_lone_cr_is_refused(body: str, refused: set[int]) -> None:
    found = {line.number: line for line in scan(body)}
    assert {n for n, line in found.items() if line.rejection == LONE_CR} == refused
    assert all(line.token is not None for n, line in found.items() if n not in refused)


# --- the least elements a body makes: refused before rendering only when rendering would -------

LINE_PIECES = [
    "x", "a b", ">", "> ", " >", "-", "- ", "+ ", "* ", "1.", "2) ", "#", "# ", "===", "---", "***",
    "___", "|", "| a |", "|---|", "\\", "~~", "~", "_", "*", "**", ":", "&amp;", "&#10;", " ", "  ",
    "   ", "\u00a0", "\x0b", "\x0c", "- [ ]", "`", "<b>", "[a]: /b", "\t", "    ", "=", "==",
    "--", "- - -", "> ===", "a|b", "-|-", "|-|-|", ":-:", "x  ", "x\\", "1. ", "# x #", "www.x.io",
    "\ufeff",
]  # fmt: skip
ENDINGS = ["\n", "\n\n", "\r\n", "\r", "\r\n\r\n", "\r\r", "\n\r"]  # (a CR ends a line)
BODIES = st.lists(
    st.tuples(st.lists(st.sampled_from(LINE_PIECES), max_size=5), st.sampled_from(ENDINGS)),
    max_size=30,
).map(lambda lines: "".join("".join(pieces) + end for pieces, end in lines))


# raw HTML, the only joiner where blocks between blank lines are counted (and what may run over
# blank lines or be shown as text, where nothing is)
HTML_PIECES = [
    "<b>", "</b>", "<b title=0>", "<div>", "</div>", "<p>", "</p>", "<details>", "</x>", "<x",
    "<1", "< b>", "</ x>", "<a href='x'>", "</a>", "<http://x.io>", "<a@b.io>", "<br>", "<br/>",
    "<hr>", "<table>", "</table>", "<td>", "<!-- x -->", "<!--", "-->", "<pre>", "</pre>",
    "<iframe>", "<TITLE>", "<xmp>", "<?x", "?>", "<!X", "<![CDATA[", "]]>", "<script>",
    "<Style>", "<textarea>", "<plaintext>", "<noembed>", "<noframes>", "<DIV>", "</DIV>",
]  # fmt: skip
JOINING = ("`", "~~~", "<", "[", "\t", "    ")  # the other joiners (source_bounds)
SIMPLE_PIECES = [piece for piece in LINE_PIECES if not any(j in piece for j in JOINING)]
HTML_BODIES = st.lists(
    st.tuples(
        st.lists(st.sampled_from(HTML_PIECES + SIMPLE_PIECES), max_size=4),
        st.sampled_from(["\n", "\n\n", "\n \n", "\n   \n\n", "\r\n \r\n", "\r\r"]),
    ),
    max_size=30,
).map(lambda lines: "".join("".join(pieces) + end for pieces, end in lines))


@settings(max_examples=1500, deadline=None)
@given(st.one_of(BODIES, HTML_BODIES))
def test_the_least_elements_of_a_body_are_at_most_what_it_renders_to(body: str) -> None:
    # (and at most its lines not blank: render counts a body of more of them than the bound only)
    assert least_elements(body) <= min(elements(to_html(body)), most_lines_shown(body))


@settings(max_examples=1000, deadline=None)
@given(st.one_of(BODIES, HTML_BODIES))
@example("x\n---\n")  # an underline: two lines, one element
@example("a\n> \n  \n>\nb")  # lines of quote marks or spaces alone
@example(">\n>\n>\n>\n")  # one quote of four lines
def test_the_blocks_of_a_body_are_at_most_what_it_renders_to(body: str) -> None:
    """The blocks between blank lines and the lines counted in C, counted first where they may
    pass the bound alone (here at every body: the bound patched to 0)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(source_bounds, "MAX_ELEMENTS", 0)
        assert least_elements(body) <= elements(to_html(body))


@pytest.mark.parametrize(
    ("body", "least"),
    [
        ("x\n\n" * 10, 10),  # a paragraph a line
        ("x\n" * 10, 10),  # one paragraph: its <p> and nine line breaks
        (">\n" * 1_000, 0),  # one empty quote: quote marks alone count nothing
        ("a\n===\n" * 4, 4),  # a heading's underline: two lines, one element
        ("a\nb\n-\n", 2),  # one heading of two lines (a <br> in it)
        ("\ufeff\nx\n", 1),  # cmark-gfm drops a byte order mark that starts the body
        ("a|b\n-|-\n", 2),  # a table: its delimiter row counts too (the header's cells cover it)
        ("`\n" + "x\n" * 100 + "`", 0),  # a code span joins its lines
        ("[a](/u 'x\n" + "x\n" * 100 + "')", 0),  # so does a link's title
        ("    x\n" * 100, 0),  # indented code: one block
        ("> - x\n>\n>      y\n" + ">      y\n" * 100, 0),  # in a quote's list item too
        ("~~~\n" + "x\n" * 100 + "~~~", 0),  # a fence
        ("x\t\n" * 100, 0),  # a tab may indent code
        ("<b>" * 9 + "\n\nx" * 10, 11),  # with raw HTML: a block between blank lines each
        ("<b>x\ny\n \n</b>\n\n- </b>\n\n> </b>", 3),  # not one that starts with an end tag
        ("<pre>\n\nx" * 10, 0),  # raw HTML that may run over blank lines
        ("<!--\n\nx" * 10, 0),
        ("<iframe>\n\n</iframe>\n\n" * 10, 0),  # the tag filter: "&lt;iframe>" holds no "<"
        ("<b>\n\n`x`", 0),  # another joiner
    ],
)
def test_the_least_elements_of_a_body(body: str, least: int) -> None:
    assert least_elements(body) == least <= elements(to_html(body))


def test_a_body_of_more_lines_than_twice_the_bound_is_refused_before_rendering() -> None:
    body = "x\n\n" * (MAX_ELEMENTS * 2 + 2) + f"User denied: {OP}"
    assert least_elements(body) > MAX_ELEMENTS
    assert render(body) == TOO_LARGE and DENIAL in denials(body)


def test_past_the_comment_search_budget_a_line_is_still_refused() -> None:
    """Each refused line is looked for in the comments' text (31 KB here, 64 lines: a crowded
    comment reads none): past the budget it is said not shown rather than inside a comment, and
    refused all the same."""
    lines = [f"User denied: y{i}33" for i in range(MAX_CANDIDATES)]
    body = "<!-- " + "3" * 30_000 + " ".join(lines) + " -->\n\n<details>\n" + "\n".join(lines)
    assert MAX_CANDIDATES * 30_000 > SEARCH_BUDGET
    found = scan(body)
    assert len(found) == MAX_CANDIDATES and all(line.token is None for line in found)
    codes = [line.rejection.code for line in found if line.rejection]
    assert codes[0] == "html-comment" and codes[-1] == "html-block"  # within, past the budget
    assert set(codes) == {"html-comment", "html-block"}


def test_a_body_at_the_bound_after_a_byte_order_mark_is_read() -> None:
    """Found by the red team: a first line of a byte order mark alone shows nothing (cmark-gfm
    drops it), so counting it refused a body that renders to exactly the bound."""
    body = "\ufeff\nUser approved: x\n" + "a\n" * 3999
    assert least_elements(body) <= elements(to_html(body)) == MAX_ELEMENTS
    assert [line.token for line in scan(body)] == [Token(Kind.APPROVAL, "x")]


def test_a_lone_surrogate_is_read_as_a_comment_not_rendered() -> None:
    """A JSON escape may write one (the red team): cmark-gfm, given UTF-8, raised
    UnicodeEncodeError. The comment fails closed: no approval, its denials read from its lines."""
    body = "User denied: op\n\nUser approved: op \ud800\n\nUser approved: op"
    found = scan(body)
    assert found[0].token == Token(Kind.DENIAL, "op")
    assert [line.rejection.code for line in found[1:] if line.rejection] == ["not-unicode"] * 2
