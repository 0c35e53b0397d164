"""The git fixtures of tests/git, for command tests that need real repositories."""

from __future__ import annotations

from tests.git.conftest import repos, root_only, seeded_template

__all__ = ["repos", "root_only", "seeded_template"]
