"""The container test's git case (tests/container/git_commands.py) runs every git subcommand that
applygate's adapters run: found here by reading the adapters' calls (``ast``)."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.container.git_commands import COMMANDS

ADAPTERS = Path(__file__).resolve().parents[1] / "src" / "applygate" / "adapters"


def first_string(nodes: list[ast.expr]) -> str | None:
    if nodes and isinstance(nodes[0], ast.Constant) and isinstance(nodes[0].value, str):
        return nodes[0].value
    return None


def subcommands_in(tree: ast.AST) -> set[str]:
    """From ``self.run("x", …)``, ``git.check("why", "x", …)``, ``["git", "x", …]`` and
    ``args = ["x", …]``."""
    found: set[str | None] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "run" and not isinstance(
                node.func.value, ast.Name | ast.Attribute
            ):
                continue
            if node.func.attr == "run" and ast.unparse(node.func.value) in ("self", "git"):
                found.add(first_string(node.args))
            elif node.func.attr == "check" and ast.unparse(node.func.value) in ("self", "git"):
                found.add(first_string(node.args[1:]))
        elif isinstance(node, ast.List) and first_string(node.elts) == "git":
            found.add(first_string(node.elts[1:]))
        elif (
            isinstance(node, ast.Assign)
            and ast.unparse(node.targets[0]) == "args"
            and isinstance(node.value, ast.List)
        ):
            found.add(first_string(node.value.elts))
    return {name for name in found if name}


def adapters_subcommands() -> set[str]:
    found: set[str] = {"version"}  # GitPython runs `git version` when it starts
    for path in ADAPTERS.glob("git*.py"):
        found |= subcommands_in(ast.parse(path.read_text()))
    return found


def test_the_container_case_runs_every_git_subcommand_the_adapters_run() -> None:
    used = adapters_subcommands()
    assert {"status", "push", "revert", "fetch", "ls-remote"} <= used  # the scan sees them
    assert used <= {args[0] for _, args, _ in COMMANDS}, used - {a[0] for _, a, _ in COMMANDS}
