"""Red-team rows for the Markdown reading behind the token grammar (core/blocks.py).

Each row is a body planted to make the gate read a line as plain text that GitHub renders as
something else (code, HTML, a quote, a list, a heading, a table), or the reverse. The expected
value is what CommonMark/GFM makes of the token-like lines: None when the line is a plain
paragraph line (the token counts), else the reason code it does not count.
"""

from __future__ import annotations

import time

import pytest

from applygate.core.blocks import contexts
from applygate.core.token import scan

OP = "terraform apply prod/vpc"
A = f"User approved: {OP}"
D = f"User denied: {OP}"

# id, body, the reason code of each token-like line (None: it is a token)
ROWS: list[tuple[str, str, list[str | None]]] = [
    # line endings: a lone CR ends a line (CommonMark), so it cannot hide a fence from the gate
    ("lone CR opens a fence", f"text\r```\n{A}\n```", ["fenced-code"]),
    ("lone CR ends a line, suspiciously", f"LGTM\r{A}", ["control-char"]),
    ("line before a lone CR", f"{A}\rLGTM", ["control-char"]),
    ("CRLF fence", f"```\r\n{A}\r\n```\r\n{A}", ["fenced-code", None]),
    ("NEL does not end a line", f"LGTM\u0085{A}", ["control-char"]),
    ("line separator does not end a line", f"LGTM\u2028{A}", ["invisible-char"]),
    # tabs: a tab advances to the next multiple of 4 columns
    ("3 spaces and a tab indent code", f"   \t{A}", ["indented-code"]),
    ("a space and a tab indent code", f" \t{A}", ["indented-code"]),
    ("tab before a quote is code", f"\t> x\n{A}", [None]),
    # fences
    ("closing fence indented 4+ does not close", f"```\n    ```\n{A}\n```", ["fenced-code"]),
    ("closing fence indented 3 closes", f"```\n   ```\n{A}", [None]),
    ("closing fence with info does not close", f"```\n``` x\n{A}\n```", ["fenced-code"]),
    ("tilde does not close backticks", f"```\n~~~\n{A}\n```", ["fenced-code"]),
    ("backticks do not close tildes", f"~~~\n```\n{A}\n~~~", ["fenced-code"]),
    ("tilde info may hold a backtick", f"~~~ a`b\n{A}\n~~~", ["fenced-code"]),
    ("backtick info with a backtick is not a fence", f"``` a`b\n{D}", [None]),
    ("two backticks are not a fence", f"``\n{A}\n``", ["inline-code"]),
    ("fence inside an HTML comment is hidden", f"<!--\n```\n-->\n{A}", [None]),
    # lists: a fence or code inside a list item is still code
    ("fence in a bullet item", f"- ```\n  {A}\n  ```", ["fenced-code"]),
    ("fence in an ordered item", f"1. ```\n   {A}\n   ```", ["fenced-code"]),
    ("fence in a nested item", f"- a\n  - ```\n    {A}\n    ```", ["fenced-code"]),
    ("item ends, a new fence opens", f"- ```\n```\n{A}\n```", ["fenced-code"]),
    ("fence interrupts a list paragraph", f"- a\n```\n\n{A}\n```", ["fenced-code"]),
    ("deep close in an item stays open", f"- ```\n          ```\n  {A}\n  ```", ["fenced-code"]),
    ("item opening with indented code", f"-     {A}", ["indented-code"]),
    ("indented code in an item", f"- a\n\n      {A}", ["indented-code"]),
    ("continuation in an item", f"- a\n  {A}", ["list-item"]),
    ("lazy continuation of an item", f"- a\n{A}", ["list-item"]),
    ("an item ending in a digit interrupts text", f"text\n- 5\n{A}", ["list-item"]),
    ("quote in an item, lazy line", f"- > Alice wrote\n  {A}", ["quoted"]),
    ("list item marker line", f"* {A}", ["not-canonical"]),
    ("after a list and a blank line", f"- a\n- b\n\n{A}", [None]),
    ("an empty item ends at a blank line", f"- \n\n   ```\n{A}\n```", ["fenced-code"]),
    ("an empty item takes the next line", f"-\n  {A}", ["list-item"]),
    ("code in an item ends with it", f"- ```\n  code\n\n{A}", [None]),
    # paragraphs: indented lines continue a paragraph, they do not start code
    ("indented continuation is text", f"No.\n    {D}", [None]),
    ("indented after a blank is code", f"No.\n\n    {D}", ["indented-code"]),
    ("fence in a quote ends with it", f"> ```\n{A}", [None]),
    # HTML blocks render as HTML, not as text
    ("details block", f"<details>\n<summary>old</summary>\n{A}\n</details>", ["html-block"]),
    ("collapsed details paragraph", f"<details>\n\n{A}\n\n</details>", ["html-block"]),
    ("after a closed details", f"<details>\n<summary>x</summary>\n</details>\n\n{A}", [None]),
    ("pre block", f"<pre>\n{A}\n</pre>", ["html-block"]),
    ("script block", f"<SCRIPT>\n{A}\n</script>", ["html-block"]),
    ("div block until a blank line", f"<div>\n{A}\n\n{A}", ["html-block", None]),
    ("inline tag cannot interrupt", f"para\n<span>\n{A}", [None]),
    ("single-line pre", f"<pre>x</pre>\n{A}", [None]),
    ("processing instruction", f"<?x\n{A}\n?>", ["html-block"]),
    # inline code and comments across the lines of one paragraph
    ("code span across lines", f"`\n{A}\n`", ["inline-code"]),
    ("long code span across lines", f"see ``a\n{A}\nb``", ["inline-code"]),
    ("unclosed backtick is literal", f"`oops\n{A}", [None]),
    ("runs of other lengths do not close", f"``x\n{A}\n`", [None]),
    ("escaped backtick is literal", f"\\`\n{A}\n`", [None]),
    ("inline comment across lines", f"a <!-- x\n{A}\n-->", ["html-comment"]),
    ("unclosed comment then code span", f"a <!-- x\n`\n{A}\n`", ["inline-code"]),
    ("span closed before the line", f"`x` and\n{A}", [None]),
    # link reference definitions are never rendered, and a title may run across lines
    ("definition title across lines", f'[x]: /url "\n{A}\n"', ["link-definition"]),
    ("definition title in parentheses", f"[x]:\n/url\n(\n{A}\n)\n{A}", ["link-definition", None]),
    ("text after a definition", f"[1]: https://example.com\n{A}", [None]),
    ("a title may end in a backslash", f'[x]: /u "a\n{A}\\"', ["link-definition"]),
    ("not a definition mid-paragraph", f'see [x]: /url "\n{A}\n"', [None]),
    # inline constructs that hide whole lines
    ("attribute value across lines", f'text <span title="\n{A}\n">ok</span>', ["inline-html"]),
    ("link title across lines", f'see [docs](https://x.io "\n{A}\n")', ["link-title"]),
    ("image description across lines", f"![\n{A}\n](https://x.io/a.png)", ["image"]),
    ("processing instruction inline", f"a <?\n{A}\n?>", ["html-comment"]),
    ("text inside an inline element is shown", f"a <span>\n{A}\n</span>", [None]),
    ("a tag alone on a line starts an HTML block", f"<span>\n{A}\n</span>", ["html-block"]),
    ("brackets without an image tail", f"see ![ok]\n{A}\nand [docs](https://x.io)", [None]),
    ("link text across lines is shown", f"[\n{A}\n](https://x.io)", [None]),
    ("backtick in an attribute is no code span", f'<a title="`">x</a>\n{A}\n`', [None]),
    # GitHub's math and footnotes: a formula or a note apart, not a line of text
    ("display math block", f"$$\n{A}\n$$", ["math"]),
    # a '$$' line is no block (cmark-gfm): lines after it in a list item continue it lazily
    ("dollars opening an item", f"* $$\nb\n{A}", ["list-item"]),
    ("display math inside a paragraph", f"see $$x\n{A}\ny$$", ["math"]),
    ("footnote continuation", f"[^1]: a note\n{A}", ["footnote"]),
    ("one dollar is text", f"costs $5\n{A}\nand $6", [None]),
    # a denial on a line that is shown, if not as a plain line, still stops the operation
    ("denial continuing a list item", f"- reviewed\n{D}", [None]),
    ("denial in a table row", f"| a |\n|---|\n{D}", [None]),
    ("denial in an HTML block", f"<div>\n{D}\n</div>", [None]),
    ("denial as a setext heading", f"{D}\n---", [None]),
    ("quoted denial does not", f"> {D}", ["quoted"]),
    ("denial in code does not", f"```\n{D}\n```", ["fenced-code"]),
    ("denial in a link title does not", f'[d](https://x.io "\n{D}\n")', ["link-title"]),
    ("struck through across lines", f"~~a\n{A}\nb~~", ["struck"]),
    ("single tildes strike too", f"~a\n{A}\nb~", ["struck"]),
    ("a tilde before a number is text", f"~5 minutes\n{A}\nabout ~10", [None]),
    ("three tildes do not strike", f"a ~~~b\n{A}\nc~~~", [None]),
    ("an escaped tilde neither opens nor closes", f"~~b \\~~x\n{A}\ny~", ["struck"]),
    # headings and tables
    ("setext heading", f"{A}\n===", ["heading"]),
    ("setext heading of a paragraph", f"Note\n{A}\n---", ["heading"]),
    ("atx heading", f"## {A}", ["heading"]),
    ("table row without pipes", f"| a |\n|---|\n{A}", ["table"]),
    ("table header", f"{A}\n|---|", ["table"]),
    ("after a table and a blank", f"| a |\n|---|\n\n{A}", [None]),
    ("pipe in plain text", f"a | b\n{A}", [None]),
    ("cells that do not match make no table", f"{A}\n| a | b |\n|---|\n-", ["heading"]),
    ("a table after paragraph text", f"{A}\n| a |\n|---|", [None]),
    ("an empty item keeps an indented blank", f"- \n    \n  {A}", ["list-item"]),
]


