"""Comments of at most 65,536 characters that ``reading.scan`` reads slowly (issue 14's third red
team, 2026-12-07): none of them is a shape of benchmarks/token_scan.py's CASES or MANY.

    .venv/bin/python benchmarks/speed_redteam.py              # best of 7, wall time, each body
    .venv/bin/python benchmarks/speed_redteam.py --profile    # and cProfile's top 5 functions

Grouped by what costs:

- work repeated per line (or per denial) over a text that grows with the body: quadratic;
- per character in Python (or an NFKC expansion in C) for lines that are not ASCII;
- a second walk when the page has an element the sanitizer removes (``sanitizer.dropped_page``);
- bodies the fallback (``unrendered.unreadable``) reads, refused by shapes other than the two
  "too large, a different ... denial" cases;
- the bounds' own Python loops.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
import unicodedata

from applygate.core.github_render import render
from applygate.core.reading import scan
from applygate.core.reasons import Reason
from token_scan import (  # type: ignore[import-not-found]
    APPROVAL,
    DENIAL,
    GOAL_MS,
    LIMIT,
    best,
    distinct,
    fill,
)

# a delimiter row of 2,001 cells and one row after it: 4,004 cells, refused before rendering
TABLE_REFUSED = "|-" * 2001 + "\nx\n\n"
E = "\u00e9"  # é: one character outside ASCII (category Ll: not suspicious)
FDFA = "\ufdfa"  # ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM: NFKC makes 18 characters of it


# every character outside ASCII the grammar refuses (control, format and space characters),
# but the separators Markdown does not end lines at: 210 of them
SUSPECTS = "".join(
    ch
    for ch in map(chr, range(0x80, 0x110000))
    if not 0xD800 <= ord(ch) < 0xE000
    and ch not in "\x85\u2028\u2029"
    and unicodedata.category(ch) in ("Cc", "Cf", "Zs")
)
NBSP_PIPES = "".join(f"User denied: n{i}\u00a0|\n\n" for i in range(1000))


def _lines(text: str) -> str:
    """``text`` cut after its last line ending within the comment limit."""
    return text[: text.rfind("\n", 0, LIMIT) + 1]


CASES: dict[str, str] = {
    # --- quadratic: per line, a search over text that grows with the body ---------------------
    # Shown.context -> _in_a_comment: each hidden (not shown) denial line outside any Markdown
    # block searches every comment's text; "3"s defeat str.find's skip (needle ends in "33")
    "hidden denials x one long comment": _lines(
        "<!-- " + "3" * 40_000 + " -->\n\n<details>\n"
        + "".join(f"User denied: y{i}33\n" for i in range(5000))
    ),
    # placing.Nearby.first_holding: each distinct raw-HTML denial (no source position) is
    # searched in the first 64 denial lines joined, which may be 32 KB long
    "raw denials x long nearby lines": _lines(
        "".join(f"User denied: a{i} " + "3" * 500 + "\n" for i in range(64))
        + "\n<div>\n" + "".join(f"<div>User denied: y{i}33</div>\n" for i in range(5000))
    ),
    # second_reading.strictest -> other.contexts: a line's container, once found by a linear scan.
    # </foo> closes <span> in the page; with <foo> dropped, <span> stays open around the rest
    "removed tag, open <span>: 2,000 lines x 1,900 containers": (
        "<foo>\n<span>\n</foo>\n\n" + "".join(f"- User denied: a{i}\n" for i in range(1900))
        + "\nx User denied: y\n" + "x\n" * 2000
    ),
    # _passes_over: node.text() of every walked block, at each of 250 levels (depth x size)
    "250 deep quotes, 3,700 breaks, long line, removed tag": (
        "<foo>\n\n" + "> " * 250 + "x User denied: y\n" + "z\n" * 3700 + "w" * 50_000
    )[:LIMIT],
    "250 deep quotes, 3,700 breaks": "> " * 250 + "x User denied: y\n" + "z\n" * 3700,
    # --- lines outside ASCII: looks_like_token line by line, skeleton, _suspicious_characters --
    "U+FDFA, one line": FDFA * (LIMIT - 60) + "\n\n" + APPROVAL,
    "U+FDFA lines": (FDFA + "\n") * ((LIMIT - 60) // 2) + "\n\n" + APPROVAL,
    "e-acute lines, lone CRs": (E + "\r") * ((LIMIT - 60) // 2) + "\n\n" + APPROVAL,
    "e-acute lines": (E + "\n") * ((LIMIT - 60) // 2) + "\n\n" + APPROVAL,
    "U+2028, one line": "\u2028" * (LIMIT - 60) + "\n\n" + APPROVAL,
    "e-acute distinct denial list items, removed tag": _lines(
        "<foo>\n\n" + "".join(f"- User denied: {E}{i}\n" for i in range(4000))
    ),
    "e-acute distinct denial list items": _lines(
        "".join(f"- User denied: {E}{i}\n" for i in range(4000))
    ),
    "e-acute distinct mid-line denials, removed tag": _lines(
        "<foo>\n\n" + "".join(f"x User denied: {E}{i}\n\n" for i in range(5000))
    ),
    "e-acute distinct denial lines": _lines(
        "".join(f"User denied: {E}{i}\n" for i in range(5000))
    ),
    "e-acute distinct denials in cells": (  # 1,998 rows: 3,998 cells, under the bound
        "| a |\n|---|\n" + "".join(f"| User denied: {E}{i} {E * 8} |\n" for i in range(1997))
    ),
    "e-acute denial, double spaces and pipes": (f"User denied: {E}  {E}|") * (LIMIT // 20),
    # --- ASCII: a walk of every block, twice with an element the sanitizer removes --------------
    "distinct mid-line denials, removed tag": _lines(
        "<foo>\n\n" + "".join(f"x User denied: y{i}\n\n" for i in range(4000))
    ),
    "distinct mid-line denials": _lines("".join(f"x User denied: y{i}\n\n" for i in range(4000))),
    "denials in cells, removed tag": fill(f"| {DENIAL} |\n", head="<foo>\n\n| a |\n|---|\n"),
    # --- the fallback, reached by other shapes -------------------------------------------------
    "fallback (cells): e-acute distinct denial lines, each with a next line": _lines(
        TABLE_REFUSED + "".join(f"User denied: {E}{i}\nzz\n" for i in range(6000))
    ),
    "fallback (cells): e-acute distinct denial lines": _lines(
        TABLE_REFUSED + "".join(f"User denied: {E}{i}\n" for i in range(6000))
    ),
    "fallback (unclosed <p>, too deep): raw denials over two lines": _lines(
        "<div>\n" + "".join(f"<p>\nUser denied: a{i}\nb\n" for i in range(5000))
    ),
    "fallback (cells): numeric entities, token word written as one": (
        TABLE_REFUSED + "d&#101;nied\n" + "&#9;" * ((LIMIT - len(TABLE_REFUSED) - 20) // 4)
    ),
    # --- the bounds' and line endings' Python loops ---------------------------------------------
    "lone CRs in a fence": "```\n" + "\r" * (LIMIT - 50) + "\n```\n\n" + APPROVAL,
    "delimiter rows, blank lines between": fill("-|\n\n"),
    # --- the fourth red team's (17:45): white space after a separator, read from every one ----
    "a mid-line denial, then 60,000 form feeds": "x User denied: y" + "\x0c" * 60_000 + "z",
    "a mid-line denial, then 60,000 U+2028": "x User denied: y" + "\u2028" * 60_000 + "z",
    # --- this session's (18:55-19:30): a different short denial on every line (paragraphs and
    # headings of it are token_scan.py's "a different denial each"), under an element GitHub
    # removes (the page read twice), and emphasis after it (the fallback) -----------------------
    "list items of a different short denial": distinct("- User denied: {}\n", ""),
    "numbered items of a different short denial": distinct("1. User denied: {}\n", ""),
    "paragraphs of a different short denial, removed tag": distinct(
        "User denied: {}\n\n", "<foo>\n\n"
    ),
    "paragraphs of a different e-acute denial, removed tag": distinct(
        f"User denied: {E}{{}}\n\n", "<foo>\n\n"
    ),
    "headings of a different e-acute denial, removed tag": distinct(
        f"# User denied: {E}{{}}\n", "<foo>\n\n"
    ),
    "list items of a different e-acute denial, one removed tag in one": distinct(
        f"- User denied: {E}{{}}\n", "<foo>\n\n- <foo>x\n"
    ),
    "too large: paragraphs of a different denial, emphasis after it": distinct(
        "User denied: o{} *x*\n\n", ""
    ),
    # 2026-12-07 20:30: a removed element closed in the first paragraph; every paragraph after
    # it is plain in the first reading, so none is passed over: the page is walked twice whole
    "paragraphs of a different short denial, a closed removed tag before": distinct(
        "User denied: {}\n\n", "<foo>x</foo>\n\n"
    ),
    # --- the fifth red team's (20:22-20:26): a shown denial off the one-pattern path, read by
    # the whole grammar several ways (its text, collapsed, each cell), and characters the
    # grammar refuses looked up one by one (266-275 ms before 423687a) ------------------------
    "250 lines of 210 distinct suspects, three denials each": distinct(
        "User denied: a{0}" + SUSPECTS[:70] + "|User denied: b{0}" + SUSPECTS[70:140]
        + "\u2028User denied: c{0}" + SUSPECTS[140:] + "\n\n", ""
    ),
    "210 distinct suspects after a denial, a pipe": distinct(
        "User denied: {}" + SUSPECTS + "|\n\n", ""
    ),
    "a different denial, a no-break space and a pipe": distinct("User denied: {}\u00a0|\n\n", ""),
    "a different denial and a pipe": distinct("User denied: {}|\n\n", ""),
    "a different denial, a tab in its scope": distinct("User denied: {}\tb\n\n", ""),
    "a different denial, two spaces in its scope": distinct("User denied: a{}  b\n\n", ""),
    "a different denial, a tab in its scope and a pipe": distinct(
        "User denied: {}\tb|\n\n", ""
    ),
    # 20:50: cells after text (no token-like line: not crowded), and 1,000 token-like lines
    # before them, once after a closed removed element (the page read twice)
    "cells after text: a different denial, a no-break space and a pipe": distinct(
        "x | User denied: {}\u00a0|\n\n", ""
    ),
    "1,000 denials with a no-break space and a pipe, then such cells": distinct(
        "x | User denied: {}\u00a0|\n\n", NBSP_PIPES
    ),
    "the same after a closed removed tag": distinct(
        "x | User denied: {}\u00a0|\n\n", "<foo>x</foo>\n\n" + NBSP_PIPES
    ),
    # a reviewer's (22:05): 58,000 distinct characters outside ASCII in 200 lines, each looked up
    # alone to fold the body for the candidate lines (136 ms), and 20,000 in one line (44 ms)
    "200 lines of 290 distinct plane-2 characters, a no-break space and a pipe": "\n\n".join(
        "User denied: x" + "".join(chr(0x20000 + i * 290 + j) for j in range(290)) + "\u00a0|"
        for i in range(200)
    ),
    "20,000 distinct CJK characters in one line": (
        "User denied: x" + "".join(chr(0x4E00 + j) for j in range(20000))
        + "\n\nUser approved: op\n"
    ),
    # a reviewer's (19:40): forged positions give 882 small blocks the key of one large block
    # the first reading kept (each comparison wrote it out again: 235 ms)
    "removed tag, one large kept block, 882 small ones with its key": (
        "<foo>\n\n<div data-sourcepos=\"1:1-1:1\">\n\n"
        + "".join(f"- User denied: a{i} *b*\n" for i in range(1300))
        + "\n</div>\n" + "<div data-sourcepos=\"1:1-1:1\">x</div>\n" * 882
    ),
    # --- a red-team helper's (2026-12-07, 22:50), after the walk stopped at 256 shown denials --
    # end tags that close nothing fooled the depth bound (HTML5 built 3,990 levels, each stray
    # end tag searching them: 150-265 ms) and the element bound ("</p>" makes a paragraph)
    "stray end tags: 3,990 <q></p>, removed tag": (
        "denied\n\n<foo>\n\n" + "<q></p>" * 3990 + "</p>" * 9397
    ),
    "stray end tags: 3,990 <q></z>": "denied\n\n" + "<q></z>" * 3990 + "</z>" * 9399,
    "16,379 stray </p>, removed tag": "denied\n\n<foo>\n\n<a>" + "</p>" * 16379,
    "250 <q>, then 15,000 stray </z>, removed tag": (
        "denied\n\n<foo>\n\n" + "<q>" * 250 + "</z>" * 15000
    ),
    # the fallback read every line holding "&" one by one (150-195 ms with a "&#10;")
    "fallback: 30,758 lines of & and a lone CR, one &#10;": (
        TABLE_REFUSED + "&#10; denied\n" + "&\r" * 30758
    ),
    "fallback: 32,761 lines of &, one &#10;": "&#10; denied\n" + "&\n" * 32761,
    # plain Markdown within every bound: thousands of near-miss lines (a crowded comment)
    "3,990 near-miss paragraphs": "userdenied\n\n" * 3990,
    "3,990 near-miss paragraphs, a fence of 1,604 more": (
        "userdenied\n\n" * 3990 + "```\n" + "userdenied\n" * 1604 + "```\n"
    ),
    "removed tag, 3,990 near-miss paragraphs, a comment of 1,603 more": (
        "<foo>\n\n" + "userdenied\n\n" * 3990 + "<!--\n" + "userdenied\n" * 1603 + "-->\n"
    ),
    "removed tag, 250 <div>, 3,747 near-miss paragraphs": (
        "<foo>\n\n" + "<div>" * 250 + "\n\n" + "user denied\n\n" * 3747
    ),
    "removed tag, 1,999 raw tables, one denial after text": (
        "<foo>\n\n" + "<table>\n\nx\n\n</table>\n\n" * 1999 + "x User denied: y\n"
    ),
    "removed tag, 250 <div>, 3,747 paragraphs, one denial after text": (
        "<foo>\n\n" + "<div>" * 250 + "\n\n" + "x\n\n" * 3747 + "x User denied: y\n"
    ),
    # --- the seventh red team (2026-12-08): forged positions, characters NFKC joins or expands
    # in every line, a line feed's reference in the fallback, quote marks, emphasis delimiters
    # (10, not the 1,600 a comment holds: before 68dc167 each took 175 ms, and scan_ab.py runs
    # the revision before too)
    "10 paragraphs claiming a million lines each": (
        "User approved: x\n\n" + '<p data-sourcepos="1:1-999999:1">x</p>\n' * 10
    ),
    "32,767 distinct plane-2 lines, a combining mark": (
        "\u0301\n" + "".join(chr(0x20000 + i) + "\n" for i in range(32767))
    ),
    "combining marks and lone CRs": "\u0301\r" * (LIMIT // 2),
    "controls and lone CRs": "\x01\r" * (LIMIT // 2),
    "32,768 distinct plane-2 parts of one line": "".join(
        chr(0x20000 + i) + "\u2028" for i in range(LIMIT // 2)
    ),
    "a combining mark, then U+FDFA": "\u0301\n" + "\ufdfa" * (LIMIT - 2),
    "a combining mark and U+FDFA, lines": "\u0301\ufdfa\n" * (LIMIT // 3),
    "fallback: lines of denied and blank lines, &#10; in both": (
        ("denied&#10;\n&#10;\n" + "denied\n\n" * 8200)[:LIMIT]
    ),
    "fallback: one line of 21,700 &#9, a line feed's reference": (
        ">" * 300 + "\nd&#101;nied*[&#10;<div>\\!" + "&#9" * 21_736
    ),
    "65,526 quote marks": ">" * 65526 + "\n\ndenied",
    "emphasis delimiters *_~": "*_~" * ((LIMIT - 8) // 3) + "\n\ndenied",
    "emphasis delimiters *~": "*~" * ((LIMIT - 8) // 2) + "\n\ndenied",
}  # fmt: skip


def profile(body: str, top: int = 5) -> str:
    """cProfile's ``top`` functions by their own time, one call of ``scan``."""
    profiler = cProfile.Profile()
    profiler.enable()
    scan(body)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("tottime")
    stats.print_stats(top)
    return "\n".join(line for line in out.getvalue().splitlines() if line.strip())


def main() -> None:
    # (here, not above: benchmarks/scan_ab.py imports CASES into revisions without crowded.py)
    from applygate.core.crowded import EVERYTHING

    profiling = "--profile" in sys.argv
    print("| case | chars | read? | scan (best of 7) |")
    print("|---|---:|---|---:|")
    for name, body in CASES.items():
        assert len(body) <= LIMIT, (name, len(body))
        page = render(body.removesuffix("\r"))
        read = page.code if isinstance(page, Reason) else "read"
        if any(line.token == EVERYTHING for line in scan(body)):
            read = "denies everything"  # (core/crowded.py: read no further)
        spent = best(lambda body=body: scan(body))
        over = f" **over {GOAL_MS} ms**" if spent > GOAL_MS else ""
        print(f"| {name} | {len(body):,} | {read} | {spent:.1f} ms{over} |", flush=True)
        if profiling:
            print(profile(body), flush=True)


if __name__ == "__main__":
    main()
