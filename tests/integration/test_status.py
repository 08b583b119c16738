"""`newsroom status` and `/metrics`: what an operator reads before scaling a stage."""

from __future__ import annotations

import json
from typing import Any

import httpx
import redis
from newsroom_shared import streams
from newsroom_shared.testing import wait_for

from tests.faults.checks import submit
from tests.integration.test_dead_letters import newsroom


def status(redis_url: str) -> dict[str, dict[str, Any]]:
    figures = json.loads(newsroom(redis_url, "status", "--json").stdout)
    return {s["stage"]: s for s in figures["stages"]}


def test_status_shows_the_backlog_of_a_stage_that_is_not_running_and_its_dead_letters(
    stack_factory: Any, redis_client: redis.Redis, redis_url: str
) -> None:
    stack = stack_factory(
        NEWSROOM_FAULT_POISON="bad-", NEWSROOM_FAULT_STAGES="enrich", NEWSROOM_MAX_ATTEMPTS="1"
    )
    stack.add("ingest")
    submit(redis_client, ["good-1", "good-2", "bad-3"])
    wait_for(lambda: redis_client.xlen(streams.INGESTED) == 3, message="three ingested")

    before = status(redis_url)
    assert before["ingest"] == {
        "stage": "ingest",
        "stream": streams.SUBMITTED,
        "length": 3,
        "group": True,
        "lag": 0,
        "pending": 0,
        "consumers": 1,
        "longest_held_s": 0.0,
        "dead_letters": 0,
    }
    assert (before["enrich"]["group"], before["enrich"]["lag"], before["enrich"]["consumers"]) == (
        False,
        3,
        0,
    )

    stack.add("enrich")
    wait_for(lambda: redis_client.xlen(streams.ENRICHED) == 2, message="two enriched")
    wait_for(
        lambda: status(redis_url)["enrich"]["dead_letters"] == 1, message="the poisoned one dead-lettered"
    )
    after = status(redis_url)
    assert (after["enrich"]["lag"], after["enrich"]["pending"], after["enrich"]["consumers"]) == (0, 0, 1)
    assert (after["publish"]["group"], after["publish"]["lag"]) == (False, 2)

    metrics = httpx.get(f"{stack.first('enrich').url}/metrics", timeout=5)
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    assert 'newsroom_entries_total{stage="enrich",outcome="processed"} 2\n' in metrics.text
    assert 'newsroom_entries_total{stage="enrich",outcome="dead_lettered"} 1\n' in metrics.text
    assert 'newsroom_stream_lag{stage="enrich"} 0\n' in metrics.text
    assert 'newsroom_dead_letters{stage="enrich"} 1\n' in metrics.text

    table = newsroom(redis_url, "status").stdout
    assert "not started" in table.splitlines()[3] and table.splitlines()[2].startswith("enrich")


def test_a_server_refusal_reaches_the_operator_as_one_line_not_a_traceback(
    redis_client: redis.Redis, redis_url: str
) -> None:
    redis_client.set(streams.SUBMITTED, "an operator's mistake")  # the stage's stream is not a stream
    failed = newsroom(redis_url, "status", check=False)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert failed.stderr.startswith("newsroom: the server refused: WRONGTYPE")
    no_such_db = newsroom(redis_url.rsplit("/", 1)[0] + "/99", "status", check=False)
    assert no_such_db.returncode == 1 and "Traceback" not in no_such_db.stderr
    assert no_such_db.stderr.startswith("newsroom: the server refused: DB index is out of range")
