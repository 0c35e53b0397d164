"""The container test: build the action's image and run it as the GitHub runner would.

    python -m tests.container.run_container_test      (as root, from the repository root)

Needs buildah and debootstrap (``.ci/container-test`` installs them). Prints each step with its
time; exits non-zero when any case fails. Not collected by pytest (the name has no ``test_``
prefix): it takes a minute or two, and ``.ci/run`` runs it through ``.ci/container-test``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.container.action_run import ActionRunner
from tests.container.base_image import base_image
from tests.container.scenarios import CASES, Case, Fixture

ROOT = Path(__file__).resolve().parents[2]
IMAGE = "localhost/applygate:container-test"


def timed(label: str, action: Callable[[], str]) -> str:
    start = time.monotonic()
    print(f"--> {label}", flush=True)
    value = action()
    print(f"    {label}: {time.monotonic() - start:.1f} s", flush=True)
    return value


def build(base: str) -> str:
    argv = ["buildah", "bud", "--isolation", "chroot", "--layers=false", "--quiet"]
    argv += ["--build-arg", f"BASE_IMAGE={base}", "-t", IMAGE, str(ROOT)]
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return IMAGE


def run_case(case: Case, runner: ActionRunner, fixture: Fixture, known: list[str]) -> str:
    if case.command not in known:
        return f"SKIP  {case.name}: the image has no `{case.command}` command yet"
    problems, seconds = case.check(runner, fixture)
    verdict = "FAIL" if problems else "ok  "
    lines = [f"{verdict}  {case.name} ({seconds:.2f} s)"]
    lines += [f"        {problem}" for problem in problems]
    return "\n".join(lines)


def main() -> int:
    if os.geteuid() != 0:
        print("the container test needs root (buildah chroot builds)", file=sys.stderr)
        return 2
    start = time.monotonic()
    base = timed("base image (debootstrap, cached)", lambda: base_image(os.environ.get("PIP_CERT")))
    image = timed("buildah bud the Dockerfile", lambda: build(base))
    with (
        tempfile.TemporaryDirectory(prefix="applygate-container-") as scratch,
        Fixture(Path(scratch)) as fixture,
    ):
        runner = ActionRunner(image, Path(scratch), fixture.mounts())
        try:
            known = runner.commands()
            print(f"--> the image knows: {' '.join(known)}", flush=True)
            report = [run_case(case, runner, fixture, known) for case in CASES]
        finally:
            runner.close()
    print("\n".join(report))
    failed = sum(line.startswith("FAIL") for line in report)
    print(f"container test: {len(report)} cases, {failed} failed, {time.monotonic() - start:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
