"""Every workflow we ship (examples and our own CI) and action.yml pass actionlint and GitHub's
JSON schemas, offline, and every applygate input they use and every output they read exists."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from applygate.inputs.registry import ALL, INPUTS, OUTPUTS

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


def release() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "release.yml").read_text()
    )
    return loaded


def uses(job: dict[str, Any], action: str) -> dict[str, Any]:
    return next(s for s in job["steps"] if str(s.get("uses", "")).startswith(action + "@"))


def test_release_refuses_a_tag_that_is_not_the_version(tmp_path: Path) -> None:
    data = release()
    assert data[True]["push"] == {"tags": ["v*.*.*"]}  # YAML 1.1 reads the key `on` as True
    script = data["jobs"]["version"]["steps"][-1]["run"]
    (tmp_path / "src" / "applygate").mkdir(parents=True)
    (tmp_path / "src" / "applygate" / "__init__.py").write_text('__version__ = "0.4.2"\n')
    for tag, code, major in (("v0.4.2", 0, "v0"), ("v0.4.3", 1, None), ("0.4.2", 1, None)):
        out = tmp_path / "out"
        out.write_text("")
        env = {**os.environ, "TAG": tag, "GITHUB_OUTPUT": str(out)}
        done = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, check=False)
        assert done.returncode == code, tag
        assert out.read_text() == (f"major={major}\n" if major else ""), tag


def test_release_publishes_only_after_the_tests_and_moves_the_alias_last() -> None:
    jobs = release()["jobs"]
    assert jobs["test"]["needs"] == "version"
    assert jobs["dist"]["needs"] == "test"
    assert set(jobs["image"]["needs"]) == {"version", "test"}
    assert set(jobs["alias"]["needs"]) == {"version", "pypi", "image"}
    assert jobs["alias"]["permissions"] == {"contents": "write"}
    assert 'git push --force origin "refs/tags/$MAJOR"' in jobs["alias"]["steps"][-1]["run"]
    # PyPI by trusted publishing: an OIDC token, no password or API token anywhere.
    pypi = jobs["pypi"]
    assert pypi["permissions"] == {"id-token": "write"}
    assert "with" not in uses(pypi, "pypa/gh-action-pypi-publish")
    assert "secrets." not in yaml.safe_dump(pypi)
    assert uses(jobs["dist"], "actions/attest-build-provenance")["with"]["subject-path"] == "dist/*"


def test_release_pushes_an_attested_multi_arch_image_without_latest() -> None:
    job = release()["jobs"]["image"]
    assert job["permissions"] == {
        "contents": "read",
        "packages": "write",
        "id-token": "write",
        "attestations": "write",
    }
    build = uses(job, "docker/build-push-action")
    assert build["with"]["platforms"] == "linux/amd64,linux/arm64"
    assert build["with"]["push"] is True
    meta = uses(job, "docker/metadata-action")
    assert meta["with"]["images"] == "ghcr.io/${{ github.repository }}"
    assert meta["with"]["flavor"] == "latest=false"
    # the tags delivery/resolve_image.py looks up: the release, its major alias, sha-<commit>
    assert meta["with"]["tags"].splitlines() == [
        "type=raw,value=${{ github.ref_name }}",
        "type=raw,value=${{ needs.version.outputs.major }}",
        "type=sha,format=long",
    ]
    for action in ("actions/attest-build-provenance", "actions/attest-sbom"):
        attest = uses(job, action)["with"]
        assert attest["subject-digest"] == "${{ steps.build.outputs.digest }}"
        assert attest["push-to-registry"] is True


def test_actionlint() -> None:
    result = run(tool("actionlint"), "-no-color", *map(str, WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_schema() -> None:
    schema = ("--builtin-schema", "vendor.github-workflows")
    result = run(tool("check-jsonschema"), *schema, *map(str, WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr


def test_action_schema() -> None:
    # action.yml, the setup sub-action, and the Docker action action.yml writes (JSON is YAML)
    schema = ("--builtin-schema", "vendor.github-actions")
    actions = [ROOT / "action.yml", ROOT / "setup" / "action.yml"]
    result = run(tool("check-jsonschema"), *schema, *map(str, actions))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_actions_our_composite_actions_use_pass_actionlint(tmp_path: Path) -> None:
    # actionlint reads workflows only: the remote actions the composites use go into one.
    used = [
        {"uses": step["uses"], "with": dict.fromkeys(step.get("with", {}), "x")}  # names only
        for path in (ROOT / "action.yml", ROOT / "setup" / "action.yml")
        for step in yaml.safe_load(path.read_text())["runs"]["steps"]
        if "uses" in step and not step["uses"].startswith("./")
    ]
    assert [step["uses"].split("@")[0] for step in used] == ["actions/cache"]
    workflow = {"on": "push", "jobs": {"a": {"runs-on": "ubuntu-latest", "steps": used}}}
    (tmp_path / "composites.yml").write_text(yaml.safe_dump(workflow))
    result = run(tool("actionlint"), "-no-color", str(tmp_path / "composites.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_written_docker_action_passes_the_schema(tmp_path: Path) -> None:
    written = json.loads((ROOT / "delivery" / "docker-action.json").read_text())
    written["runs"]["image"] = "docker://ghcr.io/applygate/applygate@sha256:" + "0" * 64
    (tmp_path / "action.yml").write_text(json.dumps(written))
    schema = ("--builtin-schema", "vendor.github-actions")
    result = run(tool("check-jsonschema"), *schema, str(tmp_path / "action.yml"))
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


def execute_inputs(path: Path) -> list[set[str]]:
    """The inputs each ``execute`` in the workflow is given (``with:`` or ``--flags``)."""
    found = []
    for step in steps(path):
        given = step.get("with", {})
        action = str(step.get("uses", "")).startswith("applygate/applygate@")
        if action and given.get("command") == "execute":
            found.append({name for name, value in given.items() if value})
        for match in _CLI.finditer(str(step.get("run", ""))):
            words = shlex.split(match.group(1).replace("\\\n", " "))
            if words[0] == "execute":
                found.append({w[2:] for w in words[1:] if w.startswith("--")})
    return found


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_a_recorded_deployment_names_the_operation_and_the_approval(path: Path) -> None:
    """An execute that records a deployment (``environment``) gives it approve's operation and
    evidence: without them the deployment names the steps and proves no approval."""
    for given in execute_inputs(path):
        if "environment" in given:
            assert {"operation", "approval-evidence"} <= given, f"{path.name}: {sorted(given)}"


def test_the_deployment_check_sees_an_execute_with_environment() -> None:
    recording = [g for p in WORKFLOWS for g in execute_inputs(p) if "environment" in g]
    assert recording, "no example records a deployment: the check above checks nothing"


SETUP = "applygate/applygate/setup@"
_GIT_URL = re.compile(r"git\+(https?|ssh|git)://|pip[x3]? install [^\n]*(github\.com|\.git\b)")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_workflow_installs_from_a_git_url(path: Path) -> None:
    assert not _GIT_URL.search(path.read_text()), path.name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_the_cli_comes_from_the_setup_action_installed_before_any_secret(path: Path) -> None:
    for name, job in yaml.safe_load(path.read_text())["jobs"].items():
        job_steps = job.get("steps", [])
        runs_cli = [i for i, s in enumerate(job_steps) if _CLI.search(str(s.get("run", "")))]
        setup = [i for i, s in enumerate(job_steps) if str(s.get("uses", "")).startswith(SETUP)]
        if not runs_cli:
            continue
        assert setup and setup[0] < runs_cli[0], f"{path.name}: {name} runs applygate without setup"
        assert "secrets." not in yaml.safe_dump(job.get("env", {})), f"{name}: secrets in job env"
        before = job_steps[: setup[0] + 1]
        assert "secrets." not in yaml.safe_dump(before), f"{name}: a secret before the install"


def test_the_examples_use_the_setup_action() -> None:
    examples = [p for p in WORKFLOWS if p.parent.name == "workflows" and "examples" in p.parts]
    users = [p.name for p in examples if SETUP in p.read_text()]
    assert sorted(users) == ["environment-approval.yml", "pr-comment-apply.yml"]


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


# --- every output a workflow reads exists -------------------------------------------------------
# actionlint checks `needs.<job>.outputs` and the outputs of actions it knows, but not applygate's
# (a remote action it cannot read offline) nor what a `run:` step writes.

ACTION_OUTPUTS = set(yaml.safe_load((ROOT / "action.yml").read_text())["outputs"])
COMMAND_OUTPUTS = {command: {o.name for o in OUTPUTS if command in o.commands} for command in ALL}
APPLYGATE_USES = ("applygate/applygate@", "docker://ghcr.io/applygate/applygate:")
# The outputs of the other actions our workflows read, from each action's action.yml.
OTHER_OUTPUTS = {
    "actions/create-github-app-token": {"token", "installation-id", "app-slug"},
    "docker/metadata-action": {"version", "tags", "labels", "annotations", "json"},
    "docker/build-push-action": {"imageid", "digest", "metadata"},
}
_STEP_OUTPUT = re.compile(r"\bsteps\.([\w-]+)\.outputs\.([\w-]+)")
_JOB_OUTPUT = re.compile(r"\bneeds\.([\w-]+)\.outputs\.([\w-]+)")
_ECHO_OUTPUT = re.compile(r"""\becho\s+["']?([\w-]+)=""")


