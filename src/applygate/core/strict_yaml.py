"""YAML as applygate reads its own files: safe, and a key given twice in one mapping is an error.

PyYAML keeps the last of two equal keys without a word, so a criterion with ``expect:`` written
twice would silently lose one set of expectations, and a gate must not check less than it was
told to. Merge keys (``<<: *base``) still work: a key written next to a merge overrides it.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError

_MERGE = "tag:yaml.org,2002:merge"


class _StrictLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, yaml.Node] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE:
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    earlier = first.setdefault(key, key_node)
                except TypeError:
                    continue  # an unhashable key: the base constructor reports it
                if earlier is not key_node:
                    line = earlier.start_mark.line + 1
                    raise ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"duplicate key {key!r} (first given on line {line})",
                        key_node.start_mark,
                    )
        return super().construct_mapping(node, deep=deep)


class TooDeep(yaml.YAMLError):
    """A document nested deeper than the parser's recursion allows (``[[[[...`` or the like)."""

    problem = "nested too deeply"
    problem_mark = None


def load(text: str) -> Any:
    """The document in ``text``; yaml.YAMLError (with ``problem_mark``) when it is not valid."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:
        raise TooDeep("nested too deeply") from None
