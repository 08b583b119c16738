"""Several submissions of one article in a batch, while another writer commits the same article
between the batch's state read and its commit (another replica, or an HTTP POST)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import redis
from newsroom_ingest import pipeline, submissions
from newsroom_ingest.events import RECEIPTS
from newsroom_ingest.importers import parse_article
from newsroom_ingest.submissions import SubmissionsHandler
from newsroom_shared import streams
from newsroom_shared.commit import Committer
from newsroom_shared.connection import connect
from newsroom_shared.consumer import StreamConsumer
from newsroom_shared.settings import NewsroomSettings


def text(body: str, version: int | None = None) -> str:
    doc: dict[str, Any] = {
        "article_id": "pier-9",
        "headline": "Pier repairs",
        "body_text": body,
        "first_published_at": "2026-02-02T08:00:00+00:00",
    }
    if version is not None:
        doc["source_version"] = version
    return json.dumps(doc)


async def run_with_intruder(redis_url: str, intruder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Consume what is on the stream; the intruder commits right after the batch read its states."""
    settings = NewsroomSettings(redis_url=redis_url, retry_base_ms=10, block_ms=50)
    client = connect(redis_url)
    read_states = submissions.read_states
    fired = False

    async def read_then_intrude(r: Any, ids: Any) -> Any:
        nonlocal fired
        states = await read_states(r, ids)
        if not fired:
            fired = True
            article = parse_article(intruder.encode(), tz=settings.tz, fmt="native")
            await pipeline.submit(client, Committer(client), article)
        return states

    monkeypatch.setattr(submissions, "read_states", read_then_intrude)
    handler = SubmissionsHandler(client, Committer(client), settings)
    consumer = StreamConsumer(client, settings, handler, streams.SUBMITTED, "ingest", "race-test")
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        async with asyncio.timeout(20):
            while await client.xlen(RECEIPTS) < await client.xlen(streams.SUBMITTED):
                await asyncio.sleep(0.02)
    finally:
        stop.set()
        await task
        await client.aclose()


def ingested(client: redis.Redis) -> list[tuple[int, str]]:
    entries: Any = client.xrange(streams.INGESTED)
    return [(int(f["revision"]), json.loads(f["data"])["body_text"]) for _, f in entries]


def receipts(client: redis.Redis) -> dict[str, dict[str, str]]:
    entries: Any = client.xrange(RECEIPTS)
    return {f["correlation_id"]: f for _, f in entries}


async def test_an_older_source_version_never_lands_on_a_newer_one_committed_mid_batch(
    redis_url: str, redis_client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    redis_client.xadd(streams.SUBMITTED, {"body": text("Version five.", 5), "correlation_id": "v5"})
    redis_client.xadd(streams.SUBMITTED, {"body": text("Version six.", 6), "correlation_id": "v6"})
    await run_with_intruder(redis_url, text("Version seven.", 7), monkeypatch)
    assert ingested(redis_client) == [(1, "Version seven.")]
    got = receipts(redis_client)
    assert [(got[c]["status"], got[c]["revision"]) for c in ("v5", "v6")] == [("superseded", "1")] * 2


async def test_a_duplicate_receipt_names_the_revision_that_holds_its_text(
    redis_url: str, redis_client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    for correlation in ("first", "again"):
        redis_client.xadd(streams.SUBMITTED, {"body": text("Our text."), "correlation_id": correlation})
    await run_with_intruder(redis_url, text("Their text."), monkeypatch)
    assert ingested(redis_client) == [(1, "Their text."), (2, "Our text.")]
    got = receipts(redis_client)
    assert (got["first"]["status"], got["first"]["revision"]) == ("accepted", "2")
    assert (got["again"]["status"], got["again"]["revision"]) == ("duplicate", "2")


async def test_submissions_of_a_batch_keep_their_order_around_a_concurrent_writer(
    redis_url: str, redis_client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    redis_client.xadd(streams.SUBMITTED, {"body": text("Earlier."), "correlation_id": "earlier"})
    redis_client.xadd(streams.SUBMITTED, {"body": text("Later."), "correlation_id": "later"})
    await run_with_intruder(redis_url, text("Concurrent."), monkeypatch)
    assert ingested(redis_client) == [(1, "Concurrent."), (2, "Earlier."), (3, "Later.")]


def without_id(headline: str, body: str) -> str:
    """A submission whose id ingest derives from source, authors and day, all shared here."""
    doc = {
        "source": "harbour-desk",
        "authors": ["Ada Lind"],
        "headline": headline,
        "body_text": body,
        "first_published_at": "2026-03-03T07:00:00+00:00",
    }
    return json.dumps(doc)


async def test_a_refusal_decided_on_a_step_that_lost_its_race_is_decided_again(
    redis_url: str, redis_client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the storm piece is refused as another article than the ferry piece planned before it, but the
    # ferry piece loses to a writer whose article the storm piece is a revision of
    ferry = without_id("Ferry timetable changes", "Winter sailings start early.")
    storm = without_id("Storm closes the quay", "Gusts reached ninety knots.")
    redis_client.xadd(streams.SUBMITTED, {"body": ferry, "correlation_id": "ferry"})
    redis_client.xadd(streams.SUBMITTED, {"body": storm, "correlation_id": "storm"})
    intruder = without_id("Storm closes the quay", "Gusts reached eighty knots.")
    await run_with_intruder(redis_url, intruder, monkeypatch)
    assert ingested(redis_client) == [(1, "Gusts reached eighty knots."), (2, "Gusts reached ninety knots.")]
    got = receipts(redis_client)
    assert (got["storm"]["status"], got["storm"]["revision"]) == ("accepted", "2")
    assert got["ferry"]["status"] == "refused" and "another article" in got["ferry"]["error"]
    [(_, letter)] = redis_client.xrange("newsroom.deadletter.ingest.v1")
    assert letter["entry.correlation_id"] == "ferry"
