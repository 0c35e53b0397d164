"""What a page read twice would cost if its second reading cost less (issue 14, 2026-12-07).

A comment with an element GitHub's sanitizer removes is read twice (core/second_reading.py).
For each such body of speed_redteam.py, ``scan`` is timed three ways:

- as it is;
- with the second walk free: the second page is parsed and the first reading keeps its blocks,
  but the second walk returns at once (what no pass-over, however clever, can go below);
- with no second page at all: only the first page rendered, parsed and walked.

Each is the best of 7 runs of one call. The last two change what ``scan`` finds (the denials
and refusals only the second reading shows are missing): they measure, they do not read.

    .venv/bin/python benchmarks/read_twice_floor.py
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from applygate.core import reading
from applygate.core.github_render import Rendered, render
from applygate.core.shown import read
from applygate.core.shown_page import Shown
from speed_redteam import CASES  # type: ignore[import-not-found]
from token_scan import GOAL_MS, best  # type: ignore[import-not-found]


@contextmanager
def patched(name: str, stand_in: Callable[..., Any]) -> Iterator[None]:
    real = getattr(reading, name)
    setattr(reading, name, stand_in)
    try:
        yield
    finally:
        setattr(reading, name, real)


def _second_walk_free(first: Any, lines: Any = None, **options: Any) -> Shown:
    if options.get("alike") is not None:  # the second reading
        return Shown()
    return read(first, lines, **options)


def _no_second_page(body: str) -> Any:
    rendered = render(body)
    return dataclasses.replace(rendered, other=None) if isinstance(rendered, Rendered) else rendered


def main() -> None:
    print("| case | scan | second walk free | no second page |")
    print("|---|---:|---:|---:|")
    for name, body in CASES.items():
        rendered = render(body.removesuffix("\r"))
        if not isinstance(rendered, Rendered) or rendered.other is None:
            continue  # read once
        whole = best(lambda body=body: reading.scan(body))
        with patched("read", _second_walk_free):
            free = best(lambda body=body: reading.scan(body))
        with patched("render", _no_second_page):
            once = best(lambda body=body: reading.scan(body))
        over = f" **over {GOAL_MS} ms**" if free > GOAL_MS else ""
        print(f"| {name} | {whole:.1f} ms | {free:.1f} ms{over} | {once:.1f} ms |", flush=True)


if __name__ == "__main__":
    main()
