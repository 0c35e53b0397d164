"""Why text inside an element is not a line of a person's plain words: one reason an element.

``reason_for`` names it for any tag (the sanitizer's allowlist decides between raw HTML GitHub
drops and an element it keeps); ``HIDING`` holds the elements whose text a reader does not take as
the person's own words, and ``INLINE`` those shown within a line of text.

Pure: tag names in, reasons out.
"""

from __future__ import annotations

from applygate.core.reasons import Reason
from applygate.core.sanitizer import ALLOWED

QUOTED = Reason("quoted", "inside a block quote (quoting someone is not approving)")
CODE_BLOCK = Reason("code-block", "inside a code block")
INLINE_CODE = Reason("inline-code", "written as code")
LIST_ITEM = Reason("list-item", "inside a list item, not a line of its own")
HEADING = Reason("heading", "a heading, not a line of text")
TABLE = Reason("table", "inside a table, not a line of text")
STRUCK = Reason("struck", "struck through")
DETAILS = Reason("html-block", "inside a <details> section")
FOOTNOTE = Reason("footnote", "inside a footnote")
LINK = Reason("link", "inside a link")
IMAGE = Reason("image", "part of an image")
HTML_COMMENT = Reason("html-comment", "inside an HTML comment")

_REASONS = {
    "blockquote": QUOTED,
    "q": QUOTED,
    "pre": CODE_BLOCK,
    "code": INLINE_CODE,
    "tt": INLINE_CODE,
    "kbd": INLINE_CODE,
    "samp": INLINE_CODE,
    "ul": LIST_ITEM,
    "ol": LIST_ITEM,
    "li": LIST_ITEM,
    "dl": LIST_ITEM,
    "table": TABLE,
    "details": DETAILS,
    "summary": DETAILS,
    "section": FOOTNOTE,
    "a": LINK,
    "img": IMAGE,
    "del": STRUCK,
    "s": STRUCK,
    "strike": STRUCK,
} | dict.fromkeys(("thead", "tbody", "tfoot", "tr", "td", "th", "caption"), TABLE)
# Text a reader does not take as the person's own words: a denial there does not count.
HIDING = frozenset({"blockquote", "q", "pre", "code", "del", "s", "strike"})
# Elements shown within a line of text; every other element starts a line of its own.
INLINE_ELEMENTS = (
    "a abbr b bdi bdo big cite code data del dfn em font g-emoji i img input ins kbd label mark q "
    "rp rt ruby s samp small span strike strong sub sup time tt u var wbr"
)
INLINE = frozenset(INLINE_ELEMENTS.split())


def reason_for(tag: str) -> Reason:
    """Why text inside this element is not a plain line."""
    found = _REASONS.get(tag)
    if found is not None:
        return found
    if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
        return HEADING
    if tag not in ALLOWED:
        return Reason("html-block", f"inside raw HTML <{tag}> (GitHub drops the tag, not its text)")
    if tag in INLINE:
        return Reason("inline-markup", f"carries inline markup (<{tag}>) within the line")
    return Reason("html-block", f"inside an HTML <{tag}> element")
