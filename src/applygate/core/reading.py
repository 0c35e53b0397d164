"""Which lines of a comment are approval or denial tokens, read the way GitHub shows the comment.

GitHub's renderer and an HTML5 tree decide (core/github_render.py, core/shown.py); this module
only puts the pieces together:

1. a cheap test first: a body in which no line could be shown as a token is not rendered;
2. the lines that read like a token to a person (however badly written) are the candidates;
3. an approval counts only on a line that is shown as a line of plain text of a paragraph that
   sits directly in the page, exactly as written (no markup, escape or entity changes it), and
   that passes the grammar (core/token.py: look-alikes, invisible characters, spacing);
4. a denial counts wherever a reader sees it as the person's words (core/shown.py).

Pure: a string in, a line verdict for each token-like line out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from operator import attrgetter

from applygate.core.crowded import MAX_CANDIDATES, crowded_line, denies_everything
from applygate.core.denial_text import TAGS, without_marks
from applygate.core.github_render import TOO_DEEP, render, without_comments
from applygate.core.line_index import LINE_ENDING, split_lines
from applygate.core.placing import Nearby, place_shown
from applygate.core.reasons import Reason
from applygate.core.references import unescape
from applygate.core.second_reading import Known, strictest
from applygate.core.shown import read
from applygate.core.shown_page import Shown
from applygate.core.suspects import has_suspect
from applygate.core.token import (
    MARKDOWN_LEAD,
    Kind,
    ScannedLine,
    Token,
    parse_line,
    token_like_lines,
)
from applygate.core.unrendered import unreadable

# (controls: what a skeleton drops from within a line; a CR ends a line)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A tag whose quoted values may hold ">" (never "<": linear), and a link's target or reference.
_QUOTED_TAG = re.compile(r"""<[^<>"']*+(?:(?:"[^"<]*+"|'[^'<]*+')[^<>"']*+)*+>""")
_LINK_TARGET = re.compile(r"\]\([^()]*\)|\]\[[^\[\]]*\]")
_RAW_TABLE = re.compile(r"<table(?! data-sourcepos=)", re.IGNORECASE)
_PARAGRAPH_START = re.compile(r'<p data-sourcepos="(\d+):')
_NO_POSITION = ' data-sourcepos="0:'  # (source lines count from 1)

NOT_SHOWN = Reason("html-block", "not shown as a line of text (inside raw HTML or an HTML comment)")
NOT_AS_WRITTEN = Reason(
    "inline-markup", "not shown as written: an escape, entity or markup changes the line"
)
FORGED = Reason(
    "html-block", "the comment writes data-sourcepos itself: its lines cannot be placed"
)
FOSTERED = Reason("table", "written inside a raw HTML <table>: a browser moves it out of it")
LONE_CR = Reason("control-char", "a lone carriage return (U+000D) ends a line here: not a token")


def body_looks_like_token(body: str, memo: dict[str, str] | None = None) -> bool:
    """Whether ``body`` could hold a token: the cheap test before any rendering. It errs towards
    yes: a token word (or any character outside printable ASCII) as written, with entities
    decoded, or with tags and Markdown marks dropped from inside the words. Only a body with
    neither word in any of these forms is skipped (conversation costs no rendering)."""
    if _may_hold_token(body):  # as written: not decoded (one callback an entity)
        return True
    decoded = unescape(body, memo)
    if decoded != body and _may_hold_token(decoded):
        return True
    # (tags alone dropped would add nothing: a match there survives the marks' removal too)
    plain = without_marks(TAGS.sub("", decoded))
    if plain != decoded and _may_hold_token(plain):  # each form searched once
        return True
    if "<" not in decoded and "]" not in decoded:
        return False  # a word split by an HTML comment, a tag's quoted ">" or a link's target:
    shown = _LINK_TARGET.sub("", _QUOTED_TAG.sub("", without_comments(decoded)))  # "de[n](u)ied"
    shown = without_marks(shown)
    return shown != plain and _may_hold_token(shown)


def _may_hold_token(text: str) -> bool:
    """Whether ``text`` may hold a token: always a text with a character outside ASCII; an ASCII
    one with a token word in any case (str search in C on the text in lower case, three times
    faster than a pattern's alternation) or a control character (which a skeleton drops)."""
    if not text.isascii():
        return True
    lowered = text.lower()
    return "approved" in lowered or "denied" in lowered or _CONTROL.search(text) is not None


def scan(body: str) -> list[ScannedLine]:
    """Every token-like line of a comment, each a token or the reason it is not one."""
    memo: dict[str, str] = {}  # the references decoded: this comment's (core/references.py)
    if not body_looks_like_token(body, memo):
        return []
    body = body.removesuffix("\r")  # ends nothing: what GitHub strips anyway
    lines = split_lines(body)
    candidates = token_like_lines(body)  # (the lines that read like a token, by number)
    rendered = render(body)
    if isinstance(rendered, Reason):
        return unreadable(body, lines, candidates, rendered, memo)
    raw_table = _RAW_TABLE.search(rendered.html)
    fostering = raw_table is not None  # needs every table's place
    crowded = len(candidates) > MAX_CANDIDATES  # no approval counts: no line is asked about
    asked = () if crowded else candidates  # (only the page's shown denials are read)
    try:
        other_way = rendered.other  # however GitHub removes elements, the stricter reading holds
        shown = read(
            rendered.first,
            asked,
            every_table=fostering,
            keep=other_way is not None,
            last_line=len(lines),
        )
        if other_way is not None and shown.beyond is None:
            known = Known.of(shown, rendered.html, in_source_order(body, rendered.html))
            # (strictest asks the second reading for plain lines and denials: not its tables)
            second = read(other_way, asked, known=known, last_line=len(lines))
            if second.beyond is None:
                strictest(shown, second, known.agreed)
            shown.beyond = second.beyond
    except RecursionError:  # deeper than the bound saw (end tags that close nothing fool it)
        return unreadable(body, lines, candidates, TOO_DEEP, memo)
    if shown.beyond is not None:  # more shown denials than anyone writes: read no further
        return denies_everything(lines, candidates, shown.beyond.line)
    if "data-sourcepos" in body.lower():  # a raw element could claim any source line
        shown.plain = dict.fromkeys(shown.plain, FORGED)
    if raw_table is not None:
        _unplace_fostered(shown, rendered.html, raw_table.start())
    lone = _next_to_lone_cr(body, candidates)
    found: dict[int, ScannedLine] = {}
    # a line not shown plain as written, or with a character the grammar refuses (found in C),
    # holds no token: it is left out (a denial placed there takes it, as it would a line with
    # no token) and why is looked up afterwards, only if no shown denial took its place
    unsettled: dict[int, Kind] = {}
    as_written: set[int] = set()  # lines the grammar made a token of, as written (kept so)
    for number, kind in candidates.items():
        line = lines[number - 1]
        if crowded and kind is Kind.APPROVAL:
            found[number] = crowded_line(number, line, kind)
        elif number in lone:
            found[number] = ScannedLine(number, line, kind, rejection=LONE_CR)
        elif crowded or shown.plain.get(number) != line.strip(" \t") or has_suspect(line):
            unsettled[number] = kind
        else:
            found[number] = parse_line(number, line, kind)
            if found[number].token is not None:
                as_written.add(number)
    # where a shown denial without a position is looked for: the first token-like lines'
    # denial lines, joined once, so that a body of many shown denials stays linear
    first = sorted(candidates)[:MAX_CANDIDATES]
    nearby = Nearby.of([n for n in first if candidates[n] is Kind.DENIAL], lines)
    beside: dict[Token, ScannedLine] = {}  # shown denials whose line holds another token
    place_shown(shown.denials, lines, found, beside, as_written, nearby)
    for number, kind in unsettled.items():
        if number in found:
            continue
        line = lines[number - 1]  # (crowded: no line is read one by one)
        found[number] = (
            crowded_line(number, line, kind) if crowded else _read_line(number, line, kind, shown)
        )
    return sorted([*found.values(), *beside.values()], key=attrgetter("number"))


def in_source_order(body: str, page: str) -> bool:
    """Whether a page's blocks stand in source order, each at a position of its own: no raw
    table moved one, the comment writes none, and no table took a paragraph's last line for its
    header (cmark-gfm writes the paragraph at 0:0: a struck approval counted, ending there)."""
    return (
        _RAW_TABLE.search(page) is None
        and _NO_POSITION not in page
        and "data-sourcepos" not in body.lower()
    )


def _read_line(number: int, line: str, kind: Kind, shown: Shown) -> ScannedLine:
    """Why a line not shown plain as written (see ``scan``) holds no token."""
    value = shown.plain.get(number)
    if isinstance(value, str):  # shown plain, but otherwise than written
        read_as_written = parse_line(number, line, kind)
        if read_as_written.token is None:
            return read_as_written  # the grammar's reason (an invisible character, say) first
        return ScannedLine(number, line, kind, rejection=NOT_AS_WRITTEN)
    if value is not None:
        return ScannedLine(number, line, kind, rejection=value)
    core = MARKDOWN_LEAD.sub("", line, count=1).strip().removesuffix("-->").strip()
    return ScannedLine(number, line, kind, rejection=shown.context(number, core) or NOT_SHOWN)


def _unplace_fostered(shown: Shown, page: str, raw: int) -> None:
    """A paragraph written after the first raw ``<table>`` opened (at ``raw`` in the page) and
    shown before a table was moved out of it by HTML5 (foster parenting): it was written inside
    the table, so none of its lines is taken as plain (a paragraph between two raw tables is
    refused too: failing closed)."""
    last_table = max(shown.tables, default=0)
    # where each paragraph's first line is first written: after the raw table or not
    before = set(_PARAGRAPH_START.findall(page, 0, raw))
    after = set(_PARAGRAPH_START.findall(page, raw)) - before
    for first, last, place in shown.paragraphs:
        if str(first) in after and last_table > place:
            for number in range(first, last + 1):
                shown.plain[number] = FOSTERED


def _next_to_lone_cr(body: str, numbers: Iterable[int]) -> set[int]:
    """Which of the lines ``numbers`` stand on either side of a lone CR: no editor writes one,
    only a crafted request does (the endings found in C, each line's two looked up)."""
    if "\r" not in body:
        return set()
    endings = LINE_ENDING.findall(body)  # endings[k] ends line k + 1
    return {n for n in numbers if "\r" in (endings[n - 1 : n] + endings[max(n - 2, 0) : n - 1])}
