"""The container test: build the action's image and run it as the GitHub runner would.

    .venv/bin/python -m tests.container      (as root, from the repository root)

Needs buildah and debootstrap (``.ci/container-test`` installs them, then runs this). Prints each
stage with its time and each case with its verdict; exits 1 when any case fails. pytest does not
collect it: it builds an image (a minute or two on a cold cache).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from delivery.resolve_image import GENERATED
from tests.container.action_run import ActionRunner
from tests.container.base_image import base_image
from tests.container.scenarios import CASES, Case, Fixture, GitCase, LockCase

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")
ARGS = ["${{ inputs.command }}"]  # the written action's args; ActionRunner passes them evaluated
IMAGE = os.environ.get("APPLYGATE_TEST_IMAGE", "localhost/applygate:container-test")


def timed(label: str, action: Callable[[], T]) -> T:
    start = time.monotonic()
    print(f"--> {label}", flush=True)
    value = action()
    print(f"    {label}: {time.monotonic() - start:.1f} s", flush=True)
    return value


def image_id(name: str) -> str:
    found = subprocess.run(["buildah", "images", "-q", name], capture_output=True, text=True)
    return found.stdout.strip() if found.returncode == 0 else ""


def resolved_dockerfile(scratch: Path) -> Path:
    """What action.yml's first step writes for a branch ref: a Docker action on our Dockerfile.

    (A release ref resolves to the published image instead: tests/test_delivery.py; there is no
    registry here.) The image this test builds is then the one that written action names.
    """
    env = {
        **os.environ,
        "ACTION_PATH": str(ROOT),
        "ACTION_REPOSITORY": "applygate/applygate",
        "ACTION_REF": "container-test",
        "GITHUB_WORKSPACE": str(scratch),
    }
    script = [sys.executable, str(ROOT / "delivery" / "resolve_image.py")]
    done = subprocess.run(script, env=env, capture_output=True, text=True, check=True)
    print(f"    {done.stdout.strip()}")
    written = json.loads((scratch / GENERATED / "action.yml").read_text())
    if written["runs"] != {"using": "docker", "image": str(ROOT / "Dockerfile"), "args": ARGS}:
        raise SystemExit(f"action.yml would not build our Dockerfile: {written['runs']}")
    return Path(written["runs"]["image"])


def build(base: str, dockerfile: Path) -> str:
    """``buildah bud`` the Dockerfile action.yml names, on ``base``; its log is shown on failure.

    The image the previous run left under the same name is removed, so runs do not pile up images.
    """
    previous = image_id(IMAGE)
    argv = ["buildah", "bud", "--isolation", "chroot", "--layers=false"]
    argv += ["--build-arg", f"BASE_IMAGE={base}", "-t", IMAGE, "-f", str(dockerfile)]
    argv += [str(dockerfile.parent)]  # the runner's build context: the action's directory
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-6000:] + done.stderr[-4000:])
        raise SystemExit(f"buildah bud failed (exit {done.returncode})")
    if previous and previous != image_id(IMAGE):
        subprocess.run(["buildah", "rmi", previous], capture_output=True, check=False)
    return IMAGE


def run_case(
    case: Case | GitCase | LockCase, runner: ActionRunner, fixture: Fixture, known: list[str]
) -> str:
    if case.command and case.command not in known:
        return f"FAIL  {case.name}: the image has no `{case.command}` command"
    problems, seconds = case.check(runner, fixture)
    verdict = "FAIL" if problems else "ok  "
    lines = [f"{verdict}  {case.name} ({seconds:.2f} s)"]
    lines += [f"        {problem}" for problem in problems]
    return "\n".join(lines)


def run_cases(image: str) -> list[str]:
    with (
        tempfile.TemporaryDirectory(prefix="applygate-container-") as scratch,
        Fixture(Path(scratch)) as fixture,
    ):
        runner = ActionRunner(image, Path(scratch), fixture.mounts())
        known = runner.commands()
        print(f"--> the image's entrypoint {runner.entry} knows: {' '.join(known)}")
        return [run_case(case, runner, fixture, known) for case in CASES]


def main() -> int:
    if os.geteuid() != 0:
        print("the container test needs root (buildah chroot builds)", file=sys.stderr)
        return 2
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="applygate-resolve-") as scratch:
        dockerfile = timed(
            "action.yml for a branch ref", lambda: resolved_dockerfile(Path(scratch))
        )
    base = timed("base image (debootstrap, cached)", lambda: base_image(os.environ.get("PIP_CERT")))
    image = timed("buildah bud the Dockerfile", lambda: build(base, dockerfile))
    report = timed("run the cases", lambda: run_cases(image))
    print("\n".join(report))
    failed = sum(line.startswith("FAIL") for line in report)
    seconds = time.monotonic() - start
    print(f"container test: {len(report)} cases, {failed} failed, {seconds:.0f} s in all")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
