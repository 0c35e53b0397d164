"""Every input and output of the action, and the typed, validated inputs of each command.

Inputs come from ``INPUT_<NAME>`` (upper-cased, hyphens kept, exactly as the runner sets them) and
from ``--<name>`` flags; a flag wins. The runner sets every input that ``action.yml`` declares, with
its default, so an empty value means "the default". ``action.yml`` is checked against this registry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from applygate.core.approval import Source
from applygate.core.durations import parse_duration
from applygate.core.policy import MIN_PERMISSIONS, Approvers, GenericScope, Policy
from applygate.errors import UsageError

# Every command, in the order the docs list them. ``cli`` imports ``applygate.commands.<name>``
# (hyphens become underscores) and calls its ``main(raw, environ, args)``.
COMMANDS = ("approve", "check-comment", "preflight", "fingerprint", "verify", "execute", "rollback")

APPROVE = ("approve",)
CHECK = ("check-comment",)
PREFLIGHT = ("preflight", "execute")
VERIFY = ("verify", "execute")
ROLLBACK = ("rollback", "execute")
ALL = COMMANDS


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
    ),
    # --- approve -------------------------------------------------------------------------------
    InputSpec(
        "operation",
        "approve, check-comment: the exact operation an approval must name, e.g. 'terraform "
        "apply prod/vpc' (required).",
        commands=APPROVE + CHECK,
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
        "execute: required; run one at a time with bash, each exit code checked.",
        commands=PREFLIGHT,
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
        "execute: what to do when blocked after a step ran: none, or git-revert (revert sha, "
        "default HEAD, on branch and push it, as applygate rollback does).",
        "none",
        commands=("execute",),
    ),
    # --- rollback -----------------------------------------------------------------------------
    InputSpec(
        "git-user-name",
        "rollback/execute: the author and committer name of the revert commit.",
        "github-actions[bot]",
        commands=ROLLBACK,
    ),
    InputSpec(
        "git-user-email",
        "rollback/execute: the author and committer email of the revert commit.",
        "41898282+github-actions[bot]@users.noreply.github.com",
        commands=ROLLBACK,
    ),
    # --- publishing (every command) -----------------------------------------------------------
    InputSpec(
        "publish",
        "Publish the result on the commit for branch protection: commit-status, check-run or none.",
        "commit-status",
    ),
    InputSpec(
        "status-context",
        "The status context or check name. Empty: applygate/<command>.",
    ),
)

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
        "rollback/execute: reverted, not attempted, or why the rollback failed.",
        ("rollback", "execute"),
    ),
    OutputSpec(
        "revert-sha", "rollback: the revert commit pushed (empty when none was).", ("rollback",)
    ),
)

INPUT_NAMES = frozenset(spec.name for spec in INPUTS)
_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_DIGITS = re.compile(r"[0-9]{1,18}")
_TOKEN = re.compile(r"[!-~]+")
_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?")
_TEAM = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9_.-]*")


def read_raw(flags: Mapping[str, str | None], environ: Mapping[str, str]) -> dict[str, str]:
    """Each input's raw text: the flag if given, else ``INPUT_<NAME>``, else empty."""
    raw: dict[str, str] = {}
    for spec in INPUTS:
        flag = flags.get(spec.name)
        text = flag if flag is not None else environ.get(f"INPUT_{spec.name.upper()}", "")
        if not is_utf8(text):  # the value is not shown: it may be the token
            raise UsageError(f"invalid input {spec.name}: not UTF-8 text")
        raw[spec.name] = text
    return raw


