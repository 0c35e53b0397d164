"""The setup sub-action (setup/action.yml): its lock matches pyproject.toml, and its install script,
run as the action runs it, makes a working `applygate` of this version with nothing unpinned and no
secret of the job's environment in sight.

The wheels come from this machine's package index (already downloaded ones are fine: pip's own
configuration points at them); the script then installs with no index at all.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import applygate

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "setup" / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^ \\]+) \\$")


def pins() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in LOCK.read_text().splitlines():
        if match := PIN.match(line):
            found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def inputs() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    build = (ROOT / "setup" / "build.in").read_text().splitlines()
    wanted = [*project["project"]["dependencies"], *project["build-system"]["requires"]]
    wanted += [line for line in build if line and not line.startswith("#")]
    return [Requirement(text) for text in wanted]


def test_the_lock_pins_every_dependency_of_pyproject_and_the_build_backend() -> None:
    pinned = pins()
    for requirement in inputs():
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is not in the lock: regenerate it (docs/development.md)"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (name, pinned[name])
    assert "applygate" not in pinned  # the action installs its own source, never the index's


def test_every_pin_has_hashes_and_the_lock_names_its_inputs() -> None:
    text = LOCK.read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9._-]+==)", text)
    for entry in entries[1:]:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]
    assert len(entries) - 1 == len(pins())
    assert "--generate-hashes" in text
    assert "--output-file=setup/requirements.lock" in text
    assert "pyproject.toml setup/build.in" in text


def test_the_action_installs_with_the_script_and_puts_it_on_path() -> None:
    action = yaml.safe_load((ROOT / "setup" / "action.yml").read_text())
    steps = action["runs"]["steps"]
    install = steps[-1]["run"]
    assert 'bash "$SOURCE/setup/install.sh" "$VENV" "$SOURCE" "$PYTHON"' in install
    assert 'echo "$VENV/bin" >> "$GITHUB_PATH"' in install
    assert steps[1]["uses"].startswith("actions/cache@")
    assert "$version" in steps[0]["run"].split("key=")[1]  # the cache is keyed by version


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This project's wheel, and the lock's wheels for this machine, in one folder."""
    folder = tmp_path_factory.mktemp("wheelhouse")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    lock = ["download", "--require-hashes", "--no-deps", "--only-binary=:all:", "-r", str(LOCK)]
    subprocess.run([*pip, *lock, "-d", str(folder)], check=True, timeout=600)
    build = ["wheel", "--no-deps", "-w", str(folder), str(ROOT)]
    subprocess.run([*pip, *build], check=True, timeout=600, capture_output=True)
    return folder


def action_source(tmp_path: Path) -> Path:
    """What the runner downloads for `uses: applygate/applygate/setup@<ref>`, as far as the
    install reads it (a copy: building writes build/ and egg-info beside the sources)."""
    source = tmp_path / "action"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("*.egg-info"))
    return source


@pytest.mark.parametrize("given", ["the action's source", "a wheel"])
def test_the_install_script_makes_this_version_offline_without_secrets(
    tmp_path: Path, wheelhouse: Path, given: str
) -> None:
    # The interpreter the script is given records the environment it is started with.
    seen = tmp_path / "environment"
    python = tmp_path / "python3"
    python.write_text(f'#!/bin/sh\nenv > "{seen}"\nexec {sys.base_prefix}/bin/python3 "$@"\n')
    python.chmod(0o755)
    if given == "a wheel":
        source = next(wheelhouse.glob("applygate-*.whl"))
    else:
        source = action_source(tmp_path)
    venv = tmp_path / "venv"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "PIP_NO_INDEX": "1",  # the lock's wheels from the folder only: nothing from an index
        "PIP_FIND_LINKS": str(wheelhouse),
        "PIP_CONFIG_FILE": os.devnull,
        "PRODUCTION_SECRET": "ghp_should_not_be_seen",
        "AWS_SECRET_ACCESS_KEY": "should-not-be-seen",
    }
    argv = ["bash", str(ROOT / "setup" / "install.sh"), str(venv), str(source), str(python)]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == f"applygate {applygate.__version__}"
    version = subprocess.run(
        [str(venv / "bin" / "applygate"), "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == f"applygate {applygate.__version__}"
    environment = seen.read_text()
    assert "should-not-be-seen" not in environment
    assert "PRODUCTION_SECRET" not in environment
    assert "PIP_FIND_LINKS" in environment  # the settings pip needs do pass
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = {canonicalize_name(line.split("==")[0]) for line in installed.splitlines()}
    assert found - {"pip"} == {*pins(), "applygate"}  # the lock's, applygate, nothing else
