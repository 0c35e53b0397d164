"""``applygate check-comment``: would a comment approve the operation? Try it before posting.

Reads a body from a file or standard input and prints, for each line that reads like a token,
whether it would count and why. No GitHub access. Exit 0: an approval would count (and no denial
would); 1: not; 2: bad input.
"""

from __future__ import annotations

import sys
from pathlib import Path

from applygate.adapters.config_file import read_config
from applygate.core.comment_check import approves, check_comment, render_check
from applygate.errors import UsageError
from applygate.inputs.check_comment import CheckCommentInputs
from applygate.job import Job

# GitHub's limit on a comment's body, in characters.
MAX_BODY = 65_536


def run(inputs: CheckCommentInputs, job: Job) -> int:
    body = read_body(inputs.comment_file)
    checks = check_comment(body, inputs.operation, inputs.sha, inputs.generic)
    job.runner.print(render_check(checks, inputs.operation).rstrip("\n"))
    return 0 if approves(checks) else 1


def read_body(path: str) -> str:
    """The comment's text, from ``path`` or standard input (``-``): UTF-8, GitHub's size. A file
    is read as every input file is (a regular file only, bounded: /dev/zero or a FIFO is an
    error, not a hang)."""
    limit = MAX_BODY * 4  # UTF-8 takes at most four bytes a character
    if path != "-":
        body = read_config(Path(path), f"input comment-file: {path!r}", limit=limit)
    else:
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise UsageError(f"input comment-file: more than GitHub's {MAX_BODY:,} characters")
        try:
            body = data.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError(f"input comment-file: {path!r} is not UTF-8 text") from None
    if len(body) > MAX_BODY:
        raise UsageError(
            f"input comment-file: {len(body):,} characters; GitHub takes at most {MAX_BODY:,}"
        )
    return body
