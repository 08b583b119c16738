"""Redis connections: built by each service's composition root, never at import time."""

from __future__ import annotations

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError


def connect(url: str, *, block_ms: int = 500) -> Redis:
    """Client tuned for blocking stream reads: socket timeout above the XREADGROUP block time."""
    return Redis.from_url(
        url,
        decode_responses=True,
        socket_timeout=max(5.0, block_ms / 1000 + 5.0),
        socket_connect_timeout=3.0,
        health_check_interval=15,
        retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=2),
        retry_on_error=[RedisConnectionError, RedisTimeoutError],
    )
