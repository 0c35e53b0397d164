"""The plan fingerprint: what counts as noise, what counts as a change, exit code meanings."""

from __future__ import annotations

import pytest

from applygate.core.fingerprint import (
    EMPTY,
    IgnoreError,
    PlanOutcome,
    compile_ignores,
    fingerprint,
    normalise,
    parse_fingerprint,
    plan_outcome,
)

DEFAULTS = compile_ignores()
PLAN = "Terraform will perform the following actions:\n  + aws_vpc.main\nPlan: 1 to add.\n"


@pytest.mark.parametrize(
    "noisy",
    [
        "\x1b[1mTerraform will perform the following actions:\x1b[0m\n  + aws_vpc.main\n"
        "Plan: 1 to add.\n",
        PLAN.replace("\n", "   \n"),
        PLAN.replace("\n", "\r\n"),
        "\n\n" + PLAN + "\n\n",
        "aws_vpc.main: Refreshing state... [id=vpc-0a1b]\n" + PLAN,
        "data.aws_ami.ubuntu: Reading...\ndata.aws_ami.ubuntu: Read complete after 2s [id=1]\n"
        + PLAN,
        "aws_instance.web: Still creating... [10s elapsed]\n" + PLAN,
        "[prod/vpc] aws_vpc.main: Refreshing state... [id=vpc-1]\n" + PLAN,
        "Acquiring state lock. This may take a few moments...\n"
        + PLAN
        + "Releasing state lock. This may take a few moments...\n",
        "progress 10%\rprogress 100%\r" + PLAN,
        "\x1b]8;;http://x\x07link\x1b]8;;\x07\n".replace("link", "") + PLAN,
    ],
)
def test_noise_does_not_change_the_fingerprint(noisy: str) -> None:
    assert fingerprint(noisy, DEFAULTS) == fingerprint(PLAN, DEFAULTS)


@pytest.mark.parametrize(
    "changed",
    [
        PLAN.replace("1 to add", "2 to add"),
        PLAN.replace("  + aws_vpc.main", "  - aws_vpc.main"),
        PLAN.replace("  +", "    +"),  # leading whitespace is meaningful
        PLAN + "Note: Objects have changed outside of Terraform\n",
    ],
)
def test_real_changes_change_the_fingerprint(changed: str) -> None:
    assert fingerprint(changed, DEFAULTS) != fingerprint(PLAN, DEFAULTS)


def test_user_regexes_add_to_the_defaults() -> None:
    ignores = compile_ignores([r"^Saved the plan to: "])
    noisy = "x: Refreshing state... [id=1]\n" + PLAN + "Saved the plan to: /tmp/abc/tfplan\n"
    assert fingerprint(noisy, ignores) == fingerprint(PLAN, ignores)
    assert len(ignores) == len(DEFAULTS) + 1


def test_an_invalid_regex_says_which_one() -> None:
    with pytest.raises(IgnoreError, match=r"'\(unclosed' is not a valid regex"):
        compile_ignores(["ok", "(unclosed"])


def test_normalise_and_the_digest_format() -> None:
    assert normalise("a  \n\n\x1b[31mb\x1b[0m\n", ()) == "a\nb\n"
    value = fingerprint("a\n", ())
    assert len(value) == 64
    assert parse_fingerprint(value) == value
    assert parse_fingerprint(f"  sha256:{value.upper()} ") == value


@pytest.mark.parametrize("text", ["", "abc", "0" * 63, "0" * 65, "md5:" + "0" * 64])
def test_parse_fingerprint_rejects_what_is_not_a_sha256(text: str) -> None:
    assert parse_fingerprint(text) is None


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        (0, PlanOutcome.NO_CHANGES),
        (2, PlanOutcome.CHANGES),
        (1, PlanOutcome.ERROR),
        (3, PlanOutcome.ERROR),
        (127, PlanOutcome.ERROR),
        (None, PlanOutcome.ERROR),
    ],
)
def test_detailed_exitcode(code: int | None, outcome: PlanOutcome) -> None:
    assert plan_outcome(code) is outcome


@pytest.mark.parametrize(
    ("approved", "now"),
    [
        # CR CR LF line ends (a pty over output that already had CR LF): every line was dropped,
        # so every plan had the fingerprint of nothing
        (PLAN.replace("\n", "\r\r\n"), "No changes.\r\r\n"),
        ("Plan: 1 to destroy.\r\n", "Plan: 0 to destroy.\r\r\n"),
        # an attribute quoting the default noise words is part of the plan, not noise
        (
            '      ~ description = "a: Refreshing state... [id=1]"\n',
            '      ~ description = "a: Refreshing state... [id=2]"\n',
        ),
        # a heredoc line is indented: never taken for a refresh line
        (
            "      web: Still creating... [10s elapsed]\n",
            "      db: Still creating... [10s elapsed]\n",
        ),
        ("  foo bar: Reading...\n", "  foo baz: Reading...\n"),
    ],
)
def test_noise_rules_never_hide_a_change(approved: str, now: str) -> None:
    assert fingerprint(approved, DEFAULTS) != fingerprint(now, DEFAULTS)


@pytest.mark.parametrize("broad", [r".*", r"Plan", r"destroy", r"^\s"])
def test_a_broad_ignore_regex_cannot_hide_what_the_plan_does(broad: str) -> None:
    ignores = compile_ignores([broad])
    destroys = "  # aws_vpc.main will be destroyed\nPlan: 0 to add, 0 to change, 1 to destroy.\n"
    creates = "  # aws_vpc.main will be created\nPlan: 1 to add, 0 to change, 0 to destroy.\n"
    assert fingerprint(destroys, ignores) != fingerprint(creates, ignores)
    assert fingerprint("No changes.\n", ignores) != fingerprint("", ignores)


def test_nothing_left_after_normalising_is_the_empty_fingerprint() -> None:
    assert fingerprint("\x1b[0m\n   \r\n", DEFAULTS) == EMPTY
    assert fingerprint("x: Refreshing state... [id=1]\n", DEFAULTS) == EMPTY
    assert fingerprint("abc\r\r\n", DEFAULTS) != EMPTY
