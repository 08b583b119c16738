"""`newsroom up`: one per data directory, found by other commands, never outlived by its children."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from newsroom_shared.embedded import EmbeddedServer, EmbeddedServerError, free_port
from newsroom_shared.settings import EMBEDDED_URL_FILE, PREFIX
from newsroom_shared.testing import wait_for


def newsroom_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(PREFIX)}
    ports = {f"NEWSROOM_{s}_PORT": str(free_port()) for s in ("INGEST", "ENRICH", "PUBLISH")}
    return env | ports | {"NEWSROOM_DATA_DIR": str(data_dir), "NEWSROOM_LOG_FORMAT": "json"} | extra


def newsroom(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "newsroom_shared.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    env = newsroom_env(tmp_path / "data")
    up = subprocess.Popen(
        [sys.executable, "-m", "newsroom_shared.cli", "up"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    wait_for(lambda: (tmp_path / "data" / EMBEDDED_URL_FILE).exists(), message="the embedded server")
    yield up, env
    if up.poll() is None:
        up.terminate()
        up.wait(30)


def test_a_second_up_on_one_data_directory_is_refused_and_other_commands_find_the_first(
    running: tuple[subprocess.Popen[str], dict[str, str]],
) -> None:
    _, env = running
    second = newsroom(env, "up")
    assert second.returncode == 2 and "is in use by another `newsroom up`" in second.stderr
    listed = newsroom(env, "dlq", "list")  # no NEWSROOM_REDIS_URL: the running server is announced
    assert listed.returncode == 0 and "0 dead letter(s)" in listed.stdout


def test_nothing_outlives_an_up_that_is_killed_outright(
    running: tuple[subprocess.Popen[str], dict[str, str]], tmp_path: Path
) -> None:
    up, env = running
    url = (tmp_path / "data" / EMBEDDED_URL_FILE).read_text().strip()
    wait_for(lambda: newsroom(env, "dlq", "list").returncode == 0, message="services up")
    up.send_signal(signal.SIGKILL)
    up.wait()
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5)

    def server_gone() -> bool:
        try:
            client.ping()
        except redis.ConnectionError:
            return True
        return False

    wait_for(server_gone, timeout=15, message="the embedded server to follow its supervisor")
    time.sleep(0.5)
    stale = newsroom(env, "dlq", "list")  # the announcement a killed `up` left is not trusted
    assert stale.returncode == 2 and "no `newsroom up` is running" in stale.stderr


def test_an_unreachable_server_fails_up_at_once_with_the_reason(tmp_path: Path) -> None:
    env = newsroom_env(tmp_path, NEWSROOM_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    run = newsroom(env, "up")
    assert run.returncode == 1 and "cannot reach NEWSROOM_REDIS_URL" in run.stderr


@pytest.mark.parametrize("command", [["status"], ["dlq", "list"]])
def test_operator_commands_name_an_unreachable_server_without_a_traceback(
    tmp_path: Path, command: list[str]
) -> None:
    env = newsroom_env(tmp_path, NEWSROOM_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    run = newsroom(env, *command)
    assert run.returncode == 1 and "cannot reach the server" in run.stderr and "Traceback" not in run.stderr


def test_an_unusable_data_directory_is_named_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    run = newsroom(newsroom_env(tmp_path / "file" / "sub"), "up")
    assert run.returncode == 2 and "NEWSROOM_DATA_DIR" in run.stderr and "Traceback" not in run.stderr


def test_a_damaged_aof_fails_up_with_the_servers_reason_not_a_traceback(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "valkey")
    server.start()
    redis.Redis(port=server.port).set("kept", "1")
    server.stop()
    [incr] = (tmp_path / "valkey" / "appendonlydir").glob("*.incr.aof")
    with incr.open("ab") as f:
        f.write(b"not a command\r\n")  # what a disk or a careless edit may leave
    run = newsroom(newsroom_env(tmp_path), "up")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "embedded Valkey exited at start: Bad file format reading the append only file" in run.stderr


def test_a_server_that_cannot_start_is_explained_by_this_runs_log_not_an_earlier_one(tmp_path: Path) -> None:
    earlier = EmbeddedServer(tmp_path)
    earlier.start()
    earlier.stop()  # its log ends with a line of its own about stopping
    with pytest.raises(EmbeddedServerError) as caught:
        EmbeddedServer(tmp_path, appendfsync="sometimes").start()
    assert "must be one of the following: everysec, always, no" in str(caught.value)
