"""Who authors the revert: the inputs when given, else git's own identity, else (in Actions only)
the Actions bot. Real repositories; the environment is the test's (no global or system config)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.git.conftest import Repos, git

from applygate.adapters.git_write import GitWriter
from applygate.core.rollback import BOT, revert_author
from applygate.flows.revert import roll_back

NO_IDENTITY = ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")


@pytest.fixture(autouse=True)
def _no_identity_in_this_process(repos: Repos, monkeypatch: pytest.MonkeyPatch) -> None:
    """GitPython starts git with this process's environment under the one given: the fixtures'
    GIT_AUTHOR_* must not be there, or every case would see an identity configured."""
    for name in (*NO_IDENTITY, "EMAIL"):
        monkeypatch.delenv(name, raising=False)


def environ(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (*NO_IDENTITY, "EMAIL")}
    return {**env, **extra}


def revert_by(work: Path, env: dict[str, str], given: tuple[str, str] | None, actions: bool) -> str:
    result = roll_back(GitWriter(work, env, given, actions), None, "origin", "main")
    assert result.reverted, result.reason
    return git(work, "log", "-1", "--format=%an <%ae>|%cn <%ce>", result.revert_sha)


def test_outside_actions_the_environment_identity_authors_it(repos: Repos) -> None:
    _, work = repos.seeded()
    env = environ(GIT_AUTHOR_NAME="Ana", GIT_AUTHOR_EMAIL="ana@example.com")
    env.update(GIT_COMMITTER_NAME="Ana", GIT_COMMITTER_EMAIL="ana@example.com")
    assert (
        revert_by(work, env, None, actions=False) == "Ana <ana@example.com>|Ana <ana@example.com>"
    )


@pytest.mark.parametrize("actions", [False, True], ids=["outside Actions", "in Actions"])
def test_the_configured_user_authors_it(repos: Repos, actions: bool) -> None:
    """git's configured user, outside Actions and in it alike (the bot only when there is none)."""
    _, work = repos.seeded()
    git(work, "config", "user.name", "Bo")
    git(work, "config", "user.email", "bo@example.com")
    who = "Bo <bo@example.com>"
    assert revert_by(work, environ(), None, actions=actions) == f"{who}|{who}"


def test_in_actions_with_no_identity_the_bot_authors_it(repos: Repos) -> None:
    _, work = repos.seeded()
    bot = f"{BOT[0]} <{BOT[1]}>"
    assert revert_by(work, environ(), None, actions=True) == f"{bot}|{bot}"


def test_the_inputs_win_over_the_configured_user(repos: Repos) -> None:
    _, work = repos.seeded()
    git(work, "config", "user.name", "Bo")
    git(work, "config", "user.email", "bo@example.com")
    given = ("Ops", "ops@example.com")
    assert revert_by(work, environ(), given, actions=False) == (
        "Ops <ops@example.com>|Ops <ops@example.com>"
    )


@pytest.mark.parametrize(
    ("given", "configured", "actions", "expected"),
    [
        (("A", "a@x"), True, True, ("A", "a@x")),
        (None, True, True, None),
        (None, True, False, None),
        (None, False, False, None),  # outside Actions the bot never steps in
        (None, False, True, BOT),
    ],
)
def test_revert_author(
    given: tuple[str, str] | None,
    configured: bool,
    actions: bool,
    expected: tuple[str, str] | None,
) -> None:
    assert revert_author(given, configured, actions) == expected
