"""Every input of the action, with its default and the commands that read it."""

from __future__ import annotations

from applygate.inputs.declared import (
    APPROVE,
    CHECK,
    GITHUB,
    PREFLIGHT,
    ROLLBACK,
    VERIFY,
    InputSpec,
)
from applygate.inputs.declared_apply import APPLY_INPUTS

INPUTS: tuple[InputSpec, ...] = (
    InputSpec(
        "command",
        "What to run: approve, check-comment, preflight, fingerprint, verify, execute or rollback.",
        "approve",
        flag=False,
    ),
    InputSpec(
        "token",
        "GitHub token for the API (reading approvals and permissions, publishing statuses). "
        "Falls back to the GITHUB_TOKEN environment variable. Masked and redacted from output.",
        "${{ github.token }}",
        flag=False,
        commands=GITHUB,
    ),
    # --- approve -------------------------------------------------------------------------------
    InputSpec(
        "operation",
        "approve, check-comment: the exact operation an approval must name, e.g. 'terraform "
        "apply prod/vpc' (required). execute/rollback: the operation the deployment record "
        "names (give approve's); empty: the steps' text, joined by '; '.",
        commands=APPROVE + CHECK + ROLLBACK,
    ),
    InputSpec(
        "sources",
        "approve: comma list of where approvals are read: pr-comment, pr-review, environment. "
        "Empty: pr-comment and pr-review when there is a pull request (the event's or "
        "pr-number), environment otherwise.",
        commands=APPROVE,
    ),
    InputSpec(
        "approvers",
        "approve: comma or newline list of logins and org/team-slug entries allowed to approve. "
        "Empty: anyone with at least min-permission.",
        commands=APPROVE,
    ),
    InputSpec(
        "min-permission",
        "approve: least repository permission of an approver: write, maintain or admin.",
        "write",
        commands=APPROVE,
    ),
    InputSpec(
        "min-approvals",
        "approve: distinct authorized people whose approval is required.",
        "1",
        commands=APPROVE,
    ),
    InputSpec(
        "allow-self-approval",
        "approve: let the pull request author, the pusher of the commit and the run's triggering "
        "actor approve.",
        "false",
        commands=APPROVE,
    ),
    InputSpec(
        "generic-scope",
        "approve, check-comment: generic scopes ('the changes', 'everything', ...): flag (count "
        "them, with a warning) or reject.",
        "flag",
        commands=APPROVE + CHECK,
    ),
    InputSpec(
        "allow-forks",
        "approve: allow approving pull requests whose head is in a fork.",
        "false",
        commands=APPROVE,
    ),
    InputSpec(
        "pr-number",
        "approve: the pull request to gate, for events that do not carry one (workflow_dispatch, "
        "push, ...).",
        commands=APPROVE,
    ),
    InputSpec(
        "sha",
        "The approved commit. approve: blocked unless this is still the pull request head. "
        "check-comment: the commit a pinned token is checked against. "
        "preflight/execute: HEAD must equal it. verify: the commit the result is reported and "
        "published on. rollback: the commit to revert (default HEAD). fingerprint: the commit the "
        "plan is published on (default HEAD).",
    ),
    InputSpec(
        "comment-file",
        "check-comment: the file holding the comment to try; empty or '-': standard input.",
        commands=CHECK,
    ),
    # --- preflight (and execute, which runs it first) -----------------------------------------
    InputSpec(
        "require-clean",
        "preflight: no staged, unstaged or untracked files in the workspace.",
        "true",
        commands=PREFLIGHT,
    ),
    InputSpec(
        "require-pushed",
        "preflight: the commit is the tip of the remote branch as it is now.",
        "true",
        commands=PREFLIGHT,
    ),
    InputSpec(
        "require-up-to-date",
        "preflight: HEAD contains the tip of the base branch.",
        "false",
        commands=PREFLIGHT,
    ),
    InputSpec(
        "remote",
        "preflight/execute/rollback: the git remote to check against and to push a revert to.",
        "origin",
        commands=(*PREFLIGHT, "rollback"),
    ),
    InputSpec(
        "branch",
        "preflight/execute/rollback: the remote branch. Empty: the pull request head branch, else "
        "GITHUB_HEAD_REF, else GITHUB_REF_NAME, else the checked-out branch.",
        commands=(*PREFLIGHT, "rollback"),
    ),
    InputSpec(
        "base-branch",
        "preflight: the base branch for require-up-to-date. Empty: the pull request base branch.",
        commands=PREFLIGHT,
    ),
    InputSpec(
        "dry-run",
        "fingerprint/preflight: the dry-run command (e.g. terraform plan -detailed-exitcode "
        "-no-color). fingerprint: fingerprints its stdout. preflight: re-runs it to detect drift "
        "against plan-fingerprint.",
        commands=("fingerprint", *PREFLIGHT),
    ),
    InputSpec(
        "plan-fingerprint",
        "preflight: the fingerprint recorded by 'applygate fingerprint' when the plan was "
        "approved.",
        commands=PREFLIGHT,
    ),
    InputSpec(
        "fingerprint-ignore",
        "fingerprint/preflight: newline list of regexes of noise lines to leave out of the "
        "fingerprint, in addition to the built-in defaults.",
        commands=("fingerprint", *PREFLIGHT),
    ),
    InputSpec(
        "command-timeout",
        "fingerprint/preflight: the longest the dry-run or the credentials-check may run; then it "
        "is killed with its child processes and the check fails (forms: 90s, 10m, 1h).",
        "30m",
        commands=("fingerprint", *PREFLIGHT),
    ),
    InputSpec(
        "credentials",
        "preflight: comma or newline list of environment variables that must be set and non-empty.",
        commands=PREFLIGHT,
    ),
    InputSpec(
        "credentials-check",
        "preflight: a command that must exit 0 with the credentials, e.g. "
        "'aws sts get-caller-identity'.",
        commands=PREFLIGHT,
    ),
    InputSpec(
        "steps",
        "preflight/execute: the commands to run, one per line (a line ending in \\ continues). "
        "execute: required; run one at a time with bash, each exit code checked. rollback: the "
        "steps redeploy runs again.",
        commands=(*PREFLIGHT, "rollback"),
    ),
    InputSpec(
        "noninteractive-rules",
        "preflight: a YAML file of extra non-interactive lint rules (path relative to the "
        "workspace; see the README).",
        commands=PREFLIGHT,
    ),
    # --- verify (and execute, which verifies after applying) ----------------------------------
    InputSpec(
        "criteria",
        "verify/execute: the verification criteria file. verify: empty means "
        ".github/applygate/verify.yml. execute: verifies only when set.",
        commands=VERIFY,
    ),
    InputSpec(
        "max-parallel",
        "verify/execute: how many criteria run at once (each with its own retries).",
        "4",
        commands=VERIFY,
    ),
    InputSpec(
        "rollback-status",
        "verify: the Rollback Status line of the error report (what was or needs to be rolled "
        "back).",
        "not attempted",
        commands=("verify",),
    ),
    InputSpec(
        "mask",
        "fingerprint/preflight/verify/execute/rollback: comma or newline list of environment "
        "variables whose values are redacted from all output.",
        commands=("fingerprint", *PREFLIGHT, "verify", "rollback"),
    ),
    *APPLY_INPUTS,
    # --- publishing (every command) -----------------------------------------------------------
    InputSpec(
        "publish",
        "Publish the result on the commit for branch protection: commit-status, check-run or none.",
        "commit-status",
        commands=GITHUB,
    ),
    InputSpec(
        "status-context",
        "The status context or check name. Empty: applygate/<command>.",
        commands=GITHUB,
    ),
)