def step_outputs(step: dict[str, Any]) -> set[str] | None:
    """The outputs a step can set; None when the test cannot know them."""
    uses = str(step.get("uses", ""))
    if uses == "./" or uses.startswith(APPLYGATE_USES):
        command = step.get("with", {}).get("command", "approve")
        return ACTION_OUTPUTS & COMMAND_OUTPUTS[command]
    if uses:
        return OTHER_OUTPUTS.get(uses.split("@")[0])
    script = str(step.get("run", ""))
    found = set()
    for match in _CLI.finditer(script):  # the CLI writes the outputs the action declares
        found |= ACTION_OUTPUTS & COMMAND_OUTPUTS[shlex.split(match.group(1))[0]]
    if "GITHUB_OUTPUT" in script:
        found |= set(_ECHO_OUTPUT.findall(script))
    return found


def strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def step_output_problems(name: str, job: dict[str, Any]) -> list[str]:
    """Each steps.<id>.outputs.<name> names an earlier step of the job and one of its outputs."""
    problems = []
    job_steps = job.get("steps", [])
    index = {step["id"]: i for i, step in enumerate(job_steps) if "id" in step}
    places = [(job.get("outputs", {}), len(job_steps)), *((s, i) for i, s in enumerate(job_steps))]
    for node, position in places:
        for step_id, output in (m for text in strings(node) for m in _STEP_OUTPUT.findall(text)):
            where = f"{name}: steps.{step_id}.outputs.{output}"
            if index.get(step_id, position) >= position:
                problems.append(f"{where}: no earlier step has the id {step_id}")
                continue
            declared = step_outputs(job_steps[index[step_id]])
            if declared is None:
                problems.append(f"{where}: unknown action, add its outputs to OTHER_OUTPUTS")
            elif output not in declared:
                problems.append(f"{where}: the step has no such output ({sorted(declared)})")
    return problems


