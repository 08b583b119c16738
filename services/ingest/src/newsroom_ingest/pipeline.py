"""From normalised articles to committed revisions: used by the HTTP API and the submissions stream.

Decisions are made on state read in one round trip, then committed with a compare-and-set on the
current revision and its content (`ArticleState.head`); a concurrent writer that got there first
turns into a conflict and the article is decided again, so revisions stay gap-free and ordered
with any number of ingest replicas, and a step decided on an earlier step of its batch never
lands on another writer's revision of the same number.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import random
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from newsroom_shared import streams
from newsroom_shared.commit import Commit, CommitResult, Committer, Guard, Op, xadd_op
from newsroom_shared.envelope import encode, make_envelope
from redis.asyncio import Redis

from newsroom_ingest.contracts import NormalisedArticle
from newsroom_ingest.errors import InputProblem
from newsroom_ingest.events import DATASCHEMA, EVENT_TYPE, STAGE, ArticleIngested
from newsroom_ingest.identity import derive_article_id, story_fingerprint
from newsroom_ingest.revisions import HASHES_COUNT_LINKS, ArticleState, Decision, Version, decide_revision


def state_key(article_id: str) -> str:
    return streams.key("ingest", "article", article_id)


@dataclass(frozen=True)
class Planned:
    article_id: str
    decision: Decision
    commit: Commit
    event_id: str | None
    state: ArticleState  # what ingest remembers once the step is committed


def resolve_id(article: NormalisedArticle) -> str:
    return article.article_id or derive_article_id(article)


def derived_fingerprint(article: NormalisedArticle) -> str | None:
    """Only a derived id can collide, so only then is the story's fingerprint kept and compared."""
    return None if article.article_id else story_fingerprint(article.headline, article.body_text)


def refusal(p: Planned) -> InputProblem | None:
    """Why a planned step must be refused rather than answered (field and reason)."""
    if p.decision.status != "different_article":
        return None
    return InputProblem(
        field="article_id",
        reason=(
            f"not given, and the id derived from source, authors and first-publication date "
            f"({p.article_id}) already belongs to another article (no headline or paragraph in "
            f"common with its revision {p.decision.revision}); send the article's own id"
        ),
    )


async def read_states(redis: Redis, ids: Sequence[str]) -> dict[str, ArticleState]:
    pipe = redis.pipeline(transaction=False)
    unique = list(dict.fromkeys(ids))
    for aid in unique:
        pipe.hgetall(state_key(aid))
    return {aid: ArticleState.from_hash(raw) for aid, raw in zip(unique, await pipe.execute(), strict=True)}


def publication_times(
    article: NormalisedArticle, state: ArticleState, revision: int, now: datetime
) -> tuple[datetime, datetime | None]:
    """(first published, updated) of a revision. The first publication is the article's, not a
    revision's: a sender that gives only each version's time (ninjs without firstCreated) dates the
    update by it, and the article keeps the first revision's. A revision the sender leaves undated
    is dated when it is received, and so is one whose date does not come after the article's
    previous date (its first publication or last update): readers and feeds take a revision's
    date to move forward, and one that stood still or went back would hide the change. A previous
    date ahead of the clock (a sender's clock) is passed by a second."""
    first, updated = article.first_published_at, article.updated_at
    if revision > 1 and article.first_published_is_version_time and state.first_published:
        first, updated = datetime.fromisoformat(state.first_published), updated or article.first_published_at
    if revision > 1:
        previous = max(first, datetime.fromisoformat(state.dated)) if state.dated else first
        if updated is None or updated < first or (updated <= previous and state.dated):
            # a step past the previous date even when that is ahead of our clock (a sender's)
            updated = max(now, previous + timedelta(seconds=1))
    return first, updated


def first_to_keep(article: NormalisedArticle, state: ArticleState, first: datetime) -> str:
    """The first publication the article's state keeps (ISO), or "" when it cannot be known: a
    version's own time, for an article whose earlier revisions were stored before it was kept."""
    if article.first_published_is_version_time and state.revision > 0 and not state.first_published:
        return ""
    return first.isoformat()


