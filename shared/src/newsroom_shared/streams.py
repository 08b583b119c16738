"""Stream, group and key names: defined once, versioned."""

from __future__ import annotations

from typing import Final

SUBMITTED: Final = "newsroom.articles.submitted.v1"
"""Newsroom systems XADD raw articles here (layout in the README); ingest consumes it."""
INGESTED: Final = "newsroom.articles.ingested.v1"
ENRICHED: Final = "newsroom.articles.enriched.v1"
PUBLISHED: Final = "newsroom.articles.published.v1"

STAGE_INPUT: Final[dict[str, str]] = {"ingest": SUBMITTED, "enrich": INGESTED, "publish": ENRICHED}
"""Which stream each consuming stage reads; its consumer group is named after the stage."""

EVENT_SOURCE_PREFIX: Final = "urn:newsroom-streams:"


def dead_letter_stream(stage: str) -> str:
    return f"newsroom.deadletter.{stage}.v1"


DEAD_LETTER_STREAMS: Final[dict[str, str]] = {s: dead_letter_stream(s) for s in STAGE_INPUT}


def key(*parts: str) -> str:
    """Every Redis key of the system lives under `newsroom:`."""
    return ":".join(("newsroom", *parts))


def live_consumers(stage: str) -> str:
    """Sorted set: each consumer of the stage, scored by when it last said it was alive (ms)."""
    return key("consumers", stage)


MAX_ID_PART: Final = 2**64 - 1
"""Each part of a stream entry id (`<ms>-<seq>`) is an unsigned 64-bit number."""


def entry_id_key(entry_id: str) -> tuple[int, int]:
    """A stream entry id as a sortable pair; `<ms>` alone means `<ms>-0`."""
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)
