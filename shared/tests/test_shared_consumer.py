"""The consumption mechanism against a real server, with an in-process fake stage."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest
import structlog
from newsroom_shared.commit import Commit, CommitResult, Committer, Guard, Op, xadd_op
from newsroom_shared.connection import connect
from newsroom_shared.consumer import (
    Delivery,
    Outcome,
    StreamConsumer,
    _stream_gone,
    ensure_group,
    trim_acknowledged,
)
from newsroom_shared.errors import PermanentError, TransientError
from newsroom_shared.settings import NewsroomSettings
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

SRC, OUT = "test.in", "test.out"


@dataclass
class FakeStage:
    """Forwards `n` to OUT; fails as told per entry, counting calls."""

    fail_times: dict[str, int] = field(default_factory=dict)
    permanent: set[str] = field(default_factory=set)
    calls: dict[str, int] = field(default_factory=dict)
    stage: str = "fake"

    async def handle(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        out: list[Outcome] = []
        for d in deliveries:
            n = d.fields["n"]
            self.calls[n] = self.calls.get(n, 0) + 1
            out.append(self.outcome(d, n, self.calls[n]))
        return out

    def outcome(self, d: Delivery, n: str, call: int) -> Outcome:
        if n in self.permanent:
            return PermanentError(f"{n} breaks the contract")
        if call <= self.fail_times.get(n, 0):
            return TransientError(f"{n} not yet")
        return Commit(
            guard=Guard(f"seen:{n}", "rev", "gt", int(d.fields.get("rev", 1))),
            applied_ops=[xadd_op(OUT, {"n": n})],
            keys=[OUT],
        )


def settings(**kw: Any) -> NewsroomSettings:
    base: dict[str, Any] = {
        "retry_base_ms": 20,
        "retry_max_ms": 100,
        "claim_idle_ms": 300,
        "claim_interval_ms": 100,
        "block_ms": 50,
        "batch_size": 8,
    }
    return NewsroomSettings(**(base | kw))


@pytest.fixture
async def aredis(redis_url: str) -> AsyncIterator[Redis]:
    client = connect(redis_url)
    yield client
    await client.aclose()


async def run_until(consumer: StreamConsumer, done: Any, timeout: float = 10) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        async with asyncio.timeout(timeout):
            while not await done():
                await asyncio.sleep(0.02)
    finally:
        stop.set()
        if consumer.settings.block_ms > 1000:  # a long blocking read: an entry ends it
            await consumer.redis.xadd(SRC, {"n": "wake-up"})
        await task


async def outputs(r: Redis) -> list[str]:
    return [f["n"] for _, f in await r.xrange(OUT)]


def consumer(r: Redis, stage: FakeStage, name: str = "c1", **kw: Any) -> StreamConsumer:
    return StreamConsumer(r, settings(**kw), stage, SRC, "fake", name)


async def test_one_failing_article_never_blocks_the_others_of_its_batch(aredis: Redis) -> None:
    for n in "abcd":
        await aredis.xadd(SRC, {"n": n})
    stage = FakeStage(fail_times={"b": 2})
    await run_until(consumer(aredis, stage), lambda: _has(aredis, 4))
    assert sorted(await outputs(aredis)) == ["a", "b", "c", "d"]
    assert stage.calls == {"a": 1, "b": 3, "c": 1, "d": 1}
    assert (await aredis.xpending(SRC, "fake"))["pending"] == 0


async def test_transient_failure_succeeds_on_the_third_try_with_delivery_count(aredis: Redis) -> None:
    await aredis.xadd(SRC, {"n": "t"})
    stage = FakeStage(fail_times={"t": 2})
    await run_until(consumer(aredis, stage), lambda: _has(aredis, 1))
    assert stage.calls["t"] == 3 and await outputs(aredis) == ["t"]


async def test_poison_goes_to_dead_letters_after_max_attempts_and_is_acknowledged(aredis: Redis) -> None:
    await aredis.xadd(SRC, {"n": "p", "article_id": "art-1", "revision": "2"})
    await aredis.xadd(SRC, {"n": "ok"})
    stage = FakeStage(fail_times={"p": 10**6})
    c = consumer(aredis, stage, max_attempts=3)
    await run_until(c, lambda: _dlq_len(aredis, 1))
    [(_, letter)] = await aredis.xrange("newsroom.deadletter.fake.v1")
    assert letter["attempts"] == "3" and letter["error_type"] == "TransientError"
    assert letter["origin_stream"] == SRC and letter["article_id"] == "art-1" and letter["entry.n"] == "p"
    assert letter["consumer"] == "c1" and letter["dead_lettered_at"]
    assert stage.calls["p"] == 3 and await outputs(aredis) == ["ok"]
    assert (await aredis.xpending(SRC, "fake"))["pending"] == 0


@dataclass
class UnwritableStage(FakeStage):
    """Decides fine, but its step writes to a key that holds the wrong type: every commit fails."""

    def outcome(self, d: Delivery, n: str, call: int) -> Outcome:
        return Commit(applied_ops=[("HSET", "test.not-a-hash", "n", n)], keys=["test.not-a-hash"])


async def test_a_step_that_can_never_be_written_is_dead_lettered_with_the_servers_reason(
    aredis: Redis,
) -> None:
    await aredis.set("test.not-a-hash", "a string")
    await aredis.xadd(SRC, {"n": "w"})
    stage = UnwritableStage()
    await run_until(consumer(aredis, stage, max_attempts=3), lambda: _dlq_len(aredis, 1))
    [(_, letter)] = await aredis.xrange("newsroom.deadletter.fake.v1")
    assert "WRONGTYPE" in letter["error"], letter  # not "the consumer died": it never did
    assert stage.calls["w"] == 3
    assert (await aredis.xpending(SRC, "fake"))["pending"] == 0


async def test_permanent_error_is_dead_lettered_at_once(aredis: Redis) -> None:
    await aredis.xadd(SRC, {"n": "bad"})
    stage = FakeStage(permanent={"bad"})
    await run_until(consumer(aredis, stage), lambda: _dlq_len(aredis, 1))
    assert stage.calls["bad"] == 1


@dataclass
class NotifyingStage(FakeStage):
    """Tells NOTICES about each dead letter, or fails to when `broken`."""

    broken: bool = False

    def dead_letter_ops(self, delivery: Delivery, error: BaseException) -> tuple[list[Op], list[str]]:
        if self.broken:
            raise ValueError("cannot describe this one")
        return [xadd_op(NOTICES, {"n": delivery.fields["n"], "error": str(error)})], [NOTICES]


NOTICES = "test.notices"


async def test_dead_letter_notice_is_written_with_the_dead_letter(aredis: Redis) -> None:
    await aredis.xadd(SRC, {"n": "bad"})
    await aredis.xadd(SRC, {"n": "ok"})
    await run_until(consumer(aredis, NotifyingStage(permanent={"bad"})), lambda: _dlq_len(aredis, 1))
    assert [f for _, f in await aredis.xrange(NOTICES)] == [{"n": "bad", "error": "bad breaks the contract"}]
    assert await outputs(aredis) == ["ok"]


async def test_a_failing_notice_never_keeps_an_entry_from_its_dead_letter(aredis: Redis) -> None:
    await aredis.xadd(SRC, {"n": "bad"})
    await run_until(
        consumer(aredis, NotifyingStage(permanent={"bad"}, broken=True)), lambda: _dlq_len(aredis, 1)
    )
    assert await aredis.xlen(NOTICES) == 0
    assert (await aredis.xpending(SRC, "fake"))["pending"] == 0


async def test_a_notice_that_cannot_be_written_leaves_one_dead_letter_not_one_per_retry(
    aredis: Redis,
) -> None:
    await aredis.set(NOTICES, "not a stream")  # e.g. an operator's mistake: every XADD to it fails
    await aredis.xadd(SRC, {"n": "bad"})
    stage = NotifyingStage(permanent={"bad"})
    await run_until(consumer(aredis, stage), lambda: _dlq_len(aredis, 1))
    await asyncio.sleep(0.3)  # time for any further retry to show
    assert await aredis.xlen("newsroom.deadletter.fake.v1") == 1
    assert (await aredis.xpending(SRC, "fake"))["pending"] == 0


async def test_a_dead_letter_whose_first_write_failed_keeps_the_handlers_reason(aredis: Redis) -> None:
    await aredis.set(NOTICES, "not a stream")  # the notice, written in the dead letter's step, fails
    await aredis.xadd(SRC, {"n": "p"})
    stage = NotifyingStage(fail_times={"p": 10**6})
    await run_until(consumer(aredis, stage, max_attempts=2), lambda: _dlq_len(aredis, 1))
    [(_, letter)] = await aredis.xrange("newsroom.deadletter.fake.v1")
    assert (letter["error_type"], letter["error"]) == ("TransientError", "p not yet")  # not WRONGTYPE


async def test_a_bare_dead_letter_mark_is_kept_only_while_the_entry_is_still_held(aredis: Redis) -> None:
    await ensure_group(aredis, SRC, "fake")
    held, taken = [await aredis.xadd(SRC, {"n": n}) for n in "ht"]
    await aredis.xreadgroup("fake", "c1", {SRC: ">"}, count=1)
    await aredis.xreadgroup("fake", "other", {SRC: ">"}, count=1)  # reclaimed by another consumer
    c = consumer(aredis, NotifyingStage(), name="c1")
    c._bare_dead_letters |= {held, taken}  # as after two failed dead-letter writes
    await c._maintain()
    assert c._bare_dead_letters == {held}


async def test_entries_of_a_dead_consumer_are_reclaimed(aredis: Redis) -> None:
    await ensure_group(aredis, SRC, "fake")
    for n in "xyz":
        await aredis.xadd(SRC, {"n": n})
    await aredis.xreadgroup("fake", "dead-one", {SRC: ">"}, count=10)  # reads, then "dies"
    stage = FakeStage()
    await run_until(consumer(aredis, stage, name="alive"), lambda: _has(aredis, 3))
    assert sorted(await outputs(aredis)) == ["x", "y", "z"]
    assert all(v == 1 for v in stage.calls.values())


@dataclass
class RacedStage(FakeStage):
    """Loses a compare-and-set to another writer until its fourth try."""

    def outcome(self, d: Delivery, n: str, call: int) -> Outcome:
        guard = Guard(f"cas:{n}", "v", "eq", str(call), new_value="done")
        return Commit(guard=guard, applied_ops=[xadd_op(OUT, {"n": n})], keys=[OUT])


async def test_losing_a_race_decides_again_without_using_up_attempts(aredis: Redis) -> None:
    await aredis.hset("cas:r", "v", "4")  # the other writer's state: only the fourth try matches
    await aredis.xadd(SRC, {"n": "r"})
    stage = RacedStage()
    await run_until(consumer(aredis, stage, max_attempts=1), lambda: _has(aredis, 1))
    assert stage.calls["r"] == 4 and await outputs(aredis) == ["r"]
    assert not await _dlq_len(aredis, 1)


@dataclass
class RefusingStage(FakeStage):
    """Refuses on its first try, on grounds held in `grounds`; then forwards."""

    grounds: Guard | None = None

    def outcome(self, d: Delivery, n: str, call: int) -> Outcome:
        if call == 1:
            return PermanentError("not ours", holds_if=self.grounds)
        return Commit(applied_ops=[xadd_op(OUT, {"n": n})], keys=[OUT])


@pytest.mark.parametrize("mode", ["eq", "gt"])
async def test_a_refusal_whose_grounds_changed_before_its_commit_is_decided_again(
    aredis: Redis, mode: Literal["eq", "gt"]
) -> None:
    await aredis.hset("owner", "v", "5")  # not what the refusal was decided on
    await aredis.xadd(SRC, {"n": "r"})
    stage = RefusingStage(grounds=Guard("owner", "v", mode, "1"))  # a failed "gt" must not mean "skip"
    await run_until(consumer(aredis, stage, max_attempts=1), lambda: _has(aredis, 1))
    assert stage.calls["r"] == 2 and await outputs(aredis) == ["r"]
    assert not await _dlq_len(aredis, 1)
    assert await aredis.hget("owner", "v") == "5"


class ProcessDeath(BaseException):
    """What a segfault or an OOM kill looks like from inside: nothing after it runs."""


@dataclass
class KillerStage(FakeStage):
    """Dies whenever its batch holds the killer entry."""

    async def handle(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        if any(d.fields["n"] == "killer" for d in deliveries):
            raise ProcessDeath
        return await super().handle(deliveries)


@pytest.mark.parametrize("restarted_as", ["another consumer", "the same consumer"])
async def test_an_entry_that_kills_its_process_is_dead_lettered_alone(
    aredis: Redis, restarted_as: str
) -> None:
    # its entries reclaimed by another consumer once idle, or found pending under its own name by a
    # process restarted with a fixed NEWSROOM_CONSUMER_NAME
    for n in ["a", "b", "killer", "c", "d"]:
        await aredis.xadd(SRC, {"n": n})
    stage = KillerStage()
    for life in range(10):  # each life ends when the killer is in hand, or when it is dead-lettered
        name = f"life-{life}" if restarted_as == "another consumer" else "enrich-0"
        stop = asyncio.Event()
        task = asyncio.create_task(
            consumer(aredis, stage, name=name, max_attempts=3, claim_idle_ms=100).run(stop)
        )
        async with asyncio.timeout(10):
            while not task.done() and not await _dlq_len(aredis, 1):
                await asyncio.sleep(0.02)
        stop.set()
        with contextlib.suppress(ProcessDeath):
            await task
        if await _dlq_len(aredis, 1):
            break
        await asyncio.sleep(0.15)  # the dead consumer's entries go idle
    [(_, letter)] = await aredis.xrange("newsroom.deadletter.fake.v1")
    assert letter["entry.n"] == "killer" and "the consumer died" in letter["error"]
    await run_until(consumer(aredis, stage, name="after"), lambda: _has(aredis, 4))
    assert sorted(await outputs(aredis)) == ["a", "b", "c", "d"]


async def test_redelivered_event_never_emits_twice(aredis: Redis) -> None:
    await aredis.xadd(SRC, {"n": "d", "rev": "1"})
    await aredis.xadd(SRC, {"n": "d", "rev": "1"})
    await aredis.xadd(SRC, {"n": "d", "rev": "3"})
    await aredis.xadd(SRC, {"n": "d", "rev": "2"})
    stage = FakeStage()
    await run_until(consumer(aredis, stage), lambda: _acked(aredis, 4))
    assert await outputs(aredis) == ["d", "d"]  # revision 1, then 3; the second 1 and the late 2 skipped
    assert await aredis.hget("seen:d", "rev") == "3"


class OneAtATimeCommitter(Committer):
    """A slow commit that counts how many are in flight at once."""

    in_flight = 0
    most_in_flight = 0

    async def run(self, commits: Sequence[Commit]) -> list[CommitResult]:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.02)
            return await super().run(commits)
        finally:
            self.in_flight -= 1


@dataclass
class PeekingStage(FakeStage):
    """Notes how many entries its consumer holds while it handles a batch."""

    redis: Redis | None = None
    held: list[int] = field(default_factory=list)

    async def handle(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        assert self.redis is not None
        self.held.append(int((await self.redis.xpending(SRC, "fake"))["pending"]))
        return await super().handle(deliveries)


async def test_a_backlog_is_read_ahead_and_its_batches_commit_one_at_a_time_in_order(aredis: Redis) -> None:
    for rev in range(1, 41):  # one article's revisions over five batches: out of order, some would be skipped
        await aredis.xadd(SRC, {"n": "d", "rev": str(rev)})
    stage = PeekingStage(redis=aredis)
    c = consumer(aredis, stage)
    committer = c._committer = OneAtATimeCommitter(aredis)
    await run_until(c, lambda: _acked(aredis, 40))
    assert await outputs(aredis) == ["d"] * 40 and await aredis.hget("seen:d", "rev") == "40"
    assert committer.most_in_flight == 1
    assert max(stage.held) > 8  # the next batch was read while one was handled


@dataclass
class StoppingStage(FakeStage):
    """Asks its consumer to stop while it handles the first batch."""

    stop: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        self.stop.set()
        return await super().handle(deliveries)


async def test_stop_hands_back_a_batch_read_ahead_so_another_consumer_takes_it_at_once(
    aredis: Redis,
) -> None:
    for i in range(24):
        await aredis.xadd(SRC, {"n": f"{i:02d}"})
    stage = StoppingStage()
    slow_reclaim = {"claim_idle_ms": 60_000}  # only a handed-back entry is idle long enough
    await consumer(aredis, stage, "leaving", **slow_reclaim).run(stage.stop)
    assert len(await outputs(aredis)) == 8  # its batch in hand was finished, the one read ahead was not
    assert (await aredis.xpending(SRC, "fake"))["pending"] == 8
    await run_until(
        consumer(aredis, FakeStage(calls=stage.calls), "staying", **slow_reclaim), lambda: _has(aredis, 24)
    )
    assert sorted(await outputs(aredis)) == [f"{i:02d}" for i in range(24)]
    assert set(stage.calls.values()) == {1}


async def test_a_retry_left_by_the_last_commit_is_not_held_up_by_a_blocking_read(aredis: Redis) -> None:
    await aredis.hset("cas:r", "v", "4")  # three lost races, each settled after its batch is committed
    await aredis.xadd(SRC, {"n": "r"})
    stage = RacedStage()
    await run_until(consumer(aredis, stage, block_ms=10_000), lambda: _has(aredis, 1), timeout=5)
    assert stage.calls["r"] == 4


class FailsOnceCommitter(Committer):
    """The connection drops once, mid-commit (after redis-py's own retries)."""

    failed = False

    async def run(self, commits: Sequence[Commit]) -> list[CommitResult]:
        if not self.failed:
            self.failed = True
            raise RedisConnectionError("connection reset")
        return await super().run(commits)


async def test_a_failed_commit_on_a_quiet_stream_is_retried_at_once(aredis: Redis) -> None:
    for n in "abc":
        await aredis.xadd(SRC, {"n": n})
    c = consumer(aredis, FakeStage(), block_ms=10_000, claim_idle_ms=60_000)  # no reclaim could save it
    c._committer = FailsOnceCommitter(aredis)
    await run_until(c, lambda: _has(aredis, 3), timeout=5)
    assert sorted(await outputs(aredis))[:3] == ["a", "b", "c"]


@dataclass
class OutageStage(FakeStage):
    """The server drops away once, mid-batch; notes the attempt each entry is handled at."""

    outages: int = 1
    attempts: dict[str, int] = field(default_factory=dict)

    async def handle(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        if self.outages:
            self.outages -= 1
            raise RedisConnectionError("connection reset")
        self.attempts |= {d.fields["n"]: d.attempt for d in deliveries}
        return await super().handle(deliveries)


async def test_a_batch_read_ahead_but_never_handled_keeps_its_first_attempt(aredis: Redis) -> None:
    for i in range(16):
        await aredis.xadd(SRC, {"n": f"{i:02d}"})
    stage = OutageStage()
    await run_until(consumer(aredis, stage), lambda: _acked(aredis, 16))
    assert {stage.attempts[f"{i:02d}"] for i in range(8)} == {2}  # the batch in hand was tried once
    assert {stage.attempts[f"{i:02d}"] for i in range(8, 16)} == {1}  # the one read ahead was not


async def test_trim_never_passes_an_unacknowledged_entry(aredis: Redis) -> None:
    await ensure_group(aredis, SRC, "fake")
    # ids well in the past: with ids of this millisecond the retention cutoff (now) could come
    # first and hide what the group's position allows
    ids = [await aredis.xadd(SRC, {"n": str(i)}, id=f"{1000 + i}-0") for i in range(5)]
    await aredis.xreadgroup("fake", "c", {SRC: ">"}, count=5)
    await aredis.xack(SRC, "fake", ids[0], ids[1], ids[3])
    await trim_acknowledged(aredis, SRC, retention_ms=0)
    remaining = [eid for eid, _ in await aredis.xrange(SRC)]
    assert remaining == ids[2:]  # ids[2] is still pending: nothing from it on may go


async def _has(r: Redis, n: int) -> bool:
    return int(await r.xlen(OUT)) >= n


async def _dlq_len(r: Redis, n: int) -> bool:
    return int(await r.xlen("newsroom.deadletter.fake.v1")) >= n


async def _acked(r: Redis, n: int) -> bool:
    info: Any = await r.xinfo_groups(SRC)
    return bool(info) and info[0]["pending"] == 0 and info[0]["entries-read"] >= n


async def keeps_running_until(r: Redis, task: asyncio.Task[None], stop: asyncio.Event, n: int) -> None:
    """Wait for `n` outputs, failing if the consumer's loop ends first; then stop it."""
    try:
        async with asyncio.timeout(15):
            while not await _has(r, n):
                assert not task.done(), task.exception()
                await asyncio.sleep(0.05)
    finally:
        stop.set()
        await task


async def test_a_step_behind_the_stage_says_which_effects_it_still_wrote(aredis: Redis) -> None:
    await aredis.xadd(SRC, {"n": "d", "rev": "2", "id": "ev-2"})
    await aredis.xadd(SRC, {"n": "d", "rev": "1", "id": "ev-1"})

    @dataclass
    class Forwarding(FakeStage):
        def outcome(self, d: Delivery, n: str, call: int) -> Outcome:
            rev = int(d.fields["rev"])
            return Commit(
                guard=Guard(f"seen:{n}", "rev", "gt", rev),
                always_ops=[xadd_op(OUT, {"n": n})],
                keys=[OUT],
                log_context={"revision": rev, "event_id": f"out-{rev}", "outcome": "forwarded"},
            )

    with structlog.testing.capture_logs() as logs:
        await run_until(consumer(aredis, Forwarding()), lambda: _acked(aredis, 2))
    (behind,) = [e for e in logs if e.get("outcome") == "behind"]
    assert behind["event"] == "behind: state kept, always-written effects applied"
    assert behind["written"] == [f"XADD {OUT}"] and behind["event_id"] == "out-1"
    assert behind["source_event_id"] == "ev-1" and behind["stored"] == "2"
    assert await outputs(aredis) == ["d", "d"]


async def test_trim_goes_on_when_a_group_acknowledges_everything_while_it_looks(
    aredis: Redis, redis_url: str
) -> None:
    # XINFO GROUPS says one entry is pending; another replica's commit acknowledges it before
    # XPENDING answers, whose summary then has no oldest entry
    await ensure_group(aredis, SRC, "fake")
    eid = await aredis.xadd(SRC, {"n": "x"}, id="1000-0")
    await aredis.xreadgroup("fake", "replica-2", {SRC: ">"}, count=1)
    other = connect(redis_url)
    real = aredis.xinfo_groups

    async def groups_then_acknowledged(stream: str) -> Any:
        groups = await real(stream)
        await other.xack(SRC, "fake", eid)
        return groups

    aredis.xinfo_groups = groups_then_acknowledged  # type: ignore[method-assign]
    try:
        assert await trim_acknowledged(aredis, SRC, retention_ms=0) == 1
    finally:
        aredis.xinfo_groups = real  # type: ignore[method-assign]
        await other.aclose()


@pytest.mark.parametrize("condition", ["out of memory", "read-only replica"])
async def test_a_server_refusing_for_a_while_is_waited_out_not_fatal(aredis: Redis, condition: str) -> None:
    for i in range(5):
        await aredis.xadd(SRC, {"n": f"a{i}"})
    memory_limit = (await aredis.config_get("maxmemory"))["maxmemory"]
    stop = asyncio.Event()
    try:
        if condition == "out of memory":
            await aredis.config_set("maxmemory", "1")
        else:  # as after a failover: the address now leads to a replica
            await aredis.execute_command("REPLICAOF", "127.0.0.1", "1")
        task = asyncio.create_task(consumer(aredis, FakeStage()).run(stop))
        await asyncio.sleep(0.5)
        assert not task.done() and await aredis.xlen(OUT) == 0
    finally:
        await aredis.config_set("maxmemory", memory_limit)
        await aredis.execute_command("REPLICAOF", "NO", "ONE")
    await keeps_running_until(aredis, task, stop, 5)
    assert sorted(await outputs(aredis)) == [f"a{i}" for i in range(5)]


async def test_a_stream_deleted_while_a_consumer_waits_on_it_is_created_again(aredis: Redis) -> None:
    # Valkey answers the waiting read with NOGROUP, Redis 7.0 with UNBLOCKED
    stop = asyncio.Event()
    task = asyncio.create_task(consumer(aredis, FakeStage(), block_ms=2000).run(stop))
    try:
        await asyncio.sleep(0.3)
        await aredis.delete(SRC)
        await asyncio.sleep(0.3)
        await aredis.xadd(SRC, {"n": "after-reset"})
        async with asyncio.timeout(10):
            while not await _has(aredis, 1):
                assert not task.done(), task.exception()
                await asyncio.sleep(0.05)
    finally:
        stop.set()
        await aredis.xadd(SRC, {"n": "wake-up"})
        await task
    assert _stream_gone(ResponseError("UNBLOCKED the stream key no longer exists"))


async def test_an_entry_too_wide_to_copy_whole_is_dead_lettered_in_part_and_its_batch_goes_on(
    aredis: Redis,
) -> None:
    await aredis.xadd(SRC, {"n": "a"})
    await aredis.xadd(SRC, {"n": "bad"} | {f"junk{i}": "x" for i in range(4100)})  # a stray producer
    await aredis.xadd(SRC, {"n": "b"})
    await run_until(consumer(aredis, FakeStage(permanent={"bad"})), lambda: _acked(aredis, 3))
    assert sorted(await outputs(aredis)) == ["a", "b"]
    [(_, letter)] = await aredis.xrange("newsroom.deadletter.fake.v1")
    assert letter["entry.n"] == "bad" and letter["entry_fields_dropped"] == str(4101 - 1000)
    assert letter["error_type"] == "PermanentError"


@dataclass
class Racing(FakeStage):
    """Wins only once the article's state says "ready"; stops its consumer at the 5th call."""

    stop: asyncio.Event | None = None

    def outcome(self, d: Delivery, n: str, call: int) -> Outcome:
        if self.stop is not None and call >= 5:
            self.stop.set()  # a deploy's SIGTERM while the article is contended
        return Commit(
            guard=Guard("cas:r", "v", "eq", "ready", new_value="done"),
            applied_ops=[xadd_op(OUT, {"n": n})],
            keys=[OUT],
        )


async def test_lost_races_stay_free_for_the_consumer_that_takes_over_after_a_stop(aredis: Redis) -> None:
    await aredis.hset("cas:r", "v", "another writer's")
    await aredis.xadd(SRC, {"n": "r"})
    stop = asyncio.Event()
    await consumer(aredis, Racing(stop=stop), name="replica-1", max_attempts=3).run(stop)
    [held] = await aredis.xpending_range(SRC, "fake", min="-", max="+", count=1)
    assert held["times_delivered"] == 0  # the count of attempts used: five lost races used none
    await aredis.hset("cas:r", "v", "ready")
    await run_until(consumer(aredis, Racing(), name="replica-2", max_attempts=3), lambda: _has(aredis, 1))
    assert await aredis.xlen("newsroom.deadletter.fake.v1") == 0


@dataclass
class Refusing(FakeStage):
    """Fails twice, then refuses on grounds read from the store; decided again, it goes through."""

    def outcome(self, d: Delivery, n: str, call: int) -> Outcome:
        if call < 3:
            return TransientError("a dependency hiccup")
        if call == 3:
            return PermanentError("not this article's", holds_if=Guard("owner", "v", "eq", "1"))
        return Commit(applied_ops=[xadd_op(OUT, {"n": n})], keys=[OUT])

    def dead_letter_ops(self, delivery: Delivery, error: BaseException) -> tuple[list[Op], list[str]]:
        return [xadd_op("test.notices", {"n": delivery.fields["n"]})], ["test.notices"]


@dataclass
class RefusedThenRaced(Refusing):
    """Refuses at its last attempt (the dead letter's notice cannot be written), is decided again,
    loses one race for the article, and wins when decided a third time."""

    def outcome(self, d: Delivery, n: str, call: int) -> Outcome:
        if call <= 3:
            return super().outcome(d, n, call)
        seen = "1" if call == 4 else "2"  # call 4 decided on state another writer has just moved on
        return Commit(
            guard=Guard("owner", "v", "eq", seen, new_value="3"),
            applied_ops=[xadd_op(OUT, {"n": n})],
            keys=[OUT],
        )


async def refused_at_its_last_attempt(
    r: Redis, stage: Refusing, retry_ms: int
) -> tuple[asyncio.Task[None], asyncio.Event]:
    """A consumer of one entry that `stage` refuses at its last (3rd) attempt, decided on the
    article's owner being "1", whose dead letter's notice cannot be written."""
    await r.hset("owner", "v", "1")
    await r.set("test.notices", "not a stream")
    await r.xadd(SRC, {"n": "x"})
    stop = asyncio.Event()
    run = consumer(r, stage, max_attempts=3, retry_base_ms=retry_ms, retry_max_ms=retry_ms).run(stop)
    return asyncio.create_task(run), stop


@pytest.mark.parametrize(("stage", "decisions"), [(Refusing(), 4), (RefusedThenRaced(), 5)])
async def test_a_refusal_whose_last_dead_letter_failed_is_decided_again_not_written_on_stale_grounds(
    aredis: Redis, stage: Refusing, decisions: int
) -> None:
    # decided again, it goes through (or, having lost a race to another writer, is decided once more)
    task, stop = await refused_at_its_last_attempt(aredis, stage, retry_ms=200)
    try:
        async with asyncio.timeout(10):
            while stage.calls.get("x", 0) < 3:
                await asyncio.sleep(0.01)
            await aredis.hset("owner", "v", "2")  # meanwhile another writer moved the article on
            while not await _acked(aredis, 1):
                await asyncio.sleep(0.02)
    finally:
        stop.set()
        await task
    assert stage.calls["x"] == decisions and await outputs(aredis) == ["x"]
    assert await aredis.xlen("newsroom.deadletter.fake.v1") == 0


@dataclass
class SqueezingStage(FakeStage):
    """Fills the server's memory while it handles its first batch, so commits meet OOM; notes the
    highest attempt each entry was handled at."""

    redis: Redis | None = None
    attempts: dict[str, int] = field(default_factory=dict)

    async def handle(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        if not self.calls and self.redis is not None:
            await self.redis.config_set("maxmemory", "1")
        for d in deliveries:
            self.attempts[d.fields["n"]] = max(self.attempts.get(d.fields["n"], 0), d.attempt)
        return await super().handle(deliveries)


async def squeezed(r: Redis, seconds: float) -> None:
    """Memory stays full for `seconds` (a stage set the limit), then is freed."""
    limit = (await r.config_get("maxmemory"))["maxmemory"]
    try:
        await asyncio.sleep(seconds)
    finally:
        await r.config_set("maxmemory", "0" if limit == "1" else limit)


async def test_commits_refused_for_want_of_memory_are_waited_out_using_up_no_attempt(aredis: Redis) -> None:
    # a backlog, so that batches are read ahead and committed while the next is handled
    for i in range(40):
        await aredis.xadd(SRC, {"n": f"a{i:02d}"})
    stop = asyncio.Event()
    stage = SqueezingStage(redis=aredis)
    task = asyncio.create_task(
        consumer(aredis, stage, max_attempts=1, retry_base_ms=20, batch_size=4).run(stop)
    )
    await squeezed(aredis, 2.0)
    await keeps_running_until(aredis, task, stop, 40)
    assert await aredis.xlen("newsroom.deadletter.fake.v1") == 0
    assert set(stage.attempts.values()) == {1}


@dataclass
class RefusingWithNotice(SqueezingStage):
    """Refuses every entry; its dead letter carries a notice (ingest: the submitter's receipt)."""

    def outcome(self, d: Delivery, n: str, call: int) -> Outcome:
        return PermanentError(f"{n} breaks the contract")

    def dead_letter_ops(self, delivery: Delivery, error: BaseException) -> tuple[list[Op], list[str]]:
        return [xadd_op("test.notices", {"n": delivery.fields["n"]})], ["test.notices"]


async def test_a_dead_letter_refused_for_want_of_memory_keeps_its_notice(aredis: Redis) -> None:
    await aredis.xadd(SRC, {"n": "p"})
    stop = asyncio.Event()
    task = asyncio.create_task(
        consumer(aredis, RefusingWithNotice(redis=aredis), max_attempts=3, retry_base_ms=20).run(stop)
    )
    await squeezed(aredis, 1.0)
    try:
        async with asyncio.timeout(10):
            while not await _dlq_len(aredis, 1):
                await asyncio.sleep(0.05)
    finally:
        stop.set()
        await task
    assert await aredis.xlen("test.notices") == 1  # out of memory was no fault of the notice


@dataclass
class DecidedAgainUnderOOM(Refusing):
    """Refused at its last attempt (its notice cannot be written); decided again, it meets OOM."""

    redis: Redis | None = None

    async def handle(self, deliveries: Sequence[Delivery]) -> list[Outcome]:
        if self.calls.get("x") == 3 and self.redis is not None:
            await self.redis.config_set("maxmemory", "1")
        return await super().handle(deliveries)


async def test_a_refusal_decided_again_waits_out_oom_instead_of_being_dead_lettered(aredis: Redis) -> None:
    stage = DecidedAgainUnderOOM(redis=aredis)
    task, stop = await refused_at_its_last_attempt(aredis, stage, retry_ms=50)
    try:
        async with asyncio.timeout(10):
            while stage.calls.get("x", 0) < 4:
                await asyncio.sleep(0.02)
    finally:
        await squeezed(aredis, 1.0)
    await keeps_running_until(aredis, task, stop, 1)
    assert await aredis.xlen("newsroom.deadletter.fake.v1") == 0 and await outputs(aredis) == ["x"]


@dataclass
class Unwritable(FakeStage):
    """Every commit fails (the key it writes is of another type); stops its consumer at the 3rd call."""

    stop: asyncio.Event | None = None

    def outcome(self, d: Delivery, n: str, call: int) -> Outcome:
        if self.stop is not None and call >= 3:
            self.stop.set()  # a deploy after its last attempt failed, before its dead letter
        return Commit(applied_ops=[("HSET", "not-a-hash", "n", n)], keys=["not-a-hash"])


async def test_the_reason_of_a_last_attempt_goes_along_when_the_entry_is_handed_over(aredis: Redis) -> None:
    await aredis.set("not-a-hash", "a string")
    await aredis.xadd(SRC, {"n": "w"})
    stop = asyncio.Event()
    await consumer(aredis, Unwritable(stop=stop), name="replica-1", max_attempts=3).run(stop)
    await run_until(
        consumer(aredis, Unwritable(), name="replica-2", max_attempts=3), lambda: _dlq_len(aredis, 1)
    )
    [(_, letter)] = await aredis.xrange("newsroom.deadletter.fake.v1")
    assert "WRONGTYPE" in letter["error"] and "consumer died" not in letter["error"]


async def test_a_stop_while_the_server_refuses_writes_ends_cleanly_leaving_entries_to_reclaim(
    aredis: Redis,
) -> None:
    await aredis.xadd(SRC, {"n": "a"})
    stage = FakeStage(fail_times={"a": 100})
    stop = asyncio.Event()
    task = asyncio.create_task(consumer(aredis, stage, retry_base_ms=5000, retry_max_ms=5000).run(stop))
    try:
        async with asyncio.timeout(10):
            while stage.calls.get("a", 0) < 1:  # failed once: held for a retry
                await asyncio.sleep(0.02)
        await aredis.execute_command("REPLICAOF", "127.0.0.1", "1")  # a failover, as the service stops
        stop.set()
        await task  # the hand-back is refused: logged, never raised out of the stop
    finally:
        await aredis.execute_command("REPLICAOF", "NO", "ONE")
    assert (await aredis.xpending(SRC, "fake"))["pending"] == 1  # still held, to be reclaimed once idle
