"""run_shell keeps a bounded part of what a command prints, with real processes and small limits
(the real limits are megabytes; the code paths are the same)."""

from __future__ import annotations

import shlex
import sys

from applygate.adapters.process import OutputLimits, run_shell
from applygate.core.classify import classify_output
from applygate.core.fingerprint import PlanHasher, compile_ignores, fingerprint
from applygate.core.redact import Redactor
from applygate.core.tail import gap_line

SMALL = OutputLimits(
    line_bytes=4096, tail_lines=50, tail_chars=8192, stdout_head=1000, stdout_tail=2000
)
SECRET = "hunter2-secret-value"


def python(code: str) -> str:
    """A command that runs ``code`` with this interpreter (it prints the test's output)."""
    return f"{shlex.quote(sys.executable)} -c {shlex.quote(code)}"


def test_a_line_without_a_newline_is_read_in_bounded_pieces() -> None:
    seen: list[str] = []
    result = run_shell(
        python("import sys; sys.stdout.write('x' * 300_000)"),
        on_line=lambda _stream, line: seen.append(line),
        limits=SMALL,
    )
    assert result.ok
    assert "".join(seen) == "x" * 300_000
    assert max(len(piece) for piece in seen) <= 4096
    assert result.stdout == "x" * 1000
    assert result.stdout_tail == "x" * 1999 + "\n"
    assert result.stdout_dropped == 300_001 - 3000


def test_a_secret_cut_between_two_reads_is_masked() -> None:
    seen: list[str] = []
    for offset in (4096 - 30, 4096 - 10, 4096 - 1, 4096):
        code = f"print('.' * {offset} + 'token={SECRET} ' + '.' * 5000)"
        result = run_shell(
            python(code),
            redact=Redactor.of([SECRET]),
            on_line=lambda _stream, line: seen.append(line),
            limits=SMALL,
        )
        assert SECRET not in result.stdout + result.stdout_tail + result.output
    assert not [piece for piece in seen if SECRET in piece]
    assert sum(piece.count("***") for piece in seen) == 4


def test_a_long_output_keeps_its_end_and_the_lines_the_rules_name() -> None:
    code = (
        "import sys\n"
        "print('dial tcp 10.0.0.1:443: i/o timeout')\n"
        "for n in range(10_000): print(f'aws_instance.web[{n}]: Still creating...')\n"
        "print('Error: Error acquiring the state lock')\n"
        "for n in range(10_000): print(f'aws_instance.db[{n}]: Still creating...')\n"
        "sys.stdout.flush()\n"
        "print('a warning on stderr', file=sys.stderr)\n"
        "print('Error: creating instance: status code: 403')"
    )
    result = run_shell(python(code), limits=SMALL)
    lines = result.output.splitlines()
    gaps = [line for line in lines if line.startswith("… ") and line.endswith(" not kept …")]
    # the timeout came first; the lock (an earlier rule: it wins) came later and is kept too
    assert [line for line in lines if line not in gaps][:2] == [
        "dial tcp 10.0.0.1:443: i/o timeout",
        "Error: Error acquiring the state lock",
    ]
    # stdout and stderr are read apart: where the warning falls among stdout's lines may vary
    stdout_lines = [line for line in lines if line != "a warning on stderr"]
    assert stdout_lines[-1] == "Error: creating instance: status code: 403"
    assert len(gaps) == 2
    assert len(stdout_lines) <= 50 + 2 + len(gaps)
    assert result.stdout.startswith("dial tcp 10.0.0.1:443: i/o timeout\naws_instance.web[0]")
    assert result.stdout_tail.endswith("status code: 403\n")
    assert result.stdout_dropped > 0
    assert result.stderr == "a warning on stderr\n"
    assert classify_output(result.output, exit_code=1).why == "the state is locked"


def test_output_within_the_limits_is_kept_whole() -> None:
    result = run_shell(python("for n in range(40): print(n)"), limits=OutputLimits(tail_lines=50))
    assert result.output == result.stdout == "".join(f"{n}\n" for n in range(40))
    assert (result.stdout_tail, result.stdout_dropped) == ("", 0)


def test_the_gap_line_counts_lines_and_characters() -> None:
    result = run_shell(python("for n in range(100): print(f'{n:03}')"), limits=SMALL)
    assert result.output.splitlines()[0] == gap_line(50, 200)


def test_the_fingerprint_streams_to_the_same_value() -> None:
    ignores = compile_ignores()
    code = (
        "import sys\n"
        "print('aws_vpc.main: Refreshing state... [id=vpc-1]')\n"
        r"sys.stdout.write('\x1b[1mPlan:\x1b[0m 1 to add   \r\n')"
        "\n"
        "for n in range(5000): print(f'  + tag_{n} = \"{n}\"')\n"
        "print('y' * 10_000)\n"
        r"sys.stdout.write('progress 10%\rprogress 100%\r\r\n')"
    )
    plan = PlanHasher(ignores)
    result = run_shell(python(code), on_stdout=plan.add, limits=SMALL)
    unbounded = run_shell(python(code))  # the default limits keep all of this stdout
    assert unbounded.stdout_dropped == 0 and result.stdout_dropped > 0
    assert plan.hexdigest() == fingerprint(unbounded.stdout, ignores)
