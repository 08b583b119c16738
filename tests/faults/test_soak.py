"""A small soak in CI: the same command operators run at 10,000 articles."""

from __future__ import annotations

import pytest
from newsroom_shared.soak import run_soak

pytestmark = pytest.mark.faults


def test_soak_with_random_kills_loses_nothing_and_publishes_nothing_twice(redis_url: str) -> None:
    report = run_soak(400, faults=True, replicas=2, revise_every=5, timeout=240, redis_url=redis_url)
    assert report.kills > 0
    assert report.lost == 0 and report.duplicates == 0
    assert report.accepted == report.submitted
    assert report.published + report.superseded == report.accepted
    assert report.dead_lettered == 0
