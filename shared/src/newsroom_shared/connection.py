"""Redis connections: built by each service's composition root, never at import time."""

from __future__ import annotations

from typing import Any

import hiredis
from redis.asyncio import Redis
from redis.asyncio.connection import Connection
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError


class HiredisPackingConnection(Connection):
    """Packs commands in C: the commit pipeline sends ~30 arguments per article, and redis-py's
    asyncio connection packs them in Python (the largest cost left in a profile of a stage)."""

    def pack_command(self, *args: Any) -> list[bytes]:
        head = args[0]
        if isinstance(head, str) and " " in head:
            args = (*head.split(), *args[1:])
        try:
            return [hiredis.pack_command(args)]
        except (TypeError, UnicodeEncodeError):  # the latter: bytes a producer wrote that are not UTF-8
            return super().pack_command(*args)


# Streams are written by clients we do not control. Strict decoding would make one entry that is
# not UTF-8 fail the whole XREADGROUP reply, every time it is read, and so stall its stage for
# good; escaped, the bytes reach the handler (which refuses the entry with the byte offset) and are
# written back unchanged wherever the entry is copied (dead letters, replays).
ENCODING_ERRORS = "surrogateescape"


def connect(url: str, *, block_ms: int = 500) -> Redis:
    """Client tuned for blocking stream reads: socket timeout above the XREADGROUP block time."""
    extra: dict[str, Any] = {}
    if url.startswith("redis://"):
        extra["connection_class"] = HiredisPackingConnection
    return Redis.from_url(
        url,
        decode_responses=True,
        encoding_errors=ENCODING_ERRORS,
        socket_timeout=max(5.0, block_ms / 1000 + 5.0),
        socket_connect_timeout=3.0,
        health_check_interval=15,
        retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=2),
        # READONLY: the connection leads to a primary demoted by a failover, while the address
        # may already lead to the new one. Closed and the command sent again on a new connection,
        # whoever holds it (an HTTP request as much as a consumer); a replica applies no write, so
        # sending one again is safe. While the address still leads to a replica, it is raised.
        retry_on_error=[RedisConnectionError, RedisTimeoutError, ReadOnlyError],
        **extra,
    )
