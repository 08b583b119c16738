"""The services as real OS processes, for tests, `newsroom soak` and `newsroom bench`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from newsroom_shared.embedded import free_port


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
        with self.log_path.open("ab") as log:
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
