"""Entry point shared by the three services' `__main__`."""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Callable

from newsroom_shared.logging import configure_logging
from newsroom_shared.service import Service, run_service
from newsroom_shared.settings import NewsroomSettings, SettingsError, load_settings

GC_THRESHOLDS = (20_000, 10, 10)
"""A batch allocates tens of thousands of short-lived objects that reference counting frees; at
Python's default (700) the collector ran every few articles and cost enrich ~100 µs and publish
~25 µs per article in `newsroom bench --mode full`."""


def main(name: str, build: Callable[[NewsroomSettings], Service]) -> None:
    try:
        settings = load_settings()
    except SettingsError as e:
        sys.exit(f"{name}: {e}")  # exit status 1, the reason on stderr, before anything starts
    configure_logging(settings, name)

    async def serve() -> None:
        service = build(settings)
        # what start-up built (matchers, models, the app) lives as long as the process: stop rescanning it
        gc.collect()
        gc.freeze()
        gc.set_threshold(*GC_THRESHOLDS)
        await run_service(service, settings)

    try:
        asyncio.run(serve())
    except SettingsError as e:  # e.g. no server to use: a message, not a traceback
        sys.exit(f"{name}: {e}")
