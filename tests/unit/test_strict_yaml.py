"""The YAML reader for applygate's own files: a key given twice is an error, never a silent
last-one-wins."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from applygate.core import strict_yaml


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: 2\n", {"a": 1, "b": 2}),
        (
            "base: &b {x: 1, y: 2}\nuse: {<<: *b, y: 3}\n",
            {"base": {"x": 1, "y": 2}, "use": {"x": 1, "y": 3}},
        ),
        ("a: {x: 1}\nb: {x: 2}\n", {"a": {"x": 1}, "b": {"x": 2}}),  # same key, other mappings
        ("1: a\n'1': b\n", {1: "a", "1": "b"}),  # an int and a string are different keys
        ("- {a: 1}\n- {a: 1}\n", [{"a": 1}, {"a": 1}]),
        ("", None),
    ],
    ids=["plain", "merge-then-override", "nested", "int-vs-str", "list", "empty"],
)
def test_valid_documents_load_as_safe_load_would(text: str, expected: Any) -> None:
    assert strict_yaml.load(text) == expected == yaml.safe_load(text)


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        ("a: 1\na: 2\n", "duplicate key 'a' (first given on line 1)", 2),
        ("top:\n  x: 1\n  y: 2\n  x: 3\n", "duplicate key 'x' (first given on line 2)", 4),
        ("- {name: a, name: b}\n", "duplicate key 'name' (first given on line 1)", 1),
        ("on: 1\nyes: 2\n", "duplicate key True (first given on line 1)", 2),  # YAML 1.1 booleans
    ],
    ids=["top", "nested", "flow", "same-boolean"],
)
def test_a_key_given_twice_is_an_error_at_the_second(text: str, problem: str, line: int) -> None:
    with pytest.raises(yaml.YAMLError) as caught:
        strict_yaml.load(text)
    assert getattr(caught.value, "problem", None) == problem
    mark = getattr(caught.value, "problem_mark", None)
    assert mark is not None and mark.line + 1 == line


def test_python_tags_stay_refused_as_in_safe_load() -> None:
    with pytest.raises(yaml.YAMLError):
        strict_yaml.load("!!python/object/apply:os.system ['true']\n")
