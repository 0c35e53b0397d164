"""What GitHub's sanitizer keeps of a rendered comment, and the page if it drops the tags of the
elements it removes one by one.

Pure: strings in, a tree or plain data out.
"""

from __future__ import annotations

import re

# The elements GitHub's sanitizer keeps: html-pipeline's SanitizationFilter ALLOWLIST
# (github.com/gjtorikian/html-pipeline, lib/html/pipeline/sanitization_filter.rb, 2.x), with what
# GitHub's own pipeline adds to comments: task-list boxes (input), footnotes (section), emoji
# (g-emoji) and the newer picture/source. Any other element is removed and its text kept.
_ALLOWLIST = (
    "h1 h2 h3 h4 h5 h6 h7 h8 br b i strong em a pre code img tt div ins del sup sub p ol ul "
    "table thead tbody tfoot blockquote dl dt dd kbd q samp var hr ruby rt rp li tr td th s "
    "strike summary details caption figure figcaption abbr bdo cite dfn mark small span time "
    "wbr input section g-emoji picture source"
)
ALLOWED = frozenset(_ALLOWLIST.split())
# Elements removed with their content (the sanitizer's remove_contents), or never shown by a
# browser at all (a template's content is inert).
REMOVED_WITH_CONTENT = frozenset({"script", "template"})
# A start or end tag, its name captured (never across another "<": linear).
_ANY_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])[^<>]*>")


def removed_elements(html: str) -> frozenset[str]:
    """The names (in lower case) of the page's elements GitHub's sanitizer removes (or, of a
    comment, of the tags it writes that GitHub's sanitizer removes): one pass in C, then each
    tag name once (the common page removes none)."""
    return frozenset(name.lower() for name in set(_ANY_TAG.findall(html))) - ALLOWED


def dropped_page(html: str, body: str) -> str | None:
    """The page of ``body`` (``html``) if the sanitizer drops the tags of the elements it
    removes one by one, their text kept in place (rather than rebuilding the tree and writing it
    out again): elements closed by a removed one's end tag then stay open. None if the page has
    no such element. Only raw HTML writes one, and cmark-gfm passes raw HTML through as it is
    written: the names the comment writes are dropped from the page, in C, and a page that
    drops nothing has none (the page itself is never searched for names: a third the text)."""
    removed = removed_elements(body) if "<" in body else frozenset()
    if not removed:
        return None
    kept = drop_tags(html, removed)
    return None if kept == html else kept


def drop_tags(html: str, removed: frozenset[str]) -> str:
    """``html`` without the tags ``_ANY_TAG`` finds whose names are ``removed``, found and
    dropped in C: the names compared in ASCII without case (no other letter stands for one of
    theirs), what may end a name as ``_ANY_TAG`` says (any white space, "/" or ">")."""
    names = "|".join(map(re.escape, sorted(removed)))
    return re.sub(rf"</?(?ai:{names})(?=[\s/>])[^<>]*>", "", html)
