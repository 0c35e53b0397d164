"""The typed, validated inputs of ``applygate preflight`` (and of ``execute``, which runs it)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from applygate.adapters.config_file import read_config
from applygate.adapters.runner import Runner
from applygate.core.command_line import split_steps
from applygate.core.fingerprint import IgnoreError, compile_ignores, parse_fingerprint
from applygate.core.noninteractive import DEFAULT_RULES, Rule, RulesError, parse_rules
from applygate.core.redact import MIN_SECRET_LENGTH
from applygate.errors import UsageError
from applygate.inputs.fields import boolean, duration, items, parse_sha, token, value

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A remote or branch name that git accepts and that can never be read as an option.
_GIT_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./+-]*")


@dataclass(frozen=True, kw_only=True)
class PreflightInputs:
    token: str = field(repr=False)
    require_clean: bool = True
    require_pushed: bool = True
    require_up_to_date: bool = False
    remote: str = "origin"
    branch: str | None = None
    base_branch: str | None = None
    sha: str | None = None
    dry_run: str | None = None
    plan_fingerprint: str | None = None
    ignores: tuple[re.Pattern[str], ...] = field(default_factory=compile_ignores)
    credentials: tuple[str, ...] = ()
    credentials_check: str | None = None
    steps: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = DEFAULT_RULES
    mask: tuple[str, ...] = ()  # names of environment variables whose values are redacted
    command_timeout: float = 1800.0  # seconds the dry-run or credentials-check may run

    @classmethod
    def from_raw(
        cls, raw: Mapping[str, str], environ: Mapping[str, str], workspace: Path
    ) -> PreflightInputs:
        dry_run = raw.get("dry-run", "").strip() or None
        recorded = raw.get("plan-fingerprint", "").strip()
        fingerprint = parse_fingerprint(recorded) if recorded else None
        if recorded and fingerprint is None:
            raise UsageError(
                f"invalid input plan-fingerprint: {recorded!r} is not a SHA-256 (64 hex digits)"
            )
        if bool(dry_run) != bool(fingerprint):
            raise UsageError(
                "inputs dry-run and plan-fingerprint go together: the dry-run is re-run and its "
                "fingerprint compared with the one recorded when the plan was approved"
            )
        return cls(
            token=token(raw, environ),
            require_clean=boolean(raw, "require-clean", default=True),
            require_pushed=boolean(raw, "require-pushed", default=True),
            require_up_to_date=boolean(raw, "require-up-to-date"),
            remote=git_name(raw, "remote", "origin") or "origin",
            branch=git_name(raw, "branch", ""),
            base_branch=git_name(raw, "base-branch", ""),
            sha=parse_sha(raw.get("sha", "")),
            dry_run=dry_run,
            plan_fingerprint=fingerprint,
            ignores=ignores(raw),
            credentials=env_names(raw, "credentials"),
            credentials_check=raw.get("credentials-check", "").strip() or None,
            steps=split_steps(raw.get("steps", "")),
            rules=(*DEFAULT_RULES, *rules_file(raw, workspace)),
            mask=env_names(raw, "mask"),
            command_timeout=duration(raw, "command-timeout", "30m"),
        )

    def secrets(self, environ: Mapping[str, str]) -> list[str]:
        """Values to redact: the token (and GITHUB_TOKEN, which a token input does not replace
        in the steps' environment), the masked variables and the credentials."""
        names = ("GITHUB_TOKEN", *self.mask, *self.credentials)
        return [self.token, *(environ.get(name, "") for name in names)]


def git_name(raw: Mapping[str, str], name: str, default: str) -> str | None:
    text = value(raw, name, default)
    if not text:
        return None
    bad = ".." in text or text.endswith((".", "/", ".lock")) or "//" in text
    if bad or not _GIT_NAME.fullmatch(text):
        raise UsageError(f"invalid input {name}: {text!r} is not a valid git name")
    return text


def env_names(raw: Mapping[str, str], name: str) -> tuple[str, ...]:
    names = items(raw, name)
    for entry in names:
        if not _ENV_NAME.fullmatch(entry):
            raise UsageError(f"invalid input {name}: {entry!r} is not an environment variable name")
    return names


def unredacted(
    names: tuple[str, ...], environ: Mapping[str, str], label: str = "mask"
) -> list[str]:
    """A warning for each variable of ``label`` (``mask``, ``credentials``) that redacts
    nothing: unset or empty (a misspelt name? for credentials the check itself fails), or too
    short to redact without hiding ordinary text."""
    found = []
    for name in names:
        text = environ.get(name, "")
        if not text.strip():
            if label == "mask":
                found.append(f"mask names {name}, which is not set here: nothing of it is redacted")
        elif len(text.strip()) < MIN_SECRET_LENGTH:
            found.append(
                f"{label}: {name} is shorter than {MIN_SECRET_LENGTH} characters: it is not "
                "redacted (it would hide ordinary text), so keep it out of what commands print"
            )
    return found


def warn_unredacted(
    runner: Runner,
    names: tuple[str, ...],
    environ: Mapping[str, str],
    credentials: tuple[str, ...] = (),
) -> None:
    for label, listed in (("mask", names), ("credentials", credentials)):
        for message in unredacted(listed, environ, label):
            runner.annotate("warning", message, f"applygate: {label}")


def ignores(raw: Mapping[str, str]) -> tuple[re.Pattern[str], ...]:
    """The default noise regexes plus one per line of ``fingerprint-ignore``."""
    lines = [line.strip() for line in raw.get("fingerprint-ignore", "").splitlines()]
    try:
        return compile_ignores(line for line in lines if line)
    except IgnoreError as error:
        raise UsageError(f"invalid input fingerprint-ignore: {error}") from None


def rules_file(raw: Mapping[str, str], workspace: Path) -> tuple[Rule, ...]:
    name = raw.get("noninteractive-rules", "").strip()
    if not name:
        return ()
    text = read_config(workspace / name, f"input noninteractive-rules: {name}")
    try:
        return parse_rules(text, f"input noninteractive-rules: {name}")
    except RulesError as error:
        raise UsageError(str(error)) from None
