"""Atomic per-article steps: guard, effects, next events and acknowledgement in one script.

Every stage expresses its outcome as a `Commit`; `Committer` sends a whole batch of them as one
script call (a few for large batches) in one pipelined round trip. Because the acknowledgement is
inside the script, an entry is never acknowledged without its effects, and a script missing from
the server's cache (after a restart) fails the call as a whole and is simply loaded and sent again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Literal

from redis.asyncio import Redis
from redis.exceptions import NoScriptError

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
    # (key, value): the key must be unset or already hold value, else the step is a conflict and
    # nothing is written (a page's slug is one article's); the caller sets the key in its ops
    claims: Sequence[tuple[str, str]] = ()
    always_ops: Sequence[Op] = ()
    applied_ops: Sequence[Op] = ()
    keys: Sequence[str] = ()
    source_stream: str = ""
    group: str = ""
    entry_id: str = ""
    # what the log line about this step carries: article id, revision, the emitted event's id, outcome
    log_context: Mapping[str, object] = field(default_factory=dict)

    def acking(self, stream: str, group: str, entry_id: str) -> Commit:
        return Commit(
            self.guard,
            self.claims,
            self.always_ops,
            self.applied_ops,
            self.keys,
            stream,
            group,
            entry_id,
            self.log_context,
        )


# a step's error that says the server refuses writes for now, not that the step is wrong
PASSING_REFUSALS = ("OOM", "READONLY", "BUSY", "MISCONF", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "LOADING")


@dataclass(frozen=True)
class CommitResult:
    status: Literal["applied", "skipped", "conflict", "error"]
    stored: str = ""
    error: str = ""

    @property
    def refused_for_now(self) -> bool:
        return self.status == "error" and self.error.startswith(PASSING_REFUSALS)


@dataclass
class Committer:
    """Runs commits; loads the script on demand (once per server start)."""

    redis: Redis
    max_steps_per_call: int = 128  # bounds how long one script call holds the server
    _sha: str = field(default="", init=False)

    async def load(self) -> None:
        self._sha = str(await self.redis.script_load(_SCRIPT))

    async def run(self, commits: Sequence[Commit]) -> list[CommitResult]:
        """One pipelined round trip for the batch; connection errors propagate to the caller.

        Sent once more: the calls that met NOSCRIPT (server restarted, cache flushed), after
        loading the script; and those whose steps met READONLY, after closing the idle
        connections. A primary demoted by a failover answers READONLY on the connections still
        open to it while its address may lead to the new one, and the script's steps see it as a
        step's error (under `pcall`), which the client's own retry never does. A refused step
        wrote nothing, so sending it again is safe."""
        if not commits:
            return []
        if not self._sha:
            await self.load()
        results: list[CommitResult | None] = [None] * len(commits)
        size = self.max_steps_per_call
        pending = [range(i, min(i + size, len(commits))) for i in range(0, len(commits), size)]
        reloaded = reconnected = False
        while pending:
            pipe = self.redis.pipeline(transaction=False)
            for chunk in pending:
                keys, args = _batch_args([commits[i] for i in chunk])
                pipe.evalsha(self._sha, len(keys), *keys, *args)
            raw = await pipe.execute(raise_on_error=False)
            unloaded: list[range] = []
            demoted: list[range] = []
            for chunk, reply in zip(pending, raw, strict=True):
                if isinstance(reply, NoScriptError):
                    unloaded.append(chunk)
                    continue
                replies = reply if isinstance(reply, list) and len(reply) == len(chunk) else None
                for n, i in enumerate(chunk):
                    if replies is None:
                        results[i] = CommitResult("error", error=str(reply))
                    else:
                        results[i] = _result(replies[n])
                if any(
                    r is not None and r.error.startswith("READONLY")
                    for r in results[chunk.start : chunk.stop]
                ):
                    demoted.append(chunk)
            pending = []
            if unloaded and not reloaded:
                reloaded = True
                await self.load()
                pending += unloaded
            if demoted and not reconnected:
                reconnected = True
                await self.redis.connection_pool.disconnect(inuse_connections=False)
                pending += demoted
        return [r or CommitResult("error", error="script could not be loaded") for r in results]


def _batch_args(commits: Sequence[Commit]) -> tuple[list[str], list[Arg]]:
    keys: list[str] = []
    args: list[Arg] = [len(commits)]
    for c in commits:
        step_keys, step_args = _call_args(c)
        keys += step_keys
        args += [len(step_keys), len(step_args), *step_args]
    return keys, args


def _call_args(c: Commit) -> tuple[list[str], list[Arg]]:
    g = c.guard
    keys = [c.source_stream, g.key if g else "", *c.keys, *(key for key, _ in c.claims)]
    args: list[Arg] = [c.group, c.entry_id]
    if g is None:
        args += ["none", "", "", ""]
    else:
        args += [g.mode, g.field, g.value, g.value if g.new_value is None else g.new_value]
    args.append(len(c.claims))
    for key, value in c.claims:
        args += [key, value]
    for ops in (c.always_ops, c.applied_ops):
        args.append(len(ops))
        for op in ops:
            args.append(len(op))
            args.extend(op)
    return keys, args


def _result(reply: object) -> CommitResult:
    if not isinstance(reply, list | tuple) or len(reply) != 2:
        return CommitResult("error", error=f"unexpected reply {reply!r}")
    status, detail = reply
    detail_s = detail.decode() if isinstance(detail, bytes) else str(detail)
    code = int(status)
    if code == 1:
        return CommitResult("applied", detail_s)
    if code == 0:
        return CommitResult("skipped", detail_s)
    if code == -1:
        return CommitResult("conflict", detail_s)
    return CommitResult("error", error=detail_s)


def xadd_op(stream: str, fields: dict[str, str], *, minid: str | None = None) -> Op:
    """An XADD op; `minid` trims entries older than that id, so only for streams no consumer group
    depends on (e.g. receipts): trimming ignores what a group has not acknowledged."""
    head: tuple[Arg, ...] = ("XADD", stream)
    if minid is not None:
        head += ("MINID", "~", minid)
    flat: list[Arg] = []
    for k, v in fields.items():
        flat += [k, v]
    return (*head, "*", *flat)
