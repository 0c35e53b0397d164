"""Durations as people write them in inputs and criteria files: ``500ms``, ``30s``, ``2m``."""

from __future__ import annotations

import re

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
# Longer than any CI job may run. Far longer values overflow the clocks that sleeps and socket
# timeouts use, which would crash a run (or wait forever) instead of refusing the input.
MAX_SECONDS = 7 * 24 * 3600.0


def parse_duration(text: str) -> float | None:
    """Seconds, or None when ``text`` is not one number with a unit (ms, s, m, h) of at most
    ``MAX_SECONDS`` (168h)."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        return None
    seconds = float(match.group(1)) * _UNIT[match.group(2)]
    return seconds if seconds <= MAX_SECONDS else None


def format_duration(seconds: float) -> str:
    """A short human form, as durations are written: ``850ms``, ``12.3s``, ``30s``, ``2m05s``."""
    if seconds < 1:
        return f"{seconds * 1000:.0f}ms"
    if seconds < 60:
        return f"{seconds:.1f}".removesuffix(".0") + "s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m{rest:02d}s"
