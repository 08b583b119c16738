"""Where each stage stands, read from the server: what an operator looks at before scaling.

Lag is what a stage has not been handed yet, pending what it holds without an outcome, and how
long the longest-held entry has been held since its last delivery says whether a consumer is stuck
rather than merely busy (an entry's age would not: a backlog is old with nothing stuck). The
figures come from the consumer groups (XINFO GROUPS, XPENDING) and the consumers' own heartbeats,
so they are the same whichever process or replica asks, and need no service to be running.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from newsroom_shared.streams import DEAD_LETTER_STREAMS, PUBLISHED, STAGE_INPUT, live_consumers


@dataclass(frozen=True)
class StageStatus:
    stage: str
    stream: str
    length: int
    group: bool  # whether the stage has ever started (its group is created at start-up)
    lag: int | None  # entries not yet handed to the stage; None when the server cannot tell
    pending: int
    consumers: int  # alive within ACTIVE_WITHIN_MS
    longest_held_s: float | None  # since its last delivery, of the entries held without an outcome
    dead_letters: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


PENDING_SCAN = 1_000
"""Held entries looked at (oldest first): a stage holds about a batch per consumer."""

ACTIVE_WITHIN_MS = 15_000
"""A live consumer says so every few seconds (`consumer.HEARTBEAT_S`), even with nothing to do;
one silent for this long has died or is stuck, and its entries will be reclaimed."""


async def stage_status(redis: Redis, stage: str) -> StageStatus:
    """One round trip: what a scrape every few seconds should cost the server."""
    stream = STAGE_INPUT[stage]
    pipe = redis.pipeline(transaction=False)
    pipe.xlen(stream)
    pipe.xlen(DEAD_LETTER_STREAMS[stage])
    pipe.xinfo_groups(stream)
    pipe.zcount(live_consumers(stage), int(time.time() * 1000) - ACTIVE_WITHIN_MS, "+inf")
    pipe.xpending_range(stream, stage, min="-", max="+", count=PENDING_SCAN)
    length, dead, groups, active, pending = await pipe.execute(raise_on_error=False)
    if isinstance(groups, ResponseError):  # no such stream yet
        groups = []
    for reply in (length, dead, active, groups):
        if isinstance(reply, Exception):
            raise reply
    group = next((g for g in groups if g["name"] == stage), None)  # None: never started
    if group is None:
        return StageStatus(stage, stream, length, False, length, 0, 0, None, dead)
    held: float | None = 0.0  # nothing held: a gauge at zero, not a gap in a dashboard
    if group["pending"]:
        held = (
            None
            if isinstance(pending, Exception)
            else max((int(p["time_since_delivered"]) for p in pending), default=0) / 1000
        )
    lag = group.get("lag")
    return StageStatus(
        stage,
        stream,
        length,
        True,
        None if lag is None else int(lag),
        int(group["pending"]),
        int(active),
        None if held is None else round(held, 1),
        dead,
    )


async def pipeline_status(redis: Redis) -> dict[str, Any]:
    """Every stage, and how many published events the readers' stream holds."""
    stages = [await stage_status(redis, stage) for stage in STAGE_INPUT]
    return {"stages": [s.as_dict() for s in stages], "published": await redis.xlen(PUBLISHED)}


def render(status: dict[str, Any]) -> str:
    """The table `newsroom status` prints."""
    head = f"{'stage':8} {'stream':32} {'length':>8} {'lag':>7} {'pending':>8} {'consumers':>11} "
    head += f"{'longest held':>13} {'dead letters':>12}"
    lines = [head]
    for s in status["stages"]:
        lag = "?" if s["lag"] is None else str(s["lag"])
        held = "-" if s["longest_held_s"] is None or not s["pending"] else f"{s['longest_held_s']} s"
        consumers = str(s["consumers"]) if s["group"] else "not started"
        lines.append(
            f"{s['stage']:8} {s['stream']:32} {s['length']:>8} {lag:>7} {s['pending']:>8} "
            f"{consumers:>11} {held:>13} {s['dead_letters']:>12}"
        )
    lines.append(f"published events kept: {status['published']}")
    return "\n".join(lines)


_GAUGES: tuple[tuple[str, str, str], ...] = (
    ("lag", "newsroom_stream_lag", "Entries of the stage's stream not yet handed to its group."),
    ("pending", "newsroom_stream_pending", "Entries the stage's consumers hold without an outcome."),
    ("longest_held_s", "newsroom_longest_held_seconds", "Longest any such entry is held since delivered."),
    (
        "consumers",
        "newsroom_consumers",
        f"Consumers of the stage alive in the last {ACTIVE_WITHIN_MS // 1000} s.",
    ),
    ("dead_letters", "newsroom_dead_letters", "Entries in the stage's dead-letter stream."),
)


SETTLED: tuple[str, ...] = ("processed", "skipped", "dead_lettered")
"""The outcomes that settle an entry (`consumer.ConsumerStats`): each entry ends in exactly one."""

_COUNTERS: tuple[tuple[str, str, str], ...] = (
    ("retried", "newsroom_retries_total", "Retries this process scheduled (failures and lost races)."),
    ("claimed", "newsroom_reclaimed_total", "Entries this process took over from other consumers."),
)


def prometheus(status: StageStatus, stats: dict[str, int]) -> str:
    """Prometheus text format: this process's own counters, then the stage's figures from the server
    (the same from every replica, so aggregate them with max, not sum)."""
    stage = f'stage="{status.stage}"'
    lines = [
        "# HELP newsroom_entries_total Entries this process settled, by outcome (one per entry).",
        "# TYPE newsroom_entries_total counter",
        *(f'newsroom_entries_total{{{stage},outcome="{k}"}} {stats.get(k, 0)}' for k in SETTLED),
    ]
    figures = [(name, "counter", helptext, stats.get(attr, 0)) for attr, name, helptext in _COUNTERS]
    figures += [(name, "gauge", helptext, getattr(status, attr)) for attr, name, helptext in _GAUGES]
    for name, kind, helptext, value in figures:
        if value is not None:  # a figure the server cannot give is left out, not reported as zero
            lines += [f"# HELP {name} {helptext}", f"# TYPE {name} {kind}", f"{name}{{{stage}}} {value}"]
    return "\n".join(lines) + "\n"
