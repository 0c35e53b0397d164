"""How `uses: applygate/applygate@<ref>` gets its image (delivery/resolve_image.py and action.yml).

A release ref (a version tag, its alias or a full commit sha) runs the image published for it,
pinned by digest; any other ref, or a ref with nothing published, builds the Dockerfile, and the log
says which. The script is run as action.yml runs it, against a loopback stand-in for the registry.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from delivery.resolve_image import GENERATED, Choice, RegistryError, action_origin, choose

ROOT = Path(__file__).resolve().parents[1]
DIGEST = "sha256:" + "ab" * 32
SHA = "0123456789abcdef0123456789abcdef01234567"
PUBLISHED = {("applygate/applygate", "v0"), ("applygate/applygate", "v0.1.0"),
             ("applygate/applygate", f"sha-{SHA}")}  # fmt: skip


def published(name: str, tag: str) -> str | None:
    return DIGEST if (name, tag) in PUBLISHED else None


def unreachable(name: str, tag: str) -> str | None:
    raise RegistryError("URLError")


@pytest.mark.parametrize(
    ("repository", "ref", "image", "says"),
    [
        ("applygate/applygate", "v0", f"docker://ghcr.io/applygate/applygate@{DIGEST}", "v0"),
        ("applygate/applygate", "v0.1.0", f"docker://ghcr.io/applygate/applygate@{DIGEST}", ""),
        ("applygate/applygate", SHA, f"docker://ghcr.io/applygate/applygate@{DIGEST}", "sha-"),
        ("applygate/applygate", "main", "/a/Dockerfile", "is not a release"),
        ("applygate/applygate", "v0-rc", "/a/Dockerfile", "is not a release"),
        ("applygate/applygate", SHA[:12], "/a/Dockerfile", "is not a release"),  # a short sha
        ("applygate/applygate", "v9", "/a/Dockerfile", "no image is published"),
        ("bob/applygate", "v0", "/a/Dockerfile", "no image is published"),  # a fork
        ("", "", "/a/Dockerfile", "a local action"),
    ],
)
def test_a_release_ref_runs_its_image_any_other_builds(
    repository: str, ref: str, image: str, says: str
) -> None:
    choice = choose(repository, ref, "/a/Dockerfile", published)
    assert choice.image == image
    assert says in choice.message
    assert not choice.warning


def test_a_registry_that_cannot_be_asked_builds_with_a_warning() -> None:
    choice = choose("applygate/applygate", "v0", "/a/Dockerfile", unreachable)
    assert choice == Choice(
        "/a/Dockerfile",
        "applygate: could not ask ghcr.io for ghcr.io/applygate/applygate:v0 (URLError): "
        "building the image from /a/Dockerfile",
        warning=True,
    )


@pytest.mark.parametrize(
    ("path", "repository", "ref", "expected"),
    [
        ("/w/_actions/applygate/applygate/v0", "", "", ("applygate/applygate", "v0")),
        ("/w/_actions/bob/applygate/release/v1", "", "", ("bob/applygate", "release/v1")),
        ("/w/_actions/x/y/v1", "applygate/applygate", "v0", ("applygate/applygate", "v0")),
        ("/home/runner/work/infra/infra", "", "", ("", "")),  # uses: ./
    ],
)
def test_the_action_origin_falls_back_to_the_runner_download_path(
    path: str, repository: str, ref: str, expected: tuple[str, str]
) -> None:
    assert action_origin(path, repository, ref) == expected


class Registry(BaseHTTPRequestHandler):
    """The two requests a pull starts with: an anonymous token, then the manifest's digest."""

    def do_GET(self) -> None:
        assert self.path.startswith("/token?scope=repository%3A")
        self._answer(200, json.dumps({"token": "anonymous"}).encode(), {})

    def do_HEAD(self) -> None:
        assert self.headers["Authorization"] == "Bearer anonymous"
        assert "application/vnd.oci.image.index.v1+json" in self.headers["Accept"]
        _, _, name_a, name_b, _, tag = self.path.split("/")
        if (f"{name_a}/{name_b}", tag) in PUBLISHED:
            self._answer(200, b"", {"Docker-Content-Digest": DIGEST})
        else:
            self._answer(404, b"", {})

    def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def registry() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Registry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def resolve(workspace: Path, api: str, action_path: Path) -> tuple[str, dict[str, object]]:
    """Run the script as action.yml's first step does; its log and the action it wrote."""
    env = {
        **os.environ,
        "ACTION_PATH": str(action_path),
        "ACTION_REPOSITORY": "",  # as inside a composite action: read from the path
        "ACTION_REF": "",
        "GITHUB_WORKSPACE": str(workspace),
    }
    argv = [sys.executable, str(ROOT / "delivery" / "resolve_image.py"), "--registry-api", api]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=True)
    written = yaml.safe_load((workspace / GENERATED / "action.yml").read_text())
    return done.stdout, written


@pytest.mark.parametrize(
    ("ref", "pulled"),
    [("v0", True), ("v0.1.0", True), (SHA, True), ("main", False), ("v7", False)],
)
def test_action_yml_resolves_a_release_ref_to_its_image_and_another_to_the_dockerfile(
    tmp_path: Path, registry: str, ref: str, pulled: bool
) -> None:
    # The runner downloads `uses: applygate/applygate@<ref>` to _actions/applygate/applygate/<ref>.
    action_path = tmp_path / "_actions" / "applygate" / "applygate" / ref
    (action_path / "delivery").mkdir(parents=True)
    template = ROOT / "delivery" / "docker-action.json"
    (action_path / "delivery" / "docker-action.json").write_text(template.read_text())
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    log, written = resolve(workspace, registry, action_path)
    runs = written["runs"]
    assert isinstance(runs, dict)
    if pulled:
        assert runs["image"] == f"docker://ghcr.io/applygate/applygate@{DIGEST}"
        assert f"pinned as ghcr.io/applygate/applygate@{DIGEST}" in log
    else:
        assert runs["image"] == str(action_path / "Dockerfile")
        assert "building the image from" in log
    assert runs["args"] == ["${{ inputs.command }}"]
    assert written["inputs"] == json.loads(template.read_text())["inputs"]


def test_the_generated_action_is_invisible_to_the_clean_check(
    tmp_path: Path, registry: str
) -> None:
    # preflight's require-clean lists untracked files; the action written into the workspace must
    # not be one of them, even in a repository with no .gitignore of its own.
    env = {**os.environ, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", str(tmp_path / "ws")], env=env, check=True)
    resolve(tmp_path / "ws", registry, ROOT)
    assert (tmp_path / "ws" / GENERATED / "action.yml").is_file()
    for argv in (
        ["git", "status", "--porcelain=v1", "--untracked-files=all"],
        ["git", "ls-files", "--others", "--exclude-per-directory=.gitignore", ":/"],
    ):
        done = subprocess.run(argv, cwd=tmp_path / "ws", env=env, capture_output=True, text=True)
        assert done.returncode == 0
        assert done.stdout == "", argv