@pytest.mark.parametrize(("body", "codes"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_markdown_context(body: str, codes: list[str | None]) -> None:
    found = [line.rejection.code if line.rejection else None for line in scan(body)]
    assert found == codes
    for line in scan(body):
        assert (line.token is None) == (line.rejection is not None)


def test_every_line_gets_a_context_and_numbers_follow_commonmark_line_endings() -> None:
    body = f"a\r\nb\rc\n{A}"
    assert [line for line, _ in contexts(body)] == ["a", "b", "c", A]
    [token] = scan(body)
    assert token.number == 4


@pytest.mark.parametrize(
    ("body", "last"),
    [
        ("1. " * 15000 + "\n" * 15000 + A, "nested"),
        (("> " * 10000 + "\n") * 3 + A, "nested"),
        ("* " * 30000 + "x\n" + A, "nested"),
        ("`a`\n" * 16000 + A, None),
        ("".join("`" * i + " " for i in range(1, 350)) + "\n" + A, None),
        ("a" + "<!--" * 16000 + "\n" + A, None),
        ("|" + "-|" * 30000 + "\n" + A, None),
        ("[x]: /url " + "'\\" * 20000 + "\n" + A, None),
        ("a " + '<a b="' * 10000 + "\n" + A, None),
        ("a " + '](x "' * 10000 + "\n" + A, None),
        ("a " + "![" * 20000 + "\n" + A, None),
        ("a " + "](" * 30000 + "\n" + A, None),
        ("a " + "![](" * 15000 + "\n" + A, None),
        ("a " + "$$" * 30001 + "\n" + A, None),
        ("a " + "~a " * 20000 + "\n" + A, None),
        ("a " + "\\~" * 30000 + "\n" + A, None),
        ('[x]: /u "' + "\\" * 30000 + "\n" + A, None),
    ],
    ids=[
        "nested items",
        "nested quotes",
        "nested stars",
        "spans",
        "runs",
        "comments",
        "pipes",
        "definition",
        "tags",
        "titles",
        "images",
        "link tails",
        "empty images",
        "dollars",
        "tildes",
        "escaped tildes",
        "title backslashes",
    ],
)
def test_hostile_bodies_are_read_in_bounded_time(body: str, last: str | None) -> None:
    started = time.monotonic()
    lines = scan(body)
    assert time.monotonic() - started < 2.0  # generous: quadratic readings took 10-60 s
    assert (lines[-1].rejection.code if lines[-1].rejection else None) == last


def test_a_details_tag_in_text_or_code_collapses_nothing() -> None:
    body = f"I dropped the `<details>` tag.\n\n```\n<details>\n```\n\n{A}"
    [line] = scan(body)
    assert line.token is not None
