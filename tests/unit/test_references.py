"""core/references.unescape decodes as html.unescape does, on any text: the pattern of a
reference is html's own, and each distinct one is decoded by html.unescape itself."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from applygate.core.references import REFERENCE, unescape

PIECES = [
    "&", "#", "x", "X", "0", "9", "10", ";", "a", "F", "amp", "ampx", "not", "notin", "lt",
    "NewLine", "&#", "&#x", "&amp;", "&#10;", "&#9", "&#x0a", "&#1114112;", "&#x80;", "&#0;",
    "&#xD800;", " ", "\t", "\n", "<", "é", "&&", "&#38;#10;", "&notin;", "&notin",
]  # fmt: skip


def test_the_pattern_is_html_s_own() -> None:
    """(html._charref: what html.unescape searches for; a Python that changes it fails here)"""
    own = html._charref.pattern  # type: ignore[attr-defined]
    assert REFERENCE.pattern == "(&(?:" + own.removeprefix("&(") + ")"


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=80).map("".join))
def test_any_text_is_decoded_as_html_decodes_it(text: str) -> None:
    memo: dict[str, str] = {}
    assert unescape(text, memo) == html.unescape(text)
    assert unescape(text * 3, memo) == html.unescape(text * 3)  # (past the few: split, memo)


def test_each_distinct_reference_is_decoded_once() -> None:
    memo: dict[str, str] = {}
    text = "d&#101;nied &#9" * 1_000
    assert unescape(text, memo) == html.unescape(text)
    assert memo == {"&#101;": "e", "&#9": "\t"}
    assert unescape("&notin; &notin " * 20, memo) == "\u2209 \u00acin " * 20  # (";" or not)
