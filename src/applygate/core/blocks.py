"""Which lines of a Markdown body GitHub renders as plain paragraph text, after CommonMark.

A token counts only on a line that renders as a plain paragraph line. Everything else gets the
reason it does not: code (fenced or indented), HTML (comments, blocks, a collapsed
``<details>``), block quotes, list items, headings and tables; what inline
constructs hide inside a paragraph is core/inline.py's part. Where this reading is simpler than
CommonMark (and GFM) it errs towards "not plain": a line it is unsure of never counts.

Pure: a string in, one reason (or None for plain text) per line out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from applygate.core.inline import HTML_COMMENT, hidden_lines
from applygate.core.reasons import Reason

# A line ends at LF, CR LF or a lone CR (CommonMark): a lone CR must not hide a fence from us.
LINE_ENDING = re.compile(r"\r\n|\r|\n")

QUOTED = Reason("quoted", "inside a block quote (quoting someone is not approving)")
LAZY_QUOTED = Reason("quoted", "continues a block quote (lazy continuation line)")
LIST_ITEM = Reason("list-item", "inside a list item, not a line of its own")
FENCE_LINE = Reason("fenced-code", "on a code fence line")
FENCED = Reason("fenced-code", "inside a fenced code block")
INDENTED = Reason("indented-code", "indented 4+ spaces: a code block")
HTML_BLOCK = Reason("html-block", "inside an HTML block (rendered as HTML, not as text)")
DETAILS = Reason("html-block", "inside a collapsed <details> section")
HEADING = Reason("heading", "a heading, not a line of text")
TABLE = Reason("table", "a row of a table, not a line of text")
NESTED = Reason("nested", "after quotes or lists nested too deeply to read")

# Deeper nesting than anyone writes: reading it would cost time quadratic in the body's length.
MAX_DEPTH = 32

_QUOTE = re.compile(r" {0,3}> ?")
_ITEM = re.compile(r" {0,3}([-+*]|\d{1,9}[.)])(?=[ ]|$)")
_THEMATIC = re.compile(r" {0,3}(?:(?:\*[ ]*){3,}|(?:-[ ]*){3,}|(?:_[ ]*){3,})$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)$")
_ATX = re.compile(r" {0,3}#{1,6}(?:[ ]|$)")
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ ]*$")
_TABLE_DELIMITER = re.compile(r" {0,3}(?=[^|]*\|)\|?(?:[ ]*:?-+:?[ ]*\|)*[ ]*:?-+:?[ ]*\|?[ ]*$")
_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|"
    "dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|"
    "hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|"
    "search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
# CommonMark's HTML block kinds 1-6: (start, end; None: "ends at a blank line")
_HTML_KINDS = (
    (
        re.compile(r" {0,3}<(?:pre|script|style|textarea)(?:\s|>|$)", re.I),
        r"</(?:pre|script|style|textarea)>",
    ),
    (re.compile(r" {0,3}<!--"), r"-->"),
    (re.compile(r" {0,3}<\?"), r"\?>"),
    (re.compile(r" {0,3}<![A-Za-z]"), r">"),
    (re.compile(r" {0,3}<!\[CDATA\["), r"\]\]>"),
    (re.compile(rf" {{0,3}}</?(?:{_BLOCK_TAGS})(?:\s|/?>|$)", re.I), None),
)
_ANY_TAG = re.compile(
    r" {0,3}(?:<[A-Za-z][A-Za-z0-9-]*"
    r"(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*\s*/?>"
    r"|</[A-Za-z][A-Za-z0-9-]*\s*>)\s*$"
)
_CELL_SEPARATOR = re.compile(r"(?<!\\)\|")
_DETAILS_OPEN = re.compile(r"<details(?:\s|>)", re.I)
_DETAILS_CLOSE = re.compile(r"</details\s*>", re.I)


@dataclass
class _Fence:
    char: str
    length: int
    column: int  # where the container's content starts: the closing fence may add 0-3 spaces


@dataclass
class _Html:
    end: str | None
    comment: bool


@dataclass
class _Paragraph:
    lines: list[int] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


@dataclass
class _State:
    containers: list[int | None] = field(default_factory=list)  # None: quote; int: item column
    leaf: _Fence | _Html | _Paragraph | str | None = None  # str: "indented" or "table"
    details: int = 0
    too_deep: bool = False
    empty_item: bool = False  # the innermost item has no text yet (opened on an empty line)


def contexts(body: str) -> list[tuple[str, Reason | None]]:
    """Each line of ``body`` with why it is not plain paragraph text (None when it is)."""
    lines = LINE_ENDING.split(body)
    found: list[Reason | None] = [None] * len(lines)
    state = _State()
    for number, line in enumerate(lines):
        found[number] = _classify(state, line.expandtabs(4), number, found)
    _close_paragraph(state, found)
    return list(zip(lines, found, strict=True))


def _classify(state: _State, line: str, number: int, found: list[Reason | None]) -> Reason | None:
    reason = NESTED if state.too_deep else _structure(state, line, number, found)
    if state.too_deep:  # set by this line, or by one before it
        return NESTED
    if state.details and reason is None:
        reason = DETAILS
    if reason in (HTML_BLOCK, DETAILS):  # a <details> tag in text or code opens nothing
        state.details = _details_depth(state.details, line)
    return reason


def _structure(state: _State, line: str, number: int, found: list[Reason | None]) -> Reason | None:
    pos, matched = _match_containers(state.containers, line)
    innermost = state.containers[-1] if state.containers else None
    if state.empty_item and not line.strip() and innermost is not None:
        if matched == len(state.containers) and len(line) < innermost:
            matched -= 1  # an item may begin with one blank line at most: this one ends it
    else:
        state.empty_item = False
    rest = line[pos:]
    leaf = state.leaf
    if matched < len(state.containers):
        if isinstance(leaf, _Paragraph) and rest.strip() and not _starts_block(rest, True):
            leaf.lines.append(number)  # a lazy continuation line: still in the paragraph
            leaf.text.append(rest.strip())
            return LAZY_QUOTED if None in state.containers else LIST_ITEM
        _close_paragraph(state, found)
        del state.containers[matched:]
        state.leaf = None
    elif isinstance(leaf, _Fence | _Html | str):
        reason = _continue_leaf(state, rest, pos)
        if reason is not None:
            return _in_containers(state, reason, opened=False)
    pos, opened = _open_containers(state, line, pos, found)
    return _in_containers(state, _leaf(state, line[pos:], pos, number, found), opened)


def _match_containers(containers: list[int | None], line: str) -> tuple[int, int]:
    pos = 0
    for matched, column in enumerate(containers):
        if column is None:
            quote = _QUOTE.match(line, pos)
            if quote is None:
                return pos, matched
            pos = quote.end()
        elif not line[pos:].strip():
            pos = min(len(line), column)
        elif _indent(line, pos) + pos >= column:
            pos = column
        else:
            return pos, matched
    return pos, len(containers)


def _open_containers(
    state: _State, line: str, pos: int, found: list[Reason | None]
) -> tuple[int, bool]:
    opened = False
    while True:
        rest = line[pos:]
        if isinstance(state.leaf, _Paragraph) and (rest.strip() and not _starts_block(rest, False)):
            return pos, opened
        if len(state.containers) >= MAX_DEPTH:
            state.too_deep = True
            return pos, opened
        quote = _QUOTE.match(rest)
        item = _ITEM.match(rest) if _THEMATIC.match(rest) is None else None
        if quote is not None:
            state.containers.append(None)
            pos += quote.end()
        elif item is not None:
            after = rest[item.end() :]
            gap = len(after) - len(after.lstrip(" "))
            gap = 1 if gap > 4 or not after.strip() else gap
            state.containers.append(pos + item.end() + gap)
            state.empty_item = not after.strip()
            pos += min(len(rest), item.end() + gap)
        else:
            return pos, opened
        _close_paragraph(state, found)
        state.leaf, opened = None, True


def _continue_leaf(state: _State, rest: str, pos: int) -> Reason | None:
    leaf = state.leaf
    if isinstance(leaf, _Fence):
        close = rest.lstrip(" ")
        indent = len(rest) - len(close)
        if (
            pos + indent - leaf.column <= 3
            and close.startswith(leaf.char * leaf.length)
            and not close.lstrip(leaf.char).strip()
        ):
            state.leaf = None
            return FENCE_LINE
        return FENCED
    if isinstance(leaf, _Html):
        if leaf.end is None and not rest.strip():
            state.leaf = None
            return None
        if leaf.end is not None and re.search(leaf.end, rest, re.I):
            state.leaf = None
        return HTML_COMMENT if leaf.comment else HTML_BLOCK
    if leaf == "table" and rest.strip() and not _starts_block(rest, False):
        return TABLE  # GFM: every line up to a blank line or a new block is a row
    if leaf == "indented" and (_indent(rest, 0) >= 4 or not rest.strip()):
        return INDENTED if rest.strip() else None
    state.leaf = None
    return None


def _leaf(
    state: _State, rest: str, pos: int, number: int, found: list[Reason | None]
) -> Reason | None:
    para = state.leaf if isinstance(state.leaf, _Paragraph) else None
    if not rest.strip():
        _close_paragraph(state, found)
        return None
    if para is not None and _SETEXT.match(rest) and para.lines:
        for line in para.lines:
            found[line] = found[line] or HEADING
        state.leaf = None
        return HEADING
    if para is not None and _TABLE_DELIMITER.match(rest) and _cells(rest) == _cells(para.text[-1]):
        header = para.lines.pop()
        para.text.pop()
        found[header] = found[header] or TABLE
        _close_paragraph(state, found)
        state.leaf = "table"
        return TABLE
    if para is not None and not _starts_block(rest, False):
        para.lines.append(number)
        para.text.append(rest.strip())
        return None
    _close_paragraph(state, found)
    return _new_leaf(state, rest, pos, number)


def _new_leaf(state: _State, rest: str, pos: int, number: int) -> Reason | None:
    if _indent(rest, 0) >= 4:
        state.leaf = "indented"
        return INDENTED
    fence = _FENCE.match(rest)
    if fence is not None and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
        state.leaf = _Fence(fence.group(1)[0], len(fence.group(1)), pos)
        return FENCE_LINE
    for start, end in _HTML_KINDS:
        if start.match(rest):
            return _open_html(state, rest, end, comment=end == "-->")
    if _ANY_TAG.match(rest):
        return _open_html(state, rest, None, comment=False)
    if _ATX.match(rest) or _THEMATIC.match(rest):
        return HEADING if _ATX.match(rest) else None
    state.leaf = _Paragraph([number], [rest.strip()])
    return None


def _open_html(state: _State, rest: str, end: str | None, comment: bool) -> Reason:
    if end is None or not re.search(end, rest, re.I):
        state.leaf = _Html(end, comment)
    return HTML_COMMENT if comment else HTML_BLOCK


def _starts_block(rest: str, lazy: bool) -> bool:
    """Whether ``rest`` starts a block that interrupts a paragraph (ending it)."""
    if _indent(rest, 0) >= 4:
        return False
    if lazy and _SETEXT.match(rest) and rest.strip().startswith("="):
        return False  # "===" cannot be a setext underline of a lazy line: it is text
    fence, item = _FENCE.match(rest), _ITEM.match(rest)
    return (
        _QUOTE.match(rest) is not None
        or (item is not None and bool(rest[item.end() :].strip()))  # an empty item cannot
        or _THEMATIC.match(rest) is not None
        or _ATX.match(rest) is not None
        or (fence is not None and not (fence.group(1)[0] == "`" and "`" in fence.group(2)))
        or any(start.match(rest) for start, _ in _HTML_KINDS)
    )


def _in_containers(state: _State, reason: Reason | None, opened: bool) -> Reason | None:
    if None in state.containers:
        return QUOTED
    if reason is not None or not state.containers or opened:
        return reason  # a line that opens an item starts with its marker: never canonical
    return LIST_ITEM


def _close_paragraph(state: _State, found: list[Reason | None]) -> None:
    para = state.leaf
    if not isinstance(para, _Paragraph):
        return
    state.leaf = None
    hidden = hidden_lines(para.text)
    for index, number in enumerate(para.lines):
        found[number] = found[number] or hidden.get(index)


def _cells(row: str) -> int:
    """How many cells a table row has (a table needs as many in its header as in its delimiter)."""
    row = row.strip().removeprefix("|")
    if row.endswith("|") and not row.endswith("\\|"):
        row = row[:-1]
    return len(_CELL_SEPARATOR.split(row))


def _details_depth(depth: int, line: str) -> int:
    return max(0, depth + len(_DETAILS_OPEN.findall(line)) - len(_DETAILS_CLOSE.findall(line)))


def _indent(line: str, pos: int) -> int:
    return len(line) - pos - len(line[pos:].lstrip(" "))
