"""Where publish keeps articles in Redis, and how a revision becomes current.

The revision rule lives in `publish_step`: history always records a revision; the current entry,
slug, feed and the published event change only when the revision is newer than the stored one
(a compare-and-set inside the commit script), so late or repeated events leave the newest state.
Each revision's document is stored once, in the history; the current entry names its revision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newsroom_shared import streams
from newsroom_shared.commit import Commit, Guard, Op, xadd_op
from newsroom_shared.envelope import Envelope, encode
from newsroom_shared.streams import MAX_ID_PART, entry_id_key
from redis.asyncio import Redis

from newsroom_publish.contracts import ArticlePublished, PublishedArticle

FEED = streams.key("publish", "feed")
FEED_CHANGED = streams.key("publish", "feed", "changed")
"""When the feed last changed, an entry joining or leaving it: the latest entry alone cannot say
that a withdrawal took one out (ZADD GT keeps the latest time, whatever order replicas commit in)."""


def article_key(article_id: str) -> str:
    return streams.key("publish", "article", article_id)


def history_key(article_id: str) -> str:
    return streams.key("publish", "history", article_id)


def slug_key(slug: str) -> str:
    return streams.key("publish", "slug", slug)


def publish_step(doc: PublishedArticle, env: Envelope, announcement: ArticlePublished) -> Commit:
    aid, rev = doc.article_id, doc.revision
    doc_json = doc.model_dump_json()
    withdrawn = doc.change_kind == "withdrawal"
    applied: list[Op] = [
        ("HSET", article_key(aid), "slug", doc.slug, "withdrawn", int(withdrawn)),
        ("SET", slug_key(doc.slug), aid),
        ("ZREM", FEED, aid) if withdrawn else ("ZADD", FEED, doc.published_at.timestamp(), aid),
        ("ZADD", FEED_CHANGED, "GT", doc.published_at.timestamp(), "feed"),
        xadd_op(streams.PUBLISHED, encode(env, announcement)),
    ]
    return Commit(
        guard=Guard(key=article_key(aid), field="revision", mode="gt", value=rev),
        claims=[(slug_key(doc.slug), aid)],  # read before the batch; another replica may have taken it
        always_ops=[("HSETNX", history_key(aid), rev, doc_json)],
        applied_ops=applied,
        keys=[history_key(aid), FEED, FEED_CHANGED, streams.PUBLISHED],  # the slug's key comes with its claim
        log_context={
            "revision": rev,
            "event_id": env.id,
            "outcome": "withdrawn" if withdrawn else "published",
            "slug": doc.slug,
        },
    )


def missed_after(after: str, info: dict[str, Any]) -> str | None:
    """Where a reader at `after` must resume if events after it are gone, else None.

    The published stream is only ever trimmed or deleted from by an operator. What is gone is known
    from XINFO STREAM (Redis 7.0+): everything before the oldest entry kept, and individual
    deletions up to `max-deleted-entry-id`. A reader whose cursor lies before that may have missed
    an event and must reconcile; `0-0` means "from the oldest kept" and never misses anything.
    """
    cursor = entry_id_key(after)
    if cursor == (0, 0):
        return None
    length, added = int(info.get("length", 0)), int(info.get("entries-added", 0))
    gone = [entry_id_key(str(info.get("max-deleted-entry-id") or "0-0"))]
    if added > length:
        if length == 0:
            gone.append(entry_id_key(str(info["last-generated-id"])))
        else:
            ms, seq = entry_id_key(str(info["recorded-first-entry-id"]))
            gone.append((ms, seq - 1) if seq else (ms - 1, MAX_ID_PART))  # the id just before it
    last_gone = max(gone)
    return f"{last_gone[0]}-{last_gone[1]}" if last_gone > cursor else None


def with_own_pages(
    docs: list[PublishedArticle], owners: dict[str, str | None], current_revision: int
) -> list[PublishedArticle]:
    """A revision that came too late to be current never had a page: the slug it was given was never
    claimed, so it may lead nowhere or to another article. Its entry names the article's page."""
    page = next((d for d in docs if d.revision == current_revision), None)
    if page is None:
        return docs
    return [
        d if owners.get(d.slug) == d.article_id else d.model_copy(update={"slug": page.slug, "url": page.url})
        for d in docs
    ]


