"""Entry point shared by the three services' `__main__`."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable

from newsroom_shared.logging import configure_logging
from newsroom_shared.service import Service, run_service
from newsroom_shared.settings import NewsroomSettings

GC_THRESHOLDS = (20_000, 10, 10)
"""A batch allocates tens of thousands of short-lived objects that reference counting frees; at
Python's default (700) the collector ran every few articles and cost enrich ~100 µs and publish
~25 µs per article in `newsroom bench --mode full`."""


def main(name: str, build: Callable[[NewsroomSettings], Service]) -> None:
    settings = NewsroomSettings()
    configure_logging(settings, name)

    async def serve() -> None:
        service = build(settings)
        # what start-up built (matchers, models, the app) lives as long as the process: stop rescanning it
        gc.collect()
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
        await run_service(service, settings)

    asyncio.run(serve())
