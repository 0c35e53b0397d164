"""Reports land where later steps of the job can open them: on the runner and in the action."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pytest

from applygate.adapters import report_file
from applygate.adapters.report_file import Place, place
from applygate.adapters.runner import Runner

ACTION = {"GITHUB_WORKSPACE": "/github/workspace", "RUNNER_WORKSPACE": "/home/runner/work/infra"}


@pytest.mark.parametrize(
    ("environ", "dirs", "expected"),
    [
        # a step on the runner (or a local run with RUNNER_TEMP)
        (
            {"RUNNER_TEMP": "/home/runner/work/_temp"},
            set(),
            Place(*["/home/runner/work/_temp"] * 2),
        ),
        # the Docker action, RUNNER_TEMP passed as the runner's path: via /github/home
        (
            {**ACTION, "RUNNER_TEMP": "/home/runner/work/_temp"},
            {"/github/home"},
            Place("/github/home", "/home/runner/work/_temp/_github_home"),
        ),
        # the Docker action on a runner that maps RUNNER_TEMP
        (
            {**ACTION, "RUNNER_TEMP": "/github/runner_temp"},
            {"/github/home", "/github/runner_temp"},
            Place("/github/runner_temp", "/home/runner/work/_temp"),
        ),
        # mapped, and no RUNNER_WORKSPACE to tell the runner's path: the container's path
        (
            {"GITHUB_WORKSPACE": "/github/workspace", "RUNNER_TEMP": "/github/runner_temp"},
            {"/github/home", "/github/runner_temp"},
            Place(*["/github/runner_temp"] * 2),
        ),
        # a workspace called /github/workspace without the action's mounts is not the action
        ({**ACTION, "RUNNER_TEMP": "/t"}, set(), Place("/t", "/t")),
    ],
)
def test_place(environ: dict[str, str], dirs: set[str], expected: Place) -> None:
    assert place(environ, dirs.__contains__) == expected


def test_without_runner_temp_the_system_temporary_directory() -> None:
    assert place({}, lambda _path: False).folder == tempfile.gettempdir()  # never the workspace


def test_each_run_writes_its_own_file(tmp_path: Path) -> None:
    environ = {"RUNNER_TEMP": str(tmp_path)}
    first = report_file.write("verify", {"n": 1}, environ)
    second = report_file.write("verify", {"n": 2}, environ)
    assert first != second
    assert Path(first).parent == tmp_path
    assert Path(first).name.startswith("applygate-verify-")
    assert [json.loads(Path(p).read_text())["n"] for p in (first, second)] == [1, 2]


def test_a_report_that_cannot_be_written_is_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    stream = io.StringIO()
    path = report_file.save("execute", {}, {"RUNNER_TEMP": str(blocker)}, Runner(stream=stream))
    assert path == ""
    assert stream.getvalue().startswith(
        "::warning title=applygate execute::the JSON report could not be written ("
    )
