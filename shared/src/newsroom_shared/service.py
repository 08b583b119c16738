"""Running one service: its stream consumer and its HTTP app in one event loop, stopped cleanly.

Each service's composition root builds a `Service`; `run_service` owns signals, readiness and the
shutdown timeout so the three services behave the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Awaitable, Callable, Generator
from dataclasses import asdict, dataclass, field

import structlog
import uvicorn
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from redis.asyncio import Redis
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsroom_shared.consumer import OUTAGE_ERRORS, StageHandler, StreamConsumer
from newsroom_shared.settings import NewsroomSettings
from newsroom_shared.status import prometheus, stage_status

log = structlog.get_logger("newsroom.service")


@dataclass
class Readiness:
    consuming: bool = True

    def set_consuming(self, ready: bool) -> None:
        self.consuming = ready


@dataclass
class Service:
    name: str
    port: int
    app: FastAPI
    redis: Redis
    handler: StageHandler | None = None
    stream: str = ""
    on_start: Callable[[], Awaitable[None]] | None = None
    readiness: Readiness = field(default_factory=Readiness)


async def parameter_problems(_: Request, e: RequestValidationError) -> JSONResponse:
    """Query and path parameters refused as every service refuses input: each field and its
    reason, and one readable line; the input is not echoed back."""
    problems = [
        {
            "field": ".".join(str(p) for p in err["loc"][1:]) or "request",
            "reason": str(err["msg"]).removeprefix("Value error, "),
        }
        for err in e.errors()
    ]
    message = "; ".join(f"{p['field']}: {p['reason']}" for p in problems)
    return JSONResponse({"detail": problems, "message": message}, status_code=422)


READ_DEADLINE_S = 5.0
"""How long a read (GET, HEAD) may wait for the server: redis-py's own timeouts and retries add up to
tens of seconds against a frozen server, longer than a client waits."""


class ReadDeadline:
    """A read not answered within `READ_DEADLINE_S` answers 503 with Retry-After (ASGI middleware).

    Only reads: a submission's time includes its body's upload, and it answers 503 on its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        # the app runs in a task of its own, which alone is cancelled at the deadline (in Python
        # 3.12+ wait_for and asyncio.timeout would cancel the request's own task)
        app = asyncio.ensure_future(self.app(scope, receive, sending))
        try:
            done, _ = await asyncio.wait({app}, timeout=READ_DEADLINE_S)
        except asyncio.CancelledError:  # the request itself is cancelled (a shutdown): so is the app
            app.cancel()
            raise
        if done:
            app.result()  # its own error, if any, is the request's
            return
        app.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await app
        if not started:
            late = JSONResponse(
                {"detail": f"storage did not answer within {READ_DEADLINE_S:.0f} s", "retry_after_s": 2},
                status_code=503,
                headers={"Retry-After": "2"},
            )
            await late(scope, receive, send)


def add_health_routes(app: FastAPI, service: str, redis: Redis, readiness: Readiness) -> None:
    """`/healthz`: the process answers; `/readyz`: it can reach the server and is consuming."""

    async def unavailable(_: Request, exc: Exception) -> JSONResponse:
        """The server is unreachable: say so and when to retry, never a bare 500."""
        return JSONResponse(
            {"detail": f"storage unavailable: {exc}", "retry_after_s": 2},
            status_code=503,
            headers={"Retry-After": "2"},
        )

    for error in OUTAGE_ERRORS:
        app.add_exception_handler(error, unavailable)
    app.add_exception_handler(RequestValidationError, parameter_problems)  # type: ignore[arg-type]
    app.add_middleware(ReadDeadline)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": service}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        try:
            await asyncio.wait_for(redis.ping(), timeout=1.0)
            reachable = True
        except (*OUTAGE_ERRORS, TimeoutError):
            reachable = False
        ok = reachable and readiness.consuming
        body = {
            "status": "ready" if ok else "not ready",
            "service": service,
            "redis": "reachable" if reachable else "unreachable",
        }
        return JSONResponse(body, status_code=200 if ok else 503)


def add_metrics_route(app: FastAPI, consumer: StreamConsumer) -> None:
    """`/metrics` for Prometheus: this process's outcomes and its stage's backlog (`status.py`)."""

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        try:  # a frozen server must not outlast a scraper's timeout (Prometheus: 10 s)
            figures = await asyncio.wait_for(stage_status(consumer.redis, consumer.handler.stage), 3.0)
        except TimeoutError:
            return PlainTextResponse("server did not answer within 3 s\n", status_code=503)
        return PlainTextResponse(
            prometheus(figures, asdict(consumer.stats)), media_type="text/plain; version=0.0.4"
        )


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:  # signals are ours, see run_service
        yield


async def run_service(svc: Service, settings: NewsroomSettings) -> None:
    """Serve until SIGTERM/SIGINT; then stop reading, finish the batch, hand back, exit in time."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    add_health_routes(svc.app, svc.name, svc.redis, svc.readiness)
    server = _Server(
        uvicorn.Config(
            svc.app, host=settings.host, port=svc.port, log_config=None, access_log=False, lifespan="off"
        )
    )
    consumer: StreamConsumer | None = None
    if svc.handler is not None:
        consumer = StreamConsumer(
            redis=svc.redis,
            settings=settings,
            handler=svc.handler,
            stream=svc.stream,
            group=svc.handler.stage,
            consumer=settings.unique_consumer_name(svc.name),
            on_ready=svc.readiness.set_consuming,
        )
        add_metrics_route(svc.app, consumer)
    tasks: list[asyncio.Task[None]] = [asyncio.create_task(server.serve(), name="http")]
    if svc.on_start is not None:
        await svc.on_start()
    if consumer is not None:
        tasks.append(asyncio.create_task(consumer.run(stop), name="consumer"))
    log.info(
        "service started", service=svc.name, port=svc.port, consumer=consumer.consumer if consumer else None
    )
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait([*tasks, stopper], return_when=asyncio.FIRST_COMPLETED)
    failed = [t for t in done if t is not stopper and t.exception() is not None]
    stop.set()
    server.should_exit = True
    log.info("stopping", service=svc.name)
    try:
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), settings.shutdown_timeout_s)
    except TimeoutError:
        log.warning("shutdown timeout: what is still pending will be reclaimed by other consumers")
    await svc.redis.aclose()
    if failed:
        raise failed[0].exception() or RuntimeError("service task failed")
    log.info("stopped", service=svc.name)
