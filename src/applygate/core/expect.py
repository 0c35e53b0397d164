"""Does one attempt of a criterion meet its expectations? What was expected against what came."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from applygate.core.criteria import HttpCheck, RunCheck
from applygate.core.durations import format_duration
from applygate.core.excerpt import Excerpt

_MISSING = object()


@dataclass(frozen=True, kw_only=True)
class Observation:
    """What one attempt saw, already redacted. A command fills ``exit_code``; a request
    ``status`` (or ``error`` when no answer came)."""

    exit_code: int | None = None
    status: int | None = None
    timed_out: bool = False
    text: str = ""  # what expectations read: the command's stdout, or the response body
    # When stdout was too long to keep: ``text`` is its beginning, ``text_tail`` its end, and
    # ``text_dropped`` characters between them were not kept (core/excerpt.py).
    text_tail: str = ""
    text_dropped: int = 0
    output: str = ""  # what a report shows: stdout and stderr interleaved, or the body
    error: str = ""  # why a request got no answer (connection refused, ...)
    timeout: float = 0.0  # the limit it ran under, for the message when it timed out


def mismatches(check: RunCheck | HttpCheck, seen: Observation) -> tuple[str, ...]:
    """Every expectation the attempt did not meet, as 'expected X, got Y'; empty: it passed."""
    if seen.timed_out:
        return (f"expected an answer within {format_duration(seen.timeout)}, got none: timed out",)
    if isinstance(check, RunCheck):
        return _run_mismatches(check, seen)
    return _http_mismatches(check, seen)


def _run_mismatches(check: RunCheck, seen: Observation) -> tuple[str, ...]:
    if seen.exit_code is None:
        return (f"expected exit code {check.exit_code}, got none: {seen.error or 'not run'}",)
    found: list[str] = []
    if seen.exit_code != check.exit_code:
        found.append(f"expected exit code {check.exit_code}, got {seen.exit_code}")
    kept = Excerpt(seen.text, seen.text_tail, seen.text_dropped)
    if check.stdout_contains is not None and not kept.contains(check.stdout_contains):
        found.append(
            f"expected stdout to contain {check.stdout_contains!r}, it does not"
            + (f" ({_not_kept(kept)})" if kept.dropped else "")
        )
    if check.stdout_matches is not None and kept.dropped:
        # A regex over part of a text can match where it would not over all of it (anchors,
        # look-arounds, "no ERROR anywhere"): it is not tried, and the expectation is not met.
        found.append(
            f"expected stdout to match {check.stdout_matches!r}, it could not be checked: "
            f"{_not_kept(kept)}, and a regex needs all of it (print less, e.g. through grep)"
        )
    elif check.stdout_matches is not None and not re.search(check.stdout_matches, kept.head):
        found.append(f"expected stdout to match {check.stdout_matches!r}, it does not")
    return tuple(found)


def _not_kept(kept: Excerpt) -> str:
    return (
        f"only its first {len(kept.head):,} and last {len(kept.tail):,} characters were kept,"
        f" not the {kept.dropped:,} between them"
    )


def _http_mismatches(check: HttpCheck, seen: Observation) -> tuple[str, ...]:
    if seen.status is None:
        return (f"expected an HTTP answer, got none: {seen.error or 'no answer'}",)
    found: list[str] = []
    if check.status is not None and seen.status != check.status:
        found.append(f"expected status {check.status}, got {seen.status}")
    if check.status is None and not 200 <= seen.status < 300:
        found.append(f"expected a 2xx status, got {seen.status}")
    if check.body_contains is not None and check.body_contains not in seen.text:
        found.append(f"expected the body to contain {check.body_contains!r}, it does not")
    if check.json:
        found += _json_mismatches(check.json, seen.text)
    return tuple(found)


def _json_mismatches(expected: tuple[tuple[str, Any], ...], body: str) -> list[str]:
    try:
        document = json.loads(body)
    except ValueError:
        return ["expected a JSON body, got one that is not JSON"]
    found = []
    for path, want in expected:
        got = lookup(document, path)
        if got is _MISSING:
            found.append(f"expected {path} = {_json(want)}, got nothing there")
        elif not same(got, want):
            found.append(f"expected {path} = {_json(want)}, got {_json(got)}")
    return found


def lookup(document: Any, path: str) -> Any:
    """The value at a dotted path (``$.a.b``, ``a.0.b``: a number indexes a list), or _MISSING."""
    here = document
    for part in path.removeprefix("$.").split("."):
        if isinstance(here, dict) and part in here:
            here = here[part]
        elif isinstance(here, list) and part.isascii() and part.isdigit() and int(part) < len(here):
            here = here[int(part)]
        else:
            return _MISSING
    return here


def same(got: Any, want: Any) -> bool:
    """JSON equality: ``true`` is not ``1``, ``1`` is ``1.0``."""
    if isinstance(got, bool) or isinstance(want, bool):
        return type(got) is type(want) and got == want
    if isinstance(got, dict) and isinstance(want, dict):
        return got.keys() == want.keys() and all(same(got[k], want[k]) for k in got)
    if isinstance(got, list) and isinstance(want, list):
        return len(got) == len(want) and all(same(g, w) for g, w in zip(got, want, strict=True))
    numbers = {type(got), type(want)} <= {int, float}
    return (type(got) is type(want) or numbers) and got == want


def brief(seen: Observation) -> str:
    """The attempt in a few words for a progress line: ``exit 1``, ``HTTP 503``, ``timed out``."""
    if seen.timed_out:
        return "timed out"
    if seen.status is not None:
        return f"HTTP {seen.status}"
    if seen.exit_code is not None:
        return f"exit {seen.exit_code}"
    return "no answer"


def _json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "..."