def is_utf8(text: str) -> bool:
    """False for text decoded from bytes that are not UTF-8 (Python keeps each such byte as a
    lone surrogate, which no output, file or request can carry)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True, kw_only=True)
class ApproveInputs:
    token: str = field(repr=False)
    policy: Policy
    sources: tuple[Source, ...] | None
    allow_forks: bool
    pr_number: int | None
    sha: str | None

    @classmethod
    def from_raw(cls, raw: Mapping[str, str], environ: Mapping[str, str]) -> ApproveInputs:
        operation = " ".join(raw.get("operation", "").split())
        if not operation:
            raise UsageError("input operation is required: the exact operation to approve")
        policy = Policy(
            operation=operation,
            min_permission=choice(raw, "min-permission", MIN_PERMISSIONS, "write"),
            min_approvals=positive_int(raw, "min-approvals", 1),
            allow_self_approval=boolean(raw, "allow-self-approval"),
            generic_scope=GenericScope(choice(raw, "generic-scope", tuple(GenericScope), "flag")),
            approvers=_approvers(raw.get("approvers", "")),
        )
        pr = raw.get("pr-number", "").strip()
        return cls(
            token=token(raw, environ),
            policy=policy,
            sources=_sources(raw.get("sources", "")),
            allow_forks=boolean(raw, "allow-forks"),
            pr_number=positive_int(raw, "pr-number", 0) if pr else None,
            sha=parse_sha(raw.get("sha", "")),
        )


def value(raw: Mapping[str, str], name: str, default: str) -> str:
    return raw.get(name, "").strip() or default


def choice(raw: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    text = value(raw, name, default)
    if text not in allowed:
        raise UsageError(f"invalid input {name}: {text!r} is not one of {', '.join(allowed)}")
    return text


def positive_int(raw: Mapping[str, str], name: str, default: int) -> int:
    text = value(raw, name, str(default))
    number = _whole_number(text)
    if number is None or number < 1:
        raise UsageError(f"invalid input {name}: {text!r} is not a positive integer")
    return number


def _whole_number(text: str) -> int | None:
    """ASCII digits only (``str.isdigit`` also takes '²', which ``int`` refuses), at most 18 of
    them (``int`` refuses more than 4300; no count applygate takes comes near 18 digits)."""
    if not _DIGITS.fullmatch(text):
        return None
    return int(text)


def duration(raw: Mapping[str, str], name: str, default: str) -> float:
    """Seconds from a duration input (``500ms``, ``90s``, ``10m``, ``1h``); zero is refused."""
    text = value(raw, name, default)
    seconds = parse_duration(text)
    if seconds is None or seconds <= 0:
        raise UsageError(
            f"invalid input {name}: {text!r} is not a duration like 90s, 10m or 1h (at most 168h)"
        )
    return seconds


def boolean(raw: Mapping[str, str], name: str, default: bool = False) -> bool:
    text = value(raw, name, "true" if default else "false").lower()
    if text not in ("true", "false"):
        raise UsageError(f"invalid input {name}: {text!r} is not true or false")
    return text == "true"


def _sources(text: str) -> tuple[Source, ...] | None:
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        return None
    allowed = [source.value for source in Source]
    for name in names:
        if name not in allowed:
            raise UsageError(f"invalid input sources: {name!r} is not one of {', '.join(allowed)}")
    return tuple(dict.fromkeys(Source(name) for name in names))


def _approvers(text: str) -> Approvers:
    logins: set[str] = set()
    teams: list[str] = []
    for entry in re.split(r"[,\n]", text):
        item = entry.strip().removeprefix("@")
        if not item:
            continue
        if "/" in item:
            if not _TEAM.fullmatch(item):
                raise UsageError(f"invalid input approvers: {item!r} is not an org/team-slug")
            teams.append(item.casefold())
        elif _LOGIN.fullmatch(item):
            logins.add(item.casefold())
        else:
            raise UsageError(f"invalid input approvers: {item!r} is not a GitHub login")
    return Approvers(frozenset(logins), tuple(dict.fromkeys(teams)))


def parse_sha(text: str) -> str | None:
    cleaned = text.strip().lower()
    if not cleaned:
        return None
    if not _SHA.fullmatch(cleaned):
        raise UsageError(f"invalid input sha: {text.strip()!r} is not a full commit SHA")
    return cleaned


def token(raw: Mapping[str, str], environ: Mapping[str, str]) -> str:
    """The API token: the ``token`` input, else ``GITHUB_TOKEN``. Never from a flag.

    A token is printable ASCII: one with spaces, line breaks or other characters could not go
    in an HTTP header (and would fail as a misleading network error). The value is never shown.
    """
    given = raw.get("token", "").strip()
    secret = given or environ.get("GITHUB_TOKEN", "").strip()
    if secret and not _TOKEN.fullmatch(secret):
        where = "invalid input token" if given else "GITHUB_TOKEN"
        raise UsageError(f"{where}: not a token (printable ASCII without spaces)")
    return secret


def items(raw: Mapping[str, str], name: str) -> tuple[str, ...]:
    """A comma or newline separated list input, blanks dropped, order and duplicates kept once."""
    parts = (part.strip() for part in re.split(r"[,\n]", raw.get(name, "")))
    return tuple(dict.fromkeys(part for part in parts if part))


def non_negative_int(raw: Mapping[str, str], name: str, default: int) -> int:
    text = value(raw, name, str(default))
    number = _whole_number(text)
    if number is None:
        raise UsageError(f"invalid input {name}: {text!r} is not a whole number")
    return number
