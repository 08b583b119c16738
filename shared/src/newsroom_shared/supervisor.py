"""`newsroom up`: the three services as separate processes (plus an embedded server when needed).

Each child's log lines are prefixed with its name; Ctrl-C/SIGTERM stops them all; if one dies on
its own the others are stopped and the exit status is non-zero.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import signal
import sys
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import redis

from newsroom_shared.embedded import EmbeddedServer, EmbeddedServerError, die_with_parent
from newsroom_shared.settings import EMBEDDED_URL_FILE, LOCK_FILE, NewsroomSettings, SettingsError

SERVICES = ("ingest", "enrich", "publish")


@dataclass
class Child:
    name: str
    process: asyncio.subprocess.Process
    pump: asyncio.Task[None] = field(init=False)


async def _pump(name: str, stream: asyncio.StreamReader) -> None:
    width = max(len(s) for s in SERVICES)
    while line := await stream.readline():
        sys.stdout.write(f"{name:<{width}} | {line.decode(errors='replace')}")
        sys.stdout.flush()


async def start_child(name: str, env: dict[str, str]) -> Child:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        f"newsroom_{name}",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        stdin=asyncio.subprocess.DEVNULL,
        preexec_fn=die_with_parent,  # no service outlives `newsroom up`, even one killed outright
    )
    child = Child(name, proc)
    assert proc.stdout is not None
    child.pump = asyncio.create_task(_pump(name, proc.stdout))
    return child


async def supervise(
    settings: NewsroomSettings,
    after_start: Callable[[NewsroomSettings], Coroutine[Any, Any, bool]] | None = None,
) -> int:
    """Run until a signal, a child's death, or `after_start` returning (True ⇒ exit 0)."""
    env = dict(os.environ)
    if "NEWSROOM_LOG_FORMAT" not in env:  # children write to our pipe; keep their lines readable
        env["NEWSROOM_LOG_FORMAT"] = "console" if sys.stdout.isatty() else "json"
    server: EmbeddedServer | None = None
    announced = settings.data_dir / EMBEDDED_URL_FILE
    if not settings.redis_url:
        lock = _lock_data_dir(settings)
        server = EmbeddedServer(
            settings.data_dir / "valkey", appendfsync=settings.appendfsync, supervised=True
        )
        try:
            server.start()
        except OSError as e:
            raise SettingsError(f"NEWSROOM_DATA_DIR ({settings.data_dir}): {e.strerror or e}") from None
        except EmbeddedServerError as e:
            print(f"newsroom: {e}", file=sys.stderr)
            return 1
        env["NEWSROOM_REDIS_URL"] = server.url
        announced.write_text(server.url + "\n")
        print(f"newsroom: embedded Valkey at {server.url} (AOF in {server.data_dir})", flush=True)
    elif problem := _unreachable(settings.redis_url):
        print(f"newsroom: cannot reach NEWSROOM_REDIS_URL {settings.redis_url}: {problem}", file=sys.stderr)
        return 1
    try:
        settings = settings.model_copy(update={"redis_url": env["NEWSROOM_REDIS_URL"]})
        children = [await start_child(name, env) for name in SERVICES]
        try:
            return await _watch(children, settings, after_start)
        finally:
            await _stop(children, settings.shutdown_timeout_s + 5)
    finally:
        if server is not None:
            announced.unlink(missing_ok=True)
            server.stop()
            lock.close()


def _lock_data_dir(settings: NewsroomSettings) -> Any:
    """One `newsroom up` per data directory: two servers on one AOF would corrupt it."""
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        lock = (settings.data_dir / LOCK_FILE).open("w")
    except OSError as e:
        raise SettingsError(f"NEWSROOM_DATA_DIR ({settings.data_dir}): {e.strerror or e}") from None
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise SettingsError(
            f"NEWSROOM_DATA_DIR ({settings.data_dir}) is in use by another `newsroom up`; "
            "stop it or choose another directory"
        ) from None
    return lock


def _unreachable(url: str, patience_s: float = 10.0) -> str | None:
    """Why the server at `url` does not answer (after `patience_s` of retries), or None."""
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    deadline = time.monotonic() + patience_s
    try:
        while True:
            try:
                client.ping()
                return None
            except redis.RedisError as e:
                if time.monotonic() > deadline:
                    return str(e)
            time.sleep(0.5)
    finally:
        client.close()


async def _watch(
    children: list[Child],
    settings: NewsroomSettings,
    after_start: Callable[[NewsroomSettings], Coroutine[Any, Any, bool]] | None,
) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    waits: dict[asyncio.Task[Any], Child] = {asyncio.create_task(c.process.wait()): c for c in children}
    watched: set[asyncio.Task[Any]] = {*waits, asyncio.create_task(stop.wait())}
    demo = asyncio.create_task(after_start(settings)) if after_start is not None else None
    if demo is not None:
        watched.add(demo)
    done, _ = await asyncio.wait(watched, return_when=asyncio.FIRST_COMPLETED)
    died = [waits[t] for t in done if t in waits]
    for c in died:
        print(f"newsroom: {c.name} exited with status {c.process.returncode}", file=sys.stderr, flush=True)
    if demo is not None and demo not in done:
        demo.cancel()
    if demo is not None and demo in done and (error := demo.exception()) is not None:
        print(f"newsroom: the demo failed: {error}", file=sys.stderr, flush=True)
    demo_failed = demo is not None and demo in done and (demo.exception() is not None or not demo.result())
    return 1 if died or demo_failed else 0


async def _stop(children: list[Child], grace_s: float) -> None:
    for c in children:
        if c.process.returncode is None:
            c.process.send_signal(signal.SIGTERM)
    for c in children:
        try:
            await asyncio.wait_for(c.process.wait(), grace_s)
        except TimeoutError:
            c.process.kill()
            await c.process.wait()
        await c.pump
