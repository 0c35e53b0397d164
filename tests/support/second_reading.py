"""A page read twice, as scan reads it (core/second_reading.py): the first reading with its
blocks kept, what it knows for the second, and the strictest reading of the two."""

from __future__ import annotations

from typing import NamedTuple

from selectolax.lexbor import LexborNode

from applygate.core.github_render import Rendered, render
from applygate.core.reading import in_source_order
from applygate.core.second_reading import ALONE, Known, strictest
from applygate.core.shown import read
from applygate.core.shown_page import Shown
from applygate.core.token import Kind, token_like_lines


class Twice(NamedTuple):
    """A page read twice: its second page, the comment's token-like lines, the first reading
    (its blocks kept) and what it knows for the second."""

    other: LexborNode
    candidates: dict[int, Kind]
    first: Shown
    known: Known


def first_reading(body: str, alone: int = ALONE) -> Twice:
    rendered = render(body)
    assert isinstance(rendered, Rendered) and rendered.other is not None
    candidates = token_like_lines(body)
    first = read(rendered.first, candidates, keep=True)
    known = Known.of(first, rendered.html, in_source_order(body, rendered.html))
    known.alone = alone
    return Twice(rendered.other, candidates, first, known)


def strictest_of(body: str, *, pass_over: bool, alone: int = ALONE) -> tuple[Shown, int]:
    """The reading ``scan`` makes of a page read twice, and how many blocks were passed over
    (with levels asked where they end alike after ``alone`` blocks)."""
    page = first_reading(body, alone)
    known = page.known if pass_over else None
    strictest(page.first, read(page.other, page.candidates, known=known), page.known.agreed)
    return page.first, page.known.passed
