"""Durations as people write them in inputs and criteria files: ``500ms``, ``30s``, ``2m``."""

from __future__ import annotations

import re

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str) -> float | None:
    """Seconds, or None when ``text`` is not one number with a unit (ms, s, m, h)."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        return None
    return float(match.group(1)) * _UNIT[match.group(2)]


def format_duration(seconds: float) -> str:
    """A short human form, as durations are written: ``850ms``, ``12.3s``, ``30s``, ``2m05s``."""
    if seconds < 1:
        return f"{seconds * 1000:.0f}ms"
    if seconds < 60:
        return f"{seconds:.1f}".removesuffix(".0") + "s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m{rest:02d}s"
