"""Where a command's JSON report is written, and the path the job's later steps can open.

Run as a step on the runner, that is ``RUNNER_TEMP`` (kept until the job ends). Run as the Docker
action it is not so simple: the runner mounts its temporary directory's ``_github_home`` at
``/github/home`` but (unless the runner maps ``RUNNER_TEMP`` to ``/github/runner_temp``) not the
directory itself, and passes ``RUNNER_TEMP`` as the runner's path, which does not exist in the
container. So the report is written where the container can reach the runner's directory, and
the output names the file as the runner sees it.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from applygate.adapters.runner import Runner

ACTION_WORKSPACE = "/github/workspace"
ACTION_HOME = "/github/home"  # the runner's RUNNER_TEMP/_github_home
MAPPED_TEMP = "/github/runner_temp"  # the runner's RUNNER_TEMP, on runners that map it


@dataclass(frozen=True)
class Place:
    folder: str  # where to write, as this process sees it
    shown: str  # the same folder as the job's later steps see it


def place(environ: Mapping[str, str], is_dir: Callable[[str], bool] = os.path.isdir) -> Place:
    """The folder for reports; ``is_dir`` tells which folders exist here."""
    temp = environ.get("RUNNER_TEMP", "").strip()
    action = environ.get("GITHUB_WORKSPACE") == ACTION_WORKSPACE and is_dir(ACTION_HOME)
    if not action:
        folder = temp if temp else tempfile.gettempdir()
        return Place(folder, folder)
    # The runner's own path for its temporary directory: RUNNER_TEMP as passed, or, where the
    # runner maps it, <work folder>/_temp beside RUNNER_WORKSPACE (<work folder>/<repository>).
    host = temp if temp and temp != MAPPED_TEMP else ""
    workspace = environ.get("RUNNER_WORKSPACE", "").strip()
    if not host and workspace:
        host = str(PurePosixPath(workspace).parent / "_temp")
    if is_dir(MAPPED_TEMP):
        return Place(MAPPED_TEMP, host or MAPPED_TEMP)
    return Place(ACTION_HOME, f"{host}/_github_home" if host else ACTION_HOME)


def write(command: str, report: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    """Write ``report`` as ``applygate-<command>-<id>.json`` (a new file each run, so two steps
    of one job never overwrite each other's); the path as the job's later steps see it.

    Raises OSError when the file cannot be written."""
    where = place(environ)
    name = f"applygate-{command}-{uuid.uuid4().hex[:12]}.json"
    path = Path(where.folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return str(PurePosixPath(where.shown) / name)


def save(
    command: str, report: Mapping[str, Any], environ: Mapping[str, str], runner: Runner
) -> str:
    """``write``, or a warning when the file cannot be written (the result stands); the path or
    "" (the ``report`` output is then empty). Outside Actions the path is printed: nobody reads
    the output there, and the files would pile up in the temporary directory unnamed."""
    try:
        path = write(command, report, environ)
    except OSError as error:
        why = error.strerror or str(error)
        runner.annotate(
            "warning",
            f"the JSON report could not be written ({why}); the result is unchanged",
            f"applygate {command}",
        )
        return ""
    runner.note(f"report: {path}")
    return path
