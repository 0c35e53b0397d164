"""scan's time on every body of token_scan.py and speed_redteam.py, at an earlier commit and now,
measured in turn (each side in its own process, two rounds, the best of 9 runs each): on a
machine whose speed drifts by a fifth within an hour, only times taken side by side compare.

    git worktree add --detach /tmp/before 37fd1a1
    .venv/bin/python benchmarks/scan_ab.py /tmp/before/src
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TIME_ALL = f"""
import json, sys, time
sys.path.insert(0, {str(HERE)!r})
import speed_redteam, token_scan
from applygate.core.reading import scan
def best(body, n=9):
    spent = []
    for _ in range(n):
        start = time.perf_counter(); scan(body); spent.append(time.perf_counter() - start)
    return min(spent) * 1000
cases = {{**speed_redteam.CASES, **token_scan.CASES}}
print(json.dumps({{name: best(body) for name, body in cases.items()}}))
"""


def times(source: str) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=source)
    done = subprocess.run(
        [sys.executable, "-c", TIME_ALL], env=env, capture_output=True, text=True, check=True
    )
    found: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def main() -> None:
    before, now = sys.argv[1], str(HERE.parent / "src")
    best: dict[str, dict[str, float]] = {}
    for _ in range(2):
        for side, source in (("before", before), ("now", now)):
            for name, spent in times(source).items():
                kept = best.setdefault(name, {})
                kept[side] = min(kept.get(side, spent), spent)
    print("| case | before | now |")
    print("|---|---:|---:|")
    for name, sides in best.items():
        print(f"| {name} | {sides['before']:.1f} ms | {sides['now']:.1f} ms |")


if __name__ == "__main__":
    main()
