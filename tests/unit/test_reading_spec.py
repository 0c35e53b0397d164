"""The reader's tree rules over cmark-gfm's own spec examples, with the spec's HTML as the oracle.

The examples come from a package registry at test time (tests/support/spec_examples.py), never
from the repository. Three checks, none of which uses the reader to judge the reader:

1. The renderer is the spec's: ``cmarkgfm`` with the spec's options (raw HTML kept, the example's
   own extensions) renders each example to the spec's HTML, but for a few listed examples whose
   expected HTML cmark-gfm has since changed.
2. GitHub's options (every comment extension, hard breaks, footnotes) change an example's HTML only
   where one of them applies, and source positions change nothing but attributes.
3. Verdicts. A token line written after an example, or before it, with a blank line between, is a
   paragraph of its own, so the page the spec expects for the longer body is the example's HTML
   with ``<p>token</p>`` after (or before) it. The token may count only where, in the HTML5 tree of
   that page (lexbor, as core/github_render.py parses), its text's only ancestor is that paragraph:
   the reader's tree rules must say the same over the spec's page, and ``scan`` of the longer body
   (our renderer, our options) must reach the same verdict. For a denial, the reader's rules over
   the spec's page and ``scan`` over ours must agree.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from selectolax.lexbor import LexborHTMLParser, LexborNode
from tests.support.spec_examples import Example, load

from applygate.core import github_render, sanitizer
from applygate.core.reading import scan
from applygate.core.shown import read
from applygate.core.token import Kind, Token

APPROVAL = "User approved: x"
DENIAL = "User denied: x"
SPEC_OPTIONS = Options.CMARK_OPT_UNSAFE  # how cmark-gfm's spec_tests.py renders (raw HTML kept)

LOADED = load()
EXAMPLES = [] if isinstance(LOADED, str) else LOADED
RUN = [e for e in EXAMPLES if "disabled" not in e.extensions]  # spec_tests.py skips the rest

# The Debian package's spec (GFM 0.29, 2019-04-06) predates two deliberate cmark-gfm changes
# that the cmark-gfm inside cmarkgfm carries; the verdict checks below still run over them.
NEWER_THAN_THE_SPEC = dict.fromkeys(
    (398, 426, 434, 435, 436, 473, 474, 475, 477),
    "cmark-gfm now renders directly nested <strong><strong> as one <strong>",
) | dict.fromkeys(
    (645, 646),
    "cmark-gfm now reads HTML comments as CommonMark 0.31 does (as HTML5 does: <!--> and --)",
)


def _cmark(markdown: str, options: int, extensions: Iterable[str]) -> str:
    html: str = cmarkgfm.markdown_to_html_with_extensions(
        markdown, options=options, extensions=list(extensions)
    )
    return html


def _as_the_spec_renders(example: Example, markdown: str | None = None) -> str:
    extensions = [name for name in example.extensions if name != "disabled"]
    return _cmark(example.markdown if markdown is None else markdown, SPEC_OPTIONS, extensions)


def test_the_spec_examples_are_there() -> None:
    """In CI the examples must be there (.ci/spec-examples fetches them); a local skip says how."""
    if isinstance(LOADED, str):
        if os.environ.get("CI") == "true":
            pytest.fail(LOADED)
        pytest.skip(LOADED)
    assert len(LOADED) > 600  # the whole spec was read, not a fragment of it
    assert {"table", "strikethrough", "autolink", "tagfilter"} <= {
        name for e in LOADED for name in e.extensions
    }


# 1. The renderer is the spec's.


@pytest.mark.parametrize("example", RUN, ids=lambda e: f"{e.number}")
def test_cmark_gfm_renders_the_spec_s_html(example: Example) -> None:
    if example.number in NEWER_THAN_THE_SPEC:
        assert _as_the_spec_renders(example) != example.html, (
            "no longer newer: drop it from the list"
        )
        return
    assert _as_the_spec_renders(example) == example.html


# 2. GitHub's options, against the spec's.

_GITHUB = github_render.OPTIONS & ~Options.CMARK_OPT_SOURCEPOS
# each of our departures from the spec's configuration, alone
_DEPARTURES = {
    "hard breaks": (SPEC_OPTIONS | Options.CMARK_OPT_HARDBREAKS, None),
    "footnotes": (SPEC_OPTIONS | Options.CMARK_OPT_FOOTNOTES, None),
    "GitHub's other extensions": (SPEC_OPTIONS, github_render.EXTENSIONS),
}
_SOURCEPOS = re.compile(r' data-sourcepos="\d+:\d+-\d+:\d+"')


@pytest.mark.parametrize("example", RUN, ids=lambda e: f"{e.number}")
def test_github_s_options_change_the_html_only_where_one_applies(example: Example) -> None:
    assert set(example.extensions) - {"disabled"} <= set(github_render.EXTENSIONS)
    ours = _cmark(example.markdown, _GITHUB, github_render.EXTENSIONS)
    if ours == example.html or example.number in NEWER_THAN_THE_SPEC:
        return
    spec = _as_the_spec_renders(example)
    applies = [
        name
        for name, (options, extensions) in _DEPARTURES.items()
        if _cmark(example.markdown, options, {*example.extensions, *(extensions or ())}) != spec
    ]
    assert applies, f"differs from the spec's HTML though none of our options applies:\n{ours}"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e.number}")
def test_source_positions_change_nothing_but_attributes(example: Example) -> None:
    shown = _SOURCEPOS.sub("", github_render.to_html(example.markdown))
    assert shown == _cmark(example.markdown, _GITHUB, github_render.EXTENSIONS)


NO_RAW_HTML = [e for e in EXAMPLES if "<" not in e.markdown]


@pytest.mark.parametrize("example", NO_RAW_HTML, ids=lambda e: f"{e.number}")
def test_without_a_less_than_sign_no_formatting_element_is_left_open(example: Example) -> None:
    """No formatting element is left open for HTML5 to rebuild (``render`` counts them only in
    a comment with a "<"): cmark-gfm closes every element it opens."""
    html = github_render.to_html(example.markdown)
    assert github_render.left_open(github_render.without_comments(html).lower()) == 0, html


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e.number}")
def test_an_element_github_removes_is_one_the_comment_writes(example: Example) -> None:
    """``render`` looks at the page for removed elements only if the comment writes such a tag:
    cmark-gfm passes raw HTML through as written and writes only elements GitHub keeps."""
    for markdown in (example.markdown, example.markdown.replace("div", "foo")):
        html = github_render.to_html(markdown)
        assert sanitizer.removed_elements(html) <= sanitizer.removed_elements(markdown)


def test_many_examples_write_no_less_than_sign() -> None:
    assert not EXAMPLES or len(NO_RAW_HTML) > 300


# 3. Verdicts over the spec's page and over ours.


def _paragraph(line: int, text: str) -> str:
    return f'<p data-sourcepos="{line}:1-{line}:{len(text)}">{text}</p>\n'


def _after(example: Example, token: str) -> tuple[str, int, str]:
    """The longer body, the token's line and the page the spec expects for it."""
    line = example.markdown.count("\n") + 2
    return f"{example.markdown}\n{token}\n", line, example.html + _paragraph(line, token)


