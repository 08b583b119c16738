"""Submitting known articles and proving, at the end, what was published and how often."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Set
from dataclasses import dataclass
from typing import Any

import redis
from newsroom_shared import streams
from newsroom_shared.testing import wait_for

WORDS = [
    "harbour",
    "council",
    "budget",
    "river",
    "school",
    "library",
    "festival",
    "railway",
    "market",
    "bridge",
    "museum",
    "clinic",
]


def native_article(article_id: str, version: int, words: int = 120) -> str:
    body = " ".join(WORDS[(i * 7 + version) % len(WORDS)] for i in range(words))
    return json.dumps(
        {
            "article_id": article_id,
            "source": "fault-tests",
            "source_version": version,
            "headline": f"Report {article_id} version {version}",
            "authors": ["Test Desk"],
            "body_text": f"{body}.\n\nVersion {version} of {article_id}.",
            "first_published_at": "2025-03-01T08:00:00+00:00",
        }
    )


def submit(client: redis.Redis, article_ids: list[str], version: int = 1) -> None:
    pipe = client.pipeline(transaction=False)
    for aid in article_ids:
        pipe.xadd(streams.SUBMITTED, {"body": native_article(aid, version), "format": "native"})
    pipe.execute()


def pairs(client: redis.Redis, stream: str) -> list[tuple[str, int]]:
    entries: Any = client.xrange(stream)
    return [(f["article_id"], int(f["revision"])) for _, f in entries]


@dataclass
class Tally:
    accepted: set[tuple[str, int]]
    published: Counter[tuple[str, int]]
    dead: set[str]

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.published.values() if n > 1)


def tally(client: redis.Redis) -> Tally:
    dead: set[str] = set()
    for stream in streams.DEAD_LETTER_STREAMS.values():
        entries: Any = client.xrange(stream)
        dead |= {f.get("article_id") or f.get("entry.article_id") or "" for _, f in entries}
    return Tally(set(pairs(client, streams.INGESTED)), Counter(pairs(client, streams.PUBLISHED)), dead)


def must_publish(
    expected: set[tuple[str, int]], poisoned: Set[str], may_supersede: Set[str]
) -> set[tuple[str, int]]:
    """Every expected revision, except poisoned articles and revisions a newer one overtook."""
    latest: dict[str, int] = {}
    for aid, rev in expected:
        latest[aid] = max(rev, latest.get(aid, 0))
    return {(a, r) for a, r in expected if a not in poisoned and (a not in may_supersede or r == latest[a])}


def settle(
    client: redis.Redis,
    expected: set[tuple[str, int]],
    poisoned: Set[str] = frozenset(),
    timeout: float = 90,
    may_supersede: Set[str] = frozenset(),
) -> Tally:
    """Wait until every expected revision is published (or dead-lettered), then prove exactly once.

    `may_supersede` names articles whose revisions raced each other: for them only the newest must
    be published (an older one that arrives after it is recorded, never announced).
    """
    required = must_publish(expected, poisoned, may_supersede)

    def done() -> Tally | None:
        t = tally(client)
        return t if required <= set(t.published) and set(poisoned) <= t.dead else None

    t: Tally = wait_for(done, timeout=timeout, interval=0.25, message="every article published")
    assert t.duplicates == 0, f"published twice: {[p for p, n in t.published.items() if n > 1]}"
    assert t.accepted == expected, f"accepted {len(t.accepted)} != expected {len(expected)}"
    assert required <= set(t.published) <= expected
    assert t.dead == set(poisoned)
    return t
