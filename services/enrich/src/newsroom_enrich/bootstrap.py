"""Enrich's composition root: the enricher is built once here, at start-up."""

from __future__ import annotations

from fastapi import FastAPI
from newsroom_shared import streams
from newsroom_shared.connection import connect
from newsroom_shared.service import Service
from newsroom_shared.settings import NewsroomSettings

from newsroom_enrich.enrichment import Enricher
from newsroom_enrich.handler import EnrichHandler


def build(settings: NewsroomSettings) -> Service:
    redis = connect(settings.resolved_redis_url(), block_ms=settings.block_ms)
    enricher = Enricher() if settings.enrich_enabled else None
    return Service(
        name="enrich",
        port=settings.enrich_port,
        app=FastAPI(title="Newsroom Streams · enrich", version="1"),
        redis=redis,
        handler=EnrichHandler(enricher),
        stream=streams.INGESTED,
    )
