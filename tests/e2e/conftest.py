"""The git fixtures of tests/git, for end-to-end tests that need real repositories."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.git.conftest import Repos, repos, root_only, seeded_template
from tests.support.live_system import System, make_system

__all__ = ["repos", "root_only", "seeded_template", "system"]


@pytest.fixture
def system(repos: Repos, tmp_path: Path) -> System:
    """A good commit applied, the bad one approved and pushed (tests/support/live_system.py)."""
    return make_system(repos, tmp_path)
