"""Configuration errors of preflight and fingerprint: exit 2 with one line naming the input."""

from __future__ import annotations

from pathlib import Path

import pytest

from applygate.cli import main

FP = "ab" * 32


@pytest.mark.parametrize(
    ("argv", "files", "message"),
    [
        (["preflight", "--fingerprint-ignore", "ok\n(unclosed"], {}, "input fingerprint-ignore"),
        (["preflight", "--noninteractive-rules", "nope.yml"], {}, "nope.yml cannot be read"),
        (
            ["preflight", "--noninteractive-rules", "r.yml"],
            {"r.yml": "rules: ["},
            "input noninteractive-rules: r.yml: not valid YAML",
        ),
        (
            ["preflight", "--noninteractive-rules", "r.yml"],
            {"r.yml": "rules:\n  - {program: x, require-any: [], when: y}"},
            "input noninteractive-rules: r.yml: rules[0]: unknown key 'when'",
        ),
        (
            ["preflight", "--noninteractive-rules", "r.yml"],
            {"r.yml": "rules:\n  - {program: x}"},
            "rules[0]: 'require-any' is required",
        ),
        (["preflight", "--dry-run", "terraform plan"], {}, "dry-run and plan-fingerprint"),
        (["preflight", "--plan-fingerprint", FP], {}, "dry-run and plan-fingerprint"),
        (
            ["preflight", "--dry-run", "x", "--plan-fingerprint", "abc"],
            {},
            "invalid input plan-fingerprint",
        ),
        (["preflight", "--require-clean", "maybe"], {}, "invalid input require-clean"),
        (["preflight", "--branch=-f"], {}, "invalid input branch"),
        (["preflight", "--remote", "a..b"], {}, "invalid input remote"),
        (["preflight", "--credentials", "AWS KEY"], {}, "invalid input credentials"),
        (["preflight", "--sha", "xyz"], {}, "invalid input sha"),
        (["preflight", "--", "terraform", "plan"], {}, "preflight takes no command"),
        (["fingerprint"], {}, "no dry-run command"),
        (["fingerprint", "--dry-run", "a", "--", "b"], {}, "either after '--' or as input"),
        (["fingerprint", "--fingerprint-ignore", "[", "--", "true"], {}, "not a valid regex"),
    ],
)
def test_config_errors_exit_2_naming_the_input(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    files: dict[str, str],
    message: str,
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    code = main(argv, {"GITHUB_WORKSPACE": str(tmp_path), "PATH": "/usr/bin:/bin"})
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("applygate: error: ")
