"""The typed, validated inputs of ``applygate verify``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from applygate.core.redact import Redactor
from applygate.core.verification import VerifySettings
from applygate.inputs.fields import parse_sha, positive_int, token, value
from applygate.inputs.preflight import env_names

DEFAULT_CRITERIA = ".github/applygate/verify.yml"


@dataclass(frozen=True, kw_only=True)
class VerifyInputs:
    token: str = field(repr=False)
    criteria: str
    settings: VerifySettings
    mask: tuple[str, ...] = ()

    @classmethod
    def from_raw(cls, raw: Mapping[str, str], environ: Mapping[str, str]) -> VerifyInputs:
        return cls(
            token=token(raw, environ),
            criteria=value(raw, "criteria", DEFAULT_CRITERIA),
            settings=VerifySettings(
                max_parallel=positive_int(raw, "max-parallel", 4),
                rollback_status=" ".join(value(raw, "rollback-status", "not attempted").split()),
                sha=parse_sha(raw.get("sha", "")) or "",
            ),
            mask=env_names(raw, "mask"),
        )

    def redactor(self, environ: Mapping[str, str]) -> Redactor:
        names = ("GITHUB_TOKEN", *self.mask)  # the token input does not replace it for criteria
        return Redactor.of([self.token, *(environ.get(name, "") for name in names)])
