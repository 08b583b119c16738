"""Dead letters: list, show, replay to the start of their stage, purge; every change is recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import redis

from newsroom_shared.streams import DEAD_LETTER_STREAMS, key

AUDIT_STREAM = "newsroom.deadletter.audit.v1"


class Incomplete(ValueError):
    """A dead letter that kept only part of its entry (`consumer.MAX_DEAD_LETTER_FIELDS`)."""


@dataclass(frozen=True)
class DeadLetter:
    stage: str
    stream: str
    entry_id: str
    fields: dict[str, str]

    @property
    def original(self) -> dict[str, str]:
        return {k[len("entry.") :]: v for k, v in self.fields.items() if k.startswith("entry.")}


def find(
    client: redis.Redis,
    *,
    stage: str | None = None,
    article: str | None = None,
    error_type: str | None = None,
    entry_id: str | None = None,
) -> list[DeadLetter]:
    out: list[DeadLetter] = []
    for st, stream in DEAD_LETTER_STREAMS.items():
        if stage and st != stage:
            continue
        entries: Any = client.xrange(stream)
        for eid, fields in entries:
            if article and fields.get("article_id") != article:
                continue
            if error_type and fields.get("error_type") != error_type:
                continue
            if entry_id and eid != entry_id:
                continue
            out.append(DeadLetter(st, stream, eid, fields))
    return out


# A letter is acted on only if it is still there, so two operators (or one command run twice)
# replaying or purging it act once; it is removed last, since a script's earlier writes are not
# rolled back: a write that fails (the origin stream replaced by another type) leaves it in place.
_REPLAY = """
if #redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1]) == 0 then return false end
local n = tonumber(ARGV[2])
local new_id = redis.call('XADD', KEYS[2], '*', unpack(ARGV, 3, 2 + n))
redis.call('XADD', KEYS[3], '*', unpack(ARGV, 3 + n, #ARGV - 1))
redis.call('HINCRBY', KEYS[4], ARGV[#ARGV], 1)
redis.call('XDEL', KEYS[1], ARGV[1])
return new_id
"""
_PURGE = """
if #redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1]) == 0 then return 0 end
redis.call('XADD', KEYS[2], '*', unpack(ARGV, 2))
redis.call('XDEL', KEYS[1], ARGV[1])
return 1
"""


def replay(client: redis.Redis, letters: list[DeadLetter], by: str) -> list[str | None]:
    """Put each entry back at the start of its stage and drop it from the dead letters, atomically.

    Each letter's new entry id, or None where the letter was already gone (replayed or purged since
    it was listed)."""
    new_ids: list[str | None] = []
    for dl in letters:
        if dropped := dl.fields.get("entry_fields_dropped"):
            raise Incomplete(
                f"{dropped} fields of the entry were not kept, so it cannot be put back as it was"
            )
        entry = _flat(dl.original or {"missing": "original fields"})
        audit = _flat(_audit("replayed", dl, by))
        counter = f"{dl.stage}:{dl.fields.get('origin_id', '')}"
        keys = [dl.stream, dl.fields["origin_stream"], AUDIT_STREAM, key("deadletter", "replays")]
        new_id: Any = client.eval(_REPLAY, 4, *keys, dl.entry_id, len(entry), *entry, *audit, counter)
        new_ids.append(None if new_id is None else str(new_id))
    return new_ids


def purge(client: redis.Redis, letters: list[DeadLetter], by: str) -> int:
    """Drop dead letters, each with its audit record; how many were still there to drop."""
    purged = 0
    for dl in letters:
        purged += int(
            client.eval(_PURGE, 2, dl.stream, AUDIT_STREAM, dl.entry_id, *_flat(_audit("purged", dl, by)))
        )
    return purged


def _audit(action: str, dl: DeadLetter, by: str) -> dict[str, str]:
    return {
        "action": action,
        "at": datetime.now(UTC).isoformat(),
        "by": by,
        "stage": dl.stage,
        "dead_letter_id": dl.entry_id,
        "origin_stream": dl.fields.get("origin_stream", ""),
        "origin_id": dl.fields.get("origin_id", ""),
        "article_id": dl.fields.get("article_id", ""),
        "revision": dl.fields.get("revision", ""),
        "error_type": dl.fields.get("error_type", ""),
        "error": dl.fields.get("error", ""),
    }


def _flat(fields: dict[str, str]) -> list[bytes]:
    """Field, value, ... as the bytes the producer wrote: the client reads with surrogateescape
    (connection.py), and redis-py's C packer would refuse the escapes rather than restore them."""
    return [_bytes(part) for item in fields.items() for part in item]


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")
