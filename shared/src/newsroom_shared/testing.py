"""pytest fixtures for real-server tests: one server per session, a clean database per test.

The server is `NEWSROOM_TEST_REDIS_URL` if set, else a testcontainers Redis if a Docker engine
answers, else the embedded Valkey. Services run as real processes (`ServiceProcess`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from newsroom_shared.embedded import EmbeddedServer, free_port


def docker_answers() -> bool:
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@dataclass
class TestServer:
    url: str
    kind: str
    process: Callable[[], subprocess.Popen[bytes] | None] | None = None
    restart: Callable[[], None] | None = None

    def pause(self) -> None:
        self._signal(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal(signal.SIGCONT)

    def _signal(self, sig: int) -> None:
        proc = self.process() if self.process else None
        if proc is None:
            raise RuntimeError(f"cannot signal a {self.kind} server")
        proc.send_signal(sig)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[TestServer]:
    url = os.environ.get("NEWSROOM_TEST_REDIS_URL")
    if url:
        yield TestServer(url, "external")
        return
    if os.environ.get("NEWSROOM_TEST_BACKEND", "") != "embedded" and docker_answers():
        from testcontainers.community.redis import RedisContainer

        image = os.environ.get("REDIS_IMAGE", "redis:7.4-alpine")
        container = RedisContainer(image).with_command("redis-server --appendonly yes --appendfsync everysec")
        container.start()
        try:
            host = container.get_container_host_ip()
            port = container.get_exposed_port(6379)
            yield TestServer(f"redis://{host}:{port}/0", f"container:{image}")
        finally:
            container.stop()
        return
    data = Path(tempfile.mkdtemp(prefix="newsroom-test-valkey-"))
    server = EmbeddedServer(data)
    server.start()
    try:
        yield TestServer(
            server.url, "embedded-valkey", process=lambda: server.process, restart=server.restart
        )
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def redis_url(redis_server: TestServer) -> Iterator[str]:
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


@dataclass
class ServiceProcess:
    """One service as a real OS process, as `newsroom run` starts it."""

    name: str
    env: dict[str, str]
    port: int
    log_path: Path
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait: bool = True) -> ServiceProcess:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", f"newsroom_{self.name}"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready: {self.log_path.read_text()[-3000:]}")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def terminate(self, timeout: float = 30) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.terminate()
        return self.process.wait(timeout)


@dataclass
class Stack:
    """The three services against one server, with ports of their own."""

    redis_url: str
    tmp: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    services: dict[str, list[ServiceProcess]] = field(default_factory=dict)

    def env(self, port: int, name: str, index: int) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSROOM_")}
        env.update(
            {
                "NEWSROOM_REDIS_URL": self.redis_url,
                "NEWSROOM_LOG_FORMAT": "json",
                "NEWSROOM_INGEST_PORT": str(port),
                "NEWSROOM_ENRICH_PORT": str(port),
                "NEWSROOM_PUBLISH_PORT": str(port),
                "NEWSROOM_DATA_DIR": str(self.tmp),
                "NEWSROOM_CONSUMER_NAME": f"{name}-test-{index}-{time.monotonic_ns()}",
            }
        )
        if name == "publish" and "NEWSROOM_PUBLIC_BASE_URL" not in self.extra_env:
            env["NEWSROOM_PUBLIC_BASE_URL"] = f"http://127.0.0.1:{port}"
        env.update(self.extra_env)
        return env

    def add(self, name: str, *, wait: bool = True) -> ServiceProcess:
        replicas = self.services.setdefault(name, [])
        port = free_port()
        proc = ServiceProcess(
            name, self.env(port, name, len(replicas)), port, self.tmp / f"{name}-{len(replicas)}.log"
        )
        replicas.append(proc)
        return proc.start(wait)

    def restart(self, proc: ServiceProcess) -> ServiceProcess:
        """The same replica again, with a new consumer name like a new container."""
        name = f"{proc.name}-restarted-{time.monotonic_ns()}"
        proc.env = {**proc.env, "NEWSROOM_CONSUMER_NAME": name}
        return proc.start()

    def first(self, name: str) -> ServiceProcess:
        return self.services[name][0]

    def stop(self) -> None:
        for procs in self.services.values():
            for p in procs:
                if p.process and p.process.poll() is None:
                    p.process.terminate()
        for procs in self.services.values():
            for p in procs:
                if p.process:
                    try:
                        p.process.wait(20)
                    except subprocess.TimeoutExpired:
                        p.kill()

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.log_path.name}\n{p.log_path.read_text()[-4000:]}"
            for procs in self.services.values()
            for p in procs
            if p.log_path.exists()
        )


@pytest.fixture
def stack_factory(redis_url: str, tmp_path: Path) -> Iterator[Any]:
    stacks: list[Stack] = []

    def make(**extra_env: str) -> Stack:
        s = Stack(redis_url, tmp_path, {k.upper(): v for k, v in extra_env.items()})
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
