"""`newsroom soak`: many articles through the real services while processes are killed at random.

Prints submitted / accepted / published / duplicates / superseded / lost / dead-lettered and exits
non-zero if anything was lost or published twice.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx
import redis

from newsroom_shared import loadgen, streams
from newsroom_shared.embedded import EmbeddedServer
from newsroom_shared.processes import ServiceProcess, Stack
from newsroom_shared.settings import load_settings

CHAOS_ENV = {
    "NEWSROOM_CLAIM_IDLE_MS": "2000",
    "NEWSROOM_CLAIM_INTERVAL_MS": "250",
    "NEWSROOM_RETRY_BASE_MS": "50",
    "NEWSROOM_SHUTDOWN_TIMEOUT_S": "5",
    "NEWSROOM_LOG_LEVEL": "WARNING",
}


@dataclass
class SoakReport:
    submitted: int
    accepted: int
    published: int
    duplicates: int
    superseded: int
    lost: int
    dead_lettered: int
    kills: int
    seconds: float

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.duplicates == 0


def run_soak(
    articles: int,
    *,
    faults: bool,
    replicas: int = 2,
    revise_every: int = 10,
    seed: int = 7,
    timeout: float = 900,
    quiet: bool = False,
    redis_url: str | None = None,
) -> SoakReport:
    rng = random.Random(seed)
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-soak-"))
    url = redis_url or load_settings().redis_url  # the settings check first, as every command
    server = None
    if not url:
        server = EmbeddedServer(workdir / "valkey")
        server.start()
        url = server.url
    client = redis.Redis.from_url(url, decode_responses=True)
    if client.dbsize():
        raise SystemExit("soak needs an empty database (it counts every stream from the start)")
    stack = Stack(url, workdir, dict(CHAOS_ENV))
    began = time.monotonic()
    kills = 0
    try:
        for name in ("ingest", "enrich", "publish"):
            for _ in range(replicas):
                stack.add(name)
        ids = [f"soak-{i:06d}" for i in range(articles)]
        revised = ids[::revise_every] if revise_every else []
        latest = {aid: 1 for aid in ids} | {aid: 2 for aid in revised}
        stop_chaos = threading.Event()
        chaos_thread = None
        kill_count = [0]
        if faults:
            chaos_thread = threading.Thread(target=_chaos, args=(stack, rng, stop_chaos, kill_count))
            chaos_thread.start()
        pace = max(0.02, 10.0 / max(1, articles / 200))  # spread submission over ~10 s
        _submit(client, ids, 1, pace)
        _wait(lambda: _published_ids(client) >= set(revised), timeout / 2)
        _submit(client, revised, 2, pace / 5)
        if chaos_thread:
            _wait(lambda: len(_published_ids(client)) >= articles * 0.9, timeout / 2)
            stop_chaos.set()
            chaos_thread.join()
            kills = kill_count[0]
            for procs in stack.services.values():
                for p in procs:
                    if p.process is None or p.process.poll() is not None:
                        stack.restart(p)
        _wait(lambda: _settled(client, latest), timeout)
        served = _served_bodies(stack.first("publish").url, list(latest))
        report = _report(client, latest, served, len(ids) + len(revised), kills, time.monotonic() - began)
    finally:
        stack.stop()
        client.close()
        if server:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    if not quiet:
        print_report(report)
    return report


def _submit(client: redis.Redis, ids: list[str], version: int, pace: float) -> None:
    for start in range(0, len(ids), 200):
        pipe = client.pipeline(transaction=False)
        for aid in ids[start : start + 200]:
            body = loadgen.article(aid, version, size=1500)
            pipe.xadd(streams.SUBMITTED, {"body": body, "format": "native", "article_id": aid})
        pipe.execute()
        time.sleep(pace)


def _chaos(stack: Stack, rng: random.Random, stop: threading.Event, kills: list[int]) -> None:
    """Every second or so, kill -9 (or SIGTERM) a random replica and start it again soon after."""
    while not stop.wait(rng.uniform(0.5, 1.5)):
        victim: ServiceProcess = rng.choice([p for procs in stack.services.values() for p in procs])
        if victim.process is None or victim.process.poll() is not None:
            continue
        victim.process.send_signal(signal.SIGKILL if rng.random() < 0.7 else signal.SIGTERM)
        victim.process.wait()
        kills[0] += 1
        time.sleep(rng.uniform(0.1, 0.8))
        stack.restart(victim)


def _published_ids(client: redis.Redis) -> set[str]:
    entries: Any = client.xrange(streams.PUBLISHED)
    return {f["article_id"] for _, f in entries}


def _settled(client: redis.Redis, latest: dict[str, int]) -> bool:
    for stream, group in (
        (streams.SUBMITTED, "ingest"),
        (streams.INGESTED, "enrich"),
        (streams.ENRICHED, "publish"),
    ):
        try:
            info: Any = client.xinfo_groups(stream)
        except redis.ResponseError:
            return False
        g = next((g for g in info if g["name"] == group), None)
        if g is None or g["pending"] or g.get("lag"):
            return False
    return True


def _served_bodies(publish_url: str, article_ids: list[str]) -> dict[str, str | None]:
    """What readers get for each article from publish's API (None when it serves nothing)."""
    with httpx.Client(base_url=publish_url, timeout=10) as http, ThreadPoolExecutor(8) as pool:

        def body(aid: str) -> str | None:
            r = http.get(f"/v1/articles/{aid}")
            return str(r.json()["body_html"]) if r.status_code == 200 else None

        return dict(zip(article_ids, pool.map(body, article_ids), strict=True))


def _report(
    client: redis.Redis,
    latest: dict[str, int],
    served: dict[str, str | None],
    submitted: int,
    kills: int,
    seconds: float,
) -> SoakReport:
    ingested: Any = client.xrange(streams.INGESTED)
    accepted = {(f["article_id"], int(f["revision"])) for _, f in ingested}
    published_entries: Any = client.xrange(streams.PUBLISHED)
    published = Counter((f["article_id"], int(f["revision"])) for _, f in published_entries)
    top: dict[str, int] = {}
    for aid, rev in published:
        top[aid] = max(rev, top.get(aid, 0))
    dead_ids: set[str] = set()
    dead = 0
    for stream in streams.DEAD_LETTER_STREAMS.values():
        letters: Any = client.xrange(stream)
        dead += len(letters)
        dead_ids |= {f.get("article_id", "") for _, f in letters}
    unpublished = {(a, r) for a, r in accepted if (a, r) not in published}
    superseded = sum(1 for aid, rev in unpublished if top.get(aid, 0) > rev)
    lost = {aid for aid, rev in unpublished if top.get(aid, 0) <= rev}
    for aid, body in served.items():
        if body is None or f"version {latest[aid]} of the report" not in body:
            lost.add(aid)  # its newest submitted version is not what readers get
    return SoakReport(
        submitted=submitted,
        accepted=len(accepted),
        published=len(published),
        duplicates=sum(published.values()) - len(published),
        superseded=superseded,
        lost=len(lost - dead_ids),
        dead_lettered=dead,
        kills=kills,
        seconds=round(seconds, 1),
    )


def _wait(predicate: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return
        time.sleep(0.5)


def print_report(r: SoakReport) -> None:
    for key, value in asdict(r).items():
        print(f"{key:>14}: {value}")
    print(json.dumps(asdict(r) | {"ok": r.ok}))
