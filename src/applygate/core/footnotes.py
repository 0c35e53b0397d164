"""The parts of a footnote cmark-gfm writes that are not the person's words, and what a walk of
the page drops of its text.

Pure: nodes in, answers out.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from applygate.core.element_reasons import HIDING
from applygate.core.sanitizer import REMOVED_WITH_CONTENT

# The elements whose text a walk of the page leaves out of the line around them (core/shown.py):
# hidden ones, collapsed <details>, those GitHub removes with their content, and a footnote's
# back reference. Where a page has none, its text holds every line the walk may read.
DROPPING_TEXT = ", ".join(
    [*sorted(HIDING | {"details"} | REMOVED_WITH_CONTENT), "a[data-footnote-backref]"]
)


def footnote_mark(sup: LexborNode) -> bool:
    """A footnote's number after a word (cmark-gfm's ``<sup class="footnote-ref">``)."""
    return "footnote-ref" in (sup.attributes.get("class") or "") and sup.text().isdigit()


def footnote_backref(link: LexborNode) -> bool:
    """The ``↩`` link cmark-gfm adds at the end of a footnote: not the person's words (only if it
    shows nothing else: a comment's own link may carry the attribute, and a denial)."""
    return "data-footnote-backref" in link.attributes and not link.text().strip("↩0123456789")


def drops_text(page: LexborHTMLParser) -> bool:
    """Whether a walk of the page may leave some of its text out of a line (``DROPPING_TEXT``):
    then a line it reads may show a denial the page's text does not ("User de<del>x</del>nied")."""
    return page.css_first(DROPPING_TEXT) is not None
