"""Which lines of one Markdown paragraph an inline construct hides or turns into something else.

A paragraph's lines are joined by line breaks, and some inline constructs run across them: code
spans, HTML comments, raw HTML tags (an attribute value may hold whole lines), link titles and
image descriptions (never shown as text), and link reference definitions at the paragraph's
start (never rendered). A line any of them touches is not plain text. Each construct is found
without rescanning the paragraph (a hostile body must not cost quadratic time).

Pure: the paragraph's lines in, the reason for each line that is not plain out.
"""

from __future__ import annotations

import bisect
import re

from applygate.core.reasons import Reason

HTML_COMMENT = Reason("html-comment", "inside an HTML comment (not rendered)")
INLINE_CODE = Reason("inline-code", "inside an inline code span")
INLINE_HTML = Reason("inline-html", "inside an HTML tag (an attribute, not text)")
LINK_TITLE = Reason("link-title", "inside a link title (a tooltip, not text)")
IMAGE = Reason("image", "inside an image's description (not shown as text)")
DEFINITION = Reason("link-definition", "part of a link reference definition (not rendered)")
FOOTNOTE = Reason("footnote", "part of a footnote (shown apart, not a line of the comment)")
MATH = Reason("math", "inside a $$ math expression (rendered as a formula)")
STRUCK = Reason("struck", "struck through (~~), which takes it back")

_BACKTICKS = re.compile(r"`+")
_TILDES = re.compile(r"~+")
# (a backslash may stand just before the closing quote, as cmark's scanner allows)
_QUOTED_TITLE = (
    r"(?:\"(?:[^\"\\]|\\[\s\S])*\\?\"|'(?:[^'\\]|\\[\s\S])*\\?'"
    r"|\((?:[^()\\]|\\[\s\S])*\\?\))"
)
# A link reference definition: [label]: destination "title" (the title may run across lines).
_DEFINITION = re.compile(
    r"\[(?=[^\]]*\S)(?:[^\[\]\\]|\\.){1,999}\]:[ \t]*\n?[ \t]*(?:<[^<>\n]*>|[^\s<]\S*)"
    rf"(?:[ \t]*\n?[ \t]*{_QUOTED_TITLE})?[ \t]*(?:\n|$)"
)
# The tail of an inline link or image: ](destination "title")
_LINK_TAIL = re.compile(
    r"\]\([ \t]*\n?[ \t]*(?:<[^<>\n]*>|(?:[^\s()<]|\([^\s()<]*\))*)"
    rf"(?:[ \t]*\n?[ \t]*(?P<title>{_QUOTED_TITLE}))?[ \t]*\n?[ \t]*\)"
)
# Raw HTML: an open or closing tag, whose quoted attribute values may run across lines.
_TAG = re.compile(
    r"<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*"
    r"\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>"
)
_CLOSERS = {"<!--": "-->", "<?": "?>", "<![CDATA[": "]]>"}
_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]:")


def hidden_lines(lines: list[str]) -> dict[int, Reason]:
    """The paragraph lines (by index) that are not plain text, each with the reason."""
    text = "\n".join(lines)
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    if _FOOTNOTE.match(text):
        return dict.fromkeys(range(len(lines)), FOOTNOTE)
    spans = _Spans(text)
    touched: dict[int, Reason] = {}
    pos = _definitions_end(text)
    if pos:
        for index in range(bisect.bisect_right(starts, pos - 1)):
            touched[index] = DEFINITION
    while pos < len(text):
        if text[pos] == "\\":
            pos += 2
            continue
        begin, end, reason = spans.at(pos)
        if reason is not None and end > begin:
            first = bisect.bisect_right(starts, begin) - 1
            for index in range(first, bisect.bisect_right(starts, end - 1)):
                touched.setdefault(index, reason)
        pos = max(end, pos + 1)
    return touched


def _definitions_end(text: str) -> int:
    pos = 0
    while (definition := _DEFINITION.match(text, pos)) is not None and definition.end() > pos:
        pos = definition.end()
    return pos


