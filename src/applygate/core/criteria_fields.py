"""The values of a criteria file, one at a time: each checked, and each error named by where it
sits (the file, the criterion, the key). ``criteria`` reads the document with them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import yaml

from applygate.core.durations import parse_duration


class CriteriaError(ValueError):
    """The criteria file is not valid: the message names the file, the criterion and the key."""


@dataclass(frozen=True)
class Where:
    """Where a value sits, for messages: the file and, inside a criterion, which one."""

    source: str
    index: int | None = None
    name: str | None = None

    def error(self, key: str, problem: str) -> CriteriaError:
        where = self.source
        if self.index is not None:
            label = f" ({self.name!r})" if self.name else ""
            where += f": criterion {self.index + 1}{label}"
        return CriteriaError(f'{where}: key "{key}": {problem}')

    def keys(
        self, mapping: Mapping[str, Any], allowed: tuple[str, ...], required: tuple[str, ...] = ()
    ) -> None:
        for key in mapping:
            if key not in allowed:
                choices = ", ".join(allowed)
                raise self.error(str(key), f"unknown key (allowed here: {choices})")
        for key in required:
            if key not in mapping:
                raise self.error(key, "is required")


def url_problem(url: str) -> str | None:
    """Why a request to ``url`` could never be made (urllib would fail on every attempt)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is no number in 0-65535
    except ValueError as error:
        return f"not a usable URL ({error})"
    if not parts.hostname:
        return "has no host"
    if parts.username is not None or parts.password is not None:
        return "user:password@ cannot be used here: send an Authorization header instead"
    return None


def not_json(value: object, at: str = "") -> tuple[str, str] | None:
    """Where in ``value`` and what JSON cannot express (a YAML date, set or binary, a key that is
    not a string, NaN), or None when it is all null, booleans, numbers, strings, lists and
    string-keyed mappings."""
    if value is None or isinstance(value, (bool, int, str)):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else (at, f"{value} is not a JSON number")
    if isinstance(value, list):
        found = (not_json(item, f"{at}[{n}]") for n, item in enumerate(value))
        return next((odd for odd in found if odd is not None), None)
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return at, f"key {show(key)} is not a string"
            odd = not_json(item, f"{at}.{key}")
            if odd is not None:
                return odd
        return None
    return at, f"{show(value)} ({type(value).__name__}) is not a JSON value"


def keys_of(label: str, mapping: Mapping[str, Any], allowed: tuple[str, ...], w: Where) -> None:
    for key in mapping:
        if key not in allowed:
            raise w.error(f"{label}.{key}", f"unknown key (allowed here: {', '.join(allowed)})")


def mapping(value: object, key: str, where: Where) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise where.error(key, f"{show(value)} is not a mapping")
    return value


def string(
    mapping: Mapping[str, Any], key: str, where: Where, label: str | None = None
) -> str | None:
    if key not in mapping:
        return None
    value = mapping[key]
    if not isinstance(value, str) or not value:
        raise where.error(label or key, f"{show(value)} is not a non-empty string")
    return value


def integer(
    mapping: Mapping[str, Any],
    key: str,
    where: Where,
    default: int,
    low: int,
    high: int | None = None,
    label: str | None = None,
) -> int:
    if key not in mapping:
        return default
    value = mapping[key]
    bounded = type(value) is int and value >= low and (high is None or value <= high)
    if not bounded:
        limit = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise where.error(label or key, f"{show(value)} is not a whole number {limit}")
    return int(value)


def duration(
    mapping: Mapping[str, Any], key: str, where: Where, default: float, positive: bool = False
) -> float:
    if key not in mapping:
        return default
    value = mapping[key]
    seconds = parse_duration(value) if isinstance(value, str) else None
    if seconds is None:
        raise where.error(
            key, f"{show(value)} is not a duration (500ms, 30s, 2m, 1h; at most 168h)"
        )
    if positive and seconds <= 0:
        raise where.error(key, f"{show(value)} must be longer than zero")
    return seconds


def show(value: object) -> str:
    """A value as the file wrote it, short."""
    flow = yaml.safe_dump(value, default_flow_style=True, width=1000)
    shown = repr(value) if isinstance(value, str) else flow.strip()
    shown = " ".join(shown.removesuffix("\n...").removesuffix("...").split())
    return shown if len(shown) <= 60 else shown[:57] + "..."
