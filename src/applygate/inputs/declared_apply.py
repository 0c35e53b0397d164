"""The inputs of the commands that change the live system: how ``execute`` runs and records its
steps, and how ``execute`` and ``rollback`` roll back (inputs/declared_inputs.py lists them all)."""

from __future__ import annotations

from applygate.inputs.declared import ROLLBACK, InputSpec

APPLY_INPUTS: tuple[InputSpec, ...] = (
    # --- execute ------------------------------------------------------------------------------
    InputSpec(
        "retries",
        "execute: further attempts (0 to 100) of a step that failed transiently.",
        "2",
        commands=("execute",),
    ),
    InputSpec(
        "retry-interval",
        "execute: first backoff between attempts (500ms, 10s, 2m), doubled each time, at most 10m.",
        "10s",
        commands=("execute",),
    ),
    InputSpec(
        "step-timeout",
        "execute: the longest one attempt of a step may run (90s, 30m, 2h); then it is killed "
        "with its child processes and the step fails as Transient. Empty: no limit but the job's.",
        commands=("execute",),
    ),
    InputSpec(
        "rollback",
        "execute/rollback: how to roll back (execute: when blocked after a step ran): none; "
        "git-revert (revert sha on branch and push, for a reconciler to apply); redeploy (the "
        "steps again on rollback-sha, in a separate worktree); steps (rollback-steps). Then the "
        "rollback criteria. Empty: none for execute, git-revert for rollback.",
        commands=ROLLBACK,
    ),
    InputSpec(
        "environment",
        "execute: the GitHub environment the apply is recorded in as a deployment of the approved "
        "commit (in_progress, then success only when verified, else failure or error); redeploy "
        "without rollback-sha reads its last successful deployment. Empty: no deployment. "
        "rollback: where redeploy without rollback-sha reads the last good commit. Both record "
        "a redeploy there as a deployment of the commit it returns to.",
        commands=("execute", "rollback"),
    ),
    InputSpec(
        "approval-evidence",
        "execute: approve's approval-evidence output (a JSON list), named in the deployment's "
        "payload. Empty: the deployment names no approval ([]) and so does not prove one.",
        commands=("execute",),
    ),
    InputSpec(
        "rollback-steps",
        "execute/rollback: with rollback: steps, the undo commands, one per line (run like steps).",
        commands=ROLLBACK,
    ),
    InputSpec(
        "rollback-sha",
        "execute/rollback: with rollback: redeploy, the last good commit to apply again.",
        commands=ROLLBACK,
    ),
    InputSpec(
        "rollback-criteria",
        "execute/rollback: the criteria that prove the rollback restored the system (with their "
        "retries); restored is claimed only when they pass. Empty: execute's criteria; for "
        "rollback, none (unverified at best).",
        commands=ROLLBACK,
    ),
    # --- rollback -----------------------------------------------------------------------------
    InputSpec(
        "git-user-name",
        "rollback/execute: the author and committer name of the revert commit. Empty (with "
        "git-user-email): git's own identity; in Actions with none configured, "
        "github-actions[bot].",
        commands=ROLLBACK,
    ),
    InputSpec(
        "git-user-email",
        "rollback/execute: the author and committer email of the revert commit (see "
        "git-user-name).",
        commands=ROLLBACK,
    ),
)
