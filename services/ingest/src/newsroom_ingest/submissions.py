"""The submissions stream: newsroom systems XADD documents; ingest treats them like HTTP submissions.

Entry layout (any Redis client): `XADD newsroom.articles.submitted.v1 * body <document>
[format auto|native|ninjs|text] [article_id <id>] [correlation_id <sender's id>]`. A FastStream
producer's entry (one `__data__` field holding its envelope) is read the way FastStream reads it,
its `correlation_id` header included. Each entry gets a receipt (`receipts.py`).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

import orjson
from newsroom_shared.commit import Committer, Op
from newsroom_shared.consumer import Delivery, Outcome, each
from newsroom_shared.errors import PermanentError
from newsroom_shared.settings import NewsroomSettings
from newsroom_shared.streams import dead_letter_stream
from redis.asyncio import Redis

from newsroom_ingest import receipts
from newsroom_ingest.contracts import NormalisedArticle
from newsroom_ingest.errors import InputError
from newsroom_ingest.events import RECEIPTS
from newsroom_ingest.importers import claimed_id, parse_article
from newsroom_ingest.pipeline import Planned, plan_batch, read_states, refusal, resolve_id, with_notice

FORMATS = {"", "auto", "native", "ninjs", "text"}


FASTSTREAM_BINARY: Final = b"\x89BIN\r\n\x1a\n"
"""How FastStream (0.7+) starts its `__data__` envelope: magic, version 1, header table, body."""


def faststream_envelope(raw: bytes) -> tuple[bytes, dict[str, str]]:
    """The document and transport headers a FastStream producer wrapped; other bytes as they are.

    Mirrors FastStream's own reader: the binary envelope, the JSON one of earlier versions
    (`{"data": ..., "headers": ...}`), or a bare document written by any other client.
    """
    if raw.startswith(FASTSTREAM_BINARY):
        try:
            (version,) = struct.unpack_from(">H", raw, 8)
            headers_at, data_at = struct.unpack_from(">II", raw, 10)
            (count,) = struct.unpack_from(">H", raw, headers_at)
            pos, headers = headers_at + 2, {}
            for _ in range(count):
                key, pos = _string(raw, pos)
                headers[key], pos = _string(raw, pos)
            if version != 1 or data_at > len(raw):
                raise ValueError(f"version {version}")
        except (struct.error, ValueError) as e:  # UnicodeDecodeError is a ValueError
            raise PermanentError(f"__data__: not a readable FastStream envelope ({e})") from e
        return raw[data_at:], headers
    if raw[:1] == b"{":
        try:
            wrapped = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return raw, {}
        if isinstance(wrapped, dict) and wrapped.keys() == {"data", "headers"}:
            data, headers = wrapped["data"], wrapped["headers"]
            if isinstance(data, str) and isinstance(headers, dict):
                return data.encode(), {str(k): str(v) for k, v in headers.items()}
    return raw, {}


def _string(raw: bytes, pos: int) -> tuple[str, int]:
    (size,) = struct.unpack_from(">H", raw, pos)
    end = pos + 2 + size
    if end > len(raw):
        raise ValueError("header past the end")
    return raw[pos + 2 : end].decode(), end


def entry_document(fields: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """The document's bytes as written (the client reads with surrogateescape, connection.py),
    and the transport headers of a FastStream producer's entry."""
    body = fields.get("body")
    if body is not None:
        return body.encode("utf-8", "surrogateescape"), {}
    wrapped = fields.get("__data__")
    if wrapped is None:
        raise PermanentError("entry has no 'body' field")
    return faststream_envelope(wrapped.encode("utf-8", "surrogateescape"))


def parse_entry(data: bytes, fields: dict[str, str], settings: NewsroomSettings) -> NormalisedArticle:
    fmt = fields.get("format", "auto")
    if fmt not in FORMATS:
        raise PermanentError(f"format: must be one of auto, native, ninjs, text (got {fmt!r})")
    try:
        return parse_article(
            data,
            tz=settings.tz,
            fmt=None if fmt in ("", "auto") else fmt,
            article_id=fields.get("article_id") or None,
        )
    except InputError as e:
        raise PermanentError(str(e), article_id=claimed_id(data)) from e


@dataclass
class SubmissionsHandler:
    redis: Redis
    committer: Committer
    settings: NewsroomSettings
    stage: str = "ingest"

    def _read(self, d: Delivery) -> tuple[NormalisedArticle, str, str | None]:
        """One entry's article, the id it goes under and the sender's correlation id."""
        data, headers = entry_document(d.fields)
        correlation = receipts.correlation_id(d.fields, headers)
        article = parse_entry(data, d.fields, self.settings)
        return article, resolve_id(article), correlation

    async def handle(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        """Each entry's outcome; an error while deciding one entry (a refusal, or anything
        unexpected) is that entry's outcome, retried or dead-lettered by the consumer, never the
        whole batch's: only an outage of the server escapes."""
        outcomes: list[Outcome | None] = [None] * len(deliveries)
        parsed: list[tuple[int, NormalisedArticle, str, str | None]] = []
        for i, item in enumerate(each(deliveries, self._read)):
            if isinstance(item, Exception):
                outcomes[i] = item
            else:
                parsed.append((i, *item))
        states = await read_states(self.redis, [aid for _, _, aid, _ in parsed])
        planned = plan_batch([(a, aid) for _, a, aid, _ in parsed], states)
        now = datetime.now(UTC)
        for (i, _, _, correlation), p in zip(parsed, planned, strict=True):
            try:
                outcomes[i] = (
                    p if isinstance(p, Exception) else self._outcome(deliveries[i], p, correlation, now)
                )
            except Exception as e:
                outcomes[i] = e
        return [o if o is not None else RuntimeError("no outcome") for o in outcomes]

    def _outcome(self, d: Delivery, p: Planned, correlation: str | None, now: datetime) -> Outcome:
        problem = refusal(p)
        if problem is not None:
            # refused on the state decided on (read, or an earlier step of this batch): if that
            # step loses to another writer, this one is decided again, not dead-lettered
            return PermanentError(
                f"{problem.field}: {problem.reason}", article_id=p.article_id, holds_if=p.commit.guard
            )
        receipt = receipts.decided(d.entry_id, p, correlation, now)
        return with_notice(p, receipts.receipt_op(receipt, now, self.settings.retention_ms), RECEIPTS)

    def dead_letter_ops(self, delivery: Delivery, error: BaseException) -> tuple[list[Op], list[str]]:
        """A dead-lettered entry's receipt, written in the dead letter's own step."""
        now = datetime.now(UTC)
        try:
            headers = entry_document(delivery.fields)[1]
        except PermanentError:
            headers = {}
        receipt = receipts.dead_lettered(
            delivery.entry_id, delivery.fields, error, dead_letter_stream(self.stage), now, headers
        )
        return [receipts.receipt_op(receipt, now, self.settings.retention_ms)], [RECEIPTS]
