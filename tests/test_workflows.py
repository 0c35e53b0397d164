"""Every workflow we ship (examples and our own CI) and action.yml pass actionlint and GitHub's
JSON schemas, offline, and every applygate input they use exists."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from applygate.inputs import ALL, INPUTS

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORKFLOWS = sorted(
    [
        *(ROOT / "examples" / "workflows").glob("*.yml"),
        *(ROOT / ".github" / "workflows").glob("*.yml"),
    ]
)
# Any attempt to reach the network goes to a closed port and fails: the checks must be offline.
OFFLINE = {**os.environ, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}


def tool(name: str) -> str:
    path = BIN / name
    assert path.exists(), f"{name} is missing: pip install -e '.[test]'"
    return str(path)


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, env=OFFLINE, cwd=ROOT, timeout=60)


def test_there_are_example_workflows() -> None:
    names = {path.name for path in WORKFLOWS}
    assert {
        "pr-comment-apply.yml",
        "environment-approval.yml",
        "branch-protection-verify.yml",
    } <= names
    assert {"ci.yml", "release.yml"} <= names


def test_release_pushes_a_multi_arch_image_to_ghcr_on_version_tags() -> None:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text())
    assert data[True]["push"] == {"tags": ["v*.*.*"]}  # YAML 1.1 reads the key `on` as True
    job = data["jobs"]["image"]
    assert job["permissions"] == {"contents": "read", "packages": "write"}
    assert job["needs"] == "test"
    build = next(s for s in job["steps"] if s.get("uses", "").startswith("docker/build-push"))
    assert build["with"]["platforms"] == "linux/amd64,linux/arm64"
    assert build["with"]["push"] is True
    meta = next(s for s in job["steps"] if s.get("uses", "").startswith("docker/metadata"))
    assert meta["with"]["images"] == "ghcr.io/${{ github.repository_owner }}/applygate"


def test_actionlint() -> None:
    result = run(tool("actionlint"), "-no-color", *map(str, WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_schema() -> None:
    schema = ("--builtin-schema", "vendor.github-workflows")
    result = run(tool("check-jsonschema"), *schema, *map(str, WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_action_schema() -> None:
    schema = ("--builtin-schema", "vendor.github-actions")
    result = run(tool("check-jsonschema"), *schema, str(ROOT / "action.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checks_can_fail(tmp_path: Path) -> None:
    broken = ROOT / "tests" / "fixtures" / "broken-workflow.yml"
    assert run(tool("actionlint"), "-no-color", str(broken)).returncode != 0
    schema = ("--builtin-schema", "vendor.github-workflows")
    assert run(tool("check-jsonschema"), *schema, str(broken)).returncode != 0
    action = tmp_path / "action.yml"  # a Docker action whose runs names no image
    action.write_text("name: x\ndescription: x\nruns:\n  using: docker\n")
    schema = ("--builtin-schema", "vendor.github-actions")
    assert run(tool("check-jsonschema"), *schema, str(action)).returncode != 0


def steps(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text())
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


INPUT_NAMES = {spec.name for spec in INPUTS}
FLAGS = {spec.name for spec in INPUTS if spec.flag}
_CLI = re.compile(r"\bapplygate ((?:[^\n\\]|\\\n)*)")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_applygate_input_used_exists(path: Path) -> None:
    for step in steps(path):
        if str(step.get("uses", "")).startswith("applygate/applygate@"):
            used = set(step.get("with", {}))
            assert used <= INPUT_NAMES, f"{path.name}: unknown inputs {used - INPUT_NAMES}"
            assert step["with"].get("command") in ALL
        for match in _CLI.finditer(str(step.get("run", ""))):
            words = shlex.split(match.group(1).replace("\\\n", " "))
            assert words[0] in ALL, f"{path.name}: unknown command {words[0]}"
            cut = words.index("--") if "--" in words else len(words)
            flags = {w[2:] for w in words[1:cut] if w.startswith("--")}
            assert flags <= FLAGS, f"{path.name}: unknown flags {flags - FLAGS}"


def test_the_input_check_sees_the_cli_invocations() -> None:
    found = [
        shlex.split(m.group(1).replace("\\\n", " "))[0]
        for path in WORKFLOWS
        for step in steps(path)
        for m in _CLI.finditer(str(step.get("run", "")))
    ]
    assert sorted(found) == ["execute", "execute", "fingerprint"]


def test_the_readme_links_every_example() -> None:
    readme = (ROOT / "README.md").read_text()
    for path in (ROOT / "examples" / "workflows").glob("*.yml"):
        assert f"](examples/workflows/{path.name})" in readme, path.name
