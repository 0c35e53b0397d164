"""Command line and action entry point: argv + environment -> one command's inputs -> exit code.

The only module that reads ``os.environ`` or decides the process exit code:
0 allowed, 1 blocked (including anything that went wrong while deciding), 2 bad input.

Each command takes its own flags only. A flag that belongs to another command, or to none, stops
the run before anything happens (exit 2, one line naming it and the command's flags), and so does
another command's ``INPUT_*`` set to a value other than its default: a gate in front of
irreversible operations must not quietly ignore what it was told.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence

from applygate import __version__
from applygate.context import in_actions
from applygate.errors import UsageError
from applygate.inputs.declared import GITHUB
from applygate.inputs.fields import is_utf8
from applygate.inputs.publishing import settings
from applygate.inputs.registry import (
    COMMAND_NAMES,
    COMMANDS,
    INPUTS,
    command_spec,
    env_name,
    foreign_input,
    inputs_of,
    read_raw,
)
from applygate.job import Job

# A command's entry: its raw inputs and the job -> exit code.
Entry = Callable[[Mapping[str, str], "Job"], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


class _Once(argparse.Action):
    """An input flag given twice is an error: argparse would quietly keep the last value, and a
    wrapper script that appends ``--sha`` to a command line that has one would go unnoticed."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> None:
        if getattr(namespace, self.dest) is not None:
            raise UsageError(f"argument {option_string}: given twice: give each input once")
        setattr(namespace, self.dest, values)


def top_parser() -> argparse.ArgumentParser:
    """``applygate --help``: the commands, one line each."""
    listing = "\n".join(f"  {spec.name:14} {spec.summary}" for spec in COMMANDS)
    return _Parser(
        prog="applygate",
        usage="applygate <command> [flags]   (applygate <command> --help for its flags)",
        description=f"A gate for irreversible operations in CI.\n\ncommands:\n{listing}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )


def command_parser(command: str) -> argparse.ArgumentParser:
    """``applygate <command> --help``: that command's flags only, each with its default and the
    ``INPUT_*`` variable it can also come from, and the command's exit codes."""
    spec = command_spec(command)
    rest = f" [-- {spec.rest}]" if spec.rest else ""
    parser = _Parser(
        prog=f"applygate {command}",
        usage=f"applygate {command} [flags]{rest}",
        description=spec.summary,
        epilog=f"exit codes: {spec.exits}",
        allow_abbrev=False,
    )
    for item in inputs_of(command):
        if item.flag:
            default = f" Default: {item.default}." if item.default else ""
            parser.add_argument(
                f"--{item.name}",
                dest=item.name,
                default=None,
                action=_Once,
                metavar=item.name.upper(),
                help=f"{item.description}{default} (or {env_name(item)})",
            )
    return parser


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    jobs: list[Job] = []  # the run's one job, once built: its pending publications end on a crash
    try:
        return _dispatch(list(sys.argv[1:] if argv is None else argv), env, jobs)
    except UsageError as error:
        sys.stderr.write(f"applygate: error: {error}\n")
        _abandon(jobs, f"bad input: {error}")  # (an output file that fails mid-run, say)
        return 2
    except KeyboardInterrupt as error:
        why = f"cancelled ({error})" if str(error) else "interrupted"
        if in_actions(env):  # outside Actions the line on stderr below says it
            sys.stdout.write(f"::error title=applygate::{why}: blocked\n")
        sys.stdout.write("PLAN_STATUS: BLOCKED\n")
        sys.stderr.write(f"applygate: {why}: blocked\n")
        _abandon(jobs, why)
        return 1
    except Exception as error:  # fail closed: an unexpected failure blocks, with its reason
        message = f"internal error ({type(error).__name__}: {error}): blocked"
        if in_actions(env):
            sys.stdout.write(f"::error title=applygate::{message}\n")
        sys.stderr.write(f"applygate: {message}\n")
        _abandon(jobs, message)
        return 1


def _abandon(jobs: list[Job], why: str) -> None:
    """A status or check run the command marked pending, or a deployment in progress, ends as an
    error, not open for ever (branch protection would wait on it)."""
    pending = [p for job in jobs if job.publishing for p in job.publishing.pending]
    if not pending:
        return
    from applygate.flows.publication import abandon

    try:
        abandon(pending, why)
    except Exception as error:  # the run is already ending blocked: say so, no more
        sys.stderr.write(f"applygate: could not end what was left pending ({error})\n")


def run() -> None:
    _on_cancel()
    raise SystemExit(main(environ=_isolate_git()))


def _isolate_git() -> dict[str, str]:
    """The environment as the job gave it (commands and their steps get it whole), with the
    process's own ``os.environ`` left without the variables that point git elsewhere: GitPython
    starts every git from ``os.environ`` and cannot unset one, so this is the only place where
    a ``GIT_DIR`` can be kept from making the checks read another repository."""
    from applygate.adapters.git_redirect import REDIRECTING_VARIABLES

    given = dict(os.environ)
    for name in REDIRECTING_VARIABLES:
        os.environ.pop(name, None)
    return given


def _on_cancel() -> None:
    """A cancelled job (SIGINT, then SIGTERM from the runner; SIGTERM from ``docker stop``, which
    a container's PID 1 would otherwise ignore) is passed on to the running command, so that it
    can stop cleanly; nothing starts after it, and the run ends blocked."""
    import signal

    from applygate.adapters import process

    def handle(number: int, _frame: object) -> None:
        process.cancel(signal.Signals(number))

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, handle)


