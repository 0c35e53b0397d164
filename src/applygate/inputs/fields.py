"""How an input's text is read: each parser takes the raw inputs and the input's name, and a bad
value is a UsageError naming it (exit 2)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from applygate.core.durations import parse_duration
from applygate.core.subject import is_full_sha
from applygate.errors import UsageError

_DIGITS = re.compile(r"[0-9]{1,18}")
_TOKEN = re.compile(r"[!-~]+")


def is_utf8(text: str) -> bool:
    """False for text decoded from bytes that are not UTF-8 (Python keeps each such byte as a
    lone surrogate, which no output, file or request can carry)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def value(raw: Mapping[str, str], name: str, default: str) -> str:
    return raw.get(name, "").strip() or default


def choice(raw: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    text = value(raw, name, default)
    if text not in allowed:
        raise UsageError(f"invalid input {name}: {text!r} is not one of {', '.join(allowed)}")
    return text


def positive_int(raw: Mapping[str, str], name: str, default: int) -> int:
    text = value(raw, name, str(default))
    number = _whole_number(text)
    if number is None or number < 1:
        raise UsageError(f"invalid input {name}: {text!r} is not a positive integer")
    return number


def _whole_number(text: str) -> int | None:
    """ASCII digits only (``str.isdigit`` also takes '²', which ``int`` refuses), at most 18 of
    them (``int`` refuses more than 4300; no count applygate takes comes near 18 digits)."""
    if not _DIGITS.fullmatch(text):
        return None
    return int(text)


def duration(raw: Mapping[str, str], name: str, default: str) -> float:
    """Seconds from a duration input (``500ms``, ``90s``, ``10m``, ``1h``); zero is refused."""
    text = value(raw, name, default)
    seconds = parse_duration(text)
    if seconds is None or seconds <= 0:
        raise UsageError(
            f"invalid input {name}: {text!r} is not a duration like 90s, 10m or 1h (at most 168h)"
        )
    return seconds


def boolean(raw: Mapping[str, str], name: str, default: bool = False) -> bool:
    text = value(raw, name, "true" if default else "false").lower()
    if text not in ("true", "false"):
        raise UsageError(f"invalid input {name}: {text!r} is not true or false")
    return text == "true"


def parse_sha(text: str, name: str = "sha") -> str | None:
    cleaned = text.strip().lower()
    if not cleaned:
        return None
    if not is_full_sha(cleaned):
        raise UsageError(f"invalid input {name}: {text.strip()!r} is not a full commit SHA")
    return cleaned


def token(raw: Mapping[str, str], environ: Mapping[str, str]) -> str:
    """The API token: the ``token`` input, else ``GITHUB_TOKEN``. Never from a flag.

    A token is printable ASCII: one with spaces, line breaks or other characters could not go
    in an HTTP header (and would fail as a misleading network error). The value is never shown.
    """
    given = raw.get("token", "").strip()
    secret = given or environ.get("GITHUB_TOKEN", "").strip()
    if secret and not _TOKEN.fullmatch(secret):
        where = "invalid input token" if given else "GITHUB_TOKEN"
        raise UsageError(f"{where}: not a token (printable ASCII without spaces)")
    return secret


def items(raw: Mapping[str, str], name: str) -> tuple[str, ...]:
    """A comma or newline separated list input, blanks dropped, order and duplicates kept once."""
    parts = (part.strip() for part in re.split(r"[,\n]", raw.get(name, "")))
    return tuple(dict.fromkeys(part for part in parts if part))


def non_negative_int(raw: Mapping[str, str], name: str, default: int) -> int:
    text = value(raw, name, str(default))
    number = _whole_number(text)
    if number is None:
        raise UsageError(f"invalid input {name}: {text!r} is not a whole number")
    return number


MAX_ENVIRONMENT = 255  # GitHub's limit on an environment's name


def environment_name(raw: Mapping[str, str]) -> str | None:
    """The GitHub environment the apply is recorded in: one line, as GitHub names them."""
    name = raw.get("environment", "").strip()
    if not name:
        return None
    if len(name) > MAX_ENVIRONMENT or any(char in name for char in "\n\r\0,"):
        raise UsageError(f"invalid input environment: {name[:80]!r} is not an environment name")
    return name


def operation(raw: Mapping[str, str]) -> str:
    """The ``operation`` input on one line, runs of whitespace as one space ("" when empty)."""
    return " ".join(raw.get("operation", "").split())
