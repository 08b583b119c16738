"""An aggregator following `/v1/changes` over HTTP sees every published revision, once, in order."""

from __future__ import annotations

import json
from typing import Any

import httpx
import redis
from newsroom_shared import streams
from newsroom_shared.processes import Stack

from tests.integration.test_chain import submit, wait_published


def article(aid: str, headline: str, body: str, **extra: Any) -> bytes:
    doc = {"article_id": aid, "headline": headline, "body_text": body, "first_published_at": "2026-04-02"}
    return json.dumps(doc | extra).encode()


def follow(api: str, after: str, limit: int) -> tuple[list[dict[str, Any]], str]:
    r = httpx.get(f"{api}/v1/changes", params={"after": after, "limit": limit}, timeout=5)
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"  # a stored page would hide the events after it
    return r.json()["changes"], r.json()["next"]


def test_following_changes_page_by_page_yields_every_revision_once_in_order(
    stack: Stack, redis_client: redis.Redis
) -> None:
    api = stack.first("publish").url
    for aid, headline in (("tide-1", "Spring Tide Floods the Quay"), ("tide-2", "Ferry Pier Closed")):
        submit(stack, article(aid, headline, "Water reached the market stalls."), path="/v1/articles")
        wait_published(stack, aid, 1)
    revised = article("tide-1", "Spring Tide Floods the Quay", "Water reached the stalls. It fell by noon.")
    submit(stack, revised, path="/v1/articles")
    wait_published(stack, "tide-1", 2)
    withdrawn = article("tide-2", "Ferry Pier Closed", "Withdrawn.", change_kind="withdrawal")
    submit(stack, withdrawn, path="/v1/articles")

    seen: list[tuple[str, int, bool]] = []
    cursor = "0-0"
    for _ in range(20):
        page, cursor = follow(api, cursor, 2)
        seen += [(c["article_id"], c["revision"], c["withdrawn"]) for c in page]
        if len(seen) == 4:
            break
    assert seen == [("tide-1", 1, False), ("tide-2", 1, False), ("tide-1", 2, False), ("tide-2", 2, True)]
    assert follow(api, cursor, 100) == ([], cursor)  # caught up: the same cursor again
    got = httpx.get(f"{api}/v1/changes", params={"after": "0-0"}, timeout=5)
    head = httpx.head(f"{api}/v1/changes", params={"after": "0-0"}, timeout=5)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"] == str(len(got.content))
    refused = httpx.post(f"{api}/v1/changes", timeout=5)
    assert refused.status_code == 405 and refused.headers["allow"] == "GET, HEAD"
    published: Any = redis_client.xrange(streams.PUBLISHED)
    assert cursor == published[-1][0]


def test_a_cursor_past_deleted_events_is_told_rather_than_silently_skipping(
    stack: Stack, redis_client: redis.Redis
) -> None:
    api = stack.first("publish").url
    for n in range(3):
        submit(
            stack, article(f"gull-{n}", f"Gull Census Count {n}", "Birds were counted."), path="/v1/articles"
        )
        wait_published(stack, f"gull-{n}", 1)
    first, cursor = follow(api, "0-0", 1)
    assert [c["article_id"] for c in first] == ["gull-0"]
    published: Any = redis_client.xrange(streams.PUBLISHED)
    # an operator trims the stream, and with it the two events this reader has not fetched yet
    redis_client.xtrim(streams.PUBLISHED, minid=published[2][0], approximate=False)

    gone = httpx.get(f"{api}/v1/changes", params={"after": cursor}, timeout=5)
    assert gone.status_code == 410 and "removed" in gone.json()["detail"]
    assert gone.headers["cache-control"] == "no-store"
    rest, _ = follow(api, gone.json()["resume_after"], 10)  # after reconciling, nothing is skipped twice
    assert [c["article_id"] for c in rest] == ["gull-2"]
    assert [c["article_id"] for c in follow(api, "0-0", 10)[0]] == ["gull-2"]  # from the oldest kept
    for cursor in ("yesterday", "18446744073709551616", "\uff11\uff12"):
        bad = httpx.get(f"{api}/v1/changes", params={"after": cursor}, timeout=5)
        assert bad.status_code == 422, cursor
        assert (
            bad.json()["message"] == "after: must be a stream id: <milliseconds> or <milliseconds>-<sequence>"
        )
    # a cursor past the newest event (the log was reset, or it is another server's) would see
    # nothing until the log's ids pass it: the reader is told to start over instead
    for ahead in ("99999999999999-0", "18446744073709551615-18446744073709551615"):
        reset = httpx.get(f"{api}/v1/changes", params={"after": ahead}, timeout=5)
        assert reset.status_code == 410 and "past the newest event" in reset.json()["detail"]
        assert reset.json()["resume_after"] == "0-0"
