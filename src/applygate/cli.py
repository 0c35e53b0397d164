"""Command line and action entry point: argv + environment -> inputs -> a command -> exit code.

The only module that reads ``os.environ`` or decides the process exit code:
0 allowed, 1 blocked (including anything that went wrong while deciding), 2 bad input.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence

from applygate import __version__
from applygate.errors import UsageError
from applygate.inputs import COMMANDS, INPUTS


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="applygate", description="A gate for irreversible operations in CI.")
    parser.add_argument("--version", action="version", version=f"applygate {__version__}")
    parser.add_argument("command", nargs="?", help=f"one of: {', '.join(COMMANDS)}")
    for spec in INPUTS:
        if spec.flag:
            parser.add_argument(
                f"--{spec.name}", dest=spec.name, default=None, help=spec.description
            )
    return parser


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    try:
        return _dispatch(list(sys.argv[1:] if argv is None else argv), env)
    except UsageError as error:
        sys.stderr.write(f"applygate: error: {error}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("applygate: interrupted: blocked\n")
        return 1
    except Exception as error:  # fail closed: an unexpected failure blocks, with its reason
        message = f"internal error ({type(error).__name__}: {error}): blocked"
        sys.stdout.write(f"::error title=applygate::{message}\n")
        sys.stderr.write(f"applygate: {message}\n")
        return 1


def run() -> None:
    raise SystemExit(main())


def _dispatch(argv: list[str], environ: Mapping[str, str]) -> int:
    args = vars(build_parser().parse_args(argv))
    command = args.pop("command") or environ.get("INPUT_COMMAND", "").strip()
    if not command:
        raise UsageError(f"no command given: use one of {', '.join(COMMANDS)}")
    if command not in COMMANDS:
        raise UsageError(f"unknown command {command!r}: use one of {', '.join(COMMANDS)}")
    from applygate.inputs import read_raw

    raw = read_raw(args, environ)
    return _approve(raw, environ)


def _approve(raw: Mapping[str, str], environ: Mapping[str, str]) -> int:
    from applygate.adapters.github import PyGithubClient, RetryPolicy
    from applygate.adapters.runner import Runner
    from applygate.commands import approve
    from applygate.context import RunContext
    from applygate.event import load_event
    from applygate.inputs import ApproveInputs

    inputs = ApproveInputs.from_raw(raw, environ)
    ctx = RunContext.from_environ(environ)
    repository = ctx.require_repository()
    event = load_event(ctx.event_name, ctx.event_path) if ctx.event_name else None
    retry = RetryPolicy(budget=_seconds(environ, "APPLYGATE_API_RETRY_SECONDS", 30.0))
    runner = Runner(ctx.output_path, ctx.summary_path)
    return approve.run(
        inputs,
        ctx,
        event,
        lambda: PyGithubClient.connect(inputs.token, ctx.api_url, repository, retry),
        runner,
    )


def _seconds(environ: Mapping[str, str], name: str, default: float) -> float:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{name}: {text!r} is not a number of seconds") from None
    if value < 0:
        raise UsageError(f"{name}: {text!r} is negative")
    return value
