"""The yardstick: a bare redis-py relay hop (batched XREADGROUP, pipelined XADD + XACK).

`python -m newsroom_shared.rawrelay SRC DST GROUP` — no validation, no guarantees beyond
at-least-once; `newsroom bench` runs three of these to measure what the real services cost.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from typing import Any

import redis


def relay(url: str, src: str, dst: str, group: str, count: int = 64) -> None:
    client = redis.Redis.from_url(url)
    with contextlib.suppress(redis.ResponseError):  # BUSYGROUP: it exists already
        client.xgroup_create(src, group, id="0", mkstream=True)
    running = [True]
    signal.signal(signal.SIGTERM, lambda *_: running.__setitem__(0, False))
    while running[0]:
        reply: Any = client.xreadgroup(group, f"raw-{group}", {src: ">"}, count=count, block=200)
        for _, entries in reply or []:
            pipe = client.pipeline(transaction=False)
            for _, fields in entries:
                pipe.xadd(dst, fields)
            pipe.xack(src, group, *[eid for eid, _ in entries])
            pipe.execute()


if __name__ == "__main__":
    relay(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4])
