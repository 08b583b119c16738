"""The one consumption mechanism every stage runs on.

Bounded batched reads; per-article outcomes; one pipelined round trip that writes each article's
effects and next events and acknowledges it (see `commit.py`), sent while the next batch, read
ahead under a backlog, is handled (one commit in flight, so they land in order); retries with
backoff counted by the server's delivery count; dead letters after `max_attempts` or at once for
permanent errors; reclaiming of entries a dead consumer left pending (XAUTOCLAIM); removal of
long-gone consumers; trimming that never passes an unacknowledged entry; and a graceful stop that
hands back what it holds. Stages only say what one batch of entries turns into (`StageHandler`).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar, cast, runtime_checkable

import structlog
from redis.asyncio import Redis
from redis.exceptions import ClusterDownError, OutOfMemoryError, ReadOnlyError, ResponseError, TryAgainError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from newsroom_shared import streams
from newsroom_shared.commit import PASSING_REFUSALS, Commit, CommitResult, Committer, Guard, Op, xadd_op
from newsroom_shared.errors import ConflictError, PermanentError
from newsroom_shared.faults import FaultPlan
from newsroom_shared.settings import NewsroomSettings
from newsroom_shared.streams import dead_letter_stream, entry_id_key, live_consumers

log = structlog.get_logger("newsroom.consumer")

T = TypeVar("T")
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
_GC_SCRIPT = """
local p = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
if #p == 0 then return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2]) end
return -1
"""


# XAUTOCLAIM ... JUSTID with its cursor (redis-py's parser keeps only the ids for JUSTID)
_AUTOCLAIM_IDS_SCRIPT = """
return redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5], 'JUSTID')
"""


HEARTBEAT_S = 5.0
"""How often a consumer says it is alive (`streams.live_consumers`): the server's own consumer list
cannot tell, since before Redis 7.2 it records a consumer only once it is handed an entry."""

MAX_DEAD_LETTER_FIELDS = 1000
"""Fields of an entry a dead letter copies: a stray producer's entry may have any number, more than
one write can carry (the script engine unpacks at most about 8,000 arguments)."""

HANDED_OVER_ERROR_S = 7 * 24 * 3600
"""How long the reason of an entry handed over after its last attempt is kept for its dead letter."""

MAX_FREE_CONFLICTS = 20
"""Conflicts in a row an entry may meet before its retries count as attempts again."""


@dataclass(frozen=True)
class Delivery:
    """One stream entry handed to a stage, with how many times it has been delivered."""

    stream: str
    entry_id: str
    fields: dict[str, str]
    attempt: int

    def context(self) -> dict[str, object]:
        """What every log line about this entry carries."""
        return {
            "article_id": self.fields.get("article_id"),
            "revision": self.fields.get("revision"),
            "event_id": self.fields.get("id"),
            "stream": self.stream,
            "entry_id": self.entry_id,
            "attempt": self.attempt,
        }


Outcome = Commit | Exception


class StageHandler(Protocol):
    """A stage: turns a batch of deliveries into one outcome per delivery, in order."""

    stage: str

    async def handle(self, deliveries: Sequence[Delivery]) -> list[Outcome]: ...


@runtime_checkable
class ReportsDeadLetters(Protocol):
    """A stage that tells someone when an entry is dead-lettered (ingest: a receipt to the sender).

    Its ops are written in the dead letter's own step, before the dead letter, so the two exist
    together or not at all. Pure: no I/O. A notice that cannot be built, or whose write failed, is
    left out of the next try: it never keeps an entry from its one dead letter.
    """

    def dead_letter_ops(self, delivery: Delivery, error: BaseException) -> tuple[list[Op], list[str]]: ...


async def ensure_group(redis: Redis, stream: str, group: str) -> None:
    """Create the group from id 0 with MKSTREAM, so entries written before it existed are read."""
    try:
        await redis.xgroup_create(stream, group, id="0", mkstream=True)
    except ResponseError as e:
        if "BUSYGROUP" not in str(e):
            raise


@dataclass
class ConsumerStats:
    processed: int = 0
    skipped: int = 0
    retried: int = 0
    dead_lettered: int = 0
    claimed: int = 0


@dataclass
class StreamConsumer:
    redis: Redis
    settings: NewsroomSettings
    handler: StageHandler
    stream: str
    group: str
    consumer: str
    on_ready: Callable[[bool], None] = lambda ready: None
    stats: ConsumerStats = field(default_factory=ConsumerStats)
    _committer: Committer = field(init=False)
    _retry_at: dict[str, tuple[float, int]] = field(default_factory=dict, init=False)
    # why each retry was scheduled: the dead letter's reason if the retries run out without an outcome
    _last_error: dict[str, BaseException] = field(default_factory=dict, init=False)
    _conflicts: dict[str, int] = field(default_factory=dict, init=False)
    _next_claim: float = field(default=0.0, init=False)
    _next_maintenance: float = field(default=0.0, init=False)
    _next_heartbeat: float = field(default=0.0, init=False)
    _bare_dead_letters: set[str] = field(default_factory=set, init=False)
    _alone: set[str] = field(default_factory=set, init=False)  # adopted suspects, each run on its own
    _refused: str = field(default="", init=False)  # a step's error that says the server refuses writes
    _sweep_own: bool = field(default=True, init=False)
    # under a backlog the next batch is read, and the last one committed, while a batch is handled
    _ahead: asyncio.Task[list[Delivery]] | None = field(default=None, init=False)
    _committing: asyncio.Task[None] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self._committer = Committer(self.redis)
        self.dead_letters = dead_letter_stream(self.handler.stage)
        self._log = log.bind(stage=self.handler.stage, stream=self.stream, consumer=self.consumer)
        s = self.settings
        plan = FaultPlan.parse(s.fault_poison, s.fault_flaky, s.fault_stages)
        self._faults = plan if plan.active(self.handler.stage) else None

    # -- the loop ---------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until `stop` is set, riding out server outages; then hand back what is held."""
        backoff = 0.1
        while not stop.is_set():
            try:
                try:
                    await self._iteration(stop)
                except BaseException as e:
                    await self._drop_overlap(wait=isinstance(e, Exception))
                    raise
                if backoff > 0.1:
                    self._log.info("server reachable again; consuming")
                backoff = 0.1
                self.on_ready(True)
            except OUTAGE_ERRORS as e:
                self.on_ready(False)
                self._sweep_own = True
                self._log.warning("server unreachable; retrying", error=str(e), retry_in_s=backoff)
                await _sleep_or_stop(stop, backoff)
                backoff = min(backoff * 2, 5.0)
            except ResponseError as e:
                if _stream_gone(e):  # deleted or flushed (or a server without AOF restarted)
                    self._sweep_own = True
                    continue
                if not _passing(e):
                    raise
                # the server cannot serve us for now (out of memory, a replica after a failover,
                # a script running long, a failing disk): wait, then start over with what we hold
                self.on_ready(False)
                self._sweep_own = True
                if isinstance(e, ReadOnlyError) or str(e).startswith("READONLY"):
                    # reconnect, as the address may lead to the new primary (idle connections only:
                    # the HTTP requests' own ones end with their requests)
                    with contextlib.suppress(Exception):
                        await self.redis.connection_pool.disconnect(inuse_connections=False)
                self._log.warning("server refuses for now; retrying", error=str(e), retry_in_s=backoff)
                await _sleep_or_stop(stop, backoff)
                backoff = min(backoff * 2, 5.0)
        await self._hand_back()

    async def _iteration(self, stop: asyncio.Event) -> None:
        if self._refused:  # a commit step met a server refusing writes: wait, as for an outage
            refused, self._refused = self._refused, ""
            raise ResponseError(refused)
        now = time.monotonic()
        if self._sweep_own:
            await ensure_group(self.redis, self.stream, self.group)
            await self._committer.load()
            await self._adopt_own_pending()
            self._sweep_own = False
        due = [eid for eid, (at, _) in self._retry_at.items() if at <= now]
        if due:
            # a suspect runs alone (`_reclaim_abandoned`), so only the killer collects deliveries
            suspects = [eid for eid in due if eid in self._alone]
            await self._process(await self._claim_ids([eid for eid in due if eid not in self._alone]))
            for eid in suspects:
                self._alone.discard(eid)
                await self._process(await self._claim_ids([eid]))
        await self._when_due(now)
        if stop.is_set():
            return
        if self._ahead is not None:
            ahead, self._ahead = self._ahead, None
            deliveries = await ahead
        else:
            # nothing to overlap with: settle the last commit first, so the retries it leaves (and
            # its failure) shape this read, instead of waiting behind a read that blocks
            await self._await_commit()
            block = self.settings.block_ms
            if self._retry_at:
                soonest = min(at for at, _ in self._retry_at.values())
                block = max(1, min(block, int((soonest - time.monotonic()) * 1000)))
            deliveries = await self._read(block)
        if len(deliveries) >= self.settings.batch_size:
            # a backlog: the server reads the next batch, without blocking, while this one is handled
            self._ahead = asyncio.create_task(self._read(None))
            await asyncio.sleep(0)  # lets the task send its request before the handler takes the CPU
        if deliveries:
            await self._process(deliveries)

    async def _when_due(self, now: float) -> None:
        """Reclaiming, the heartbeat and maintenance, each at its own interval."""
        if now >= self._next_claim:
            self._next_claim = now + self.settings.claim_interval_ms / 1000
            await self._reclaim_abandoned()
        if now >= self._next_heartbeat:
            self._next_heartbeat = now + HEARTBEAT_S
            await self.redis.zadd(
                live_consumers(self.handler.stage), {self.consumer: int(time.time() * 1000)}
            )
        if now >= self._next_maintenance:
            self._next_maintenance = now + 60 + random.random() * 30
            try:
                await self._maintain()
            except ResponseError as e:  # housekeeping: never worth stopping the consumer for
                if _stream_gone(e) or _passing(e):
                    raise
                self._log.warning("maintenance failed; next time", error=str(e))

    async def _read(self, block: int | None) -> list[Delivery]:
        reply: Any = await self.redis.xreadgroup(
            self.group, self.consumer, {self.stream: ">"}, count=self.settings.batch_size, block=block
        )
        return [
            Delivery(self.stream, eid, fields, 1)
            for _, entries in reply or []
            for eid, fields in entries
            if fields is not None
        ]

    async def _drop_overlap(self, *, wait: bool) -> None:
        """After a failed iteration: let what is in flight end (or cancel it, when we are being
        cancelled), and go on without it.

        Entries of a commit that failed are retries already (`_commit`), and those of a batch read
        ahead become retries at their first attempt; anything else held stays pending under this
        consumer, and the sweep that follows adopts it.
        """
        ahead, committing = self._ahead, self._committing
        self._ahead = self._committing = None
        for task in (ahead, committing):
            if task is not None and not wait:
                task.cancel()
            elif task is not None:
                with contextlib.suppress(Exception):
                    await task
        if ahead is not None or committing is not None:
            self._sweep_own = True
        if wait and ahead is not None and not ahead.cancelled() and ahead.exception() is None:
            now = time.monotonic()
            for d in ahead.result():  # read but never handled: its next run is still its first
                self._retry_at.setdefault(d.entry_id, (now, 0))

    # -- one batch ---------------------------------------------------------------------------

    async def _process(self, deliveries: list[Delivery]) -> None:
        """Per-article outcomes: one article's failure never holds back or re-runs the others."""
        if not deliveries:
            return
        fresh: list[Delivery] = []
        commits: list[tuple[Delivery, Commit, BaseException | None]] = []  # error: a dead letter's
        for d in deliveries:
            self._retry_at.pop(d.entry_id, None)
            last_error = self._last_error.get(d.entry_id)  # kept until the entry is settled
            if d.attempt > self.settings.max_attempts and not self._decide_again(d, last_error):
                # its last attempt's commit failed (that error is the reason), or it was delivered
                # again and again without an outcome: the handler keeps killing its process
                died = (
                    last_error
                    or await self._handed_over_error(d.entry_id)
                    or RuntimeError(f"no outcome after {d.attempt - 1} deliveries (the consumer died)")
                )
                guarded = self._conflicts.get(d.entry_id, 0) <= MAX_FREE_CONFLICTS
                commits.append((d, self._dead_letter(d, died, guarded=guarded), died))
            else:
                fresh.append(d)
        outcomes = await self.handler.handle(fresh) if fresh else []
        if len(outcomes) != len(fresh):
            raise RuntimeError(f"{self.handler.stage}: {len(outcomes)} outcomes for {len(fresh)} entries")
        for d, outcome in zip(fresh, outcomes, strict=True):
            if self._faults is not None:
                outcome = self._faults.check(d.fields.get("article_id", ""), d.attempt) or outcome
            if isinstance(outcome, Commit):
                commits.append((d, outcome.acking(self.stream, self.group, d.entry_id), None))
            elif isinstance(outcome, PermanentError) or d.attempt >= self.settings.max_attempts:
                commits.append((d, self._dead_letter(d, outcome), outcome))
            else:
                self._schedule_retry(d, outcome)
        await self._await_commit()  # the previous batch's: one commit in flight keeps them in order
        self._committing = asyncio.create_task(self._commit(commits))
        await asyncio.sleep(0)  # sent now, so the server runs it while the next batch is handled

    async def _commit(self, commits: list[tuple[Delivery, Commit, BaseException | None]]) -> None:
        try:
            results = await self._committer.run([c for _, c, _ in commits])
        except Exception as e:
            now = time.monotonic()  # no outcome: each entry is retried, and handed back on a stop
            for d, _, dead in commits:
                self._retry_at.setdefault(d.entry_id, (now, d.attempt))
                self._last_error[d.entry_id] = dead or e  # a dead letter keeps its own reason
            raise
        for (d, c, dead), r in zip(commits, results, strict=True):
            self._settle(d, c, r, dead)

    async def _await_commit(self) -> None:
        """Settle the batch whose commit is in flight; its errors are this iteration's."""
        task, self._committing = self._committing, None
        if task is not None:
            await task

    def _settle(self, d: Delivery, c: Commit, r: CommitResult, dead: BaseException | None) -> None:
        if r.status == "conflict":
            # another writer got there first: decide again at once, and (up to a bound, against a
            # loop) without using up an attempt, which is for failures
            conflicts = self._conflicts[d.entry_id] = self._conflicts.get(d.entry_id, 0) + 1
            free = conflicts <= MAX_FREE_CONFLICTS
            self._schedule_retry(
                d, ConflictError(f"changed concurrently ({r.stored})"), immediate=free, counts=not free
            )
            if dead is not None:
                self._last_error[d.entry_id] = dead
            return
        self._conflicts.pop(d.entry_id, None)
        if r.status == "error":
            if r.refused_for_now:
                # the server refuses every write for now (out of memory, read-only): the loop waits
                # it out (`_iteration`), and the entry is tried again as it was, using up no attempt
                # and keeping the reason it had (a refusal to decide again, a dead letter's own)
                before = self._last_error.get(d.entry_id)  # its reason before this try
                self._schedule_retry(d, RuntimeError(r.error), counts=False)
                self._refused = r.error
                if (kept := dead or before) is not None:
                    self._last_error[d.entry_id] = kept
                return
            self._schedule_retry(d, RuntimeError(r.error))
            if dead is not None:  # its notice may be what failed: the next try writes the dead letter alone
                self._bare_dead_letters.add(d.entry_id)
                self._last_error[d.entry_id] = dead  # and with the reason it was dead-lettered for
            return
        self._bare_dead_letters.discard(d.entry_id)
        self._last_error.pop(d.entry_id, None)  # settled
        if dead is not None:
            self.stats.dead_lettered += 1
            self._log.error(
                "dead-lettered",
                **d.context(),
                error_type=type(dead).__name__,
                error=str(dead)[:500],
                dead_letter_stream=self.dead_letters,
            )
        elif r.status == "skipped":
            self.stats.skipped += 1
            # the guard kept the state, but a step's always-written effects went out (enrich
            # forwards an overtaken revision, publish files it in the history): the line says so
            context = {**d.context(), "source_event_id": d.fields.get("id"), **c.log_context}
            self._log.info(
                "behind: state kept, always-written effects applied"
                if c.always_ops
                else "skipped: not newer than what this stage has",
                **{**context, "outcome": "behind", "stored": r.stored},
                written=[f"{op[0]} {op[1]}" for op in c.always_ops],
            )
        else:
            self.stats.processed += 1
            self._log.info(
                "applied", **{**d.context(), "source_event_id": d.fields.get("id"), **c.log_context}
            )

    def _schedule_retry(
        self, d: Delivery, error: BaseException, *, immediate: bool = False, counts: bool = True
    ) -> None:
        s = self.settings
        delay = 0.0 if immediate else min(s.retry_max_ms, s.retry_base_ms * 2 ** (d.attempt - 1)) / 1000
        delay *= 0.8 + random.random() * 0.4
        # the next delivery's attempt is this one + 1 (`_claim_ids`); an uncounted retry keeps it
        self._retry_at[d.entry_id] = (time.monotonic() + delay, d.attempt if counts else d.attempt - 1)
        self._last_error[d.entry_id] = error
        self.stats.retried += 1
        self._log.warning(
            "will retry",
            **d.context(),
            error_type=type(error).__name__,
            error=str(error),
            retry_in_s=round(delay, 3),
        )

    def _decide_again(self, d: Delivery, last_error: BaseException | None) -> bool:
        """A refusal decided on state (`PermanentError.holds_if`) whose dead letter was not written
        is decided again rather than written from memory: its grounds may have changed since, and
        its guard would then conflict on every try. Past the free conflicts it is written as is."""
        refusal = isinstance(last_error, PermanentError) and last_error.holds_if is not None
        # (a step decided again that lost a race: past its attempts only by being decided again)
        again = refusal or isinstance(last_error, ConflictError)
        return again and self._conflicts.get(d.entry_id, 0) <= MAX_FREE_CONFLICTS

    def _dead_letter(self, d: Delivery, error: BaseException, *, guarded: bool = True) -> Commit:
        """The entry moves to the stage's dead-letter stream; acknowledged in the same step.

        A refusal is written only while the state it was decided on holds (`guarded`), else it is
        a conflict and decided again."""
        fields = {
            "origin_stream": d.stream,
            "origin_id": d.entry_id,
            "stage": self.handler.stage,
            "service": self.handler.stage,
            "consumer": self.consumer,
            "group": self.group,
            "attempts": str(d.attempt),
            "error_type": type(error).__name__,
            "error": str(error)[:4000],
            "traceback": "".join(traceback.format_exception(error))[-4000:] if error.__traceback__ else "",
            "dead_lettered_at": datetime.now(UTC).isoformat(),
            "article_id": d.fields.get("article_id") or getattr(error, "article_id", ""),
            "revision": d.fields.get("revision", ""),
            "event_id": d.fields.get("id", ""),
        }
        payload = {f"entry.{k}": v for k, v in itertools.islice(d.fields.items(), MAX_DEAD_LETTER_FIELDS)}
        if len(d.fields) > MAX_DEAD_LETTER_FIELDS:  # not an event of ours: kept in part, said so
            fields["entry_fields_dropped"] = str(len(d.fields) - MAX_DEAD_LETTER_FIELDS)
        notice: tuple[list[Op], list[str]] = ([], [])
        if isinstance(self.handler, ReportsDeadLetters) and d.entry_id not in self._bare_dead_letters:
            try:
                notice = self.handler.dead_letter_ops(d, error)
            except Exception as e:  # the dead letter matters more than the notice about it
                self._log.error("dead-letter notice failed", **d.context(), error=str(e))
        return Commit(
            # a refusal decided on state that has since changed is a conflict: decided again
            guard=_unchanged(error.holds_if) if guarded and isinstance(error, PermanentError) else None,
            # the notice first: if it cannot be written, nothing is, and the retry writes the dead
            # letter alone (after it, a failing notice would leave a dead letter on every retry)
            applied_ops=[*notice[0], xadd_op(self.dead_letters, fields | payload)],
            keys=[*notice[1], self.dead_letters],
            source_stream=self.stream,
            group=self.group,
            entry_id=d.entry_id,
        )

    # -- retries, recovery, maintenance ------------------------------------------------------

    async def _claim_ids(self, ids: list[str]) -> list[Delivery]:
        """Take our own due retries again; XCLAIM bumps the server's delivery count."""
        attempts = {eid: self._retry_at.pop(eid)[1] for eid in ids}
        return await self._take(ids, attempts)

    async def _reclaim_abandoned(self) -> None:
        """Entries idle past `claim_idle_ms` belong to a dead or stuck consumer: take them over.

        An entry delivered more than once without an outcome may be what killed its consumer, so
        it is taken and run alone: only the killer then collects deliveries until it is
        dead-lettered, and the innocent entries of its batch go through. (JUSTID takes ownership
        without counting a delivery; each entry is counted when it is actually run.)
        """
        start = "0-0"
        for _ in range(10):  # bounded sweep per interval
            reply: Any = await self.redis.eval(
                _AUTOCLAIM_IDS_SCRIPT,
                1,
                self.stream,
                self.group,
                self.consumer,
                self.settings.claim_idle_ms,
                start,
                self.settings.batch_size,
            )
            start, ids = reply[0], [eid for eid in reply[1] if eid not in self._retry_at]
            if ids:
                counts = await self._delivery_counts(ids)
                self.stats.claimed += len(ids)
                self._log.info("reclaimed abandoned entries", count=len(ids))
                suspects = [eid for eid in ids if counts.get(eid, 1) > 1]
                await self._process(await self._take([eid for eid in ids if eid not in suspects], counts))
                for eid in suspects:
                    await self._process(await self._take([eid], counts))
            if start in ("0-0", b"0-0"):
                break

    async def _take(self, ids: list[str], counts: dict[str, int]) -> list[Delivery]:
        """Claim entries we already own to run them now (`counts`: attempts so far); the server's
        delivery count is set to this attempt, so a lost race that used up none (`_settle`) is not
        counted by the next consumer either, after a stop or a crash."""
        if not ids:
            return []
        pipe = self.redis.pipeline(transaction=False)
        for attempt, group in _by_count({eid: counts.get(eid, 1) + 1 for eid in ids}).items():
            pipe.xclaim(self.stream, self.group, self.consumer, 0, cast(Any, group), retrycount=attempt)
        taken = {eid: f for claimed in await pipe.execute() for eid, f in claimed if f is not None}
        return [Delivery(self.stream, eid, taken[eid], counts.get(eid, 1) + 1) for eid in ids if eid in taken]

    def _handed_over_key(self, entry_id: str) -> str:
        return streams.key("consumer", self.group, "last-error", self.stream, entry_id)

    async def _handed_over_error(self, entry_id: str) -> Exception | None:
        """Why an entry handed over after its last attempt failed, as its consumer left it."""
        reason: Any = await self.redis.get(self._handed_over_key(entry_id))  # str: connect() decodes
        return None if reason is None else RuntimeError(f"{reason} (its last attempt, before a hand-over)")

    async def _adopt_own_pending(self) -> None:
        """After a start or an outage our own pending entries have no outcome yet: retry them now."""
        pending: Any = await self.redis.xpending_range(
            self.stream, self.group, min="-", max="+", count=10_000, consumername=self.consumer
        )
        now = time.monotonic()
        for p in pending:
            eid, delivered = p["message_id"], int(p["times_delivered"])
            if eid not in self._retry_at:
                self._retry_at[eid] = (now, delivered)
                if delivered > 1:  # delivered again without an outcome: it may be what killed us
                    self._alone.add(eid)

    async def _pending(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Each id's pending entry (`consumer`, `times_delivered`); one no longer pending is left out."""
        pipe = self.redis.pipeline(transaction=False)
        for eid in ids:
            pipe.xpending_range(self.stream, self.group, min=eid, max=eid, count=1)
        return {p["message_id"]: p for rows in await pipe.execute() for p in rows}

    async def _delivery_counts(self, ids: list[str]) -> dict[str, int]:
        return {eid: int(p["times_delivered"]) for eid, p in (await self._pending(ids)).items()}

    async def _maintain(self) -> None:
        """Remove long-gone consumers holding nothing, and trim what every group has acknowledged."""
        consumers: Any = await self.redis.xinfo_consumers(self.stream, self.group)
        for c in consumers:
            if (
                c["name"] != self.consumer
                and c["pending"] == 0
                and c["idle"] > self.settings.consumer_gc_idle_ms
            ):
                removed = await self.redis.eval(_GC_SCRIPT, 1, self.stream, self.group, c["name"])
                if removed != -1:
                    self._log.info("removed departed consumer", departed=c["name"])
        await trim_acknowledged(self.redis, self.stream, self.settings.retention_ms)
        await self._forget_bare_dead_letters()
        self._last_error = {eid: e for eid, e in self._last_error.items() if eid in self._retry_at}
        self._alone &= self._retry_at.keys()
        departed = int(time.time() * 1000) - self.settings.consumer_gc_idle_ms
        await self.redis.zremrangebyscore(live_consumers(self.handler.stage), "-inf", departed)

    async def _forget_bare_dead_letters(self) -> None:
        """Entries marked for a bare dead letter that another consumer has taken over (or settled)
        are no longer ours to remember."""
        if not self._bare_dead_letters:
            return
        held = await self._pending(list(self._bare_dead_letters))
        self._bare_dead_letters = {eid for eid, p in held.items() if p["consumer"] == self.consumer}

    async def _hand_back(self) -> None:
        """On stop, make what we still hold claimable at once by any live consumer."""
        ids: list[str] = []
        # what cannot be settled or handed back now stays pending, and is reclaimed once idle
        try:
            await self._await_commit()
        except Exception as e:
            self._log.warning("last commit not settled on stop", error=str(e))
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            try:
                ids += [d.entry_id for d in await ahead]  # read ahead, never handled
            except Exception as e:
                self._log.warning("batch read ahead not handed back on stop", error=str(e))
        with contextlib.suppress(*OUTAGE_ERRORS, ResponseError):
            await self.redis.zrem(live_consumers(self.handler.stage), self.consumer)
        # each with the attempts it used (a batch read ahead: none), which the next consumer counts on
        attempts = dict.fromkeys(ids, 0) | {eid: n for eid, (_, n) in self._retry_at.items()}
        if not attempts:
            return
        try:
            pipe = self.redis.pipeline(transaction=False)
            for eid, n in attempts.items():  # one that used its last attempt: why it failed goes along
                if n >= self.settings.max_attempts and (error := self._last_error.get(eid)) is not None:
                    reason = f"{type(error).__name__}: {error}"[:4000]
                    pipe.set(self._handed_over_key(eid), reason, ex=HANDED_OVER_ERROR_S)
            for n, group in _by_count(attempts).items():
                pipe.xclaim(
                    self.stream,
                    self.group,
                    self.consumer,
                    0,
                    cast(Any, group),
                    idle=self.settings.claim_idle_ms * 10,
                    retrycount=n,
                    justid=True,
                )
            # a refusal (out of memory, read-only) fails only its own command: what was handed
            # back is, and the rest stays pending, to be reclaimed once idle
            failed = [r for r in await pipe.execute(raise_on_error=False) if isinstance(r, Exception)]
            if failed:
                raise failed[0]
            self._log.info("handed back pending entries", count=len(attempts))
        except (*OUTAGE_ERRORS, ResponseError) as e:
            self._log.warning(
                "could not hand back pending entries; they will be reclaimed",
                count=len(attempts),
                error=str(e),
            )
        self._retry_at.clear()
        self._last_error.clear()
        self._alone.clear()


async def trim_acknowledged(redis: Redis, stream: str, retention_ms: int) -> int:
    """XTRIM MINID to the oldest entry some group still needs, never past it (not a blind MAXLEN)."""
    groups: Any = await redis.xinfo_groups(stream)
    cutoff = f"{max(0, int(time.time() * 1000) - retention_ms)}-0"
    candidates = [cutoff]
    for g in groups:
        candidates.append(_next_id(g["last-delivered-id"]))
        if g["pending"]:
            summary: Any = await redis.xpending(stream, g["name"])
            if summary["min"] is not None:  # acknowledged since XINFO answered: nothing held
                candidates.append(summary["min"])
    minid = min(candidates, key=entry_id_key)
    return int(await redis.xtrim(stream, minid=minid, approximate=False))


def _by_count(counts: dict[str, int]) -> dict[int, list[str]]:
    """Entry ids grouped by their delivery count: one XCLAIM … RETRYCOUNT per group."""
    groups: dict[int, list[str]] = {}
    for eid, n in counts.items():
        groups.setdefault(n, []).append(eid)
    return groups


def _stream_gone(e: ResponseError) -> bool:
    """The stream or its group no longer exists: a read answers NOGROUP (Redis 7.0 answers a read
    already waiting with UNBLOCKED); it is created again."""
    message = str(e)
    return message.startswith(("NOGROUP", "UNBLOCKED")) or "no such key" in message


def _passing(e: ResponseError) -> bool:
    """A refusal that ends without us: ride it out like an outage instead of stopping."""
    return isinstance(e, OutOfMemoryError | ReadOnlyError | TryAgainError | ClusterDownError) or str(
        e
    ).startswith(PASSING_REFUSALS)


def _next_id(entry_id: str) -> str:
    ms, seq = entry_id_key(entry_id)
    return f"{ms}-{seq + 1}"


def _unchanged(guard: Guard | None) -> Guard | None:
    """A refusal's guard as "the field still holds the value decided on": never a revision
    guard's skip (which would acknowledge the entry with no dead letter), never moving the field."""
    return None if guard is None else Guard(guard.key, guard.field, "eq", guard.value)


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


def each(deliveries: Sequence[Delivery], step: Callable[[Delivery], T]) -> list[T | Exception]:
    """Run `step` per delivery, keeping each article's error as its outcome.

    The error is routed to a retry or a dead letter by the consumer, never dropped; only an
    outage escapes, because it concerns the whole batch.
    """
    out: list[T | Exception] = []
    for d in deliveries:
        try:
            out.append(step(d))
        except OUTAGE_ERRORS:
            raise
        except Exception as e:
            out.append(e)
    return out
