"""Which image `uses: applygate/applygate@<ref>` runs: the one published for it, or the Dockerfile.

Run by action.yml's first step on the runner, with the runner's own python3 (standard library only).
A Docker action's `runs.image` cannot hold an expression, so action.yml is a composite action that
writes a Docker action here (from delivery/docker-action.json, made by tools/action_yml.py) and then
runs it by its path in the workspace, as pypa/gh-action-pypi-publish does. Unlike that action it:

- pins the image by digest: the ref's tag is resolved once, here, and the step pulls that digest;
- looks the tag up instead of assuming it: a fork, a branch or a release whose image is missing
  builds the Dockerfile, and the log says which and why;
- serves a full commit sha too (the release also tags the image `sha-<commit>`), so the pinning
  GitHub recommends for third-party actions pulls rather than builds.

    python3 delivery/resolve_image.py [--registry-api URL]

Environment: ACTION_PATH, ACTION_REPOSITORY, ACTION_REF (the `github.action_*` context, which can be
empty inside a composite action: then they are read from ACTION_PATH), GITHUB_WORKSPACE.
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REGISTRY = "ghcr.io"
# Where the generated action is written, relative to the workspace: `uses:` in action.yml names it
# (it cannot hold an expression either). Its `.gitignore` hides it from `git status`, so preflight's
# clean check does not see it; action.yml's last step removes it.
GENERATED = ".github/.tmp/.generated-actions/applygate"
RELEASE = re.compile(r"v\d+(\.\d+){0,2}")
COMMIT = re.compile(r"[0-9a-f]{40}")
MANIFESTS = ", ".join(
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]
)


class RegistryError(Exception):
    """The registry could not be asked (network, TLS, an unexpected answer)."""


@dataclass(frozen=True)
class Choice:
    image: str  # `docker://…@sha256:…`, or the Dockerfile's absolute path
    message: str  # one line for the log
    warning: bool = False


def action_origin(path: str, repository: str, ref: str) -> tuple[str, str]:
    """The action's repository and ref: from the context, else from the runner's download path
    (`…/_actions/<owner>/<repo>/<ref>`, the ref possibly with slashes)."""
    if repository and ref:
        return repository, ref
    parts = Path(path).parts
    if "_actions" in parts:
        at = len(parts) - 1 - parts[::-1].index("_actions")
        if len(parts) > at + 3:
            return f"{parts[at + 1]}/{parts[at + 2]}", "/".join(parts[at + 3 :])
    return "", ""


def published_tag(ref: str) -> str | None:
    """The image tag the release workflow publishes for this ref, or None when it publishes none."""
    if RELEASE.fullmatch(ref):
        return ref
    if COMMIT.fullmatch(ref):
        return f"sha-{ref}"
    return None


def choose(
    repository: str, ref: str, dockerfile: str, digest_of: Callable[[str, str], str | None]
) -> Choice:
    """The image for `uses: <repository>@<ref>`; ``digest_of(name, tag)`` asks the registry."""
    build = f"building the image from {dockerfile}"
    if not repository:
        return Choice(dockerfile, f"applygate: a local action (uses: ./): {build}")
    tag = published_tag(ref)
    if tag is None:
        return Choice(dockerfile, f"applygate: {repository}@{ref} is not a release: {build}")
    name = f"{REGISTRY}/{repository.lower()}"
    try:
        digest = digest_of(repository.lower(), tag)
    except RegistryError as error:
        why = f"could not ask {REGISTRY} for {name}:{tag} ({error})"
        return Choice(dockerfile, f"applygate: {why}: {build}", warning=True)
    if digest is None:
        why = f"no image is published for {repository}@{ref} ({name}:{tag}: not found or private)"
        return Choice(dockerfile, f"applygate: {why}: {build}")
    image = f"{name}@{digest}"
    return Choice(f"docker://{image}", f"applygate: running {name}:{tag}, pinned as {image}")


def registry_digest(api: str) -> Callable[[str, str], str | None]:
    """``digest_of`` for a registry's HTTP API: an anonymous pull token, then the manifest's
    digest (HEAD); None when the tag does not exist."""

    def digest_of(name: str, tag: str) -> str | None:
        scope = urllib.parse.quote(f"repository:{name}:pull")
        try:
            token = json.loads(_get(f"{api}/token?scope={scope}", {}, "GET")[1])["token"]
            headers = {"Authorization": f"Bearer {token}", "Accept": MANIFESTS}
            status, _, digest = _get(f"{api}/v2/{name}/manifests/{tag}", headers, "HEAD")
        except urllib.error.HTTPError as error:
            if error.code in (401, 403, 404):  # ghcr answers 403/401 for a missing repository
                return None
            raise RegistryError(f"HTTP {error.code}") from error
        except (OSError, ValueError, KeyError) as error:
            raise RegistryError(type(error).__name__) from error
        if status != 200 or not re.fullmatch(r"sha256:[0-9a-f]{64}", digest):
            raise RegistryError(f"HTTP {status}, digest {digest!r}")
        return digest

    return digest_of


def _get(url: str, headers: dict[str, str], method: str) -> tuple[int, bytes, str]:
    request = urllib.request.Request(url, headers=headers, method=method)  # noqa: S310 - https or a test's loopback
    with urllib.request.urlopen(request, timeout=20) as answer:  # noqa: S310
        return answer.status, answer.read(), answer.headers.get("Docker-Content-Digest", "")


def write_action(workspace: Path, template: Path, image: str) -> Path:
    """The Docker action that runs ``image``, at GENERATED under the workspace."""
    action = json.loads(template.read_text())
    action["runs"]["image"] = image
    folder = workspace / GENERATED
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".gitignore").write_text("*\n")
    (folder / "action.yml").write_text(json.dumps(action, indent=2) + "\n")  # JSON is YAML
    return folder


def main(argv: list[str]) -> int:
    api = (
        argv[argv.index("--registry-api") + 1]
        if "--registry-api" in argv
        else f"https://{REGISTRY}"
    )
    root = Path(os.environ["ACTION_PATH"]).resolve()
    repository, ref = action_origin(
        str(root), os.environ.get("ACTION_REPOSITORY", ""), os.environ.get("ACTION_REF", "")
    )
    choice = choose(repository, ref, str(root / "Dockerfile"), registry_digest(api))
    print(f"::warning::{choice.message}" if choice.warning else choice.message)
    write_action(
        Path(os.environ["GITHUB_WORKSPACE"]), root / "delivery" / "docker-action.json", choice.image
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