class _Spans:
    """The inline constructs that can run across lines, each found at the position it opens."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.runs: dict[int, list[int]] = {}  # backtick runs by length: where each one starts
        for run in _BACKTICKS.finditer(text):
            self.runs.setdefault(len(run.group()), []).append(run.start())
        self.closers: dict[int, list[int]] = {}  # ~ and ~~ runs that can close, by length
        for run in _TILDES.finditer(text):
            start = run.start() + _escaped(text, run.start())  # '\~' is a literal tilde
            width = run.end() - start
            if 0 < width <= 2 and start and not text[start - 1].isspace():
                self.closers.setdefault(width, []).append(start)
        self.last = {opener: text.rfind(closer) for opener, closer in _CLOSERS.items()}
        self.last["$$"] = text.rfind("$$")
        self.closing: dict[int, int] = {}  # where each '[' is closed
        opened: list[int] = []
        for mark in re.finditer(r"\\.|[\[\]]", text):
            if mark.group() == "[":
                opened.append(mark.start())
            elif mark.group() == "]" and opened:
                self.closing[opened.pop()] = mark.start()

    def at(self, pos: int) -> tuple[int, int, Reason | None]:
        """The span (begin, end, reason) of a construct opening at ``pos``; without a reason,
        ``end`` is where to look next (an unmatched backtick run is literal text as a whole)."""
        text = self.text
        if text[pos] == "`":
            return self._code(pos)
        if text[pos] == "<":
            return self._html(pos)
        if text.startswith("$$", pos):  # GitHub's display math
            if pos + 2 <= self.last["$$"]:
                return pos, text.index("$$", pos + 2) + 2, MATH
            return pos, pos + 2, None
        if text[pos] == "~":
            return self._struck(pos)
        if text.startswith("![", pos):
            return self._image(pos)
        if text.startswith("](", pos):
            tail = _LINK_TAIL.match(text, pos)
            if tail is not None and tail.group("title") is not None:
                return tail.start("title"), tail.end("title"), LINK_TITLE
        return pos, pos + 1, None

    def _code(self, pos: int) -> tuple[int, int, Reason | None]:
        opener = _BACKTICKS.match(self.text, pos)
        assert opener is not None  # noqa: S101 - called on a backtick
        width = len(opener.group())
        same = self.runs.get(width, [])
        later = bisect.bisect_right(same, opener.start())  # only whole runs close a span
        if later < len(same):
            return pos, same[later] + width, INLINE_CODE
        return pos, opener.end(), None

    def _struck(self, pos: int) -> tuple[int, int, Reason | None]:
        """GFM strikethrough: a run of one or two tildes before text, closed by the same run
        after text (simplified: fail closed, any such pair in the paragraph)."""
        run = _TILDES.match(self.text, pos)
        assert run is not None  # noqa: S101 - called on a tilde
        after = self.text[run.end() : run.end() + 1]
        same = self.closers.get(len(run.group()), [])
        later = bisect.bisect_right(same, run.start())
        if len(run.group()) <= 2 and after and not after.isspace() and later < len(same):
            return pos, same[later] + len(run.group()), STRUCK
        return pos, run.end(), None

    def _html(self, pos: int) -> tuple[int, int, Reason | None]:
        for opener, closer in _CLOSERS.items():
            if self.text.startswith(opener, pos):
                if pos + len(opener) <= self.last[opener]:
                    end = self.text.index(closer, pos + len(opener)) + len(closer)
                    return pos, end, HTML_COMMENT
                return pos, pos + len(opener), None
        tag = _TAG.match(self.text, pos)
        if tag is not None and "\n" in tag.group():
            return pos, tag.end(), INLINE_HTML
        return pos, tag.end() if tag is not None else pos + 1, None

    def _image(self, pos: int) -> tuple[int, int, Reason | None]:
        """An image's description and title: ![description](destination "title")."""
        close = self.closing.get(pos + 1)
        tail = _LINK_TAIL.match(self.text, close) if close is not None else None
        if tail is not None:
            return pos, tail.end(), IMAGE
        return pos, pos + 2, None


def _escaped(text: str, pos: int) -> int:
    """1 when the character at ``pos`` is escaped by a backslash, else 0."""
    start = pos
    while start and text[start - 1] == "\\":
        start -= 1
    return (pos - start) % 2