def _dispatch(argv: list[str], environ: Mapping[str, str], jobs: list[Job]) -> int:
    # Everything after "--" is a command line for the command (fingerprint -- terraform plan).
    rest: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, rest = argv[:cut], argv[cut + 1 :]
    if any(not is_utf8(word) for word in rest):
        raise UsageError("the command after '--' is not UTF-8 text")
    command, argv = _command(argv, environ)
    if command is None:
        return 0  # --help or --version was answered
    parsed, extra = command_parser(command).parse_known_args(argv)
    if extra:
        raise UsageError(_not_its_flag(command, extra))
    if rest and not command_spec(command).rest:
        raise UsageError(f"{command} takes no command after '--' (got {' '.join(rest)!r})")
    foreign = foreign_input(command, environ)
    if foreign is not None:
        raise UsageError(
            f"input {foreign.name} ({env_name(foreign)}) is not an input of {command} (it is one "
            f"of {_owners(foreign.commands)}): unset it or leave it at its default"
        )
    raw = read_raw({k: v for k, v in vars(parsed).items() if v is not None}, environ)
    publishing = settings(command, raw, environ) if command in GITHUB else None
    job = Job.of(environ, tuple(rest), publishing)
    jobs.append(job)
    return _entry(command)(raw, job)


def _command(argv: list[str], environ: Mapping[str, str]) -> tuple[str | None, list[str]]:
    """The command (the first word, else ``INPUT_COMMAND``) and the words after it; None when
    ``--help`` or ``--version`` was asked before any command."""
    if argv and not argv[0].startswith("-"):
        command, argv = argv[0], argv[1:]
    elif argv and argv[0] in ("-h", "--help"):
        sys.stdout.write(top_parser().format_help().rstrip("\n") + "\n")
        return None, []
    elif argv and argv[0] == "--version":
        sys.stdout.write(f"applygate {__version__}\n")
        return None, []
    else:
        command = environ.get("INPUT_COMMAND", "").strip()
        if argv and not command:
            raise UsageError(f"give the command first: applygate <command> {argv[0]} ...")
    names = ", ".join(COMMAND_NAMES)
    if not command:
        raise UsageError(f"no command given: use one of {names}")
    if command not in COMMAND_NAMES:
        raise UsageError(f"unknown command {command!r}: use one of {names}")
    return command, argv


def _not_its_flag(command: str, extra: list[str]) -> str:
    word = extra[0]
    flag = word.split("=", 1)[0]
    name = flag.removeprefix("--")
    mine = ", ".join(f"--{i.name}" for i in inputs_of(command) if i.flag) or "none"
    owners = [spec for spec in INPUTS if spec.name == name and spec.flag]
    if not flag.startswith("-"):
        why = f"unexpected argument {word!r}"
    elif owners:
        why = f"{flag} is not a flag of {command} (it is one of {_owners(owners[0].commands)})"
    else:
        why = f"unknown flag {flag}"
    return f"{command}: {why}; {command} takes: {mine}"


def _owners(commands: Sequence[str]) -> str:
    return ", ".join(commands[:-1]) + (" and " if len(commands) > 1 else "") + commands[-1]


def _entry(command: str) -> Entry:
    """Static dispatch: the command's inputs, then the command, each module (and the libraries it
    needs) imported only when that command runs."""
    if command == "approve":
        from applygate.commands import approve
        from applygate.inputs.approve import ApproveInputs

        return lambda raw, job: approve.run(ApproveInputs.from_raw(raw, job.environ), job)
    if command == "check-comment":
        from applygate.commands import check_comment
        from applygate.inputs.check_comment import CheckCommentInputs

        return lambda raw, job: check_comment.run(CheckCommentInputs.from_raw(raw), job)
    if command == "preflight":
        from applygate.commands import preflight
        from applygate.inputs.preflight import PreflightInputs

        return lambda raw, job: preflight.run(
            PreflightInputs.from_raw(raw, job.environ, job.workspace.path), job
        )
    if command == "fingerprint":
        from applygate.commands import fingerprint
        from applygate.inputs.fingerprint import FingerprintInputs

        return lambda raw, job: fingerprint.run(
            FingerprintInputs.from_raw(raw, job.environ, job.rest), job
        )
    if command == "verify":
        from applygate.commands import verify
        from applygate.inputs.verify import VerifyInputs

        return lambda raw, job: verify.run(VerifyInputs.from_raw(raw, job.environ), job)
    if command == "execute":
        from applygate.commands import execute
        from applygate.inputs.execute import ExecuteInputs

        return lambda raw, job: execute.run(
            ExecuteInputs.from_raw(raw, job.environ, job.workspace), job
        )
    from applygate.commands import rollback
    from applygate.inputs.rollback import RollbackInputs

    return lambda raw, job: rollback.run(RollbackInputs.from_raw(raw, job.environ), job)
