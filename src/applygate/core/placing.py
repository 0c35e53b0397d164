"""Where each denial a page shows is placed: on the source line it came from, by the page's
source positions, or (raw HTML carries none) by its text among the first denial lines.

Pure: shown lines and source lines in, line verdicts placed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from applygate.core.denial_text import beyond_its_line, place_denials, shown_denials
from applygate.core.line_index import SEARCH_BUDGET
from applygate.core.shown_page import ShownLine
from applygate.core.token import ScannedLine, Token


@dataclass
class Nearby:
    """The first denial lines' numbers (ascending), their text joined by line feeds, and how many
    more characters may be searched in them: thousands of distinct shown denials looked for in
    64 long lines would cost their product (150 ms for 5,000 against 32 KB); once the budget is
    spent a denial stays on the line the page places it (where it is reported, never whether it
    counts)."""

    numbers: list[int]
    joined: str
    budget: int = SEARCH_BUDGET
    asked: dict[str, int | None] = field(default_factory=dict)  # each text's answer, once

    @classmethod
    def of(cls, numbers: list[int], lines: list[str]) -> Nearby:
        return cls(numbers, "\n".join(lines[n - 1] for n in numbers))

    def first_holding(self, text: str, lines: list[str]) -> int | None:
        """The first of them that holds ``text``: one search in C over them joined (a text
        without a line ending cannot match across two of them); None once the budget is spent."""
        if text in self.asked:
            return self.asked[text]
        if self.budget < len(self.joined):
            return None
        self.budget -= len(self.joined)
        if "\n" in text or "\r" in text:
            found = next((n for n in self.numbers if text in lines[n - 1]), None)
        else:
            at = self.joined.find(text)
            found = None if at < 0 else self.numbers[self.joined.count("\n", 0, at)]
        self.asked[text] = found
        return found


def place_shown(
    denials: list[ShownLine],
    lines: list[str],
    found: dict[int, ScannedLine],
    beside: dict[Token, ScannedLine],
    as_written: set[int],
    nearby: Nearby,
) -> None:
    """Place each denial a shown line makes on its source line (``place_denials``): raw HTML
    gives no positions, so the line may already hold another token. Each shown text is read
    once; a line's own text, read as a token already (``as_written``), makes that token (placed)
    and its cells' denials only (``beyond_its_line``)."""
    tokens: dict[str, tuple[Token, ...]] = {}
    for denial in denials:
        line, text = denial
        if line in as_written:
            beyond = beyond_its_line(text, lines[line - 1])
            if beyond is not None:
                if beyond:
                    place_denials(found, beside, line, lines[line - 1], beyond)
                continue
        made = tokens.get(text)
        if made is None:
            made = tokens[text] = shown_denials(text)
        if made:
            number = _source_of(denial, lines, nearby)  # a line of the body
            place_denials(found, beside, number, lines[number - 1], made)


def _source_of(denial: ShownLine, lines: list[str], nearby: Nearby) -> int:
    """The source line a shown denial came from: where the page says, when that line holds
    it; else the first of the first denial lines that holds its text (raw HTML carries no
    positions)."""
    text = denial.text.strip()
    if 0 < denial.line <= len(lines) and text in lines[denial.line - 1]:
        return denial.line
    return nearby.first_holding(text, lines) or min(max(denial.line, 1), len(lines))
