"""What a stream sender's receipt says, built without a server."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from newsroom_ingest import pipeline, submissions
from newsroom_ingest.events import RECEIPTS, SubmissionReceipt
from newsroom_ingest.importers import parse_article
from newsroom_ingest.pipeline import plan_batch, resolve_id
from newsroom_ingest.receipts import (
    MAX_CORRELATION_ID,
    correlation_id,
    dead_lettered,
    decided,
    receipt_op,
)
from newsroom_ingest.submissions import SubmissionsHandler, faststream_envelope
from newsroom_shared.commit import Commit
from newsroom_shared.consumer import Delivery
from newsroom_shared.errors import PermanentError
from newsroom_shared.settings import NewsroomSettings

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def article(**doc: Any) -> Any:
    base = {
        "article_id": "bridge-12",
        "headline": "Bridge reopens after repairs",
        "body_text": "Traffic crossed the river again on Monday morning.",
        "first_published_at": "2026-03-01",
    }
    return parse_article(json.dumps(base | doc).encode(), tz=ZoneInfo("UTC"), fmt="native")


def test_accepted_receipt_names_the_revision_and_the_event_it_emitted() -> None:
    [p] = plan_batch([(article(), "bridge-12")], {})
    fields = decided("1700000000000-0", p, "cms-881", NOW)
    receipt = SubmissionReceipt.model_validate(fields)
    assert receipt.status == "accepted" and receipt.revision == 1 and receipt.change_kind == "new"
    assert receipt.article_id == "bridge-12" and receipt.event_id == p.event_id is not None
    assert receipt.correlation_id == "cms-881" and receipt.submission_id == "1700000000000-0"
    assert receipt.error is None and "error" not in fields  # no empty fields on the wire


def test_resent_article_gets_a_duplicate_receipt_with_its_current_revision() -> None:
    first, second = article(), article()
    first_p, again = plan_batch([(first, resolve_id(first)), (second, resolve_id(second))], {})
    fields = decided("1-0", again, None, NOW)
    assert fields["status"] == "duplicate" and fields["revision"] == "1"
    assert "event_id" not in fields and "change_kind" not in fields and "correlation_id" not in fields
    assert first_p.decision.status == "accepted"


def test_refused_entry_gets_a_receipt_with_the_field_and_reason() -> None:
    error = PermanentError("headline: must not be empty", article_id="bridge-12")
    fields = dead_lettered("5-0", {"body": "{}", "correlation_id": "c-9"}, error, "dl", NOW)
    receipt = SubmissionReceipt.model_validate(fields)
    assert receipt.status == "refused" and receipt.error == "headline: must not be empty"
    assert receipt.article_id == "bridge-12" and receipt.correlation_id == "c-9"
    assert receipt.dead_letter_stream == "dl" and receipt.revision is None


def test_entry_that_could_not_be_processed_gets_a_failed_receipt() -> None:
    fields = dead_lettered(
        "5-0", {"article_id": "a-1"}, RuntimeError("no outcome after 5 deliveries"), "dl", NOW
    )
    assert fields["status"] == "failed" and fields["article_id"] == "a-1"


def test_overlong_correlation_id_is_refused_by_name_and_left_out_of_the_receipt() -> None:
    fields = {"body": "{}", "correlation_id": "x" * (MAX_CORRELATION_ID + 1)}
    with pytest.raises(PermanentError, match=r"^correlation_id: longer than 256 characters"):
        correlation_id(fields)
    receipt = dead_lettered("5-0", fields, PermanentError("correlation_id: too long"), "dl", NOW)
    assert "correlation_id" not in receipt
    assert correlation_id({"correlation_id": "x" * MAX_CORRELATION_ID}) is not None
    assert correlation_id({"correlation_id": ""}) is None


def test_receipts_older_than_the_retention_period_are_trimmed_as_new_ones_are_written() -> None:
    op = receipt_op({"submission_id": "1-0", "status": "accepted"}, NOW, retention_ms=60_000)
    now_ms = int(NOW.timestamp() * 1000)
    assert op[:5] == ("XADD", RECEIPTS, "MINID", "~", f"{now_ms - 60_000}-0")
    assert op[5:] == ("*", "submission_id", "1-0", "status", "accepted")


# what FastStream 0.7.8's RedisBroker writes as `__data__` for one of our documents with
# correlation_id="cms-77" (BinaryMessageFormatV1.encode), captured once from the library itself
FASTSTREAM_ENTRY = bytes.fromhex(
    "8942494e0d0a1a0a0001000000120000004c0002000e636f7272656c6174696f6e5f69640006636d732d3737"
    "000c636f6e74656e742d7479706500106170706c69636174696f6e2f6a736f6e7b2261727469636c655f6964"
    "223a20226b696f736b2d33222c2022686561646c696e65223a20224b696f736b2072656f70656e73206f6e20"
    "7468652070726f6d656e616465222c2022626f64795f74657874223a2022546865206b696f736b2073656c6c"
    "732069636520637265616d20616761696e2e222c202266697273745f7075626c69736865645f6174223a2022"
    "323032362d30352d30315430393a30303a30302b30303a3030227d"
)


def test_a_faststream_producers_entry_is_read_as_faststream_reads_it() -> None:
    doc, headers = faststream_envelope(FASTSTREAM_ENTRY)
    assert json.loads(doc)["article_id"] == "kiosk-3"
    assert headers == {"correlation_id": "cms-77", "content-type": "application/json"}
    assert correlation_id({}, headers) == "cms-77"


def test_faststreams_earlier_json_envelope_and_a_bare_document_are_read_too() -> None:
    legacy = json.dumps({"data": '{"headline": "x"}', "headers": {"correlation_id": "c-1"}}).encode()
    assert faststream_envelope(legacy) == (b'{"headline": "x"}', {"correlation_id": "c-1"})
    assert faststream_envelope(b'{"headline": "x"}') == (b'{"headline": "x"}', {})


def test_a_cut_faststream_envelope_is_refused_by_name() -> None:
    with pytest.raises(PermanentError, match=r"^__data__: not a readable FastStream envelope"):
        faststream_envelope(FASTSTREAM_ENTRY[:30])


def test_what_a_receipt_repeats_of_an_entry_is_always_readable_text() -> None:
    undecodable = "cms-\udcff-1"  # bytes that were not UTF-8, as the client reads them
    with pytest.raises(PermanentError, match=r"^correlation_id: not valid UTF-8"):
        correlation_id({"correlation_id": undecodable})
    error = PermanentError("body: not valid UTF-8 at byte 0")
    fields = dead_lettered(
        "5-0", {"article_id": undecodable, "correlation_id": undecodable}, error, "dl", NOW
    )
    assert "article_id" not in fields and "correlation_id" not in fields
    long_id = dead_lettered("5-0", {"article_id": "x" * 5000}, error, "dl", NOW)
    assert "article_id" not in long_id
    all_text = "".join(fields.values())
    assert all_text.encode("utf-8").decode("utf-8") == all_text


def native(article_id: str, body: str) -> str:
    doc = {
        "article_id": article_id,
        "headline": "Quay works",
        "body_text": body,
        "first_published_at": "2026-03-01",
    }
    return json.dumps(doc)


async def test_an_entry_that_cannot_be_decided_is_its_own_outcome_never_its_batchs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def nothing_stored(_redis: Any, _ids: Any) -> dict[str, Any]:
        return {}

    parse_entry = submissions.parse_entry

    def parse_or_break(data: bytes, fields: dict[str, str], settings: NewsroomSettings) -> Any:
        if b"breaks-reading" in data:
            raise KeyError("an importer's bug")
        return parse_entry(data, fields, settings)

    really_plan = pipeline.plan

    def plan_or_break(article: Any, *args: Any) -> Any:
        if "Fails to be decided" in article.body_text:
            raise ValueError("a bug while deciding")
        return really_plan(article, *args)

    monkeypatch.setattr(submissions, "read_states", nothing_stored)
    monkeypatch.setattr(submissions, "parse_entry", parse_or_break)
    monkeypatch.setattr(pipeline, "plan", plan_or_break)
    handler = SubmissionsHandler(
        redis=cast(Any, None), committer=cast(Any, None), settings=NewsroomSettings()
    )
    bodies = [
        '{"uri": "\\ud800", "headline": "h"}',  # a lone surrogate as a JSON escape: legal JSON
        native("quay-1", "First text."),
        native("quay-1", "breaks-reading"),
        native("quay-1", "Fails to be decided."),
        native("quay-1", "Second text."),
    ]
    outcomes = await handler.handle([Delivery("s", f"{n}-1", {"body": b}, 1) for n, b in enumerate(bodies)])

    refused, first, unread, undecided, second = outcomes
    assert isinstance(refused, PermanentError) and "uri: contains a lone surrogate" in str(refused)
    assert isinstance(unread, KeyError) and isinstance(undecided, ValueError)
    # decided in order, each on the one before; the entry that failed to be decided changed nothing
    assert isinstance(first, Commit) and isinstance(second, Commit)
    assert [first.log_context["revision"], second.log_context["revision"]] == [1, 2]
