"""The fingerprint computed as the dry-run's stdout arrives: byte for byte the value of the whole
text, however the lines were cut into pieces by the reads."""

from __future__ import annotations

import pytest

from applygate.core.fingerprint import PlanHasher, compile_ignores, fingerprint
from applygate.core.lines import LineSplitter
from applygate.core.redact import Redactor

DEFAULTS = compile_ignores(["^Saved the plan to: "])
PLAN = (
    "Acquiring state lock. This may take a few moments...\n"
    "aws_vpc.main: Refreshing state... [id=vpc-0a1b]\n"
    "\x1b[1mTerraform will perform the following actions:\x1b[0m\r\n"
    "  # aws_instance.web will be created\n"
    '  + resource "aws_instance" "web" {   \n'
    '      + ami  = "ami-0abc"\n'
    "      + tags = {\n"
    '          + "Name" = "token-hunter2-secret"\n'
    "        }\n"
    "    }\n\n\n"
    "progress 10%\rprogress 50%\rPlan: 1 to add, 0 to change, 0 to destroy.\n"
    "Saved the plan to: /tmp/abc/tfplan\n"
    "\x1b]8;;http://x\x07\x1b]8;;\x07 trailing\ttab\t\r\r\n"
    "unicode ✓ │ é\n"
).encode() + b"invalid \xff\xfe utf-8, no newline at the end"


def streamed(
    data: bytes, limit: int, redact: Redactor, long_line: int = 1 << 20, chunk: int = 100
) -> str:
    """The fingerprint as run_shell's reader feeds it: reads, pieces, the hasher."""
    lines, plan = LineSplitter(redact, limit), PlanHasher(DEFAULTS, long_line)
    for start in range(0, len(data), chunk):
        for text, ends_line in zip(*lines.feed(data[start : start + chunk]), strict=True):
            plan.add(text, ends_line)
    for text, ends_line in zip(*lines.finish(), strict=True):
        plan.add(text, ends_line)
    return plan.hexdigest()


def whole(data: bytes, redact: Redactor) -> str:
    """The fingerprint as it always was: of run_shell's stdout, every line kept."""
    raws = data.split(b"\n")
    raws = raws[:-1] if raws[-1] == b"" else raws
    stdout = "".join(
        redact(r.decode("utf-8", "backslashreplace").rstrip("\r\n")) + "\n" for r in raws
    )
    return fingerprint(stdout, DEFAULTS)


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 16, 64, 1 << 20])
@pytest.mark.parametrize("secrets", [(), ("hunter2-secret",)])
def test_the_streamed_fingerprint_is_the_fingerprint(limit: int, secrets: tuple[str, ...]) -> None:
    redact = Redactor.of(secrets)
    data = PLAN
    for chunk in (1, 7, 4096):
        assert streamed(data, limit, redact, chunk=chunk) == whole(data, redact)


@pytest.mark.parametrize(
    "text", ["", "\n", "a", "a\n\n", "\r\n", "x\r", "  \n\t\n", "a" * 300 + "\rb\n"]
)
def test_edge_texts(text: str) -> None:
    for limit in (1, 4, 1000):
        assert streamed(text.encode(), limit, Redactor()) == whole(text.encode(), Redactor())


def test_a_line_too_long_to_normalise_is_hashed_as_it_came() -> None:
    long = b"resource " + b"x" * 5000 + b"\n"
    plan = b"Plan: 1 to add.\n"
    value = streamed(long + plan, 64, Redactor(), long_line=1000)
    assert value != whole(long + plan, Redactor())  # not normalised: another value ...
    assert value == streamed(long + plan, 256, Redactor(), long_line=1000)  # ... but the same
    changed = long.replace(b"x", b"y", 1)
    assert streamed(changed + plan, 64, Redactor(), long_line=1000) != value
    spaced = long.replace(b"\n", b" \n")  # even noise changes it: fails closed
    assert streamed(spaced + plan, 64, Redactor(), long_line=1000) != value


def test_a_long_redrawn_line_is_normalised_after_its_last_redraw() -> None:
    data = b"".join(f"progress {n}%\r".encode() for n in range(2000)) + b"done   \n"
    assert streamed(data, 64, Redactor(), long_line=1000) == whole(data, Redactor())