def _before(example: Example, token: str) -> tuple[str, int, str]:
    return f"{token}\n\n{example.markdown}", 1, _paragraph(1, token) + example.html


def _stays_a_paragraph(example: Example, token: str) -> bool:
    """Whether, to the spec's renderer, the token written after the example is a paragraph of its
    own and leaves the example's HTML as it was (an unclosed fence or HTML block swallows it)."""
    body, _, _ = _after(example, token)
    return (
        _as_the_spec_renders(example, body) == _as_the_spec_renders(example) + f"<p>{token}</p>\n"
    )


APPENDABLE = [e for e in EXAMPLES if _stays_a_paragraph(e, APPROVAL)]


def test_few_examples_swallow_a_following_paragraph() -> None:
    swallowing = [e.number for e in EXAMPLES if e not in APPENDABLE]
    assert len(swallowing) <= 12, swallowing  # unclosed fences and raw HTML blocks of kinds 1-5


def _ancestors_of(first: LexborNode | None, text: str) -> list[tuple[str, ...]]:
    """For each text node holding ``text``, the tags of the elements around it, outermost first."""
    found: list[tuple[str, ...]] = []
    stack: list[tuple[LexborNode | None, tuple[str, ...]]] = [(first, ())]
    while stack:
        node, around = stack.pop()
        while node is not None:
            if node.tag == "-text" and text in (node.text_content or ""):
                found.append(around)
            elif node.tag not in ("-text", "-comment"):
                stack.append((node.child, (*around, node.tag or "")))
            node = node.next
    return found


def _spec_verdict(page: str, line: int, token: str) -> tuple[bool, bool]:
    """Over the spec's page: whether the token stands alone as the text of a paragraph directly in
    the page (the oracle), and whether the reader's tree rules take that line as plain."""
    first = LexborHTMLParser(page, is_fragment=True).root
    oracle = _ancestors_of(first, token) == [("p",)]
    return oracle, read(first).plain.get(line) == token


def _counts(body: str, line: int) -> bool:
    return any(
        s.number == line and s.token == Token(Kind.APPROVAL, "x")
        for s in scan(body)  # scan is where the renderer, the tree and the grammar meet
    )


@pytest.mark.parametrize("where", [_after, _before], ids=["after", "before"])
@pytest.mark.parametrize("example", APPENDABLE, ids=lambda e: f"{e.number}")
def test_an_approval_beside_an_example_counts_as_the_spec_s_tree_says(example, where) -> None:
    body, line, page = where(example, APPROVAL)
    oracle, rules = _spec_verdict(page, line, APPROVAL)
    assert rules == oracle, "the reader's tree rules misread the spec's own page"
    assert _counts(body, line) == oracle, "our rendering reaches another verdict than the spec's"


@pytest.mark.parametrize("example", APPENDABLE, ids=lambda e: f"{e.number}")
def test_a_denial_after_an_example_is_seen_as_over_the_spec_s_page(example: Example) -> None:
    body, line, page = _after(example, DENIAL)
    shown = read(LexborHTMLParser(page, is_fragment=True).root)
    seen_in_the_spec_s_page = any(d.text.strip() == DENIAL for d in shown.denials)
    ours = any(s.number == line and s.token == Token(Kind.DENIAL, "x") for s in scan(body))
    assert ours == seen_in_the_spec_s_page
