"""The house rule: the core imports only the standard library, yaml and itself, and the two
libraries that render a comment as GitHub does (pure: no I/O), only where it is rendered."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "src" / "applygate" / "core"
ALLOWED = set(sys.stdlib_module_names) | {"yaml", "applygate"}
RENDERING = {"cmarkgfm", "selectolax"}
# the modules that render a comment or read its tree (the second reading compares blocks' HTML)
RENDERS = {
    "github_render.py",
    "sanitizer.py",
    "shown.py",
    "shown_page.py",
    "second_reading.py",
    "footnotes.py",
}
FORBIDDEN_CALLS = {"print", "open", "input"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_imports_only_stdlib_yaml_and_core(path: Path) -> None:
    for name in imports(path):
        top = name.split(".")[0]
        rendering = top in RENDERING and path.name in RENDERS
        assert top in ALLOWED or rendering, f"{path.name} imports {name}"
        if top == "applygate":
            assert name.startswith("applygate.core"), f"{path.name} imports {name} from the shell"


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_does_no_io(path: Path) -> None:
    tree = ast.parse(path.read_text())
    calls = {
        n.func.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }
    assert not calls & FORBIDDEN_CALLS
    assert "os" not in imports(path)


def test_there_is_a_core_to_check() -> None:
    assert len(list(CORE.glob("*.py"))) >= 5
