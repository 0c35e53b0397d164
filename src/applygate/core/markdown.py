"""Text made safe for the Markdown tables of job summaries, check runs and PR comments."""

from __future__ import annotations


def cell(text: str) -> str:
    """Plain text for a table cell: one line, no column breaks, no HTML, no stray code spans."""
    return (
        _one_line(text)
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("`", "\\`")
    )


def code_cell(text: str) -> str:
    """Text for a code span inside a table cell (backslashes do not escape there, so a backtick
    becomes a quote)."""
    return _one_line(text).replace("|", "\\|").replace("`", "'")


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")
