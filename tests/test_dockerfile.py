"""The action's Dockerfile: hadolint clean, and shaped as GitHub runs a Docker action.

Building and running the image is the container test (``.ci/container-test``); these checks are the
cheap part that runs with the suite.
"""

from __future__ import annotations

import ast
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
    assert froms == ["${BASE_IMAGE} AS build", "${BASE_IMAGE} AS runtime", "scratch"]


def test_the_final_image_is_the_slimmed_runtime_in_one_layer() -> None:
    # Deleting files in a later layer would hide them, not shrink the download: the runtime stage
    # deletes what applygate never runs, and the last stage copies its tree into one layer.
    found = instructions()
    last = max(i for i, (kind, _) in enumerate(found) if kind == "FROM")
    final = found[last + 1 :]
    assert [kind for kind, _ in final] == ["COPY", "ENV", "ENTRYPOINT"]
    assert final[0][1] == "--from=runtime / /"
    assert "PATH=/usr/local/bin:" in final[1][1]
    assert "LANG=C.UTF-8" in final[1][1]
    slim = next(args for kind, args in found if kind == "RUN" and "ensurepip" in args)
    for gone in (
        "pip",
        "setuptools",
        "ensurepip",
        "idlelib",
        "tkinter",
        "-name test",
        "-name tests",
    ):
        assert gone in slim, gone
    assert slim.rstrip().endswith("git --version && applygate --version")  # still runs


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
    assert sources == ["setup/requirements.lock", "pyproject.toml", "README.md", "src"]
    assert [path for path in sources if ignored(path, patterns)] == []
    assert not ignored("src/applygate/cli.py", patterns)
    for generated in (".venv", ".git", "src/applygate.egg-info", "src/applygate/__pycache__"):
        assert ignored(generated, patterns), generated


def compile_step() -> str:
    """The Python code of the runtime stage's `RUN python -c '…'` that compiles bytecode."""
    runs = [args for kind, args in instructions() if kind == "RUN" and "compileall" in args]
    assert len(runs) == 1, runs
    found = re.fullmatch(r"python -c '([^']*)'", runs[0])
    assert found, runs[0]
    return found.group(1)


def imported_in_functions() -> set[str]:
    """Modules other than applygate's that src/applygate imports inside a function body."""
    found: set[str] = set()
    for path in (ROOT / "src" / "applygate").rglob("*.py"):
        for function in ast.walk(ast.parse(path.read_text())):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module)
    return {name for name in found if name.split(".")[0] != "applygate"}


def test_the_compile_step_imports_what_the_commands_import_lazily() -> None:
    # The step imports every applygate module, which covers module-level imports; what a function
    # imports only when it runs must be listed, or its modules stay uncompiled on python:slim.
    tree = ast.parse(compile_step())
    lazy = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "lazy"
    ]
    assert len(lazy) == 1
    assert set(ast.literal_eval(lazy[0])) == imported_in_functions()


def test_the_compile_step_compiles_what_applygate_loads_not_its_own_tooling() -> None:
    # Run the step's code here with compileall replaced by a recorder, so nothing is written.
    recorder = (
        "import sys, types; compiled = []; stub = types.ModuleType('compileall'); "
        "stub.compile_file = lambda f, quiet: compiled.append(f) or True; "
        "sys.modules['compileall'] = stub; "
        "import atexit; atexit.register(lambda: print('\\n'.join(compiled)))\n"
    )
    argv = [sys.executable, "-c", recorder + compile_step()]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    files = done.stdout.splitlines()
    assert all(path.startswith((sys.prefix, sys.base_prefix)) for path in files)

    def compiled(tail: str) -> bool:
        return any(path.endswith(f"/{tail}") for path in files)

    for needed in ("argparse.py", "http/client.py", "urllib/request.py", "email/parser.py"):
        assert compiled(needed), needed  # the standard library's
    for needed in ("git/cmd.py", "github/Requester.py", "requests/sessions.py", "yaml/__init__.py"):
        assert compiled(needed), needed  # site-packages'
    for tooling_or_frozen in ("pkgutil.py", "compileall.py", "py_compile.py", "os.py", "codecs.py"):
        assert not compiled(tooling_or_frozen), tooling_or_frozen
