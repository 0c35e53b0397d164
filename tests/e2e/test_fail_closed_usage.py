"""Fail closed, bad input: every command, run as the runner starts it (the installed ``applygate``,
``INPUT_*`` with hyphens kept, a real event file, real GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files,
a loopback GitHub), given one bad thing at a time.

Each case must end with exit 2 and exactly one line on stderr naming what is wrong, no traceback,
and nothing done: no output or summary written, no request to GitHub, no command run (each command
is given a step, dry-run, check or criterion that would leave a marker file), the token nowhere.

Only cases not covered elsewhere are here: the invalid values of each input type, one command at a
time, are in tests/unit/test_inputs.py and tests/commands/ (in-process); the approve command line
in tests/e2e/test_approve_cli.py; the criteria file's schema in tests/unit/test_criteria.py.
The cases run concurrently (each is a separate process in its own directory), then each is judged.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tests.support.cli import APPLYGATE
from tests.support.fake_github import FakeGitHub, json_of

SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"
TOKEN = "ghs_failClosedUsageToken42"
NOT_UTF8 = "\udcff"  # how Python holds the byte 0xff of an argument or variable (surrogateescape)
MARKER = "ran"  # a file that appears in the case directory if anything was run
COMMANDS = ("approve", "preflight", "fingerprint", "verify", "execute", "rollback")


@dataclass(frozen=True)
class Case:
    id: str
    argv: tuple[str, ...]  # after "applygate"; the command is always the first word
    says: str  # in the one line on stderr
    env: Mapping[str, str | None] = field(default_factory=dict)  # None: unset it
    files: Mapping[str, str | bytes] = field(default_factory=dict)  # in the workspace


def marker(case_dir: Path) -> str:
    return str(case_dir / MARKER)


def inputs_of(command: str, case_dir: Path) -> dict[str, str]:
    """Valid inputs for ``command``, each of which would run something that leaves the marker:
    the case then spoils one thing."""
    touch = f"touch {marker(case_dir)}"
    return {
        "approve": {"INPUT_OPERATION": "terraform apply prod/vpc"},
        "preflight": {"INPUT_CREDENTIALS-CHECK": touch, "INPUT_STEPS": "kubectl apply -f k8s/"},
        "fingerprint": {"INPUT_DRY-RUN": touch},
        "verify": {"INPUT_CRITERIA": "verify.yml"},
        "execute": {"INPUT_STEPS": touch, "INPUT_REQUIRE-CLEAN": "false"},
        "rollback": {"INPUT_BRANCH": "main"},
    }[command]


CRITERIA = "version: 1\ncriteria:\n  - name: marker\n    run: touch {marker}\n"


def generic(command: str) -> list[Case]:
    """What every command must refuse the same way."""
    spoilt_input = {
        "approve": "INPUT_OPERATION",
        "preflight": "INPUT_STEPS",
        "fingerprint": "INPUT_DRY-RUN",
        "verify": "INPUT_ROLLBACK-STATUS",
        "execute": "INPUT_STEPS",
        "rollback": "INPUT_GIT-USER-NAME",
    }[command]
    name = spoilt_input.removeprefix("INPUT_").lower()
    return [
        *command_line(command),
        Case(
            "input not UTF-8",
            (command,),
            f"invalid input {name}: not UTF-8 text",
            {spoilt_input: f"x {NOT_UTF8}"},
        ),
        Case(
            "token with a space",
            (command,),
            "invalid input token: not a token",
            {"INPUT_TOKEN": f"{TOKEN} x"},
        ),
        Case(
            "GITHUB_TOKEN not ASCII",
            (command,),
            "GITHUB_TOKEN: not a token",
            {"INPUT_TOKEN": None, "GITHUB_TOKEN": f"{TOKEN}é"},
        ),
        Case(
            "GITHUB_OUTPUT is a directory",
            (command,),
            "GITHUB_OUTPUT {dir}/outputs-dir: cannot be written (Is a directory)",
            {"GITHUB_OUTPUT": "{dir}/outputs-dir"},
        ),
        Case(
            "GITHUB_OUTPUT empty in Actions",
            (command,),
            "GITHUB_OUTPUT is not set (in GitHub Actions)",
            {"GITHUB_OUTPUT": ""},
        ),
        Case(
            "GITHUB_STEP_SUMMARY in a missing directory",
            (command,),
            "GITHUB_STEP_SUMMARY {dir}/nowhere/summary: cannot be written (No such file or",
            {"GITHUB_STEP_SUMMARY": "{dir}/nowhere/summary"},
        ),
        Case(
            "GITHUB_API_URL not a URL",
            (command,),
            "GITHUB_API_URL: 'ftp://ghe.example.com' is not an http(s) URL with a host",
            {"GITHUB_API_URL": "ftp://ghe.example.com"},
        ),
        Case(
            "GITHUB_API_URL port out of range",
            (command,),
            "GITHUB_API_URL: 'http://127.0.0.1:99999' is not a URL",
            {"GITHUB_API_URL": "http://127.0.0.1:99999"},
        ),
        *events(command),
    ]


def events(command: str) -> list[Case]:
    return [
        Case(
            "event file missing",
            (command,),
            "(GITHUB_EVENT_PATH): cannot be read (No such file or directory)",
            {"GITHUB_EVENT_PATH": "{dir}/absent.json"},
        ),
        Case(
            "event file a JSON list",
            (command,),
            "(GITHUB_EVENT_PATH): the payload is not a JSON object",
            {"GITHUB_EVENT_PATH": "{dir}/event-list.json"},
        ),
        Case(
            "event file nested too deeply",
            (command,),
            "(GITHUB_EVENT_PATH): not valid JSON (nested too deeply)",
            {"GITHUB_EVENT_PATH": "{dir}/event-deep.json"},
        ),
    ]


def command_line(command: str) -> list[Case]:
    """Each command parses its own flags the same way: each of these cases runs for two or three
    of the commands, to keep the module fast (tests/e2e/test_strict_cli.py runs all of them)."""
    cases = [
        Case("unknown flag", (command, "--no-such-input", "x"), f"{command}: unknown flag"),
        Case("flag without a value", (command, "--sha"), "argument --sha: expected one argument"),
        Case("flag given twice", (command, "--sha", SHA, "--sha", SHA), "--sha: given twice"),
    ]
    return [cases[COMMANDS.index(command) % 3]]


def publishing(command: str) -> list[Case]:
    """The publishing inputs and knobs: every command publishes."""
    return [
        Case(
            "publish not a choice",
            (command, "--publish", "status"),
            "invalid input publish: 'status' is not one of commit-status, check-run, none",
        ),
        Case(
            "API retry budget not a number",
            (command,),
            "APPLYGATE_API_RETRY_SECONDS: 'soon' is not a number of seconds",
            {"APPLYGATE_API_RETRY_SECONDS": "soon"},
        ),
        Case(
            "API timeout under a second",
            (command,),
            "APPLYGATE_API_TIMEOUT_SECONDS: 0.5 is less than 1",
            {"APPLYGATE_API_TIMEOUT_SECONDS": "0.5"},
        ),
        Case(
            "API timeout infinite",
            (command,),
            "APPLYGATE_API_TIMEOUT_SECONDS: '1e400' is not a number of seconds",
            {"APPLYGATE_API_TIMEOUT_SECONDS": "1e400"},
        ),
        Case(
            "API retry budget nan",
            (command,),
            "APPLYGATE_API_RETRY_SECONDS: 'nan' is not a number of seconds",
            {"APPLYGATE_API_RETRY_SECONDS": "nan"},
        ),
        Case(
            "API retry budget over an hour",
            (command,),
            "APPLYGATE_API_RETRY_SECONDS: 86400 is more than an hour",
            {"APPLYGATE_API_RETRY_SECONDS": "86400"},
        ),
    ]


def git_config(command: str) -> Case:
    return Case(
        "GIT_CONFIG_COUNT not a number",
        (command,),
        "GIT_CONFIG_COUNT: 'two' is not a number",
        {"GIT_CONFIG_COUNT": "two"},
    )


SPECIFIC: dict[str, list[Case]] = {
    "approve": [
        Case("pr-number a superscript digit", ("approve", "--pr-number", "²"), "pr-number"),
        Case(
            "min-approvals of 5000 digits",
            ("approve", "--min-approvals", "9" * 5000),
            "invalid input min-approvals",
        ),
        Case("allow-forks not a boolean", ("approve", "--allow-forks", "on"), "allow-forks"),
        Case("operation missing", ("approve",), "operation is required", {"INPUT_OPERATION": ""}),
        Case("words after --", ("approve", "--", "terraform"), "approve takes no command"),
        Case(
            "GITHUB_REPOSITORY not owner/name",
            ("approve",),
            "GITHUB_REPOSITORY must be owner/name (octo-no-slash)",
            {"GITHUB_REPOSITORY": "octo-no-slash"},
        ),
        Case(
            "issue_comment event whose comment is null",
            ("approve",),
            "'comment' is missing or not an object",
            {"GITHUB_EVENT_NAME": "issue_comment", "GITHUB_EVENT_PATH": "{dir}/comment-null.json"},
        ),
        Case(
            "pull_request event whose number is a string",
            ("approve",),
            "pull_request: 'number' is missing or not an integer",
            {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": "{dir}/number-string.json"},
        ),
        Case(
            "event file not UTF-8",
            ("approve",),
            "(GITHUB_EVENT_PATH): not valid JSON ('utf-8' codec can't decode byte 0xe9",
            {"GITHUB_EVENT_PATH": "{dir}/event-latin1.json"},
        ),
        Case(
            "event file a directory",
            ("approve",),
            "(GITHUB_EVENT_PATH): cannot be read (Is a directory)",
            {"GITHUB_EVENT_PATH": "{dir}"},
        ),
    ],
    "preflight": [
        Case("require-up-to-date 1", ("preflight", "--require-up-to-date", "1"), "up-to-date"),
        Case("command-timeout zero", ("preflight", "--command-timeout", "0s"), "command-timeout"),
        Case("mask not a name", ("preflight", "--mask", "API KEY"), "invalid input mask"),
        Case(
            "rules file a directory",
            ("preflight", "--noninteractive-rules", "rules"),
            "input noninteractive-rules: rules cannot be read (not a regular file)",
            files={"rules/.keep": ""},
        ),
        Case(
            "rules file not UTF-8",
            ("preflight", "--noninteractive-rules", "rules.yml"),
            "input noninteractive-rules: rules.yml cannot be read ('utf-8' codec",
            files={"rules.yml": b"rules:\n  - {program: \xff, require-any: []}\n"},
        ),
        Case(
            "rules file a YAML list",
            ("preflight", "--noninteractive-rules", "rules.yml"),
            "rules.yml: expected a mapping with one key, 'rules'",
            files={"rules.yml": "- program: helm\n"},
        ),
        Case(
            "rules file nested too deeply",
            ("preflight", "--noninteractive-rules", "rules.yml"),
            "rules.yml: not valid YAML (nested too deeply)",
            files={"rules.yml": "rules: " + "[" * 50_000 + "]" * 50_000 + "\n"},
        ),
        git_config("preflight"),
    ],
    "fingerprint": [
        Case(
            "command after -- not UTF-8",
            ("fingerprint", "--", f"echo {NOT_UTF8}"),
            "the command after '--' is not UTF-8 text",
            {"INPUT_DRY-RUN": ""},
        ),
        Case(
            "command-timeout in exponent form",
            ("fingerprint", "--command-timeout", "1e3s"),
            "invalid input command-timeout: '1e3s' is not a duration",
        ),
    ],
    "verify": [
        Case(
            "criteria a directory",
            ("verify", "--criteria", "checks"),
            "input criteria: checks cannot be read (not a regular file)",
            files={"checks/.keep": ""},
        ),
        Case(
            "criteria not UTF-8",
            ("verify",),
            "input criteria: verify.yml cannot be read ('utf-8' codec",
            files={"verify.yml": b"version: 1\ncriteria:\n  - name: caf\xe9\n    run: 'true'\n"},
        ),
        Case(
            "criteria broken YAML",
            ("verify",),
            "verify.yml: not valid YAML",
            files={"verify.yml": "version: 1\ncriteria: [\n"},
        ),
        Case(
            "criteria a YAML list",
            ("verify",),
            "verify.yml: must be a mapping with keys version and criteria",
            files={"verify.yml": "- name: a\n  run: 'true'\n"},
        ),
        Case(
            "criteria nested too deeply",
            ("verify",),
            "verify.yml: not valid YAML: nested too deeply",
            files={"verify.yml": "version: 1\ncriteria: " + "[" * 50_000 + "]" * 50_000 + "\n"},
        ),
        Case("max-parallel a superscript", ("verify", "--max-parallel", "²"), "max-parallel"),
        Case("sha not a full SHA", ("verify", "--sha", "HEAD"), "'HEAD' is not a full commit SHA"),
    ],
    "execute": [
        Case("retries of 5000 digits", ("execute", "--retries", "1" * 5000), "input retries"),
        Case("retry-interval without a unit", ("execute", "--retry-interval", "10"), "interval"),
        Case("step-timeout negative", ("execute", "--step-timeout", "-1s"), "step-timeout"),
        Case("rollback not a choice", ("execute", "--rollback", "git-reset"), "input rollback"),
        Case("steps without rollback-steps", ("execute", "--rollback", "steps"), "rollback-steps"),
        Case(
            "redeploy without rollback-sha", ("execute", "--rollback", "redeploy"), "rollback-sha"
        ),
        Case(
            "rollback-sha not a sha",
            ("execute", "--rollback", "redeploy", "--rollback-sha", "main~1"),
            "input rollback-sha",
        ),
        Case("rollback-steps unread", ("execute", "--rollback-steps", "undo"), "rollback-steps"),
        Case(
            "rollback-criteria unread",
            ("execute", "--rollback-criteria", "v.yml"),
            "rollback: none",
        ),
        Case(
            "rollback-criteria missing",
            ("execute", "--rollback", "steps", "--rollback-steps", "u", "--rollback-criteria", "n"),
            "input rollback-criteria",
        ),
        Case("max-parallel zero", ("execute", "--max-parallel", "0"), "input max-parallel"),
        Case(
            "approval-evidence not JSON",
            ("execute", "--environment", "production", "--approval-evidence", "[{alice}]"),
            "invalid input approval-evidence: not JSON",
        ),
        Case(
            "approval-evidence not a list",
            ("execute", "--environment", "production", "--approval-evidence", '{"login": "a"}'),
            "invalid input approval-evidence: a JSON list of approvals is expected, not dict",
        ),
        Case(
            "approval-evidence an entry of the wrong shape",
            ("execute", "--environment", "production", "--approval-evidence", '[{"login": "a"}]'),
            "invalid input approval-evidence: entry 1: an object with exactly source, login",
        ),
        Case(
            "approval-evidence without environment",
            (
                "execute",
                "--approval-evidence",
                json.dumps([{"source": "pr-review", "login": "a", "ref": "", "sha": SHA}]),
            ),
            "input approval-evidence is only read with environment",
        ),
        Case(
            "criteria a directory",
            ("execute", "--criteria", "checks"),
            "input criteria: checks cannot be read (not a regular file)",
            files={"checks/.keep": ""},
        ),
        git_config("execute"),
    ],
    "rollback": [
        Case("sha a revision, not a SHA", ("rollback", "--sha", "HEAD~1"), "input sha"),
        Case("remote with a space", ("rollback", "--remote", "my origin"), "input remote"),
        Case("git-user-email not an email", ("rollback", "--git-user-email", "bot"), "email"),
        git_config("rollback"),
    ],
}

CASES = [
    case
    for command in COMMANDS
    for case in (generic(command) + publishing(command) + SPECIFIC[command])
]
IDS = [f"{case.argv[0]}: {case.id}" for case in CASES]


@dataclass(frozen=True)
class Result:
    case_dir: Path
    repository: str
    code: int
    stdout: str
    stderr: str
    outputs: str
    summary: str


def prepare(case: Case, number: int, root: Path, api_url: str) -> tuple[list[str], dict[str, str]]:
    case_dir = root / f"case-{number}"
    work = case_dir / "work"
    (case_dir / "outputs-dir").mkdir(parents=True)
    work.mkdir()
    (work / "verify.yml").write_text(CRITERIA.format(marker=marker(case_dir)))
    for name, content in case.files.items():
        path = work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    events = {
        "event.json": json_of("events/workflow_dispatch.json"),
        "event-list.json": [],
        "comment-null.json": {"issue": {"number": 7, "pull_request": {}}, "comment": None},
        "number-string.json": {"pull_request": {"number": "7"}},
    }
    for name, payload in events.items():
        (case_dir / name).write_text(json.dumps(payload))
    (case_dir / "event-latin1.json").write_bytes(b'{"ref": "caf\xe9"}')
    (case_dir / "event-deep.json").write_text('{"a":' * 100_000 + "1" + "}" * 100_000)
    (case_dir / "outputs").write_text("")
    (case_dir / "summary").write_text("")
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(work),
        "GITHUB_OUTPUT": str(case_dir / "outputs"),
        "GITHUB_STEP_SUMMARY": str(case_dir / "summary"),
        "GITHUB_EVENT_NAME": "workflow_dispatch",
        "GITHUB_EVENT_PATH": str(case_dir / "event.json"),
        "GITHUB_REPOSITORY": f"octo/case-{number}",
        "GITHUB_API_URL": api_url,
        "GITHUB_RUN_ID": "30433642",
        "GITHUB_SHA": SHA,
        "GITHUB_REF": "refs/heads/main",
        "GITHUB_REF_NAME": "main",
        "RUNNER_TEMP": str(case_dir),
        "INPUT_TOKEN": TOKEN,
        "APPLYGATE_API_RETRY_SECONDS": "0",
        "APPLYGATE_API_TIMEOUT_SECONDS": "1",
        "APPLYGATE_WRITE_INTERVAL_SECONDS": "0",
        **inputs_of(case.argv[0], case_dir),
    }
    for name, value in case.env.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value.replace("{dir}", str(case_dir))
    return [APPLYGATE, *case.argv], env


def run_case(case: Case, number: int, root: Path, api_url: str) -> Result:
    argv, env = prepare(case, number, root, api_url)
    done = subprocess.run(
        argv,
        cwd=env["GITHUB_WORKSPACE"],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    case_dir = root / f"case-{number}"
    return Result(
        case_dir=case_dir,
        repository=env.get("GITHUB_REPOSITORY", ""),
        code=done.returncode,
        stdout=done.stdout.decode("utf-8", "replace"),
        stderr=done.stderr.decode("utf-8", "replace"),
        outputs=(case_dir / "outputs").read_text(),
        summary=(case_dir / "summary").read_text(),
    )


@pytest.fixture(scope="module")
def api() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        yield server


@pytest.fixture(scope="module")
def results(api: FakeGitHub, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    """Every case, run four at a time: each is its own process in its own directory."""
    root = tmp_path_factory.mktemp("usage")
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            name: pool.submit(run_case, case, number, root, api.url)
            for number, (name, case) in enumerate(zip(IDS, CASES, strict=True))
        }
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_bad_input_is_exit_2_with_one_line_and_nothing_done(
    case: Case, results: dict[str, Result], api: FakeGitHub
) -> None:
    result = results[f"{case.argv[0]}: {case.id}"]
    says = case.says.replace("{dir}", str(result.case_dir))
    assert result.code == 2, result.stdout + result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("applygate: error: ")
    assert says in line
    everything = result.stdout + result.stderr + result.outputs + result.summary
    assert "Traceback" not in everything
    assert TOKEN not in everything.replace(f"::add-mask::{TOKEN}", "")
    assert (result.outputs, result.summary) == ("", "")
    assert not (result.case_dir / MARKER).exists(), "something ran"
    assert not [r.path for r in api.requests if r.path.startswith(f"/repos/{result.repository}/")]


def test_every_command_has_its_cases() -> None:
    """The table covers the six commands, each with the attacks every command must refuse."""
    by_command = {command: {c.id for c in CASES if c.argv[0] == command} for command in COMMANDS}
    flags = {case.id for command in COMMANDS for case in command_line(command)}
    common = {case.id for case in generic("fingerprint")} - flags
    for command, names in by_command.items():
        assert common <= names, command
    assert flags == {"unknown flag", "flag without a value", "flag given twice"}
    assert len(IDS) == len(set(IDS))
