"""Check the bundled sample approvals against an operation and show each verdict and why.

No GitHub access: the pull request, its comments and reviews, and who holds which permission are
read from examples/demo/scenario.json and decided by the same core that `applygate approve` uses;
then two comments are tried as `applygate check-comment` would before they are posted.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from applygate.core.approval import Binding, Push, Source, Submission, decide, screen
from applygate.core.comment_check import check_comment, render_check
from applygate.core.policy import (
    AuthFacts,
    Author,
    Authorization,
    PermissionFact,
    Policy,
    authorize,
)
from applygate.core.report import render_console

SCENARIO = Path(__file__).parent / "demo" / "scenario.json"


def main() -> int:
    data = json.loads(SCENARIO.read_text(encoding="utf-8"))
    binding = Binding(
        sha=data["sha"],
        pr_number=data["pr_number"],
        push=Push(datetime.fromisoformat(data["pushed_at"]), data["pusher"]),
        pr_author=data["pr_author"],
    )
    policy = Policy(operation=data["operation"], min_approvals=data["min_approvals"])
    subs = [
        Submission(
            source=Source(item["source"]),
            ref=item["ref"],
            author=Author(item["author"], item["author"].endswith("[bot]"))
            if item["author"]
            else None,
            body=item["body"],
            created_at=datetime.fromisoformat(item["created_at"]),
            edited=item.get("edited", False),
            state=item.get("state"),
            commit_id=item.get("commit_id"),
        )
        for item in data["submissions"]
    ]
    screening = screen(subs, policy, binding)
    found = {}
    for key, author in screening.authors.items():
        permission = PermissionFact(data["permissions"].get(key, "none"))
        step = authorize(author, AuthFacts(permission=permission), policy)
        found[key] = step if isinstance(step, Authorization) else Authorization(key, False)
    decision = decide(screening, found, policy, binding)
    print(render_console(decision))
    # what `applygate check-comment --operation ...` answers, before a comment is posted
    for body in data["try_before_posting"]:
        typed = body.replace("\n", "\\n")
        print(f"\n$ printf '{typed}' | applygate check-comment --operation '{policy.operation}'")
        print(render_check(check_comment(body, policy.operation, None), policy.operation), end="")
    return 0 if decision.approved else 1


if __name__ == "__main__":
    code = main()
    print(f"\nexit code would be {code} ({'approved' if code == 0 else 'blocked'})")
    sys.exit(0)
