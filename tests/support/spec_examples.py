"""cmark-gfm's own spec examples (the GitHub Flavored Markdown spec, cmark-gfm's test/spec.txt),
read at test time and never committed (the spec is CC-BY-SA 4.0, and nothing fetched is committed).

`.ci/spec-examples` extracts the file from Debian's ``cmark-gfm`` package (it ships the spec as
``/usr/share/doc/cmark-gfm/spec.txt.gz``) into a cache folder and prints its path; the tests read
the file that ``APPLYGATE_SPEC_EXAMPLES`` names, else the script's default cache path.

The format is the one cmark's ``test/spec_tests.py`` reads: each example is fenced by a line of 32
backticks followed by ``example`` and the extensions it needs, the Markdown, a line ``.``, the
expected HTML, and a closing line of 32 backticks; ``→`` stands for a tab.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV = "APPLYGATE_SPEC_EXAMPLES"
_FENCE = "`" * 32
_OPEN = f"{_FENCE} example"


@dataclass(frozen=True)
class Example:
    number: int  # 1-based, in the order of the file, as spec_tests.py numbers them
    line: int  # of the opening fence in spec.txt
    section: str
    extensions: tuple[str, ...]  # "disabled" marks an example spec_tests.py does not run
    markdown: str
    html: str


def default_path() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "applygate" / "spec-examples" / "spec.txt"


def spec_path() -> Path:
    named = os.environ.get(ENV)
    return Path(named) if named else default_path()


def parse(text: str) -> list[Example]:
    examples: list[Example] = []
    section = ""
    part: list[str] | None = None  # the part being read: markdown, then html
    markdown: list[str] = []
    html: list[str] = []
    extensions: tuple[str, ...] = ()
    start = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if part is None and line.startswith(_OPEN):
            markdown, html = [], []
            part = markdown
            extensions = tuple(line[len(_OPEN) :].split())
            start = number
        elif part is not None and line.rstrip("\n") == _FENCE:
            examples.append(
                Example(
                    len(examples) + 1,
                    start,
                    section,
                    extensions,
                    "".join(markdown).replace("→", "\t"),
                    "".join(html).replace("→", "\t"),
                )
            )
            part = None
        elif part is markdown and line.rstrip("\n") == ".":
            part = html
        elif part is not None:
            part.append(line)
        elif line.startswith("#"):
            section = line.strip("#").strip()
    return examples


def load() -> list[Example] | str:
    """The examples, or why there are none (the file is missing: run .ci/spec-examples)."""
    path = spec_path()
    if not path.is_file():
        return f"no spec examples at {path}: run `bash .ci/spec-examples` (or set {ENV})"
    return parse(path.read_text(encoding="utf-8"))
