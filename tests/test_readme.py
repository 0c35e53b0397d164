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

from applygate.core.criteria import parse_criteria
from applygate.core.criteria_fields import CriteriaError
from applygate.core.expect import Observation, mismatches
from applygate.core.verification import Attempt, progress_line
from applygate.inputs.declared import GITHUB
from applygate.inputs.registry import COMMAND_NAMES as COMMANDS
from applygate.inputs.registry import INPUTS, OUTPUTS, InputSpec
from applygate.inputs.verify import DEFAULT_CRITERIA

README = (ROOT / "README.md").read_text()
# The pages a reader goes on to from the README, by name: their samples are checked like its own.
DOCS = {path.name: path.read_text() for path in sorted((ROOT / "docs").glob("*.md"))}
# Inputs whose registry default is empty because the command computes it (action.yml must not
# fix it): the README gives what the command uses.
COMPUTED = {
    ("verify", "criteria"): DEFAULT_CRITERIA,
    ("execute", "rollback"): "none",
    ("rollback", "rollback"): "git-revert",
    **{(command, "status-context"): "applygate/<command>" for command in COMMANDS},
}
MAX_LINES = 250


def block(language: str, first_line: str) -> str:
    """The fenced block of ``language`` whose first line starts with ``first_line``, in the README
    or a docs page."""
    for page in (README, *DOCS.values()):
        for text in re.findall(rf"```{language}\n(.*?)```", page, re.S):
            if text.startswith(first_line):
                return str(text)
    raise AssertionError(f"no ```{language} block starting with {first_line!r} in README or docs/")


def inputs_section() -> tuple[str, dict[str, str]]:
    """The README's inputs and outputs section: the text before the first command (the table of
    the inputs every command takes), and each command's text, from its bold name to the next."""
    section = README.split("\n## Inputs and outputs\n", 1)[1].split("\n## ", 1)[0]
    common, *parts = re.split(r"^\*\*`([a-z-]+)`\*\*", section, flags=re.M)
    return common, dict(zip(parts[0::2], parts[1::2], strict=True))


def inputs_table(text: str) -> dict[str, str]:
    """Input -> its Default cell, from the one ``| Input | Default | Meaning |`` table in text."""
    [table] = re.findall(
        r"^\| Input \| Default \| Meaning \|\n\|---\|---\|---\|\n((?:\|.*\n)+)", text, re.M
    )
    found: dict[str, str] = {}
    for line in table.splitlines():
        row = re.fullmatch(r"\| `([a-z-]+)` \| ([^|]+) \| .+ \|", line)
        assert row is not None, line
        assert row.group(1) not in found, f"{row.group(1)} twice"
        found[row.group(1)] = row.group(2)
    return found


def outputs_named(text: str) -> set[str]:
    """The outputs a command's ``Outputs:`` paragraph names (none without one)."""
    paragraph = text.split("\nOutputs: ", 1)[1].split("\n\n", 1)[0] if "\nOutputs: " in text else ""
    return set(re.findall(r"`([a-z-]+)`", paragraph)) & {o.name for o in OUTPUTS}


def expected_default(command: str, name: str) -> str:
    """The Default cell the registry calls for: its default as code; where it has none and the
    command computes one, that; else plain words (``none``, ``from the event``), never code."""
    spec = next(spec for spec in INPUTS if spec.name == name)
    default = spec.default or COMPUTED.get((command, name), "")
    return f"`{default}`" if default else ""


def test_the_readme_is_short_and_starts_with_the_quick_start() -> None:
    assert len(README.splitlines()) <= MAX_LINES
    headings = re.findall(r"^## (.+)$", README, re.M)
    assert headings[:3] == ["What it is", "Quick start on GitHub", "Inputs and outputs"]


def test_every_command_has_its_section_in_the_registrys_order() -> None:
    _, sections = inputs_section()
    assert list(sections) == list(COMMANDS)


def test_the_common_table_holds_only_inputs_of_every_command() -> None:
    common = inputs_table(inputs_section()[0])
    assert len(common) >= 3, common
    for name, cell in common.items():
        spec = next(spec for spec in INPUTS if spec.name == name)
        # every command's, or every command's that talks to GitHub (the README says which)
        assert set(spec.commands) in (set(COMMANDS), set(GITHUB)), name
        assert all(cell == expected_default(c, name) for c in spec.commands), name
    offline = set(COMMANDS) - set(GITHUB)
    assert all(f"`{command}` takes only `command`" in README for command in offline)


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_table_lists_exactly_its_inputs_with_the_registry_defaults(
    command: str,
) -> None:
    """Every input of the command is in its table (or in the table every command takes), with
    the registry's default; nothing else is."""
    common_text, sections = inputs_section()
    common, own = inputs_table(common_text), inputs_table(sections[command])
    assert not set(common) & set(own), "an input in both tables"
    common = {name: cell for name, cell in common.items() if command in _spec(name).commands}
    expected = {spec.name for spec in INPUTS if command in spec.commands}
    assert set(common) | set(own) == expected
    for name, cell in own.items():
        want = expected_default(command, name)
        if want:
            assert cell == want, name
        else:  # no default: words, never a value that could be taken for one
            assert "`" not in cell, name


def _spec(name: str) -> InputSpec:
    return next(spec for spec in INPUTS if spec.name == name)


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_lists_exactly_its_outputs(command: str) -> None:
    expected = {o.name for o in OUTPUTS if command in o.commands}
    assert outputs_named(inputs_section()[1][command]) == expected


def test_the_defaults_the_docs_give_are_the_registrys() -> None:
    """Where a docs page gives a default in passing (the checklist's ``require-clean``
    (``true``), "``max-parallel`` (default ``4``)", "input ``criteria``, default ``…``"), it is
    the registry's (or what the command computes)."""
    specs = {spec.name: spec for spec in INPUTS}
    computed = {name: default for (_, name), default in COMPUTED.items()}
    checked = set()
    for page in DOCS.values():
        given = re.findall(r"`([a-z-]+)`\s\((?:default\s)?`([^`]*)`[);]", page)
        given += re.findall(r"input `([a-z-]+)`,\sdefault\s`([^`]*)`", page)
        for name, default in given:
            if name in specs:
                assert default == (specs[name].default or computed.get(name)), name
                checked.add(name)
    assert len(checked) >= 9, checked  # the pages were read


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
        "first.yml": block("yaml", "name: apply on approval\n"),
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
