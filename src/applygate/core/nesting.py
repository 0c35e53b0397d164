"""How deep a page nests, and how many elements its end tags make, counted from its tags before
HTML5 builds it (core/github_render.py refuses a page past its bounds before it is parsed).

An end tag closes an element only if one of its name is open: an end tag that closes nothing
(``</p>``, ``</zz>``) is not a level less (counted as one, 3,990 ``<q></p>`` passed as 1 deep:
HTML5 built them 3,990 deep, and parsing that page, where each stray end tag searches the whole
stack, took 130 ms), and it costs as an element does. ``</p>`` with no paragraph open, or
``</br>``, makes an element (HTML5 inserts ``<p></p>`` or ``<br>``: 16,000 of them passed the
element bound as none and were walked in 40-80 ms). Both counts err high, but for an end tag
HTML5 ignores because an element of another kind stands above its own ("</q>" in
"<q><div></q>"): the depth errs low there, the cost of each such tag is small.

Pure: a page's HTML in lower case, HTML comments dropped, in; counts out.
"""

from __future__ import annotations

import re
from itertools import accumulate

_VOID_ELEMENTS = "area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr"
# An opening tag (empty group) or a closing one ("/"), void elements left out, in a page in lower
# case (HTML5 lowers a tag name's ASCII letters; the case-sensitive engine is twice as fast, and
# a non-ASCII letter lowered to an ASCII one only makes the count err high).
_TAG = re.compile(rf"<(/?)(?!(?:{_VOID_ELEMENTS})[\s/>])[a-z]")
_STEP = {"": 1, "/": -1}
# A tag's name, after "/" for an end tag (void elements left out in Python: a faster pattern);
# and "</br", which HTML5 reads as "<br>".
_NAMED_TAG = re.compile(r"<(/?[a-z][^\s/>]*)")
_VOID = frozenset(_VOID_ELEMENTS.split("|"))
_BREAKS = re.compile(r"</br[\s/>]")
# Blocks whose start tag closes an open paragraph (HTML5's "in body" insertion mode), or whose
# end tag may close one inside them: a "</p>" after either makes a paragraph of its own.
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div",
    "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "listing", "main", "menu", "nav", "ol", "plaintext", "pre",
    "search", "section", "summary", "table", "ul", "li", "dd", "dt", "xmp",
})  # fmt: skip


def nesting(tags: str, raw: bool) -> tuple[int, int]:
    """Upper bounds of how deep the page ``tags`` nests and of the elements its end tags make,
    or cost as much as one.

    Depth: open tags not yet closed by an end tag of their name, in source order (a tag closed
    by itself, or never, counts as open). Made: each ``</br>``, each ``</p>`` but one right
    after a ``<p>`` (no block's start or end tag between), and each end tag no element of its
    name is open for (HTML5 searches the open elements for it: 7,000 of them in a page nested
    2,000 deep took 100-160 ms). Only a page with raw HTML (``raw``) may hold an end tag that
    closes nothing or makes an element: cmark-gfm's own tags are counted in C."""
    if not raw:
        return max(accumulate(map(_STEP.__getitem__, _TAG.findall(tags)), initial=0)), 0
    opened: dict[str, int] = {}
    level = deepest = made = 0
    paragraph = False  # a paragraph is open (no start or end tag of a block since its "<p>")
    for tag in _NAMED_TAG.findall(tags):  # (strings, not pairs: 15% less time)
        end = tag[0] == "/"
        name = tag[1:] if end else tag
        if not end:
            if name in _VOID:  # (no level; but "<hr>", a block, closes an open paragraph)
                paragraph = paragraph and name != "hr"
                continue
            opened[name] = opened.get(name, 0) + 1
            level += 1
            if level > deepest:
                deepest = level
        elif opened.get(name):
            opened[name] -= 1
            level -= 1
        elif name != "p" and name not in _VOID:  # (a "</p>" makes an element: below)
            made += 1  # closes nothing: HTML5 searches the open elements for it all the same
        if name == "p":
            if end and not paragraph:
                made += 1
            paragraph = not end
        elif name in _BLOCKS:
            paragraph = False
    return deepest, made + len(_BREAKS.findall(tags))
