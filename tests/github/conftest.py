"""Fixtures of the GitHub adapter tests: the API under ``responses`` (every registered answer
must be asked for) and a clock that only moves when the code sleeps."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses
from tests.support.api_mock import Clock


@pytest.fixture
def api() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def clock() -> Clock:
    return Clock()
