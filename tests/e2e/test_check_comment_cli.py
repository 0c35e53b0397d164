"""``applygate check-comment`` as a user runs it: a body on standard input or in a file, one
verdict per token-like line, exit 0 (an approval would count), 1 (not) or 2 (bad input)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from tests.support.cli import APPLYGATE

OP = "terraform apply prod/vpc"
SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e"


def check(*args: str, body: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [APPLYGATE, "check-comment", "--operation", OP, *args],
        input=body if body is not None else b"",
        capture_output=True,
        env={"PATH": "/usr/bin:/bin"},
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("body", "code", "says"),
    [
        (f"Plan looks right.\r\n\r\nUser approved: {OP}\r\n", 0, "line 3: approval counts"),
        (f"Previous run: <details>\n\nUser approved: {OP}\n\n</details>\n", 1, "<details>"),
        (f"User approved: {OP}\n\n- User denied: {OP}\n", 1, "line 3: denial counts"),
        ("LGTM, ship it", 1, "nothing would count"),
        (f"User approved: {OP} @{SHA[:7]}", 1, "give --sha"),
    ],
)
def test_verdict_and_exit_code_from_standard_input(body: str, code: int, says: str) -> None:
    done = check(body=body.encode())
    assert done.returncode == code, done
    assert says in done.stdout.decode()
    assert done.stderr == b""


def test_a_pin_is_checked_against_the_sha_given(tmp_path: Path) -> None:
    comment = tmp_path / "comment.md"
    comment.write_text(f"User approved: {OP} @{SHA[:12].upper()}\n")
    assert check("--comment-file", str(comment), "--sha", SHA).returncode == 0
    other = "0" * 40
    done = check("--comment-file", str(comment), "--sha", other)
    assert done.returncode == 1
    assert f"not to {other}" in done.stdout.decode()


@pytest.mark.parametrize(
    ("args", "body", "says"),
    [
        (("--comment-file", "/nonexistent/comment.md"), b"", "cannot be read"),
        (("--comment-file", "/dev/zero"), b"", "not a regular file"),  # not read for ever
        ((), b"x" * (4 * 65_536 + 1), "more than GitHub's 65,536"),
        ((), b"User approved: \xff\n", "not UTF-8"),
        ((), b"x" * 65_537, "at most 65,536"),
        (("--sha", "abc"), b"", "invalid input sha"),
        (("--generic-scope", "maybe"), b"", "invalid input generic-scope"),
        (("--", "echo"), b"", "no command after '--'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: tuple[str, ...], body: bytes, says: str) -> None:
    done = check(*args, body=body)
    assert done.returncode == 2
    [line] = done.stderr.decode().splitlines()
    assert says in line
    assert done.stdout == b""


def test_the_operation_is_required() -> None:
    done = subprocess.run(
        [APPLYGATE, "check-comment"], input=b"x", capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert b"input operation is required" in done.stderr


def test_a_pinned_denial_without_a_sha_blocks() -> None:
    """It may be the gated commit's: failing closed, check-comment says it blocks (approve
    would block when the pin matches)."""
    done = check(body=f"User approved: {OP}\n\nUser denied: {OP} @{SHA}\n".encode())
    assert done.returncode == 1
    assert "denial counts: pinned to" in done.stdout.decode()
    assert (
        check(
            "--sha", "0" * 40, body=f"User approved: {OP}\n\nUser denied: {OP} @{SHA}\n".encode()
        ).returncode
        == 0
    )
