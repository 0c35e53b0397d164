"""Inputs: INPUT_* with hyphens kept, flags winning, one-line errors naming the input."""

from __future__ import annotations

import pytest

from applygate.cli import build_parser
from applygate.core.approval import Source
from applygate.core.policy import Approvers, GenericScope
from applygate.errors import UsageError
from applygate.inputs import INPUTS, ApproveInputs, read_raw

BASE = {"INPUT_OPERATION": "terraform apply prod/vpc"}


def inputs(env: dict[str, str], flags: dict[str, str | None] | None = None) -> ApproveInputs:
    environ = {**BASE, **env}
    return ApproveInputs.from_raw(read_raw(flags or {}, environ), environ)


def test_defaults() -> None:
    got = inputs({})
    assert got.policy.min_approvals == 1
    assert got.policy.min_permission == "write"
    assert got.policy.generic_scope is GenericScope.FLAG
    assert not got.policy.allow_self_approval
    assert got.sources is None
    assert got.pr_number is None and got.sha is None


def test_runner_sets_every_input_with_hyphens_kept_and_empty_means_default() -> None:
    got = inputs(
        {
            "INPUT_MIN-APPROVALS": "2",
            "INPUT_ALLOW-FORKS": "true",
            "INPUT_SHA": "",
            "INPUT_PR-NUMBER": "",
        }
    )
    assert got.policy.min_approvals == 2
    assert got.allow_forks
    assert got.sha is None


def test_underscored_names_are_not_the_runners_and_are_ignored() -> None:
    assert inputs({"INPUT_MIN_APPROVALS": "3"}).policy.min_approvals == 1


def test_flags_win_over_environment() -> None:
    got = inputs({"INPUT_MIN-APPROVALS": "2"}, {"min-approvals": "3"})
    assert got.policy.min_approvals == 3


def test_token_falls_back_to_github_token_and_is_not_in_repr() -> None:
    got = inputs({"GITHUB_TOKEN": "ghs_secret"})
    assert got.token == "ghs_secret"
    assert "ghs_secret" not in repr(got)
    assert inputs({"INPUT_TOKEN": "ghp_x", "GITHUB_TOKEN": "ghs_y"}).token == "ghp_x"


def test_operation_whitespace_is_collapsed() -> None:
    assert inputs({"INPUT_OPERATION": "  terraform   apply  prod/vpc "}).policy.operation == (
        "terraform apply prod/vpc"
    )


def test_approvers_parse_logins_and_teams() -> None:
    got = inputs({"INPUT_APPROVERS": "Alice, @bob\nacme/SRE,\n ci-bot[bot] ,"})
    assert got.policy.approvers == Approvers(
        frozenset({"alice", "bob", "ci-bot[bot]"}), ("acme/sre",)
    )


def test_sources() -> None:
    got = inputs({"INPUT_SOURCES": "pr-review, environment,pr-review"})
    assert got.sources == (Source.PR_REVIEW, Source.ENVIRONMENT)


def test_sha_is_lowercased() -> None:
    sha = "6DCB09B5B57875F334F61AEBED695E2E4193DB5E"
    assert inputs({"INPUT_SHA": sha}).sha == sha.lower()


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"INPUT_OPERATION": "  "}, "operation"),
        ({"INPUT_MIN-APPROVALS": "abc"}, "min-approvals"),
        ({"INPUT_MIN-APPROVALS": "0"}, "min-approvals"),
        ({"INPUT_MIN-APPROVALS": "-1"}, "min-approvals"),
        ({"INPUT_MIN-PERMISSION": "read"}, "min-permission"),
        ({"INPUT_ALLOW-SELF-APPROVAL": "yes"}, "allow-self-approval"),
        ({"INPUT_ALLOW-FORKS": "1"}, "allow-forks"),
        ({"INPUT_GENERIC-SCOPE": "allow"}, "generic-scope"),
        ({"INPUT_SOURCES": "pr-comment,slack"}, "sources"),
        ({"INPUT_APPROVERS": "alice bob"}, "approvers"),
        ({"INPUT_APPROVERS": "acme/"}, "approvers"),
        ({"INPUT_PR-NUMBER": "seven"}, "pr-number"),
        ({"INPUT_PR-NUMBER": "²"}, "pr-number"),  # a digit to str.isdigit, not to int
        ({"INPUT_MIN-APPROVALS": "\uff11"}, "min-approvals"),  # a full-width 1
        ({"INPUT_MIN-APPROVALS": "9" * 5000}, "min-approvals"),  # more than int takes
        ({"INPUT_SHA": "abc123"}, "sha"),
    ],
)
def test_invalid_values_name_the_input(env: dict[str, str], named: str) -> None:
    with pytest.raises(UsageError) as raised:
        inputs(env)
    message = str(raised.value)
    assert named in message
    assert "\n" not in message


def test_help_lists_every_flag_with_its_default_and_no_secret() -> None:
    text = " ".join(build_parser().format_help().split())  # argparse wraps lines
    for spec in INPUTS:
        assert (f"--{spec.name} {spec.name.upper()}" in text) is spec.flag, spec.name
    assert "approve: distinct authorized people whose approval is required. Default: 1." in text
    assert "--token" not in text
