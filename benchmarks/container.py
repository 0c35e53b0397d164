"""The action image's size and `applygate --version` start time, inside the image and on the host.

    .venv/bin/python benchmarks/container.py [IMAGE]      (as root, after .ci/container-test)

IMAGE defaults to the one the container test builds (localhost/applygate:container-test) on the
Debian stand-in for python:slim. Sizes: uncompressed (what `buildah images` shows, i.e. on disk
after the pull) and gzip-compressed layers (what a registry serves, i.e. what a job downloads),
split into the base's layers and the layers the Dockerfile adds. Start time: wall time of
`applygate --version` in a fresh process, timed inside the container (so the container's own start
is not counted; it is shown apart), first run and the median of the next runs; the same on the host
for the installed console script. Results: container.md.
"""

from __future__ import annotations

import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

IMAGE = sys.argv[1] if len(sys.argv) > 1 else "localhost/applygate:container-test"
RUNS = 20
HOST_APPLYGATE = Path(sys.executable).parent / "applygate"
# Run inside the container by its own Python: time each start of a fresh process.
TIMER = """
import json, subprocess, sys, time
argv = sys.argv[1:]
times = []
for _ in range({runs}):
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    times.append(time.perf_counter() - start)
print(json.dumps(times))
"""


def out(*argv: str) -> str:
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout.strip()


def mib(size: float) -> str:
    return f"{size / 2**20:.0f} MiB"


def layers(image: str) -> list[tuple[int, int]]:
    """Per layer: gzip-compressed size (what a registry serves) and uncompressed (tar) size."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "layout"
        out("buildah", "push", "--quiet", "--compression-format", "gzip", image, f"oci:{root}:b")
        blobs = root / "blobs" / "sha256"
        index = json.loads((root / "index.json").read_text())
        digest = index["manifests"][0]["digest"].split(":")[1]
        manifest = json.loads((blobs / digest).read_text())
        return [
            (int(layer["size"]), unpacked(blobs / layer["digest"].split(":")[1]))
            for layer in manifest["layers"]
        ]


def unpacked(blob: Path) -> int:
    size = 0
    with gzip.open(blob) as stream:
        while chunk := stream.read(1 << 20):
            size += len(chunk)
    return size


def inspect(image: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(out("buildah", "inspect", "--type", "image", image))
    return found


def base_layers(image: str) -> int:
    """How many of the image's layers are its base image's (buildah records the base's name)."""
    base = inspect(image)["ImageAnnotations"].get("org.opencontainers.image.base.name")
    return len(inspect(base)["OCIv1"]["rootfs"]["diff_ids"]) if base else 0


def start_times(argv: list[str]) -> tuple[float, float]:
    """First run and median of the rest, in seconds, of a fresh process running ``argv``."""
    times = json.loads(out(*argv))
    return times[0], statistics.median(times[1:])


def in_container(image: str) -> dict[str, tuple[float, float]]:
    container = out("buildah", "from", "--quiet", image)
    try:
        run = ["buildah", "run", "--isolation", "chroot", container, "--"]
        timer = ["python", "-c", TIMER.format(runs=RUNS)]
        start = time.perf_counter()
        out(*run, "true")
        container_start = time.perf_counter() - start
        return {
            "`applygate --version`": start_times([*run, *timer, "applygate", "--version"]),
            "`python -c pass` (the floor)": start_times([*run, *timer, "python", "-c", "pass"]),
            "`python -c 'import github, git, yaml'` (what lazy imports save)": start_times(
                [*run, *timer, "python", "-c", "import github, git, yaml"]
            ),
            "`buildah run` of `true` (container start)": (container_start, container_start),
        }
    finally:
        remove = ["buildah", "rm", container]
        subprocess.run(remove, capture_output=True, check=False)


def on_host() -> dict[str, tuple[float, float]]:
    timer = [sys.executable, "-c", TIMER.format(runs=RUNS)]
    return {
        "`applygate --version`": start_times([*timer, str(HOST_APPLYGATE), "--version"]),
        "`python -c pass` (the floor)": start_times([*timer, sys.executable, "-c", "pass"]),
    }


def main() -> int:
    if shutil.which("buildah") is None:
        print("needs buildah and the image from .ci/container-test", file=sys.stderr)
        return 2
    sizes = layers(IMAGE)
    base, ours = sizes[: base_layers(IMAGE)], sizes[base_layers(IMAGE) :]
    print(f"image {IMAGE}")
    for label, part in (("total", sizes), ("base", base), ("the Dockerfile's layers", ours)):
        packed, unpacked_ = sum(size for size, _ in part), sum(size for _, size in part)
        print(f"{label}: {mib(unpacked_)} uncompressed, {mib(packed)} compressed")
    for size, full in ours:
        print(f"  layer: {mib(full)} uncompressed, {mib(size)} compressed")
    for where, figures in (("container", in_container(IMAGE)), ("host", on_host())):
        for label, (first, median) in figures.items():
            print(f"{where}: {label}: first {first * 1000:.0f} ms, median {median * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
