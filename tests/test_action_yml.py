"""action.yml, the Dockerfile and the README match what the code reads, writes and runs."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from applygate.core.approval import Decision
from applygate.core.report import outputs
from applygate.inputs.registry import ALL, COMMAND_NAMES, INPUTS, OUTPUTS

ROOT = Path(__file__).resolve().parents[1]


def action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text())
    return loaded


def test_action_yml_is_generated_from_the_registry() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from action_yml import render  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    assert (ROOT / "action.yml").read_text() == render(), "run: python tools/action_yml.py"


def test_inputs_match_the_registry() -> None:
    declared = action()["inputs"]
    assert list(declared) == [spec.name for spec in INPUTS]
    for spec in INPUTS:
        entry = declared[spec.name]
        assert entry["description"] == spec.description
        assert entry["default"] == spec.default
        assert entry["required"] is spec.required


def test_outputs_match_the_registry() -> None:
    declared = action()["outputs"]
    assert list(declared) == [spec.name for spec in OUTPUTS]
    assert all(declared[name]["description"] for name in declared)


def test_approve_writes_exactly_its_outputs() -> None:
    written = outputs(Decision(approved=True, operation="x", sha="0" * 40, pr_number=None))
    assert set(written) == {spec.name for spec in OUTPUTS if "approve" in spec.commands}


def test_every_command_is_documented_and_importable() -> None:
    assert set(COMMAND_NAMES) == set(ALL)
    for command in COMMAND_NAMES:
        assert command in action()["inputs"]["command"]["description"]
        module = importlib.import_module(f"applygate.commands.{command.replace('-', '_')}")
        assert callable(module.run)


def test_docker_action_runs_the_command_input() -> None:
    runs = action()["runs"]
    assert runs["using"] == "docker"
    assert runs["image"] == "Dockerfile"
    assert runs["args"] == ["${{ inputs.command }}"]


def test_dockerfile_installs_git_and_enters_the_cli() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^ARG BASE_IMAGE=python:3\.\d+-slim", text, re.M)
    assert "install -y --no-install-recommends git" in text
    assert "safe.directory /github/workspace" in text
    assert text.rstrip().endswith('ENTRYPOINT ["applygate"]')


def readme_commands() -> list[str]:
    head = (ROOT / "README.md").read_text().split("\n## ", 1)[0]
    return re.findall(r"```(?:sh|bash)?\n(.+?)\n```", head, re.S)


def test_readme_opens_with_exactly_two_commands_and_ci_runs_the_test_one() -> None:
    commands = readme_commands()
    assert len(commands) == 2
    demo, tests = commands
    assert "examples/demo.py" in demo
    assert "pytest" in tests
    assert tests in (ROOT / ".ci" / "run").read_text()
