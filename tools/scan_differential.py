"""Does a change to the reader change what ``reading.scan`` says of any comment? A corpus of
generated comments (seeded: the same comments on every run), each scanned, its whole result
(every line's number, text, kind, token and rejection) written down as a digest, then compared
with what another revision of the reader said of the same comments.

    # what the reader said before (a worktree of the revision to compare with)
    git worktree add --detach /tmp/before HEAD
    PYTHONPATH=/tmp/before/src python tools/scan_differential.py record /tmp/before.json
    # what it says now: exit 1 and the first comments that differ, if any does
    python tools/scan_differential.py compare /tmp/before.json

A speed change to the reader is meant to change nothing: this is how the sessions that made
them checked it (their notes: "0 differences over N bodies"). The comments are built from the
pieces the red teams used (tokens and near-misses, look-alikes, invisible and space characters,
Markdown containers, raw HTML GitHub keeps or removes, entities, tables, line endings), a few of
them crowded (more token-like lines than ``crowded.MAX_CANDIDATES``, or more shown denials
than ``crowded.MAX_SHOWN_DENIALS``), too large or too deep to render (the fallback), or long.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

from applygate.core.reading import scan

OPERATIONS = ("op", "terraform apply prod/vpc", "a|b", "x @abc1234", "k @ABCDEF0123456")
TOKENS = ("User approved: {}", "User denied: {}")
# what a line is made of besides a token: near-misses, characters the grammar refuses or folds
NEAR = (
    "user approved {}",
    "User  approved: {}",
    "User approved:{}",
    "User approved: ",
    "Us\u0435r approved: {}",
    "User den\u0456ed: {}",
    "User\u00a0denied: {}",
    "User denied: {}\u00a0|",
    "User denied: {}\tb",
    "User denied: {}|",
    "User de<del>x</del>nied: {}",
    "User **denied**: {}",
    "User den&#105;ed: {}",
    "User denied:\n{}",
    "User\ndenied: {}",
    "User approved: {}\u200b",
    "\u202eUser approved: {}",
    "User approved: {}\r",
    "User approved: {} ",
    "\tUser denied: {}",
    "User denied: \u00e9{}",
    "User denied: {}\\",
)
PIECES = (
    "> ",
    "- ",
    "1. ",
    "# ",
    "* ",
    "```\n",
    "~~~\n",
    "    ",
    "| a | b |\n|---|---|\n",
    "|",
    " | ",
    "**",
    "_",
    "~~",
    "`",
    "\\",
    "[x](y)",
    "<!-- x -->",
    "<!--",
    "-->",
    "&#32;",
    "&amp;",
    "&nbsp;",
    "<div>",
    "</div>",
    "<details>",
    "<details open>",
    "<summary>",
    "</summary>",
    "</details>",
    "<del>",
    "</del>",
    "<foo>",
    "</foo>",
    "<foo>x</foo>",
    "<span>",
    "</span>",
    "<table>",
    "<td>",
    "</td>",
    "<p>",
    "</p>",
    "<br>",
    "<sub>",
    "<a href=x>",
    "</a>",
    "<DIV>",
    "<div\nclass=x>",
    "<script>",
    "<style>",
    "<xmp>",
    "<textarea>",
    "<blockquote>",
    "<li>",
    "<ul>",
    "<h1>",
    "<pre>",
    "<code>",
    '<p data-sourcepos="1:1-1:5">',
    "x",
    "text",
    "\u2028",
    "\x0c",
    "\r\n",
    "\r",
    "\u00e9",
    "\ufdfa",
    "\u00a0",
    "\t",
    "-" * 3,
    "===",
    "[^1]",
    "[^1]: x",
)
JOINS = ("\n", "\n\n", " ", "", "\r\n", "\n\n\n")
# What makes a comment too large to render (more than 4,000 elements; a table's padding) or too
# deep, read by the fallback (core/unrendered.py).
UNRENDERED = ("x\n" * 4_100 + "\n", "|-" * 2_001 + "\nx\n\n", "<div>" * 300 + "\n\n")


def corpus(count: int, seed: int) -> Iterator[str]:
    """``count`` comments, the same for the same seed."""
    pick = random.Random(seed)  # noqa: S311 - a test corpus, not a secret
    for index in range(count):
        size = pick.choice((2, 4, 8, 16)) if index % 25 else 0
        parts = [_piece(pick) for _ in range(pick.randint(1, max(size, 1)))]
        joins: tuple[str, ...] = JOINS
        if size == 0 and index % 50:  # one in 50: too large, or too deep, to render
            parts = [pick.choice(UNRENDERED), *parts]
        elif size == 0:  # one in 50: crowded (past 64 token-like lines, or 256 shown denials)
            line = _piece(pick, token=True) + pick.choice(("", "\u00a0|", "|", "\tb", " x"))
            head = "".join(_piece(pick) for _ in range(pick.randint(0, 3)))
            count = pick.choice((70, 260, 300))
            parts = [head] + [line.replace("{n}", str(n)) for n in range(count)]
            joins = ("\n\n", "\n\n", "\n", " ")  # (mostly lines of their own)
        body = ""
        for part in parts:
            body += part + pick.choice(joins)
        yield body


def _piece(pick: random.Random, token: bool = False) -> str:
    roll = pick.random()
    if token or roll < 0.3:
        form = pick.choice(TOKENS if pick.random() < 0.6 else NEAR)
        operation = pick.choice(OPERATIONS) + ("{n}" if token else "")
        return pick.choice(PIECES) * pick.randint(0, 2) + form.format(operation)
    return pick.choice(PIECES)


def digests(count: int, seed: int) -> list[str]:
    """Each comment's scan result, as a digest of its repr."""
    found = []
    for body in corpus(count, seed):
        result = repr(scan(body)).encode("utf-8", "surrogatepass")
        found.append(hashlib.sha256(result).hexdigest()[:16])
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("mode", choices=("record", "compare"))
    parser.add_argument("file", type=Path)
    parser.add_argument("--count", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=14)
    arguments = parser.parse_args(argv)
    found = digests(arguments.count, arguments.seed)
    if arguments.mode == "record":
        record = {"count": arguments.count, "seed": arguments.seed, "digests": found}
        arguments.file.write_text(json.dumps(record))
        return 0
    before = json.loads(arguments.file.read_text())
    if (before["count"], before["seed"]) != (arguments.count, arguments.seed):
        print("compare with the recorded --count and --seed", file=sys.stderr)
        return 2
    differ = [
        index
        for index, pair in enumerate(zip(before["digests"], found, strict=True))
        if len(set(pair)) > 1
    ]
    bodies = list(corpus(arguments.count, arguments.seed))
    for index in differ[:5]:  # (the first 300 characters of each)
        print(f"differs: {bodies[index]!r:.300}\n  now: {scan(bodies[index])!r:.300}")
    print(f"{len(differ)} of {len(found)} comments differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
