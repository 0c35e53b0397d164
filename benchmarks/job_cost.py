"""What a job pays to get the action's image: pulling the published one, or building the Dockerfile.

    .venv/bin/python benchmarks/job_cost.py [RUNS]      (as root, after .ci/container-test)

Simulated on the container test's stand-in base (no Docker engine, no registry here):
- pulled: the gzip layers of the image the container test built (benchmarks/container.py's
  `layers`), i.e. the bytes `docker pull` downloads for `uses: applygate/applygate@<release>`;
- built: wall time of `buildah bud --layers=false` of the Dockerfile on the already-imported base,
  as a runner does for a fork or a branch (and did for every job before): apt-get installs git,
  pip downloads and installs the wheels from the index, the bytecode step runs. The base's own
  pull, which the runner adds, is not counted: it is local here.
- cold start: `buildah run` of `applygate --version` in a fresh container (container start
  included), and `--version` alone timed inside (benchmarks/container.py).
Results: container.md ("What a job pays").
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # benchmarks/container.py, and tests/container

from tests.container.__main__ import IMAGE, ROOT  # noqa: E402
from tests.container.base_image import base_image  # noqa: E402

from container import layers, mib, out  # noqa: E402

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 3


def build_seconds(base: str) -> float:
    tag = "localhost/applygate:delivery-benchmark"
    argv = ["buildah", "bud", "--isolation", "chroot", "--layers=false", "-q"]
    argv += ["--build-arg", f"BASE_IMAGE={base}", "-t", tag, str(ROOT)]
    start = time.monotonic()
    subprocess.run(argv, check=True, capture_output=True)
    seconds = time.monotonic() - start
    subprocess.run(["buildah", "rmi", tag], capture_output=True, check=False)  # noqa: S607
    return seconds


def cold_start(image: str) -> float:
    container = out("buildah", "from", "--quiet", image)
    try:
        start = time.monotonic()
        run = ["buildah", "run", "--isolation", "chroot", container, "--", "applygate", "--version"]
        subprocess.run(run, check=True, capture_output=True)
        return time.monotonic() - start
    finally:
        subprocess.run(["buildah", "rm", container], capture_output=True, check=False)  # noqa: S607


def main() -> int:
    sizes = layers(IMAGE)
    print(
        f"pulled: {mib(sum(s for s, _ in sizes))} compressed, {mib(sum(u for _, u in sizes))} "
        f"unpacked ({len(sizes)} layer(s), {IMAGE})"
    )
    starts = [cold_start(IMAGE) for _ in range(RUNS)]
    print(
        f"cold start (fresh container + applygate --version): median "
        f"{statistics.median(starts) * 1000:.0f} ms of {RUNS}"
    )
    base = base_image(os.environ.get("PIP_CERT"))  # as tests/container does
    builds = [build_seconds(base) for _ in range(RUNS)]
    print(
        f"built per job: median {statistics.median(builds):.1f} s of {RUNS} "
        f"({', '.join(f'{s:.1f}' for s in builds)})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
