"""The typed, validated inputs of ``applygate check-comment``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from applygate.core.policy import GenericScope
from applygate.errors import UsageError
from applygate.inputs.fields import choice, parse_sha
from applygate.inputs.fields import operation as operation_input


@dataclass(frozen=True, kw_only=True)
class CheckCommentInputs:
    operation: str
    sha: str | None = None
    generic: GenericScope = GenericScope.FLAG
    comment_file: str = "-"  # "-": standard input

    @classmethod
    def from_raw(cls, raw: Mapping[str, str]) -> CheckCommentInputs:
        operation = operation_input(raw)
        if not operation:
            raise UsageError(
                "input operation is required: the exact operation the comment approves"
            )
        return cls(
            operation=operation,
            sha=parse_sha(raw.get("sha", "")),
            generic=GenericScope(choice(raw, "generic-scope", tuple(GenericScope), "flag")),
            comment_file=raw.get("comment-file", "").strip() or "-",
        )
