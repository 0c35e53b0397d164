"""Peak memory and streaming speed when a command prints about a gigabyte through applygate.

    .venv/bin/python benchmarks/output_memory.py [--mb 1024] [--src DIR] [--only NAME ...]

Each scenario runs in a fresh Python process, so that its peak RSS is its own, with applygate
imported from --src (default: this tree's src/; for "before", an older tree extracted with
`git archive <commit> src | tar -x -C /tmp/before` and --src /tmp/before/src):
- run_shell: a command printing MB of terraform-like lines through run_shell, no line callback
  (what a verification criterion does); kept: output tail, stdout's ends.
- fingerprint: `applygate fingerprint -- <command>`: every line echoed to the log (here
  /dev/null), stdout fingerprinted.
- execute: `applygate execute` with the command as its one step, in a clean, pushed clone.
- verify: `applygate verify`, the command as a criterion expecting its last line in stdout.
- one-line: `applygate fingerprint` of a command printing MB/4 without a single newline.
Peak RSS comes from wait4 (the Python process and what it waited for: bash, yes and head are a
few MB); MB/s is the output's size over the wall time of the whole run, start-up included.
Results: output_memory.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
LINE = "aws_instance.web[12]: Still creating... [10s elapsed] (id=i-0abc1234def567890, web-12)"
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}
# Runs in the child: applygate from the given tree, then one scenario.
CHILD = """
import sys
src, mode, command = sys.argv[1:4]
sys.path.insert(0, src)
import applygate
assert applygate.__file__.startswith(src), applygate.__file__
if mode == "run_shell":
    from applygate.adapters.process import run_shell
    result = run_shell(command)
    assert result.ok, result.output[-2000:]
    sys.exit(0)
from applygate.cli import main
sys.exit(main(sys.argv[4:]))
"""


def printing(megabytes: int) -> str:
    """A command printing ``megabytes`` MB of LINE, the last line whole."""
    size = megabytes * 1_000_000 // (len(LINE) + 1) * (len(LINE) + 1)
    return f"yes '{LINE}' | head -c {size}"


def one_line(megabytes: int) -> str:
    return f"head -c {megabytes * 1_000_000} /dev/zero | tr '\\0' x"


def git(cwd: Path, *args: str) -> None:
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)  # noqa: S607


def workspace(root: Path, command: str) -> Path:
    """A clean clone of a bare remote (for execute), with a criteria file beside it (verify)."""
    git(root, "init", "--quiet", "--bare", "--initial-branch=main", "remote.git")
    git(root, "clone", "--quiet", f"file://{root}/remote.git", "work")
    work = root / "work"
    (work / "file.txt").write_text("1\n")
    git(work, "add", "file.txt")
    git(work, "commit", "--quiet", "-m", "one")
    git(work, "push", "--quiet", "origin", "HEAD:main")
    criteria = root / "verify.yml"
    quoted = command.replace("'", "''")
    criteria.write_text(
        "version: 1\ncriteria:\n"
        f"  - name: prints a lot\n    run: '{quoted}'\n"
        f"    expect: {{stdout-contains: '{LINE}'}}\n    timeout: 30m\n"
    )
    return work


def measure(src: Path, mode: str, command: str, args: list[str], work: Path) -> tuple[int, float]:
    """Peak RSS (bytes) and wall time of one scenario in a fresh process."""
    env = {**os.environ, **GIT_ENV, "GITHUB_WORKSPACE": str(work), "RUNNER_TEMP": str(work.parent)}
    env.pop("GITHUB_ACTIONS", None)
    argv = [sys.executable, "-c", CHILD, str(src), mode, command, *args]
    started = time.perf_counter()
    with open(os.devnull, "w") as sink, tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(argv, cwd=work, env=env, stdout=sink, stderr=errors)
        _pid, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        errors.seek(0)
        error = errors.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    assert code == 0, f"{mode} exited with {code}: {error[-2000:]}"
    return usage.ru_maxrss * 1024, elapsed


def scenarios(megabytes: int, root: Path) -> dict[str, tuple[str, str, list[str], int]]:
    lots = printing(megabytes)
    work = workspace(root, lots)
    criteria = str(root / "verify.yml")
    return {
        "run_shell": ("run_shell", lots, [], megabytes),
        "fingerprint": ("cli", "", ["fingerprint", "--", lots], megabytes),
        "execute": ("cli", "", ["execute", "--steps", lots, "--publish", "none"], megabytes),
        "verify": ("cli", "", ["verify", "--criteria", criteria, "--publish", "none"], megabytes),
        "one-line": ("cli", "", ["fingerprint", "--", one_line(megabytes // 4)], megabytes // 4),
    }, work


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=1024, help="megabytes each command prints")
    parser.add_argument("--src", type=Path, default=SRC, help="the src/ to import applygate from")
    parser.add_argument("--only", nargs="*", default=None, help="scenario names to run")
    options = parser.parse_args()
    src = options.src.resolve()
    with tempfile.TemporaryDirectory() as folder:
        table, work = scenarios(options.mb, Path(folder))
        print(f"applygate from {src}; Python {sys.version.split()[0]}")
        for name, (mode, command, args, megabytes) in table.items():
            if options.only and name not in options.only:
                continue
            rss, elapsed = measure(src, mode, command, args, work)
            print(
                f"{name:12} {megabytes:6} MB printed  peak RSS {rss / 2**20:8.0f} MiB"
                f"  {megabytes / elapsed:6.1f} MB/s  ({elapsed:.1f} s)",
                flush=True,
            )


if __name__ == "__main__":
    main()
