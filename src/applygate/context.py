"""What the runner tells every command about the run, read from its environment variables."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from applygate.errors import UsageError

_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
_USERINFO = re.compile(r"//[^/?#]*@")


@dataclass(frozen=True, kw_only=True)
class RunContext:
    event_name: str = ""
    event_path: str = ""
    repository: str = ""
    api_url: str = "https://api.github.com"
    server_url: str = "https://github.com"
    run_id: str = ""
    run_attempt: str = "1"  # GITHUB_RUN_ATTEMPT: "" when the runner did not say
    actor: str = ""
    triggering_actor: str = ""
    sha: str = ""
    output_path: str = ""
    summary_path: str = ""
    in_actions: bool = False
    ref: str = ""  # GITHUB_REF, e.g. refs/heads/main or refs/pull/1/merge
    ref_name: str = ""
    head_ref: str = ""  # GITHUB_HEAD_REF: pull_request events only
    base_ref: str = ""
    workspace: str = ""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> RunContext:
        get = environ.get
        return cls(
            event_name=get("GITHUB_EVENT_NAME", ""),
            event_path=get("GITHUB_EVENT_PATH", ""),
            repository=get("GITHUB_REPOSITORY", ""),
            api_url=base_url(environ, "GITHUB_API_URL", "https://api.github.com"),
            server_url=base_url(environ, "GITHUB_SERVER_URL", "https://github.com"),
            run_id=get("GITHUB_RUN_ID", ""),
            run_attempt=get("GITHUB_RUN_ATTEMPT", ""),
            actor=get("GITHUB_ACTOR", ""),
            triggering_actor=get("GITHUB_TRIGGERING_ACTOR", "") or get("GITHUB_ACTOR", ""),
            sha=get("GITHUB_SHA", "").lower(),
            output_path=get("GITHUB_OUTPUT", ""),
            summary_path=get("GITHUB_STEP_SUMMARY", ""),
            in_actions=in_actions(environ),
            ref=get("GITHUB_REF", ""),
            ref_name=get("GITHUB_REF_NAME", ""),
            head_ref=get("GITHUB_HEAD_REF", ""),
            base_ref=get("GITHUB_BASE_REF", ""),
            workspace=get("GITHUB_WORKSPACE", ""),
        )

    def require_repository(self) -> str:
        if not _REPOSITORY.fullmatch(self.repository):
            shown = self.repository or "not set"
            raise UsageError(f"GITHUB_REPOSITORY must be owner/name ({shown})")
        return self.repository


def in_actions(environ: Mapping[str, str]) -> bool:
    """Run by a GitHub Actions runner (its log reads workflow commands), not by a person."""
    return environ.get("GITHUB_ACTIONS", "") == "true"


def base_url(environ: Mapping[str, str], name: str, default: str) -> str:
    """An http(s) base URL from the runner (GitHub Enterprise has its own), without a trailing
    slash; anything else is a usage error naming the variable, never a request to a guess."""
    text = environ.get(name, "").strip() or default
    shown = _USERINFO.sub("//***@", text)  # a token in the URL is never shown
    shown = shown if len(shown) <= 80 else shown[:79] + "…"
    try:
        parts = urlsplit(text)
        port = parts.port  # raises for a port that is not a number in 0-65535
    except ValueError as error:
        raise UsageError(f"{name}: {shown!r} is not a URL ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{name}: {shown!r} is not an http(s) URL with a host")
    if port == 0:
        raise UsageError(f"{name}: {shown!r} has port 0")
    if parts.username is not None or parts.password is not None:
        raise UsageError(f"{name}: the URL must not carry credentials")
    if parts.query or parts.fragment or any(ch.isspace() or ord(ch) < 32 for ch in text):
        raise UsageError(f"{name}: {shown!r} must be a base URL (no query, fragment or spaces)")
    return text.rstrip("/")


def env_seconds(environ: Mapping[str, str], name: str, default: float) -> float:
    """A number of seconds from an environment variable (a tuning knob), or ``default``."""
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{name}: {text!r} is not a number of seconds") from None
    if not math.isfinite(value):
        raise UsageError(f"{name}: {text!r} is not a number of seconds")
    if value < 0:
        raise UsageError(f"{name}: {text!r} is negative")
    return value
