"""What the runner tells a command: its base URLs are validated, never guessed at."""

from __future__ import annotations

import pytest

from applygate.context import RunContext
from applygate.errors import UsageError


@pytest.mark.parametrize(
    ("value", "api_url"),
    [
        ("", "https://api.github.com"),
        ("https://api.github.com/", "https://api.github.com"),
        ("https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("http://[::1]:8080/", "http://[::1]:8080"),
    ],
)
def test_api_url_accepted(value: str, api_url: str) -> None:
    assert RunContext.from_environ({"GITHUB_API_URL": value}).api_url == api_url


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("notaurl", "'notaurl' is not an http(s) URL with a host"),
        ("ftp://ghe.example.com", "is not an http(s) URL with a host"),
        ("https://", "is not an http(s) URL with a host"),
        ("https://ghe.example.com:99999", "is not a URL (Port out of range 0-65535)"),
        ("https://ghe.example.com:http", "is not a URL"),
        ("https://ghe.example.com:0", "has port 0"),
        ("https://x:ghp_secret@ghe.example.com", "the URL must not carry credentials"),
        ("https://ghe.example.com/api?x=1", "must be a base URL"),
        ("https://ghe.example.com/a b", "must be a base URL"),
        ("https://[::1", "is not a URL"),
        ("https://x:ghp_secret@ghe.example.com:99999", "'https://***@ghe.example.com:99999'"),
    ],
)
def test_api_url_refused_naming_the_variable(value: str, says: str) -> None:
    with pytest.raises(UsageError) as raised:
        RunContext.from_environ({"GITHUB_API_URL": value})
    message = str(raised.value)
    assert message.startswith("GITHUB_API_URL: ")
    assert says in message
    assert "ghp_secret" not in message


def test_server_url_is_checked_the_same_way() -> None:
    with pytest.raises(UsageError, match=r"^GITHUB_SERVER_URL: 'github' is not an http"):
        RunContext.from_environ({"GITHUB_SERVER_URL": "github"})
