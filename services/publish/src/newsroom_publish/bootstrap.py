"""Publish's composition root."""

from __future__ import annotations

from newsroom_shared import streams
from newsroom_shared.connection import connect
from newsroom_shared.service import Service
from newsroom_shared.settings import NewsroomSettings

from newsroom_publish.app import create_app
from newsroom_publish.handler import PublishHandler
from newsroom_publish.store import ArticleStore


def build(settings: NewsroomSettings) -> Service:
    redis = connect(settings.resolved_redis_url(), block_ms=settings.block_ms)
    store = ArticleStore(redis)
    base = settings.publish_base_url()
    return Service(
        name="publish",
        port=settings.publish_port,
        app=create_app(store, settings.tz, base),
        redis=redis,
        handler=PublishHandler(store, base),
        stream=streams.ENRICHED,
    )
