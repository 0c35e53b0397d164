"""The README and the docs pages say what the code does: every input and output is documented
with the registry's default, and the samples they show are what the code produces from their own
examples."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from tests.test_workflows import _CLI, FLAGS, INPUT_NAMES, ROOT, output_problems, run, steps, tool

from applygate.commands.verify import DEFAULT_CRITERIA
from applygate.core.criteria import CriteriaError, parse_criteria
from applygate.core.expect import Observation, mismatches
from applygate.core.verification import Attempt, progress_line
from applygate.inputs import INPUTS, OUTPUTS

README = (ROOT / "README.md").read_text()
# The pages a reader goes on to from the README, by name: their samples are checked like its own.
DOCS = {path.name: path.read_text() for path in sorted((ROOT / "docs").glob("*.md"))}
# Inputs whose registry default is empty because the command computes it (action.yml must not
# fix it): the README gives what the command uses.
COMPUTED = {"criteria": DEFAULT_CRITERIA, "status-context": "applygate/<command>"}


def block(language: str, first_line: str) -> str:
    """The fenced block of ``language`` whose first line starts with ``first_line``, in the README
    or a docs page."""
    for page in (README, *DOCS.values()):
        for text in re.findall(rf"```{language}\n(.*?)```", page, re.S):
            if text.startswith(first_line):
                return str(text)
    raise AssertionError(f"no ```{language} block starting with {first_line!r} in README or docs/")


def table_defaults() -> dict[str, str]:
    """Input -> default as the README's tables give them (only defaults written as code)."""
    found: dict[str, str] = {}
    # the inputs table: | `retries`, `retry-interval` | `2`, `10s` | ...
    table = README.split("| Input | Default | Meaning |\n", 1)[1].split("\n\n", 1)[0]
    code_list = r"`[^`|]+`(?:, `[^`|]+`)*"
    for row in re.findall(rf"^\| ({code_list}) \| ({code_list}) \|", table, re.M):
        names, defaults = (re.findall(r"`([^`]+)`", cell) for cell in row)
        if len(names) == len(defaults):
            found.update(zip(names, defaults, strict=True))
    # the checklist table, | `clean` | `require-clean` (`true`) |, and the text: `name` (default `x`
    for name, default in re.findall(r"`([a-z-]+)` \((?:default )?`([^`]*)`[);]", README):
        found.setdefault(name, default)
    return found


@pytest.mark.parametrize("name", [spec.name for spec in INPUTS] + [o.name for o in OUTPUTS])
def test_every_input_and_output_is_in_the_readme(name: str) -> None:
    assert re.search(f"`{name}[`=]", README)  # `name`, or `name=value` for an output


def test_the_defaults_the_readme_gives_are_the_registrys() -> None:
    given = table_defaults()
    specs = {spec.name: spec for spec in INPUTS}
    checked = {name: default for name, default in given.items() if name in specs}
    assert len(checked) >= 20, checked  # the tables were found
    for name, default in checked.items():
        assert default == (specs[name].default or COMPUTED.get(name, "")), name


def test_the_verify_progress_sample_is_what_verify_prints() -> None:
    criteria = parse_criteria(block("yaml", "version: 1\n"), "verify.yml").criteria
    vpc, api = criteria
    seen = [
        (vpc, 3, Observation(exit_code=1), vpc.interval),
        (vpc, 4, Observation(exit_code=0, text="[]"), vpc.interval),
        (api, 1, Observation(status=200, text='{"status": "green", "ok": true}'), None),
    ]
    lines = []
    for criterion, number, observation, wait in seen:
        found = mismatches(criterion.check, observation)
        attempt = Attempt(
            number=number, start=0.0, duration=1.0, observation=observation, mismatches=found
        )
        lines.append(progress_line(criterion, attempt, wait))
    assert "\n".join(lines) + "\n" == block("text", "vpc exists: attempt 3/11")


def test_the_bad_file_example_is_the_message_verify_gives() -> None:
    example = re.search(r"e\.g\.\n  `(verify\.yml: criterion 2 [^`]+)`", DOCS["verify.md"])
    assert example is not None
    broken = block("yaml", "version: 1\n").replace("interval: 15s", "interval: 5 minutes")
    with pytest.raises(CriteriaError) as error:
        parse_criteria(broken, "verify.yml")
    assert str(error.value) == example.group(1)


def readme_workflows() -> dict[str, str]:
    """The README's workflow snippets, put together as the workflows they are parts of: its first
    workflow, and the later jobs after the example workflow's gate job (it exports head-branch)."""
    example = (ROOT / "examples" / "workflows" / "pr-comment-apply.yml").read_text()
    gate = example[example.index("  gate:\n") : example.index("  plan:\n")]
    head = "on:\n  issue_comment:\n    types: [created]\npermissions: {}\njobs:\n" + gate
    plan_and_preflight = block("yaml", "  plan:\n")
    plan = plan_and_preflight[: plan_and_preflight.index("  apply:\n")]
    verify = block("yaml", "  verify:\n")
    steps_job = "  steps:\n    needs: gate\n    runs-on: ubuntu-latest\n    steps:\n"
    return {
        "first.yml": block("yaml", "on:\n"),
        "preflight.yml": head + plan_and_preflight + verify,
        "execute.yml": head + plan + block("yaml", "  apply:\n") + verify,
        "steps.yml": head
        + steps_job
        + block("yaml", "      - id: approve\n        uses: docker://")
        + block("yaml", "      - uses: actions/checkout@v5\n        with:\n          ref: main"),
    }


def test_the_readme_workflow_snippets_pass_actionlint(tmp_path: Path) -> None:
    """actionlint checks what a reader would otherwise find in their first run: a job output
    read under another name, an action version GitHub no longer runs, an unknown input."""
    paths = []
    for name, text in readme_workflows().items():
        paths.append(tmp_path / name)
        paths[-1].write_text(text)
    result = run(tool("actionlint"), "-no-color", *map(str, paths))
    assert result.returncode == 0, result.stdout + result.stderr
    for path in paths:
        for step in steps(path):
            uses = str(step.get("uses", ""))
            if uses.startswith(("applygate/applygate@", "docker://ghcr.io/applygate/")):
                assert set(step.get("with", {})) <= INPUT_NAMES, path.name
            for match in _CLI.finditer(str(step.get("run", ""))):
                words = shlex.split(match.group(1))
                cut = words.index("--") if "--" in words else len(words)
                assert {w[2:] for w in words[1:cut] if w.startswith("--")} <= FLAGS, path.name


def test_the_readme_workflow_snippets_read_only_outputs_that_exist() -> None:
    for name, text in readme_workflows().items():
        assert output_problems(yaml.safe_load(text)) == [], name


def test_the_threat_model_names_tests_that_exist() -> None:
    """docs/threat-model.md gives, for each attack, the tests that prove its defence: every one
    it names must exist (``tests/x.py::test_y``, or ``::test_z`` in the file named before)."""
    page = (ROOT / "docs" / "threat-model.md").read_text()
    current: Path | None = None
    named = 0
    for file, name in re.findall(r"`(tests/[\w/]+\.py)?(?:::(\w+))?`", page):
        if file:
            current = ROOT / file
            assert current.is_file(), file
        if name:
            assert current is not None, name
            assert re.search(rf"^def {name}\(", current.read_text(), re.M), f"{current}::{name}"
            named += 1
    assert named >= 25
    for item in range(1, 8):  # every attack of issue 19 has its section
        assert f"\n## {item}. " in page
    assert "docs/threat-model.md" in README
