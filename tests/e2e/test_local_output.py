"""The installed ``applygate`` run by a person (no ``GITHUB_ACTIONS``): no workflow command, each
failure said once, counts that say what was skipped, and the JSON report's path. The same runs
in Actions still speak to the runner's log in workflow commands."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from tests.git.conftest import Repos
from tests.support.cli import invoke

TOKEN = "ghs_e2eLocalToken12345"
CRITERIA = """\
version: 1
criteria:
  - {name: rolled out, run: 'true'}
  - {name: api healthy, run: 'echo unhealthy; exit 3', retries: 1, interval: 10ms}
"""
STEPS = "echo planned\necho 'Error: quota exceeded' >&2; exit 1\necho never"
FAILING_DRY_RUN = "echo 'Error: no credentials' >&2; exit 1"
UNKNOWN = "0" * 40


def run(args: list[str], work: Path, tmp: Path, actions: bool) -> subprocess.CompletedProcess[str]:
    """``applygate *args`` in ``work`` with the token as an input; outside Actions unless asked.
    Reports go to the temporary directory (``TMPDIR``, ``RUNNER_TEMP`` in Actions)."""
    temp = tmp / "temp"
    temp.mkdir(exist_ok=True)
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    env = {**inherited, "TMPDIR": str(temp), "INPUT_TOKEN": TOKEN}
    if actions:
        env |= {
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(work),
            "GITHUB_REF": "refs/heads/main",
            "GITHUB_REF_NAME": "main",
            "RUNNER_TEMP": str(temp),
        }
    done, _, _ = invoke(args, env, tmp / args[0], cwd=work)
    return done


@pytest.fixture
def work(repos: Repos, tmp_path: Path) -> Path:
    """A clone whose HEAD is pushed to its bare remote, and a criteria file outside it."""
    bare, _ = repos.seeded()
    work = repos.clone(bare, "work")
    (tmp_path / "verify.yml").write_text(CRITERIA)
    return work


def commands(work: Path, tmp: Path) -> dict[str, list[str]]:
    return {
        "preflight": ["preflight", "--credentials", "CLOUD_TOKEN", "--steps", "make apply"],
        "verify": ["verify", "--criteria", str(tmp / "verify.yml")],
        "execute": ["execute", "--steps", STEPS],
        "fingerprint": ["fingerprint", "--", FAILING_DRY_RUN],
        "rollback": ["rollback", "--sha", UNKNOWN],
    }


# What each command says when it fails, and which must be said exactly once locally.
FAILURES = {
    "preflight": ["1 changed or untracked path(s): stray.txt", "missing or empty: CLOUD_TOKEN"],
    "verify": ["expected exit code 0, got 3", "not complete"],
    "execute": ["step 2 (echo 'Error: quota exceeded' >&2; exit 1) exited 1"],
    "fingerprint": ["the dry-run exited with 1: no fingerprint", "Error: no credentials"],
    "rollback": [f"fetch {UNKNOWN[:12]} from origin"],
}
COUNTS = {
    "preflight": "applygate preflight: 2 passed, 4 skipped, 2 failed",
    "execute": "applygate execute: 3 steps: 1 succeeded, 1 failed, 1 not run",
}
REPORTS = {"verify": 1, "execute": 1}
STDERR = {
    "fingerprint": "error: applygate fingerprint: the dry-run exited with 1: no fingerprint\n"
}
# In Actions a run without the sha input fails approved-sha too: execute stops at the checklist.
ACTIONS_COUNTS = {
    "preflight": "applygate preflight: 8 checks, 3 failed",
    "execute": "applygate preflight: 8 checks, 1 failed",
}


@pytest.mark.parametrize("command", list(FAILURES))
def test_a_local_run_is_written_for_a_person(command: str, work: Path, tmp_path: Path) -> None:
    if command == "preflight":
        (work / "stray.txt").write_text("not committed\n")
    done = run(commands(work, tmp_path)[command], work, tmp_path, actions=False)
    assert done.returncode == 1, done.stdout + done.stderr
    everything = done.stdout + done.stderr
    commands_seen = [line for line in everything.splitlines() if line.startswith("::")]
    assert commands_seen == [], everything
    for failure in FAILURES[command]:
        assert everything.count(failure) == 1, f"{failure!r} in:\n{everything}"
    # the console report says the failure; only fingerprint, which has none, says it on stderr
    assert done.stderr == STDERR.get(command, ""), done.stderr
    if command in COUNTS:
        assert COUNTS[command] in done.stdout.splitlines(), done.stdout
    if command == "execute":  # the checklist it runs first counts its skipped checks too
        assert "applygate preflight: 3 passed, 5 skipped, 0 failed" in done.stdout
    if command in ("preflight", "execute"):  # the count is the checks listed as skipped
        skipped = sum(line.startswith("  skip ") for line in done.stdout.splitlines())
        assert f", {skipped} skipped, " in done.stdout
    reports = re.findall(r"^report: (.+)$", done.stdout, re.MULTILINE)
    assert len(reports) == REPORTS.get(command, 0), done.stdout
    for path in reports:
        assert Path(path).is_file(), path
        assert Path(path).parent == tmp_path / "temp"
    assert TOKEN not in everything


@pytest.mark.parametrize("command", list(FAILURES))
def test_the_same_run_in_actions_speaks_to_the_runner(
    command: str, work: Path, tmp_path: Path
) -> None:
    if command == "preflight":
        (work / "stray.txt").write_text("not committed\n")
    done = run(commands(work, tmp_path)[command], work, tmp_path, actions=True)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert f"::add-mask::{TOKEN}" in lines
    errors = [line for line in lines if line.startswith("::error title=applygate")]
    assert errors, done.stdout
    if command in ("preflight", "execute"):
        assert any(line.startswith("::group::") for line in lines), done.stdout
        assert "::endgroup::" in lines
        assert not any(line.startswith("== ") for line in lines)
    assert not any(line.startswith("report: ") for line in lines)  # the path is an output here
    if command in ACTIONS_COUNTS:  # the headline the Actions log has always had
        assert ACTIONS_COUNTS[command] in lines, done.stdout


def test_an_execute_the_checklist_stops_says_each_failure_once(work: Path, tmp_path: Path) -> None:
    """The checklist's report lists each failure with its fix; execute's error report, just
    below it, points there instead of saying them again (in Actions it repeats them)."""
    (work / "stray.txt").write_text("not committed\n")
    args = ["execute", "--steps", STEPS, "--credentials", "CLOUD_TOKEN"]
    done = run(args, work, tmp_path, actions=False)
    assert done.returncode == 1, done.stdout + done.stderr
    for failure in FAILURES["preflight"]:
        assert done.stdout.count(failure) == 1, done.stdout
    assert "Error Message:\n  the 2 failed check(s) listed above\n" in done.stdout
    in_actions = run(args, work, tmp_path, actions=True)
    assert in_actions.stdout.count(FAILURES["preflight"][1]) >= 2  # annotation, report, error
