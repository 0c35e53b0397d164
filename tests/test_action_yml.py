"""action.yml, the Dockerfile and the README match what the code reads, writes and runs."""

from __future__ import annotations

import importlib
import json
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


def test_the_docker_action_template_is_generated_from_the_registry() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from action_yml import render_docker_action
    finally:
        sys.path.pop(0)
    template = ROOT / "delivery" / "docker-action.json"
    assert template.read_text() == render_docker_action(), "run: python tools/action_yml.py"


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


def test_the_composite_resolves_the_image_then_runs_it_with_every_input() -> None:
    # A Docker action's runs.image cannot hold an expression: the composite's first step writes
    # the Docker action (tests/test_delivery.py), the second runs it, the last removes it.
    from delivery.resolve_image import GENERATED

    runs = action()["runs"]
    assert runs["using"] == "composite"
    resolve, run, clean = runs["steps"]
    assert resolve["run"] == 'python3 "$ACTION_PATH/delivery/resolve_image.py"'
    assert resolve["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert run == {
        "id": "run",
        "uses": f"./{GENERATED}",
        "with": {spec.name: f"${{{{ inputs.{spec.name} }}}}" for spec in INPUTS},
    }
    assert clean["if"] == "always()"
    assert f'rm -rf "$GITHUB_WORKSPACE/{GENERATED}"' in clean["run"]


def test_every_output_is_the_docker_step_s() -> None:
    declared = action()["outputs"]
    assert {name: entry["value"] for name, entry in declared.items()} == {
        spec.name: f"${{{{ steps.run.outputs.{spec.name} }}}}" for spec in OUTPUTS
    }


def test_the_docker_action_runs_the_command_input() -> None:
    written = json.loads((ROOT / "delivery" / "docker-action.json").read_text())
    assert written["runs"] == {"using": "docker", "image": "", "args": ["${{ inputs.command }}"]}
    assert list(written["inputs"]) == [spec.name for spec in INPUTS]
    assert list(written["outputs"]) == [spec.name for spec in OUTPUTS]


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
