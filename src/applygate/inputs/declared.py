"""The lists themselves: every command and every output of the action, and what an input is
(inputs/declared_inputs.py lists them). See inputs/registry.py for how they are used."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CommandSpec:
    name: str
    summary: str
    rest: str = ""  # what may follow "--" on the command line ("" : nothing)
    exits: str = (
        "0: allowed or ready; 1: blocked (including any failure while deciding); 2: bad input"
    )


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("approve", "Is the operation approved by an authorized person for this commit?"),
    CommandSpec(
        "check-comment",
        "Would a comment's lines count as approvals? Try it before posting (no GitHub access).",
        exits="0: an approval would count; 1: none would; 2: bad input",
    ),
    CommandSpec("preflight", "Is it safe to start applying? The pre-execution checklist."),
    CommandSpec(
        "fingerprint",
        "Run the dry-run (the plan) and print its fingerprint, to check for drift at apply time.",
        rest="<dry-run command>",
        exits="0: fingerprinted; 1: the dry-run failed; 2: bad input",
    ),
    CommandSpec(
        "verify",
        "Run the verification criteria (with retries) and publish the verdict.",
        exits="0: COMPLETE; 1: criteria failed or could not run; 2: bad input",
    ),
    CommandSpec(
        "execute",
        "Run the checklist, then each step (exit codes checked), then the criteria; roll back.",
        exits="0: applied and verified; 1: blocked or failed; 2: bad input",
    ),
    CommandSpec(
        "rollback",
        "Revert the applied commit and push it for the reconciler.",
        exits="0: reverted; 1: the rollback failed; 2: bad input",
    ),
)


APPROVE = ("approve",)
CHECK = ("check-comment",)
PREFLIGHT = ("preflight", "execute")
VERIFY = ("verify", "execute")
ROLLBACK = ("rollback", "execute")
ALL = ("approve", "check-comment", "preflight", "fingerprint", "verify", "execute", "rollback")
GITHUB = tuple(name for name in ALL if name != "check-comment")  # the commands that use the API


@dataclass(frozen=True)
class InputSpec:
    name: str
    description: str
    default: str = ""
    required: bool = False
    flag: bool = True  # secrets have no flag: they never go on a command line
    commands: tuple[str, ...] = ALL


@dataclass(frozen=True)
class OutputSpec:
    name: str
    description: str
    commands: tuple[str, ...] = ALL


OUTPUTS: tuple[OutputSpec, ...] = (
    OutputSpec(
        "decision",
        "approve: approved, blocked, or skipped (a pull-request comment with no canonical token, "
        "or written by a bot: nothing was decided). Run the operation only when approved.",
        APPROVE,
    ),
    OutputSpec(
        "sha", "approve: the commit the decision is bound to: apply exactly this commit.", APPROVE
    ),
    OutputSpec("pr-number", "approve: the pull request the decision is about, if any.", APPROVE),
    OutputSpec("approvers", "approve: comma list of the people whose approvals counted.", APPROVE),
    OutputSpec("scope", "approve: the scope that was approved.", APPROVE),
    OutputSpec(
        "generic-scope", "approve: true when a counted approval used a generic scope.", APPROVE
    ),
    OutputSpec(
        "reasons", "approve: why the decision is blocked, one 'code: message' per line.", APPROVE
    ),
    OutputSpec(
        "approval-evidence",
        "approve: the counted approvals as a compact JSON list, one {source, login, ref, sha} "
        "each (ref: the comment or review URL; sha: the commit it is bound to); [] when none. "
        "Give it to execute's approval-evidence to name it in the deployment.",
        APPROVE,
    ),
    OutputSpec("ready", "preflight: true when every check passed.", ("preflight",)),
    OutputSpec(
        "plan-status",
        "preflight/verify/execute: COMPLETE (verified), BLOCKED, READY (a passing preflight) or "
        "APPLIED (execute without criteria: every step succeeded, verification still owed).",
        ("preflight", "verify", "execute"),
    ),
    OutputSpec(
        "plan-fingerprint",
        "fingerprint: SHA-256 (64 hex digits) of the dry-run's stdout, noise removed.",
        ("fingerprint",),
    ),
    OutputSpec("passed", "verify: comma list of the criteria that passed.", ("verify",)),
    OutputSpec("failed", "verify: comma list of the criteria that failed.", ("verify",)),
    OutputSpec(
        "report",
        "verify/execute: path of the JSON report with every attempt (in RUNNER_TEMP).",
        ("verify", "execute"),
    ),
    OutputSpec("applied", "execute: true when every step succeeded.", ("execute",)),
    OutputSpec(
        "failed-step", "execute: the step that failed, as '<number>: <command>'.", ("execute",)
    ),
    OutputSpec(
        "error-type",
        "execute: why it is blocked: Transient, Validation, Permission or State conflict.",
        ("execute",),
    ),
    OutputSpec(
        "rollback-status",
        "rollback/execute: restored (the rollback criteria passed afterwards), unverified "
        "(reverted or undone, criteria absent or failing), failed, or none.",
        ("rollback", "execute"),
    ),
    OutputSpec(
        "rollback-detail",
        "rollback/execute: the Rollback Status in words, with the next step when not restored.",
        ("rollback", "execute"),
    ),
    OutputSpec(
        "rollback-sha",
        "rollback/execute: the commit the system was returned to (the revert, or the redeployed "
        "commit; empty for steps).",
        ("rollback", "execute"),
    ),
    OutputSpec(
        "deployment-id",
        "execute: the GitHub deployment recording the apply (empty when none was made).",
        ("execute",),
    ),
    OutputSpec(
        "revert-sha",
        "rollback/execute: the revert commit pushed (empty when none was).",
        ("rollback", "execute"),
    ),
)
