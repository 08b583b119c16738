"""Dead letters: list, show, replay to the start of their stage, purge; every change is recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import redis

from newsroom_shared.streams import DEAD_LETTER_STREAMS, key

AUDIT_STREAM = "newsroom.deadletter.audit.v1"


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


def replay(client: redis.Redis, letters: list[DeadLetter], by: str) -> list[str]:
    """Put each entry back at the start of its stage and drop it from the dead letters, atomically."""
    new_ids: list[str] = []
    for dl in letters:
        pipe = client.pipeline(transaction=True)
        pipe.xadd(dl.fields["origin_stream"], _as_written(dl.original or {"missing": "original fields"}))
        pipe.xdel(dl.stream, dl.entry_id)
        pipe.xadd(AUDIT_STREAM, _as_written(_audit("replayed", dl, by)))
        pipe.hincrby(key("deadletter", "replays"), f"{dl.stage}:{dl.fields.get('origin_id', '')}", 1)
        new_id, *_ = pipe.execute()
        new_ids.append(str(new_id))
    return new_ids


def purge(client: redis.Redis, letters: list[DeadLetter], by: str) -> int:
    for dl in letters:
        pipe = client.pipeline(transaction=True)
        pipe.xdel(dl.stream, dl.entry_id)
        pipe.xadd(AUDIT_STREAM, _as_written(_audit("purged", dl, by)))
        pipe.execute()
    return len(letters)


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


def _as_written(fields: dict[str, str]) -> Any:
    """Back to the bytes the producer wrote: the client reads with surrogateescape (connection.py),
    and redis-py's C packer would refuse the escapes rather than restore them."""
    return {_bytes(k): _bytes(v) for k, v in fields.items()}


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")
