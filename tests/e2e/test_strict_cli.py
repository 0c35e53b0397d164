"""Every command refuses what it does not understand before anything happens: another command's
flag, an unknown flag, another command's ``INPUT_*`` set to a value other than its default.

Run against a real repository with a bare remote: a refused ``rollback`` must push nothing, a
refused ``execute`` run no step; exit 2, one line naming the flag and the command's flags.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from tests.git.conftest import GIT_ENV, Repos, git
from tests.support.cli import APPLYGATE

from applygate.inputs.registry import COMMAND_NAMES, INPUTS, inputs_of

# (command, a flag of another command with a value that would do real work)
FOREIGN_FLAGS = [
    ("approve", ("--steps", "touch ran")),
    ("check-comment", ("--retries", "9")),
    ("preflight", ("--criteria", "/nonexistent.yml")),
    ("fingerprint", ("--rollback", "git-revert")),
    ("verify", ("--dry-run", "touch ran")),
    ("execute", ("--approvers", "alice")),
    ("rollback", ("--dry-run", "true")),
]


def run(repos: Repos, argv: list[str], extra_env: dict[str, str]) -> tuple[Path, Path, object]:
    bare, work = repos.seeded()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))},
        **GIT_ENV,
        "GITHUB_WORKSPACE": str(work),
        "INPUT_STEPS": "",  # what the runner sets for an input without a default
        **extra_env,
    }
    done = subprocess.run(
        [APPLYGATE, *argv],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    return bare, work, done


def test_every_command_is_checked() -> None:
    assert {command for command, _ in FOREIGN_FLAGS} == set(COMMAND_NAMES)


@pytest.mark.parametrize(("command", "flag"), FOREIGN_FLAGS, ids=[c for c, _ in FOREIGN_FLAGS])
def test_a_foreign_flag_is_refused_and_nothing_changes(
    repos: Repos, command: str, flag: tuple[str, str]
) -> None:
    branch = {"INPUT_BRANCH": "main"} if command == "rollback" else {}
    bare, work, done = run(repos, [command, *flag], branch)
    assert isinstance(done, subprocess.CompletedProcess)
    assert done.returncode == 2, done.stdout + done.stderr
    [line] = done.stderr.splitlines()
    assert f"{flag[0]} is not a flag of {command}" in line
    mine = [f"--{spec.name}" for spec in inputs_of(command) if spec.flag]
    assert f"{command} takes: {', '.join(mine)}" in line
    assert done.stdout == ""
    assert git(bare, "rev-parse", "main") == git(work, "rev-parse", "HEAD")  # nothing pushed
    assert git(work, "status", "--porcelain") == ""
    assert not (work / "ran").exists()


def test_rollback_with_a_foreign_flag_pushes_no_revert(repos: Repos) -> None:
    """The issue's case: 'rollback --dry-run true' pushed a revert commit."""
    bare, work, done = run(repos, ["rollback", "--dry-run", "true", "--branch", "main"], {})
    head = git(work, "rev-parse", "HEAD")
    assert isinstance(done, subprocess.CompletedProcess)
    assert done.returncode == 2
    assert git(bare, "rev-parse", "main") == head
    assert "Revert" not in git(bare, "log", "-1", "--format=%s", "main")


@pytest.mark.parametrize("command", COMMAND_NAMES)
def test_an_unknown_flag_is_refused(repos: Repos, command: str) -> None:
    _, _, done = run(repos, [command, "--no-such-input=x"], {})
    assert isinstance(done, subprocess.CompletedProcess)
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert f"{command}: unknown flag --no-such-input; {command} takes:" in line


def foreign_input(command: str) -> tuple[str, str]:
    """An input of another command, with a value that is not its default."""
    spec = next(s for s in INPUTS if s.flag and command not in s.commands and s.name != "steps")
    return f"INPUT_{spec.name.upper()}", f"not-the-default-{spec.name}"


@pytest.mark.parametrize("command", COMMAND_NAMES)
def test_a_foreign_input_with_a_value_is_refused(repos: Repos, command: str) -> None:
    name, value = foreign_input(command)
    bare, work, done = run(repos, [command], {name: value})
    assert isinstance(done, subprocess.CompletedProcess)
    assert done.returncode == 2, done.stdout + done.stderr
    [line] = done.stderr.splitlines()
    assert f"({name}) is not an input of {command}" in line
    assert git(bare, "rev-parse", "main") == git(work, "rev-parse", "HEAD")


def test_foreign_inputs_left_at_their_defaults_pass() -> None:
    """The runner sets every input with a default: verify must not trip over rollback's."""
    env = {
        "PATH": os.environ["PATH"],
        **{f"INPUT_{s.name.upper()}": s.default for s in INPUTS if s.flag},
    }
    done = subprocess.run(
        [APPLYGATE, "check-comment", "--operation", "x"],
        input="User approved: x\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
