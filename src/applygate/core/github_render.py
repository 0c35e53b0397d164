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
from itertools import repeat

import cmarkgfm
from cmarkgfm.cmark import Options
from selectolax.lexbor import LexborHTMLParser, LexborNode

from applygate.core.nesting import nesting
from applygate.core.reasons import Reason
from applygate.core.sanitizer import dropped_page

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

# Deeper nesting than any comment needs: HTML5 tree construction costs time quadratic in depth,
# so a deeper body is not read at all (and fails closed: see core/reading.py).
MAX_DEPTH = 256

# A source position's first and last line: digits before the first ":", and digits between the
# first "-" after it and the next ":" (or the end).
_POSITION = re.compile(r"([0-9]+):[^-]*-([0-9]+)(?::|\Z)")
TOO_DEEP = Reason("nested", f"nested more than {MAX_DEPTH} elements deep: too deep to read")
# A page out of proportion to its comment (cmark-gfm pads every table row to the header's width:
# 65 KB of Markdown can make 20 MB of HTML) is not read either: the walk costs time per node.
MAX_AMPLIFICATION = 64
# Nor is a page of more elements than a person's comment needs: rendering, parsing and reading
# cost up to 5 µs an element (benchmarks/token_scan.md), and 65 KB of Markdown can make 64,000 of
# them (a list nested in every line). At 4,000 the costliest page read once was read in about
# 20 ms when the bound was chosen, a third of the 30 ms a comment may take left for a busy
# machine (a page read twice, or thousands of shown denials, cost more: benchmarks/token_scan.md);
# and comments people write stay below
# it: a plan pasted in a fence or a <details> makes a handful, a 2,000-line paste 2,001, a 500-row
# table of six columns 3,511. Counted on the HTML before it is parsed (start tags, comments, any
# other "<": the count errs only high).
MAX_ELEMENTS = 4_000
# A page with an element GitHub's sanitizer removes is read twice (core/second_reading.py), and
# a second reading passes over only blocks the first kept: 4,000 blocks read twice took 40-75 ms
# on a machine running twice slow. Three quarters of the bound: "a 2,000-line paste" still reads.
MAX_ELEMENTS_READ_TWICE = 3_000
# Nor rendered at all when its list markers alone make more: a list marker ("-", "+", "*", "1.",
# "1)" and a space or tab) at a line's start, or right after another there, opens a list item
# (an element) wherever Markdown reads it; cmark-gfm nests lists at most 100 deep. 65 KB of
# "- - - … x" lines render to 64,000 elements, and cmark-gfm alone takes 30 ms to write them.
# The count errs high only for markers in code or raw HTML, which open nothing: the bound then
# refuses a body of more than 4,000 list-like lines of code (fail closed: no approval counts).
# (quote marks may stand before and between them: "> - > - x" opens an item for each "-")
# (possessive: a run is taken whole, never backtracked into: linear on a 65 KB line of markers)
_MARKED_LINE = re.compile(r"^[ \t]*+(?:>[ \t]*+)*+(?:[-+*]|[0-9]{1,9}[.)])[ \t]", re.MULTILINE)
_STACKED = re.compile(
    r"^[ \t]*+(?:>[ \t]*+)*+(?:(?:[-+*]|[0-9]{1,9}[.)])[ \t]++(?:>[ \t]*+)*+){2,}+",
    re.MULTILINE,
)
_MARKER = re.compile(r"(?:[-+*]|[0-9]{1,9}[.)])[ \t]")
_MARKER_ENDS = tuple(end + blank for end in "-+*.)" for blank in " \t")
MAX_LIST_DEPTH = 100
# What may join many lines into one element, or none (see least_elements), and a line that holds
# more than quote marks.
_JOINERS = ("`", "~~~", "<", "[", "\r", "\t", "    ")
_SHOWN_LINE = re.compile(r"^[ >]*+[^ >\n]", re.MULTILINE)
# Where raw HTML may run over blank lines (HTML blocks of kinds 1 to 5: a comment, "<?", "<!X",
# CDATA, <pre>, <script>, <style>, <textarea>), or the tag filter shows a tag as text (then a
# block of raw HTML holds no "<"): searched in the body in lower case. Without them, the first
# line of each block of lines between blank lines (one of spaces at most) shows an element or a
# "<" that starts no end tag, but for a line that starts with an end tag after spaces (raw HTML
# holding no element).
_LONG_HTML = re.compile(
    r"<[!?]|<(?:pre|script|style|textarea|title|xmp|iframe|noembed|noframes|plaintext)"
)
_SPACES_ENDING = re.compile(r" +\n")
_BLANK_RUN = re.compile(r"\n\n\n+")
_END_TAG_START = re.compile(r"\n\n *+</")
# A line that may underline a heading (Setext): it and the lines above it make one element.
_UNDERLINE = re.compile(r"^[ >]*+(?:=++|-++) *+$", re.MULTILINE)
# A delimiter row of a table (cells of hyphens, colons at their ends, pipes between), its cells,
# and a blank line (where a table ends).
_DELIMITER_ROW = re.compile(
    r"^ {0,3}\|?+[ \t]*+:?-++:?[ \t]*+(?:\|[ \t]*+:?-++:?[ \t]*+)*+\|?+[ \t]*+\r?$", re.MULTILINE
)
_CELL = re.compile(r"-+")
_TABLE_END = re.compile(r"\n(?:[ \t]*+(?:\r?\n|\r|\Z)| {0,3}(?:```|~~~))")  # a blank line, a fence
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
    # not even rendered: the list items or table cells alone are too many (and, should the
    # count of a table's rows end before cmark-gfm's does, the padding bound still holds)
    # (least_elements counts lines that are not blank, list_items markers: a body with no more
    # of them than the bound is not counted)
    least = least_elements(body) if most_lines_shown(body) > MAX_ELEMENTS else 0
    items = list_items(body) if most_list_items(body) > MAX_ELEMENTS else 0
    if max(items, table_cells(body), least) > MAX_ELEMENTS:
        return TOO_LARGE
    if _table_cells_bound(body) > MAX_AMPLIFICATION * max(len(body), 1024):
        return TOO_LARGE
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


