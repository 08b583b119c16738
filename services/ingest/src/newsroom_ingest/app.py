"""Ingest's HTTP API: thin handlers over the importers and the revision pipeline."""

from __future__ import annotations

from typing import Annotated, Literal

import structlog
from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse
from newsroom_shared import streams
from newsroom_shared.commit import Committer
from newsroom_shared.settings import NewsroomSettings
from pydantic import BaseModel
from redis.asyncio import Redis

from newsroom_ingest.errors import InputError, InputProblem
from newsroom_ingest.importers import parse_article
from newsroom_ingest.pipeline import PerArticle, Planned, Unavailable, refusal, resolve_id, submit

log = structlog.get_logger("newsroom.ingest")


class SubmitAnswer(BaseModel):
    article_id: str
    revision: int
    status: Literal["accepted", "duplicate", "superseded"]
    event_id: str | None = None


class TooLarge(Exception):
    pass


async def read_bounded(request: Request, limit: int) -> bytes:
    """Read the body without ever holding more than `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def problems_response(problems: list[InputProblem], status: int = 422) -> JSONResponse:
    return JSONResponse(
        {
            "detail": [p.model_dump() for p in problems],
            "message": "; ".join(f"{p.field}: {p.reason}" for p in problems),
        },
        status_code=status,
    )


def answer(p: Planned) -> JSONResponse:
    body = SubmitAnswer(
        article_id=p.article_id, revision=p.decision.revision, status=p.decision.status, event_id=p.event_id
    )
    log.info(
        f"submission {p.decision.status}",
        article_id=p.article_id,
        revision=p.decision.revision,
        event_id=p.event_id,
        stream=streams.INGESTED,
        stage="ingest",
    )
    return JSONResponse(body.model_dump(), status_code=202)


def create_app(settings: NewsroomSettings, redis: Redis, committer: Committer) -> FastAPI:
    app = FastAPI(title="Newsroom Streams · ingest", version="1")
    limit = settings.max_request_bytes
    turns = PerArticle()

    async def ingest(request: Request, fmt: str | None, article_id: str | None) -> JSONResponse:
        try:
            raw = await read_bounded(request, limit)
        except TooLarge:
            return problems_response(
                [InputProblem(field="body", reason=f"request body exceeds {limit} bytes")], 413
            )
        try:
            article = parse_article(raw, tz=settings.tz, fmt=fmt, article_id=article_id)
        except InputError as e:
            log.info("submission refused", problems=str(e), stage="ingest")
            return problems_response(e.problems)
        try:
            planned = await submit(redis, committer, article, turns)
        except Unavailable as e:
            log.warning(
                "submission not committed", article_id=resolve_id(article), problems=str(e), stage="ingest"
            )
            return JSONResponse(
                {"detail": str(e), "retry_after_s": 1}, status_code=503, headers={"Retry-After": "1"}
            )
        if problem := refusal(planned):
            log.info(
                "submission refused", article_id=planned.article_id, problems=problem.reason, stage="ingest"
            )
            return problems_response([problem], 409)
        return answer(planned)

    @app.post(
        "/v1/articles",
        status_code=202,
        response_model=SubmitAnswer,
        summary="Submit one article in the native JSON contract",
    )
    async def post_article(request: Request) -> JSONResponse:
        return await ingest(request, "native", None)

    @app.post(
        "/v1/imports",
        status_code=202,
        response_model=SubmitAnswer,
        summary="Submit a document in any supported format (native JSON, ninjs, page capture)",
    )
    async def post_import(
        request: Request,
        format: Annotated[Literal["auto", "native", "ninjs", "text"], Query()] = "auto",
        article_id: Annotated[str | None, Query(max_length=128)] = None,
    ) -> JSONResponse:
        return await ingest(request, None if format == "auto" else format, article_id)

    return app