def plan(
    article: NormalisedArticle, article_id: str, state: ArticleState, now: datetime | None = None
) -> Planned:
    """Decide and build the step; pure apart from the clock, which tests can pin."""
    now = now or datetime.now(UTC)
    fingerprint = derived_fingerprint(article)
    version = Version(article.version_number, article.version_time)
    decision = decide_revision(
        state,
        content_hash=article.content_hash,
        version=version,
        requested=article.change_kind,
        fingerprint=fingerprint,
        text_hash=article.text_hash,
        source_hash=article.source_hash,
    )
    first_published, updated_at = publication_times(article, state, decision.revision, now)
    after = state.after(
        decision,
        article.content_hash,
        version,
        fingerprint,
        first_to_keep(article, state, first_published),
        (updated_at or first_published).isoformat(),
        article.source_hash,
    )
    key = state_key(article_id)
    # every answer holds only if the article is still as decided on: the state read, or the
    # planned result of an earlier step of this batch, which may yet lose to another writer
    guard = Guard(key=key, field="head", mode="eq", value=state.head, new_value=after.head)
    if decision.status != "accepted":
        about = {"article_id": article_id, "revision": decision.revision, "outcome": decision.status}
        return Planned(article_id, decision, Commit(guard=guard, log_context=about), None, after)
    data = ArticleIngested(
        article_id=article_id,
        revision=decision.revision,
        change_kind=decision.change_kind or "new",
        headline=article.headline,
        standfirst=article.standfirst,
        authors=list(article.authors),
        byline=article.byline,
        body_html=article.body_html,
        body_text=article.body_text,
        first_published_at=first_published,
        updated_at=updated_at,
        language=article.language,
        url=article.url,
        source=article.source,
        source_version=article.source_version,
        format=article.format,
        content_hash=article.content_hash,
        ingested_at=now,
    )
    env = make_envelope(
        stage=STAGE,
        event_type=EVENT_TYPE,
        article_id=article_id,
        revision=decision.revision,
        dataschema=DATASCHEMA,
        time=now,
    )
    # the event first: if it cannot be written, nothing of the decision is (Redis does not roll back
    # a script's earlier writes, and a recorded hash would make the retry a "duplicate")
    ops: list[Op] = [
        xadd_op(streams.INGESTED, encode(env, data)),
        (
            "HSET",
            key,
            "revision",
            decision.revision,
            f"h:{article.content_hash}",
            decision.revision,
            *(() if article.source_hash is None else (f"h:{article.source_hash}", decision.revision)),
            "vn",
            "" if after.version.number is None else str(after.version.number),
            "vt",
            "" if after.version.time is None else str(after.version.time),
            "dated",
            after.dated,
            "updated",
            now.isoformat(),
            "hv",
            HASHES_COUNT_LINKS,
            "first",
            after.first_published,
            *(() if fingerprint is None else ("fp", fingerprint)),
        ),
    ]
    return Planned(
        article_id,
        decision,
        Commit(
            guard=guard,
            applied_ops=ops,
            keys=[streams.INGESTED],
            log_context={
                "article_id": article_id,
                "revision": decision.revision,
                "event_id": env.id,
                "outcome": decision.status,
                "change_kind": decision.change_kind,
            },
        ),
        env.id,
        after,
    )


def with_notice(p: Planned, op: Op, key: str) -> Commit:
    """`p`'s step with one more write (a receipt) after its event and before its state: written only
    if the event was, and when it fails the state is not, so the retry decides the same again."""
    ops = list(p.commit.applied_ops)
    at = 1 if p.event_id is not None else 0  # an accepted step's ops: the event, then the state
    return dataclasses.replace(p.commit, applied_ops=[*ops[:at], op, *ops[at:]], keys=[*p.commit.keys, key])


def plan_batch(
    articles: Sequence[tuple[NormalisedArticle, str]], states: dict[str, ArticleState]
) -> list[Planned | Exception]:
    """Several submissions of one article in a batch are decided in order, each on the last's result.

    One that cannot be decided (a bug meeting odd input) is that submission's error alone: it
    changes no state, and the others are decided as if it had not come.
    """
    out: list[Planned | Exception] = []
    states = dict(states)
    for article, aid in articles:
        try:
            p = plan(article, aid, states.get(aid, ArticleState()))
        except Exception as e:
            out.append(e)
            continue
        states[aid] = p.state
        out.append(p)
    return out


class Unavailable(RuntimeError):
    """A submission that could not be committed now, though nothing is wrong with it: the server
    refused the write (out of memory, read-only), or other writers kept committing the article
    first. Answered 503 with Retry-After, never a bare 500."""


class PerArticle:
    """Submissions of one article in one process take turns: concurrent requests for it would
    otherwise only race each other's compare-and-set (other replicas still can, and do so rarely)."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def turn(self, article_id: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(article_id, (asyncio.Lock(), 0))
        self._locks[article_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[article_id]
            if users == 1:
                del self._locks[article_id]
            else:
                self._locks[article_id] = (lock, users - 1)


async def submit(
    redis: Redis,
    committer: Committer,
    article: NormalisedArticle,
    turns: PerArticle | None = None,
    attempts: int = 8,
) -> Planned:
    """The HTTP path: decide, commit, and decide again on conflict (after a short random wait, so
    writers that keep meeting each other fall out of step); in the article's turn, when given."""
    article_id = resolve_id(article)
    if turns is None:
        return await _submit(redis, committer, article, article_id, attempts)
    async with turns.turn(article_id):
        return await _submit(redis, committer, article, article_id, attempts)


async def _submit(
    redis: Redis, committer: Committer, article: NormalisedArticle, article_id: str, attempts: int
) -> Planned:
    for attempt in range(attempts):
        if attempt:
            await asyncio.sleep(random.uniform(0, 0.002 * 2**attempt))
        state = (await read_states(redis, [article_id]))[article_id]
        planned = plan(article, article_id, state)
        if planned.decision.status != "accepted":
            return planned
        result: CommitResult = (await committer.run([planned.commit]))[0]
        if result.status == "applied":
            return planned
        if result.status == "error":
            if result.refused_for_now:
                raise Unavailable(f"the server refused the write: {result.error}")
            raise RuntimeError(f"commit failed: {result.error}")
    raise Unavailable(f"article {article_id} kept changing under concurrent submissions; send it again")
