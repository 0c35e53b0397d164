"""The typed, validated inputs of ``applygate fingerprint``: the dry-run command (after ``--`` or
from the ``dry-run`` input), what to ignore of its output, and what to redact."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from applygate.core.redact import Redactor
from applygate.errors import UsageError
from applygate.inputs.fields import duration, parse_sha, token
from applygate.inputs.preflight import env_names, ignores


@dataclass(frozen=True, kw_only=True)
class FingerprintInputs:
    command: str
    patterns: tuple[re.Pattern[str], ...]
    token: str = field(repr=False)
    mask: tuple[str, ...] = ()
    timeout: float = 1800.0
    sha: str | None = None

    @classmethod
    def from_raw(
        cls, raw: Mapping[str, str], environ: Mapping[str, str], args: Sequence[str]
    ) -> FingerprintInputs:
        return cls(
            command=command_line(raw, list(args)),
            patterns=ignores(raw),
            token=token(raw, environ),
            mask=env_names(raw, "mask"),
            timeout=duration(raw, "command-timeout", "30m"),
            sha=parse_sha(raw.get("sha", "")),
        )

    def redactor(self, environ: Mapping[str, str]) -> Redactor:
        names = ("GITHUB_TOKEN", *self.mask)
        return Redactor.of([self.token, *(environ.get(name, "") for name in names)])


def command_line(raw: Mapping[str, str], args: list[str]) -> str:
    """The dry-run as a shell command: one argument is taken as shell text, several are quoted."""
    given = raw.get("dry-run", "").strip()
    if args and given:
        raise UsageError("give the dry-run command either after '--' or as input dry-run, not both")
    if args:
        return args[0] if len(args) == 1 else shlex.join(args)
    if not given:
        raise UsageError("no dry-run command: use 'applygate fingerprint -- <command>'")
    return given
