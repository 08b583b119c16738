"""The batched commit script against a real server: each step keeps its own outcome."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from newsroom_shared.commit import Commit, Committer, Guard, xadd_op
from newsroom_shared.connection import connect
from newsroom_shared.consumer import ensure_group
from redis.asyncio import Redis

SRC, OUT, GROUP = "commit.in", "commit.out", "g"


@pytest.fixture
async def aredis(redis_url: str) -> AsyncIterator[Redis]:
    client = connect(redis_url)
    yield client
    await client.aclose()


async def delivered(r: Redis, n: int) -> list[str]:
    """Add `n` entries to SRC and read them into the group, as a consumer would."""
    await ensure_group(r, SRC, GROUP)
    for i in range(n):
        await r.xadd(SRC, {"i": str(i)})
    reply = await r.xreadgroup(GROUP, "c", {SRC: ">"}, count=n)
    return [eid for eid, _ in reply[0][1]]


def forward(article: str, revision: int, entry_id: str, out: str = OUT) -> Commit:
    return Commit(
        guard=Guard(f"seen:{article}", "revision", "gt", revision),
        applied_ops=[xadd_op(out, {"article_id": article, "revision": str(revision)})],
        keys=[out],
        source_stream=SRC,
        group=GROUP,
        entry_id=entry_id,
    )


async def pending(r: Redis) -> set[str]:
    rows = await r.xpending_range(SRC, GROUP, min="-", max="+", count=100)
    return {row["message_id"] for row in rows}


async def test_a_failing_step_is_not_acknowledged_and_never_stops_the_others(aredis: Redis) -> None:
    ids = await delivered(aredis, 3)
    await aredis.set("not-a-stream", "x")  # XADD to it fails with WRONGTYPE inside the script
    results = await Committer(aredis).run(
        [forward("a", 1, ids[0]), forward("b", 1, ids[1], out="not-a-stream"), forward("c", 1, ids[2])]
    )
    assert [r.status for r in results] == ["applied", "error", "applied"]
    assert "WRONGTYPE" in results[1].error
    assert await pending(aredis) == {ids[1]}
    assert await aredis.hget("seen:b", "revision") is None  # the guard moves only with the effects
    assert [f["article_id"] for _, f in await aredis.xrange(OUT)] == ["a", "c"]


async def test_a_step_the_script_engine_cannot_run_fails_alone(aredis: Redis) -> None:
    # more arguments than Lua can unpack, and a guard holding no number: each raises inside the
    # script, which before took every step of the call down with it
    ids = await delivered(aredis, 4)
    await aredis.hset("seen:d", "revision", "not a number")
    wide = {f"f{i}": "x" for i in range(5000)}
    too_wide = Commit(
        applied_ops=[xadd_op(OUT, wide)], keys=[OUT], source_stream=SRC, group=GROUP, entry_id=ids[1]
    )
    results = await Committer(aredis).run(
        [forward("a", 1, ids[0]), too_wide, forward("c", 1, ids[2]), forward("d", 2, ids[3])]
    )
    assert [r.status for r in results] == ["applied", "error", "applied", "error"]
    assert "unpack" in results[1].error
    assert await pending(aredis) == {ids[1], ids[3]}
    assert [f["article_id"] for _, f in await aredis.xrange(OUT)] == ["a", "c"]


async def test_older_revision_is_skipped_and_acknowledged(aredis: Redis) -> None:
    ids = await delivered(aredis, 3)
    results = await Committer(aredis).run(
        [forward("a", 3, ids[0]), forward("a", 2, ids[1]), forward("a", 3, ids[2])]
    )
    assert [(r.status, r.stored) for r in results] == [("applied", ""), ("skipped", "3"), ("skipped", "3")]
    assert await pending(aredis) == set()
    assert await aredis.xlen(OUT) == 1


async def test_failed_compare_and_set_is_a_conflict_left_pending(aredis: Redis) -> None:
    ids = await delivered(aredis, 2)
    await aredis.hset("seen:x", "revision", "4")
    stale = Commit(guard=Guard("seen:x", "revision", "eq", "3", new_value="5"), source_stream=SRC,
                   group=GROUP, entry_id=ids[0])  # fmt: skip
    fresh = Commit(guard=Guard("seen:x", "revision", "eq", "4", new_value="5"), source_stream=SRC,
                   group=GROUP, entry_id=ids[1])  # fmt: skip
    results = await Committer(aredis).run([stale, fresh])
    assert [r.status for r in results] == ["conflict", "applied"]
    assert await pending(aredis) == {ids[0]}
    assert await aredis.hget("seen:x", "revision") == "5"


async def test_batches_larger_than_one_script_call_keep_every_outcome_in_order(aredis: Redis) -> None:
    ids = await delivered(aredis, 10)
    committer = Committer(aredis, max_steps_per_call=3)
    results = await committer.run([forward(f"a{i}", 1, eid) for i, eid in enumerate(ids)])
    assert [r.status for r in results] == ["applied"] * 10
    assert [f["article_id"] for _, f in await aredis.xrange(OUT)] == [f"a{i}" for i in range(10)]
    await aredis.script_flush()  # as after a server restart: the script is loaded again
    again = await committer.run([forward(f"a{i}", 1, eid) for i, eid in enumerate(ids)])
    assert [r.status for r in again] == ["skipped"] * 10
    assert await pending(aredis) == set()


async def test_a_claim_held_by_another_value_is_a_conflict_and_writes_nothing(aredis: Redis) -> None:
    ids = await delivered(aredis, 3)
    await aredis.set("slug:bridge", "a-1")

    def claiming(article: str, entry_id: str) -> Commit:
        step = forward(article, 1, entry_id)
        return Commit(
            guard=step.guard,
            claims=[("slug:bridge", article)],
            always_ops=[("HSET", f"history:{article}", "1", "doc")],
            applied_ops=[*step.applied_ops, ("SET", "slug:bridge", article)],
            keys=[*step.keys, f"history:{article}"],
            source_stream=SRC,
            group=GROUP,
            entry_id=entry_id,
        )

    results = await Committer(aredis).run(
        [claiming("a-1", ids[0]), claiming("b-2", ids[1]), claiming("c-3", ids[2])]
    )
    assert [(r.status, r.stored) for r in results] == [
        ("applied", ""),
        ("conflict", "a-1"),
        ("conflict", "a-1"),
    ]
    assert await pending(aredis) == {ids[1], ids[2]}
    assert not await aredis.exists("history:b-2") and await aredis.hget("seen:b-2", "revision") is None
    assert await aredis.get("slug:bridge") == "a-1"
