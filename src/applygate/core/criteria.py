"""The verification criteria file: parsed and validated into plain data, every error named.

The format is published as a JSON Schema (``schemas/verify.schema.json``, also shipped in the
package); this module enforces the same rules by hand so that each message names the file, the
criterion and the key, and adds the one rule a schema cannot say: names are unique.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import yaml

from applygate.core import strict_yaml
from applygate.core.durations import parse_duration

VERSION = 1
DEFAULT_RETRIES = 0
MAX_RETRIES = 10_000  # more is a criterion that never gives up: the job's timeout would decide
DEFAULT_INTERVAL = 5.0
DEFAULT_TIMEOUT = 60.0
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
COMMON_KEYS = ("name", "retries", "interval", "timeout", "expect")
RUN_EXPECT = ("exit-code", "stdout-contains", "stdout-matches")
HTTP_KEYS = ("url", "method", "headers", "body")
HTTP_EXPECT = ("status", "body-contains", "json")
_URL = re.compile(r"https?://\S+")
_JSON_PATH = re.compile(r"(?:\$\.)?[^.\s]+(?:\.[^.\s]+)*")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an RFC 9110 token


class CriteriaError(ValueError):
    """The criteria file is not valid: the message names the file, the criterion and the key."""


@dataclass(frozen=True)
class RunCheck:
    command: str
    exit_code: int = 0
    stdout_contains: str | None = None
    stdout_matches: str | None = None  # a regular expression, compiled when validated


@dataclass(frozen=True)
class HttpCheck:
    url: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None
    status: int | None = None  # None: any 2xx
    body_contains: str | None = None
    json: tuple[tuple[str, Any], ...] = ()  # (dotted path, expected value)


@dataclass(frozen=True)
class Criterion:
    name: str
    check: RunCheck | HttpCheck
    retries: int = DEFAULT_RETRIES
    interval: float = DEFAULT_INTERVAL
    timeout: float = DEFAULT_TIMEOUT

    @property
    def attempts(self) -> int:
        return self.retries + 1


@dataclass(frozen=True)
class CriteriaFile:
    source: str
    criteria: tuple[Criterion, ...]


def parse_criteria(text: str, source: str) -> CriteriaFile:
    """The criteria in ``text`` (YAML), or CriteriaError naming ``source`` and what is wrong."""
    try:
        document = strict_yaml.load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise CriteriaError(f"{source}: not valid YAML{where}: {problem}") from None
    if not isinstance(document, dict):
        raise CriteriaError(f"{source}: must be a mapping with keys version and criteria")
    _Where(source).keys(document, ("version", "criteria"), required=("version", "criteria"))
    if type(document["version"]) is not int or document["version"] != VERSION:
        shown = _show(document["version"])
        raise CriteriaError(f'{source}: key "version": {shown} is not a supported version (1)')
    items = document["criteria"]
    if not isinstance(items, list) or not items:
        raise CriteriaError(
            f'{source}: key "criteria": must be a non-empty list (no criteria proves nothing)'
        )
    criteria = tuple(_criterion(item, _Where(source, index)) for index, item in enumerate(items))
    seen: set[str] = set()
    for index, criterion in enumerate(criteria):
        if criterion.name in seen:
            at = _Where(source, index, criterion.name)
            raise at.error("name", f"duplicate name {criterion.name!r}: names must be unique")
        seen.add(criterion.name)
    return CriteriaFile(source, criteria)


@dataclass(frozen=True)
class _Where:
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


def _criterion(item: object, where: _Where) -> Criterion:
    if not isinstance(item, dict):
        raise CriteriaError(
            f"{where.source}: criterion {(where.index or 0) + 1}: must be a mapping"
        )
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise where.error("name", "is required: a non-empty string")
    if any(ch == "," or not ch.isprintable() for ch in name):
        # the passed/failed outputs are comma lists, and a line break could forge report lines
        raise where.error("name", f"{name!r}: no commas, line breaks or control characters")
    where = _Where(where.source, where.index, name)
    kinds = [key for key in ("run", "http") if key in item]
    if len(kinds) != 1:
        raise where.error("run", "give exactly one of run (a command) or http (a request)")
    kind = kinds[0]
    where.keys(item, (*COMMON_KEYS, kind))
    expect = _mapping(item.get("expect", {}), "expect", where)
    check = _run_check(item, expect, where) if kind == "run" else _http_check(item, expect, where)
    return Criterion(
        name=name,
        check=check,
        retries=_integer(item, "retries", where, DEFAULT_RETRIES, 0, MAX_RETRIES),
        interval=_duration(item, "interval", where, DEFAULT_INTERVAL),
        timeout=_duration(item, "timeout", where, DEFAULT_TIMEOUT, positive=True),
    )


def _run_check(item: Mapping[str, Any], expect: Mapping[str, Any], where: _Where) -> RunCheck:
    command = _string(item, "run", where)
    if command is None or not command.strip():
        raise where.error("run", "must be a non-empty command")
    if "\0" in command:
        raise where.error("run", "contains a NUL character: no command can carry one")
    _keys_of("expect", expect, RUN_EXPECT, where)
    pattern = _string(expect, "stdout-matches", where, "expect.stdout-matches")
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as error:
            raise where.error(
                "expect.stdout-matches", f"not a regular expression: {error}"
            ) from None
    return RunCheck(
        command=command,
        exit_code=_integer(expect, "exit-code", where, 0, 0, 255, "expect.exit-code"),
        stdout_contains=_string(expect, "stdout-contains", where, "expect.stdout-contains"),
        stdout_matches=pattern,
    )


def _http_check(item: Mapping[str, Any], expect: Mapping[str, Any], where: _Where) -> HttpCheck:
    http = _mapping(item["http"], "http", where)
    _keys_of("http", http, HTTP_KEYS, where)
    url = _string(http, "url", where, "http.url")
    if url is None:
        raise where.error("http.url", "is required")
    if not _URL.fullmatch(url):
        raise where.error("http.url", f"{_show(http.get('url'))} is not an http(s) URL")
    problem = _url_problem(url)
    if problem is not None:
        raise where.error("http.url", problem)
    method = _string(http, "method", where, "http.method") or "GET"
    if method not in METHODS:
        raise where.error("http.method", f"{method!r} is not one of {', '.join(METHODS)}")
    headers = _mapping(http.get("headers", {}), "http.headers", where)
    for key, value in headers.items():
        header: object = key  # YAML keys need not be strings
        if not isinstance(header, str) or not _HEADER_NAME.fullmatch(header):
            raise where.error(f"http.headers.{key}", "not an HTTP header name")
        if not isinstance(value, str):
            raise where.error(f"http.headers.{key}", f"{_show(value)} is not a string")
        if any(ch in value for ch in "\r\n\0"):
            raise where.error(f"http.headers.{key}", "a header value cannot hold a line break")
    body = http.get("body")
    if body is not None and not isinstance(body, str):
        raise where.error("http.body", f"{_show(body)} is not a string")
    _keys_of("expect", expect, HTTP_EXPECT, where)
    status = _integer(expect, "status", where, 0, 100, 599, "expect.status") or None
    paths = _mapping(expect.get("json", {}), "expect.json", where)
    for path in paths:
        raw_key: object = path  # YAML keys need not be strings
        if not isinstance(raw_key, str) or not _JSON_PATH.fullmatch(raw_key):
            raise where.error(f"expect.json.{path}", "not a dotted path like $.a.b or a.0.b")
        odd = _not_json(paths[path])
        if odd is not None:
            raise where.error(f"expect.json.{path}{odd[0]}", odd[1])
    return HttpCheck(
        url=url,
        method=method,
        headers=tuple(headers.items()),
        body=body,
        status=status,
        body_contains=_string(expect, "body-contains", where, "expect.body-contains"),
        json=tuple(paths.items()),
    )


def _url_problem(url: str) -> str | None:
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


def _not_json(value: object, at: str = "") -> tuple[str, str] | None:
    """Where in ``value`` and what JSON cannot express (a YAML date, set or binary, a key that is
    not a string, NaN), or None when it is all null, booleans, numbers, strings, lists and
    string-keyed mappings."""
    if value is None or isinstance(value, (bool, int, str)):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else (at, f"{value} is not a JSON number")
    if isinstance(value, list):
        found = (_not_json(item, f"{at}[{n}]") for n, item in enumerate(value))
        return next((odd for odd in found if odd is not None), None)
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return at, f"key {_show(key)} is not a string"
            odd = _not_json(item, f"{at}.{key}")
            if odd is not None:
                return odd
        return None
    return at, f"{_show(value)} ({type(value).__name__}) is not a JSON value"


def _keys_of(label: str, mapping: Mapping[str, Any], allowed: tuple[str, ...], w: _Where) -> None:
    for key in mapping:
        if key not in allowed:
            raise w.error(f"{label}.{key}", f"unknown key (allowed here: {', '.join(allowed)})")


def _mapping(value: object, key: str, where: _Where) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise where.error(key, f"{_show(value)} is not a mapping")
    return value


def _string(
    mapping: Mapping[str, Any], key: str, where: _Where, label: str | None = None
) -> str | None:
    if key not in mapping:
        return None
    value = mapping[key]
    if not isinstance(value, str) or not value:
        raise where.error(label or key, f"{_show(value)} is not a non-empty string")
    return value


def _integer(
    mapping: Mapping[str, Any],
    key: str,
    where: _Where,
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
        raise where.error(label or key, f"{_show(value)} is not a whole number {limit}")
    return int(value)


def _duration(
    mapping: Mapping[str, Any], key: str, where: _Where, default: float, positive: bool = False
) -> float:
    if key not in mapping:
        return default
    value = mapping[key]
    seconds = parse_duration(value) if isinstance(value, str) else None
    if seconds is None:
        raise where.error(
            key, f"{_show(value)} is not a duration (500ms, 30s, 2m, 1h; at most 168h)"
        )
    if positive and seconds <= 0:
        raise where.error(key, f"{_show(value)} must be longer than zero")
    return seconds


def _show(value: object) -> str:
    """A value as the file wrote it, short."""
    flow = yaml.safe_dump(value, default_flow_style=True, width=1000)
    shown = repr(value) if isinstance(value, str) else flow.strip()
    shown = " ".join(shown.removesuffix("\n...").removesuffix("...").split())
    return shown if len(shown) <= 60 else shown[:57] + "..."
