"""Verification right after execute's steps, through ``applygate verify``'s in-process API.

The criteria file is loaded when execute starts (a broken file is exit 2 before anything runs);
the criteria run only after every step succeeded.
"""

from __future__ import annotations

from collections.abc import Callable

from applygate.adapters.runner import Runner
from applygate.commands import verify
from applygate.commands.preflight import Workspace
from applygate.core import verification_report
from applygate.core.execution import Verification, from_verify_result
from applygate.core.redact import Redactor

# Runs the criteria (loaded already) and says what they found.
Verifier = Callable[[], Verification]
ROLLBACK_NOTE = "decided after verification: see the applygate execute report"


def verifier(
    criteria: str,
    workspace: Workspace,
    runner: Runner,
    redact: Redactor,
    settings: verify.VerifySettings,
) -> Verifier:
    """Load ``criteria`` (relative to the workspace) now; verify when called."""
    loaded = verify.load(workspace.path / criteria, criteria)
    probe = verify.real_probe(str(workspace.path), workspace.environ, redact)

    def run() -> Verification:
        runner.print(f"::group::applygate execute: verification ({criteria})")
        outcome = verify.verify(loaded, settings, probe, runner.print, redact=redact)
        runner.print("::endgroup::")
        runner.print(verification_report.render_console(outcome.result, status=False))
        path = verify.save_report(outcome, runner, workspace.environ)
        return from_verify_result(outcome.result, path)

    return run
