"""Print the character class core/unicode_categories.py keeps for a set of Unicode categories, as
this Python's unicodedata assigns them over every plane (tests/unit/test_unicode_categories.py
fails when a Python's unicodedata differs from the one they were written from).

    .venv/bin/python tools/unicode_ranges.py Cc Cf Zl Zp Zs --but $'\\t '
    .venv/bin/python tools/unicode_ranges.py Cc Cf --outside-ascii
    .venv/bin/python tools/unicode_ranges.py --nfkc-expands   # NFKC writes more than one
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable
from itertools import compress, count


def ranges(keep: Callable[[str], bool]) -> list[tuple[int, int]]:
    """The runs of code points whose character ``keep`` keeps, as (first, last)."""
    found: list[tuple[int, int]] = []
    for code in compress(count(), map(keep, map(chr, range(0x110000)))):
        if found and found[-1][1] == code - 1:
            found[-1] = (found[-1][0], code)
        else:
            found.append((code, code))
    return found


def main() -> None:
    args = sys.argv[1:]
    if args == ["--nfkc-expands"]:
        found = ranges(lambda ch: len(unicodedata.normalize("NFKC", ch)) > 1)
    else:
        but = args[args.index("--but") + 1] if "--but" in args else ""
        categories = frozenset(a for a in args if a not in ("--but", but, "--outside-ascii"))
        if "--outside-ascii" in args:
            but += "".join(map(chr, range(0x80)))
        found = ranges(lambda ch: unicodedata.category(ch) in categories and ch not in but)
    print(f"# unicodedata {unicodedata.unidata_version}")
    for low, high in found:
        print(f'    "\\\\U{low:08x}-\\\\U{high:08x}"')


if __name__ == "__main__":
    main()
