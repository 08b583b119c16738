"""The submissions stream: newsroom systems XADD documents; ingest treats them like HTTP submissions.

Entry layout (any Redis client): `XADD newsroom.articles.submitted.v1 * body <document>
[format auto|native|ninjs|text] [article_id <id>]`. A FastStream producer's `__data__` field is
accepted as the body too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsroom_shared.commit import Committer
from newsroom_shared.consumer import Delivery, Outcome
from newsroom_shared.errors import PermanentError
from newsroom_shared.settings import NewsroomSettings
from redis.asyncio import Redis

from newsroom_ingest.contracts import NormalisedArticle
from newsroom_ingest.errors import InputError
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
        parsed: list[tuple[int, NormalisedArticle, str]] = []
        for i, d in enumerate(deliveries):
            try:
                article = parse_entry(d.fields, self.settings)
                parsed.append((i, article, resolve_id(article)))
            except PermanentError as e:
                outcomes[i] = e
        states = await read_states(self.redis, [aid for _, _, aid in parsed])
        planned = plan_batch([(a, aid) for _, a, aid in parsed], states)
        for (i, _, _), p in zip(parsed, planned, strict=True):
            problem = refusal(p)
            outcomes[i] = (
                p.commit
                if problem is None
                else PermanentError(f"{problem.field}: {problem.reason}", article_id=p.article_id)
            )
        return [o if o is not None else RuntimeError("no outcome") for o in outcomes]
