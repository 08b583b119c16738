"""Atomic per-article steps: guard, effects, next events and acknowledgement in one script call.

Every stage expresses its outcome as a `Commit`; `Committer` sends a whole batch of them in one
pipelined round trip. Because the acknowledgement is inside the script, an entry is never
acknowledged without its effects, and a script missing from the server's cache (after a restart)
fails the call as a whole and is simply loaded and sent again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Literal

from redis.asyncio import Redis
from redis.exceptions import NoScriptError, ResponseError

Arg = str | int | float
Op = tuple[Arg, ...]
GuardMode = Literal["none", "gt", "eq"]

_SCRIPT = resources.files("newsroom_shared").joinpath("lua/commit.lua").read_text()


@dataclass(frozen=True)
class Guard:
    """The check that makes a step idempotent and ordered (revisions only move forward)."""

    key: str
    field: str
    mode: GuardMode
    value: Arg
    new_value: Arg | None = None  # defaults to `value`


@dataclass(frozen=True)
class Commit:
    """What one article's step writes; `applied_ops` run only if the guard lets the step apply."""

    guard: Guard | None = None
    always_ops: Sequence[Op] = ()
    applied_ops: Sequence[Op] = ()
    keys: Sequence[str] = ()
    source_stream: str = ""
    group: str = ""
    entry_id: str = ""

    def acking(self, stream: str, group: str, entry_id: str) -> Commit:
        return Commit(self.guard, self.always_ops, self.applied_ops, self.keys, stream, group, entry_id)


@dataclass(frozen=True)
class CommitResult:
    status: Literal["applied", "skipped", "conflict", "error"]
    stored: str = ""
    error: str = ""


@dataclass
class Committer:
    """Runs commits; loads the script on demand (once per server start)."""

    redis: Redis
    _sha: str = field(default="", init=False)

    async def load(self) -> None:
        self._sha = str(await self.redis.script_load(_SCRIPT))

    async def run(self, commits: Sequence[Commit]) -> list[CommitResult]:
        """One pipelined round trip for the batch; connection errors propagate to the caller."""
        if not commits:
            return []
        if not self._sha:
            await self.load()
        results: list[CommitResult | None] = [None] * len(commits)
        pending = list(range(len(commits)))
        for _ in range(2):  # a second pass only after NOSCRIPT (server restarted, cache flushed)
            pipe = self.redis.pipeline(transaction=False)
            for i in pending:
                keys, args = _call_args(commits[i])
                pipe.evalsha(self._sha, len(keys), *keys, *args)
            raw = await pipe.execute(raise_on_error=False)
            retry: list[int] = []
            for i, reply in zip(pending, raw, strict=True):
                if isinstance(reply, NoScriptError):
                    retry.append(i)
                elif isinstance(reply, ResponseError | Exception):
                    results[i] = CommitResult("error", error=str(reply))
                else:
                    results[i] = _result(reply)
            if not retry:
                break
            await self.load()
            pending = retry
        return [r or CommitResult("error", error="script could not be loaded") for r in results]


def _call_args(c: Commit) -> tuple[list[str], list[Arg]]:
    g = c.guard
    keys = [c.source_stream, g.key if g else "", *c.keys]
    args: list[Arg] = [c.group, c.entry_id]
    if g is None:
        args += ["none", "", "", ""]
    else:
        args += [g.mode, g.field, g.value, g.value if g.new_value is None else g.new_value]
    for ops in (c.always_ops, c.applied_ops):
        args.append(len(ops))
        for op in ops:
            args.append(len(op))
            args.extend(op)
    return keys, args


def _result(reply: object) -> CommitResult:
    if not isinstance(reply, list | tuple) or len(reply) != 2:
        return CommitResult("error", error=f"unexpected reply {reply!r}")
    status, stored = reply
    stored_s = stored.decode() if isinstance(stored, bytes) else str(stored)
    code = int(status)
    if code == 1:
        return CommitResult("applied", stored_s)
    if code == 0:
        return CommitResult("skipped", stored_s)
    return CommitResult("conflict", stored_s)


def xadd_op(stream: str, fields: dict[str, str], *, maxlen: int | None = None) -> Op:
    """An XADD op; `maxlen` only for streams no consumer group depends on (e.g. dead letters' audit)."""
    head: tuple[Arg, ...] = ("XADD", stream)
    if maxlen is not None:
        head += ("MAXLEN", "~", maxlen)
    flat: list[Arg] = []
    for k, v in fields.items():
        flat += [k, v]
    return (*head, "*", *flat)
