"""Write action.yml from the input and output registry in applygate.inputs.

    python tools/action_yml.py > action.yml

tests/test_action_yml.py fails when action.yml and the registry disagree.
"""

from __future__ import annotations

import sys

from applygate.inputs.registry import INPUTS, OUTPUTS

HEAD = """\
name: applygate
description: >-
  Gate irreversible operations (terraform apply, kubectl apply, git push): a canonical approval
  bound to the exact commit, a pre-execution checklist, guarded steps, verification and rollback.
author: applygate
branding:
  icon: shield
  color: red
"""

TAIL = """\
runs:
  using: docker
  image: Dockerfile
  args:
    - "${{ inputs.command }}"
"""


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render() -> str:
    out = [HEAD, "inputs:\n"]
    for spec in INPUTS:
        out.append(f"  {spec.name}:\n")
        out.append(f"    description: {quoted(spec.description)}\n")
        out.append(f"    required: {'true' if spec.required else 'false'}\n")
        out.append(f"    default: {quoted(spec.default)}\n")
    out.append("outputs:\n")
    for output in OUTPUTS:
        out.append(f"  {output.name}:\n")
        out.append(f"    description: {quoted(output.description)}\n")
    out.append(TAIL)
    return "".join(out)


if __name__ == "__main__":
    sys.stdout.write(render())
