"""The criteria file: what is accepted, and the exact message for each mistake. The published JSON
Schema must agree with the hand-written validator on every case of the table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # comes with check-jsonschema
import pytest
import yaml

from applygate.core.criteria import Criterion, HttpCheck, RunCheck, parse_criteria
from applygate.core.criteria_fields import CriteriaError

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schemas" / "verify.schema.json"
PACKAGED = ROOT / "src" / "applygate" / "schemas" / "verify.schema.json"
EXAMPLE = ROOT / "examples" / "verify.yml"


def doc(*criteria: str) -> str:
    body = "".join(f"  - {c}\n" for c in criteria)
    return f"version: 1\ncriteria:\n{body}"


def test_a_full_file() -> None:
    text = """\
version: 1
criteria:
  - name: vpc exists
    run: aws ec2 describe-vpcs
    expect: {exit-code: 0, stdout-contains: "vpc-", stdout-matches: '"State": "available"'}
    retries: 10
    interval: 30s
    timeout: 2m
  - name: api healthy
    http: {url: "https://api.example.com/healthz", method: GET, headers: {Accept: application/json}}
    expect: {status: 200, body-contains: "ok", json: {"$.status": "green", "a.0.b": 3}}
    retries: 20
    interval: 500ms
"""
    parsed = parse_criteria(text, "verify.yml")
    assert parsed.source == "verify.yml"
    assert parsed.criteria == (
        Criterion(
            "vpc exists",
            RunCheck("aws ec2 describe-vpcs", 0, "vpc-", '"State": "available"'),
            retries=10,
            interval=30.0,
            timeout=120.0,
        ),
        Criterion(
            "api healthy",
            HttpCheck(
                "https://api.example.com/healthz",
                "GET",
                (("Accept", "application/json"),),
                None,
                200,
                "ok",
                (("$.status", "green"), ("a.0.b", 3)),
            ),
            retries=20,
            interval=0.5,
            timeout=60.0,
        ),
    )
    assert parsed.criteria[0].attempts == 11


def test_defaults() -> None:
    (one,) = parse_criteria(doc("{name: a, run: 'true'}"), "f").criteria
    assert (one.retries, one.interval, one.timeout, one.check) == (0, 5.0, 60.0, RunCheck("true"))
    (web,) = parse_criteria(doc("{name: w, http: {url: 'http://h/'}}"), "f").criteria
    assert web.check == HttpCheck("http://h/")


F = "verify.yml"
INVALID: list[tuple[str, str, str]] = [
    ("not yaml", "version: 1\ncriteria: [\n", f"{F}: not valid YAML (line 3, column 1)"),
    ("not a mapping", "- a\n", f"{F}: must be a mapping with keys version and criteria"),
    (
        "key twice",
        doc("{name: a, run: 'true', expect: {exit-code: 0}, expect: {stdout-contains: x}}"),
        f"{F}: not valid YAML (line 3, column 52): duplicate key 'expect' (first given on line 3)",
    ),
    ("no version", "criteria: []\n", f'{F}: key "version": is required'),
    ("version 2", "version: 2\ncriteria: []\n", f'{F}: key "version": 2 is not a supported'),
    ("version text", "version: '1'\ncriteria: []\n", f"{F}: key \"version\": '1' is not"),
    ("top unknown", "version: 1\ncriteria: []\nextra: 1\n", f'{F}: key "extra": unknown key'),
    ("empty list", "version: 1\ncriteria: []\n", f'{F}: key "criteria": must be a non-empty'),
    ("criteria map", "version: 1\ncriteria: {}\n", f'{F}: key "criteria": must be a non-empty'),
    ("item not map", doc("just text"), f"{F}: criterion 1: must be a mapping"),
    ("no name", doc("{run: 'true'}"), f'{F}: criterion 1: key "name": is required'),
    ("blank name", doc("{name: ' ', run: 'true'}"), f'{F}: criterion 1: key "name": is required'),
    ("neither", doc("{name: a}"), f"{F}: criterion 1 ('a'): key \"run\": give exactly one"),
    (
        "both",
        doc("{name: a, run: 'true', http: {url: 'http://h'}}"),
        f"{F}: criterion 1 ('a'): key \"run\": give exactly one",
    ),
    (
        "unknown key",
        doc("{name: a, run: 'true', retry: 3}"),
        f"{F}: criterion 1 ('a'): key \"retry\": unknown key (allowed here: name, retries,",
    ),
    (
        "duplicate",
        doc("{name: a, run: 'true'}", "{name: a, run: 'false'}"),
        f"{F}: criterion 2 ('a'): key \"name\": duplicate name 'a': names must be unique",
    ),
    ("run blank", doc("{name: a, run: ' '}"), f"{F}: criterion 1 ('a'): key \"run\": must be"),
    ("run list", doc("{name: a, run: [ls]}"), f"{F}: criterion 1 ('a'): key \"run\": [ls] is not"),
    (
        "bad duration",
        doc("{name: a, run: 'true', interval: 5 minutes}"),
        f"{F}: criterion 1 ('a'): key \"interval\": '5 minutes' is not a duration (500ms, 30s,",
    ),
    (
        "interval past any job",
        doc("{name: a, run: 'false', retries: 1, interval: 99999999999h}"),
        f"{F}: criterion 1 ('a'): key \"interval\": '99999999999h' is not a duration (500ms, 30s,"
        " 2m, 1h; at most 168h)",
    ),
    (
        "retries without end",
        doc("{name: a, run: 'false', retries: 100000000000000000000, interval: 0s}"),
        f"{F}: criterion 1 ('a'): key \"retries\": 100000000000000000000 is not a whole number from"
        " 0 to 10000",
    ),
    (
        "number duration",
        doc("{name: a, run: 'true', timeout: 30}"),
        f"{F}: criterion 1 ('a'): key \"timeout\": 30 is not a duration",
    ),
    (
        "zero timeout",
        doc("{name: a, run: 'true', timeout: 0s}"),
        f"{F}: criterion 1 ('a'): key \"timeout\": '0s' must be longer than zero",
    ),
    (
        "negative retries",
        doc("{name: a, run: 'true', retries: -1}"),
        f"{F}: criterion 1 ('a'): key \"retries\": -1 is not a whole number from 0 to 10000",
    ),
    (
        "bool retries",
        doc("{name: a, run: 'true', retries: true}"),
        f"{F}: criterion 1 ('a'): key \"retries\": true is not a whole number",
    ),
    (
        "http key on run",
        doc("{name: a, run: 'true', expect: {status: 200}}"),
        f"{F}: criterion 1 ('a'): key \"expect.status\": unknown key (allowed here: exit-code,",
    ),
    (
        "run key on http",
        doc("{name: w, http: {url: 'http://h'}, expect: {exit-code: 0}}"),
        f"{F}: criterion 1 ('w'): key \"expect.exit-code\": unknown key (allowed here: status,",
    ),
    (
        "exit code range",
        doc("{name: a, run: 'true', expect: {exit-code: 256}}"),
        f"{F}: criterion 1 ('a'): key \"expect.exit-code\": 256 is not a whole number from 0 to",
    ),
    (
        "bad regex",
        doc("{name: a, run: 'true', expect: {stdout-matches: '('}}"),
        f"{F}: criterion 1 ('a'): key \"expect.stdout-matches\": not a regular expression",
    ),
    (
        "empty contains",
        doc("{name: a, run: 'true', expect: {stdout-contains: ''}}"),
        f"{F}: criterion 1 ('a'): key \"expect.stdout-contains\": '' is not a non-empty string",
    ),
    (
        "expect list",
        doc("{name: a, run: 'true', expect: []}"),
        f"{F}: criterion 1 ('a'): key \"expect\": [] is not a mapping",
    ),
    (
        "ftp url",
        doc("{name: w, http: {url: 'ftp://h/x'}}"),
        f"{F}: criterion 1 ('w'): key \"http.url\": 'ftp://h/x' is not an http(s) URL",
    ),
    (
        "no url",
        doc("{name: w, http: {}}"),
        f"{F}: criterion 1 ('w'): key \"http.url\": is required",
    ),
    (
        "http unknown",
        doc("{name: w, http: {url: 'http://h', verb: GET}}"),
        f"{F}: criterion 1 ('w'): key \"http.verb\": unknown key (allowed here: url, method,",
    ),
    (
        "bad method",
        doc("{name: w, http: {url: 'http://h', method: FETCH}}"),
        f"{F}: criterion 1 ('w'): key \"http.method\": 'FETCH' is not one of GET, HEAD,",
    ),
    (
        "header number",
        doc("{name: w, http: {url: 'http://h', headers: {X-N: 1}}}"),
        f"{F}: criterion 1 ('w'): key \"http.headers.X-N\": 1 is not a string",
    ),
    (
        "status range",
        doc("{name: w, http: {url: 'http://h'}, expect: {status: 42}}"),
        f"{F}: criterion 1 ('w'): key \"expect.status\": 42 is not a whole number from 100 to 599",
    ),
    (
        "url with user-info",
        doc("{name: w, http: {url: 'http://user:pw@h/x'}}"),
        f"{F}: criterion 1 ('w'): key \"http.url\": user:password@ cannot be used here",
    ),
    (
        "url port out of range",
        doc("{name: w, http: {url: 'http://h:99999/x'}}"),
        f"{F}: criterion 1 ('w'): key \"http.url\": not a usable URL (Port out of range",
    ),
    (
        "url with a broken IPv6 host",
        doc("{name: w, http: {url: 'http://[::1/x'}}"),
        f"{F}: criterion 1 ('w'): key \"http.url\": not a usable URL (Invalid IPv6 URL)",
    ),
    (
        "json path",
        doc("{name: w, http: {url: 'http://h'}, expect: {json: {'a..b': 1}}}"),
        f"{F}: criterion 1 ('w'): key \"expect.json.a..b\": not a dotted path",
    ),
    (
        "json not map",
        doc("{name: w, http: {url: 'http://h'}, expect: {json: [a]}}"),
        f"{F}: criterion 1 ('w'): key \"expect.json\": [a] is not a mapping",
    ),
    (
        "json value a date",
        doc("{name: w, http: {url: 'http://h'}, expect: {json: {a: 2026-12-02}}}"),
        f"{F}: criterion 1 ('w'): key \"expect.json.a\": 2026-12-02 (date) is not a JSON value",
    ),
    (
        "json value a set",
        doc("{name: w, http: {url: 'http://h'}, expect: {json: {a: !!set {x: null}}}}"),
        f"{F}: criterion 1 ('w'): key \"expect.json.a\": !!set {{x: null}} (set) is not a JSON",
    ),
    (
        "json value binary in a list",
        doc("{name: w, http: {url: 'http://h'}, expect: {json: {a: [1, !!binary aGk=]}}}"),
        f"{F}: criterion 1 ('w'): key \"expect.json.a[1]\": !!binary | aGk= (bytes) is not a JSON",
    ),
    (
        "json value with a number key",
        doc("{name: w, http: {url: 'http://h'}, expect: {json: {a: {b: {1: x}}}}}"),
        f"{F}: criterion 1 ('w'): key \"expect.json.a.b\": key 1 is not a string",
    ),
    (
        "json value not a number",
        doc("{name: w, http: {url: 'http://h'}, expect: {json: {a: .nan}}}"),
        f"{F}: criterion 1 ('w'): key \"expect.json.a\": nan is not a JSON number",
    ),
    (
        "header name a number",
        doc("{name: w, http: {url: 'http://h', headers: {1: x}}}"),
        f"{F}: criterion 1 ('w'): key \"http.headers.1\": not an HTTP header name",
    ),
    (
        "header name with a space",
        doc("{name: w, http: {url: 'http://h', headers: {'X Y': x}}}"),
        f"{F}: criterion 1 ('w'): key \"http.headers.X Y\": not an HTTP header name",
    ),
    (
        "header value with a line break",
        doc('{name: w, http: {url: "http://h", headers: {X-A: "a\\r\\nX-B: b"}}}'),
        f"{F}: criterion 1 ('w'): key \"http.headers.X-A\": a header value cannot hold a line",
    ),
    (
        "run with a NUL",
        doc('{name: w, run: "true\\0"}'),
        f"{F}: criterion 1 ('w'): key \"run\": contains a NUL character",
    ),
    (
        "name with a comma",
        doc("{name: 'a, b', run: 'true'}"),
        f"{F}: criterion 1: key \"name\": 'a, b': no commas, line breaks",
    ),
    (
        "name with a line break",
        doc('{name: "a\\nPLAN_STATUS: COMPLETE", run: "true"}'),
        f"{F}: criterion 1: key \"name\": 'a\\nPLAN_STATUS: COMPLETE': no commas",
    ),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_files_name_file_criterion_and_key(text: str, message: str) -> None:
    with pytest.raises(CriteriaError) as caught:
        parse_criteria(text, F)
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\n" not in str(caught.value)


def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA.read_text())
    return loaded


# Mistakes a JSON Schema cannot see: YAML syntax, unique names, and a duration's upper bound
# (a pattern cannot compare numbers across units).
# Nor what JSON itself cannot hold, which a YAML file can (keys that are not strings, NaN), nor
# a URL's parts (user-info, a port over 65535).
SCHEMA_BLIND = {
    "not yaml",
    "duplicate",
    "key twice",
    "interval past any job",
    "json value with a number key",
    "json value not a number",
    "header name a number",
    "url with user-info",
    "url port out of range",
    "url with a broken IPv6 host",
}


@pytest.mark.parametrize(
    "text",
    [c[1] for c in INVALID if c[0] not in SCHEMA_BLIND],
    ids=[c[0] for c in INVALID if c[0] not in SCHEMA_BLIND],
)
def test_the_schema_rejects_what_the_validator_rejects(text: str) -> None:
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    validator = jsonschema.Draft202012Validator(schema(), format_checker=checker)
    assert list(validator.iter_errors(yaml.safe_load(text)))


VALID = [
    doc("{name: a, run: 'true'}"),
    doc("{name: a, run: x, expect: {exit-code: 3, stdout-matches: '^ok$'}, timeout: 1.5s}"),
    doc("{name: a, run: x, retries: 0, interval: 0ms}", "{name: b, run: y, interval: 1h}"),
    doc("{name: w, http: {url: 'https://h/x?q=1', method: POST, body: '{}', headers: {}}}"),
    doc("{name: w, http: {url: 'http://h'}, expect: {status: 503, json: {a.0: [1], $.b: null}}}"),
    EXAMPLE.read_text(),
]


@pytest.mark.parametrize("text", VALID)
def test_the_schema_accepts_what_the_validator_accepts(text: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    validator = jsonschema.Draft202012Validator(schema(), format_checker=checker)
    assert not list(validator.iter_errors(yaml.safe_load(text)))
    assert parse_criteria(text, "verify.yml").criteria


def test_the_published_schema_is_the_packaged_one() -> None:
    assert SCHEMA.read_bytes() == PACKAGED.read_bytes()
