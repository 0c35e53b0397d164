"""How much publishing adds to a comment-triggered `applygate approve` (issue 18): the run that
answers a pull-request comment with everything published, against the same decision writing
nothing, for N = 10 and 1,000 comments since the head push, against a loopback GitHub that
answers every request after 50 ms.

    .venv/bin/python benchmarks/approve_speed.py

- "publishing": an `issue_comment` run (alice's comment `User approved: <op>` is the newest of
  the N), `publish: commit-status`: the 👀 reaction, the decision's reads, the status, the result
  comment (created on the first run, updated on the rerun on the same head), 🚀.
- "writing nothing": the same reads and decision from a `workflow_dispatch` run with `pr-number`
  and `publish: none` (no comment to answer, nothing published).

Each row is the median of RUNS runs (each a fresh stand-in); the ratio compares the medians
measured in this one invocation. The acceptance of issue 18: at most ceil(N/100) + 10 requests
(all methods), and publishing at most 1.6 times the wall time of writing nothing.
Set PYTHONPATH to another checkout's ``src`` to measure that code. Results: approve_speed.md.
"""

from __future__ import annotations

import collections
import datetime
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
from tests.support.github_payloads import comment, permission, pull, push, review, user  # noqa: E402
from tests.support.pr_thread import PrThread  # noqa: E402

APPLYGATE = str(Path(sys.executable).parent / "applygate")
REPO = "octo-org/octo-repo"
R = f"/repos/{REPO}"
OP = "terraform apply prod/vpc"
PR = 7
HEAD = pull(PR)["head"]["sha"]
PUSHED, AFTER = "2026-11-01T12:00:00Z", "2026-11-01T12:30:00Z"
LATENCY = 0.050
RUNS = 5


def comments(total: int) -> list[dict[str, Any]]:
    """``total`` comments after the head push: conversation by 20 people, then alice's approval
    (the comment that triggers the run)."""
    found = [comment(n + 1, f"dev{n % 20}", "LGTM, one nit below", AFTER) for n in range(total - 1)]
    return [*found, comment(total, "alice", f"User approved: {OP}", AFTER)]


def serve(api: FakeGitHub, items: list[dict[str, Any]]) -> PrThread:
    api.add("GET", f"{R}/pulls/{PR}", pull(PR))
    api.add("GET", f"{R}/activity", [push(HEAD, PUSHED, "pusher")])
    reviews = [
        review(1, "dave", "COMMENTED", HEAD, "Looks fine", AFTER),
        review(2, "erin", "CHANGES_REQUESTED", HEAD, "Please pin the provider", AFTER),
    ]
    api.add("GET", f"{R}/pulls/{PR}/reviews", reviews)
    api.add("GET", f"{R}/collaborators/alice/permission", permission("alice", "write", "write"))
    api.add("POST", f"{R}/statuses/{HEAD}", json_of("repos-create-commit-status.json"), 201)
    reaction = json_of("reactions-create-for-issue-comment.json")
    api.add("POST", f"{R}/issues/comments/{items[-1]['id']}/reactions", reaction, 201)
    return PrThread(api, REPO, PR, items)


def environment(api: FakeGitHub, tmp: Path, trigger: dict[str, Any] | None) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "GITHUB_ACTIONS": "true",
        "GITHUB_API_URL": api.url,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_RUN_ID": "30433642",
        "GITHUB_OUTPUT": str(tmp / "outputs"),
        "INPUT_COMMAND": "approve",
        "INPUT_OPERATION": OP,
        "INPUT_TOKEN": "ghs_benchmark",
    }
    if "PYTHONPATH" in os.environ:  # measure another checkout
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    event = tmp / "event.json"
    if trigger is None:
        event.write_text(json.dumps(json_of("events/workflow_dispatch.json")))
        name = "workflow_dispatch"
        env.update({"GITHUB_SHA": HEAD, "INPUT_PR-NUMBER": str(PR), "INPUT_PUBLISH": "none"})
    else:
        payload = json_of("events/issue_comment.created.json")
        payload["issue"]["number"] = PR
        payload["issue"]["pull_request"] = {"url": f"https://api.github.com{R}/pulls/{PR}"}
        payload["comment"].update(id=trigger["id"], body=trigger["body"], user=user("alice"))
        event.write_text(json.dumps(payload))
        name = "issue_comment"
        env["GITHUB_SHA"] = "f" * 40  # the default branch's tip, as on GitHub
    env.update({"GITHUB_EVENT_NAME": name, "GITHUB_EVENT_PATH": str(event)})
    return env


def run_once(total: int, publishing: bool) -> list[tuple[float, dict[str, int]]]:
    """The first run and, when publishing, the rerun on the same head: (seconds, requests)."""
    items = comments(total)
    measured = []
    with FakeGitHub(latency=LATENCY) as api, tempfile.TemporaryDirectory() as tmp:
        thread = serve(api, items)
        env = environment(api, Path(tmp), items[-1] if publishing else None)
        for _ in range(2 if publishing else 1):
            (Path(tmp) / "outputs").write_text("")
            api.requests.clear()
            started = time.perf_counter()
            done = subprocess.run([APPLYGATE], env=env, capture_output=True, text=True, check=False)
            elapsed = time.perf_counter() - started
            outputs = (Path(tmp) / "outputs").read_text()
            if done.returncode != 0 or api.unmatched or "decision=approved" not in outputs:
                raise SystemExit(f"approve failed ({done.returncode}):\n{done.stdout}{done.stderr}")
            counts = collections.Counter(r.method for r in api.requests)
            measured.append((elapsed, dict(counts)))
        if publishing:
            assert len(thread.by_bot()) == 1, "a rerun on the same head must not post again"
    return measured


def by_method(counts: dict[str, int]) -> str:
    return ", ".join(f"{m} {counts[m]}" for m in ("GET", "POST", "PATCH") if counts.get(m))


def main() -> None:
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    print(f"{today}: latency {LATENCY * 1000:.0f} ms a request, median of {RUNS} runs\n")
    print(
        "| comments since the push | run | requests by method | all | bound ceil(N/100)+10 "
        "| wall time | times writing nothing |"
    )
    print("|---:|---|---|---:|---:|---:|---:|")
    for total in (10, 1_000):
        quiet = [run_once(total, publishing=False)[0] for _ in range(RUNS)]
        loud = [run_once(total, publishing=True) for _ in range(RUNS)]
        base = statistics.median(t for t, _ in quiet)
        bound = math.ceil(total / 100) + 10
        rows = [
            ("writing nothing", quiet),
            ("publishing, first run", [r[0] for r in loud]),
            ("publishing, rerun (same head)", [r[1] for r in loud]),
        ]
        for name, runs in rows:
            counts = runs[0][1]
            assert all(c == counts for _, c in runs), "request counts must not vary"
            wall = statistics.median(t for t, _ in runs)
            print(
                f"| {total:,} | {name} | {by_method(counts)} | {sum(counts.values())} | {bound} "
                f"| {wall * 1000:.0f} ms | {wall / base:.2f} |"
            )


if __name__ == "__main__":
    main()
