"""What every test shares."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _no_pending_publication_outlives_its_test() -> Iterator[None]:
    """The CLI ends publications left pending (a process-wide list) when a command dies; a test
    that starts one and never finishes it must not hand it to the next test's crash."""
    yield
    publishing = sys.modules.get("applygate.flows.publication")
    if publishing is not None:
        publishing._UNFINISHED.clear()
