"""How long scanning one crafted comment takes: lines built to make markup stripping quadratic
(nested list markers, a heading with a long run of spaces, unclosed emphasis, many cells), each
at GitHub's 65,536-character comment limit. Goal: well under a second each (linear time).

    .venv/bin/python benchmarks/token_scan.py
"""

from __future__ import annotations

import time

from applygate.core.reading import scan

OP = "terraform apply prod/vpc"
LIMIT = 65_536
CASES = {
    "nested list markers": ("- " * LIMIT)[: LIMIT - 40] + f"User denied: {OP}",
    "heading, long spaces": f"# User denied: {OP}" + " " * (LIMIT - 40) + "y",
    "unclosed emphasis": "**User denied: " + "x" * (LIMIT - 20),
    "many cells": ("| " * LIMIT)[: LIMIT - 40] + f"User denied: {OP}",
}


def main() -> None:
    for name, body in CASES.items():
        started = time.perf_counter()
        scan(body)
        print(f"{name:22} {len(body):,} chars: {(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
