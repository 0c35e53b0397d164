"""Wall time of `applygate verify`: the slowest criterion, not the sum; and the cost per attempt.

    .venv/bin/python benchmarks/verify_parallel.py

1. 8 criteria of `sleep 1` with max-parallel 8: in-process (verify()) and through the installed
   `applygate verify` command (process start, imports and reports included). Goal: < 1.5 s.
2. 200 attempts of `true`: 200 criteria at max-parallel 1, and one criterion of `false` retried
   199 times with a 0ms interval. Per attempt, against a bare `bash -c true` started with
   subprocess.run (what any runner pays). Goal: overhead < 20 ms per attempt.
Results: verify_parallel.md.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from applygate.commands import verify as cmd
from applygate.core.criteria import parse_criteria
from applygate.core.redact import Redactor

APPLYGATE = str(Path(sys.executable).with_name("applygate"))
ROUNDS = 3


def document(items: list[str]) -> str:
    return "version: 1\ncriteria:\n" + "".join(f"  - {item}\n" for item in items)


def in_process(text: str, max_parallel: int, cwd: str) -> float:
    criteria = parse_criteria(text, "bench.yml")
    probe = cmd.real_probe(cwd, dict(os.environ), Redactor.of(["a-secret-value"]))
    started = time.perf_counter()
    cmd.verify(criteria, cmd.VerifySettings(max_parallel=max_parallel), probe)
    return time.perf_counter() - started


def installed(text: str, max_parallel: int, cwd: Path) -> float:
    path = cwd / "bench.yml"
    path.write_text(text)
    env = {**os.environ, "GITHUB_WORKSPACE": str(cwd), "RUNNER_TEMP": str(cwd)}
    argv = [APPLYGATE, "verify", "--criteria", "bench.yml", "--publish", "none"]
    argv += ["--max-parallel", str(max_parallel)]
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, check=False, cwd=cwd)
    elapsed = time.perf_counter() - started
    assert done.returncode in (0, 1), done.stderr
    return elapsed


def bare(count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        subprocess.run(["bash", "-c", "true"], check=True, stdin=subprocess.DEVNULL)  # noqa: S607
    return time.perf_counter() - started


def best(measure: list[float]) -> str:
    return f"{min(measure) * 1000:.0f} ms (median {statistics.median(measure) * 1000:.0f} ms)"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        sleeps = document([f"{{name: s{n}, run: 'sleep 1'}}" for n in range(8)])
        parallel = [in_process(sleeps, 8, folder) for _ in range(ROUNDS)]
        print(f"8 x sleep 1, max-parallel 8, in-process: {best(parallel)}")
        cli = [installed(sleeps, 8, cwd) for _ in range(ROUNDS)]
        print(f"8 x sleep 1, max-parallel 8, installed applygate verify: {best(cli)}")
        serial = in_process(sleeps, 1, folder)
        print(f"8 x sleep 1, max-parallel 1, in-process: {serial * 1000:.0f} ms")

        trues = document([f"{{name: t{n}, run: 'true'}}" for n in range(200)])
        retried = document(["{name: f, run: 'false', retries: 199, interval: 0ms}"])
        base = [bare(200) / 200 for _ in range(ROUNDS)]
        many = [in_process(trues, 1, folder) / 200 for _ in range(ROUNDS)]
        again = [in_process(retried, 1, folder) / 200 for _ in range(ROUNDS)]
        b = min(base) * 1000
        print(f"bare bash -c true: {b:.1f} ms per process")
        for label, times in (("200 criteria of true", many), ("false retried 199x", again)):
            per = min(times) * 1000
            print(f"{label}: {per:.1f} ms per attempt, overhead {per - b:.1f} ms")


if __name__ == "__main__":
    main()
