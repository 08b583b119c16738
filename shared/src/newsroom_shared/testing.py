"""pytest fixtures for real-server tests: one server per session, a clean database per test.

The server is `NEWSROOM_TEST_REDIS_URL` if set, else a testcontainers Redis if a Docker engine
answers, else the embedded Valkey. Services run as real processes (`ServiceProcess`).
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis

from newsroom_shared.embedded import EmbeddedServer, free_port
from newsroom_shared.processes import Stack
from newsroom_shared.settings import PREFIX


def docker_answers() -> bool:
    import docker  # type: ignore[import-untyped]

    client = None
    with warnings.catch_warnings():
        # the SDK leaves its socket open when the daemon does not answer; let it go quietly now
        warnings.simplefilter("ignore", ResourceWarning)
        with contextlib.suppress(Exception):
            client = docker.from_env(timeout=3)
        gc.collect()
    if client is None:
        return False
    try:
        return bool(client.ping())
    except Exception:
        return False
    finally:
        client.close()


@dataclass
class ServerUnderTest:
    url: str
    kind: str
    process: Callable[[], subprocess.Popen[bytes] | None] | None = None
    restart: Callable[[], None] | None = None
    pause_fn: Callable[[], None] | None = None
    resume_fn: Callable[[], None] | None = None

    def pause(self) -> None:
        """Freeze the server (SIGSTOP / docker pause): connections hang rather than fail."""
        if self.pause_fn:
            self.pause_fn()
        else:
            self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self.resume_fn:
            self.resume_fn()
        else:
            self._signal(signal.SIGCONT)

    def _signal(self, sig: int) -> None:
        proc = self.process() if self.process else None
        if proc is None:
            raise RuntimeError(f"cannot signal a {self.kind} server")
        proc.send_signal(sig)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[ServerUnderTest]:
    url = os.environ.get("NEWSROOM_TEST_REDIS_URL")
    if url:
        yield ServerUnderTest(url, "external")
        return
    if os.environ.get("NEWSROOM_TEST_BACKEND", "") != "embedded" and docker_answers():
        from testcontainers.community.redis import RedisContainer

        # the reaper image comes from a registry; our own finalizers remove the container instead
        os.environ.setdefault("TESTCONTAINERS_RYUK_DISABLED", "true")

        image = os.environ.get("REDIS_IMAGE", "redis:7.4-alpine")
        container = RedisContainer(image).with_command("redis-server --appendonly yes --appendfsync everysec")
        container.with_bind_ports(6379, free_port())  # fixed, so a restarted container keeps its address
        try:
            container.start()
        except Exception as e:  # e.g. the image cannot be pulled on a machine without a registry
            if os.environ.get("NEWSROOM_REQUIRE_DOCKER"):
                raise
            print(f"no Redis container ({e}); using the embedded Valkey", file=sys.stderr)
            yield from _embedded()
            return
        try:
            host = container.get_container_host_ip()
            port = container.get_exposed_port(6379)
            wrapped = container.get_wrapped_container()
            yield ServerUnderTest(
                f"redis://{host}:{port}/0",
                f"container:{image}",
                restart=lambda: wrapped.restart(timeout=10),
                pause_fn=wrapped.pause,
                resume_fn=wrapped.unpause,
            )
        finally:
            container.stop()
        return
    yield from _embedded()


def _embedded() -> Iterator[ServerUnderTest]:
    data = Path(tempfile.mkdtemp(prefix="newsroom-test-valkey-"))
    server = EmbeddedServer(data)
    server.start()
    try:
        yield ServerUnderTest(
            server.url, "embedded-valkey", process=lambda: server.process, restart=server.restart
        )
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def redis_url(redis_server: ServerUnderTest) -> Iterator[str]:
    """The session's server, emptied before each test."""
    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    client.close()
    yield redis_server.url


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    client.close()


@pytest.fixture
def stack_factory(redis_url: str, tmp_path: Path) -> Iterator[Any]:
    stacks: list[Stack] = []

    def make(**extra_env: str) -> Stack:
        """Settings by variable (`NEWSROOM_BATCH_SIZE="16"`) or by setting name (`batch_size="16"`)."""
        env = {
            k.upper() if k.upper().startswith(PREFIX) else PREFIX + k.upper(): v for k, v in extra_env.items()
        }
        s = Stack(redis_url, tmp_path, env)
        stacks.append(s)
        return s

    yield make
    for s in stacks:
        s.stop()


@pytest.fixture
def stack(stack_factory: Any) -> Stack:
    """ingest, enrich and publish running against the test server."""
    s: Stack = stack_factory()
    for name in ("ingest", "enrich", "publish"):
        s.add(name)
    return s


def wait_for(predicate: Any, timeout: float = 30, interval: float = 0.1, message: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(interval)


SEED_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "seed"
