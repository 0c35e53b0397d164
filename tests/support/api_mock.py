"""What the ``responses`` tests of the GitHub adapter share: where PyGithub sends requests, a
clock that only moves when the code sleeps (or a test moves it), and a real client built on both."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import responses

from applygate.adapters.github import PyGithubClient
from applygate.adapters.retry import RetryPolicy

BASE = "https://api.github.com"
API = f"{BASE}:443"  # PyGithub spells the port out in the URLs it requests
REPO = "octocat/Hello-World"
R = f"{API}/repos/{REPO}"


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0  # epoch seconds: rate-limit resets are compared with it
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def client(clock: Clock, retry: RetryPolicy | None = None) -> PyGithubClient:
    """A real PyGithubClient (PyGithub's requester, token auth) sleeping on ``clock``."""
    requester = PyGithubClient.connect("ghs_secret", BASE, REPO)._requester
    return PyGithubClient(requester, REPO, retry or RetryPolicy(), clock.sleep, clock)


def query(call: responses.Call) -> dict[str, str]:
    """The query string of a recorded request, one value per name."""
    return {k: v[-1] for k, v in parse_qs(urlsplit(call.request.url or "").query).items()}


def path(call: responses.Call) -> str:
    return urlsplit(call.request.url or "").path
