"""`newsroom bench`: the real services against a fresh server, and a baseline in the same run.

--mode relay: services with enrichment off vs. a raw redis-py batched relay over as many hops.
--mode full:  services with enrichment vs. the same enrichment in one process with no streams.
--rate R:     paced submission (latency under steady load) instead of a burst.
The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis

from newsroom_shared import loadgen, streams
from newsroom_shared.embedded import EmbeddedServer
from newsroom_shared.processes import Stack
from newsroom_shared.settings import NewsroomSettings, load_settings


@dataclass
class Run:
    articles: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def documents(n: int) -> list[tuple[str, str]]:
    return [(f"bench-{i:06d}", loadgen.article(f"bench-{i:06d}", size=3000)) for i in range(n)]


def drive(client: redis.Redis, docs: list[tuple[str, str]], rate: float | None, timeout: float) -> Run:
    """Submit, and time each article from submission to its published event."""
    sent: dict[str, float] = {}
    seen: dict[str, float] = {}
    done = threading.Event()

    def watch() -> None:
        reader = redis.Redis(connection_pool=client.connection_pool)
        last = "0-0"
        while not done.is_set():
            reply: Any = reader.xread({streams.PUBLISHED: last}, count=1000, block=100)
            now = time.perf_counter()
            for _, entries in reply or []:
                for eid, fields in entries:
                    last = eid
                    seen.setdefault(fields[b"article_id"].decode(), now)
            if len(seen) >= len(docs):
                done.set()

    watcher = threading.Thread(target=watch)
    watcher.start()
    began = time.perf_counter()
    if rate:
        interval = 1.0 / rate
        for i, (aid, body) in enumerate(docs):
            target = began + i * interval
            while (delay := target - time.perf_counter()) > 0:
                time.sleep(delay)
            sent[aid] = time.perf_counter()
            client.xadd(streams.SUBMITTED, {"body": body, "format": "native", "article_id": aid})
    else:
        for start in range(0, len(docs), 500):
            pipe = client.pipeline(transaction=False)
            chunk = docs[start : start + 500]
            for aid, body in chunk:
                pipe.xadd(streams.SUBMITTED, {"body": body, "format": "native", "article_id": aid})
            pipe.execute()
            now = time.perf_counter()
            for aid, _ in chunk:
                sent[aid] = now
    done.wait(timeout)
    done.set()
    watcher.join()
    finished = max(seen.values(), default=time.perf_counter())
    lat = [(seen[a] - sent[a]) * 1000 for a in seen if a in sent]
    return Run(len(seen), finished - began, lat)


def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_services(
    url: str,
    workdir: Path,
    docs: list[tuple[str, str]],
    *,
    enrich: bool,
    rate: float | None,
    timeout: float,
    enrich_replicas: int = 1,
    batch_size: int | None = None,
) -> tuple[Run, dict[str, float], dict[str, float]]:
    env = {"NEWSROOM_ENRICH_ENABLED": "true" if enrich else "false", "NEWSROOM_LOG_LEVEL": "WARNING"}
    if batch_size is not None:
        env["NEWSROOM_BATCH_SIZE"] = str(batch_size)
    stack = Stack(url, workdir, env)
    client = redis.Redis.from_url(url)
    try:
        for name in ("ingest", "enrich", "publish"):
            for _ in range(enrich_replicas if name == "enrich" else 1):
                stack.add(name)
        pids = {name: [p.process.pid for p in procs if p.process] for name, procs in stack.services.items()}
        before = {name: sum(map(cpu_seconds, ps)) for name, ps in pids.items()}
        run = drive(client, docs, rate, timeout)
        rss = {name: round(max(map(peak_rss_mb, ps)), 1) for name, ps in pids.items()}
        cpu = {name: sum(map(cpu_seconds, ps)) - before[name] for name, ps in pids.items()}
    finally:
        stack.stop()
        client.close()
    return run, rss, cpu


def run_raw_relay(
    url: str, docs: list[tuple[str, str]], rate: float | None, timeout: float
) -> tuple[Run, float]:
    hops = [(streams.SUBMITTED, "raw.hop1"), ("raw.hop1", "raw.hop2"), ("raw.hop2", streams.PUBLISHED)]
    procs = [
        subprocess.Popen([sys.executable, "-m", "newsroom_shared.rawrelay", url, src, dst, f"g{i}"])
        for i, (src, dst) in enumerate(hops)
    ]
    client = redis.Redis.from_url(url)
    try:
        time.sleep(0.5)
        before = sum(cpu_seconds(p.pid) for p in procs)
        run = drive(client, docs, rate, timeout)
        return run, sum(cpu_seconds(p.pid) for p in procs) - before
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(10)
        client.close()


def run_inprocess_enrichment(n: int) -> tuple[float, dict[str, float]]:
    """Articles/s of the enrichment alone, and what each enricher costs per article (µs)."""
    out = subprocess.run(
        [sys.executable, "-m", "newsroom_enrich.benchmark", str(n)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return float(figures["articles_per_s"]), dict(figures.get("per_enricher_us", {}))


def per_article(cpu: dict[str, float], articles: int) -> dict[str, float]:
    return {name: round(seconds * 1e6 / articles, 1) for name, seconds in cpu.items()} if articles else {}


def bench(
    mode: str,
    articles: int,
    rate: float | None,
    timeout: float = 600,
    *,
    enrich_replicas: int = 1,
    batch_size: int | None = None,
) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    url = load_settings().redis_url  # the settings check first: a bad variable is named, not a traceback
    server = None
    if not url:
        server = EmbeddedServer(workdir / "valkey")
        server.start()
        url = server.url
    client = redis.Redis.from_url(url)
    if client.dbsize():
        raise SystemExit("bench needs an empty database")
    docs = documents(articles)
    server_pid = server.process.pid if server and server.process else None
    base_cpu: dict[str, float] = {}
    per_enricher: dict[str, float] = {}
    try:
        server_before = cpu_seconds(server_pid) if server_pid else 0.0
        run, rss, cpu = run_services(
            url,
            workdir,
            docs,
            enrich=mode == "full",
            rate=rate,
            timeout=timeout,
            enrich_replicas=enrich_replicas,
            batch_size=batch_size,
        )
        if server_pid:
            cpu["server"] = cpu_seconds(server_pid) - server_before
        client.flushall()
        if mode == "relay":
            server_before = cpu_seconds(server_pid) if server_pid else 0.0
            base, base_cpu["relays"] = run_raw_relay(url, docs, rate, timeout)
            if server_pid:
                base_cpu["server"] = cpu_seconds(server_pid) - server_before
            baseline_per_s, baseline_name = base.per_s, "raw redis-py relay (64/read, pipelined)"
            base_p50, base_p99 = base.pct(0.5), base.pct(0.99)
        else:
            baseline_per_s, per_enricher = run_inprocess_enrichment(articles)
            baseline_name = "in-process enrichment"
            base_p50 = base_p99 = 0.0
    finally:
        client.close()
        if server:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    result = {
        "mode": mode,
        "articles": articles,
        "published": run.articles,
        "rate": rate,
        "enrich_replicas": enrich_replicas,
        "batch_size": batch_size or NewsroomSettings.model_fields["batch_size"].default,
        "seconds": round(run.seconds, 2),
        "articles_per_s": round(run.per_s, 1),
        "baseline": baseline_name,
        "baseline_per_s": round(baseline_per_s, 1),
        "ratio": round(run.per_s / baseline_per_s, 3) if baseline_per_s else None,
        "p50_ms": round(run.pct(0.5), 2),
        "p99_ms": round(run.pct(0.99), 2),
        "baseline_p50_ms": round(base_p50, 2),
        "baseline_p99_ms": round(base_p99, 2),
        "rss_mb": rss,
        # CPU time per published article (µs), per process: where the difference to the baseline goes
        "cpu_us_per_article": per_article(cpu, run.articles),
        "baseline_cpu_us_per_article": per_article(base_cpu, run.articles),
        "per_enricher_us": per_enricher,
    }
    print(f"{'':24}{'services':>14}{'baseline':>14}")
    print(f"{'articles/s':24}{result['articles_per_s']:>14}{result['baseline_per_s']:>14}")
    print(f"{'p50 ms':24}{result['p50_ms']:>14}{result['baseline_p50_ms']:>14}")
    print(f"{'p99 ms':24}{result['p99_ms']:>14}{result['baseline_p99_ms']:>14}")
    print(f"{'ratio':24}{result['ratio']!s:>14}")
    print(f"{'peak RSS MB':24}{json.dumps(rss):>14}")
    print(f"{'CPU µs / article':24}{json.dumps(result['cpu_us_per_article']):>14}")
    print(f"{'baseline CPU µs / article':24}{json.dumps(result['baseline_cpu_us_per_article']):>14}")
    if per_enricher:
        print(f"{'µs / article per enricher':24}{json.dumps(per_enricher):>14}")
    print(json.dumps(result))
    return result