FROM_THE_START = "0-0"


@dataclass(frozen=True)
class Changes:
    entries: list[tuple[str, dict[str, str]]]
    resume_after: str | None  # set when events after the cursor are gone: reconcile, then go on from here
    # the cursor is past the newest event ever written: the log was reset (or it is another
    # server's cursor), and waiting would miss every event until the log's ids pass it
    ahead: bool = False


@dataclass(frozen=True)
class Current:
    doc: PublishedArticle
    withdrawn: bool


@dataclass(frozen=True)
class History:
    docs: list[PublishedArticle]  # by revision
    current_revision: int
    withdrawn: bool  # its current revision is a withdrawal


class ArticleStore:
    """Reads for the HTTP API."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def current(self, article_id: str) -> Current | None:
        revision, withdrawn = await self.redis.hmget(article_key(article_id), ["revision", "withdrawn"])
        if revision is None:
            return None
        # the history entry is written in the same step that moves the revision, never after it
        raw = await self.redis.hget(history_key(article_id), revision)
        return Current(PublishedArticle.model_validate_json(raw), withdrawn == "1") if raw else None

    async def history(self, article_id: str) -> History:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hgetall(history_key(article_id))
            pipe.hmget(article_key(article_id), ["revision", "withdrawn"])
            raw, (current, withdrawn) = await pipe.execute()
        docs = sorted(
            (PublishedArticle.model_validate_json(v) for v in raw.values()), key=lambda d: d.revision
        )
        owners = await self.slug_owners(sorted({d.slug for d in docs}))
        revision = int(current or 0)
        return History(with_own_pages(docs, owners, revision), revision, withdrawn == "1")

    async def by_slug(self, slug: str) -> str | None:
        value = await self.redis.get(slug_key(slug))
        return str(value) if value is not None else None

    async def slug_owners(self, slugs: list[str]) -> dict[str, str | None]:
        if not slugs:
            return {}
        values: Any = await self.redis.mget([slug_key(s) for s in slugs])
        return dict(zip(slugs, values, strict=True))

    async def feed_changed(self) -> datetime | None:
        score = await self.redis.zscore(FEED_CHANGED, "feed")
        return None if score is None else datetime.fromtimestamp(float(score), UTC)

    async def changes(self, after: str, limit: int) -> Changes:
        """Published events after a cursor (a stream id), oldest first: an aggregator's resumable log.

        One transaction, so a trim cannot fall between what is read and what is known to be gone.
        """
        ms, seq = entry_id_key(after)
        if (ms, seq) == (MAX_ID_PART, MAX_ID_PART):  # the last possible id: no log reaches it
            return Changes([], FROM_THE_START, ahead=True)
        pipe = self.redis.pipeline(transaction=True)
        pipe.xinfo_stream(streams.PUBLISHED)
        pipe.xrange(streams.PUBLISHED, min=f"({ms}-{seq}", count=limit)
        info, entries = await pipe.execute(raise_on_error=False)
        if isinstance(info, Exception):  # no stream yet: nothing was ever published
            info = {"last-generated-id": "0-0"}
        if isinstance(entries, Exception):
            raise entries
        if (ms, seq) > entry_id_key(str(info["last-generated-id"])):
            return Changes([], FROM_THE_START, ahead=True)
        return Changes(list(entries), missed_after(after, info))

    async def latest(self, limit: int = 50) -> list[PublishedArticle]:
        ids: Any = await self.redis.zrevrange(FEED, 0, limit - 1)
        if not ids:
            return []
        pipe = self.redis.pipeline(transaction=False)
        for aid in ids:
            pipe.hget(article_key(aid), "revision")
        revisions = await pipe.execute()
        pipe = self.redis.pipeline(transaction=False)
        for aid, revision in zip(ids, revisions, strict=True):
            pipe.hget(history_key(aid), revision or "0")
        return [PublishedArticle.model_validate_json(d) for d in await pipe.execute() if d]
