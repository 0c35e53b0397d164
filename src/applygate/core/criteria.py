"""The verification criteria file: parsed and validated into plain data, every error named.

The format is published as a JSON Schema (``schemas/verify.schema.json``, also shipped in the
package); this module enforces the same rules by hand so that each message names the file, the
criterion and the key, and adds the one rule a schema cannot say: names are unique. It owns the
format (the dataclasses) and its structure; checking one value, and naming where it sits, is
``criteria_fields``'s.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from applygate.core import criteria_fields as fields
from applygate.core import strict_yaml
from applygate.core.criteria_fields import CriteriaError

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
    fields.Where(source).keys(document, ("version", "criteria"), required=("version", "criteria"))
    if type(document["version"]) is not int or document["version"] != VERSION:
        shown = fields.show(document["version"])
        raise CriteriaError(f'{source}: key "version": {shown} is not a supported version (1)')
    items = document["criteria"]
    if not isinstance(items, list) or not items:
        raise CriteriaError(
            f'{source}: key "criteria": must be a non-empty list (no criteria proves nothing)'
        )
    criteria = tuple(
        _criterion(item, fields.Where(source, index)) for index, item in enumerate(items)
    )
    seen: set[str] = set()
    for index, criterion in enumerate(criteria):
        if criterion.name in seen:
            at = fields.Where(source, index, criterion.name)
            raise at.error("name", f"duplicate name {criterion.name!r}: names must be unique")
        seen.add(criterion.name)
    return CriteriaFile(source, criteria)


def _criterion(item: object, where: fields.Where) -> Criterion:
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
    where = fields.Where(where.source, where.index, name)
    kinds = [key for key in ("run", "http") if key in item]
    if len(kinds) != 1:
        raise where.error("run", "give exactly one of run (a command) or http (a request)")
    kind = kinds[0]
    where.keys(item, (*COMMON_KEYS, kind))
    expect = fields.mapping(item.get("expect", {}), "expect", where)
    check = _run_check(item, expect, where) if kind == "run" else _http_check(item, expect, where)
    return Criterion(
        name=name,
        check=check,
        retries=fields.integer(item, "retries", where, DEFAULT_RETRIES, 0, MAX_RETRIES),
        interval=fields.duration(item, "interval", where, DEFAULT_INTERVAL),
        timeout=fields.duration(item, "timeout", where, DEFAULT_TIMEOUT, positive=True),
    )


def _run_check(item: Mapping[str, Any], expect: Mapping[str, Any], where: fields.Where) -> RunCheck:
    command = fields.string(item, "run", where)
    if command is None or not command.strip():
        raise where.error("run", "must be a non-empty command")
    if "\0" in command:
        raise where.error("run", "contains a NUL character: no command can carry one")
    fields.keys_of("expect", expect, RUN_EXPECT, where)
    pattern = fields.string(expect, "stdout-matches", where, "expect.stdout-matches")
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as error:
            raise where.error(
                "expect.stdout-matches", f"not a regular expression: {error}"
            ) from None
    return RunCheck(
        command=command,
        exit_code=fields.integer(expect, "exit-code", where, 0, 0, 255, "expect.exit-code"),
        stdout_contains=fields.string(expect, "stdout-contains", where, "expect.stdout-contains"),
        stdout_matches=pattern,
    )


def _http_check(
    item: Mapping[str, Any], expect: Mapping[str, Any], where: fields.Where
) -> HttpCheck:
    http = fields.mapping(item["http"], "http", where)
    fields.keys_of("http", http, HTTP_KEYS, where)
    url = fields.string(http, "url", where, "http.url")
    if url is None:
        raise where.error("http.url", "is required")
    if not _URL.fullmatch(url):
        raise where.error("http.url", f"{fields.show(http.get('url'))} is not an http(s) URL")
    problem = fields.url_problem(url)
    if problem is not None:
        raise where.error("http.url", problem)
    method = fields.string(http, "method", where, "http.method") or "GET"
    if method not in METHODS:
        raise where.error("http.method", f"{method!r} is not one of {', '.join(METHODS)}")
    headers = _headers(http, where)
    body = http.get("body")
    if body is not None and not isinstance(body, str):
        raise where.error("http.body", f"{fields.show(body)} is not a string")
    fields.keys_of("expect", expect, HTTP_EXPECT, where)
    status = fields.integer(expect, "status", where, 0, 100, 599, "expect.status") or None
    paths = _json_paths(expect, where)
    return HttpCheck(
        url=url,
        method=method,
        headers=headers,
        body=body,
        status=status,
        body_contains=fields.string(expect, "body-contains", where, "expect.body-contains"),
        json=paths,
    )


def _headers(http: Mapping[str, Any], where: fields.Where) -> tuple[tuple[str, str], ...]:
    headers = fields.mapping(http.get("headers", {}), "http.headers", where)
    for key, value in headers.items():
        header: object = key  # YAML keys need not be strings
        if not isinstance(header, str) or not _HEADER_NAME.fullmatch(header):
            raise where.error(f"http.headers.{key}", "not an HTTP header name")
        if not isinstance(value, str):
            raise where.error(f"http.headers.{key}", f"{fields.show(value)} is not a string")
        if any(ch in value for ch in "\r\n\0"):
            raise where.error(f"http.headers.{key}", "a header value cannot hold a line break")
    return tuple(headers.items())


def _json_paths(expect: Mapping[str, Any], where: fields.Where) -> tuple[tuple[str, Any], ...]:
    paths = fields.mapping(expect.get("json", {}), "expect.json", where)
    for path in paths:
        raw_key: object = path  # YAML keys need not be strings
        if not isinstance(raw_key, str) or not _JSON_PATH.fullmatch(raw_key):
            raise where.error(f"expect.json.{path}", "not a dotted path like $.a.b or a.0.b")
        odd = fields.not_json(paths[path])
        if odd is not None:
            raise where.error(f"expect.json.{path}{odd[0]}", odd[1])
    return tuple(paths.items())
