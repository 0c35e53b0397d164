"""Run the image as the GitHub runner runs a Docker action, with buildah instead of docker.

The runner mounts the workspace at ``/github/workspace`` (owned by the runner's uid, not root),
the file-command directory at ``/github/file_commands``, the event at
``/github/workflow/event.json`` and ``HOME`` at ``/github/home``; it passes every input as
``INPUT_<NAME>`` with hyphens kept and the action's ``args`` after the image's ENTRYPOINT.
Through ``uses: owner/repo@ref`` the inputs include action.yml's defaults and ``args`` is
action.yml's (``${{ inputs.command }}``); through ``uses: docker://image`` only the ``with:``
entries are inputs and there are no args. ``buildah run`` ignores the ENTRYPOINT, so it is read
from the image config and run explicitly.
"""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.support.outputs import parse_outputs

from applygate.inputs.registry import INPUTS

WORKSPACE = "/github/workspace"
# The runner's directories under its RUNNER_TEMP, and where it mounts them in the container.
MOUNTED = {
    "file_commands": "_runner_file_commands",
    "workflow": "_github_workflow",
    "home": "_github_home",
}
RUNNER_UID = 1001  # the runner user on GitHub's hosted machines; root inside the container


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str
    seconds: float


def entrypoint(image: str) -> list[str]:
    """The image's ENTRYPOINT, as the runner would use it."""
    shown = subprocess.run(
        ["buildah", "inspect", "--type", "image", image], check=True, capture_output=True, text=True
    )
    found = json.loads(shown.stdout)["OCIv1"]["config"].get("Entrypoint") or []
    if not found:
        raise SystemExit(f"{image} has no ENTRYPOINT")
    return [str(word) for word in found]


def default_inputs() -> dict[str, str]:
    """action.yml's defaults as the runner passes them (expressions are the caller's to give)."""
    return {spec.name: spec.default for spec in INPUTS if "${{" not in spec.default}


class ActionRunner:
    """Runs steps of a job with ``image``: each step in a fresh container, as the runner does."""

    def __init__(self, image: str, home: Path, mounts: Mapping[str, str] | None = None) -> None:
        self.image = image
        self.home = home
        self.extra_mounts = dict(mounts or {})
        self.entry = entrypoint(image)

    def step(
        self,
        workspace: Path,
        inputs: Mapping[str, str],
        env: Mapping[str, str],
        args: Sequence[str],
        event: object = None,
    ) -> Result:
        """One step: ``inputs`` as the runner would pass them (defaults included or not)."""
        # The runner's temporary directory (RUNNER_TEMP), laid out as the runner lays it out.
        files = self.home / f"step-{uuid.uuid4().hex[:8]}"
        for sub in MOUNTED.values():
            (files / sub).mkdir(parents=True)
        (files / MOUNTED["home"]).chmod(0o777)
        (files / MOUNTED["workflow"] / "event.json").write_text(json.dumps(event or {}))
        output, summary = f"set_output_{uuid.uuid4().hex}", f"step_summary_{uuid.uuid4().hex}"
        variables = {
            **runner_variables(output, summary),
            "RUNNER_TEMP": str(files),  # the runner's path: not mounted, so absent inside
            **env,
            **{f"INPUT_{name.upper()}": value for name, value in inputs.items()},
        }
        mounts = {
            str(workspace): WORKSPACE,
            **{str(files / sub): f"/github/{name}" for name, sub in MOUNTED.items()},
            **self.extra_mounts,
        }
        start = time.monotonic()
        done = self._run([*self.entry, *args], mounts, variables)
        seconds = time.monotonic() - start
        commands = files / MOUNTED["file_commands"]
        out_file, sum_file = commands / output, commands / summary
        return Result(
            done.returncode,
            done.stdout,
            done.stderr,
            parse_outputs(out_file.read_text()) if out_file.exists() else {},
            sum_file.read_text() if sum_file.exists() else "",
            seconds,
        )

    def commands(self) -> list[str]:
        """The commands the installed applygate knows, asked of the image itself."""
        script = (
            "from applygate.inputs.registry import COMMAND_NAMES; print(' '.join(COMMAND_NAMES))"
        )
        done = self._run(["python", "-c", script], {}, {})
        if done.returncode != 0:
            raise SystemExit(f"the image cannot list its commands: {done.stderr}")
        return done.stdout.split()

    def exec(self, argv: list[str], workspace: Path) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` in a fresh container with the workspace and the extra mounts, no inputs."""
        return self._run(argv, {str(workspace): WORKSPACE, **self.extra_mounts}, {"HOME": "/root"})

    def _run(
        self, argv: list[str], mounts: Mapping[str, str], variables: Mapping[str, str]
    ) -> subprocess.CompletedProcess[str]:
        container = _out("buildah", "from", "--quiet", self.image)
        command = ["buildah", "run", "--isolation", "chroot", "--workingdir", WORKSPACE]
        for source, target in mounts.items():
            command += ["-v", f"{source}:{target}"]
        for name, value in variables.items():
            command += ["-e", f"{name}={value}"]
        try:
            return subprocess.run(
                [*command, container, "--", *argv],
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        finally:
            subprocess.run(["buildah", "rm", container], capture_output=True, check=False)


def runner_variables(output: str, summary: str) -> dict[str, str]:
    """What the runner sets for every container step, with paths as the container sees them."""
    return {
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "HOME": "/github/home",
        "GITHUB_WORKSPACE": WORKSPACE,
        "GITHUB_EVENT_PATH": "/github/workflow/event.json",
        "GITHUB_OUTPUT": f"/github/file_commands/{output}",
        "GITHUB_STEP_SUMMARY": f"/github/file_commands/{summary}",
        "RUNNER_WORKSPACE": "/home/runner/work/infra",
    }


def _out(*argv: str) -> str:
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout.strip()