def job_output_problems(name: str, job: dict[str, Any], jobs: dict[str, Any]) -> list[str]:
    """Each needs.<job>.outputs.<name> names a job this one needs, and an output it declares."""
    problems = []
    needs = job.get("needs", [])
    needs = [needs] if isinstance(needs, str) else needs
    for other, output in (m for text in strings(job) for m in _JOB_OUTPUT.findall(text)):
        where = f"{name}: needs.{other}.outputs.{output}"
        if other not in needs:
            problems.append(f"{where}: the job does not need {other}")
        elif output not in jobs[other].get("outputs", {}):
            problems.append(f"{where}: {other} declares no such output")
    return problems


def output_problems(workflow: dict[str, Any]) -> list[str]:
    jobs = workflow["jobs"]
    return [
        problem
        for name, job in jobs.items()
        for problem in [*step_output_problems(name, job), *job_output_problems(name, job, jobs)]
    ]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_output_read_exists(path: Path) -> None:
    assert output_problems(yaml.safe_load(path.read_text())) == []


@pytest.mark.parametrize(
    ("name", "reference", "misspelled"),
    [
        # an applygate action output, and one the step's command does not write
        ("pr-comment-apply.yml", "steps.approve.outputs.decision", "steps.approve.outputs.decison"),
        ("environment-approval.yml", "steps.approve.outputs.sha", "steps.approve.outputs.ready"),
        # the applygate CLI in a run step; a run step that writes GITHUB_OUTPUT itself
        (
            "pr-comment-apply.yml",
            "steps.fingerprint.outputs.plan-fingerprint",
            "steps.fingerprint.outputs.plan_fingerprint",
        ),
        ("pr-comment-apply.yml", "steps.branch.outputs.head-branch", "steps.branch.outputs.branch"),
        # another action's output; a step id that does not exist
        ("release.yml", "steps.meta.outputs.tags", "steps.meta.outputs.tag"),
        ("pr-comment-apply.yml", "steps.app-token.outputs.token", "steps.app_token.outputs.token"),
        # a job output, and a job that is not needed
        ("pr-comment-apply.yml", "needs.gate.outputs.head-branch", "needs.gate.outputs.branch"),
        ("pr-comment-apply.yml", "needs.plan.outputs.plan-fingerprint", "needs.pln.outputs.x"),
    ],
)
def test_the_output_check_finds_a_misspelled_output(
    name: str, reference: str, misspelled: str
) -> None:
    path = next(path for path in WORKFLOWS if path.name == name)
    text = path.read_text()
    assert reference in text
    assert output_problems(yaml.safe_load(text)) == []
    problems = output_problems(yaml.safe_load(text.replace(reference, misspelled, 1)))
    assert len(problems) == 1, problems
    assert misspelled in problems[0]
