"""`newsroom dlq`: a dead-lettered article is listed, replayed to the start of its stage, published."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
import redis
from newsroom_shared import dlq, streams
from newsroom_shared.dlq import AUDIT_STREAM
from newsroom_shared.testing import wait_for

from tests.faults.checks import submit


def newsroom(redis_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NEWSROOM_REDIS_URL": redis_url}
    return subprocess.run(
        [sys.executable, "-m", "newsroom_shared.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=check,
    )


def test_dead_letter_is_listed_replayed_and_then_published(
    stack_factory: Any, redis_client: redis.Redis, redis_url: str
) -> None:
    broken = stack_factory(
        NEWSROOM_FAULT_POISON="dlq-",
        NEWSROOM_FAULT_STAGES="publish",
        NEWSROOM_MAX_ATTEMPTS="2",
        NEWSROOM_RETRY_BASE_MS="20",
    )
    for name in ("ingest", "enrich", "publish"):
        broken.add(name)
    submit(redis_client, ["dlq-1", "fine-1"])
    wait_for(lambda: redis_client.xlen(streams.dead_letter_stream("publish")) == 1, message="dead letter")

    listed = newsroom(redis_url, "dlq", "list", "--stage", "publish").stdout
    assert "dlq-1" in listed and "InjectedFault" in listed and "1 dead letter(s)" in listed
    shown = json.loads(newsroom(redis_url, "dlq", "show", "--article", "dlq-1").stdout)
    assert shown["origin_stream"] == streams.ENRICHED and shown["attempts"] == "2"

    broken.stop()  # the fault is fixed: publish runs again without it
    fixed = stack_factory()
    fixed.add("publish")
    replayed = newsroom(redis_url, "dlq", "replay", "--article", "dlq-1").stdout
    assert "1 replayed" in replayed
    wait_for(
        lambda: any(f["article_id"] == "dlq-1" for _, f in redis_client.xrange(streams.PUBLISHED)),
        message="replayed article published",
    )
    assert redis_client.xlen(streams.dead_letter_stream("publish")) == 0
    [(_, audit)] = redis_client.xrange(AUDIT_STREAM)
    assert audit["action"] == "replayed" and audit["article_id"] == "dlq-1"

    purge = subprocess.run(
        [sys.executable, "-m", "newsroom_shared.cli", "dlq", "purge"],
        env={**os.environ, "NEWSROOM_REDIS_URL": redis_url},
        capture_output=True,
        text=True,
    )
    assert purge.returncode == 2  # refuses without --yes


def test_entries_that_are_not_utf8_are_dead_lettered_with_their_bytes_and_the_batch_goes_on(
    stack: Any, redis_url: str
) -> None:
    raw = redis.Redis.from_url(redis_url)  # bytes in, bytes out: what a careless producer writes
    bad = b'{"headline": "Caf\xe9 opens", "body_text": "x", "first_published_at": "2025-03-01T10:00:00Z"}'
    fine = b'{"headline": "Bakery opens", "body_text": "Bread.", "first_published_at": "2025-03-01"}'
    raw.xadd(streams.SUBMITTED, {"body": bad, "article_id": "utf8-bad"})
    raw.xadd(streams.SUBMITTED, {"body": fine, "article_id": b"utf8-\xff"})
    raw.xadd(streams.SUBMITTED, {"body": fine, "article_id": "utf8-fine"})

    wait_for(lambda: raw.xlen(streams.PUBLISHED) == 1, message="the valid entry published")
    letters = [f for _, f in raw.xrange(streams.dead_letter_stream("ingest"))]
    assert [(f[b"entry.article_id"], f[b"error"].split(b":")[0]) for f in letters] == [
        (b"utf8-bad", b"body"),
        (b"utf8-\xff", b"article_id"),
    ]
    assert letters[0][b"error"] == b"body: not valid UTF-8 at byte 17" and letters[0][b"entry.body"] == bad
    ingest = stack.first("ingest")
    assert ingest.process.poll() is None  # still running
    logged = [line for line in ingest.log_path.read_text().splitlines() if "dead-lettered" in line]
    assert len(logged) == 2 and "utf8-bad" in logged[0] and "not valid UTF-8 at byte 17" in logged[0]

    listed = newsroom(redis_url, "dlq", "list", "--stage", "ingest").stdout
    assert "article=utf8-bad" in listed and "article=utf8-\\udcff" in listed
    assert "1 replayed" in newsroom(redis_url, "dlq", "replay", "--article", "utf8-bad").stdout
    wait_for(lambda: raw.xlen(streams.dead_letter_stream("ingest")) == 2, message="dead-lettered again")
    again = raw.xrange(streams.dead_letter_stream("ingest"))[-1][1]
    assert again[b"entry.body"] == bad  # the replay sent the bytes as written, not a re-encoding


def test_a_refused_submission_is_listed_under_the_id_its_document_names(stack: Any, redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    no_headline = {"article_id": "x9", "body_text": "Text.", "first_published_at": "2025-03-01"}
    client.xadd(streams.SUBMITTED, {"body": json.dumps(no_headline)})
    wait_for(lambda: client.xlen(streams.dead_letter_stream("ingest")) == 1, message="dead letter")
    listed = newsroom(redis_url, "dlq", "list", "--article", "x9").stdout
    assert "1 dead letter(s)" in listed and "headline" in listed


def test_a_dead_letter_listed_twice_is_replayed_once(redis_client: redis.Redis) -> None:
    # two operators list the same letter, then both replay it (or one command runs twice)
    stream = streams.dead_letter_stream("publish")
    redis_client.xadd(
        stream,
        {"origin_stream": streams.ENRICHED, "origin_id": "1-1", "article_id": "twice-1", "entry.n": "1"},
    )
    first_listing, second_listing = dlq.find(redis_client), dlq.find(redis_client)
    [new_id] = dlq.replay(redis_client, first_listing, "one@desk")
    assert new_id is not None
    assert dlq.replay(redis_client, second_listing, "two@desk") == [None]
    assert dlq.purge(redis_client, second_listing, "two@desk") == 0
    assert [f for _, f in redis_client.xrange(streams.ENRICHED)] == [{"n": "1"}]
    assert [a["action"] for _, a in redis_client.xrange(AUDIT_STREAM)] == ["replayed"]
    assert redis_client.hgetall("newsroom:deadletter:replays") == {"publish:1-1": "1"}
    assert redis_client.xlen(stream) == 0


def test_a_replay_that_cannot_be_written_leaves_the_dead_letter_in_place(redis_client: redis.Redis) -> None:
    stream = streams.dead_letter_stream("publish")
    redis_client.xadd(stream, {"origin_stream": "test.not-a-stream", "origin_id": "1-1", "entry.n": "1"})
    redis_client.set("test.not-a-stream", "an operator's mistake")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        dlq.replay(redis_client, dlq.find(redis_client), "one@desk")
    assert redis_client.xlen(stream) == 1  # not dropped silently


def test_a_dead_letter_that_kept_only_part_of_its_entry_is_not_replayed(redis_client: redis.Redis) -> None:
    stream = streams.dead_letter_stream("ingest")
    letter = {
        "origin_stream": streams.SUBMITTED,
        "origin_id": "1-1",
        "entry.n": "1",
        "entry_fields_dropped": "4100",
    }
    redis_client.xadd(stream, letter)
    with pytest.raises(dlq.Incomplete, match="4100 fields"):
        dlq.replay(redis_client, dlq.find(redis_client), "one@desk")
    assert redis_client.xlen(stream) == 1 and redis_client.xlen(streams.SUBMITTED) == 0
