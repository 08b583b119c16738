"""The submissions stream: newsroom systems XADD documents; ingest treats them like HTTP submissions.

Entry layout (any Redis client): `XADD newsroom.articles.submitted.v1 * body <document>
[format auto|native|ninjs|text] [article_id <id>] [correlation_id <sender's id>]`. A FastStream
producer's `__data__` field is accepted as the body too. Each entry gets a receipt (`receipts.py`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from newsroom_shared.commit import Commit, Committer, Op
from newsroom_shared.consumer import Delivery, Outcome
from newsroom_shared.errors import PermanentError
from newsroom_shared.settings import NewsroomSettings
from newsroom_shared.streams import dead_letter_stream
from redis.asyncio import Redis

from newsroom_ingest import receipts
from newsroom_ingest.contracts import NormalisedArticle
from newsroom_ingest.errors import InputError
from newsroom_ingest.events import RECEIPTS
from newsroom_ingest.importers import claimed_id, parse_article
from newsroom_ingest.pipeline import plan_batch, read_states, refusal, resolve_id

FORMATS = {"", "auto", "native", "ninjs", "text"}


def parse_entry(fields: dict[str, str], settings: NewsroomSettings) -> NormalisedArticle:
    body = fields.get("body", fields.get("__data__"))
    if body is None:
        raise PermanentError("entry has no 'body' field")
    fmt = fields.get("format", "auto")
    if fmt not in FORMATS:
        raise PermanentError(f"format: must be one of auto, native, ninjs, text (got {fmt!r})")
    data = body.encode("utf-8", "surrogateescape")  # the bytes as written, if not UTF-8 (connection.py)
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

    async def handle(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(deliveries)
        parsed: list[tuple[int, NormalisedArticle, str, str | None]] = []
        for i, d in enumerate(deliveries):
            try:
                correlation = receipts.correlation_id(d.fields)
                article = parse_entry(d.fields, self.settings)
                parsed.append((i, article, resolve_id(article), correlation))
            except PermanentError as e:
                outcomes[i] = e
        states = await read_states(self.redis, [aid for _, _, aid, _ in parsed])
        planned = plan_batch([(a, aid) for _, a, aid, _ in parsed], states)
        now = datetime.now(UTC)
        for (i, _, _, correlation), p in zip(parsed, planned, strict=True):
            problem = refusal(p)
            if problem is not None:
                outcomes[i] = PermanentError(f"{problem.field}: {problem.reason}", article_id=p.article_id)
                continue
            receipt = receipts.decided(deliveries[i].entry_id, p, correlation, now)
            outcomes[i] = self._with_receipt(p.commit, receipt, now)
        return [o if o is not None else RuntimeError("no outcome") for o in outcomes]

    def _with_receipt(self, commit: Commit, receipt: dict[str, str], now: datetime) -> Commit:
        """The receipt is the step's last write: it exists only if the decision it reports does."""
        op = receipts.receipt_op(receipt, now, self.settings.retention_ms)
        return dataclasses.replace(
            commit, applied_ops=[*commit.applied_ops, op], keys=[*commit.keys, RECEIPTS]
        )

    def dead_letter_ops(self, delivery: Delivery, error: BaseException) -> tuple[list[Op], list[str]]:
        """A dead-lettered entry's receipt, written in the dead letter's own step."""
        now = datetime.now(UTC)
        receipt = receipts.dead_lettered(
            delivery.entry_id, delivery.fields, error, dead_letter_stream(self.stage), now
        )
        return [receipts.receipt_op(receipt, now, self.settings.retention_ms)], [RECEIPTS]
