"""How large a page a comment may render to, counted on its source before cmark-gfm renders
it (core/github_render.py): rendering costs time for every element it writes, and a body may
be refused before any is written. Each count is made in C (str.count, a regex's findall) or
errs only high where it may refuse (a lower bound of elements only where it may refuse too:
see ``least_elements``).

Pure: a string in, counts out.
"""

from __future__ import annotations

import re
from itertools import repeat

from applygate.core.line_index import line_feeds

# Deeper nesting than any comment needs: HTML5 tree construction costs time quadratic in depth,
# so a deeper body is not read at all (and fails closed: see core/reading.py).
MAX_DEPTH = 256
# A line that starts with more quote marks than that opens as many quotes, one in another,
# wherever Markdown reads it (in code or raw HTML it opens none: the bound errs closed there).
# 65,526 of them on one line took cmark-gfm 50-60 ms to render before the depth was counted.
# (each mark after at most three spaces, a space after it taken with it: possessive, linear)
# (after list markers or a footnote's label too, and a tab after a mark: each opens a container
# the quotes nest in; "- " and 65,522 marks took cmark-gfm 75 ms, the eighth red team)
_DEEP_QUOTES = re.compile(
    r"^(?: {0,3}+(?:[-+*]|[0-9]{1,9}[.)])[ \t]++| {0,3}+\[\^[^\]\s]*+\]:[ \t]*+)*+"
    f"(?: {{0,3}}+>[ \\t]?+){{{MAX_DEPTH + 1}}}",
    re.MULTILINE,
)
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
# Nor rendered where emphasis delimiters are more than cmark-gfm parses in time: its inline
# parser spends 1-3 µs on each run of "*", "_" or "~" that may open or close (65 KB of "*~" took
# it 60-90 ms, the red team, 2026-12-08), 4 to 12 ms at the bound. A comment people write holds
# far fewer (a word's own underscores are not counted: "aws_security_group_rule" opens nothing);
# a 65 KB paste of code may hold thousands, and is refused (fail closed: no approval counts).
MAX_DELIMITER_RUNS = 4_000
_DELIMITER_RUN = re.compile(r"\*++|_++|~++")
_INNER_UNDERSCORES = re.compile(r"(?<=[^\W_])_++(?=[^\W_])")  # (a letter or digit each side)
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
_JOINERS = ("`", "~~~", "<", "[", "\t", "    ")
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


def most_lines_shown(body: str) -> int:
    """An upper bound of the lines of a body that are not blank, in C: a line ends at a LF, a
    CR or a CR LF, and each pair of LFs or of CRs found (not overlapping) ends a blank line."""
    lines = body.count("\n") + 1
    if "\r" in body:
        lines += body.count("\r") - body.count("\r\n") - body.count("\r\r")
    return lines - body.count("\n\n")


def most_list_items(body: str) -> int:
    """An upper bound of the list items a body's markers open, in C: each marker ends in a
    character of its own and a blank after it (where ``list_items`` searches every line's start:
    2-3 ms on a body of short lines)."""
    return sum(map(body.count, _MARKER_ENDS))


def least_elements(body: str) -> int:
    """A lower bound of the elements cmark-gfm makes of a body, or 0 when it may hold what joins
    lines into one element (code, raw HTML, link titles and definitions, indented code):
    otherwise every line that holds more than quote marks shows at least an element (a
    paragraph's first line its <p>, each line after it a <br>: comments keep line breaks; a
    heading, a list item, a table row, a rule), but for a line that may underline a heading.
    Where raw HTML is the only joiner and none of it may run over a blank line, each block of
    lines between blank lines counts instead (see ``_LONG_HTML``): 250 formatting tags left open
    above 21,000 one-line paragraphs were rendered before the bound refused them (26-44 ms)."""
    body = body.removeprefix("\ufeff")  # a byte order mark that starts it: cmark-gfm drops it
    # a line ends at CR LF, CR or LF alike (32,768 lines of a lone CR each were rendered, not
    body = line_feeds(body)  # counted, when a CR was taken for a joiner)
    joiners = [mark for mark in _JOINERS if mark in body]
    if not joiners:  # (counted in C first, where enough to refuse the body: the blocks, and
        lines = body.split("\n")  # the lines but those empty or that may hold only quote
        plain = len(lines) - lines.count("") - body.startswith(" ")  # marks or an underline)
        plain -= sum(map(body.count, (">", "=", "-", "\n ")))
        cheap = max(_blocks(body), plain)
        if cheap > MAX_ELEMENTS:
            return cheap
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


def too_large(body: str) -> bool:
    """Whether a body's source alone shows that its page would be too large to read: its list
    items, table cells or lines shown make more elements than ``MAX_ELEMENTS``, its tables
    could pad it beyond ``MAX_AMPLIFICATION`` times its size, or its emphasis delimiters are more
    than cmark-gfm parses in time (``MAX_DELIMITER_RUNS``). (Should a table's rows end before
    cmark-gfm's do, the padding bound still holds; a count is made only where the body may hold
    more than the bound: least_elements where more lines are not blank, list_items where more
    markers end.)"""
    least = least_elements(body) if most_lines_shown(body) > MAX_ELEMENTS else 0
    items = list_items(body) if most_list_items(body) > MAX_ELEMENTS else 0
    if max(items, table_cells(body), least) > MAX_ELEMENTS:
        return True
    if delimiter_runs(body) > MAX_DELIMITER_RUNS:
        return True
    return _table_cells_bound(body) > MAX_AMPLIFICATION * max(len(body), 1024)


def delimiter_runs(body: str) -> int:
    """The runs of "*", "_" or "~" in a body that may open or close emphasis or strikethrough, in
    C: each run of one of them, but a run of "_" inside a word (between letters or digits of any
    script), which neither opens nor closes. Counted wherever they stand (code too: the count
    errs high); not counted where the body holds no more of those characters than the bound."""
    if sum(map(body.count, "*_~")) <= MAX_DELIMITER_RUNS:
        return 0
    runs = len(_DELIMITER_RUN.findall(body))
    return runs - len(_INNER_UNDERSCORES.findall(body)) if "_" in body else runs


def too_deep(body: str) -> bool:
    """Whether a line of the body starts with more quote marks than ``MAX_DEPTH`` (its page
    would nest as many quotes, one in another), found in C where the body holds that many."""
    return body.count(">") > MAX_DEPTH and _DEEP_QUOTES.search(body) is not None
