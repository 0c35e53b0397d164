"""How long reading the tokens of one crafted comment takes, and of a thousand ordinary ones.

1. Crafted comments at GitHub's 65,536-character limit, each built to make one part of the
   reader slow: the old hand-written reader's worst cases (nested list markers, a heading with a
   long run of spaces, unclosed emphasis, many cells) and the new reader's (deep block quotes
   just under and over MAX_DEPTH, many paragraphs, many hard breaks, a huge table, many list
   items, nested raw <div>/<details>, formatting elements HTML5 rebuilds in every paragraph,
   many raw tables, long emphasis runs, many token-like lines). Each is read by
   ``scan`` (best of 7, wall and CPU time), and, with the new reader, its three parts are timed
   alone: render (cmark-gfm), parse (lexbor), walk (core/shown.py, every node). Goal (issue 14):
   at most 30 ms each.
2. The same shapes made just small enough to be read (a page of at most
   ``github_render.MAX_ELEMENTS`` elements): the costliest bodies that are read in full.
3. Big comments people write (plans in a fence or a <details>, a long paste, a 500-row table):
   read, and how fast.
4. A decision's screening over 1,000 realistic comments, a tenth with token lines
   (``approval.screen``, best of 5). Goal: no slower than the reader before issue 14.

    .venv/bin/python benchmarks/token_scan.py
    PYTHONPATH=/tmp/old/src .venv/bin/python benchmarks/token_scan.py   # the reader before

The second line times the previous reader (``git worktree add /tmp/old 9b3afba``): only the
``scan`` and ``screen`` columns exist there.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from applygate.core.approval import Binding, Push, Source, Submission, screen
from applygate.core.policy import Author, Policy

try:  # the reader since issue 14
    from applygate.core import github_render, shown
    from applygate.core.reading import scan

    NEW = True
    BOUND = getattr(github_render, "MAX_ELEMENTS", 10**9)
except ImportError:  # the hand-written reader before it
    from applygate.core.token import scan  # type: ignore[attr-defined,no-redef]

    NEW = False

OP = "terraform apply prod/vpc"
APPROVAL = f"User approved: {OP}"
DENIAL = f"User denied: {OP}"
LIMIT = 65_536
GOAL_MS = 30  # issue 14: a comment read in at most this
DEPTH = 256  # github_render.MAX_DEPTH


def fill(unit: str, tail: str = "\n\n" + APPROVAL, head: str = "") -> str:
    """``unit`` repeated between ``head`` and ``tail`` up to the comment limit (the token line
    at the end makes the cheap test let the body through to the renderer)."""
    room = LIMIT - len(head) - len(tail)
    return head + unit * (room // len(unit)) + tail


def distinct(line: str, head: str) -> str:
    """``head``, then ``line`` numbered 0, 1, 2, … up to the limit: no two lines alike."""
    lines, size, number = [head], len(head), 0
    while size < LIMIT:
        lines.append(line.format(number))
        size, number = size + len(lines[-1]), number + 1
    return "".join(lines)[:LIMIT]


def _table(columns: int) -> str:
    header = "|" + " a |" * columns + "\n" + "|" + "---|" * columns + "\n"
    return fill("| x |\n", head=header)


CASES: dict[str, str] = {
    # the hand-written reader's worst cases
    "nested list markers": ("- " * LIMIT)[: LIMIT - 40] + DENIAL,
    "heading, long spaces": f"# {DENIAL}" + " " * (LIMIT - 40) + "y",
    "unclosed emphasis": "**User denied: " + "x" * (LIMIT - 20),
    "many cells": ("| " * LIMIT)[: LIMIT - 40] + DENIAL,
    # the new reader's
    "quotes 250 deep, repeated": fill("> " * (DEPTH - 6) + DENIAL + "\n"),
    "quotes 300 deep (refused)": fill("> " * (DEPTH + 44) + DENIAL + "\n"),
    "one-line paragraphs": fill("x\n\n"),
    "one-line token paragraphs": fill(APPROVAL + "\n\n"),
    "hard breaks": fill("x\n"),
    "table, 2 columns": _table(2),
    "list items": fill("- x\n"),
    "task items": fill("- [ ] x\n"),
    "nested list items": fill("- " * 100 + "x\n"),
    "raw <div> 250 deep": fill("x\n\n", head="<div>" * (DEPTH - 6) + "\n\n"),
    "raw <details> 250 deep": fill("x\n\n", head="<details>" * (DEPTH - 6) + "\n\n"),
    "raw <div>, many": fill("<div>\n\nx\n\n</div>\n\n"),
    "rebuilt <b> x 250": fill("x\n\n", head="".join(f"<b title={i}>" for i in range(250)) + "\n\n"),
    "raw <table>s, unclosed": fill("<table>\n\nx\n\n"),
    "raw <table>s, closed": fill("<table>\n\nx\n\n</table>\n\n"),
    "emphasis runs": fill("*a **b ***c _d __e "),
    "strikethrough runs": fill("~~a ~b "),
    "link brackets": fill("[a](b [c] "),
    "token lines, crowded": fill(APPROVAL + "\n"),
    "denial list items": fill(f"- {DENIAL}\n"),
    "denials in cells": fill(f"| {DENIAL} |\n", head="| a |\n|---|\n"),
    "html comments": fill(f"<!-- {APPROVAL} -->\n"),
    # the red team's (2026-12-07): shown denials without a source position; unclosed tags
    "denials with an entity": fill("User denied: &#105;t\n"),
    "unclosed <a, after a token word": ("approved\n" + "<a" * LIMIT)[:LIMIT],
    # the second red team's: too large to read, each line a different denial (the fallback)
    "too large, a different denial a cell": distinct("| User denied: op{} |\n", "| a |\n|---|\n"),
    "too large, a different bold denial a line": distinct(
        "User **denied**: op{}\n", "**a**\n" * 4100
    ),
    # this session's (2026-12-07, 16:30): short lines each a denial, the same or each different
    "headings, a short denial each": fill("# User denied: x\n"),
    "list items, a short denial each": fill("- User denied: x\n"),
    "headings, a different denial each": distinct("# User denied: op{}\n", ""),
    "paragraphs, a different denial each": distinct("User denied: op{}\n\n", ""),
    "lines, a different denial with an entity each": distinct("User denied: &#105;t{}\n", ""),
    "second cells, a different denial each": distinct(
        "| a | User denied: o{} |\n", "| a | b |\n|---|---|\n"
    ),
    "paragraphs, a denial mid-line each": distinct("ok User denied: o{}\n\n", ""),
    # worse ones found while making the fallback faster (2026-12-07): a bold denial in a cell
    # (each line read two ways and joined to the next's cells), and letters outside ASCII (read
    # by the slower steps outside ASCII: looks_like_token on every line, the fallback's too)
    "too large, a different bold denial a cell": distinct(
        "| User **denied**: op{} |\n", "| a |\n|---|\n"
    ),
    "too large, a different denial a cell, not ASCII": distinct(
        "| User denied: op\u00e9{} |\n", "| a |\n|---|\n"
    ),
    "too large, a different bold denial a line, not ASCII": distinct(
        "User **denied**: op\u00e9{}\n", "**a**\n" * 4100
    ),
    # last: rendering it makes 20 MB of HTML, after which cmark-gfm ran up to three times slower
    # for a while (the memory it had to take back from the system)
    "table, 1,000 columns": _table(1000),
}


# The shapes that make many elements, made as large as a page that is still read allows.
MANY = {
    "one-line paragraphs": ("x\n\n", ""),
    "hard breaks": ("x\n", ""),
    "table, 2 columns": ("| x |\n", "| a | a |\n|---|---|\n"),
    "list items": ("- x\n", ""),
    "task items": ("- [ ] x\n", ""),
    "nested list items": ("- " * 100 + "x\n", ""),
    "raw <div> 250 deep": ("x\n\n", "<div>" * (DEPTH - 6) + "\n\n"),
    "raw <details> 250 deep": ("x\n\n", "<details>" * (DEPTH - 6) + "\n\n"),
    "raw <div>, many": ("<div>\n\nx\n\n</div>\n\n", ""),
    "rebuilt <b> x 250": ("x\n\n", "".join(f"<b title={i}>" for i in range(250)) + "\n\n"),
    "raw <table>s, closed": ("<table>\n\nx\n\n</table>\n\n", ""),
    "denial list items": (f"- {DENIAL}\n", ""),
    "denials in cells": (f"| {DENIAL} |\n", "| a |\n|---|\n"),
    "html comments": (f"<!-- {APPROVAL} -->\n", ""),
}


def elements(body: str) -> int:
    html = github_render.to_html(body)
    return html.count("<") - html.count("</")


def at_bound(unit: str, head: str) -> str:
    """``unit`` repeated after ``head``, as often as a page of at most BOUND elements allows."""
    low, high = 0, (LIMIT - len(head) - len(APPROVAL) - 2) // len(unit)
    while low < high:
        middle = (low + high + 1) // 2
        if elements(head + unit * middle + "\n\n" + APPROVAL) <= BOUND:
            low = middle
        else:
            high = middle - 1
    return head + unit * low + "\n\n" + APPROVAL


def best(run: Callable[[], object], times: int = 7) -> float:
    """The best of ``times`` runs, in milliseconds."""
    return best_of(run, times)[0]


def best_of(run: Callable[[], object], times: int = 7) -> tuple[float, float]:
    """The best wall time and the best CPU time of ``times`` runs, in milliseconds."""
    wall, cpu = [], []
    for _ in range(times):
        started, used = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    return min(wall) * 1000, min(cpu) * 1000


def crafted(cases: dict[str, str]) -> None:
    if NEW:
        print("| case | chars | elements | render | parse | walk | scan | scan, CPU |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
    else:
        print("| case | chars | scan |")
        print("|---|---:|---:|")
    # every scan timed first: the parts below render bodies scan refuses before rendering (up to
    # 64,000 elements), after which cmark-gfm runs up to three times slower for a while (the
    # memory it hands back to the system), which would be charged to the next case's scan
    timed = {name: best_of(lambda body=body: scan(body)) for name, body in cases.items()}
    for name, body in cases.items():
        assert len(body) <= LIMIT, name
        total, cpu = timed[name]
        if not NEW:
            print(f"| {name} | {len(body):,} | {total:.0f} ms |")
            continue
        html = github_render.to_html(body)
        render = best(lambda body=body: github_render.to_html(body))
        parse = best(lambda html=html: github_render.LexborHTMLParser(html, is_fragment=True))
        tree = github_render.render(body)
        first = None if isinstance(tree, github_render.Reason) else tree.first
        walk = best(lambda first=first: shown.read(first)) if first is not None else 0.0
        parts = f"{render:.1f} | {parse:.1f} | {walk:.1f}" if first else f"{render:.1f} | - | -"
        over = f" **over {GOAL_MS} ms**" if total > GOAL_MS else ""
        print(
            f"| {name} | {len(body):,} | {elements(body):,} | {parts} | {total:.0f} ms{over} "
            f"| {cpu:.0f} ms |"
        )


# --- A decision over 1,000 ordinary comments ---------------------------------------------------

PLAN = "\n".join(
    f'  + resource "aws_subnet" "s{i}" {{ cidr_block = "10.0.{i}.0/24" }}' for i in range(25)
)
CHAT = [
    "LGTM, thanks!",
    "Could you rebase on main? The lockfile conflicts.",
    "Nice catch \U0001f44d \u2014 I\u2019d keep the old name for one release though.",
    f"Plan output:\n\n```hcl\n{PLAN}\n```\n\nLooks as expected.",
    "> why is the NAT gateway gone?\n\nIt moved to the shared VPC, see #412.",
    "- [x] plan reviewed\n- [x] cost estimate\n- [ ] runbook updated",
    "| env | change |\n|---|---|\n| prod | +3 subnets |\n| stage | none |",
    "This looks right to me. " * 20,
    "See https://example.com/runbooks/vpc and **please** ping #infra before applying.",
    f"<details><summary>Full log</summary>\n\n```\n{PLAN}\n```\n\n</details>",
]
TOKENS = [
    f"Reviewed the plan, looks right.\n\n{APPROVAL}",
    f"{APPROVAL} @6dcb09b",
    f"> {APPROVAL}\n\nQuoting Alice: not mine.",
    f"{DENIAL}\n\nThe subnet range overlaps stage.",
    f"```\n{APPROVAL}\n```",
    "User approved: the changes",
]


def comments(count: int = 1000) -> list[Submission]:
    pick = random.Random(14)  # noqa: S311 - the same corpus on every run, not a secret
    start = datetime(2026, 12, 1, tzinfo=UTC)
    found = []
    for i in range(count):
        body = pick.choice(TOKENS) if i % 10 == 9 else pick.choice(CHAT)
        author = Author(f"dev{pick.randrange(12)}", association="MEMBER")
        found.append(
            Submission(
                source=Source.PR_COMMENT,
                ref=f"IC_{i}",
                author=author,
                body=body,
                created_at=start + timedelta(minutes=i),
            )
        )
    return found


def decision() -> None:
    subs = comments()
    binding = Binding(
        sha="6dcb09b5b57875f334f61aebed695e2e4193db5e",
        pr_number=7,
        push=Push(datetime(2026, 11, 30, tzinfo=UTC), "author"),
        pr_author="author",
    )
    policy = Policy(operation=OP)
    spent = best(lambda: screen(subs, policy, binding))
    verdicts = len(screen(subs, policy, binding).verdicts)
    chars = sum(len(s.body) for s in subs)
    print(f"\nscreen 1,000 comments ({chars:,} chars, {verdicts} token lines): {spent:.0f} ms")


# --- Big comments people write ---------------------------------------------------------------

_LONG_PLAN = "".join(
    f'  # aws_subnet.s{i} will be created\n  + resource "aws_subnet" "s{i}" {{\n'
    f'      + cidr_block = "10.0.{i % 250}.0/24"\n    }}\n'
    for i in range(1000)
)[:64_000]
PEOPLE = {
    "a plan in a fence": f"Plan:\n\n```hcl\n{_LONG_PLAN}\n```\n\n{APPROVAL}",
    "a plan in <details>": (
        f"<details><summary>Plan</summary>\n\n```\n{_LONG_PLAN}\n```\n\n</details>\n\n{APPROVAL}"
    ),
    "a plan pasted as it is": f"{_LONG_PLAN}\n\n{APPROVAL}",
    "a 2,000-line paste": "\n".join(f"step {i} ok" for i in range(2000)) + f"\n\n{APPROVAL}",
    "a 500-row table of six columns": (
        "|" + " h |" * 6 + "\n|" + "---|" * 6 + "\n"
        + "".join(f"| r{i} |" + " v |" * 5 + "\n" for i in range(500)) + f"\n{APPROVAL}"
    ),
}  # fmt: skip


def people() -> None:
    print("\n| comment | chars | elements | approval counts | scan | scan, CPU |")
    print("|---|---:|---:|---|---:|---:|")
    for name, body in PEOPLE.items():
        counts = any(s.token is not None for s in scan(body))
        total, cpu = best_of(lambda body=body: scan(body))
        print(
            f"| {name} | {len(body):,} | {elements(body):,} | {counts} "
            f"| {total:.0f} ms | {cpu:.0f} ms |"
        )


if __name__ == "__main__":
    crafted(CASES)
    if NEW:
        print(f"\nAt the bound ({BOUND:,} elements):\n")
        crafted({f"{name}, at the bound": at_bound(*shape) for name, shape in MANY.items()})
        people()
    decision()
