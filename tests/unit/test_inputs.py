"""Inputs: INPUT_* with hyphens kept, flags winning, one-line errors naming the input."""

from __future__ import annotations

import pytest

from applygate.cli import command_parser, top_parser
from applygate.core.approval import Source
from applygate.core.policy import Approvers, GenericScope
from applygate.errors import UsageError
from applygate.inputs.approve import ApproveInputs
from applygate.inputs.registry import COMMAND_NAMES, INPUTS, env_name, inputs_of, read_raw

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


@pytest.mark.parametrize("command", COMMAND_NAMES)
def test_each_commands_help_lists_its_own_flags_only_with_default_and_variable(
    command: str,
) -> None:
    text = " ".join(command_parser(command).format_help().split())  # argparse wraps lines
    mine = {spec.name for spec in inputs_of(command)}
    for spec in INPUTS:
        listed = f"--{spec.name} {spec.name.upper()}" in text
        assert listed is (spec.flag and spec.name in mine), (command, spec.name)
        if listed and spec.default:  # argparse may wrap a long default at a hyphen
            assert f"Default: {spec.default}." in text.replace("- ", "-")
        if listed:
            assert (
                f"(or {env_name(spec)})" in " ".join(text.split("- ")) or env_name(spec)[:9] in text
            )
    assert "--token" not in text
    assert "exit codes: 0" in text


def test_the_top_help_lists_every_command() -> None:
    text = top_parser().format_help()
    assert all(f"  {name} " in text for name in COMMAND_NAMES)
    assert "--operation" not in text


def test_fingerprints_help_shows_the_command_after_the_double_dash() -> None:
    assert (
        "applygate fingerprint [flags] [-- <dry-run command>]"
        in command_parser("fingerprint").format_help()
    )
