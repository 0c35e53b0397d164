"""Character references decoded as ``html.unescape`` decodes them, each distinct one once.

``html.unescape`` calls back into Python for every reference it finds: 21,700 of them took 20-30
ms to decode, and a comment too large to render is decoded in up to four readings (a red-team
helper's body took 130 ms). Here the text is split at its references in C, each distinct
reference is decoded once (by ``html.unescape`` itself, so the answer is always its answer: a
reference's decoding depends on nothing around it) and remembered in ``memo`` across the
readings of one comment, and the parts are joined again in C.

Pure: strings in, a string out (``memo``: the caller's, one a comment).
"""

from __future__ import annotations

import html
import re

# html.unescape's own pattern of a reference (Python 3.11's html._charref), the whole captured:
# a number, decimal or hex, or a name of up to 32 characters, each with or without ";".
REFERENCE = re.compile(r"(&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?))")
# Fewer references than this are decoded by html.unescape in one call (no split is cheaper).
_FEW = 16


def unescape(text: str, memo: dict[str, str] | None = None) -> str:
    """``html.unescape(text)``: each distinct reference decoded once (``memo`` keeps what it
    decoded for the next text of the same comment)."""
    if "&" not in text:
        return text
    parts = REFERENCE.split(text)
    if len(parts) <= 2 * _FEW:
        return html.unescape(text)
    found = parts[1::2]  # (split with the reference captured: every other part is one)
    known = {} if memo is None else memo
    new = set(found).difference(known)
    if 4 * len(new) > len(found):  # mostly new ones: each decoded alone would cost more than
        return html.unescape(text)  # one call (16,000 distinct)
    known.update({reference: html.unescape(reference) for reference in new})
    parts[1::2] = map(known.__getitem__, found)
    return "".join(parts)
