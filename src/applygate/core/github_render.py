"""A comment as GitHub shows it: GitHub's own Markdown renderer, then a browser's HTML5 tree.

GitHub renders issue, pull-request and review comments with cmark-gfm, its fork of cmark, with
the GitHub extensions (tables, strikethrough, autolinks, the tag filter, task lists, footnotes),
line breaks kept as breaks, and raw HTML passed through to its sanitizer, which keeps an
allowlist of elements. The reader's browser then builds the page by HTML5's tree-construction
rules (which move, close and nest elements in ways no regular expression predicts). Which lines
of a comment are a person's plain words is read off that tree, never guessed from the Markdown.

Pure: a string in, a tree out; no I/O. The two libraries are the field's own: ``cmarkgfm``
(bindings to GitHub's cmark-gfm) and selectolax's lexbor engine (an HTML5-conformant parser).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import cmarkgfm
from cmarkgfm.cmark import Options
from selectolax.lexbor import LexborHTMLParser, LexborNode

from applygate.core.nesting import nesting
from applygate.core.reasons import Reason
from applygate.core.sanitizer import dropped_page
from applygate.core.source_bounds import (
    MAX_AMPLIFICATION,
    MAX_DEPTH,
    MAX_ELEMENTS,
    too_deep,
    too_large,
)

EXTENSIONS = ("table", "strikethrough", "autolink", "tagfilter", "tasklist")
# UNSAFE: raw HTML is passed through (GitHub sanitizes it afterwards rather than dropping it);
# HARDBREAKS: in comments, every line break of a paragraph is shown as a break;
# SOURCEPOS: each Markdown block says which source lines it came from.
OPTIONS = (
    Options.CMARK_OPT_UNSAFE
    | Options.CMARK_OPT_HARDBREAKS
    | Options.CMARK_OPT_FOOTNOTES
    | Options.CMARK_OPT_SOURCEPOS
)

# A source position's first and last line: digits before the first ":", and digits between the
# first "-" after it and the next ":" (or the end).
_POSITION = re.compile(r"([0-9]+):[^-]*-([0-9]+)(?::|\Z)")
TOO_DEEP = Reason("nested", f"nested more than {MAX_DEPTH} elements deep: too deep to read")
# A page with an element GitHub's sanitizer removes is read twice (core/second_reading.py), and
# a second reading passes over only blocks the first kept: 4,000 blocks read twice took 40-75 ms
# on a machine running twice slow. Three quarters of the bound: "a 2,000-line paste" still reads.
MAX_ELEMENTS_READ_TWICE = 3_000
# The formatting elements HTML5 reopens in every later block when they are left open (searched
# in the page in lower case: HTML5 lowers a tag name's ASCII letters).
_FORMATTING = re.compile(r"<(/?)(a|b|big|code|em|font|i|nobr|s|small|strike|strong|tt|u)(?=[\s/>])")
# The elements a page may have once the formatting elements left open are rebuilt in every block
# after them (each element counted times one plus those left open: the count errs high).
REBUILT_ELEMENTS = 4 * MAX_ELEMENTS
# A lone surrogate: no Unicode text holds one (JSON may write one as an escape), and cmark-gfm,
# given the comment as UTF-8, cannot take it.
_SURROGATE = re.compile("[\ud800-\udfff]")
NOT_UNICODE = Reason("not-unicode", "holds a lone surrogate, which is not Unicode text: not read")
TOO_LARGE = Reason(
    "too-large",
    f"renders to a page over {MAX_AMPLIFICATION} times its size or of over {MAX_ELEMENTS:,} "
    f"elements ({MAX_ELEMENTS_READ_TWICE:,} with an element GitHub removes): too large to read",
)


@dataclass(frozen=True)
class Rendered:
    """The comment as a reader's browser builds it: the first of its top-level nodes (None for
    an empty comment), and the HTML it was built from; where the page has an element GitHub's
    sanitizer removes, also the page as it is if the sanitizer drops that element's tags one by
    one (``sanitizer.dropped_page``), else None."""

    first: LexborNode | None
    html: str
    other: LexborNode | None = None


def to_html(body: str) -> str:
    """The HTML GitHub's renderer makes of a comment, before sanitizing."""
    html: str = cmarkgfm.markdown_to_html_with_extensions(
        body, options=OPTIONS, extensions=list(EXTENSIONS)
    )
    return html


def render(body: str) -> Rendered | Reason:
    """The comment's page, or why it is not read (too large, or nested too deep).

    The HTML is parsed as a fragment in a ``div``: a comment is shown inside an element of
    GitHub's page, so that is where a browser's tree construction puts it."""
    if not body.isascii() and _SURROGATE.search(body) is not None:
        return NOT_UNICODE
    if too_large(body):  # not even rendered (core/source_bounds.py)
        return TOO_LARGE
    if too_deep(body):
        return TOO_DEEP
    html = to_html(body)
    count = elements(html)
    if len(html) > MAX_AMPLIFICATION * max(len(body), 1024) or count > MAX_ELEMENTS:
        return TOO_LARGE
    tags = without_comments(html).lower()  # an end tag inside a comment closes nothing
    # (with no "<" in the comment, every element is cmark-gfm's own: it closes each it opens)
    deepest, made = nesting(tags, raw="<" in body)
    count += made
    if count > MAX_ELEMENTS:
        return TOO_LARGE
    if "<" in body and count * (1 + left_open(tags)) > REBUILT_ELEMENTS:
        return TOO_LARGE
    if deepest > MAX_DEPTH:
        return TOO_DEEP
    kept = dropped_page(html, body)  # (not parsed before the bound below)
    if kept is not None and count > MAX_ELEMENTS_READ_TWICE:
        return TOO_LARGE
    first = LexborHTMLParser(html, is_fragment=True).root
    other = None if kept is None else LexborHTMLParser(kept, is_fragment=True).root
    return Rendered(first, html, other)


def elements(html: str) -> int:
    """An upper bound of the elements a page has, counted in C: every "<" that does not start an
    end tag (a start tag, a comment, or a "<" raw HTML left as text)."""
    return html.count("<") - html.count("</")


def source_lines(node: LexborNode, most: int | None = None) -> tuple[int, int] | None:
    """The source lines a Markdown block came from (cmark's ``data-sourcepos``, ``L:C-L:C``), or
    None for an element that came from raw HTML (or writes a value that is not a position, or
    one past line ``most``, the body's last: cmark-gfm writes none, a raw element may claim a
    billion lines, and a walk costs time and memory a line of a paragraph)."""
    value = node.attributes.get("data-sourcepos")
    found = _POSITION.match(value) if value else None
    if found is None:
        return None
    first, last = map(int, found.group(1, 2))
    if most is not None and max(first, last) > most:
        return None
    return first, last


def left_open(html: str) -> int:
    """Formatting elements a page (in lower case) opens and does not close: HTML5 rebuilds each
    of them in every block after it ("reconstruct the active formatting elements"), with no "<"
    of their own."""
    counted = Counter(_FORMATTING.findall(html))  # counted in C
    names = {name for _, name in counted}
    return sum(max(0, counted["", name] - counted["/", name]) for name in names)


def without_comments(line: str) -> str:
    """The text without its HTML comments, in one pass (an unclosed one is kept: its text may
    be a denial, its tags count; a regex would look for the end again from every "<!--")."""
    kept: list[str] = []
    position = 0
    while (start := line.find("<!--", position)) >= 0:
        end = line.find("-->", start + 4)
        if end < 0:
            break
        kept.append(line[position:start])
        position = end + 3
    kept.append(line[position:])
    return "".join(kept)
