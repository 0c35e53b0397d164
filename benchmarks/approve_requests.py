"""How many API requests `applygate approve` makes for a pull request with N comments, and how long
it takes, against a loopback GitHub that answers every request after 20 ms.

    .venv/bin/python benchmarks/approve_requests.py

Runs the installed `applygate approve` (a subprocess, as a runner would) for N = 10, 1,000 and
10,000 comments after the head push, and once with 10,000 comments of which 9,000 came before the
push (GitHub's ``since`` leaves those out). Three people approve (each many times), three reviews
are listed, and the stand-in pages like GitHub (``per_page`` at most 100, Link headers). The bound
is ceil(N/100) + 8 GET requests while the people who write a token are the approvers; each other
author of a token costs a permission lookup only while the required approvals are not yet found
(two crowd cases: 50 people with read permission write a token, after or before the approvers).
Each case runs three times; the table shows the median wall time.
Results: approve_requests.md.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the loopback stand-in lives with the tests

from tests.support.fake_github import FakeGitHub, json_of  # noqa: E402
from tests.support.github_payloads import comment, permission, pull, push, review  # noqa: E402

APPLYGATE = str(Path(sys.executable).parent / "applygate")
REPO = "octo-org/octo-repo"
R = f"/repos/{REPO}"
OP = "terraform apply prod/vpc"
HEAD = pull(7)["head"]["sha"]
BEFORE, PUSHED, AFTER = "2026-11-01T11:00:00Z", "2026-11-01T12:00:00Z", "2026-11-01T12:30:00Z"
APPROVERS = ("alice", "bob", "carol")
LATENCY = 0.020
RUNS = 3


def comments(
    total: int, stale: int, crowd: int = 0, crowd_first: bool = True
) -> list[dict[str, Any]]:
    """``total`` comments, the first ``stale`` before the head push; every 97th after it is an
    approval by one of three people in turn, the rest conversation by 20 people. ``crowd`` more
    people with read permission only write a token too, once each: before the first approval
    (``crowd_first``) or at the end."""
    found = []
    approvals = 0
    viewers = [
        comment(total + k, f"viewer{k}", f"User approved: {OP}", AFTER) for k in range(crowd)
    ]
    for viewer in viewers:  # people with no tie to the repository, as GitHub marks them
        viewer["author_association"] = "NONE"
    if crowd_first:
        found += viewers
    for n in range(total):
        if n < stale:
            found.append(comment(n, f"dev{n % 20}", "an old approval?", BEFORE))
        elif n % 97 == 3 or n >= total - 3:
            login = APPROVERS[approvals % 3]
            approvals += 1
            found.append(comment(n, login, f"User approved: {OP}", AFTER))
        else:
            found.append(comment(n, f"dev{n % 20}", "LGTM, one nit below", AFTER))
    return found if crowd_first else found + viewers


def since_push(item: dict[str, Any], query: dict[str, str]) -> bool:
    return "since" not in query or item["updated_at"] > query["since"]


def serve(api: FakeGitHub, items: list[dict[str, Any]]) -> None:
    api.add("GET", f"{R}/pulls/7", pull(7))
    api.add("GET", f"{R}/activity", [push(HEAD, PUSHED, "pusher")])
    api.add_pages(f"{R}/issues/7/comments", items, since_push)
    api.add(
        "GET",
        f"{R}/pulls/7/reviews",
        [
            review(1, "bob", "APPROVED", HEAD, f"User approved: {OP}", AFTER),
            review(2, "dave", "COMMENTED", HEAD, "Looks fine", AFTER),
            review(3, "erin", "CHANGES_REQUESTED", HEAD, "Please pin the provider", AFTER),
        ],
    )
    api.add_review_edits()  # bob's review reads like a token: is it as he wrote it?
    for login in APPROVERS:
        api.add("GET", f"{R}/collaborators/{login}/permission", permission(login, "write", "write"))
    for login in {c["user"]["login"] for c in items if c["user"]["login"].startswith("viewer")}:
        api.add("GET", f"{R}/collaborators/{login}/permission", permission(login, "read", "read"))


def run_once(items: list[dict[str, Any]]) -> tuple[float, int, int, str]:
    with FakeGitHub(latency=LATENCY) as api, tempfile.TemporaryDirectory() as tmp:
        serve(api, items)
        event, outputs = Path(tmp) / "event.json", Path(tmp) / "outputs"
        event.write_text(json.dumps(json_of("events/workflow_dispatch.json")))
        outputs.write_text("")
        env = {
            "PATH": os.environ.get("PATH", ""),
            "GITHUB_ACTIONS": "true",
            "GITHUB_API_URL": api.url,
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_RUN_ID": "30433642",
            "GITHUB_SHA": HEAD,
            "GITHUB_EVENT_NAME": "workflow_dispatch",
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_OUTPUT": str(outputs),
            "INPUT_COMMAND": "approve",
            "INPUT_OPERATION": OP,
            "INPUT_TOKEN": "ghs_benchmark",
            "INPUT_PR-NUMBER": "7",
            "INPUT_MIN-APPROVALS": "3",
            "INPUT_PUBLISH": "none",  # count the decision's reads only
        }
        started = time.perf_counter()
        done = subprocess.run([APPLYGATE], env=env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
        if done.returncode != 0 or api.unmatched:
            raise SystemExit(f"approve failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        pages = api.count("GET", f"{R}/issues/7/comments")
        approvers = next(x for x in outputs.read_text().splitlines() if x.startswith("approvers="))
        return elapsed, api.count("GET"), pages, approvers.removeprefix("approvers=")


def main() -> None:
    # (comments, before the push, people with read permission only who also write a token,
    # whether they write before the three approvers)
    cases = [
        (10, 0, 0, True),
        (1_000, 0, 0, True),
        (10_000, 0, 0, True),
        (10_000, 9_000, 0, True),
        (1_000, 0, 50, False),
        (1_000, 0, 50, True),
    ]
    print(f"latency {LATENCY * 1000:.0f} ms a request, median of {RUNS} runs\n")
    print(
        "| comments | after the push | read-only token writers | GET requests | comment pages "
        "| bound ceil(N/100)+8 | wall time | of which latency |"
    )
    print("|---:|---:|---|---:|---:|---:|---:|---:|")
    for total, stale, crowd, crowd_first in cases:
        items = comments(total, stale, crowd, crowd_first)
        total = len(items)
        runs = [run_once(items) for _ in range(RUNS)]
        _, gets, pages, approvers = runs[0]
        assert approvers == "alice,bob,carol", approvers
        assert all(r[1:3] == (gets, pages) for r in runs)
        bound = math.ceil(total / 100) + 8
        wall = statistics.median(r[0] for r in runs)
        waited = gets * LATENCY * 1000
        writers = "none" if not crowd else f"{crowd}, {'before' if crowd_first else 'after'}"
        print(
            f"| {total:,} | {total - stale:,} | {writers} | {gets} | {pages} | {bound} "
            f"| {wall * 1000:.0f} ms | {waited:.0f} ms |"
        )


if __name__ == "__main__":
    main()
