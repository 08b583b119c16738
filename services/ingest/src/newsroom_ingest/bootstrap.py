"""Ingest's composition root: settings, connection, committer, app and stream handler."""

from __future__ import annotations

from newsroom_shared import streams
from newsroom_shared.commit import Committer
from newsroom_shared.connection import connect
from newsroom_shared.service import Service
from newsroom_shared.settings import NewsroomSettings

from newsroom_ingest.app import create_app
from newsroom_ingest.submissions import SubmissionsHandler


def build(settings: NewsroomSettings) -> Service:
    redis = connect(settings.resolved_redis_url(), block_ms=settings.block_ms)
    committer = Committer(redis)
    return Service(
        name="ingest",
        port=settings.ingest_port,
        app=create_app(settings, redis, committer),
        redis=redis,
        handler=SubmissionsHandler(redis, committer, settings),
        stream=streams.SUBMITTED,
    )
