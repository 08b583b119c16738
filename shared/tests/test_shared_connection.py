"""The client every service uses, against what a failover does to its connections."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from newsroom_shared.commit import Commit, Committer, xadd_op
from newsroom_shared.connection import connect
from newsroom_shared.consumer import ensure_group
from newsroom_shared.embedded import EmbeddedServer
from redis.asyncio import Redis


class SwitchableProxy:
    """A TCP front whose target can change, as a failover moves an address to the new primary:
    connections already open stay with the server they were opened to, new ones go to the target."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.server: asyncio.Server | None = None

    async def __aenter__(self) -> int:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def __aexit__(self, *_: object) -> None:
        assert self.server is not None
        self.server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)

        async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))


@pytest.fixture
async def new_primary(tmp_path: Path) -> AsyncIterator[EmbeddedServer]:
    server = EmbeddedServer(tmp_path / "new-primary")
    await asyncio.to_thread(server.start)
    yield server
    await asyncio.to_thread(server.stop)


async def test_a_connection_left_on_a_demoted_primary_reconnects_instead_of_failing_writes(
    redis_url: str, new_primary: EmbeddedServer
) -> None:
    old = Redis.from_url(redis_url)
    where = old.connection_pool.connection_kwargs
    proxy = SwitchableProxy(where.get("host", "localhost"), int(where.get("port", 6379)))
    async with proxy as port:
        client = connect(f"redis://127.0.0.1:{port}/0")
        try:
            await client.set("k", "before")  # its pooled connection now leads to the old primary
            await old.execute_command("REPLICAOF", "127.0.0.1", "1")  # demoted
            proxy.target = ("127.0.0.1", new_primary.port)  # and the address moves to the new primary
            # the held connection answers READONLY: it is closed and the write goes to the new one
            # (HTTP requests hold connections too, so waiting for a consumer to reset the pool is not enough)
            await client.set("k", "after")
            assert await client.get("k") == "after"
        finally:
            await client.aclose()
            await old.execute_command("REPLICAOF", "NO", "ONE")
            await old.aclose()


async def test_a_commit_left_on_a_demoted_primary_is_sent_again_to_the_new_one(
    redis_url: str, new_primary: EmbeddedServer
) -> None:
    # the script's steps meet READONLY under pcall, as step errors the client's retry never sees
    old = Redis.from_url(redis_url)
    fresh = connect(new_primary.url)
    await ensure_group(fresh, "in", "g")
    entry = await fresh.xadd("in", {"n": "1"})
    await fresh.xreadgroup("g", "c", {"in": ">"})
    where = old.connection_pool.connection_kwargs
    proxy = SwitchableProxy(where.get("host", "localhost"), int(where.get("port", 6379)))
    async with proxy as port:
        client = connect(f"redis://127.0.0.1:{port}/0")
        committer = Committer(client)
        try:
            await committer.load()  # its connection now leads to the old primary
            await old.execute_command("REPLICAOF", "127.0.0.1", "1")
            proxy.target = ("127.0.0.1", new_primary.port)
            step = Commit(
                guard=None,
                applied_ops=[xadd_op("out", {"n": "1"})],
                keys=["out"],
                source_stream="in",
                group="g",
                entry_id=entry,
            )
            assert [r.status for r in await committer.run([step])] == ["applied"]
            assert await fresh.xlen("out") == 1
            assert (await fresh.xpending("in", "g"))["pending"] == 0
        finally:
            await client.aclose()
            await fresh.aclose()
            await old.execute_command("REPLICAOF", "NO", "ONE")
            await old.aclose()
