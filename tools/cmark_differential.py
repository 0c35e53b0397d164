"""Differential check of the token reader against cmark-gfm, GitHub's own Markdown library.

Every line applygate counts as an approval must be text of a top-level paragraph to cmark-gfm.
Random bodies are built from Markdown's sharp edges (fences, quotes, items, HTML, titles, tables,
tildes, CR); any body where applygate counts more approvals than cmark-gfm shows as paragraph
text is printed. cmark-gfm is not a dependency of applygate: install it in a throwaway venv.

    python3 -m venv /tmp/cm && /tmp/cm/bin/pip install cmarkgfm
    .venv/bin/python tools/cmark_differential.py /tmp/cm/bin/python [seed] [count]

Exit 1 when a body disagrees. (cmark-gfm's safe mode drops raw HTML, which is what GitHub's
sanitizer would not show either.)
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from html.parser import HTMLParser

from applygate.core.token import Kind, scan

APPROVAL = "User approved: x"
INLINE = {"p", "em", "strong", "a", "span", "sup", "sub", "b", "i", "u", "ins", "mark", "small"}
PIECES = [
    *["\n", "\n", "\n\n", "\r", "\r\n", "\n   ", "\n  ", "\n    ", "\t", " ", "  "],
    *["\n- ", "\n> ", "\n1. ", "\n  - ", "- ", "* ", "+ ", "1. ", "> ", "# ", "---", "==="],
    *["`", "``", "```", "\n```", "\n   ```", "~", "~~", "~~~", "\n~~~", "$$", "\\"],
    *["<", ">", "<!--", "-->", "<div>", "</div>", "\n<div>", "<pre>", "</pre>", "<details>"],
    *['<span title="', '">', '[x]: /u "', "[^1]: ", '](u "', "![", "[", "]", "(", ")", '"', "'"],
    *["|", "\n| a |", "\n|---|", "a", "b", APPROVAL, APPROVAL, APPROVAL],
]
RENDER = """
import cmarkgfm, json, sys
print(json.dumps([cmarkgfm.github_flavored_markdown_to_html(b) for b in json.load(sys.stdin)]))
"""


class _PlainText(HTMLParser):
    """Counts the token in text whose only ancestors are a paragraph and inline elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.plain = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("br", "img", "hr", "input"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while tag in self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.stack[:1] == ["p"] and set(self.stack) <= INLINE:
            self.plain += data.count(APPROVAL)


def disagreements(bodies: list[str], html: list[str]) -> list[tuple[str, str]]:
    found = []
    for body, out in zip(bodies, html, strict=True):
        counted = sum(1 for s in scan(body) if s.token is not None and s.kind is Kind.APPROVAL)
        if not counted:
            continue
        reader = _PlainText()
        try:
            reader.feed(out)
        except AssertionError:  # html.parser gives up on some marked sections: skip the body
            continue
        if reader.plain < counted:
            found.append((body, out))
    return found


def main(argv: list[str]) -> int:
    cmark_python = argv[1]
    seed = int(argv[2]) if len(argv) > 2 else 1
    count = int(argv[3]) if len(argv) > 3 else 20000
    rng = random.Random(seed)  # noqa: S311 - reproducible test bodies, not secrets
    bodies = ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 25))) for _ in range(count)]
    answer = subprocess.run(  # noqa: S603 - the interpreter the caller names, our own script
        [cmark_python, "-c", RENDER],
        input=json.dumps(bodies),
        capture_output=True,
        text=True,
        check=True,
    )
    found = disagreements(bodies, json.loads(answer.stdout))
    for body, out in found[:10]:
        print(f"{body!r}\n  cmark-gfm: {out!r}")
    print(f"{len(found)} of {count} bodies disagree (seed {seed})")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
