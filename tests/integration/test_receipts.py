"""A newsroom system writing to the submissions stream reads what became of each entry it wrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import redis
from newsroom_ingest.events import RECEIPTS, SubmissionReceipt
from newsroom_shared import streams
from newsroom_shared.testing import wait_for

from tests.integration.test_chain import SEED, first_version_of_seed

SCHEMA = json.loads((Path(__file__).parents[2] / "schemas" / "submission-receipt.v1.json").read_text())


def receipt_for(client: redis.Redis, submission_id: str) -> SubmissionReceipt:
    def find() -> SubmissionReceipt | None:
        entries: Any = client.xrange(RECEIPTS)
        found = [f for _, f in entries if f["submission_id"] == submission_id]
        assert len(found) <= 1, f"more than one receipt for {submission_id}: {found}"
        for fields in found:  # as written on the stream, against the schema other systems get
            jsonschema.validate(fields, SCHEMA)
        return SubmissionReceipt.model_validate(found[0]) if found else None

    receipt: SubmissionReceipt = wait_for(find, timeout=20, message=f"receipt for {submission_id}")
    return receipt


def test_reference_page_revision_is_receipted_as_revision_2_of_the_same_article(
    stack_factory: Any, redis_client: redis.Redis
) -> None:
    stack_factory().add("ingest")
    first = redis_client.xadd(streams.SUBMITTED, {"body": first_version_of_seed(), "correlation_id": "cms-1"})
    one = receipt_for(redis_client, first)
    assert (one.status, one.revision, one.change_kind, one.correlation_id) == ("accepted", 1, "new", "cms-1")

    revised = redis_client.xadd(streams.SUBMITTED, {"body": SEED.read_bytes(), "correlation_id": "cms-2"})
    two = receipt_for(redis_client, revised)
    assert (two.status, two.revision, two.article_id) == ("accepted", 2, one.article_id)
    ingested: Any = redis_client.xrange(streams.INGESTED)
    assert [f["id"] for _, f in ingested] == [one.event_id, two.event_id]

    again = receipt_for(redis_client, redis_client.xadd(streams.SUBMITTED, {"body": SEED.read_bytes()}))
    assert (again.status, again.revision, again.event_id) == ("duplicate", 2, None)
    assert redis_client.xlen(streams.INGESTED) == 2


def test_refused_entry_is_receipted_with_the_field_and_its_dead_letter(
    stack_factory: Any, redis_client: redis.Redis
) -> None:
    stack_factory().add("ingest")
    doc = {"article_id": "quay-4", "body_text": "Only a body.", "first_published_at": "2026-02-02"}
    entry = redis_client.xadd(streams.SUBMITTED, {"body": json.dumps(doc), "correlation_id": "cms-7"})
    receipt = receipt_for(redis_client, entry)
    assert receipt.status == "refused" and receipt.correlation_id == "cms-7"
    assert receipt.error is not None and receipt.error.startswith("headline:")
    assert receipt.article_id == "quay-4" and receipt.dead_letter_stream == streams.dead_letter_stream(
        "ingest"
    )
    letters: Any = redis_client.xrange(streams.dead_letter_stream("ingest"))
    assert [f["origin_id"] for _, f in letters] == [entry]


def test_entry_that_keeps_failing_is_receipted_as_failed_once_dead_lettered(
    stack_factory: Any, redis_client: redis.Redis
) -> None:
    stack_factory(NEWSROOM_FAULT_POISON="stuck-", NEWSROOM_MAX_ATTEMPTS="2", NEWSROOM_RETRY_BASE_MS="20").add(
        "ingest"
    )
    doc = {
        "headline": "Ferry timetable",
        "body_text": "Boats leave hourly.",
        "first_published_at": "2026-02-02",
    }
    entry = redis_client.xadd(streams.SUBMITTED, {"body": json.dumps(doc), "article_id": "stuck-1"})
    fine = redis_client.xadd(streams.SUBMITTED, {"body": json.dumps(doc), "article_id": "fine-1"})
    receipt = receipt_for(redis_client, entry)
    assert receipt.status == "failed" and receipt.error is not None and "injected" in receipt.error
    assert receipt_for(redis_client, fine).status == "accepted"


def test_a_faststream_producers_entry_is_accepted_with_its_correlation_id(
    stack_factory: Any, redis_client: redis.Redis, redis_url: str
) -> None:
    from newsroom_ingest.submissions import FASTSTREAM_BINARY

    stack_factory().add("ingest")
    doc = json.dumps(
        {
            "article_id": "kiosk-9",
            "headline": "Kiosk",
            "body_text": "Open.",
            "first_published_at": "2026-05-01",
        }
    )
    headers = [(b"correlation_id", b"cms-78")]
    table = b"".join(len(k).to_bytes(2, "big") + k + len(v).to_bytes(2, "big") + v for k, v in headers)
    body_at = 18 + 2 + len(table)
    envelope = (
        FASTSTREAM_BINARY + (1).to_bytes(2, "big") + (18).to_bytes(4, "big") + body_at.to_bytes(4, "big")
    )
    envelope += len(headers).to_bytes(2, "big") + table + doc.encode()
    raw = redis.Redis.from_url(redis_url)
    receipt = receipt_for(redis_client, raw.xadd(streams.SUBMITTED, {"__data__": envelope}).decode())
    assert (receipt.status, receipt.article_id, receipt.correlation_id) == ("accepted", "kiosk-9", "cms-78")


def test_bytes_a_sender_got_wrong_never_make_the_receipts_unreadable(
    stack_factory: Any, redis_client: redis.Redis, redis_url: str
) -> None:
    stack_factory().add("ingest")
    raw = redis.Redis.from_url(redis_url)
    doc = json.dumps({"headline": "Tram", "body_text": "Runs.", "first_published_at": "2026-05-01"})
    entry = raw.xadd(streams.SUBMITTED, {"body": doc, "correlation_id": b"cms-\xff", "article_id": b"t-\xfe"})
    receipt = receipt_for(redis_client, entry.decode())  # the client decodes strictly
    assert receipt.status == "refused" and receipt.error is not None
    assert receipt.correlation_id is None and receipt.article_id is None


def test_entries_with_a_lone_surrogate_are_refused_by_field_and_their_batch_goes_on(
    stack_factory: Any, redis_client: redis.Redis
) -> None:
    # a lone surrogate written as a JSON escape is legal JSON; all three are written before ingest
    # starts, so that they are decided in one batch
    in_uri = r'{"uri": "\ud800", "headline": "Harbour"}'
    in_keys = json.dumps({"uri": "urn:x:harbour-5", "X\ud800": 1, "x\ud800": 2, "headline": "Harbour"})
    assert in_uri.isascii() and in_keys.isascii()
    entries = [redis_client.xadd(streams.SUBMITTED, {"body": body}) for body in (in_uri, in_keys)]
    doc = {
        "article_id": "harbour-6",
        "headline": "Harbour",
        "body_text": "Open.",
        "first_published_at": "2026-05-01",
    }
    fine = redis_client.xadd(streams.SUBMITTED, {"body": json.dumps(doc)})
    ingest = stack_factory().add("ingest")

    assert receipt_for(redis_client, fine).status == "accepted"
    for entry, error in zip(
        entries, ("uri: contains a lone surrogate", "x\\ud800: repeats 'X\\ud800'"), strict=True
    ):
        receipt = receipt_for(redis_client, entry)
        assert receipt.status == "refused" and receipt.error is not None and error in receipt.error
    letters: Any = redis_client.xrange(streams.dead_letter_stream("ingest"))
    assert sorted(f["origin_id"] for _, f in letters) == sorted(entries)
    assert ingest.process is not None and ingest.process.poll() is None
