"""Faults with real processes on a real server: every accepted revision published exactly once.

Each test submits a known set of articles, breaks something, and ends with `settle`, which waits
and then asserts: no accepted revision lost, none published twice, the dead-letter streams hold
exactly the poisoned articles.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import redis
from newsroom_shared import streams
from newsroom_shared.testing import ServerUnderTest, Stack, wait_for

from tests.faults.checks import native_article, settle, submit

pytestmark = pytest.mark.faults

FAST = {"claim_idle_ms": "1500", "claim_interval_ms": "200", "retry_base_ms": "50", "batch_size": "16"}


def started(stack_factory: Any, replicas: int = 1, **env: str) -> Stack:
    stack: Stack = stack_factory(**(FAST | env))
    for name in ("ingest", "enrich", "publish"):
        for _ in range(replicas):
            stack.add(name)
    return stack


def ids(prefix: str, n: int) -> list[str]:
    return [f"{prefix}-{i:04d}" for i in range(n)]


def published_count(client: redis.Redis) -> int:
    return int(client.xlen(streams.PUBLISHED))


@pytest.mark.parametrize("victim", ["ingest", "enrich", "publish"])
def test_kill_9_mid_batch_then_restart_loses_nothing(
    stack_factory: Any, redis_client: redis.Redis, victim: str
) -> None:
    stack = started(stack_factory)
    articles = ids(f"kill-{victim}", 300)
    submit(redis_client, articles)
    wait_for(lambda: published_count(redis_client) >= 20, message="some published")
    proc = stack.first(victim)
    proc.kill()
    stack.restart(proc)
    settle(redis_client, {(a, 1) for a in articles})


@pytest.mark.parametrize("victim", ["ingest", "enrich", "publish"])
def test_sigterm_with_a_backlog_waiting_exits_in_time_and_strands_nothing(
    stack_factory: Any, redis_client: redis.Redis, victim: str
) -> None:
    stack = started(stack_factory, NEWSROOM_SHUTDOWN_TIMEOUT_S="5")
    articles = ids(f"term-{victim}", 300)
    submit(redis_client, articles)
    wait_for(lambda: published_count(redis_client) >= 10, message="some published")
    proc = stack.first(victim)
    began = time.monotonic()
    assert proc.terminate(timeout=15) == 0
    assert time.monotonic() - began < 10
    stack.restart(proc)
    settle(redis_client, {(a, 1) for a in articles})


def test_server_restart_with_aof_mid_run(
    stack_factory: Any, redis_client: redis.Redis, redis_server: ServerUnderTest
) -> None:
    if redis_server.restart is None:
        pytest.skip("the external test server cannot be restarted from here")
    started(stack_factory)
    articles = ids("restart", 200)
    submit(redis_client, articles)
    wait_for(lambda: published_count(redis_client) >= 10, message="some published")
    time.sleep(1.2)  # let `appendfsync everysec` write what was accepted so far
    redis_server.restart()
    more = ids("after-restart", 50)
    wait_for(lambda: _ping(redis_client), message="server back")
    submit(redis_client, more)
    settle(redis_client, {(a, 1) for a in articles + more}, timeout=120)


def test_server_paused_for_seconds_mid_run(
    stack_factory: Any, redis_client: redis.Redis, redis_server: ServerUnderTest
) -> None:
    if redis_server.process is None and redis_server.pause_fn is None:
        pytest.skip("the external test server cannot be paused from here")
    stack = started(stack_factory)
    articles = ids("pause", 200)
    submit(redis_client, articles)
    wait_for(lambda: published_count(redis_client) >= 10, message="some published")
    redis_server.pause()
    try:
        time.sleep(1)
        for name in ("ingest", "publish"):
            ready = httpx.get(f"{stack.first(name).url}/readyz", timeout=10)
            assert ready.status_code == 503, f"{name} claims readiness while the server is frozen"
        began = time.monotonic()  # a reader is told to come back, within a client's patience
        read = httpx.get(f"{stack.first('publish').url}/v1/articles/{articles[0]}", timeout=30)
        assert (read.status_code, read.headers.get("Retry-After")) == (503, "2")
        assert time.monotonic() - began < 7
        time.sleep(1)
    finally:
        redis_server.resume()
    wait_for(
        lambda: httpx.get(f"{stack.first('enrich').url}/readyz", timeout=5).status_code == 200,
        message="ready again without a manual step",
    )
    settle(redis_client, {(a, 1) for a in articles}, timeout=120)
    for procs in stack.services.values():
        for p in procs:
            assert p.process is not None and p.process.poll() is None, f"{p.name} died during the pause"


def test_poison_article_is_dead_lettered_and_the_rest_flow(
    stack_factory: Any, redis_client: redis.Redis
) -> None:
    started(
        stack_factory,
        NEWSROOM_FAULT_POISON="poison",
        NEWSROOM_FAULT_STAGES="enrich",
        NEWSROOM_MAX_ATTEMPTS="3",
    )
    good = ids("fine", 30)
    poisoned = {"poison-0001"}
    submit(redis_client, [*good[:15], *poisoned, *good[15:]])
    settle(redis_client, {(a, 1) for a in [*good, *poisoned]}, poisoned=poisoned)
    entries: Any = redis_client.xrange(streams.dead_letter_stream("enrich"))
    [(_, letter)] = entries
    assert letter["attempts"] == "3" and letter["error_type"] == "InjectedFault"
    assert letter["origin_stream"] == streams.INGESTED and letter["stage"] == "enrich"


def test_transient_failure_succeeds_on_the_third_try(stack_factory: Any, redis_client: redis.Redis) -> None:
    started(stack_factory, NEWSROOM_FAULT_FLAKY="flaky:2", NEWSROOM_FAULT_STAGES="publish")
    articles = ["flaky-1", *ids("steady", 10)]
    submit(redis_client, articles)
    settle(redis_client, {(a, 1) for a in articles})


def test_a_step_whose_event_cannot_be_written_is_retried_in_full_and_its_revision_kept(
    stack_factory: Any, redis_client: redis.Redis
) -> None:
    stack: Stack = stack_factory(**FAST)
    ingest = stack.add("ingest")
    redis_client.set(streams.INGESTED, "not a stream")  # every XADD of the next event fails
    submit(redis_client, ["midway-1"])
    wait_for(lambda: "WRONGTYPE" in ingest.log_path.read_text(), message="the step failing")
    redis_client.delete(streams.INGESTED)
    stack.add("enrich")
    stack.add("publish")
    settle(redis_client, {("midway-1", 1)})


def test_same_event_delivered_twice_is_published_once(stack_factory: Any, redis_client: redis.Redis) -> None:
    started(stack_factory)
    submit(redis_client, ["twice-1"])
    settle(redis_client, {("twice-1", 1)})
    entries: Any = redis_client.xrange(streams.INGESTED)
    _, fields = entries[0]
    redis_client.xadd(streams.INGESTED, fields)  # the same event again, as a redelivery would
    wait_for(lambda: _group_drained(redis_client, streams.INGESTED, "enrich"), message="enrich drained")
    wait_for(lambda: _group_drained(redis_client, streams.ENRICHED, "publish"), message="publish drained")
    assert redis_client.xlen(streams.PUBLISHED) == 1


def test_revision_3_arriving_before_revision_2_leaves_revision_3_current_and_2_in_the_history(
    stack_factory: Any, redis_client: redis.Redis
) -> None:
    stack = started(stack_factory)
    for version in (1, 2, 3):
        submit(redis_client, ["order-1"], version=version)
        wait_for(lambda v=version: redis_client.xlen(streams.INGESTED) >= v, message=f"rev {version}")
    stack.stop()  # replay the ingested events to a fresh enrich/publish in the order 1, 3, 2
    events: Any = redis_client.xrange(streams.INGESTED)
    redis_client.delete(streams.INGESTED, streams.ENRICHED, streams.PUBLISHED)
    redis_client.delete(*redis_client.keys("newsroom:enrich:*"), *redis_client.keys("newsroom:publish:*"))
    for index in (0, 2, 1):
        redis_client.xadd(streams.INGESTED, events[index][1])
    stack2 = started(stack_factory)
    url = f"{stack2.first('publish').url}/v1/articles/order-1"
    wait_for(
        lambda: (
            _group_drained(redis_client, streams.ENRICHED, "publish")
            and redis_client.xlen(streams.ENRICHED) >= 1
        ),
        message="publish drained",
    )
    doc = wait_for(lambda: httpx.get(url).json() if httpx.get(url).status_code == 200 else None)
    assert doc["revision"] == 3
    assert [p[1] for p in _published(redis_client)] == [1, 3]  # revision 2 came too late to be current
    # but it is not lost: enrich forwards it, and publish keeps it in the history
    wait_for(lambda: [d["revision"] for d in httpx.get(f"{url}/revisions").json()] == [1, 2, 3])
    # revision 2 never had a page (its headline's slug was never claimed): it names the article's
    urls = [d["url"] for d in httpx.get(f"{url}/revisions").json()]
    assert urls[1] == urls[2] == doc["url"] and urls[0] != urls[2]
    assert all(httpx.get(u, follow_redirects=True).status_code == 200 for u in urls)


def test_two_replicas_of_every_service_racing(stack_factory: Any, redis_client: redis.Redis) -> None:
    stack = started(stack_factory, replicas=2)
    first = ids("race", 150)
    submit(redis_client, first)
    settle(redis_client, {(a, 1) for a in first})
    submit(redis_client, first[:50], version=2)  # revisions race through both replicas of each stage
    settle(redis_client, {(a, 1) for a in first} | {(a, 2) for a in first[:50]})
    # the same article changed concurrently through both ingest replicas: gap-free revisions
    replicas = stack.services["ingest"]
    bodies = [json.loads(native_article("race-http", v)) | {"source_version": None} for v in range(8)]
    with ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(
                lambda iv: httpx.post(
                    f"{replicas[iv[0] % 2].url}/v1/articles", json=iv[1], timeout=30
                ).json(),
                enumerate(bodies),
            )
        )
    assert sorted(a["revision"] for a in answers) == list(range(1, 9))
    assert {a["status"] for a in answers} == {"accepted"}
    settle(
        redis_client,
        {(a, 1) for a in first} | {(a, 2) for a in first[:50]} | {("race-http", r) for r in range(1, 9)},
        may_supersede={"race-http"},
    )


def _published(client: redis.Redis) -> list[tuple[str, int]]:
    entries: Any = client.xrange(streams.PUBLISHED)
    return [(f["article_id"], int(f["revision"])) for _, f in entries]


def _group_drained(client: redis.Redis, stream: str, group: str) -> bool:
    try:
        info: Any = client.xinfo_groups(stream)
    except redis.ResponseError:
        return False
    g = next((g for g in info if g["name"] == group), None)
    return g is not None and g["pending"] == 0 and (g.get("lag") in (0, None))


def _ping(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except (redis.ConnectionError, redis.TimeoutError):
        return False
