"""The runner adapter in its two modes: workflow commands for the Actions log, plain lines for a
person at a terminal."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from applygate.adapters.runner import Runner

Use = Callable[[Runner], None]


def grouped(runner: Runner) -> None:
    runner.group("step 1/2: a%b")
    runner.print("out")
    runner.end_group()


CASES: list[tuple[str, Use, str, str, str]] = [
    # (id, what the command does, Actions stdout, local stdout, local stderr)
    ("mask", lambda r: r.mask("s3cret"), "::add-mask::s3cret\n", "", ""),
    (
        "group",
        grouped,
        "::group::step 1/2: a%25b\nout\n::endgroup::\n",
        "== step 1/2: a%b\nout\n",
        "",
    ),
    (
        "warning",
        lambda r: r.annotate("warning", "mask names X, which is not set", "applygate: mask"),
        "::warning title=applygate%3A mask::mask names X, which is not set\n",
        "",
        "warning: applygate: mask: mask names X, which is not set\n",
    ),
    (
        "untitled",
        lambda r: r.annotate("warning", "generic scope"),
        "::warning::generic scope\n",
        "",
        "warning: generic scope\n",
    ),
    (
        "reported",
        lambda r: r.annotate("error", "clean: dirty", "applygate preflight: clean", reported=True),
        "::error title=applygate preflight%3A clean::clean: dirty\n",
        "",
        "",
    ),
    (
        "shown above",
        lambda r: r.annotate("error", "exited 1", "applygate fingerprint", shown_above="boom\n"),
        "::error title=applygate fingerprint::exited 1%0Aboom\n",
        "",
        "error: applygate fingerprint: exited 1\n",
    ),
    ("note", lambda r: r.note("report: /tmp/r.json"), "", "report: /tmp/r.json\n", ""),
]


@pytest.mark.parametrize(
    ("use", "in_actions", "local_out", "local_err"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_runner_speaks_to_the_log_or_to_a_person(
    use: Use, in_actions: str, local_out: str, local_err: str
) -> None:
    out, err = io.StringIO(), io.StringIO()
    use(Runner(stream=out, errors=err))
    assert (out.getvalue(), err.getvalue()) == (in_actions, "")
    out, err = io.StringIO(), io.StringIO()
    use(Runner(stream=out, errors=err, actions=False))
    assert (out.getvalue(), err.getvalue()) == (local_out, local_err)
