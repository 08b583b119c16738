"""What `newsroom status` and `/metrics` print, from figures given directly."""

from __future__ import annotations

import asyncio

from newsroom_shared import streams
from newsroom_shared.connection import connect
from newsroom_shared.consumer import ensure_group
from newsroom_shared.status import StageStatus, prometheus, render, stage_status

ENRICH = StageStatus("enrich", "newsroom.articles.ingested.v1", 900, True, 120, 64, 3, 0.4, 1)
NOT_STARTED = StageStatus("publish", "newsroom.articles.enriched.v1", 5, False, 5, 0, 0, None, 0)


def test_metrics_carry_counters_and_the_stages_backlog_in_prometheus_text_format() -> None:
    text = prometheus(ENRICH, {"processed": 10, "dead_lettered": 1, "retried": 4, "claimed": 2})
    assert 'newsroom_entries_total{stage="enrich",outcome="processed"} 10\n' in text
    assert 'newsroom_entries_total{stage="enrich",outcome="skipped"} 0\n' in text
    # retries are events, not outcomes: an entry retried twice and then processed counts once above
    assert 'newsroom_retries_total{stage="enrich"} 4\n' in text and 'outcome="retried"' not in text
    assert 'newsroom_reclaimed_total{stage="enrich"} 2\n' in text
    assert "# TYPE newsroom_entries_total counter\n" in text
    assert 'newsroom_stream_lag{stage="enrich"} 120\n' in text
    assert 'newsroom_longest_held_seconds{stage="enrich"} 0.4\n' in text
    assert 'newsroom_consumers{stage="enrich"} 3\n' in text and text.endswith("\n")


def test_a_figure_the_server_cannot_give_is_left_out_rather_than_reported_as_zero() -> None:
    unknown = StageStatus("enrich", "s", 0, True, None, 0, 1, None, 0)
    text = prometheus(unknown, {})
    assert "newsroom_stream_lag" not in text and "newsroom_longest_held_seconds" not in text
    assert 'newsroom_stream_pending{stage="enrich"} 0' in text


def test_status_table_says_when_a_stage_has_not_started() -> None:
    table = render({"stages": [ENRICH.as_dict(), NOT_STARTED.as_dict()], "published": 7}).splitlines()
    assert table[1].split()[:6] == ["enrich", "newsroom.articles.ingested.v1", "900", "120", "64", "3"]
    assert "not started" in table[2] and table[-1] == "published events kept: 7"


async def test_a_backlog_is_not_mistaken_for_a_stuck_consumer(redis_url: str) -> None:
    """What is measured is how long an entry has been held since delivered, not how old it is."""
    client = connect(redis_url)
    try:
        await ensure_group(client, streams.INGESTED, "enrich")
        await client.xadd(streams.INGESTED, {"n": "1"})
        await asyncio.sleep(1.5)  # the entry waits in the backlog
        await client.xreadgroup("enrich", "worker-1", {streams.INGESTED: ">"}, count=1)
        status = await stage_status(client, "enrich")
        assert status.pending == 1 and status.longest_held_s is not None and status.longest_held_s < 1.0
    finally:
        await client.aclose()


async def test_a_stage_holding_nothing_reports_zero_held_not_a_gap(redis_url: str) -> None:
    client = connect(redis_url)
    try:
        await ensure_group(client, streams.INGESTED, "enrich")
        status = await stage_status(client, "enrich")
        assert status.pending == 0 and status.longest_held_s == 0.0
        assert 'newsroom_longest_held_seconds{stage="enrich"} 0.0' in prometheus(status, {})
    finally:
        await client.aclose()
