"""run_shell with real processes: exit codes, stdin, environment, timeouts, tree kill, redaction."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from applygate.adapters.process import run_shell
from applygate.core.redact import Redactor


def test_exit_code_and_separate_streams() -> None:
    result = run_shell("echo out; echo err >&2; exit 3")
    assert result.exit_code == 3
    assert not result.ok
    assert result.stdout == "out\n"
    assert result.stderr == "err\n"
    assert sorted(result.output.splitlines()) == ["err", "out"]


def test_a_failing_command_ends_the_script_as_in_github_bash() -> None:
    """bash -eo pipefail, as GitHub's shell: bash: 'false; echo ok' is a failure, not ok."""
    result = run_shell("false; echo ok")
    assert (result.exit_code, result.stdout) == (1, "")
    assert run_shell("false | cat; echo ok").exit_code == 1  # pipefail
    assert run_shell("false || echo recovered").stdout == "recovered\n"  # -e spares a test


def test_stdin_is_closed_and_the_environment_is_non_interactive() -> None:
    result = run_shell(
        'read -r line || echo "read=$? CI=$CI TF_INPUT=$TF_INPUT GTP=$GIT_TERMINAL_PROMPT"'
    )
    assert result.ok
    assert result.stdout.strip() == "read=1 CI=true TF_INPUT=0 GTP=0"


def test_env_and_cwd_are_the_callers(tmp_path: Path) -> None:
    result = run_shell('echo "$ONLY_HERE $(pwd)"', cwd=str(tmp_path), env={"ONLY_HERE": "yes"})
    assert result.stdout.strip() == f"yes {tmp_path}"


def test_timeout_kills_the_whole_process_tree(tmp_path: Path) -> None:
    pidfile = tmp_path / "child.pid"
    started = time.monotonic()
    result = run_shell(f"sleep 30 & echo $! > {pidfile}; wait", timeout=0.5)
    assert result.timed_out
    assert result.exit_code is None
    assert time.monotonic() - started < 10
    child = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child), "the grandchild survived the timeout"


def test_background_children_do_not_hold_the_run_open() -> None:
    started = time.monotonic()
    result = run_shell("sleep 30 & echo done")
    assert result.ok
    assert result.stdout == "done\n"
    assert time.monotonic() - started < 10


def test_secrets_are_redacted_in_lines_callbacks_and_command() -> None:
    seen: list[tuple[str, str]] = []
    redact = Redactor.of(["hunter2-secret"])
    result = run_shell(
        "echo token=hunter2-secret; echo hunter2-secret >&2",
        redact=redact,
        on_line=lambda stream, line: seen.append((stream, line)),
    )
    assert "hunter2-secret" not in result.output + result.stdout + result.stderr + result.command
    assert ("stdout", "token=***") in seen
    assert ("stderr", "***") in seen


def test_undecodable_output_does_not_break_the_run() -> None:
    result = run_shell(r"printf '\xff\xfe ok\n'")
    assert result.ok
    assert result.stdout.endswith(" ok\n")


def test_command_not_found_is_127() -> None:
    assert run_shell("definitely-not-a-command-applygate").exit_code == 127


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers: look at its state
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_after_a_cancellation_no_command_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from applygate.adapters import process

    monkeypatch.setattr(process, "_cancelled", [])
    process.cancel(signal.SIGTERM)
    marker = tmp_path / "ran"
    with pytest.raises(process.Cancelled) as caught:
        run_shell(f"touch {marker}")
    assert caught.value.signal is signal.SIGTERM
    assert str(caught.value) == "SIGTERM"
    assert not marker.exists()


@pytest.mark.parametrize("actions", [True, False], ids=["in Actions", "local"])
def test_a_cancelled_run_ends_blocked_with_one_line(
    actions: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from applygate import cli
    from applygate.adapters import process

    monkeypatch.setattr(process, "_cancelled", [signal.SIGTERM])
    output = tmp_path / "output"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(output)} if actions else {}
    assert cli.main(["fingerprint", "--", "true"], env) == 1
    out, err = capsys.readouterr()
    annotation = "::error title=applygate::cancelled (SIGTERM): blocked\n" if actions else ""
    assert out.endswith(f"\n{annotation}PLAN_STATUS: BLOCKED\n")
    assert ("::" in out) is actions
    assert err == "applygate: cancelled (SIGTERM): blocked\n"


def test_a_backoff_pause_ends_at_a_cancellation(monkeypatch: pytest.MonkeyPatch) -> None:
    from applygate.adapters import process

    monkeypatch.setattr(process, "_cancelled", [])
    process.pause(0.0)  # nothing cancelled: it just returns
    process.cancel(signal.SIGTERM)
    with pytest.raises(process.Cancelled):
        process.pause(3600.0)


def test_a_process_that_leaves_the_group_and_holds_the_output_is_reported() -> None:
    escaped = run_shell("setsid sleep 3 & sleep 0.3; echo shell done")
    assert escaped.exit_code == 0
    assert escaped.outlived
    assert not escaped.ok
    assert escaped.duration < 2.5  # not held until it ends (3 s): the wait is bounded
    stayed = run_shell("sleep 30 & echo shell done")  # in the group: killed with it
    assert stayed.ok
    assert not stayed.outlived


def test_bytes_that_are_not_utf8_stay_distinct() -> None:
    """A plan fingerprint is taken of this text: decoded with one replacement character, a
    value of \\xff and one of \\xfe were the same plan."""
    ff = run_shell(r"printf '  ~ user_data = \377\n'")
    fe = run_shell(r"printf '  ~ user_data = \376\n'")
    assert ff.stdout != fe.stdout
    assert ff.stdout == "  ~ user_data = \\xff\n"


def test_a_failure_inside_a_pipeline_is_a_failure() -> None:
    """`terraform apply | tee apply.log` exits with tee's 0 in plain bash, whatever the apply
    did; GitHub's own `shell: bash` runs with pipefail, and so do commands here."""
    result = run_shell("echo 'Error: apply failed' >&2; (exit 3) | tee /dev/null")
    assert result.exit_code == 3
    assert not result.ok
