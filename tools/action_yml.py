"""Write action.yml and delivery/docker-action.json from the input and output registry.

    python tools/action_yml.py          (writes both)

action.yml is a composite action: delivery/resolve_image.py picks the image (the one published for
the action's ref, pinned by digest, or the Dockerfile) and writes the Docker action
delivery/docker-action.json describes, which the next step runs with every input forwarded.
tests/test_action_yml.py fails when either file and the registry disagree.
"""

from __future__ import annotations

import json
from pathlib import Path

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

ROOT = Path(__file__).resolve().parents[1]
GENERATED = ".github/.tmp/.generated-actions/applygate"  # delivery/resolve_image.py's GENERATED
RESOLVE = """\
    - id: image
      shell: bash
      env:
        ACTION_PATH: ${{ github.action_path }}
        ACTION_REPOSITORY: ${{ github.action_repository }}
        ACTION_REF: ${{ github.action_ref }}
      run: python3 "$ACTION_PATH/delivery/resolve_image.py"
"""
CLEAN = f"""\
    - if: always()
      shell: bash
      run: rm -rf "$GITHUB_WORKSPACE/{GENERATED}"
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
        out.append(f"    value: {quoted('${{ steps.run.outputs.' + output.name + ' }}')}\n")
    out.append("runs:\n  using: composite\n  steps:\n")
    out.append(RESOLVE)
    out.append(f"    - id: run\n      uses: ./{GENERATED}\n      with:\n")
    for spec in INPUTS:
        out.append(f"        {spec.name}: {quoted('${{ inputs.' + spec.name + ' }}')}\n")
    out.append(CLEAN)
    return "".join(out)


def render_docker_action() -> str:
    """The Docker action resolve_image.py writes; it fills in ``runs.image``."""
    action = {
        "name": "applygate (the image)",
        "description": "Written by applygate's action.yml: runs the image it resolved.",
        "inputs": {
            spec.name: {"description": spec.description, "required": spec.required}
            for spec in INPUTS
        },
        "outputs": {output.name: {"description": output.description} for output in OUTPUTS},
        "runs": {"using": "docker", "image": "", "args": ["${{ inputs.command }}"]},
    }
    return json.dumps(action, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    (ROOT / "action.yml").write_text(render())
    (ROOT / "delivery" / "docker-action.json").write_text(render_docker_action())