def _table_cells_bound(body: str) -> int:
    """An upper bound of the cells a table could render into: GFM pads every row to the header's
    width, so the widest line times the number of lines."""
    pipes = body.count("|")
    if pipes < 2:
        return 0
    lines = body.splitlines()
    if pipes * len(lines) <= MAX_AMPLIFICATION * len(body):  # no line can hold more: no need
        return pipes * len(lines)  # to count each line's (a bound all the same)
    return max(map(str.count, lines, repeat("|"))) * len(lines)


def table_cells(body: str) -> int:
    """The cells the tables of a body make (and their rows): each delimiter row ("| - | :-: |")
    by its width, times its rows up to the next blank line or code fence, as GFM pads every row
    to the header's width; a delimiter row inside code counts too (the count errs high)."""
    if "|" not in body:
        return 0
    cells, position = 0, 0
    while (row := _DELIMITER_ROW.search(body, position)) is not None:
        position = row.end()
        if "|" not in row.group():
            continue  # "---": a rule or a heading's underline, no table
        end = _TABLE_END.search(body, position)
        stop = len(body) if end is None else end.start()
        rows = 1 + body.count("\n", position, stop)  # the header and the rows after
        cells += (len(_CELL.findall(row.group())) + 1) * rows  # each row's cells and its <tr>
        if cells > MAX_ELEMENTS:  # refused already: the rest need not be counted
            return cells
        position = stop
    return cells


def left_open(html: str) -> int:
    """Formatting elements a page (in lower case) opens and does not close: HTML5 rebuilds each
    of them in every block after it ("reconstruct the active formatting elements"), with no "<"
    of their own."""
    counted = Counter(_FORMATTING.findall(html))  # counted in C
    names = {name for _, name in counted}
    return sum(max(0, counted["", name] - counted["/", name]) for name in names)


def most_lines_shown(body: str) -> int:
    """An upper bound of the lines of a body that are not blank, in C: each line feed pair
    found (not overlapping) ends a blank line."""
    return body.count("\n") + 1 - body.count("\n\n")


def most_list_items(body: str) -> int:
    """An upper bound of the list items a body's markers open, in C: each marker ends in a
    character of its own and a blank after it (where ``list_items`` searches every line's start:
    2-3 ms on a body of short lines)."""
    return sum(map(body.count, _MARKER_ENDS))


def least_elements(body: str) -> int:
    """A lower bound of the elements cmark-gfm makes of a body, or 0 when it may hold what joins
    lines into one element (code, raw HTML, link titles and definitions, indented code, a CR):
    otherwise every line that holds more than quote marks shows at least an element (a
    paragraph's first line its <p>, each line after it a <br>: comments keep line breaks; a
    heading, a list item, a table row, a rule), but for a line that may underline a heading.
    Where raw HTML is the only joiner and none of it may run over a blank line, each block of
    lines between blank lines counts instead (see ``_LONG_HTML``): 250 formatting tags left open
    above 21,000 one-line paragraphs were rendered before the bound refused them (26-44 ms)."""
    body = body.removeprefix("\ufeff")  # a byte order mark that starts it: cmark-gfm drops it
    joiners = [mark for mark in _JOINERS if mark in body]
    if not joiners:  # (the blocks, counted in C, where they are enough to refuse the body)
        blocks = _blocks(body)
        if blocks > MAX_ELEMENTS:
            return blocks
        return len(_SHOWN_LINE.findall(body)) - len(_UNDERLINE.findall(body))
    if joiners != ["<"] or _LONG_HTML.search(body.lower()) is not None:
        return 0
    return _blocks(body)


def _blocks(body: str) -> int:
    """The blocks of lines between blank lines (of spaces at most) whose first line does not
    start with an end tag after spaces, counted in C: with every line's trailing spaces dropped
    (a blank line becomes empty), each run of blank lines made one, the body following one
    (and ending in none), each block stands after a line feed pair of its own."""
    shown = body.rstrip(" \n")
    if not shown:
        return 0
    text = "\n\n" + shown
    if " \n" in text:
        text = _SPACES_ENDING.sub("\n", text)
    if "\n\n\n" in text:
        text = _BLANK_RUN.sub("\n\n", text)
    ends = len(_END_TAG_START.findall(text)) if "</" in text else 0
    return text.count("\n\n") - ends


def list_items(body: str) -> int:
    """The list items the markers at the lines' starts open, read as Markdown would outside
    code and raw HTML (each marker one item, at most ``MAX_LIST_DEPTH`` a line), in C but for
    the lines that stack two markers or more. Bodies too short to hold more than the bound
    are not counted."""
    if len(body) <= 2 * MAX_ELEMENTS:  # a marker takes two characters
        return 0
    lines = len(_MARKED_LINE.findall(body))
    if not lines:
        return 0
    # the first 100 markers of a run are within its first 2,000 characters unless it pads them
    # with spaces (then fewer are counted: the bound after rendering still holds)
    runs = _STACKED.findall(body)
    more = (min(len(_MARKER.findall(run, 0, 2_000)), MAX_LIST_DEPTH) - 1 for run in runs)
    return lines + sum(more)


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
