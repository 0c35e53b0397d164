"""Where a command works and what it may read: the checked-out directory and the environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from applygate.context import RunContext


@dataclass(frozen=True)
class Workspace:
    """Where preflight runs and what it may read: the directory and the environment."""

    path: Path
    environ: Mapping[str, str]

    @classmethod
    def of(cls, ctx: RunContext, environ: Mapping[str, str]) -> Workspace:
        return cls(Path(ctx.workspace or ".").resolve(), environ)
