"""Command line and action entry point: argv + environment -> inputs -> a command -> exit code.

The only module that reads ``os.environ`` or decides the process exit code:
0 allowed, 1 blocked (including anything that went wrong while deciding), 2 bad input.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Mapping, Sequence

from applygate import __version__
from applygate.errors import UsageError
from applygate.inputs import COMMANDS, INPUTS, is_utf8, read_raw

# A command's entry point: raw inputs, the environment, the words after "--" -> exit code.
CommandMain = Callable[[Mapping[str, str], Mapping[str, str], list[str]], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="applygate", description="A gate for irreversible operations in CI.")
    parser.add_argument("--version", action="version", version=f"applygate {__version__}")
    parser.add_argument("command", nargs="?", help=f"one of: {', '.join(COMMANDS)}")
    for spec in INPUTS:
        if spec.flag:
            # default=None: an absent flag leaves the INPUT_<NAME> value (and its default) alone
            shown = f" Default: {spec.default}." if spec.default else ""
            parser.add_argument(
                f"--{spec.name}",
                dest=spec.name,
                default=None,
                action=_Once,
                help=spec.description + shown,
            )
    return parser


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    try:
        return _dispatch(list(sys.argv[1:] if argv is None else argv), env)
    except UsageError as error:
        sys.stderr.write(f"applygate: error: {error}\n")
        return 2
    except KeyboardInterrupt as error:
        why = f"cancelled ({error})" if str(error) else "interrupted"
        sys.stdout.write(f"::error title=applygate::{why}: blocked\nPLAN_STATUS: BLOCKED\n")
        sys.stderr.write(f"applygate: {why}: blocked\n")
        _abandon(why)
        return 1
    except Exception as error:  # fail closed: an unexpected failure blocks, with its reason
        message = f"internal error ({type(error).__name__}: {error}): blocked"
        sys.stdout.write(f"::error title=applygate::{message}\n")
        sys.stderr.write(f"applygate: {message}\n")
        _abandon(message)
        return 1


def _abandon(why: str) -> None:
    """A status or check run the command marked pending ends as an error, not pending forever
    (branch protection would wait on it). Only if publishing was loaded at all."""
    publishing = sys.modules.get("applygate.commands._publishing")
    if publishing is not None:
        try:
            publishing.abandon(why)
        except Exception as error:  # the run is already ending blocked: say so, no more
            sys.stderr.write(f"applygate: could not end the pending status ({error})\n")


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


def _dispatch(argv: list[str], environ: Mapping[str, str]) -> int:
    # Everything after "--" is a command line for the command (fingerprint -- terraform plan).
    rest: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, rest = argv[:cut], argv[cut + 1 :]
    if any(not is_utf8(word) for word in rest):
        raise UsageError("the command after '--' is not UTF-8 text")
    args = vars(build_parser().parse_args(argv))
    command = args.pop("command") or environ.get("INPUT_COMMAND", "").strip()
    if not command:
        raise UsageError(f"no command given: use one of {', '.join(COMMANDS)}")
    if command not in COMMANDS:
        raise UsageError(f"unknown command {command!r}: use one of {', '.join(COMMANDS)}")
    module = importlib.import_module(f"applygate.commands.{command.replace('-', '_')}")
    entry: CommandMain = module.main
    return entry(read_raw(args, environ), environ, rest)
